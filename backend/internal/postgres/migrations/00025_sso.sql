-- +goose Up
-- OpenID Connect single sign-on per tenant (SPEC §3.1 SSO, issue 17 item
-- 7, package sso).
--
-- sso_configs: one identity provider per tenant. The client secret is
-- AES-256-GCM ciphertext under the tenant key (row = tenant id, column
-- "sso_configs.client_secret" as associated data) and never leaves the
-- server. mode 'off' keeps the configuration but routes nobody to it;
-- 'optional' offers SSO beside the password; 'sso_only' refuses password
-- login, password reset and password step-up for the tenant's users.
-- Just-in-time provisioning (off by default) creates an unknown user with
-- jit_role_id on their first SSO login.
CREATE TABLE sso_configs (
    tenant_id          uuid PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
    issuer             text NOT NULL CHECK (length(issuer) BETWEEN 1 AND 500),
    client_id          text NOT NULL CHECK (length(client_id) BETWEEN 1 AND 500),
    client_secret_enc  bytea,
    mode               text NOT NULL DEFAULT 'off' CHECK (mode IN ('off', 'optional', 'sso_only')),
    jit_enabled        boolean NOT NULL DEFAULT false,
    jit_role_id        uuid,
    version            bigint NOT NULL DEFAULT 1 CHECK (version > 0),
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL,
    -- A deleted default role switches provisioning off in effect (the
    -- service provisions only with a role); the setting shows it unset.
    FOREIGN KEY (tenant_id, jit_role_id) REFERENCES roles (tenant_id, id) ON DELETE SET NULL (jit_role_id)
);
ALTER TABLE sso_configs ENABLE ROW LEVEL SECURITY;
ALTER TABLE sso_configs FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON sso_configs USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());
GRANT SELECT, INSERT, UPDATE, DELETE ON sso_configs TO zeugo_app;

-- The email domains (lower case, no "@") whose users the login page sends
-- to the tenant's identity provider. A domain routes to one tenant only:
-- the primary key is unique across tenants (a claim by a second tenant is
-- AlreadyExists). Domains are not personal data and are stored in clear.
CREATE TABLE sso_domains (
    domain     text PRIMARY KEY CHECK (domain ~ '^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$' AND length(domain) <= 253),
    tenant_id  uuid NOT NULL REFERENCES sso_configs (tenant_id) ON DELETE CASCADE
);
CREATE INDEX sso_domains_tenant_idx ON sso_domains (tenant_id);
ALTER TABLE sso_domains ENABLE ROW LEVEL SECURITY;
ALTER TABLE sso_domains FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON sso_domains USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());
GRANT SELECT, INSERT, UPDATE, DELETE ON sso_domains TO zeugo_app;

-- A started SSO login, waiting for the identity provider's callback. The
-- state parameter is a secretlink token (tenant id + 256 random bits); only
-- the SHA-256 of its secret is stored. browser_hash is the SHA-256 of the
-- random value of the __Host- cookie the start set in the browser that
-- started it, so a callback from another browser (login CSRF, a leaked
-- link) is refused. The nonce is stored as its SHA-256; the PKCE verifier
-- is sealed with the tenant key (row id, "sso_logins.verifier"). Single
-- use (used_at), short-lived (expires_at), swept a day after.
CREATE TABLE sso_logins (
    tenant_id     uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id            uuid NOT NULL,
    state_hash    bytea NOT NULL UNIQUE,
    browser_hash  bytea NOT NULL,
    nonce_hash    bytea NOT NULL,
    verifier_enc  bytea NOT NULL,
    -- The issuer the login started with: a callback after the tenant
    -- changed its identity provider is refused (no code of one provider
    -- is ever sent to another).
    issuer        text NOT NULL,
    created_at    timestamptz NOT NULL,
    expires_at    timestamptz NOT NULL,
    used_at       timestamptz,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX sso_logins_expiry_idx ON sso_logins (tenant_id, expires_at);
ALTER TABLE sso_logins ENABLE ROW LEVEL SECURITY;
ALTER TABLE sso_logins FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON sso_logins USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());
GRANT SELECT, INSERT, UPDATE, DELETE ON sso_logins TO zeugo_app;

-- The identity (issuer + "sub" claim) a user first signed in with. Users
-- are matched by verified email; once matched, the user is bound to that
-- provider's subject, so an address that the provider later gives to
-- another person (a re-used mailbox, a renamed account) does not open the
-- first one's account (ASVS V10.5.2). The subject is stored as an HMAC
-- under the platform blind-index key (it identifies a person at the
-- provider). Removing a user's row unbinds it (an administrator's repair).
CREATE TABLE sso_identities (
    tenant_id    uuid NOT NULL,
    user_id      uuid NOT NULL,
    issuer       text NOT NULL,
    subject_mac  bytea NOT NULL CHECK (length(subject_mac) = 32),
    created_at   timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, user_id, issuer),
    UNIQUE (tenant_id, issuer, subject_mac),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
);
ALTER TABLE sso_identities ENABLE ROW LEVEL SECURITY;
ALTER TABLE sso_identities FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON sso_identities USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());
GRANT SELECT, INSERT, UPDATE, DELETE ON sso_identities TO zeugo_app;

-- sso_find_tenant maps an email domain or a tenant slug to the tenant whose
-- SSO the login page may start, before any tenant is known (like
-- auth_find_login). It returns the tenant id only, and only when that
-- tenant may sign in (active, or terminated: read-only until purged, like
-- a password login) and its SSO is not 'off': an unknown domain, an
-- unknown slug, a tenant without SSO and a purged one look alike (NULL).
CREATE FUNCTION sso_find_tenant(p_domain text, p_slug text)
    RETURNS uuid
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$ SELECT c.tenant_id FROM sso_configs c JOIN tenants t ON t.id = c.tenant_id
          WHERE c.mode <> 'off' AND t.status IN ('active', 'terminated')
            AND ((p_domain <> '' AND c.tenant_id = (SELECT d.tenant_id FROM sso_domains d WHERE d.domain = p_domain))
              OR (p_slug <> '' AND t.slug = p_slug))
          LIMIT 1 $$;
REVOKE ALL ON FUNCTION sso_find_tenant(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION sso_find_tenant(text, text) TO zeugo_app;

-- +goose Down
DROP FUNCTION sso_find_tenant(text, text);
DROP TABLE sso_identities;
DROP TABLE sso_logins;
DROP TABLE sso_domains;
DROP TABLE sso_configs;
