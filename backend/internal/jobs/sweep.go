package jobs

import (
	"context"
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
func sweep(ctx context.Context, db *postgres.DB, sweepers []Sweeper, tenants []uuid.UUID, now time.Time) (map[string]int64, error) {
	counts := make(map[string]int64, len(sweepers))
	for _, s := range sweepers {
		counts[s.Name] = 0
		for _, t := range tenants {
			for {
				var n int64
				err := db.TenantTx(ctx, t, func(tx pgx.Tx) (err error) {
					n, err = s.Sweep(ctx, tx, t, now, BatchSize)
					return err
				})
				if err != nil {
					return counts, fmt.Errorf("%s of tenant %s: %w", s.Name, t, err)
				}
				counts[s.Name] += n
				if n < BatchSize {
					break
				}
			}
		}
	}
	return counts, nil
}
