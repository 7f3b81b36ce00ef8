-- +goose Up
-- Email templates per tenant (SPEC §3.1, area E-Mail-Vorlagen): a row
-- overrides the built-in template of its name and language (package
-- outbox, templates/*.txt); deleting it ("Standard wiederherstellen")
-- returns to the built-in one. Only subject and plain text are stored: the
-- HTML part of an overridden mail is derived from the rendered text
-- (escaped, paragraphs and line breaks, the link as a link) in the
-- built-in layout, so a tenant never writes markup. Both are Go
-- text/templates restricted to the template's placeholders ({{.Name}} …),
-- checked by package mailtpl before they are saved and rendered by the
-- outbox at delivery.
CREATE TABLE mail_templates (
    tenant_id  uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name       text NOT NULL CHECK (name ~ '^[a-z0-9_]{1,64}$'),
    language   text NOT NULL CHECK (language IN ('de', 'en')),
    subject    text NOT NULL CHECK (length(subject) BETWEEN 1 AND 200 AND subject !~ '[\r\n]'),
    body       text NOT NULL CHECK (length(body) BETWEEN 1 AND 10000),
    version    bigint NOT NULL DEFAULT 1 CHECK (version > 0),
    updated_at timestamptz NOT NULL,
    updated_by uuid,
    PRIMARY KEY (tenant_id, name, language),
    FOREIGN KEY (tenant_id, updated_by) REFERENCES users (tenant_id, id) ON DELETE SET NULL (updated_by)
);
CREATE INDEX mail_templates_updated_by_idx ON mail_templates (tenant_id, updated_by);
ALTER TABLE mail_templates ENABLE ROW LEVEL SECURITY;
ALTER TABLE mail_templates FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON mail_templates USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());
GRANT SELECT, INSERT, UPDATE, DELETE ON mail_templates TO zeugo_app;

-- +goose Down
DROP TABLE mail_templates;
