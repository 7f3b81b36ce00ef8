-- Audit hardening (issue 12, points 1 and 2).
--
-- 1. The chain's anchor and head are keyed (HMAC under the tenant's chain
--    key, computed by the application, which alone holds the key), zeugo_app
--    may no longer write the anchor, and keyed checkpoints of each tenant's
--    head are kept in an INSERT-only table so that a cut tail shows. What
--    each kind of database writer can and cannot hide is documented in
--    internal/audit (package comment).
-- 2. audit_ensure_partitions moves rows that landed in the default partition
--    into dated partitions, so every event expires by dropping its day.

-- +goose Up

-- head_mac keys (seq, hash); anchor_mac keys (anchor_seq, anchor_hash). The
-- genesis anchor (anchor_seq = 0) needs no key: anyone can compute it, so
-- anchor_hash may now be NULL there (a head inserted by zeugo_app, which may
-- not write the anchor columns) and verification uses the genesis hash.
ALTER TABLE audit_chain_heads
    ADD COLUMN head_mac bytea,
    ADD COLUMN anchor_mac bytea,
    ALTER COLUMN anchor_hash DROP NOT NULL;

-- zeugo_app appends (moves seq, hash, head_mac) but never touches the anchor:
-- moving it is expiry, an owner task (audit.ChainKey.MoveAnchor).
REVOKE INSERT, UPDATE ON audit_chain_heads FROM zeugo_app;
GRANT INSERT (tenant_id, seq, hash, head_mac), UPDATE (seq, hash, head_mac) ON audit_chain_heads TO zeugo_app;

-- Keyed snapshots of a tenant's head, written by the writer every
-- audit.CheckpointEvery events and by the cleanup job whenever the head
-- moved. INSERT-only for zeugo_app: whoever holds only its credential cannot
-- remove the record that the chain once reached seq.
CREATE TABLE audit_checkpoints (
    tenant_id  uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    seq        bigint NOT NULL CHECK (seq > 0),
    hash       bytea NOT NULL,
    created_at timestamptz NOT NULL,
    mac        bytea NOT NULL,
    PRIMARY KEY (tenant_id, seq)
);
GRANT SELECT, INSERT ON audit_checkpoints TO zeugo_app;
ALTER TABLE audit_checkpoints ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_checkpoints FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON audit_checkpoints USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());

-- audit_ensure_partitions (same signature and grant as in 00001) creates the
-- daily partitions from p_from for p_days days, and first one for every day
-- that has rows in the default partition (events written before their day's
-- partition existed, e.g. by `migrate` or `tenant create` on a fresh
-- database). PostgreSQL refuses to create a partition while the default holds
-- rows of its range, so every day is built as a plain table, the default's
-- rows of that day are moved into it and it is attached — all in the
-- caller's transaction, with the default partition locked so that no row of
-- that day can slip into it meanwhile. A lock not granted within
-- lock_timeout ends the call early (the next call retries) instead of
-- stalling every audit writer. Returns the number of partitions created.
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION audit_ensure_partitions(p_from date, p_days integer) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = public, pg_temp
    SET lock_timeout = '2s'
    AS $$
DECLARE
    d date;
    n integer := 0;
    part text;
    lo timestamptz;
    hi timestamptz;
    days date[];
BEGIN
    IF p_days < 1 OR p_days > 62 THEN
        RAISE EXCEPTION 'p_days out of range';
    END IF;
    -- One caller at a time (until its transaction ends): two callers that
    -- both read the default partition and then each wait for the other's
    -- lock on it would deadlock. Taken before the first read for that reason.
    -- Not granted within lock_timeout (another caller is waiting for a
    -- busy default partition): leave the work to that caller or the next
    -- call rather than fail the caller's transaction.
    BEGIN
        PERFORM pg_advisory_xact_lock(20260, 4);
    EXCEPTION WHEN lock_not_available THEN
        RETURN 0;
    END;
    SELECT array_agg(DISTINCT (occurred_at AT TIME ZONE 'UTC')::date) INTO days FROM audit_events_default;
    FOR i IN 0 .. p_days - 1 LOOP
        days := array_append(days, p_from + i);
    END LOOP;
    FOREACH d IN ARRAY days LOOP
        part := format('audit_events_%s', to_char(d, 'YYYYMMDD'));
        lo := d::timestamp AT TIME ZONE 'UTC';
        hi := (d + 1)::timestamp AT TIME ZONE 'UTC';
        IF to_regclass(part) IS NULL THEN
            BEGIN
                -- Rows of this day can no longer enter the default
                -- partition; inserts routed to other days are not held up.
                LOCK TABLE audit_events_default IN SHARE ROW EXCLUSIVE MODE;
                EXECUTE format('CREATE TABLE %I (LIKE audit_events INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', part);
                EXECUTE format('WITH moved AS (DELETE FROM audit_events_default WHERE occurred_at >= %L AND occurred_at < %L RETURNING *)
                                INSERT INTO %I SELECT * FROM moved', lo, hi, part);
                -- ATTACH (unlike CREATE … PARTITION OF) takes only a SHARE
                -- UPDATE EXCLUSIVE lock on the parent: readers and writers
                -- of other days go on meanwhile.
                EXECUTE format('ALTER TABLE audit_events ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', part, lo, hi);
                EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', part);
                EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', part);
                EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id())', part);
                n := n + 1;
            EXCEPTION
                WHEN duplicate_table OR unique_violation OR check_violation THEN
                    -- created concurrently by another transaction (which
                    -- has committed by now), or rows of the day arrived
                    -- outside this function: that or the next call.
                    NULL;
                WHEN lock_not_available THEN
                    -- The default partition is busy (a long reader): the
                    -- other days would wait just as long; the next call
                    -- retries.
                    EXIT;
            END;
        END IF;
    END LOOP;
    RETURN n;
END $$;
-- +goose StatementEnd

-- +goose Down
SELECT 1;
