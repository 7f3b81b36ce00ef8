-- name: LatestVersion :one
-- The tenant's current catalogue version (0: the default catalogue only).
SELECT coalesce(max(version), 0)::bigint FROM catalog_versions WHERE tenant_id = @tenant_id;

-- name: GetVersion :one
SELECT version, overlay, summary, created_by, created_at FROM catalog_versions
WHERE tenant_id = @tenant_id AND version = @version;

-- name: InsertVersion :exec
-- A change: the next version. A concurrent writer of the same version
-- loses on the primary key.
INSERT INTO catalog_versions (tenant_id, version, overlay, summary, created_by, created_at)
VALUES (@tenant_id, @version, @overlay, @summary, @created_by, @created_at);

-- name: ListVersions :many
-- The history, newest first, a page at a time (keyset on version).
SELECT v.version, v.summary, v.created_by, v.created_at, u.first_name_enc, u.last_name_enc
FROM catalog_versions v
LEFT JOIN users u ON u.tenant_id = v.tenant_id AND u.id = v.created_by
WHERE v.tenant_id = @tenant_id AND v.version < @before
ORDER BY v.version DESC
LIMIT @page_size;
