-- Fixed statements of the bulk export (export.go). An export is read only
-- by the actor who started it: every read names the requester.

-- name: InsertExport :exec
INSERT INTO certificate_exports (tenant_id, id, requested_by_kind, requested_by, certificate_ids, total, created_at, expires_at)
VALUES (@tenant_id, @id, @requested_by_kind, @requested_by, @certificate_ids::uuid[], @total, @now, @expires_at);

-- name: Export :one
-- The requester's export, unless expired.
SELECT id, certificate_ids, state, total, done, size_bytes, created_at, expires_at
FROM certificate_exports
WHERE tenant_id = @tenant_id AND id = @id AND requested_by_kind = @requested_by_kind AND requested_by = @requested_by
    AND expires_at > @now;

-- name: ExportForJob :one
-- The export as the job sees it (the job runs for the requester).
SELECT certificate_ids, state FROM certificate_exports WHERE tenant_id = @tenant_id AND id = @id FOR UPDATE;

-- name: StartExportRun :exec
-- A (re)started run: its earlier partial chunks are deleted first.
UPDATE certificate_exports SET state = 'running', done = 0, size_bytes = 0, finished_at = NULL
WHERE tenant_id = @tenant_id AND id = @id;

-- name: DeleteExportChunks :exec
DELETE FROM certificate_export_chunks WHERE tenant_id = @tenant_id AND export_id = @export_id;

-- name: InsertExportChunk :exec
INSERT INTO certificate_export_chunks (tenant_id, export_id, seq, data_enc) VALUES (@tenant_id, @export_id, @seq, @data_enc);

-- name: SetExportProgress :exec
UPDATE certificate_exports SET done = @done WHERE tenant_id = @tenant_id AND id = @id;

-- name: FinishExport :exec
UPDATE certificate_exports SET state = @state, size_bytes = @size_bytes, finished_at = @now::timestamptz
WHERE tenant_id = @tenant_id AND id = @id;

-- name: ExportChunk :one
SELECT data_enc FROM certificate_export_chunks WHERE tenant_id = @tenant_id AND export_id = @export_id AND seq = @seq;

-- name: DeleteExpiredExports :execrows
-- At most @batch expired exports (their chunks go with them).
DELETE FROM certificate_exports x
WHERE x.tenant_id = @tenant_id AND x.id IN (
    SELECT e.id FROM certificate_exports e WHERE e.tenant_id = @tenant_id AND e.expires_at <= @now LIMIT @batch);
