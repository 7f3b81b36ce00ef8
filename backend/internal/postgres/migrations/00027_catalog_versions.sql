-- +goose Up
-- A tenant's catalogue (SPEC §5.1, issue 18 items 1–3 and 6, package
-- tenantcatalog): the shipped default catalogue with the tenant's changes
-- laid over it. Every change stores a new version holding the complete
-- overlay (what the tenant replaced, added or hid; small JSON), so that a
-- certificate that records the version it was generated from can be
-- regenerated word for word, and the history says what changed. Version 0
-- is the default catalogue alone and has no row. A change carries the
-- version the client read; two writers of the same next version collide
-- on the primary key (a concurrent change). Catalogue texts are the
-- tenant's wording, not personal data, and are stored in clear.
CREATE TABLE catalog_versions (
    tenant_id   uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    version     bigint NOT NULL CHECK (version > 0),
    overlay     jsonb NOT NULL CHECK (jsonb_typeof(overlay) = 'object' AND octet_length(overlay::text) <= 2000000),
    -- What changed, for the history: "jobProfile:einkauf updated" etc.
    summary     text NOT NULL CHECK (length(summary) BETWEEN 1 AND 300),
    created_by  uuid,
    created_at  timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, version),
    FOREIGN KEY (tenant_id, created_by) REFERENCES users (tenant_id, id) ON DELETE SET NULL (created_by)
);
ALTER TABLE catalog_versions ENABLE ROW LEVEL SECURITY;
ALTER TABLE catalog_versions FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON catalog_versions USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());
-- Versions are history: the server adds them and never rewrites one.
GRANT SELECT, INSERT ON catalog_versions TO zeugo_app;

-- +goose Down
DROP TABLE catalog_versions;
