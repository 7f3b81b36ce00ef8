package uow

import "github.com/jackc/pgx/v5"

// Queue adds the audit event of one action of this write to b, which the
// caller sends in this transaction: the event commits or rolls back with
// the rows it is about, and the chainer appends it to the tenant's chain
// seconds later (audit.Writer.Queue). For writes of many rows at once (an
// HR system's batch of 1,000 employees), where one chained Record per row
// would cost three round trips each under the tenant's chain-head lock.
// details hold non-personal facts only.
func (t *Tx) Queue(b *pgx.Batch, action string, target Target, details map[string]string) error {
	return t.r.audit.Queue(t.ctx, t.Tx, b, t.P.TenantID, event(t.P, action, target, details))
}
