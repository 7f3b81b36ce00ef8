-- name: ListFactors :many
-- A user's confirmed factors, oldest first.
SELECT id, kind, name_enc, created_at, last_used_at
FROM user_factors
WHERE tenant_id = @tenant_id AND user_id = @user_id AND confirmed_at IS NOT NULL
ORDER BY created_at, id;

-- name: LockTOTPFactors :many
-- The confirmed authenticator apps of a user, locked: a code is checked
-- and its step stored by one login at a time (no replay between two).
SELECT id, secret_enc, last_step,
    (SELECT count(*) FROM recovery_codes r
        WHERE r.tenant_id = @tenant_id AND r.user_id = @user_id AND r.used_at IS NULL)::int AS recovery_left
FROM user_factors
WHERE tenant_id = @tenant_id AND user_id = @user_id AND kind = 'totp' AND confirmed_at IS NOT NULL
ORDER BY created_at, id
FOR UPDATE OF user_factors;

-- name: MarkFactorUsed :exec
UPDATE user_factors SET last_step = @step, last_used_at = @now
WHERE tenant_id = @tenant_id AND id = @id;

-- name: InsertPendingFactor :exec
INSERT INTO user_factors (id, tenant_id, user_id, kind, name_enc, secret_enc, created_at)
VALUES (@id, @tenant_id, @user_id, 'totp', @name_enc, @secret_enc, @now);

-- name: LockPendingFactor :one
-- An enrollment of the user that waits for its first code and has not
-- lapsed.
SELECT id, secret_enc
FROM user_factors
WHERE tenant_id = @tenant_id AND user_id = @user_id AND id = @id AND confirmed_at IS NULL AND created_at > @since
FOR UPDATE;

-- name: ConfirmFactor :one
UPDATE user_factors SET confirmed_at = @now::timestamptz, last_step = @step, last_used_at = @now::timestamptz, name_enc = @name_enc
WHERE tenant_id = @tenant_id AND id = @id
RETURNING id, kind, name_enc, created_at, last_used_at;

-- name: DeletePendingFactors :exec
-- The user's other unconfirmed enrollments (one at a time is enough).
DELETE FROM user_factors
WHERE tenant_id = @tenant_id AND user_id = @user_id AND confirmed_at IS NULL;

-- name: DeleteFactor :execrows
DELETE FROM user_factors
WHERE tenant_id = @tenant_id AND user_id = @user_id AND id = @id AND confirmed_at IS NOT NULL;

-- name: CountFactors :one
SELECT count(*) FROM user_factors
WHERE tenant_id = @tenant_id AND user_id = @user_id AND confirmed_at IS NOT NULL;

-- name: LockUserFactorState :one
-- The user's factor state, with the user row locked: enrollments, removals
-- and recovery-code changes of one user happen one at a time.
SELECT t.require_mfa, t.mfa_methods,
    (SELECT count(*) FROM user_factors f
        WHERE f.tenant_id = u.tenant_id AND f.user_id = u.id AND f.confirmed_at IS NOT NULL)::int AS factors,
    (SELECT count(*) FROM user_factors f
        WHERE f.tenant_id = u.tenant_id AND f.user_id = u.id AND f.confirmed_at IS NOT NULL AND f.kind = 'webauthn')::int AS passkeys,
    (SELECT count(*) FROM user_factors f
        WHERE f.tenant_id = u.tenant_id AND f.user_id = u.id AND f.confirmed_at IS NOT NULL AND f.kind = 'sms')::int AS sms,
    (SELECT count(*) FROM recovery_codes r
        WHERE r.tenant_id = u.tenant_id AND r.user_id = u.id AND r.used_at IS NULL)::int AS recovery_left
FROM users u JOIN tenants t ON t.id = u.tenant_id
WHERE u.tenant_id = @tenant_id AND u.id = @user_id
FOR UPDATE OF u;

-- name: UserFactorState :one
SELECT t.require_mfa, t.mfa_methods,
    (SELECT count(*) FROM user_factors f
        WHERE f.tenant_id = u.tenant_id AND f.user_id = u.id AND f.confirmed_at IS NOT NULL)::int AS factors,
    (SELECT count(*) FROM user_factors f
        WHERE f.tenant_id = u.tenant_id AND f.user_id = u.id AND f.confirmed_at IS NOT NULL AND f.kind = 'webauthn')::int AS passkeys,
    (SELECT count(*) FROM user_factors f
        WHERE f.tenant_id = u.tenant_id AND f.user_id = u.id AND f.confirmed_at IS NOT NULL AND f.kind = 'sms')::int AS sms,
    (SELECT count(*) FROM recovery_codes r
        WHERE r.tenant_id = u.tenant_id AND r.user_id = u.id AND r.used_at IS NULL)::int AS recovery_left
FROM users u JOIN tenants t ON t.id = u.tenant_id
WHERE u.tenant_id = @tenant_id AND u.id = @user_id;

-- name: DeleteRecoveryCodes :exec
DELETE FROM recovery_codes WHERE tenant_id = @tenant_id AND user_id = @user_id;

-- name: InsertRecoveryCodes :exec
INSERT INTO recovery_codes (tenant_id, user_id, code_mac, created_at)
SELECT @tenant_id, @user_id, unnest(@code_macs::bytea[]), @created_at;

-- name: UseRecoveryCode :execrows
-- Marks an unused code used; no row when the code is unknown or used.
UPDATE recovery_codes SET used_at = @now
WHERE tenant_id = @tenant_id AND user_id = @user_id AND code_mac = @code_mac AND used_at IS NULL;

-- name: CountRecoveryCodes :one
SELECT count(*)::int FROM recovery_codes
WHERE tenant_id = @tenant_id AND user_id = @user_id AND used_at IS NULL;

-- name: StepUpAt :one
SELECT step_up_at FROM sessions WHERE tenant_id = @tenant_id AND id = @id;

-- name: SetStepUp :exec
UPDATE sessions SET step_up_at = @now WHERE tenant_id = @tenant_id AND id = @id;

-- name: DeleteLapsedEnrollments :execrows
DELETE FROM user_factors d WHERE d.tenant_id = @tenant_id AND d.id IN (
    SELECT p.id FROM user_factors p WHERE p.tenant_id = @tenant_id AND p.confirmed_at IS NULL AND p.created_at < @before
    LIMIT @batch);

-- name: TenantName :one
SELECT name FROM tenants WHERE id = @tenant_id;

-- name: DeleteAllFactors :execrows
-- Every factor of a user, confirmed or not (an administrator's reset).
DELETE FROM user_factors WHERE tenant_id = @tenant_id AND user_id = @user_id;

-- name: RevokeUserSessions :execrows
UPDATE sessions SET revoked_at = @now::timestamptz, revoke_reason = @reason::text
WHERE tenant_id = @tenant_id AND user_id = @user_id AND revoked_at IS NULL;

-- name: UserExists :one
SELECT EXISTS (SELECT 1 FROM users WHERE tenant_id = @tenant_id AND id = @id);

-- name: ListPasskeys :many
-- A user's confirmed passkeys and security keys (sealed credential
-- records).
SELECT id, secret_enc FROM user_factors
WHERE tenant_id = @tenant_id AND user_id = @user_id AND kind = 'webauthn' AND confirmed_at IS NOT NULL
ORDER BY created_at, id;

-- name: InsertPasskey :one
INSERT INTO user_factors (id, tenant_id, user_id, kind, name_enc, secret_enc, credential_id, created_at, confirmed_at)
VALUES (@id, @tenant_id, @user_id, 'webauthn', @name_enc, @secret_enc, @credential_id, @now, @now)
RETURNING id, kind, name_enc, created_at, last_used_at;

-- name: UpdatePasskey :exec
-- The credential record after a use (sign count, flags), sealed anew.
UPDATE user_factors SET secret_enc = @secret_enc, last_used_at = @now::timestamptz
WHERE tenant_id = @tenant_id AND id = @id;

-- name: CredentialTaken :one
SELECT EXISTS (SELECT 1 FROM user_factors WHERE tenant_id = @tenant_id AND credential_id = @credential_id);

-- name: InsertCeremony :exec
INSERT INTO webauthn_ceremonies (id, tenant_id, user_id, purpose, session_id, challenge_id, data_enc, expires_at)
VALUES (@id, @tenant_id, @user_id, @purpose, sqlc.narg(session_id), sqlc.narg(challenge_id), @data_enc, @expires_at);

-- name: UseCeremony :one
-- Takes a live ceremony of the user for purpose, once.
UPDATE webauthn_ceremonies SET used_at = @now::timestamptz
WHERE tenant_id = @tenant_id AND id = @id AND user_id = @user_id AND purpose = @purpose AND used_at IS NULL
  AND expires_at > @now::timestamptz
RETURNING session_id, challenge_id, data_enc;

-- name: LoginCeremony :one
-- The newest open ceremony of a login challenge for purpose.
SELECT id FROM webauthn_ceremonies
WHERE tenant_id = @tenant_id AND challenge_id = @challenge_id AND purpose = @purpose AND used_at IS NULL
ORDER BY expires_at DESC LIMIT 1;

-- name: DeleteLapsedCeremonies :execrows
DELETE FROM webauthn_ceremonies d WHERE d.tenant_id = @tenant_id AND d.id IN (
    SELECT c.id FROM webauthn_ceremonies c WHERE c.tenant_id = @tenant_id AND c.expires_at < @before
    LIMIT @batch);

-- name: InsertPendingSms :exec
INSERT INTO user_factors (id, tenant_id, user_id, kind, name_enc, secret_enc, code_mac, code_expires_at, created_at)
VALUES (@id, @tenant_id, @user_id, 'sms', @name_enc, @secret_enc, @code_mac, @code_expires_at, @now);

-- name: LockPendingSms :one
SELECT id, code_mac, code_expires_at
FROM user_factors
WHERE tenant_id = @tenant_id AND user_id = @user_id AND id = @id AND kind = 'sms' AND confirmed_at IS NULL
  AND created_at > @since
FOR UPDATE;

-- name: LockSmsFactors :many
-- The confirmed SMS factors of a user with their outstanding codes.
SELECT id, secret_enc, code_mac, code_expires_at
FROM user_factors
WHERE tenant_id = @tenant_id AND user_id = @user_id AND kind = 'sms' AND confirmed_at IS NOT NULL
ORDER BY created_at, id
FOR UPDATE;

-- name: SetSmsCode :exec
UPDATE user_factors SET code_mac = @code_mac, code_expires_at = @code_expires_at
WHERE tenant_id = @tenant_id AND id = @id;

-- name: UseSmsCode :exec
UPDATE user_factors SET code_mac = NULL, code_expires_at = NULL, last_used_at = @now::timestamptz
WHERE tenant_id = @tenant_id AND id = @id;

-- name: UserLanguage :one
SELECT language FROM users WHERE tenant_id = @tenant_id AND id = @id;
