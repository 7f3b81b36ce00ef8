-- name: ListTemplates :many
SELECT name, language, subject, body, version, updated_at FROM mail_templates
WHERE tenant_id = @tenant_id;

-- name: GetTemplateForUpdate :one
SELECT name, language, subject, body, version FROM mail_templates
WHERE tenant_id = @tenant_id AND name = @name AND language = @language
FOR UPDATE;

-- name: InsertTemplate :one
-- The first own version of a template; a concurrent first save loses on the
-- primary key (ON CONFLICT DO NOTHING returns no row). The first version is
-- the time in microseconds, not 1, so a template reset and saved again
-- never repeats a version a client may still hold.
INSERT INTO mail_templates (tenant_id, name, language, subject, body, version, updated_at, updated_by)
VALUES (@tenant_id, @name, @language, @subject, @body, @first_version, @now, @updated_by)
ON CONFLICT (tenant_id, name, language) DO NOTHING
RETURNING version, updated_at;

-- name: UpdateTemplate :one
UPDATE mail_templates SET subject = @subject, body = @body, version = version + 1, updated_at = @now,
    updated_by = @updated_by
WHERE tenant_id = @tenant_id AND name = @name AND language = @language AND version = @version
RETURNING version, updated_at;

-- name: DeleteTemplate :execrows
DELETE FROM mail_templates
WHERE tenant_id = @tenant_id AND name = @name AND language = @language AND version = @version;

-- name: GetSender :one
-- The sender name as set (NULL: the tenant's name is used) and the
-- tenant's name.
SELECT mail_sender_name, name FROM tenants WHERE id = @tenant_id;

-- name: LockSender :one
SELECT mail_sender_name, name FROM tenants WHERE id = @tenant_id FOR UPDATE;

-- name: UpdateSender :exec
UPDATE tenants SET mail_sender_name = sqlc.narg('sender_name') WHERE id = @tenant_id;
