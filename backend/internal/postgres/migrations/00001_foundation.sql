-- Foundation schema: tenants, keys, identity, sessions, audit log, rate limits
-- and the organisation structure.
--
-- Conventions every later migration keeps (internal/postgres/catalog_test.go
-- enforces the first two):
--   * every table with tenant_id has ENABLE + FORCE ROW LEVEL SECURITY and a
--     policy on app_tenant_id() with USING and WITH CHECK;
--   * zeugo_app gets only the privileges it needs, table by table;
--   * references between tenant tables are composite (tenant_id, id), so a
--     row can never point into another tenant even if RLS were off;
--   * personal data is stored as *_enc bytea (AES-256-GCM, internal/crypto).
--
-- The zeugo_app role is created by `zeugo migrate` before this file runs
-- (roles are cluster-wide; see internal/postgres/migrate.go).

-- +goose Up

-- app_tenant_id is the tenant of the current transaction, set by
-- postgres.TenantTx with set_config('app.tenant_id', …, true). NULL when unset,
-- so policies then match nothing.
CREATE FUNCTION app_tenant_id() RETURNS uuid
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid $$;

CREATE TABLE tenants (
    id            uuid PRIMARY KEY,
    name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    slug          text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
    status        text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'terminated', 'purged')),
    require_mfa   boolean NOT NULL DEFAULT true,
    created_at    timestamptz NOT NULL,
    terminated_at timestamptz
);
GRANT SELECT ON tenants TO zeugo_app;

-- Platform-wide secrets (blind-index key, token signing key), each wrapped by
-- the master key. Versions only grow; the highest is current.
CREATE TABLE platform_keys (
    name          text NOT NULL CHECK (name IN ('blind_index', 'token_signing')),
    version       integer NOT NULL CHECK (version > 0),
    master_key_id text NOT NULL,
    wrapped       bytea NOT NULL,
    created_at    timestamptz NOT NULL,
    PRIMARY KEY (name, version)
);
GRANT SELECT, INSERT ON platform_keys TO zeugo_app;

-- One data-encryption key per tenant and version, wrapped by the master key.
-- Deleting a tenant's rows here is crypto-shredding.
CREATE TABLE tenant_keys (
    tenant_id     uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    version       integer NOT NULL CHECK (version > 0),
    master_key_id text NOT NULL,
    wrapped       bytea NOT NULL,
    created_at    timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, version)
);
GRANT SELECT, INSERT ON tenant_keys TO zeugo_app;

CREATE TABLE roles (
    id         uuid PRIMARY KEY,
    tenant_id  uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    areas      text[] NOT NULL DEFAULT '{}',
    builtin    boolean NOT NULL DEFAULT false,
    version    bigint NOT NULL DEFAULT 1,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    UNIQUE (tenant_id, id)
);
CREATE UNIQUE INDEX roles_name_key ON roles (tenant_id, lower(name));
GRANT SELECT, INSERT, UPDATE, DELETE ON roles TO zeugo_app;

CREATE TABLE users (
    id                  uuid PRIMARY KEY,
    tenant_id           uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    -- HMAC-SHA256 of the normalised email under the platform blind-index key:
    -- unique across the platform because login names no tenant.
    email_index         bytea NOT NULL UNIQUE,
    email_enc           bytea NOT NULL,
    first_name_enc      bytea NOT NULL,
    last_name_enc       bytea NOT NULL,
    phone_enc           bytea,
    role_id             uuid NOT NULL,
    status              text NOT NULL CHECK (status IN ('invited', 'active', 'locked', 'deactivated')),
    password_hash       text,
    failed_logins       integer NOT NULL DEFAULT 0 CHECK (failed_logins >= 0),
    locked_at           timestamptz,
    password_changed_at timestamptz,
    last_login_at       timestamptz,
    version             bigint NOT NULL DEFAULT 1,
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL,
    UNIQUE (tenant_id, id),
    FOREIGN KEY (tenant_id, role_id) REFERENCES roles (tenant_id, id)
);
CREATE INDEX users_role_idx ON users (tenant_id, role_id);
GRANT SELECT, INSERT, UPDATE, DELETE ON users TO zeugo_app;

-- auth_find_login maps a blind index to its account before the tenant is
-- known (login names no tenant). It returns ids only and runs with the
-- owner's rights (the owner bypasses RLS): the one function through which
-- zeugo_app reads rows across tenants (audit_ensure_partitions, also
-- SECURITY DEFINER, only creates partitions and reads no rows).
CREATE FUNCTION auth_find_login(p_email_index bytea)
    RETURNS TABLE (tenant_id uuid, user_id uuid)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$ SELECT u.tenant_id, u.id FROM users u WHERE u.email_index = p_email_index $$;
REVOKE ALL ON FUNCTION auth_find_login(bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION auth_find_login(bytea) TO zeugo_app;

CREATE TABLE sessions (
    id                  uuid PRIMARY KEY,
    tenant_id           uuid NOT NULL,
    user_id             uuid NOT NULL,
    created_at          timestamptz NOT NULL,
    last_seen_at        timestamptz NOT NULL,
    idle_expires_at     timestamptz NOT NULL,
    absolute_expires_at timestamptz NOT NULL,
    revoked_at          timestamptz,
    revoke_reason       text,
    UNIQUE (tenant_id, id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX sessions_user_idx ON sessions (tenant_id, user_id);
CREATE INDEX sessions_expiry_idx ON sessions (tenant_id, absolute_expires_at);
GRANT SELECT, INSERT, UPDATE, DELETE ON sessions TO zeugo_app;

-- Every refresh token ever issued for a live session, by SHA-256 of its
-- secret. A token is used at most once; presenting a used one revokes the
-- session (reuse detection).
CREATE TABLE refresh_tokens (
    token_hash  bytea PRIMARY KEY,
    tenant_id   uuid NOT NULL,
    session_id  uuid NOT NULL,
    issued_at   timestamptz NOT NULL,
    used_at     timestamptz,
    FOREIGN KEY (tenant_id, session_id) REFERENCES sessions (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX refresh_tokens_session_idx ON refresh_tokens (tenant_id, session_id);
GRANT SELECT, INSERT, UPDATE, DELETE ON refresh_tokens TO zeugo_app;

-- The audit log: append-only for zeugo_app (INSERT, SELECT), partitioned by
-- day so that expiry drops whole partitions, hash-chained per tenant.
CREATE TABLE audit_events (
    tenant_id      uuid NOT NULL,
    seq            bigint NOT NULL CHECK (seq > 0),
    id             uuid NOT NULL,
    occurred_at    timestamptz NOT NULL,
    actor_type     text NOT NULL,
    actor_id       text NOT NULL DEFAULT '',
    action         text NOT NULL,
    outcome        text NOT NULL,
    target_type    text NOT NULL DEFAULT '',
    target_id      text NOT NULL DEFAULT '',
    ip_enc         bytea,
    user_agent_enc bytea,
    details        text NOT NULL DEFAULT '{}',
    prev_hash      bytea NOT NULL,
    hash           bytea NOT NULL,
    PRIMARY KEY (tenant_id, occurred_at, seq)
) PARTITION BY RANGE (occurred_at);
CREATE TABLE audit_events_default PARTITION OF audit_events DEFAULT;
CREATE INDEX audit_events_seq_idx ON audit_events (tenant_id, seq);
GRANT SELECT, INSERT ON audit_events TO zeugo_app;

-- The head of each tenant's chain. Writers lock this row, which serialises
-- appends per tenant; anchor_* is the last hash before the oldest kept event
-- (moved forward when old partitions expire).
CREATE TABLE audit_chain_heads (
    tenant_id   uuid PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
    seq         bigint NOT NULL,
    hash        bytea NOT NULL,
    anchor_seq  bigint NOT NULL DEFAULT 0,
    anchor_hash bytea NOT NULL
);
GRANT SELECT, INSERT, UPDATE ON audit_chain_heads TO zeugo_app;

-- audit_ensure_partitions creates the daily partitions from p_from for
-- p_days days (idempotent). It runs with the owner's rights because zeugo_app
-- may not create tables; a day whose rows already sit in the default
-- partition is skipped rather than failing the whole call.
-- +goose StatementBegin
CREATE FUNCTION audit_ensure_partitions(p_from date, p_days integer) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
DECLARE
    d date;
    n integer := 0;
    part text;
BEGIN
    IF p_days < 1 OR p_days > 62 THEN
        RAISE EXCEPTION 'p_days out of range';
    END IF;
    FOR i IN 0 .. p_days - 1 LOOP
        d := p_from + i;
        part := format('audit_events_%s', to_char(d, 'YYYYMMDD'));
        IF to_regclass(part) IS NULL THEN
            BEGIN
                EXECUTE format('CREATE TABLE %I PARTITION OF audit_events FOR VALUES FROM (%L) TO (%L)',
                               part, d::timestamp AT TIME ZONE 'UTC', (d + 1)::timestamp AT TIME ZONE 'UTC');
                EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', part);
                EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', part);
                EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id())', part);
                n := n + 1;
            EXCEPTION WHEN check_violation THEN
                -- rows for this day are already in the default partition
                NULL;
            END;
        END IF;
    END LOOP;
    RETURN n;
END $$;
-- +goose StatementEnd
REVOKE ALL ON FUNCTION audit_ensure_partitions(date, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION audit_ensure_partitions(date, integer) TO zeugo_app;

-- Fixed-window counters for rate limits shared by all replicas. Keys are
-- HMACs (never raw IP addresses or emails).
CREATE TABLE rate_limits (
    key          bytea NOT NULL,
    window_start timestamptz NOT NULL,
    hits         integer NOT NULL,
    PRIMARY KEY (key, window_start)
);
GRANT SELECT, INSERT, UPDATE, DELETE ON rate_limits TO zeugo_app;

-- Organisation structure (SPEC §2): legal entities and four dimensions.
CREATE TABLE companies (
    id                 uuid PRIMARY KEY,
    tenant_id          uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name               text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    street             text NOT NULL DEFAULT '',
    postcode           text NOT NULL DEFAULT '',
    city               text NOT NULL DEFAULT '',
    country            text NOT NULL DEFAULT '',
    phone              text NOT NULL DEFAULT '',
    email              text NOT NULL DEFAULT '',
    website            text NOT NULL DEFAULT '',
    register_court     text NOT NULL DEFAULT '',
    register_number    text NOT NULL DEFAULT '',
    vat_id             text NOT NULL DEFAULT '',
    managing_directors text NOT NULL DEFAULT '',
    description        text NOT NULL DEFAULT '',
    version            bigint NOT NULL DEFAULT 1,
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL,
    UNIQUE (tenant_id, id)
);
CREATE UNIQUE INDEX companies_name_key ON companies (tenant_id, lower(name));
GRANT SELECT, INSERT, UPDATE, DELETE ON companies TO zeugo_app;

CREATE TABLE org_units (
    id          uuid PRIMARY KEY,
    tenant_id   uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    kind        text NOT NULL CHECK (kind IN ('location', 'department', 'org_unit', 'employee_type')),
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    description text NOT NULL DEFAULT '',
    version     bigint NOT NULL DEFAULT 1,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    UNIQUE (tenant_id, id)
);
CREATE UNIQUE INDEX org_units_name_key ON org_units (tenant_id, kind, lower(name));
GRANT SELECT, INSERT, UPDATE, DELETE ON org_units TO zeugo_app;

-- Row-level security on every tenant table: forced, so even the owner is
-- subject to it unless it has BYPASSRLS.
-- +goose StatementBegin
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['tenant_keys', 'roles', 'users', 'sessions', 'refresh_tokens',
                             'audit_events', 'audit_events_default', 'audit_chain_heads',
                             'companies', 'org_units'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id())', t);
    END LOOP;
END $$;
-- +goose StatementEnd

-- +goose Down
-- Forward-only: migrations are never rolled back in production.
SELECT 1;
