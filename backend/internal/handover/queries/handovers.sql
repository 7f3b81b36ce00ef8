-- Fixed statements of package handover (sqlc). HR's statements run after
-- certificates.Reachable found the handover's certificate in the caller's
-- reach; the recipient's name their handover by the session's grant.

-- name: InsertHandover :exec
INSERT INTO handovers (id, tenant_id, certificate_id, created_by, created_at, recipient_name_enc, recipient_email_enc,
    recipient_phone_enc, message_enc, language, read_sections, write_sections, download, code_channel, secret_hash,
    expires_at, sent_at)
VALUES (@id, @tenant_id, @certificate_id, sqlc.narg(created_by), @now, @recipient_name_enc, @recipient_email_enc,
    sqlc.narg(recipient_phone_enc), sqlc.narg(message_enc), @language, @read_sections::text[], @write_sections::text[],
    @download, sqlc.narg(code_channel), @secret_hash, @expires_at, @now);

-- name: Handover :one
SELECT sqlc.embed(handovers)
FROM handovers WHERE tenant_id = @tenant_id AND id = @id;

-- name: LockHandover :one
SELECT sqlc.embed(handovers)
FROM handovers WHERE tenant_id = @tenant_id AND id = @id FOR UPDATE;

-- name: HandoversOf :many
-- A certificate's handovers, newest first (a certificate has few).
SELECT sqlc.embed(handovers)
FROM handovers WHERE tenant_id = @tenant_id AND certificate_id = @certificate_id
ORDER BY created_at DESC, id DESC;

-- name: RecipientNames :many
SELECT id, recipient_name_enc FROM handovers WHERE tenant_id = @tenant_id AND id = ANY(@ids::uuid[]);

-- name: Revoke :execrows
UPDATE handovers SET revoked_at = @now, version = version + 1
WHERE tenant_id = @tenant_id AND id = @id AND version = @version;

-- name: Resend :execrows
UPDATE handovers SET secret_hash = @secret_hash, sent_at = @now, version = version + 1
WHERE tenant_id = @tenant_id AND id = @id AND version = @version;

-- name: Extend :execrows
UPDATE handovers SET expires_at = @expires_at, version = version + 1
WHERE tenant_id = @tenant_id AND id = @id AND version = @version;

-- name: MarkOpened :exec
UPDATE handovers SET opened_at = coalesce(opened_at, @now) WHERE tenant_id = @tenant_id AND id = @id;

-- name: Complete :exec
UPDATE handovers SET completed_at = @now, version = version + 1 WHERE tenant_id = @tenant_id AND id = @id;

-- name: OthersOpen :one
-- Whether another handover of the certificate is still open.
SELECT EXISTS (SELECT 1 FROM handovers WHERE tenant_id = @tenant_id AND certificate_id = @certificate_id
    AND id <> @id AND revoked_at IS NULL AND completed_at IS NULL AND expires_at > @now)::bool;

-- name: InsertAttempt :exec
INSERT INTO handover_attempts (id, tenant_id, handover_id, code_mac, created_at, expires_at)
VALUES (@id, @tenant_id, @handover_id, @code_mac, @now, @expires_at);

-- name: LockAttempt :one
SELECT code_mac, expires_at, failures, used_at FROM handover_attempts
WHERE tenant_id = @tenant_id AND id = @id AND handover_id = @handover_id FOR UPDATE;

-- name: FailAttempt :one
UPDATE handover_attempts SET failures = failures + 1,
    used_at = CASE WHEN failures + 1 >= 5 THEN @now ELSE used_at END
WHERE tenant_id = @tenant_id AND id = @id RETURNING failures;

-- name: UseAttempt :exec
UPDATE handover_attempts SET used_at = @now WHERE tenant_id = @tenant_id AND id = @id;

-- name: EndAttempts :exec
DELETE FROM handover_attempts WHERE tenant_id = @tenant_id AND handover_id = @handover_id;

-- name: InsertSession :exec
INSERT INTO handover_sessions (id, tenant_id, handover_id, secret_hash, created_at, expires_at)
VALUES (@id, @tenant_id, @handover_id, @secret_hash, @now, @expires_at);

-- name: EndSessions :exec
DELETE FROM handover_sessions WHERE tenant_id = @tenant_id AND handover_id = @handover_id;

-- name: EndSession :exec
DELETE FROM handover_sessions WHERE tenant_id = @tenant_id AND id = @id;

-- name: Settings :one
-- The tenant's handover privacy settings.
SELECT handover_code_required, handover_code_channels FROM tenants WHERE id = @tenant_id;

-- name: DeleteEndedSessions :execrows
-- Housekeeping: recipient sessions past their expiry (a session of a
-- handover that ended is refused by the check already and goes when it
-- expires, at most SessionTTL later).
DELETE FROM handover_sessions x WHERE x.tenant_id = @tenant_id AND x.id IN (
    SELECT s.id FROM handover_sessions s WHERE s.tenant_id = @tenant_id AND s.expires_at <= @now LIMIT @batch);

-- name: DeleteEndedAttempts :execrows
DELETE FROM handover_attempts x WHERE x.tenant_id = @tenant_id AND x.id IN (
    SELECT a.id FROM handover_attempts a WHERE a.tenant_id = @tenant_id AND a.expires_at <= @now LIMIT @batch);
