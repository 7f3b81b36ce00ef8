-- +goose Up
-- The transactional outbox (SPEC §7): an email or SMS is inserted in the
-- same transaction as the action that causes it, so it exists exactly when
-- the action committed; a background job delivers it afterwards with
-- retries. The id is the idempotency key and the Message-ID of the mail.
--
-- recipient_enc and payload_enc are AES-256-GCM ciphertext under the
-- tenant's data key (address or phone number; template data or rendered
-- bodies): nothing personal is stored in clear. A sent message keeps no
-- payload, and the cleanup job deletes delivered and failed messages after
-- their retention.
--
-- Delivery claims a message with a lease (sending_until): another run skips
-- it until the lease ends, so a message is sent twice only when a process
-- dies between handing it to the relay and recording it as sent.
CREATE TABLE outbox_messages (
    tenant_id       uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id              uuid NOT NULL,
    kind            text NOT NULL CHECK (kind IN ('email', 'sms')),
    template        text NOT NULL DEFAULT '' CHECK (template ~ '^[a-z0-9_]{0,64}$'),
    language        text NOT NULL DEFAULT '' CHECK (language ~ '^([a-z]{2})?$'),
    recipient_enc   bytea NOT NULL,
    payload_enc     bytea,
    state           text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed')),
    attempts        integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at timestamptz NOT NULL,
    sending_until   timestamptz,
    -- The class of the last failure (connect, tls, auth, rejected, …),
    -- never the relay's text, which may quote the recipient.
    last_error      text NOT NULL DEFAULT '' CHECK (last_error ~ '^[a-z_]{0,32}$'),
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    sent_at         timestamptz,
    PRIMARY KEY (tenant_id, id),
    CHECK (state = 'sent' OR payload_enc IS NOT NULL)
);
-- Due messages per tenant, in the order they are delivered.
CREATE INDEX outbox_messages_due_idx ON outbox_messages (tenant_id, next_attempt_at, id) WHERE state = 'pending';
-- Finished messages per tenant, for the retention sweep and the failed list.
CREATE INDEX outbox_messages_state_idx ON outbox_messages (tenant_id, state, updated_at, id) WHERE state <> 'pending';
-- The delivery job asks which tenants have due messages, across tenants.
CREATE INDEX outbox_messages_pending_idx ON outbox_messages (next_attempt_at) WHERE state = 'pending';
GRANT SELECT, INSERT, UPDATE, DELETE ON outbox_messages TO zeugo_app;
ALTER TABLE outbox_messages ENABLE ROW LEVEL SECURITY;
ALTER TABLE outbox_messages FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON outbox_messages USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());

-- The sender name of a tenant's mails (area Individualisierung); NULL means
-- the tenant's name.
ALTER TABLE tenants ADD COLUMN mail_sender_name text CHECK (length(mail_sender_name) BETWEEN 1 AND 200);

-- outbox_due_tenants returns the ids (and nothing else) of tenants with a
-- message of one of kinds due at now, so the delivery job visits only
-- those, every few seconds, instead of binding every tenant in turn. Like
-- tenant_ids_for_jobs it runs with the owner's rights.
CREATE FUNCTION outbox_due_tenants(now timestamptz, kinds text[]) RETURNS SETOF uuid
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$ SELECT DISTINCT m.tenant_id FROM outbox_messages m JOIN tenants t ON t.id = m.tenant_id
          WHERE m.state = 'pending' AND m.next_attempt_at <= now AND m.kind = ANY (kinds)
            AND (m.sending_until IS NULL OR m.sending_until <= now) AND t.status <> 'purged'
          ORDER BY m.tenant_id $$;
REVOKE ALL ON FUNCTION outbox_due_tenants(timestamptz, text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION outbox_due_tenants(timestamptz, text[]) TO zeugo_app;

-- +goose Down
DROP FUNCTION outbox_due_tenants(timestamptz, text[]);
ALTER TABLE tenants DROP COLUMN mail_sender_name;
DROP TABLE outbox_messages;
