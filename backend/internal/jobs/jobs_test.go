package jobs_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"connectrpc.com/connect"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/rs/zerolog"

	"github.com/zeugo/zeugo/backend/internal/apptest"
	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
	"github.com/zeugo/zeugo/backend/internal/jobs"
)

func count(t *testing.T, env *apptest.Env, sql string) int {
	t.Helper()
	var n int
	if err := env.DB.Owner.QueryRow(context.Background(), sql).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestCleanupDeletesEndedSessionsInBatchesAndIsIdempotent(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ten := env.CreateTenant("Aufräum GmbH", "hr@aufraeum.example")
	other := env.CreateTenant("Bleibt AG", "hr@bleibt.example")
	c := env.AuthClient(env.HTTPClient(), apptest.Connect)
	for i := 0; i < 3; i++ {
		if _, err := c.Login(context.Background(), connect.NewRequest(&zeugov1.LoginRequest{Email: ten.Email, Password: ten.Password})); err != nil {
			t.Fatal(err)
		}
	}
	w := &jobs.CleanupWorker{DB: env.App.DB, Now: env.Clock.Now, Sweepers: env.App.Sweepers, Log: zerolog.Nop()}
	res, err := w.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if res.Swept["sessions_deleted"] != 0 || res.Tenants != 2 {
		t.Fatalf("live sessions must survive: %+v", res)
	}
	// A later session of the other tenant is still alive when the first ones end.
	env.Clock.Advance(13 * time.Hour) // past the absolute timeout
	if _, err := c.Login(context.Background(), connect.NewRequest(&zeugov1.LoginRequest{Email: other.Email, Password: other.Password})); err != nil {
		t.Fatal(err)
	}
	env.Clock.Advance(24*time.Hour + time.Minute) // past the grace period of the first three
	res, err = w.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if res.Swept["sessions_deleted"] != 3 {
		t.Fatalf("deleted %d sessions, want 3 (%+v)", res.Swept["sessions_deleted"], res)
	}
	if n := count(t, env, `SELECT count(*) FROM refresh_tokens`); n != 1 {
		t.Fatalf("refresh tokens left: %d, want 1 (the other tenant's)", n)
	}
	if n := count(t, env, `SELECT count(*) FROM sessions`); n != 1 {
		t.Fatalf("sessions left: %d, want 1", n)
	}
	// Running again changes nothing.
	res, err = w.Run(context.Background())
	if err != nil || res.Swept["sessions_deleted"] != 0 {
		t.Fatalf("second run: %+v %v", res, err)
	}
	if n := count(t, env, `SELECT count(*) FROM pg_class WHERE relname LIKE 'audit_events_2%'`); n < 8 {
		t.Fatalf("audit partitions: %d, want the coming week's", n)
	}
}

func TestRiverRunsTheCleanupJobAsZeugoApp(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	w := &jobs.CleanupWorker{DB: env.App.DB, Now: env.Clock.Now, Sweepers: env.App.Sweepers, Log: zerolog.Nop()}
	pool, err := jobs.Start(context.Background(), env.DB.App, w, time.Hour, nil)
	if err != nil {
		t.Fatalf("start: %v", err)
	}
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := pool.Stop(ctx); err != nil {
			t.Errorf("stop: %v", err)
		}
	}()
	// RunOnStart enqueues the job once the client is elected leader; wait
	// (bounded) for River to record it as completed with its output.
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		var state string
		var output []byte
		err := env.DB.Owner.QueryRow(context.Background(),
			`SELECT state::text, coalesce(metadata->'output', 'null') FROM river_job WHERE kind = 'cleanup' ORDER BY id DESC LIMIT 1`).Scan(&state, &output)
		if err == nil && state == "completed" {
			if string(output) == "null" {
				t.Fatal("job recorded no output")
			}
			return
		}
		if err == nil && (state == "discarded" || state == "retryable") {
			t.Fatalf("job state %s", state)
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatal("the cleanup job did not complete within 60 s")
}

// TestSweepersRunInBoundedBatchesPerTenant crosses the batch boundary: a
// sweeper with 2,500 due rows in one tenant is called until a batch comes
// back short, each call in its own transaction bound to that tenant.
func TestSweepersRunInBoundedBatchesPerTenant(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	big := env.CreateTenant("Viel GmbH", "hr@viel.example")
	env.CreateTenant("Wenig AG", "hr@wenig.example")
	due := map[uuid.UUID]int64{big.TenantID: 2*jobs.BatchSize + 500}
	var calls []int
	s := jobs.Sweeper{Name: "test_rows", Sweep: func(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID, _ time.Time, batch int) (int64, error) {
		var bound string
		if err := tx.QueryRow(ctx, `SELECT current_setting('app.tenant_id')`).Scan(&bound); err != nil || bound != tenantID.String() {
			return 0, fmt.Errorf("transaction bound to %q, want %s (%v)", bound, tenantID, err)
		}
		n := min(due[tenantID], int64(batch))
		due[tenantID] -= n
		calls = append(calls, int(n))
		return n, nil
	}}
	w := &jobs.CleanupWorker{DB: env.App.DB, Now: env.Clock.Now, Sweepers: []jobs.Sweeper{s}, Log: zerolog.Nop()}
	res, err := w.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if res.Swept["test_rows"] != 2*jobs.BatchSize+500 || due[big.TenantID] != 0 {
		t.Fatalf("swept %d, left %d", res.Swept["test_rows"], due[big.TenantID])
	}
	// Three batches for the big tenant (1000, 1000, 500), one empty call for
	// the other tenant, in some tenant order.
	if len(calls) != 4 || slices.Max(calls) != jobs.BatchSize {
		t.Fatalf("calls %v, want 4 with none above %d", calls, jobs.BatchSize)
	}
}

// TestOneFailingTenantDoesNotStopTheOthers: a sweep that fails for one
// tenant is reported, and every other tenant is still swept.
func TestOneFailingTenantDoesNotStopTheOthers(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	broken := env.CreateTenant("Kaputt GmbH", "hr@kaputt.example")
	env.CreateTenant("Heil AG", "hr@heil.example")
	env.CreateTenant("Ganz KG", "hr@ganz.example")
	s := jobs.Sweeper{Name: "test_rows", Sweep: func(_ context.Context, _ pgx.Tx, tenantID uuid.UUID, _ time.Time, _ int) (int64, error) {
		if tenantID == broken.TenantID {
			return 0, fmt.Errorf("broken tenant")
		}
		return 1, nil
	}}
	w := &jobs.CleanupWorker{DB: env.App.DB, Now: env.Clock.Now, Sweepers: []jobs.Sweeper{s}, Log: zerolog.Nop()}
	res, err := w.Run(context.Background())
	if err == nil || res.Swept["test_rows"] != 2 {
		t.Fatalf("swept %d with error %v; want the two healthy tenants swept and the broken one reported", res.Swept["test_rows"], err)
	}
}
