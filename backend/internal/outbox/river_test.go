package outbox_test

import (
	"context"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/zeugo/zeugo/backend/internal/jobs"
	"github.com/zeugo/zeugo/backend/internal/outbox"
)

// TestRiverDeliversOnItsOwnQueueAsZeugoApp: the delivery job, registered
// with jobs.Start like serve does, runs as zeugo_app on the outbox queue,
// delivers a committed mail and records its counts as the job's output.
func TestRiverDeliversOnItsOwnQueueAsZeugoApp(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	id := f.enqueue(invitation("de"))
	cleanup := &jobs.CleanupWorker{DB: f.env.App.DB, Now: f.env.Clock.Now, Log: zerolog.Nop()}
	pool, err := jobs.Start(context.Background(), f.env.DB.App, cleanup, time.Hour, nil, f.ob.Periodic(time.Second))
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
	// Wait (bounded) for River: the leader enqueues the job at start.
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) && f.status(id).State != outbox.Sent {
		time.Sleep(50 * time.Millisecond)
	}
	if st := f.status(id); st.State != outbox.Sent || len(f.mail.Mails()) != 1 {
		t.Fatalf("not delivered by the job: %+v", st)
	}
	// The run that sent it completes with its counts as output.
	var queue string
	var sent int
	for time.Now().Before(deadline) {
		err = f.env.DB.Owner.QueryRow(context.Background(), `SELECT queue, (metadata->'output'->>'sent')::int FROM river_job
			WHERE kind = 'outbox' AND state = 'completed' AND (metadata->'output'->>'sent')::int > 0 ORDER BY id LIMIT 1`).Scan(&queue, &sent)
		if err == nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err != nil || queue != outbox.Queue || sent != 1 {
		t.Fatalf("job record: queue %q, sent %d, %v", queue, sent, err)
	}
}
