-- +goose Up
-- Employees (SPEC §4, package employees). Every personal field is
-- AES-256-GCM ciphertext with the row id and column as associated data
-- (*_enc, JSON for the lists). In clear stay only what the database must
-- compare: the organisation ids (certificate-access scope, filters), entry
-- and exit dates (order, active/left, the retention job's "K months after
-- exit"), timestamps and the legal-hold marker. Two kinds of keyed blind
-- index (HMAC-SHA256 with the platform index key, the tenant id inside
-- the MAC) make the ciphertext findable:
--   * personnel_number_index: the whole personnel number (unique per
--     tenant, the HR systems' upsert key);
--   * name_tokens: the first 8 bytes of the MAC of every prefix (2–24
--     characters) of every normalised word of the first and last name
--     (docs/security.md §1.11 says what a database reader learns from them).
CREATE TABLE employees (
    id                     uuid PRIMARY KEY,
    tenant_id              uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    personnel_number_index bytea NOT NULL CHECK (length(personnel_number_index) = 32),
    personnel_number_enc   bytea NOT NULL,
    salutation_enc         bytea,
    first_name_enc         bytea NOT NULL,
    last_name_enc          bytea NOT NULL,
    title_enc              bytea,
    birth_date_enc         bytea,
    birthplace_enc         bytea,
    street_enc             bytea,
    postcode_enc           bytea,
    city_enc               bytea,
    email_enc              bytea,
    job_title_enc          bytea,
    exit_reason_enc        bytea,
    tasks_enc              bytea,
    interruptions_enc      bytea,
    authorities_enc        bytea,
    name_tokens            bigint[] NOT NULL DEFAULT '{}',
    company_id             uuid,
    location_id            uuid,
    department_id          uuid,
    org_unit_id            uuid,
    employee_type_id       uuid,
    entry_date             date,
    exit_date              date,
    legal_hold_at          timestamptz,
    legal_hold_by          uuid,
    legal_hold_reason_enc  bytea,
    version                bigint NOT NULL DEFAULT 1 CHECK (version > 0),
    created_at             timestamptz NOT NULL,
    updated_at             timestamptz NOT NULL,
    UNIQUE (tenant_id, id),
    CONSTRAINT employees_personnel_number_key UNIQUE (tenant_id, personnel_number_index),
    CONSTRAINT employees_exit_after_entry CHECK (exit_date IS NULL OR entry_date IS NULL OR exit_date >= entry_date),
    CONSTRAINT employees_legal_hold CHECK ((legal_hold_at IS NULL) = (legal_hold_reason_enc IS NULL)),
    -- A company or unit still filed on an employee cannot be deleted
    -- (FailedPrecondition); the kind of a unit is checked by the service.
    FOREIGN KEY (tenant_id, company_id) REFERENCES companies (tenant_id, id),
    FOREIGN KEY (tenant_id, location_id) REFERENCES org_units (tenant_id, id),
    FOREIGN KEY (tenant_id, department_id) REFERENCES org_units (tenant_id, id),
    FOREIGN KEY (tenant_id, org_unit_id) REFERENCES org_units (tenant_id, id),
    FOREIGN KEY (tenant_id, employee_type_id) REFERENCES org_units (tenant_id, id),
    FOREIGN KEY (tenant_id, legal_hold_by) REFERENCES users (tenant_id, id) ON DELETE SET NULL (legal_hold_by)
);
-- The list orders (ties by id) and the scope/filter dimensions.
CREATE INDEX employees_updated_idx ON employees (tenant_id, updated_at, id);
CREATE INDEX employees_created_idx ON employees (tenant_id, created_at, id);
CREATE INDEX employees_entry_idx ON employees (tenant_id, coalesce(entry_date, 'infinity'::date), id);
CREATE INDEX employees_exit_idx ON employees (tenant_id, coalesce(exit_date, 'infinity'::date), id);
-- One index over every certificate-access dimension, in the order a
-- restriction usually narrows (company, then location, …): a restricted
-- user's list finds its rows through it and the list's count(*) is an
-- index-only scan (1.3 ms → 0.07 ms for one company and one location of
-- 10,000 employees, docs/performance.md "Employees").
CREATE INDEX employees_scope_idx ON employees (tenant_id, company_id, location_id, department_id, org_unit_id,
    employee_type_id);
CREATE INDEX employees_location_idx ON employees (tenant_id, location_id);
CREATE INDEX employees_department_idx ON employees (tenant_id, department_id);
CREATE INDEX employees_org_unit_idx ON employees (tenant_id, org_unit_id);
CREATE INDEX employees_employee_type_idx ON employees (tenant_id, employee_type_id);
-- Without GIN's pending list (fastupdate): with it, new entries wait in an
-- unsorted list every search scans whole until VACUUM merges it — after an
-- HR system upserted 10,000 employees a lookup read ~480 index pages (2 ms)
-- instead of 3–7 (0.03 ms). Each insert updates the index directly instead.
CREATE INDEX employees_name_tokens_idx ON employees USING gin (name_tokens) WITH (fastupdate = off);
CREATE INDEX employees_legal_hold_by_idx ON employees (tenant_id, legal_hold_by) WHERE legal_hold_by IS NOT NULL;
ALTER TABLE employees ENABLE ROW LEVEL SECURITY;
ALTER TABLE employees FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON employees USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());
GRANT SELECT, INSERT, UPDATE, DELETE ON employees TO zeugo_app;

-- The column mapping of a tenant's last import, offered for the next one.
CREATE TABLE employee_import_mappings (
    tenant_id  uuid PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
    columns    jsonb NOT NULL,
    updated_at timestamptz NOT NULL
);
ALTER TABLE employee_import_mappings ENABLE ROW LEVEL SECURITY;
ALTER TABLE employee_import_mappings FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON employee_import_mappings USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());
GRANT SELECT, INSERT, UPDATE, DELETE ON employee_import_mappings TO zeugo_app;

-- What references an employee (SPEC §4: deletion only while nothing
-- does). Empty until certificates exist: their migration replaces the view
-- with the certificates naming the employee as subject or signatory. kind
-- is "certificate_subject" or "certificate_signatory". security_invoker:
-- the caller's row-level security applies to the tables behind it.
CREATE VIEW employee_references WITH (security_invoker = true) AS
    SELECT NULL::uuid AS tenant_id, NULL::uuid AS employee_id, NULL::text AS kind, NULL::uuid AS ref_id
    WHERE false;
GRANT SELECT ON employee_references TO zeugo_app;

-- +goose Down
DROP VIEW employee_references;
DROP TABLE employee_import_mappings;
DROP TABLE employees;
