-- +goose Up
-- The audit events about one thing, e.g. everything recorded about an
-- employee for a data subject's request for access (GDPR Art. 15, package
-- employees): without this index that request reads the tenant's whole
-- log. Created on the partitioned parent, it is built on every partition,
-- also those audit_ensure_partitions attaches later.
CREATE INDEX audit_events_target_idx ON audit_events (tenant_id, target_type, target_id);

-- +goose Down
DROP INDEX audit_events_target_idx;
