package jobs_test

import (
	"context"
	"testing"
	"time"

	"connectrpc.com/connect"
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
	w := &jobs.CleanupWorker{DB: env.App.DB, Now: env.Clock.Now, Grace: 24 * time.Hour, Log: zerolog.Nop()}
	res, err := w.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if res.SessionsDeleted != 0 || res.Tenants != 2 {
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
	if res.SessionsDeleted != 3 {
		t.Fatalf("deleted %d sessions, want 3 (%+v)", res.SessionsDeleted, res)
	}
	if n := count(t, env, `SELECT count(*) FROM refresh_tokens`); n != 1 {
		t.Fatalf("refresh tokens left: %d, want 1 (the other tenant's)", n)
	}
	if n := count(t, env, `SELECT count(*) FROM sessions`); n != 1 {
		t.Fatalf("sessions left: %d, want 1", n)
	}
	// Running again changes nothing.
	res, err = w.Run(context.Background())
	if err != nil || res.SessionsDeleted != 0 {
		t.Fatalf("second run: %+v %v", res, err)
	}
	if n := count(t, env, `SELECT count(*) FROM pg_class WHERE relname LIKE 'audit_events_2%'`); n < 8 {
		t.Fatalf("audit partitions: %d, want the coming week's", n)
	}
}

func TestRiverRunsTheCleanupJobAsZeugoApp(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	w := &jobs.CleanupWorker{DB: env.App.DB, Now: env.Clock.Now, Grace: 24 * time.Hour, Log: zerolog.Nop()}
	pool, err := jobs.Start(context.Background(), env.DB.App, w, time.Hour)
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
