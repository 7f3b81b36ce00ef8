package audit

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// WriteMany appends events, in order, to the tenant's chain inside tx,
// which must be bound to tenantID. The chain is the one len(events) calls
// of Write would build — same hashes, checkpoints every CheckpointEvery
// events, one head — but the head is locked and moved once and the records
// travel in one batch: a bulk change (an import of thousands of employees,
// each with its own event) costs a few round trips instead of three per
// event. Every event gets the same time. Write is WriteMany of one event.
func (w *Writer) WriteMany(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID, events []Event) error {
	if len(events) == 0 {
		return nil
	}
	if err := w.ensurePartition(ctx, tx, w.now().UTC()); err != nil {
		return err
	}
	seq, prev, err := w.lockHead(ctx, tx, tenantID)
	if err != nil {
		return err
	}
	// The time is taken under the head lock, so seq and time grow together
	// (expiring a day's partition must never cut the chain). The partition
	// of the day after is created a week ahead.
	at := w.now().UTC().Truncate(time.Microsecond)
	c := w.newChainBatch(tenantID, seq, prev, at)
	for _, e := range events {
		r, err := w.prepare(ctx, tx, tenantID, e, at)
		if err != nil {
			return err
		}
		c.add(r)
	}
	return c.send(ctx, tx)
}
