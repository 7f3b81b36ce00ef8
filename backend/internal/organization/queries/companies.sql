-- name: InsertCompany :one
INSERT INTO companies (id, tenant_id, created_at, updated_at, name, street, postcode, city, country,
    phone, email, website, register_court, register_number, vat_id, managing_directors_enc, description)
VALUES (@id, @tenant_id, @now, @now, @name, @street, @postcode, @city, @country,
    @phone, @email, @website, @register_court, @register_number, @vat_id, @managing_directors_enc, @description)
RETURNING *;

-- name: GetCompany :one
SELECT *
FROM companies
WHERE tenant_id = @tenant_id AND id = @id;

-- name: UpdateCompany :one
UPDATE companies SET name = @name, street = @street, postcode = @postcode, city = @city, country = @country,
    phone = @phone, email = @email, website = @website, register_court = @register_court,
    register_number = @register_number, vat_id = @vat_id, managing_directors = '',
    managing_directors_enc = @managing_directors_enc,
    description = @description, version = version + 1, updated_at = @now
WHERE tenant_id = @tenant_id AND id = @id AND version = @version
RETURNING *;

-- name: DeleteCompany :execrows
DELETE FROM companies WHERE tenant_id = @tenant_id AND id = @id;

-- name: LegacyLetterheads :many
-- Companies whose managing directors are still stored in plain text
-- (written before migration 00006).
SELECT id, managing_directors FROM companies
WHERE tenant_id = @tenant_id AND managing_directors <> ''
LIMIT @batch;

-- name: EncryptLetterhead :exec
-- Only while the plain text is still the one read: an edit committed in
-- between (which writes the encrypted column) is never overwritten.
UPDATE companies SET managing_directors = '', managing_directors_enc = @managing_directors_enc
WHERE tenant_id = @tenant_id AND id = @id AND managing_directors = @managing_directors;
