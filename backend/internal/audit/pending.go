package audit

import (
	"context"
	"crypto/hmac"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// ActionPendingRejected is chained in place of a pending event whose MAC
// does not verify (inserted or altered without the chain key): the chain
// records that something was there, never what it claimed.
const ActionPendingRejected = "audit.pending.rejected"

// pendingMAC keys a pending event (all its fields, canonical) with the
// tenant's chain key under its own domain.
func (k *ChainKey) pendingMAC(r *Record) []byte {
	c := *r
	c.Seq = 0
	return k.Hash([]byte("zeugo audit pending v1"), &c)
}

// ChainPending appends up to limit pending events of tenantID to its chain,
// oldest first, and removes them from audit_pending, all inside tx (bound
// to the tenant); it returns how many. A chained event's occurred_at is the
// time it was chained — so that seq and time grow together and expiring a
// day's partition never cuts the chain — and its details carry the time of
// the read itself as "read_at" (RFC 3339, microseconds).
func (w *Writer) ChainPending(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID, limit int) (int, error) {
	var due bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT FROM audit_pending WHERE tenant_id = $1)`, tenantID).Scan(&due); err != nil || !due {
		return 0, err
	}
	if err := w.ensurePartition(ctx, tx, w.now().UTC()); err != nil {
		return 0, err
	}
	// The head lock serialises chainers of this tenant: a second one waits
	// here and then sees only what the first left pending. The chaining time
	// is taken under it (see Write).
	seq, prev, err := w.lockHead(ctx, tx, tenantID)
	if err != nil {
		return 0, err
	}
	at := w.now().UTC().Truncate(time.Microsecond)
	rows, err := tx.Query(ctx, `SELECT id, occurred_at, actor_type, actor_id, action, outcome, target_type, target_id,
			ip_enc, user_agent_enc, details, mac
		FROM audit_pending WHERE tenant_id = $1 ORDER BY occurred_at, id LIMIT $2`, tenantID, limit)
	if err != nil {
		return 0, fmt.Errorf("pending audit events: %w", err)
	}
	var macs [][]byte
	pending, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (Record, error) {
		r := Record{TenantID: tenantID}
		var mac []byte
		err := row.Scan(&r.ID, &r.OccurredAt, &r.ActorType, &r.ActorID, &r.Action, &r.Outcome, &r.TargetType, &r.TargetID,
			&r.IPEnc, &r.UserAgentEnc, &r.Details, &mac)
		macs = append(macs, mac)
		return r, err
	})
	if err != nil {
		return 0, err
	}
	if len(pending) == 0 {
		return 0, nil // another chainer took them while this one waited
	}
	ids := make([]uuid.UUID, len(pending))
	c := w.newChainBatch(tenantID, seq, prev, at)
	for i := range pending {
		r := &pending[i]
		ids[i] = r.ID
		details := map[string]string{}
		if !hmac.Equal(macs[i], w.chain.pendingMAC(r)) || json.Unmarshal([]byte(r.Details), &details) != nil {
			// Not written by a holder of the chain key: record that a forged
			// or altered row was there, not what it claims.
			*r = Record{TenantID: tenantID, ID: r.ID, ActorType: ActorSystem, Action: ActionPendingRejected,
				Outcome: OutcomeFailure, TargetType: "audit_pending", TargetID: r.ID.String()}
			details = map[string]string{"reason": "mac"}
		} else {
			details["read_at"] = r.OccurredAt.UTC().Format(time.RFC3339Nano)
		}
		b, err := json.Marshal(details) // sorted keys: canonical
		if err != nil {
			return 0, err
		}
		r.Details, r.OccurredAt = string(b), at
		c.add(r)
	}
	if err := c.send(ctx, tx); err != nil {
		return 0, err
	}
	if _, err := tx.Exec(ctx, `DELETE FROM audit_pending WHERE tenant_id = $1 AND id = ANY($2)`, tenantID, ids); err != nil {
		return 0, fmt.Errorf("pending audit events: %w", err)
	}
	return len(pending), nil
}
