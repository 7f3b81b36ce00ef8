-- name: InsertMessage :execrows
-- An existing id is the same message enqueued again (the idempotency key):
-- nothing changes.
INSERT INTO outbox_messages (tenant_id, id, kind, template, language, recipient_enc, payload_enc,
    next_attempt_at, created_at, updated_at)
VALUES (@tenant_id, @id, @kind, @template, @language, @recipient_enc, @payload_enc, @now, @now, @now)
ON CONFLICT (tenant_id, id) DO NOTHING;

-- name: ClaimDue :many
-- Leases up to batch due messages of the kinds this process can deliver;
-- a row another run holds is skipped.
-- The attempt is counted at the claim, so a message that crashes its
-- sender still reaches the end of its retry window.
UPDATE outbox_messages m SET sending_until = @lease_until, attempts = m.attempts + 1, updated_at = @now
FROM (
    SELECT d.tenant_id, d.id FROM outbox_messages d
    WHERE d.tenant_id = @tenant_id AND d.state = 'pending' AND d.next_attempt_at <= @now
      AND d.kind = ANY (@kinds::text[])
      AND (d.sending_until IS NULL OR d.sending_until <= @now)
    ORDER BY d.next_attempt_at, d.id
    LIMIT @batch
    FOR UPDATE SKIP LOCKED
) due
WHERE m.tenant_id = @tenant_id AND m.tenant_id = due.tenant_id AND m.id = due.id
RETURNING m.id, m.kind, m.template, m.language, m.recipient_enc, m.payload_enc, m.attempts, m.created_at;

-- name: SenderName :one
SELECT COALESCE(mail_sender_name, name)::text FROM tenants WHERE id = @tenant_id;

-- name: MarkSent :execrows
-- Only the holder of the lease records the outcome.
UPDATE outbox_messages SET state = 'sent', sent_at = @now, updated_at = @now, sending_until = NULL,
    payload_enc = NULL, last_error = ''
WHERE tenant_id = @tenant_id AND id = @id AND sending_until = @lease_until;

-- name: MarkRetry :execrows
UPDATE outbox_messages SET next_attempt_at = @next_attempt_at, sending_until = NULL, last_error = @last_error,
    updated_at = @now
WHERE tenant_id = @tenant_id AND id = @id AND sending_until = @lease_until;

-- name: MarkFailed :execrows
UPDATE outbox_messages SET state = 'failed', sending_until = NULL, last_error = @last_error, updated_at = @now
WHERE tenant_id = @tenant_id AND id = @id AND sending_until = @lease_until;

-- name: Release :execrows
-- Gives back a claimed message that was not attempted (the run ran out of
-- time): its attempt does not count.
UPDATE outbox_messages SET sending_until = NULL, attempts = GREATEST(attempts - 1, 0), updated_at = @now
WHERE tenant_id = @tenant_id AND id = @id AND sending_until = @lease_until;

-- name: RetryFailed :execrows
UPDATE outbox_messages SET state = 'pending', attempts = 0, next_attempt_at = @now, sending_until = NULL,
    updated_at = @now
WHERE tenant_id = @tenant_id AND id = @id AND state = 'failed';

-- name: GetStatus :one
SELECT id, kind, template, language, state, attempts, next_attempt_at, last_error, created_at, updated_at, sent_at
FROM outbox_messages
WHERE tenant_id = @tenant_id AND id = @id;

-- name: ListFailed :many
SELECT id, kind, template, language, state, attempts, next_attempt_at, last_error, created_at, updated_at, sent_at
FROM outbox_messages
WHERE tenant_id = @tenant_id AND state = 'failed'
ORDER BY updated_at, id
LIMIT @batch;

-- name: DeleteFinished :execrows
-- Retention: delivered messages (recipient only) after sent_before,
-- failed ones after failed_before.
DELETE FROM outbox_messages o
WHERE o.tenant_id = @tenant_id AND o.id IN (
    SELECT f.id FROM outbox_messages f
    WHERE f.tenant_id = @tenant_id
      AND (f.state = 'sent' AND f.updated_at < @sent_before OR f.state = 'failed' AND f.updated_at < @failed_before)
    LIMIT @batch
);

-- name: TenantTemplates :many
-- A tenant's own templates (package mailtpl), loaded once per delivery
-- batch.
SELECT name, language, subject, body FROM mail_templates WHERE tenant_id = @tenant_id;
