-- +goose Up
-- Reads of personal data are audited in the read's own round trip (SPEC §8):
-- the event is inserted here, pipelined with the read, and the cleanup
-- job's chainer appends it to the tenant's hash chain seconds later
-- (audit.Writer.ChainPending) and deletes it here. Chaining on the read path
-- itself would serialise every read of a tenant on its chain head.
-- zeugo_app may insert, read and delete (the chainer moves rows into the
-- chain); it cannot change a pending event. Each row carries a MAC under the
-- tenant's chain key, so a row inserted by someone holding only the
-- zeugo_app credential (not the master key) is chained as a rejected event,
-- never as what it claims. Deleting a pending row before it is chained stays
-- possible for that credential; the window is one chainer interval (10 s).
CREATE TABLE audit_pending (
    tenant_id      uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id             uuid NOT NULL,
    occurred_at    timestamptz NOT NULL,
    actor_type     text NOT NULL,
    actor_id       text NOT NULL,
    action         text NOT NULL,
    outcome        text NOT NULL,
    target_type    text NOT NULL,
    target_id      text NOT NULL,
    ip_enc         bytea,
    user_agent_enc bytea,
    details        text NOT NULL,
    mac            bytea NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX audit_pending_order_idx ON audit_pending (tenant_id, occurred_at, id);
GRANT SELECT, INSERT, DELETE ON audit_pending TO zeugo_app;
ALTER TABLE audit_pending ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_pending FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON audit_pending USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());

-- +goose Down
DROP TABLE audit_pending;
