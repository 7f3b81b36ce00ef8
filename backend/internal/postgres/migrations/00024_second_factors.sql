-- +goose Up
-- Second factors (SPEC §3.1, package mfa): a user's authenticator apps
-- (TOTP, RFC 6238) and recovery codes, the login attempts that wait for a
-- second factor, and the step-up mark of a session. Passkeys and SMS codes
-- join the kinds when they are built.

-- A user's second factor. A TOTP secret is sealed with the tenant key
-- (associated data: the factor's id and column). A row without
-- confirmed_at is an enrollment that waits for its first code; it lapses
-- after ten minutes and is swept.
CREATE TABLE user_factors (
    id           uuid PRIMARY KEY,
    tenant_id    uuid NOT NULL,
    user_id      uuid NOT NULL,
    kind         text NOT NULL CHECK (kind IN ('totp')),
    -- The name the user gave it ("Handy"), encrypted: it may name a person.
    name_enc     bytea NOT NULL,
    secret_enc   bytea NOT NULL,
    -- The last TOTP time step accepted: a code is good once (RFC 6238 §5.2).
    last_step    bigint NOT NULL DEFAULT 0,
    created_at   timestamptz NOT NULL,
    confirmed_at timestamptz,
    last_used_at timestamptz,
    UNIQUE (tenant_id, id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX user_factors_user_idx ON user_factors (tenant_id, user_id);
CREATE INDEX user_factors_pending_idx ON user_factors (created_at) WHERE confirmed_at IS NULL;
ALTER TABLE user_factors ENABLE ROW LEVEL SECURITY;
ALTER TABLE user_factors FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON user_factors USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());
GRANT SELECT, INSERT, UPDATE, DELETE ON user_factors TO zeugo_app;

-- A user's recovery codes: ten at a time, each good once, stored as a
-- keyed MAC (the key is not in the database) bound to the user.
CREATE TABLE recovery_codes (
    tenant_id  uuid NOT NULL,
    user_id    uuid NOT NULL,
    code_mac   bytea NOT NULL,
    created_at timestamptz NOT NULL,
    used_at    timestamptz,
    PRIMARY KEY (tenant_id, user_id, code_mac),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
);
ALTER TABLE recovery_codes ENABLE ROW LEVEL SECURITY;
ALTER TABLE recovery_codes FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON recovery_codes USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());
GRANT SELECT, INSERT, UPDATE, DELETE ON recovery_codes TO zeugo_app;

-- A login whose password was right and that waits for its second factor
-- (or, where the tenant requires one and the user has none, for its
-- enrollment). The client holds the secret; only its SHA-256 is stored.
-- Short-lived, single-use, dead after five wrong codes.
CREATE TABLE login_challenges (
    id                uuid PRIMARY KEY,
    tenant_id         uuid NOT NULL,
    user_id           uuid NOT NULL,
    secret_hash       bytea NOT NULL UNIQUE,
    -- True when the user must enroll a factor before the session starts.
    enrollment        boolean NOT NULL,
    -- The factor being enrolled in this attempt (enrollment only).
    pending_factor_id uuid,
    created_at        timestamptz NOT NULL,
    expires_at        timestamptz NOT NULL,
    failures          int NOT NULL DEFAULT 0 CHECK (failures BETWEEN 0 AND 5),
    used_at           timestamptz,
    UNIQUE (tenant_id, id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, pending_factor_id) REFERENCES user_factors (tenant_id, id) ON DELETE SET NULL (pending_factor_id)
);
CREATE INDEX login_challenges_expiry_idx ON login_challenges (expires_at);
ALTER TABLE login_challenges ENABLE ROW LEVEL SECURITY;
ALTER TABLE login_challenges FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON login_challenges USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());
GRANT SELECT, INSERT, UPDATE, DELETE ON login_challenges TO zeugo_app;

-- The tenant's "second factor required" (area Datenschutz) is tenants.
-- require_mfa (migration 00001); administrators change it.
GRANT UPDATE (require_mfa) ON tenants TO zeugo_app;

-- When the session last proved a second factor (or, for a user without
-- one, the password): changing factors needs a recent proof (step-up).
ALTER TABLE sessions ADD COLUMN step_up_at timestamptz;

-- +goose Down
REVOKE UPDATE (require_mfa) ON tenants FROM zeugo_app;
ALTER TABLE sessions DROP COLUMN step_up_at;
DROP TABLE login_challenges;
DROP TABLE recovery_codes;
DROP TABLE user_factors;
