package audit

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/zeugo/zeugo/backend/internal/keyring"
)

// QueueAll is Queue for many events of one tenant at once: one INSERT of
// all of them instead of one per event (a list page records every
// employee on it, an HR system's batch every employee it wrote). The
// events share one time and are chained in their order (their ids are
// UUIDv7, increasing).
func (w *Writer) QueueAll(ctx context.Context, q keyring.Querier, b *pgx.Batch, tenantID uuid.UUID, events []Event) error {
	if len(events) == 0 {
		return nil
	}
	at := w.now().UTC().Truncate(time.Microsecond)
	n := len(events)
	// Ids as pgtype.UUID: uuid.UUID is encoded through driver.Valuer (text,
	// then parsed again), which costs more than the rest of an element.
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
