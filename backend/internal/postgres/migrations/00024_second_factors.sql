-- +goose Up
-- Second factors (SPEC §3.1, package mfa): a user's authenticator apps
-- (TOTP, RFC 6238), passkeys and security keys (WebAuthn) and recovery
-- codes, SMS codes to a verified number, the login attempts that wait for
-- a second factor, the WebAuthn ceremonies in flight, and the step-up mark
-- of a session.

-- A user's second factor. A TOTP secret, a WebAuthn credential record
-- (public key, sign count, flags) or an SMS factor's verified number is
-- sealed with the tenant key
-- (associated data: the factor's id and column); a credential's id stays
-- in clear for the lookup. A row without confirmed_at is an enrollment
-- that waits for its first code; it lapses after ten minutes and is
-- swept.
CREATE TABLE user_factors (
    id           uuid PRIMARY KEY,
    tenant_id    uuid NOT NULL,
    user_id      uuid NOT NULL,
    kind         text NOT NULL CHECK (kind IN ('totp', 'webauthn', 'sms')),
    -- The name the user gave it ("Handy"), encrypted: it may name a person.
    name_enc     bytea NOT NULL,
    secret_enc   bytea NOT NULL,
    credential_id bytea CHECK ((kind = 'webauthn') = (credential_id IS NOT NULL)),
    -- An SMS factor's outstanding code: a keyed MAC bound to the factor and
    -- to what it answers (a login challenge, a session's step-up, the
    -- enrollment), valid five minutes, used once.
    code_mac        bytea,
    code_expires_at timestamptz,
    -- The last TOTP time step accepted: a code is good once (RFC 6238 §5.2).
    last_step    bigint NOT NULL DEFAULT 0,
    created_at   timestamptz NOT NULL,
    confirmed_at timestamptz,
    last_used_at timestamptz,
    UNIQUE (tenant_id, id),
    UNIQUE (tenant_id, credential_id),
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
    -- SMS codes sent for this login (at most three).
    sms_sent          int NOT NULL DEFAULT 0 CHECK (sms_sent BETWEEN 0 AND 3),
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
-- Which kinds of factor its users may add is the tenant's choice too.
ALTER TABLE tenants ADD COLUMN mfa_methods text[] NOT NULL DEFAULT '{totp,webauthn}'
    CHECK (mfa_methods <@ ARRAY['totp', 'webauthn', 'sms']::text[] AND cardinality(mfa_methods) > 0);
-- And whether they may sign in with a passkey alone (passwordless: the
-- passkey is possession, its user verification the second factor).
ALTER TABLE tenants ADD COLUMN passkey_login boolean NOT NULL DEFAULT false;
GRANT UPDATE (require_mfa, mfa_methods, passkey_login) ON tenants TO zeugo_app;

-- A WebAuthn ceremony between its options and the authenticator's answer:
-- the challenge and what it was issued for (sealed), bound to the session
-- that registers or steps up, or to the login challenge it answers.
-- Single-use, a few minutes.
CREATE TABLE webauthn_ceremonies (
    id           uuid PRIMARY KEY,
    tenant_id    uuid NOT NULL,
    user_id      uuid NOT NULL,
    purpose      text NOT NULL CHECK (purpose IN ('register', 'step_up', 'login')),
    session_id   uuid,
    challenge_id uuid,
    data_enc     bytea NOT NULL,
    expires_at   timestamptz NOT NULL,
    used_at      timestamptz,
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, challenge_id) REFERENCES login_challenges (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX webauthn_ceremonies_expiry_idx ON webauthn_ceremonies (tenant_id, expires_at);
ALTER TABLE webauthn_ceremonies ENABLE ROW LEVEL SECURITY;
ALTER TABLE webauthn_ceremonies FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON webauthn_ceremonies USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());
GRANT SELECT, INSERT, UPDATE, DELETE ON webauthn_ceremonies TO zeugo_app;

-- A passwordless sign-in's WebAuthn challenge, before any tenant is known:
-- a random challenge and the relying party, nothing of a person (hence
-- no tenant_id). Single-use, five minutes.
CREATE TABLE passkey_login_ceremonies (
    id         uuid PRIMARY KEY,
    data       jsonb NOT NULL,
    expires_at timestamptz NOT NULL,
    used_at    timestamptz
);
CREATE INDEX passkey_login_ceremonies_expiry_idx ON passkey_login_ceremonies (expires_at);
GRANT SELECT, INSERT, UPDATE, DELETE ON passkey_login_ceremonies TO zeugo_app;

-- passkey_owner names the tenant and user of a passkey by its credential
-- id (the authenticator's answer names no tenant), only where the tenant
-- allows passwordless sign-in. Like auth_find_login it returns ids only
-- and runs with the owner's rights; the signature is checked inside the
-- tenant.
CREATE FUNCTION passkey_owner(p_credential bytea)
    RETURNS TABLE (tenant_id uuid, user_id uuid)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$ SELECT f.tenant_id, f.user_id FROM user_factors f JOIN tenants t ON t.id = f.tenant_id
          WHERE f.credential_id = p_credential AND f.kind = 'webauthn' AND f.confirmed_at IS NOT NULL
            AND t.passkey_login AND t.status IN ('active', 'terminated') LIMIT 2 $$;
REVOKE ALL ON FUNCTION passkey_owner(bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION passkey_owner(bytea) TO zeugo_app;

-- When the session last proved a second factor (or, for a user without
-- one, the password): changing factors needs a recent proof (step-up).
ALTER TABLE sessions ADD COLUMN step_up_at timestamptz;

-- +goose Down
DROP FUNCTION passkey_owner(bytea);
DROP TABLE passkey_login_ceremonies;
REVOKE UPDATE (require_mfa, mfa_methods, passkey_login) ON tenants FROM zeugo_app;
ALTER TABLE tenants DROP COLUMN passkey_login, DROP COLUMN mfa_methods;
ALTER TABLE sessions DROP COLUMN step_up_at;
DROP TABLE webauthn_ceremonies;
DROP TABLE login_challenges;
DROP TABLE recovery_codes;
DROP TABLE user_factors;
