-- +goose Up
-- Branding (SPEC §3.2 area Individualisierung, package branding): the
-- accent colour and the logo the SPA shows the tenant's users. The sender
-- name of its mails stays where migration 00009 put it (tenants). One row
-- per tenant that has set anything; none: Zeugo's own colours, no logo.
-- logo_png is the upload as package logo re-encoded it (at most 512 px per
-- side, a fresh PNG of the pixels); accent is a colour that white text on it
-- and it as text on white both read at 4.5:1 or better (WCAG AA), checked
-- by the service.
CREATE TABLE tenant_branding (
    tenant_id    uuid PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
    accent       text CHECK (accent ~ '^#[0-9a-f]{6}$'),
    logo_png     bytea CHECK (octet_length(logo_png) <= 1048576),
    logo_width   integer NOT NULL DEFAULT 0 CHECK (logo_width BETWEEN 0 AND 512),
    logo_height  integer NOT NULL DEFAULT 0 CHECK (logo_height BETWEEN 0 AND 512),
    version      bigint NOT NULL CHECK (version > 0),
    updated_at   timestamptz NOT NULL,
    updated_by   uuid,
    CHECK ((logo_png IS NULL) = (logo_width = 0) AND (logo_png IS NULL) = (logo_height = 0))
);
ALTER TABLE tenant_branding ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenant_branding FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tenant_branding USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());
GRANT SELECT, INSERT, UPDATE, DELETE ON tenant_branding TO zeugo_app;

-- +goose Down
DROP TABLE tenant_branding;
