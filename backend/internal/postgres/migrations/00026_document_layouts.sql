-- +goose Up
-- Document layouts (SPEC §3.2 area Zeugnisformatierung, package layout): one
-- per company that has its own; a company without a row prints in the
-- default layout with letterhead and footer from its own data.
--
-- settings is the layout's JSON (layout.Settings: margins, typeface, size,
-- letterhead and footer lines, place, date format, signature block); it is
-- the tenant's own document design, not personal data. logo_png is the
-- logo as the server re-encoded it (decoded completely, at most 1200 px per
-- side, written anew as PNG): no byte of an uploaded file reaches a PDF.
-- version rises with every change; writes name the version they read.
CREATE TABLE document_layouts (
    tenant_id    uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    company_id   uuid NOT NULL,
    settings     jsonb NOT NULL CHECK (jsonb_typeof(settings) = 'object' AND length(settings::text) <= 16384),
    logo_png     bytea CHECK (octet_length(logo_png) <= 4194304),
    logo_width   integer NOT NULL DEFAULT 0 CHECK (logo_width BETWEEN 0 AND 1200),
    logo_height  integer NOT NULL DEFAULT 0 CHECK (logo_height BETWEEN 0 AND 1200),
    version      bigint NOT NULL CHECK (version > 0),
    updated_at   timestamptz NOT NULL,
    updated_by   uuid,
    PRIMARY KEY (tenant_id, company_id),
    FOREIGN KEY (tenant_id, company_id) REFERENCES companies (tenant_id, id) ON DELETE CASCADE,
    CHECK ((logo_png IS NULL) = (logo_width = 0) AND (logo_png IS NULL) = (logo_height = 0))
);
ALTER TABLE document_layouts ENABLE ROW LEVEL SECURITY;
ALTER TABLE document_layouts FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON document_layouts USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());
GRANT SELECT, INSERT, UPDATE, DELETE ON document_layouts TO zeugo_app;

-- +goose Down
DROP TABLE document_layouts;
