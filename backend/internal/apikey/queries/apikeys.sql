-- name: InsertAPIKey :exec
INSERT INTO api_keys (tenant_id, id, user_id, name, prefix, secret_hash, scopes, expires_at, allowed_cidrs,
    created_at, created_by)
VALUES (@tenant_id, @id, @user_id, @name, @prefix, @secret_hash, @scopes, sqlc.narg(expires_at), @allowed_cidrs,
    @now, @user_id);

-- name: GetAPIKey :one
-- A key with its creator's (encrypted) name.
SELECT k.id, k.name, k.prefix, k.scopes, k.expires_at, k.allowed_cidrs, k.created_at, k.created_by,
    k.last_used_at, k.revoked_at, u.first_name_enc, u.last_name_enc
FROM api_keys k
JOIN users u ON u.tenant_id = k.tenant_id AND u.id = k.created_by
WHERE k.tenant_id = @tenant_id AND k.id = @id;

-- name: RevokeAPIKey :execrows
UPDATE api_keys SET revoked_at = @now::timestamptz, revoked_by = @revoked_by::uuid
WHERE tenant_id = @tenant_id AND id = @id AND revoked_at IS NULL;

-- name: TouchAPIKey :execrows
-- Records a use at most once a minute per key, across processes: only the
-- process whose update finds last_used_at older than a minute writes the
-- "used" audit event.
UPDATE api_keys SET last_used_at = @now::timestamptz
WHERE tenant_id = @tenant_id AND id = @id AND (last_used_at IS NULL OR last_used_at <= @due::timestamptz);

-- name: DiagnoseAPIKey :one
-- Why a key was refused (for the audit event of the refusal).
SELECT k.id, k.user_id, k.secret_hash, k.revoked_at, k.expires_at, k.allowed_cidrs, u.status AS user_status,
    t.status AS tenant_status
FROM api_keys k
JOIN users u ON u.tenant_id = k.tenant_id AND u.id = k.user_id
JOIN tenants t ON t.id = k.tenant_id
WHERE k.tenant_id = @tenant_id AND k.prefix = @prefix;
