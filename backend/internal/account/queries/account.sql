-- name: ListMySessions :many
-- The live sessions of one user (index sessions_user_active_idx).
SELECT id, user_agent_browser, user_agent_os, user_agent_mobile, client_network, login_method,
    created_at, last_seen_at, absolute_expires_at
FROM sessions
WHERE tenant_id = @tenant_id AND user_id = @user_id AND revoked_at IS NULL
  AND idle_expires_at > @now AND absolute_expires_at > @now
ORDER BY last_seen_at DESC, id DESC
LIMIT 100;

-- name: RevokeMySession :execrows
-- Only a live session of the caller: any other id matches nothing.
UPDATE sessions SET revoked_at = @now::timestamptz, revoke_reason = @reason::text
WHERE tenant_id = @tenant_id AND user_id = @user_id AND id = @id AND revoked_at IS NULL
  AND idle_expires_at > @now AND absolute_expires_at > @now;

-- name: RevokeAllMySessions :execrows
UPDATE sessions SET revoked_at = @now::timestamptz, revoke_reason = @reason::text
WHERE tenant_id = @tenant_id AND user_id = @user_id AND revoked_at IS NULL;

-- name: GetMyProfile :one
SELECT id, email_enc, first_name_enc, last_name_enc, phone_enc, language, version
FROM users
WHERE tenant_id = @tenant_id AND id = @id;

-- name: UpdateMyProfile :one
UPDATE users SET first_name_enc = @first_name_enc, last_name_enc = @last_name_enc, phone_enc = @phone_enc,
    language = @language, version = version + 1, updated_at = @now
WHERE tenant_id = @tenant_id AND id = @id AND version = @version
RETURNING id, email_enc, first_name_enc, last_name_enc, phone_enc, language, version;
