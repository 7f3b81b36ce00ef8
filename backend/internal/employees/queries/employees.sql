-- Fixed statements of package employees (sqlc). Reads that a caller's
-- certificate access limits are not here: they include postgres.ScopeCond
-- and are built in store.go.

-- name: InsertEmployee :exec
INSERT INTO employees (id, tenant_id, personnel_number_index, personnel_number_enc, salutation_enc, first_name_enc,
    last_name_enc, title_enc, birth_date_enc, birthplace_enc, street_enc, postcode_enc, city_enc, email_enc,
    job_title_enc, exit_reason_enc, tasks_enc, interruptions_enc, authorities_enc, name_tokens, company_id,
    location_id, department_id, org_unit_id, employee_type_id, entry_date, exit_date, created_at, updated_at)
VALUES (@id, @tenant_id, @personnel_number_index, @personnel_number_enc, @salutation_enc, @first_name_enc,
    @last_name_enc, @title_enc, @birth_date_enc, @birthplace_enc, @street_enc, @postcode_enc, @city_enc, @email_enc,
    @job_title_enc, @exit_reason_enc, @tasks_enc, @interruptions_enc, @authorities_enc, @name_tokens, @company_id,
    @location_id, @department_id, @org_unit_id, @employee_type_id, @entry_date, @exit_date, @now, @now);

-- name: UpdateEmployee :execrows
UPDATE employees SET personnel_number_index = @personnel_number_index, personnel_number_enc = @personnel_number_enc,
    salutation_enc = @salutation_enc, first_name_enc = @first_name_enc, last_name_enc = @last_name_enc,
    title_enc = @title_enc, birth_date_enc = @birth_date_enc, birthplace_enc = @birthplace_enc,
    street_enc = @street_enc, postcode_enc = @postcode_enc, city_enc = @city_enc, email_enc = @email_enc,
    job_title_enc = @job_title_enc, exit_reason_enc = @exit_reason_enc, tasks_enc = @tasks_enc,
    interruptions_enc = @interruptions_enc, authorities_enc = @authorities_enc, name_tokens = @name_tokens,
    company_id = @company_id, location_id = @location_id, department_id = @department_id,
    org_unit_id = @org_unit_id, employee_type_id = @employee_type_id, entry_date = @entry_date,
    exit_date = @exit_date, version = version + 1, updated_at = @now
WHERE tenant_id = @tenant_id AND id = @id AND version = @version;

-- name: SetLegalHold :exec
UPDATE employees SET legal_hold_at = sqlc.narg(hold_at), legal_hold_by = sqlc.narg(hold_by),
    legal_hold_reason_enc = sqlc.narg(reason_enc), version = version + 1, updated_at = @now
WHERE tenant_id = @tenant_id AND id = @id;

-- name: DeleteEmployee :execrows
DELETE FROM employees WHERE tenant_id = @tenant_id AND id = @id;

-- name: EmployeeReferences :many
SELECT kind, count(*)::bigint AS n FROM employee_references
WHERE tenant_id = @tenant_id AND employee_id = @employee_id
GROUP BY kind ORDER BY kind;

-- name: ExistingCompanies :many
SELECT id, name FROM companies WHERE tenant_id = @tenant_id AND id = ANY(@ids::uuid[]);

-- name: ExistingUnits :many
SELECT id, kind, name FROM org_units WHERE tenant_id = @tenant_id AND id = ANY(@ids::uuid[]);

-- name: EmployeeIDsByPersonnelNumber :many
SELECT id, personnel_number_index, version FROM employees
WHERE tenant_id = @tenant_id AND personnel_number_index = ANY(@indexes::bytea[]);

-- name: ImportMapping :one
SELECT columns FROM employee_import_mappings WHERE tenant_id = @tenant_id;

-- name: SaveImportMapping :exec
INSERT INTO employee_import_mappings (tenant_id, columns, updated_at) VALUES (@tenant_id, @columns, @now)
ON CONFLICT (tenant_id) DO UPDATE SET columns = EXCLUDED.columns, updated_at = EXCLUDED.updated_at;
