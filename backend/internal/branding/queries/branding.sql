-- name: GetBranding :one
SELECT accent, logo_png, logo_width, logo_height, version, updated_at FROM tenant_branding
WHERE tenant_id = @tenant_id;

-- name: InsertBranding :one
-- The tenant's first branding; a concurrent first save loses on the primary
-- key (no row comes back). The first version is the time in microseconds.
INSERT INTO tenant_branding (tenant_id, accent, logo_png, logo_width, logo_height, version, updated_at, updated_by)
VALUES (@tenant_id, sqlc.narg('accent'), sqlc.narg('logo_png'), @logo_width, @logo_height, @first_version, @now, @updated_by)
ON CONFLICT (tenant_id) DO NOTHING
RETURNING version, updated_at;

-- name: UpdateBranding :one
UPDATE tenant_branding SET accent = sqlc.narg('accent'), logo_png = sqlc.narg('logo_png'), logo_width = @logo_width,
    logo_height = @logo_height, version = version + 1, updated_at = @now, updated_by = @updated_by
WHERE tenant_id = @tenant_id AND version = @version
RETURNING version, updated_at;
