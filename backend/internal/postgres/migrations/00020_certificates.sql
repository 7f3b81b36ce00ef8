-- +goose Up
-- Certificates (SPEC §5, package certificates). A certificate belongs to
-- one employee; its content lives in one row per section (SPEC §5.1: the
-- unit of reading, writing, versions and handover grants), each the
-- section's JSON as AES-256-GCM ciphertext with the certificate id and the
-- section as associated data. In clear stay what the database must
-- compare or order: kind, language, status, the private flag, the company
-- (list filter), the creator (private certificates), dates and versions.
-- Who may see a certificate (SPEC §3.3) is decided by its employee's
-- organisation ids, compared in every read (package certificates, reach).

-- Change tracking (SPEC §5.2) is a privacy setting of the tenant.
ALTER TABLE tenants ADD COLUMN certificate_change_tracking boolean NOT NULL DEFAULT false;
GRANT UPDATE (certificate_change_tracking) ON tenants TO zeugo_app;

CREATE TABLE certificates (
    id            uuid PRIMARY KEY,
    tenant_id     uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    employee_id   uuid NOT NULL,
    company_id    uuid,
    kind          text NOT NULL CHECK (kind IN ('final', 'interim', 'apprenticeship', 'simple')),
    language      text NOT NULL CHECK (language IN ('de', 'en')),
    status        text NOT NULL CHECK (status IN ('draft', 'in_progress', 'review', 'completed', 'issued')),
    private       boolean NOT NULL DEFAULT false,
    -- The user who created it (the user behind an API key); NULL once that
    -- user is deleted, after which only Administrator access sees a
    -- private certificate.
    created_by    uuid,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL,
    -- Version of status and private flag (sections have their own).
    version       bigint NOT NULL DEFAULT 1 CHECK (version > 0),
    -- The issued certificate this one corrects.
    corrects_id   uuid,
    -- The date the certificate carries (exit date, or issue date of an
    -- interim certificate): what retention counts from (SPEC §9).
    document_date date,
    issued_at     timestamptz,
    UNIQUE (tenant_id, id),
    CONSTRAINT certificates_issued CHECK ((status = 'issued') = (issued_at IS NOT NULL)),
    FOREIGN KEY (tenant_id, employee_id) REFERENCES employees (tenant_id, id),
    FOREIGN KEY (tenant_id, company_id) REFERENCES companies (tenant_id, id),
    FOREIGN KEY (tenant_id, created_by) REFERENCES users (tenant_id, id) ON DELETE SET NULL (created_by),
    FOREIGN KEY (tenant_id, corrects_id) REFERENCES certificates (tenant_id, id) ON DELETE SET NULL (corrects_id)
);
CREATE INDEX certificates_updated_idx ON certificates (tenant_id, updated_at, id);
CREATE INDEX certificates_created_idx ON certificates (tenant_id, created_at, id);
CREATE INDEX certificates_employee_idx ON certificates (tenant_id, employee_id);
ALTER TABLE certificates ENABLE ROW LEVEL SECURITY;
ALTER TABLE certificates FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON certificates USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());
GRANT SELECT, INSERT, UPDATE, DELETE ON certificates TO zeugo_app;

-- One row per section and certificate. updated_by is the actor (a user, an
-- API key, later a handover or a support grant) of kind updated_by_kind.
CREATE TABLE certificate_sections (
    tenant_id       uuid NOT NULL,
    certificate_id  uuid NOT NULL,
    section         text NOT NULL CHECK (section IN ('data', 'personal', 'company', 'certificate_data', 'further',
        'signatures', 'career', 'stations', 'tasks', 'additional_tasks', 'trainings', 'authorities', 'performance',
        'conduct', 'qualifications', 'successes', 'result')),
    content_enc     bytea NOT NULL,
    version         bigint NOT NULL DEFAULT 1 CHECK (version > 0),
    updated_by_kind text NOT NULL,
    updated_by      uuid NOT NULL,
    updated_at      timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, certificate_id, section),
    FOREIGN KEY (tenant_id, certificate_id) REFERENCES certificates (tenant_id, id) ON DELETE CASCADE
);
ALTER TABLE certificate_sections ENABLE ROW LEVEL SECURITY;
ALTER TABLE certificate_sections FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON certificate_sections USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());
GRANT SELECT, INSERT, UPDATE, DELETE ON certificate_sections TO zeugo_app;

-- The signatories (employees of the tenant), kept beside the encrypted
-- section so that an employee who signs cannot be deleted (SPEC §4).
CREATE TABLE certificate_signatories (
    tenant_id      uuid NOT NULL,
    certificate_id uuid NOT NULL,
    position       smallint NOT NULL CHECK (position BETWEEN 0 AND 1),
    employee_id    uuid NOT NULL,
    PRIMARY KEY (tenant_id, certificate_id, position),
    FOREIGN KEY (tenant_id, certificate_id) REFERENCES certificates (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, employee_id) REFERENCES employees (tenant_id, id)
);
CREATE INDEX certificate_signatories_employee_idx ON certificate_signatories (tenant_id, employee_id);
ALTER TABLE certificate_signatories ENABLE ROW LEVEL SECURITY;
ALTER TABLE certificate_signatories FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON certificate_signatories USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());
GRANT SELECT, INSERT, UPDATE, DELETE ON certificate_signatories TO zeugo_app;

-- The workflow history (SPEC §5.2): creation (from_status NULL) and every
-- status change, with the actor; reason_enc is the confirmation of an
-- issue despite the checker's findings.
CREATE TABLE certificate_history (
    id             uuid PRIMARY KEY,
    tenant_id      uuid NOT NULL,
    certificate_id uuid NOT NULL,
    from_status    text,
    to_status      text NOT NULL,
    actor_kind     text NOT NULL,
    actor_id       uuid NOT NULL,
    at             timestamptz NOT NULL,
    reason_enc     bytea,
    FOREIGN KEY (tenant_id, certificate_id) REFERENCES certificates (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX certificate_history_idx ON certificate_history (tenant_id, certificate_id, at, id);
ALTER TABLE certificate_history ENABLE ROW LEVEL SECURITY;
ALTER TABLE certificate_history FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON certificate_history USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());
GRANT SELECT, INSERT, DELETE ON certificate_history TO zeugo_app;

-- The change log (SPEC §5.2, when the tenant's change tracking is on): one
-- row per changed field, values before and after encrypted with the
-- change's id as associated data. Deleted with the certificate.
CREATE TABLE certificate_changes (
    id             uuid PRIMARY KEY,
    tenant_id      uuid NOT NULL,
    certificate_id uuid NOT NULL,
    section        text NOT NULL,
    field          text NOT NULL,
    before_enc     bytea,
    after_enc      bytea,
    actor_kind     text NOT NULL,
    actor_id       uuid NOT NULL,
    at             timestamptz NOT NULL,
    FOREIGN KEY (tenant_id, certificate_id) REFERENCES certificates (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX certificate_changes_idx ON certificate_changes (tenant_id, certificate_id, at, id);
ALTER TABLE certificate_changes ENABLE ROW LEVEL SECURITY;
ALTER TABLE certificate_changes FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON certificate_changes USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());
GRANT SELECT, INSERT, DELETE ON certificate_changes TO zeugo_app;

-- The issued PDF, stored once at issue (encrypted), so that every later
-- download returns the same bytes; sha256 is of the plain PDF.
CREATE TABLE certificate_documents (
    tenant_id      uuid NOT NULL,
    certificate_id uuid NOT NULL,
    pdf_enc        bytea NOT NULL,
    sha256         bytea NOT NULL CHECK (length(sha256) = 32),
    size_bytes     integer NOT NULL,
    created_at     timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, certificate_id),
    FOREIGN KEY (tenant_id, certificate_id) REFERENCES certificates (tenant_id, id) ON DELETE CASCADE
);
ALTER TABLE certificate_documents ENABLE ROW LEVEL SECURITY;
ALTER TABLE certificate_documents FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON certificate_documents USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());
GRANT SELECT, INSERT, DELETE ON certificate_documents TO zeugo_app;

-- What references an employee (SPEC §4), now with the certificates.
CREATE OR REPLACE VIEW employee_references WITH (security_invoker = true) AS
    SELECT tenant_id, employee_id, 'certificate_subject'::text AS kind, id AS ref_id FROM certificates
    UNION ALL
    SELECT tenant_id, employee_id, 'certificate_signatory'::text, certificate_id FROM certificate_signatories;

-- +goose Down
CREATE OR REPLACE VIEW employee_references WITH (security_invoker = true) AS
    SELECT NULL::uuid AS tenant_id, NULL::uuid AS employee_id, NULL::text AS kind, NULL::uuid AS ref_id
    WHERE false;
DROP TABLE certificate_documents;
DROP TABLE certificate_changes;
DROP TABLE certificate_history;
DROP TABLE certificate_signatories;
DROP TABLE certificate_sections;
DROP TABLE certificates;
REVOKE UPDATE (certificate_change_tracking) ON tenants FROM zeugo_app;
ALTER TABLE tenants DROP COLUMN certificate_change_tracking;
