-- +goose Up
-- Handovers (SPEC §6, package handover): HR hands one certificate to a
-- named recipient with rights per section. The link names the handover by
-- its id (128 random bits, not a UUIDv7: nothing about it may be guessed
-- or ordered) and carries a secret of 128 random bits in its fragment;
-- only the secret's SHA-256 is stored. Opening the link (with a one-time
-- code when the handover asks for one) starts a recipient session bound to
-- that handover alone.

-- The tenant's privacy settings for handovers (area Datenschutz): a
-- one-time code for every handover, and the channels codes may use.
ALTER TABLE tenants
    ADD COLUMN handover_code_required boolean NOT NULL DEFAULT false,
    ADD COLUMN handover_code_channels text[] NOT NULL DEFAULT '{email,sms}'
        CHECK (handover_code_channels <@ ARRAY['email', 'sms']::text[] AND cardinality(handover_code_channels) > 0);
GRANT UPDATE (handover_code_required, handover_code_channels) ON tenants TO zeugo_app;

CREATE TABLE handovers (
    id                  uuid PRIMARY KEY,
    tenant_id           uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    certificate_id      uuid NOT NULL,
    -- The HR user who handed it over (NULL once that user is deleted).
    created_by          uuid,
    created_at          timestamptz NOT NULL,
    -- The recipient, encrypted (associated data: id + column).
    recipient_name_enc  bytea NOT NULL,
    recipient_email_enc bytea NOT NULL,
    recipient_phone_enc bytea,
    -- HR's message to the recipient (in the handover mail), encrypted.
    message_enc         bytea,
    language            text NOT NULL CHECK (language IN ('de', 'en')),
    -- The sections the recipient may read and write (write implies read).
    read_sections       text[] NOT NULL,
    write_sections      text[] NOT NULL,
    download            boolean NOT NULL,
    -- The one-time code's channel when opening needs one (NULL: no code).
    code_channel        text CHECK (code_channel IN ('email', 'sms')),
    secret_hash         bytea NOT NULL,
    expires_at          timestamptz NOT NULL,
    sent_at             timestamptz NOT NULL,
    opened_at           timestamptz,
    completed_at        timestamptz,
    revoked_at          timestamptz,
    version             bigint NOT NULL DEFAULT 1 CHECK (version > 0),
    UNIQUE (tenant_id, id),
    CONSTRAINT handovers_write_read CHECK (write_sections <@ read_sections),
    CONSTRAINT handovers_code_phone CHECK (code_channel IS DISTINCT FROM 'sms' OR recipient_phone_enc IS NOT NULL),
    FOREIGN KEY (tenant_id, certificate_id) REFERENCES certificates (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, created_by) REFERENCES users (tenant_id, id) ON DELETE SET NULL (created_by)
);
CREATE INDEX handovers_certificate_idx ON handovers (tenant_id, certificate_id, created_at);
ALTER TABLE handovers ENABLE ROW LEVEL SECURITY;
ALTER TABLE handovers FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON handovers USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());
GRANT SELECT, INSERT, UPDATE ON handovers TO zeugo_app;

-- An opening that waits for its one-time code: the code's keyed MAC, and
-- the wrong codes so far (the fifth ends the attempt).
CREATE TABLE handover_attempts (
    id          uuid PRIMARY KEY,
    tenant_id   uuid NOT NULL,
    handover_id uuid NOT NULL,
    code_mac    bytea NOT NULL,
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    failures    int NOT NULL DEFAULT 0 CHECK (failures BETWEEN 0 AND 5),
    used_at     timestamptz,
    FOREIGN KEY (tenant_id, handover_id) REFERENCES handovers (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX handover_attempts_idx ON handover_attempts (tenant_id, handover_id);
CREATE INDEX handover_attempts_expiry_idx ON handover_attempts (expires_at);
ALTER TABLE handover_attempts ENABLE ROW LEVEL SECURITY;
ALTER TABLE handover_attempts FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON handover_attempts USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());
GRANT SELECT, INSERT, UPDATE, DELETE ON handover_attempts TO zeugo_app;

-- A recipient session: its bearer token's secret as SHA-256, bound to one
-- handover. Short-lived; ends with the handover (revoked, completed,
-- expired — checked on every call).
CREATE TABLE handover_sessions (
    id          uuid PRIMARY KEY,
    tenant_id   uuid NOT NULL,
    handover_id uuid NOT NULL,
    secret_hash bytea NOT NULL,
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    FOREIGN KEY (tenant_id, handover_id) REFERENCES handovers (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX handover_sessions_handover_idx ON handover_sessions (tenant_id, handover_id);
CREATE INDEX handover_sessions_expiry_idx ON handover_sessions (expires_at);
ALTER TABLE handover_sessions ENABLE ROW LEVEL SECURITY;
ALTER TABLE handover_sessions FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON handover_sessions USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());
GRANT SELECT, INSERT, DELETE ON handover_sessions TO zeugo_app;

-- handover_tenant names the tenant of a handover id before a transaction
-- can be bound to it (the link names no tenant). Like auth_find_login it
-- returns an id only and runs with the owner's rights.
CREATE FUNCTION handover_tenant(p_id uuid)
    RETURNS uuid
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$ SELECT h.tenant_id FROM handovers h WHERE h.id = p_id $$;
REVOKE ALL ON FUNCTION handover_tenant(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION handover_tenant(uuid) TO zeugo_app;

-- +goose Down
DROP FUNCTION handover_tenant(uuid);
DROP TABLE handover_sessions;
DROP TABLE handover_attempts;
DROP TABLE handovers;
ALTER TABLE tenants DROP COLUMN handover_code_channels, DROP COLUMN handover_code_required;
