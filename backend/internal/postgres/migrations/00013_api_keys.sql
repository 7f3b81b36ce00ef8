-- +goose Up
-- API keys (SPEC §3.1 "API keys", area Schnittstellen): HR systems and
-- scripts call the API with `Authorization: Bearer zk_<tenant>_<prefix>_<secret>`.
-- The token names its tenant, so the per-call check opens a transaction
-- bound to that tenant (row-level security) before it knows anything else,
-- like refresh tokens and single-use links.
--
-- Only the SHA-256 of the secret is stored. The secret is 32 random bytes
-- (256 bits): nobody can guess it or brute-force a stolen hash, so a slow
-- password hash (argon2id) would add no protection — it exists for
-- low-entropy secrets people choose — but would cost milliseconds of CPU on
-- every check of the key and hand anyone who sends made-up keys a cheap way
-- to burn the server's CPU.
--
-- A key acts for its user (user_id, the user who created it) and never
-- exceeds that user: the per-call check reads the user's role areas,
-- certificate access and state like the session check, so deactivating the
-- user stops the key on its very next call.
CREATE TABLE api_keys (
    tenant_id     uuid NOT NULL,
    id            uuid NOT NULL,
    -- The user the key acts for (its creator).
    user_id       uuid NOT NULL,
    name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    -- The public part of the token after the tenant, shown in lists so that
    -- people can tell which key a system holds; lower-case base32.
    prefix        text NOT NULL CHECK (prefix ~ '^[a-z2-7]{12}$'),
    secret_hash   bytea NOT NULL CHECK (length(secret_hash) = 32),
    -- "<service>:read" or "<service>:write" (write implies read), e.g.
    -- "organization:read"; checked against the rpc rules on every call.
    scopes        text[] NOT NULL CHECK (cardinality(scopes) BETWEEN 1 AND 50),
    expires_at    timestamptz,
    -- Empty: any address; else the client address must lie in one of them.
    allowed_cidrs cidr[] NOT NULL DEFAULT '{}' CHECK (cardinality(allowed_cidrs) <= 20),
    created_at    timestamptz NOT NULL,
    created_by    uuid NOT NULL,
    -- Written at most once a minute per key (with the bounded "used" event).
    last_used_at  timestamptz,
    revoked_at    timestamptz,
    revoked_by    uuid,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, prefix),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, created_by) REFERENCES users (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, revoked_by) REFERENCES users (tenant_id, id) ON DELETE SET NULL (revoked_by),
    CHECK (expires_at IS NULL OR expires_at > created_at),
    CHECK (revoked_by IS NULL OR revoked_at IS NOT NULL)
);
CREATE INDEX api_keys_list_created_idx ON api_keys (tenant_id, created_at, id);
CREATE INDEX api_keys_list_name_idx ON api_keys (tenant_id, lower(name), id);
CREATE INDEX api_keys_user_idx ON api_keys (tenant_id, user_id);
CREATE INDEX api_keys_created_by_idx ON api_keys (tenant_id, created_by);
CREATE INDEX api_keys_revoked_by_idx ON api_keys (tenant_id, revoked_by);
ALTER TABLE api_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE api_keys FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON api_keys USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());
-- Keys are revoked, never edited or deleted by the application.
GRANT SELECT, INSERT ON api_keys TO zeugo_app;
GRANT UPDATE (last_used_at, revoked_at, revoked_by) ON api_keys TO zeugo_app;

-- +goose Down
DROP TABLE api_keys;
