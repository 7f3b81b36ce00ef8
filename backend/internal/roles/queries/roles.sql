-- name: InsertRole :one
INSERT INTO roles (id, tenant_id, name, areas, builtin, created_at, updated_at)
VALUES (@id, @tenant_id, @name, @areas, false, @now, @now)
RETURNING *;

-- name: GetRole :one
SELECT r.id, r.name, r.areas, r.builtin, r.version, r.created_at, r.updated_at, count(u.id)::bigint AS user_count
FROM roles r
LEFT JOIN users u ON u.tenant_id = r.tenant_id AND u.role_id = r.id
WHERE r.tenant_id = @tenant_id AND r.id = @id
GROUP BY r.id;

-- name: LockRole :one
-- The role as it is, locked against concurrent changes.
SELECT * FROM roles WHERE tenant_id = @tenant_id AND id = @id FOR UPDATE;

-- name: UpdateRole :one
-- Every change bumps version: the session check compares it, so the
-- holders' next call is decided on the new areas.
UPDATE roles SET name = @name, areas = @areas, version = version + 1, updated_at = @now
WHERE tenant_id = @tenant_id AND id = @id AND version = @version AND NOT builtin
RETURNING *;

-- name: CountRoleUsers :one
SELECT count(*)::bigint FROM users WHERE tenant_id = @tenant_id AND role_id = @id;

-- name: DeleteRole :execrows
DELETE FROM roles r WHERE r.tenant_id = @tenant_id AND r.id = @id AND NOT r.builtin
  AND NOT EXISTS (SELECT 1 FROM users u WHERE u.tenant_id = r.tenant_id AND u.role_id = r.id);

-- name: LockAdministrators :exec
-- Serialises every change that may remove an active administrator of the
-- tenant (role change, deactivation, role areas), so two of them cannot
-- each see the other administrator and both succeed.
SELECT pg_advisory_xact_lock(hashtextextended(@lock_key::text, 0));

-- name: CountActiveAdministrators :one
SELECT count(*)::bigint FROM users u
JOIN roles r ON r.tenant_id = u.tenant_id AND r.id = u.role_id
WHERE u.tenant_id = @tenant_id AND u.status = 'active' AND 'administrator' = ANY (r.areas);

