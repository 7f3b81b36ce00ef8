-- name: GetConfig :one
SELECT issuer, client_id, client_secret_enc, mode, jit_enabled, jit_role_id, version
FROM sso_configs
WHERE tenant_id = @tenant_id;

-- name: LockConfig :one
SELECT issuer, client_id, client_secret_enc, mode, jit_enabled, jit_role_id, version
FROM sso_configs
WHERE tenant_id = @tenant_id
FOR UPDATE;

-- name: InsertConfig :exec
INSERT INTO sso_configs (tenant_id, issuer, client_id, client_secret_enc, mode, jit_enabled, jit_role_id, created_at, updated_at)
VALUES (@tenant_id, @issuer, @client_id, @client_secret_enc, @mode, @jit_enabled, @jit_role_id, @now, @now);

-- name: UpdateConfig :one
UPDATE sso_configs SET issuer = @issuer, client_id = @client_id, client_secret_enc = @client_secret_enc, mode = @mode,
    jit_enabled = @jit_enabled, jit_role_id = @jit_role_id, version = version + 1, updated_at = @now
WHERE tenant_id = @tenant_id
RETURNING version;

-- name: ListDomains :many
SELECT domain FROM sso_domains WHERE tenant_id = @tenant_id ORDER BY domain;

-- name: DeleteDomains :exec
DELETE FROM sso_domains WHERE tenant_id = @tenant_id;

-- name: InsertDomains :exec
INSERT INTO sso_domains (domain, tenant_id)
SELECT unnest(@domains::text[]), @tenant_id;

-- name: RoleExists :one
SELECT EXISTS (SELECT 1 FROM roles WHERE tenant_id = @tenant_id AND id = @id);

-- name: FindTenant :one
-- The tenant whose SSO is on for an email domain or a login slug (the one
-- SECURITY DEFINER door, migration 00025).
SELECT COALESCE(sso_find_tenant(@domain::text, @slug::text), '00000000-0000-0000-0000-000000000000'::uuid)::uuid AS tenant_id;

-- name: InsertLogin :exec
INSERT INTO sso_logins (tenant_id, id, state_hash, browser_hash, nonce_hash, verifier_enc, issuer, created_at, expires_at)
VALUES (@tenant_id, @id, @state_hash, @browser_hash, @nonce_hash, @verifier_enc, @issuer, @now, @expires_at);

-- name: ClaimLogin :one
-- Marks a started login used and returns it; no row when the state is
-- unknown or the login was used already (single use).
UPDATE sso_logins SET used_at = sqlc.arg(now)::timestamptz
WHERE tenant_id = @tenant_id AND state_hash = @state_hash AND used_at IS NULL
RETURNING id, browser_hash, nonce_hash, verifier_enc, issuer, expires_at;

-- name: SweepLogins :execrows
DELETE FROM sso_logins WHERE tenant_id = sqlc.arg(tenant_id)::uuid AND id IN (
    SELECT l.id FROM sso_logins l WHERE l.tenant_id = sqlc.arg(tenant_id)::uuid AND l.expires_at < sqlc.arg(before)::timestamptz
    LIMIT sqlc.arg(batch)::int);

-- name: FindUser :one
-- The tenant's user with a blind email index, with the tenant's status.
SELECT u.id, u.status, t.status AS tenant_status
FROM users u JOIN tenants t ON t.id = u.tenant_id
WHERE u.tenant_id = sqlc.arg(tenant_id)::uuid AND u.email_index = sqlc.arg(email_index)::bytea;

-- name: InsertUser :exec
-- A just-in-time provisioned user: active, without a password (they sign
-- in through the identity provider), and without certificate access until
-- an administrator grants it (deny by default).
INSERT INTO users (id, tenant_id, email_index, email_enc, first_name_enc, last_name_enc, role_id, status,
    access_all, created_at, updated_at)
VALUES (@id, @tenant_id, @email_index, @email_enc, @first_name_enc, @last_name_enc, @role_id, 'active',
    false, @now, @now);

-- name: SubjectOf :one
-- The subject a user is bound to at an issuer.
SELECT subject_mac FROM sso_identities
WHERE tenant_id = @tenant_id AND user_id = @user_id AND issuer = @issuer;

-- name: UserOfSubject :one
SELECT user_id FROM sso_identities
WHERE tenant_id = @tenant_id AND issuer = @issuer AND subject_mac = @subject_mac;

-- name: BindSubject :exec
INSERT INTO sso_identities (tenant_id, user_id, issuer, subject_mac, created_at)
VALUES (@tenant_id, @user_id, @issuer, @subject_mac, @now);
