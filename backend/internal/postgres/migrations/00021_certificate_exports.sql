-- +goose Up
-- Bulk exports of certificates (package certificates, export.go): a ZIP of
-- PDFs written by a River job in the background and downloaded by the one
-- who asked for it. The ZIP is stored in chunks of at most 1 MiB, each
-- AES-256-GCM ciphertext under the tenant key with the export id and the
-- chunk's sequence number as associated data (a chunk cannot be moved to
-- another export or place). Exports expire after 24 hours; the cleanup
-- job's sweeper deletes them with their chunks.
CREATE TABLE certificate_exports (
    tenant_id          uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id                 uuid NOT NULL,
    requested_by_kind  text NOT NULL,
    requested_by       uuid NOT NULL,
    -- In the order the archive holds them.
    certificate_ids    uuid[] NOT NULL CHECK (cardinality(certificate_ids) BETWEEN 1 AND 1000),
    state              text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'running', 'done', 'failed')),
    total              integer NOT NULL,
    done               integer NOT NULL DEFAULT 0,
    size_bytes         bigint NOT NULL DEFAULT 0,
    created_at         timestamptz NOT NULL,
    finished_at        timestamptz,
    expires_at         timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX certificate_exports_expiry ON certificate_exports (tenant_id, expires_at);
ALTER TABLE certificate_exports ENABLE ROW LEVEL SECURITY;
ALTER TABLE certificate_exports FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON certificate_exports USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());
GRANT SELECT, INSERT, UPDATE, DELETE ON certificate_exports TO zeugo_app;

CREATE TABLE certificate_export_chunks (
    tenant_id  uuid NOT NULL,
    export_id  uuid NOT NULL,
    seq        integer NOT NULL CHECK (seq >= 0),
    data_enc   bytea NOT NULL,
    PRIMARY KEY (tenant_id, export_id, seq),
    FOREIGN KEY (tenant_id, export_id) REFERENCES certificate_exports (tenant_id, id) ON DELETE CASCADE
);
ALTER TABLE certificate_export_chunks ENABLE ROW LEVEL SECURITY;
ALTER TABLE certificate_export_chunks FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON certificate_export_chunks USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());
GRANT SELECT, INSERT, DELETE ON certificate_export_chunks TO zeugo_app;

-- +goose Down
DROP TABLE certificate_export_chunks;
DROP TABLE certificate_exports;
