-- Fixed statements of package selfservice (sqlc). HR's reads of forms and
-- requests are in store.go, which adds the caller's company scope; every
-- write on a form or request here runs after such a read locked it.

-- name: FormTenant :one
-- The tenant of an enabled form of an active tenant, before any tenant is
-- bound (SECURITY DEFINER, migration 00023); NULL for anything else.
SELECT coalesce(selfservice_form_tenant(@public_id::text), '00000000-0000-0000-0000-000000000000'::uuid)::uuid AS tenant_id;

-- name: PublicForm :one
-- An enabled form by its public id, with its company's name.
SELECT f.id, f.company_id, f.intro, c.name AS company_name
FROM selfservice_forms f JOIN companies c ON c.tenant_id = f.tenant_id AND c.id = f.company_id
WHERE f.tenant_id = @tenant_id AND f.public_id = @public_id AND f.enabled;

-- name: InsertForm :exec
INSERT INTO selfservice_forms (tenant_id, id, public_id, company_id, enabled, intro, created_at, updated_at)
VALUES (@tenant_id, @id, @public_id, @company_id, @enabled, @intro, @now, @now);

-- name: UpdateForm :execrows
UPDATE selfservice_forms SET enabled = @enabled, intro = @intro, version = version + 1, updated_at = @now
WHERE tenant_id = @tenant_id AND id = @id AND version = @version;

-- name: RotateForm :execrows
UPDATE selfservice_forms SET public_id = @public_id, version = version + 1, updated_at = @now
WHERE tenant_id = @tenant_id AND id = @id AND version = @version;

-- name: DeleteForm :execrows
DELETE FROM selfservice_forms WHERE tenant_id = @tenant_id AND id = @id;

-- name: InsertRequest :execrows
-- A confirmed request; its id is its pending token's, so confirming one
-- token twice stores it once.
INSERT INTO selfservice_requests (tenant_id, id, form_id, company_id, kind, language, wished_date, first_name_enc,
    last_name_enc, email_enc, personnel_number_enc, reason_enc, created_at)
VALUES (@tenant_id, @id, @form_id, @company_id, @kind, @language, sqlc.narg(wished_date), @first_name_enc,
    @last_name_enc, @email_enc, sqlc.narg(personnel_number_enc), @reason_enc, @now)
ON CONFLICT (tenant_id, id) DO NOTHING;

-- name: MarkConverted :execrows
UPDATE selfservice_requests SET state = 'converted', certificate_id = @certificate_id::uuid, decided_by_kind = @decided_by_kind::text,
    decided_by = @decided_by::uuid, decided_at = @now::timestamptz, version = version + 1
WHERE tenant_id = @tenant_id AND id = @id AND version = @version AND state = 'open';

-- name: MarkDeclined :execrows
UPDATE selfservice_requests SET state = 'declined', decline_message_enc = @decline_message_enc,
    decided_by_kind = @decided_by_kind::text, decided_by = @decided_by::uuid, decided_at = @now::timestamptz, version = version + 1
WHERE tenant_id = @tenant_id AND id = @id AND version = @version AND state = 'open';
