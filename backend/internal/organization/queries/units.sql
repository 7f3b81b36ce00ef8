-- name: InsertUnit :one
INSERT INTO org_units (id, tenant_id, kind, name, description, created_at, updated_at)
VALUES (@id, @tenant_id, @kind, @name, @description, @now, @now)
RETURNING *;

-- name: GetUnit :one
SELECT *
FROM org_units
WHERE tenant_id = @tenant_id AND id = @id;

-- name: UpdateUnit :one
UPDATE org_units SET name = @name, description = @description, version = version + 1, updated_at = @now
WHERE tenant_id = @tenant_id AND id = @id AND version = @version
RETURNING *;

-- name: DeleteUnit :execrows
DELETE FROM org_units WHERE tenant_id = @tenant_id AND id = @id;
