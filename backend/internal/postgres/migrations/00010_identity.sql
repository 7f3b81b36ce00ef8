-- +goose Up
-- Identity (SPEC §3.1–3.3): per-user certificate access, the version the
-- session check compares, single-use links (registration, reset), and the
-- tenant's security settings.

-- An email is unique within its tenant, not across the platform: inviting
-- an address that another tenant uses must neither fail nor tell the
-- inviter that the address exists elsewhere (SPEC §3.1, no account
-- enumeration). Login names no tenant, so auth_find_login may now return
-- several accounts; the password decides which (package auth).
ALTER TABLE users DROP CONSTRAINT users_email_index_key;
CREATE UNIQUE INDEX users_email_key ON users (tenant_id, email_index);
CREATE INDEX users_email_index_idx ON users (email_index);

-- Certificate access (SPEC §3.3): access_all, or the AND of the listed
-- dimensions (an empty list leaves its dimension free). A user that is not
-- access_all and lists nothing sees nothing (deny by default). The ids point
-- into companies and org_units; the service checks them on every write.
ALTER TABLE users
    ADD COLUMN access_all            boolean NOT NULL DEFAULT true,
    ADD COLUMN access_companies      uuid[] NOT NULL DEFAULT '{}',
    ADD COLUMN access_locations      uuid[] NOT NULL DEFAULT '{}',
    ADD COLUMN access_departments    uuid[] NOT NULL DEFAULT '{}',
    ADD COLUMN access_org_units      uuid[] NOT NULL DEFAULT '{}',
    ADD COLUMN access_employee_types uuid[] NOT NULL DEFAULT '{}',
    -- authz_version grows with every change of what the user may do (role,
    -- certificate access, state). A session check made on a remembered
    -- principal compares it (and the role's version and the tenant's
    -- state), so a call decided on stale rights aborts with everything
    -- pipelined behind its check and is decided again (package auth).
    ADD COLUMN authz_version         bigint NOT NULL DEFAULT 1,
    -- The language of the user's emails.
    ADD COLUMN language              text NOT NULL DEFAULT 'de' CHECK (language IN ('de', 'en')),
    ADD COLUMN invited_by            uuid,
    ADD COLUMN invited_at            timestamptz,
    ADD COLUMN deactivated_at        timestamptz;

-- Tenant security settings (area Datenschutz). Bounds are the operator's:
-- password length 8–128, links up to 7 days, timeouts within the bounds
-- checked again by the service.
ALTER TABLE tenants
    ADD COLUMN password_min_length      integer NOT NULL DEFAULT 8 CHECK (password_min_length BETWEEN 8 AND 128),
    ADD COLUMN password_composition     boolean NOT NULL DEFAULT true,
    ADD COLUMN invitation_ttl_hours     integer NOT NULL DEFAULT 72 CHECK (invitation_ttl_hours BETWEEN 1 AND 168),
    ADD COLUMN session_idle_minutes     integer NOT NULL DEFAULT 30 CHECK (session_idle_minutes BETWEEN 5 AND 480),
    ADD COLUMN session_absolute_hours   integer NOT NULL DEFAULT 12 CHECK (session_absolute_hours BETWEEN 1 AND 24),
    ADD COLUMN settings_version         bigint NOT NULL DEFAULT 1;
GRANT UPDATE (password_min_length, password_composition, invitation_ttl_hours, session_idle_minutes,
    session_absolute_hours, settings_version, mail_sender_name) ON tenants TO zeugo_app;
-- RLS on tenants (00002) admits the own row only, for updates too.

-- Single-use links that carry a secret (registration, password reset). The
-- secret is in the link's fragment; only its SHA-256 is stored. A link is
-- used at most once; a new link of the same purpose for the same user
-- replaces the old one.
CREATE TABLE user_links (
    tenant_id  uuid NOT NULL,
    id         uuid NOT NULL,
    user_id    uuid NOT NULL,
    purpose    text NOT NULL CHECK (purpose IN ('invitation', 'reset')),
    token_hash bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    used_at    timestamptz,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE,
    CHECK (expires_at > created_at)
);
CREATE INDEX user_links_user_idx ON user_links (tenant_id, user_id, purpose);
CREATE INDEX user_links_expiry_idx ON user_links (tenant_id, expires_at);
ALTER TABLE user_links ENABLE ROW LEVEL SECURITY;
ALTER TABLE user_links FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON user_links USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());
GRANT SELECT, INSERT, UPDATE, DELETE ON user_links TO zeugo_app;

-- A list of users per state, in name order is not possible on ciphertext;
-- lists sort by creation and filter by state.
CREATE INDEX users_list_created_idx ON users (tenant_id, created_at, id);
CREATE INDEX users_list_status_idx ON users (tenant_id, status, created_at, id);

-- +goose Down
DROP INDEX users_list_status_idx;
DROP INDEX users_list_created_idx;
DROP TABLE user_links;
REVOKE UPDATE ON tenants FROM zeugo_app;
ALTER TABLE tenants
    DROP COLUMN settings_version,
    DROP COLUMN session_absolute_hours,
    DROP COLUMN session_idle_minutes,
    DROP COLUMN invitation_ttl_hours,
    DROP COLUMN password_composition,
    DROP COLUMN password_min_length;
ALTER TABLE users
    DROP COLUMN deactivated_at,
    DROP COLUMN invited_at,
    DROP COLUMN invited_by,
    DROP COLUMN language,
    DROP COLUMN authz_version,
    DROP COLUMN access_employee_types,
    DROP COLUMN access_org_units,
    DROP COLUMN access_departments,
    DROP COLUMN access_locations,
    DROP COLUMN access_companies,
    DROP COLUMN access_all;
DROP INDEX users_email_index_idx;
DROP INDEX users_email_key;
ALTER TABLE users ADD CONSTRAINT users_email_index_key UNIQUE (email_index);
