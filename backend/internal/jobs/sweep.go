package jobs

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/zeugo/zeugo/backend/internal/postgres"
)

// Sweeper is one piece of per-tenant housekeeping a domain registers
// (expired sessions, retention deletions, expired links): the cleanup job
// calls Sweep for every tenant in its own tenant-bound transaction, batch
// after batch, until a batch removes fewer than batch rows. A sweeper must
// be idempotent (a crash between batches is a normal event) and touch at
// most batch rows per call.
type Sweeper struct {
	// Name is the key of the sweeper's count in the job's recorded output.
	Name string
	// Sweep removes or changes at most batch rows of tenantID that are due
	// at now, and returns how many.
	Sweep func(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID, now time.Time, batch int) (int64, error)
}

// sweep runs every sweeper over every tenant; counts are recorded by name.
// A tenant whose sweep fails is skipped for that sweeper (its error joins
// the result) and every other tenant is still swept: one broken tenant must
// not stop housekeeping — or the chaining of audit events — for all others.
func sweep(ctx context.Context, db *postgres.DB, sweepers []Sweeper, tenants []uuid.UUID, now time.Time) (map[string]int64, error) {
	counts := make(map[string]int64, len(sweepers))
	var errs []error
	for _, s := range sweepers {
		counts[s.Name] = 0
		for _, t := range tenants {
			if ctx.Err() != nil {
				return counts, errors.Join(append(errs, ctx.Err())...)
			}
			for {
				var n int64
				err := db.TenantTx(ctx, t, func(tx pgx.Tx) (err error) {
					n, err = s.Sweep(ctx, tx, t, now, BatchSize)
					return err
				})
				if err != nil {
					errs = append(errs, fmt.Errorf("%s of tenant %s: %w", s.Name, t, err))
					break
				}
				counts[s.Name] += n
				if n < BatchSize {
					break
				}
			}
		}
	}
	return counts, errors.Join(errs...)
}
