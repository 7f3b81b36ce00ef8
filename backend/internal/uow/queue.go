package uow

import (
	"github.com/jackc/pgx/v5"

	"github.com/zeugo/zeugo/backend/internal/audit"
)

// Event is one action of a write that Tx.Queue records.
type Event struct {
	Action  string
	Target  Target
	Details map[string]string // non-personal facts only
}

// Queue adds the audit events of this write to b, which the caller sends
// in this transaction: the events commit or roll back with the rows they
// are about, and the chainer appends them to the tenant's chain seconds
// later (audit.Writer.QueueAll: one INSERT for all). For writes of many
// rows at once (an HR system's batch of 1,000 employees), where one
// chained Record per row would cost three round trips each under the
// tenant's chain-head lock.
func (t *Tx) Queue(b *pgx.Batch, events []Event) error {
	out := make([]audit.Event, len(events))
	for i, e := range events {
		out[i] = event(t.P, e.Action, e.Target, e.Details)
	}
	return t.r.audit.QueueAll(t.ctx, t.Tx, b, t.P.TenantID, out)
}
