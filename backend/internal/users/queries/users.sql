-- name: InsertInvitedUser :one
INSERT INTO users (id, tenant_id, email_index, email_enc, first_name_enc, last_name_enc, phone_enc, role_id, status,
    access_all, access_companies, access_locations, access_departments, access_org_units, access_employee_types,
    language, invited_by, invited_at, created_at, updated_at)
VALUES (@id, @tenant_id, @email_index, @email_enc, @first_name_enc, @last_name_enc, @phone_enc, @role_id, 'invited',
    @access_all, @access_companies, @access_locations, @access_departments, @access_org_units, @access_employee_types,
    @language, @invited_by::uuid, @now::timestamptz, @now, @now)
RETURNING id;

-- name: GetUser :one
SELECT u.id, u.email_enc, u.first_name_enc, u.last_name_enc, u.phone_enc, u.role_id, r.name AS role_name, u.status,
       u.access_all, u.access_companies, u.access_locations, u.access_departments, u.access_org_units,
       u.access_employee_types, u.language, u.version, u.invited_at, u.last_login_at, u.locked_at, u.deactivated_at,
       u.created_at, u.updated_at
FROM users u
JOIN roles r ON r.tenant_id = u.tenant_id AND r.id = u.role_id
WHERE u.tenant_id = @tenant_id AND u.id = @id;

-- name: LockUser :one
-- The user's state and rights as they are, locked against concurrent
-- changes.
SELECT u.status, u.role_id, u.version, u.access_all, u.access_companies, u.access_locations, u.access_departments,
       u.access_org_units, u.access_employee_types
FROM users u WHERE u.tenant_id = @tenant_id AND u.id = @id FOR UPDATE;

-- name: UpdateUser :execrows
-- authz_version grows only when what the user may do changed (role or
-- certificate access), so the session check decides the next call anew.
UPDATE users SET first_name_enc = @first_name_enc, last_name_enc = @last_name_enc, phone_enc = @phone_enc,
    language = @language, role_id = @role_id, access_all = @access_all, access_companies = @access_companies,
    access_locations = @access_locations, access_departments = @access_departments,
    access_org_units = @access_org_units, access_employee_types = @access_employee_types,
    authz_version = authz_version + CASE WHEN @rights_changed::boolean THEN 1 ELSE 0 END,
    version = version + 1, updated_at = @now
WHERE tenant_id = @tenant_id AND id = @id AND version = @version;

-- name: SetUserStatus :execrows
-- A state change (deactivate, reactivate, unlock) from one of the allowed
-- states; it always changes what the user may do.
UPDATE users SET status = @status,
    deactivated_at = CASE WHEN @status = 'deactivated' THEN @now::timestamptz ELSE NULL END,
    locked_at = NULL, failed_logins = 0,
    authz_version = authz_version + 1, version = version + 1, updated_at = @now
WHERE tenant_id = @tenant_id AND id = @id AND status = ANY (@from_status::text[]);

-- name: TouchInvitedUser :execrows
UPDATE users SET invited_by = @invited_by::uuid, invited_at = @now::timestamptz, version = version + 1, updated_at = @now
WHERE tenant_id = @tenant_id AND id = @id AND status = 'invited';

-- name: DeleteInvitedUser :execrows
DELETE FROM users WHERE tenant_id = @tenant_id AND id = @id AND status = 'invited';

-- name: UserExists :one
SELECT EXISTS (SELECT 1 FROM users WHERE tenant_id = @tenant_id AND id = @id);

-- name: InsertLink :exec
INSERT INTO user_links (tenant_id, id, user_id, purpose, token_hash, created_at, expires_at)
VALUES (@tenant_id, @id, @user_id, @purpose, @token_hash, @now, @expires_at);

-- name: DeleteLinks :execrows
DELETE FROM user_links WHERE tenant_id = @tenant_id AND user_id = @user_id AND purpose = @purpose;

-- name: InvitationTTL :one
SELECT invitation_ttl_hours FROM tenants WHERE id = @tenant_id;

-- name: RoleExists :one
SELECT EXISTS (SELECT 1 FROM roles WHERE tenant_id = @tenant_id AND id = @id);

-- name: RevokeSessions :execrows
UPDATE sessions SET revoked_at = @now::timestamptz, revoke_reason = @reason::text
WHERE tenant_id = @tenant_id AND user_id = @user_id AND revoked_at IS NULL;

-- name: ExistingCompanies :many
SELECT id FROM companies WHERE tenant_id = @tenant_id AND id = ANY (@ids::uuid[]);

-- name: ExistingUnits :many
SELECT id FROM org_units WHERE tenant_id = @tenant_id AND kind = @kind AND id = ANY (@ids::uuid[]);

-- name: CompanyOptions :many
SELECT id, name FROM companies WHERE tenant_id = @tenant_id ORDER BY lower(name), id LIMIT 1000;

-- name: UnitOptions :many
-- At most 1,000 units per kind, each kind in name order.
SELECT u.id, u.kind, u.name FROM (
    SELECT o.id, o.kind, o.name, row_number() OVER (PARTITION BY o.kind ORDER BY lower(o.name), o.id) AS n
    FROM org_units o WHERE o.tenant_id = @tenant_id
) u
WHERE u.n <= 1000
ORDER BY u.kind, lower(u.name), u.id;

-- name: UserNames :many
-- The names of up to @lim users (in @status unless empty), for a name search
-- compared after decryption.
SELECT id, first_name_enc, last_name_enc FROM users
WHERE tenant_id = @tenant_id AND (@status::text = '' OR status = @status)
ORDER BY created_at, id LIMIT @lim;

-- name: InvitationExpiry :one
SELECT expires_at FROM user_links
WHERE tenant_id = @tenant_id AND user_id = @user_id AND purpose = 'invitation' AND used_at IS NULL
ORDER BY expires_at DESC LIMIT 1;

-- name: NamesByID :many
-- The names of the given users (histories and "saved by" lines of other
-- domains).
SELECT id, first_name_enc, last_name_enc FROM users WHERE tenant_id = @tenant_id AND id = ANY(@ids::uuid[]);

-- name: ContactByID :one
-- Name, address and mail language of an active user (other domains' mails
-- to HR: a completed handover).
SELECT id, email_enc, first_name_enc, last_name_enc, language FROM users
WHERE tenant_id = @tenant_id AND id = @id AND status = 'active';
