package audit

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/zeugo/zeugo/backend/internal/keyring"
)

// QueueAll adds events to b as pending events of tenantID (table
// audit_pending): the read they record and the records travel in one round
// trip, and the chainer (ChainPending) appends them to the chain seconds
// later — for reads of personal data, whose audit must not serialise every
// read of a tenant on its chain head. q, bound to the tenant, loads the
// tenant key if it is not cached (IP and user agent are sealed before
// queueing); b must be bound to tenantID. One INSERT carries all of them
// (a list page records every employee on it, an HR system's batch every
// employee it wrote). The events share one time and are chained in their order (their ids are
// UUIDv7, increasing).
func (w *Writer) QueueAll(ctx context.Context, q keyring.Querier, b *pgx.Batch, tenantID uuid.UUID, events []Event) error {
	if len(events) == 0 {
		return nil
	}
	at := w.now().UTC().Truncate(time.Microsecond)
	n := len(events)
	// Ids as pgtype.UUID: on a pool without postgres.RegisterUUID, uuid.UUID
	// is encoded through driver.Valuer (text, then parsed again), which costs
	// more than the rest of an element.
	ids := make([]pgtype.UUID, 0, n)
	var actorTypes, actorIDs, actions, outcomes, targetTypes, targetIDs, details []string
	var ips, agents, macs [][]byte
	for _, e := range events {
		r, err := w.prepare(ctx, q, tenantID, e, at)
		if err != nil {
			return err
		}
		ids = append(ids, pgtype.UUID{Bytes: r.ID, Valid: true})
		actorTypes, actorIDs, actions = append(actorTypes, r.ActorType), append(actorIDs, r.ActorID), append(actions, r.Action)
		outcomes, targetTypes, targetIDs = append(outcomes, r.Outcome), append(targetTypes, r.TargetType), append(targetIDs, r.TargetID)
		ips, agents, details = append(ips, r.IPEnc), append(agents, r.UserAgentEnc), append(details, r.Details)
		macs = append(macs, w.chain.pendingMAC(r))
	}
	b.Queue(`INSERT INTO audit_pending (tenant_id, occurred_at, id, actor_type, actor_id, action, outcome,
			target_type, target_id, ip_enc, user_agent_enc, details, mac)
		SELECT $1, $2, * FROM unnest($3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
			$10::bytea[], $11::bytea[], $12::text[], $13::bytea[])`,
		pgtype.UUID{Bytes: tenantID, Valid: true}, at, ids, actorTypes, actorIDs, actions, outcomes, targetTypes, targetIDs, ips, agents, details, macs)
	return nil
}
