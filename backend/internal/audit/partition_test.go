package audit_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/zeugo/zeugo/backend/internal/audit"
	"github.com/zeugo/zeugo/backend/internal/postgres"
)

// where counts tenant ten's events in the default partition and in dated ones.
func (f *fixture) where(t *testing.T, ten uuid.UUID) (inDefault, inDaily int) {
	t.Helper()
	if err := f.db.Owner.QueryRow(context.Background(), `SELECT count(*) FILTER (WHERE tableoid = 'audit_events_default'::regclass),
		count(*) FILTER (WHERE tableoid <> 'audit_events_default'::regclass) FROM audit_events WHERE tenant_id = $1`, ten).Scan(&inDefault, &inDaily); err != nil {
		t.Fatal(err)
	}
	return inDefault, inDaily
}

// TestWriterCreatesTheDaysPartition: on a fresh database (no partition yet,
// as for `migrate` + `tenant create` before any `serve`), the writer's first
// event of a day creates that day's partition, so nothing lands in the
// default partition; the chain verifies.
func TestWriterCreatesTheDaysPartition(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ten := f.chain(t, 3)
	f.clock.Advance(24 * time.Hour)
	f.write(t, ten, 2) // the next day
	if inDefault, inDaily := f.where(t, ten); inDefault != 0 || inDaily != 5 {
		t.Errorf("default partition %d, dated %d; want 0 and 5", inDefault, inDaily)
	}
	if res := f.verify(t, ten); !res.OK || res.Events != 5 {
		t.Fatalf("Verify = %+v", res)
	}
}

// TestEarlyEventsMoveIntoDatedPartitions: events that an earlier version
// left in the default partition (written before their day's partition
// existed — here weeks ago and today) are moved into dated partitions by
// EnsurePartitions (migrate, serve, the cleanup job), which PostgreSQL
// would otherwise refuse; the new partitions are locked down like the
// others and the chain still verifies.
func TestEarlyEventsMoveIntoDatedPartitions(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	today := f.clock.Now()
	f.clock.Advance(-20 * 24 * time.Hour)
	ten := f.chain(t, 2)
	f.clock.Advance(20 * 24 * time.Hour)
	f.write(t, ten, 3)
	if _, err := audit.EnsurePartitions(ctx, f.db.App, today); err != nil {
		t.Fatal(err)
	}
	// The state of a database written before this fix: every event in the
	// default partition, no dated partition for their days.
	for _, day := range []time.Time{today.AddDate(0, 0, -20), today} {
		part := pgx.Identifier{"audit_events_" + day.Format("20060102")}.Sanitize()
		for _, q := range []string{"ALTER TABLE audit_events DETACH PARTITION " + part,
			"INSERT INTO audit_events_default SELECT * FROM " + part, "DROP TABLE " + part} {
			if _, err := f.db.Owner.Exec(ctx, q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
	}
	if inDefault, _ := f.where(t, ten); inDefault != 5 {
		t.Fatalf("setup: %d events in the default partition, want 5", inDefault)
	}
	if res := f.verify(t, ten); !res.OK || res.Events != 5 {
		t.Fatalf("Verify before the move = %+v", res)
	}

	created, err := audit.EnsurePartitions(ctx, f.db.App, today)
	if err != nil {
		t.Fatalf("EnsurePartitions with rows in the default partition: %v", err)
	}
	if created != 2 {
		// today (with its rows) and 20 days ago; the rest of the week
		// existed already.
		t.Errorf("created %d partitions, want 2", created)
	}
	if inDefault, inDaily := f.where(t, ten); inDefault != 0 || inDaily != 5 {
		t.Errorf("after EnsurePartitions: default partition %d, dated %d; want 0 and 5", inDefault, inDaily)
	}
	var parts int
	if err := f.db.Owner.QueryRow(ctx, `SELECT count(DISTINCT tableoid) FROM audit_events WHERE tenant_id = $1`, ten).Scan(&parts); err != nil || parts != 2 {
		t.Errorf("events in %d partitions (%v), want 2 (their two days)", parts, err)
	}
	// The partitions built by moving are as locked down as created ones:
	// forced RLS with the tenant policy, no privilege for zeugo_app.
	for _, day := range []time.Time{today.AddDate(0, 0, -20), today} {
		name := "audit_events_" + day.Format("20060102")
		var rls, force, policy, appPriv bool
		if err := f.db.Owner.QueryRow(ctx, `SELECT c.relrowsecurity, c.relforcerowsecurity,
				EXISTS (SELECT FROM pg_policy p WHERE p.polrelid = c.oid AND p.polname = 'tenant_isolation'),
				has_table_privilege('zeugo_app', c.oid, 'UPDATE') OR has_table_privilege('zeugo_app', c.oid, 'DELETE')
			FROM pg_class c WHERE c.relname = $1 AND c.relispartition`, name).Scan(&rls, &force, &policy, &appPriv); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !rls || !force || !policy || appPriv {
			t.Errorf("%s: RLS %v, forced %v, policy %v, zeugo_app may change rows %v", name, rls, force, policy, appPriv)
		}
	}
	if res := f.verify(t, ten); !res.OK || res.Events != 5 {
		t.Fatalf("Verify after the move = %+v", res)
	}
	// Writing goes on into the dated partition.
	f.write(t, ten, 1)
	if inDefault, _ := f.where(t, ten); inDefault != 0 {
		t.Errorf("%d events in the default partition after a new write", inDefault)
	}
	if again, err := audit.EnsurePartitions(ctx, f.db.App, today); err != nil || again != 0 {
		t.Errorf("EnsurePartitions is not idempotent: %d, %v", again, err)
	}
}

// TestConcurrentFirstWritesOfADay: writers of several processes (each with
// its own day cache) write the first events of a day at once on a fresh
// database; they race to create the same partition and none fails.
func TestConcurrentFirstWritesOfADay(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	const writers = 4
	tenants := make([]uuid.UUID, writers)
	for i := range tenants {
		tenants[i] = f.tenant(t)
	}
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make([]error, writers)
	for i := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := audit.NewWriter(f.keys, f.key, f.clock.Now) // another process
			errs[i] = f.app.TenantTx(ctx, tenants[i], func(tx pgx.Tx) error {
				return w.Write(ctx, tx, tenants[i], audit.Event{Action: audit.ActionLogout, Outcome: audit.OutcomeSuccess, ActorType: audit.ActorUser})
			})
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("writer %d: %v", i, err)
		}
		if inDefault, inDaily := f.where(t, tenants[i]); inDefault != 0 || inDaily != 1 {
			t.Errorf("tenant %d: default %d, dated %d", i, inDefault, inDaily)
		}
	}
}

// countingTracer counts the round trips through a pool: each statement
// alone, and each batch once.
type countingTracer struct{ n atomic.Int64 }

func (c *countingTracer) TraceBatchStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceBatchStartData) context.Context {
	c.n.Add(1)
	return ctx
}

func (c *countingTracer) TraceBatchQuery(context.Context, *pgx.Conn, pgx.TraceBatchQueryData) {}

func (c *countingTracer) TraceBatchEnd(context.Context, *pgx.Conn, pgx.TraceBatchEndData) {}

func (c *countingTracer) TraceQueryStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryStartData) context.Context {
	c.n.Add(1)
	return ctx
}

func (c *countingTracer) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

// TestPartitionCheckOnlyOnTheFirstWriteOfADay measures the writer's round
// trips: the partition check costs one on the first write of a day (per
// process) and none on the hot path.
func TestPartitionCheckOnlyOnTheFirstWriteOfADay(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ten := f.tenant(t)
	ctx := context.Background()
	cfg, err := pgxpool.ParseConfig(f.db.AppURL)
	if err != nil {
		t.Fatal(err)
	}
	tracer := &countingTracer{}
	cfg.ConnConfig.Tracer = tracer
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	db := &postgres.DB{Pool: pool}
	w := audit.NewWriter(f.keys, f.key, f.clock.Now)
	statements := func() int64 {
		t.Helper()
		var n int64
		err := db.TenantTx(ctx, ten, func(tx pgx.Tx) error {
			before := tracer.n.Load()
			// No request facts: no key lookup, only the writer's own statements.
			err := w.Write(ctx, tx, ten, audit.Event{Action: audit.ActionLogout, Outcome: audit.OutcomeSuccess, ActorType: audit.ActorUser})
			n = tracer.n.Load() - before
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	// The head lock, then insert and head update in one batch: 2; the first
	// write of a day adds the partition check (here it creates the
	// partitions, so the day counts as ensured only when the next write
	// finds them existing).
	want := []int64{3, 3, 2, 2, 2}
	for i, w := range want {
		if got := statements(); got != w {
			t.Errorf("write %d: %d statements, want %d", i+1, got, w)
		}
	}
	// A new day whose partition exists already (created a day ahead): the
	// check costs one statement once. (Here the check also creates the day
	// after, so the day counts as ensured from the second write on.)
	f.clock.Advance(24 * time.Hour)
	for i, w := range []int64{3, 3, 2, 2} {
		if got := statements(); got != w {
			t.Errorf("next day, write %d: %d statements, want %d", i+1, got, w)
		}
	}
	if res := f.verify(t, ten); !res.OK || res.Events != 9 {
		t.Fatalf("Verify = %+v", res)
	}
}

// TestEnsurePartitionsYieldsToABusyDefault: while a long reader holds the
// default partition, creating a partition (which must lock it exclusively)
// gives up after lock_timeout instead of failing its caller or queueing
// every audit writer behind it; the next call does the work.
func TestEnsurePartitionsYieldsToABusyDefault(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	reader, err := f.db.Owner.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer reader.Rollback(ctx) //nolint:errcheck
	var n int
	if err := reader.QueryRow(ctx, `SELECT count(*) FROM audit_events_default`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	created, err := audit.EnsurePartitions(ctx, f.db.App, f.clock.Now())
	if err != nil || created != 0 {
		t.Fatalf("EnsurePartitions beside a reader of the default partition: %d, %v; want 0, nil", created, err)
	}
	if err := reader.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	if created, err := audit.EnsurePartitions(ctx, f.db.App, f.clock.Now()); err != nil || created != 9 {
		t.Fatalf("EnsurePartitions afterwards: %d, %v; want 9", created, err)
	}
}
