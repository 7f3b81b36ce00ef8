-- +goose Up
-- Self-service (SPEC §3.2 area Self-Service, package selfservice): a
-- tenant publishes a request form per company at /s/<public id>; an
-- employee asks for a reference there and confirms their email address
-- with a one-time code; HR finds the request in an inbox, matches it to an
-- employee and turns it into a draft certificate or declines it.
--
-- Nothing of an unconfirmed request is stored here: until the code is
-- confirmed the request travels as an AEAD-sealed token held by the
-- requester's browser (see selfservice/pending.go). A row in
-- selfservice_requests therefore always has a confirmed email address.

-- One form per company. public_id is 128 bits from crypto/rand as 32 hex
-- characters: the only thing that makes the form reachable. It is not a
-- secret in the sense of a password (it is published to the employees, and
-- HR must be able to copy the URL again), so it is stored in clear; HR can
-- rotate it when it has leaked beyond the staff. The intro is the tenant's
-- own text, not personal data.
CREATE TABLE selfservice_forms (
    tenant_id   uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id          uuid NOT NULL,
    public_id   text NOT NULL UNIQUE CHECK (public_id ~ '^[0-9a-f]{32}$'),
    company_id  uuid NOT NULL,
    enabled     boolean NOT NULL DEFAULT true,
    intro       text NOT NULL DEFAULT '' CHECK (length(intro) <= 2000),
    version     bigint NOT NULL DEFAULT 1 CHECK (version > 0),
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, company_id),
    FOREIGN KEY (tenant_id, company_id) REFERENCES companies (tenant_id, id) ON DELETE CASCADE
);
ALTER TABLE selfservice_forms ENABLE ROW LEVEL SECURITY;
ALTER TABLE selfservice_forms FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON selfservice_forms USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());
GRANT SELECT, INSERT, UPDATE, DELETE ON selfservice_forms TO zeugo_app;

-- selfservice_form_tenant maps a form's public id to its tenant before the
-- tenant is known (the public form names no tenant), like auth_find_login:
-- it returns the tenant id only, and only for an enabled form of an active
-- tenant, so an unknown, disabled and foreign form look alike.
CREATE FUNCTION selfservice_form_tenant(p_public_id text)
    RETURNS uuid
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$ SELECT f.tenant_id FROM selfservice_forms f JOIN tenants t ON t.id = f.tenant_id
          WHERE f.public_id = p_public_id AND f.enabled AND t.status = 'active' $$;
REVOKE ALL ON FUNCTION selfservice_form_tenant(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION selfservice_form_tenant(text) TO zeugo_app;

-- A confirmed request. Its id is the id of the pending token it was
-- confirmed from, so a token stores at most one row. Names, email,
-- personnel number, the reason and HR's decline message are AES-256-GCM
-- ciphertext under the tenant key with the row id and column as
-- associated data. The form may be deleted later (form_id then NULL); the
-- company stays, as it decides who may see the request.
CREATE TABLE selfservice_requests (
    tenant_id             uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id                    uuid NOT NULL,
    form_id               uuid,
    company_id            uuid NOT NULL,
    kind                  text NOT NULL CHECK (kind IN ('final', 'interim', 'apprenticeship', 'simple')),
    language              text NOT NULL CHECK (language IN ('de', 'en')),
    wished_date           date,
    first_name_enc        bytea NOT NULL,
    last_name_enc         bytea NOT NULL,
    email_enc             bytea NOT NULL,
    personnel_number_enc  bytea,
    reason_enc            bytea NOT NULL,
    state                 text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'converted', 'declined')),
    certificate_id        uuid,
    decline_message_enc   bytea,
    -- The HR user (or other actor of decided_by_kind) who converted or
    -- declined it.
    decided_by_kind       text,
    decided_by            uuid,
    decided_at            timestamptz,
    created_at            timestamptz NOT NULL,
    version               bigint NOT NULL DEFAULT 1 CHECK (version > 0),
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT selfservice_requests_decided CHECK ((state = 'open') = (decided_at IS NULL)),
    CONSTRAINT selfservice_requests_declined CHECK ((state = 'declined') = (decline_message_enc IS NOT NULL)),
    FOREIGN KEY (tenant_id, form_id) REFERENCES selfservice_forms (tenant_id, id) ON DELETE SET NULL (form_id),
    FOREIGN KEY (tenant_id, company_id) REFERENCES companies (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, certificate_id) REFERENCES certificates (tenant_id, id) ON DELETE SET NULL (certificate_id)
);
CREATE INDEX selfservice_requests_created_idx ON selfservice_requests (tenant_id, created_at, id);
CREATE INDEX selfservice_requests_state_idx ON selfservice_requests (tenant_id, state, created_at, id);
ALTER TABLE selfservice_requests ENABLE ROW LEVEL SECURITY;
ALTER TABLE selfservice_requests FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON selfservice_requests USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());
GRANT SELECT, INSERT, UPDATE, DELETE ON selfservice_requests TO zeugo_app;

-- +goose Down
DROP TABLE selfservice_requests;
DROP FUNCTION selfservice_form_tenant(text);
DROP TABLE selfservice_forms;
