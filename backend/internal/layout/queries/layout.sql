-- name: GetLayout :one
SELECT settings, logo_png, logo_width, logo_height, version, updated_at FROM document_layouts
WHERE tenant_id = @tenant_id AND company_id = @company_id;

-- name: InsertLayout :one
-- The company's first own layout; a concurrent first save loses on the
-- primary key (no row comes back). The first version is the time in
-- microseconds, so a layout reset and saved again never repeats a version
-- a client may still hold.
INSERT INTO document_layouts (tenant_id, company_id, settings, logo_png, logo_width, logo_height, version, updated_at, updated_by)
VALUES (@tenant_id, @company_id, @settings, sqlc.narg('logo_png'), @logo_width, @logo_height, @first_version, @now, @updated_by)
ON CONFLICT (tenant_id, company_id) DO NOTHING
RETURNING version, updated_at;

-- name: UpdateLayout :one
UPDATE document_layouts SET settings = @settings, logo_png = sqlc.narg('logo_png'), logo_width = @logo_width,
    logo_height = @logo_height, version = version + 1, updated_at = @now, updated_by = @updated_by
WHERE tenant_id = @tenant_id AND company_id = @company_id AND version = @version
RETURNING version, updated_at;

-- name: DeleteLayout :execrows
DELETE FROM document_layouts WHERE tenant_id = @tenant_id AND company_id = @company_id AND version = @version;
