-- The tenants table is also tenant-scoped for zeugo_app: a request sees its
-- own tenant's row only. Background jobs, which work tenant by tenant, get
-- the list of tenant ids (and nothing else) through tenant_ids_for_jobs().

-- +goose Up
ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenants FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tenants USING (id = app_tenant_id()) WITH CHECK (id = app_tenant_id());

-- tenant_ids_for_jobs returns the ids of tenants that are not purged. Like
-- auth_find_login it runs with the owner's rights and returns ids only.
CREATE FUNCTION tenant_ids_for_jobs() RETURNS SETOF uuid
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$ SELECT id FROM tenants WHERE status <> 'purged' ORDER BY id $$;
REVOKE ALL ON FUNCTION tenant_ids_for_jobs() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION tenant_ids_for_jobs() TO zeugo_app;

-- +goose Down
SELECT 1;
