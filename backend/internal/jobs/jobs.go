// Package jobs runs Zeugo's background work on River (PostgreSQL-backed):
// periodic, unique jobs that run once across all replicas (River elects a
// leader to enqueue periodic jobs), each bounded to batches of at most 1,000
// rows in their own transaction, idempotent, and recording what they did
// (counts, never content) as the job's output.
package jobs

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/rs/zerolog"

	"github.com/zeugo/zeugo/backend/internal/audit"
	"github.com/zeugo/zeugo/backend/internal/postgres"
	"github.com/zeugo/zeugo/backend/internal/ratelimit"
)

// BatchSize bounds the rows one statement deletes.
const BatchSize = 1000

// CleanupArgs is the periodic housekeeping job: expired sessions and their
// refresh tokens, old rate-limit windows, upcoming audit partitions (which
// also moves early events out of the default partition) and a keyed
// checkpoint of every audit chain head that moved since the last run. Later
// issues add retention and log expiry as jobs of their own.
type CleanupArgs struct{}

// Kind implements river.JobArgs.
func (CleanupArgs) Kind() string { return "cleanup" }

// CleanupResult is recorded as the job's output.
type CleanupResult struct {
	Tenants           int   `json:"tenants"`
	RateLimitsDeleted int64 `json:"rate_limits_deleted"`
	// Swept counts the rows each registered sweeper handled.
	Swept             map[string]int64 `json:"swept"`
	PartitionsCreated int              `json:"partitions_created"`
	Checkpoints       int              `json:"audit_checkpoints"`
}

// CleanupWorker does the housekeeping.
type CleanupWorker struct {
	river.WorkerDefaults[CleanupArgs]
	DB  *postgres.DB
	Now func() time.Time
	// Sweepers are the domains' per-tenant housekeeping (app.Build lists
	// them).
	Sweepers []Sweeper
	Log      zerolog.Logger
	// Chain, when set, checkpoints every tenant's audit chain head.
	Chain *audit.ChainKey

	mu sync.Mutex
	// logged is the last checkpoint seq logged per tenant by this process:
	// a head checkpointed by the writer (every audit.CheckpointEvery
	// events) is logged too, and each head only once.
	logged map[uuid.UUID]int64
}

// Work implements river.Worker.
func (w *CleanupWorker) Work(ctx context.Context, _ *river.Job[CleanupArgs]) error {
	res, err := w.Run(ctx)
	if err != nil {
		return err
	}
	w.Log.Info().Str("job", "cleanup").Int("tenants", res.Tenants).Interface("swept", res.Swept).
		Int64("rate_limits_deleted", res.RateLimitsDeleted).Int("partitions_created", res.PartitionsCreated).
		Int("audit_checkpoints", res.Checkpoints).Msg("job done")
	return river.RecordOutput(ctx, res)
}

// Run performs one cleanup pass; it is idempotent and may be interrupted at
// any point (every batch commits on its own).
func (w *CleanupWorker) Run(ctx context.Context) (CleanupResult, error) {
	var res CleanupResult
	now := w.Now()
	n, err := audit.EnsurePartitions(ctx, w.DB.Pool, now)
	if err != nil {
		return res, fmt.Errorf("audit partitions: %w", err)
	}
	res.PartitionsCreated = n
	tenants, err := tenantsForJobs(ctx, w.DB)
	if err != nil {
		return res, err
	}
	res.Tenants = len(tenants)
	if res.Swept, err = sweep(ctx, w.DB, w.Sweepers, tenants, now); err != nil {
		return res, err
	}
	if w.Chain != nil {
		for _, t := range tenants {
			var cp audit.CheckpointResult
			err := w.DB.TenantTx(ctx, t, func(tx pgx.Tx) error {
				var err error
				cp, err = w.Chain.Checkpoint(ctx, tx, t, now)
				return err
			})
			if errors.Is(err, audit.ErrHeadNotKeyed) {
				// One tampered chain must not stop the others' checkpoints.
				w.Log.Error().Str("job", "cleanup").Str("tenant", t.String()).Int64("audit_head_seq", cp.Seq).
					Msg("audit chain head is not keyed: not checkpointed; run zeugo audit verify")
				continue
			}
			if err != nil {
				return res, fmt.Errorf("audit checkpoint of tenant %s: %w", t, err)
			}
			if cp.Written {
				res.Checkpoints++
			}
			if cp.Seq > 0 && w.logOnce(t, cp.Seq) {
				// A witness outside the database: an owner who later cuts
				// the chain's tail and its checkpoints cannot cut this line
				// (ids and a hash prefix only, no content).
				w.Log.Info().Str("job", "cleanup").Str("tenant", t.String()).Int64("audit_checkpoint_seq", cp.Seq).
					Str("audit_checkpoint_hash", hex.EncodeToString(cp.Hash[:min(8, len(cp.Hash))])).Msg("audit checkpoint")
			}
		}
	}
	for {
		deleted, err := ratelimit.DeleteExpired(ctx, w.DB.Pool, now.Add(-24*time.Hour), BatchSize)
		if err != nil {
			return res, fmt.Errorf("rate limits: %w", err)
		}
		res.RateLimitsDeleted += deleted
		if deleted < BatchSize {
			break
		}
	}
	return res, nil
}

// logOnce reports whether seq is a new checkpoint of tenant t for the log.
func (w *CleanupWorker) logOnce(t uuid.UUID, seq int64) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.logged == nil {
		w.logged = map[uuid.UUID]int64{}
	}
	if w.logged[t] == seq {
		return false
	}
	w.logged[t] = seq
	return true
}

// Pool is the running background pool.
type Pool struct {
	client *river.Client[pgx.Tx]
}

// Periodic is a domain's own periodic job (the outbox's delivery). It runs
// on a queue of its own with one worker per replica, so that a slow
// outside service (an SMTP relay) never holds up the housekeeping jobs.
// With a zero Interval it is an on-demand job (OnDemand): only its queue
// and worker are set up.
type Periodic struct {
	// Queue is the job's River queue.
	Queue string
	// Interval is how often the elected leader enqueues the job (and once
	// at start); zero for an on-demand job.
	Interval time.Duration
	// Args returns the job's arguments, which name its kind.
	Args func() river.JobArgs
	// Register adds the job's worker.
	Register func(*river.Workers)
}

// OnDemand is a domain's job that requests insert (Inserter.InsertTx)
// rather than a timer: it runs on a queue of its own with one worker per
// replica, so a long job (a bulk export rendering PDFs) never holds up the
// housekeeping jobs nor takes more than one core of a replica. Pass it to
// Start with the periodic ones.
func OnDemand(queue string, register func(*river.Workers)) Periodic {
	return Periodic{Queue: queue, Register: register}
}

// Inserter inserts on-demand jobs in the caller's transaction, so a job
// exists exactly when the row that asked for it was committed. It is an
// insert-only River client: it needs no Start, and every process that
// serves requests has one whether or not it runs the pool.
type Inserter struct {
	client *river.Client[pgx.Tx]
}

// NewInserter returns an Inserter over pool.
func NewInserter(pool *pgxpool.Pool) (*Inserter, error) {
	client, err := river.NewClient(riverpgxv5.New(pool), &river.Config{
		Logger: slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})),
	})
	if err != nil {
		return nil, err
	}
	return &Inserter{client: client}, nil
}

// InsertTx inserts a job in tx; it runs once tx commits.
func (i *Inserter) InsertTx(ctx context.Context, tx pgx.Tx, args river.JobArgs, opts *river.InsertOpts) error {
	_, err := i.client.InsertTx(ctx, tx, args, opts)
	return err
}

// Start starts the River client with the periodic jobs on pool (the
// zeugo_app pool: jobs obey row-level security like requests do).
func Start(ctx context.Context, pool *pgxpool.Pool, cleanup *CleanupWorker, interval time.Duration, frequent *FrequentWorker, more ...Periodic) (*Pool, error) {
	workers := river.NewWorkers()
	river.AddWorker(workers, cleanup)
	queues := map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: 2}}
	periodic := []*river.PeriodicJob{
		river.NewPeriodicJob(river.PeriodicInterval(interval), func() (river.JobArgs, *river.InsertOpts) {
			return CleanupArgs{}, &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByPeriod: interval}}
		}, &river.PeriodicJobOpts{ID: "cleanup", RunOnStart: true}),
	}
	if frequent != nil {
		river.AddWorker(workers, frequent)
		every := frequent.Interval
		periodic = append(periodic, river.NewPeriodicJob(river.PeriodicInterval(every), func() (river.JobArgs, *river.InsertOpts) {
			return FrequentArgs{}, &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByPeriod: every}}
		}, &river.PeriodicJobOpts{ID: "frequent", RunOnStart: true}))
	}
	for _, p := range more {
		p.Register(workers)
		queues[p.Queue] = river.QueueConfig{MaxWorkers: 1}
		if p.Interval == 0 {
			continue
		}
		args, every, queue := p.Args, p.Interval, p.Queue
		periodic = append(periodic, river.NewPeriodicJob(river.PeriodicInterval(every), func() (river.JobArgs, *river.InsertOpts) {
			return args(), &river.InsertOpts{Queue: queue, UniqueOpts: river.UniqueOpts{ByPeriod: every}}
		}, &river.PeriodicJobOpts{ID: args().Kind(), RunOnStart: true}))
	}
	client, err := river.NewClient(riverpgxv5.New(pool), &river.Config{
		Queues:       queues,
		Workers:      workers,
		PeriodicJobs: periodic,
		JobTimeout:   10 * time.Minute,
		Logger:       slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})),
	})
	if err != nil {
		return nil, err
	}
	if err := client.Start(ctx); err != nil {
		return nil, err
	}
	return &Pool{client: client}, nil
}

// Stop waits for running jobs to finish (bounded by ctx).
func (p *Pool) Stop(ctx context.Context) error {
	return p.client.Stop(ctx)
}

// tenantsForJobs lists every tenant a job must visit (through the one
// SECURITY DEFINER door for it: zeugo_app sees no tenant row unbound).
func tenantsForJobs(ctx context.Context, db *postgres.DB) ([]uuid.UUID, error) {
	rows, err := db.Pool.Query(ctx, `SELECT tenant_ids_for_jobs()`)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[uuid.UUID])
}

// FrequentArgs is the periodic job of the sweepers that must run within
// seconds rather than minutes (chaining queued read events into the audit
// chain).
type FrequentArgs struct{}

// Kind implements river.JobArgs.
func (FrequentArgs) Kind() string { return "frequent" }

// FrequentWorker runs its sweepers over every tenant.
type FrequentWorker struct {
	river.WorkerDefaults[FrequentArgs]
	DB       *postgres.DB
	Now      func() time.Time
	Sweepers []Sweeper
	// Interval is how often the job runs.
	Interval time.Duration
	Log      zerolog.Logger
}

// Work implements river.Worker.
func (w *FrequentWorker) Work(ctx context.Context, _ *river.Job[FrequentArgs]) error {
	swept, err := w.Run(ctx)
	if err != nil {
		return err
	}
	return river.RecordOutput(ctx, swept)
}

// Run performs one pass of the sweepers.
func (w *FrequentWorker) Run(ctx context.Context) (map[string]int64, error) {
	tenants, err := tenantsForJobs(ctx, w.DB)
	if err != nil {
		return nil, err
	}
	return sweep(ctx, w.DB, w.Sweepers, tenants, w.Now())
}
