-- Fixed statements of package certificates (sqlc). Reads that a caller's
-- certificate access limits are not here: they add the conditions of
-- store.go's reach (scope over the employee, private flag) and are built
-- there. Every statement here runs after such a read found the
-- certificate in the caller's reach (or writes a new one).

-- name: InsertCertificate :exec
INSERT INTO certificates (id, tenant_id, employee_id, company_id, kind, language, status, private, created_by,
    created_at, updated_at, corrects_id, document_date)
VALUES (@id, @tenant_id, @employee_id, sqlc.narg(company_id), @kind, @language, 'draft', @private, sqlc.narg(created_by),
    @now, @now, sqlc.narg(corrects_id), sqlc.narg(document_date));

-- name: InsertSection :exec
INSERT INTO certificate_sections (tenant_id, certificate_id, section, content_enc, updated_by_kind, updated_by, updated_at)
VALUES (@tenant_id, @certificate_id, @section, @content_enc, @updated_by_kind, @updated_by, @now);

-- name: UpdateSection :execrows
-- Replaces a section when its version is still the one read.
UPDATE certificate_sections SET content_enc = @content_enc, version = version + 1,
    updated_by_kind = @updated_by_kind, updated_by = @updated_by, updated_at = @now
WHERE tenant_id = @tenant_id AND certificate_id = @certificate_id AND section = @section AND version = @version;

-- name: Sections :many
SELECT section, content_enc, version, updated_by_kind, updated_by, updated_at
FROM certificate_sections
WHERE tenant_id = @tenant_id AND certificate_id = @certificate_id;

-- name: TouchCertificate :exec
-- Records a change of content: the certificate's last change, its company
-- and the date it carries (filters and retention read them in clear).
UPDATE certificates SET updated_at = @now, company_id = sqlc.narg(company_id), kind = @kind, language = @language,
    document_date = sqlc.narg(document_date)
WHERE tenant_id = @tenant_id AND id = @id;

-- name: SetStatus :execrows
UPDATE certificates SET status = @status, issued_at = sqlc.narg(issued_at), version = version + 1, updated_at = @now
WHERE tenant_id = @tenant_id AND id = @id AND version = @version;

-- name: SetPrivate :execrows
UPDATE certificates SET private = @private, version = version + 1, updated_at = @now
WHERE tenant_id = @tenant_id AND id = @id AND version = @version;

-- name: DeleteCertificate :exec
DELETE FROM certificates WHERE tenant_id = @tenant_id AND id = @id;

-- name: ClearSignatories :exec
DELETE FROM certificate_signatories WHERE tenant_id = @tenant_id AND certificate_id = @certificate_id;

-- name: InsertSignatory :exec
INSERT INTO certificate_signatories (tenant_id, certificate_id, position, employee_id)
VALUES (@tenant_id, @certificate_id, @position, @employee_id);

-- name: InsertHistory :exec
INSERT INTO certificate_history (id, tenant_id, certificate_id, from_status, to_status, actor_kind, actor_id, at, reason_enc)
VALUES (@id, @tenant_id, @certificate_id, sqlc.narg(from_status), @to_status, @actor_kind, @actor_id, @at, sqlc.narg(reason_enc));

-- name: History :many
SELECT id, from_status, to_status, actor_kind, actor_id, at, reason_enc
FROM certificate_history
WHERE tenant_id = @tenant_id AND certificate_id = @certificate_id
ORDER BY at, id;

-- name: InsertChange :exec
INSERT INTO certificate_changes (id, tenant_id, certificate_id, section, field, before_enc, after_enc, actor_kind, actor_id, at)
VALUES (@id, @tenant_id, @certificate_id, @section, @field, sqlc.narg(before_enc), sqlc.narg(after_enc), @actor_kind, @actor_id, @at);

-- name: InsertDocument :exec
INSERT INTO certificate_documents (tenant_id, certificate_id, pdf_enc, sha256, size_bytes, created_at)
VALUES (@tenant_id, @certificate_id, @pdf_enc, @sha256, @size_bytes, @now);

-- name: Document :one
SELECT pdf_enc, sha256 FROM certificate_documents WHERE tenant_id = @tenant_id AND certificate_id = @certificate_id;

-- name: APIKeyNames :many
SELECT id, name FROM api_keys WHERE tenant_id = @tenant_id AND id = ANY(@ids::uuid[]);

-- name: RewriteSection :exec
-- Stores the checker's new reading of an unchanged text (its ratings or
-- person changed): no new version, no change-log entry.
UPDATE certificate_sections SET content_enc = @content_enc
WHERE tenant_id = @tenant_id AND certificate_id = @certificate_id AND section = @section;
