package handover_test

import (
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/zeugo/zeugo/backend/internal/apptest"
	"github.com/zeugo/zeugo/backend/internal/jobs"
)

// TestSweepersDeleteEndedSessionsAndAttempts: a recipient session and a
// code attempt stay while they are valid and are deleted once expired.
func TestSweepersDeleteEndedSessionsAndAttempts(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.handOver(t, "s@kunde.example", noCode, false, grant(secPerformance, true))
	id, secret := f.link(t, "s@kunde.example")
	f.open(t, id, secret, apptest.Connect)
	w := &jobs.CleanupWorker{DB: f.env.App.DB, Now: f.env.Clock.Now, Sweepers: f.env.App.Sweepers, Log: zerolog.Nop()}
	res, err := w.Run(ctx())
	if err != nil {
		t.Fatal(err)
	}
	if res.Swept["handover_sessions_deleted"] != 0 {
		t.Fatalf("a live session was deleted: %+v", res)
	}
	f.env.Clock.Advance(3 * time.Hour)
	if res, err = w.Run(ctx()); err != nil {
		t.Fatal(err)
	}
	if res.Swept["handover_sessions_deleted"] != 1 {
		t.Fatalf("the expired session was not deleted: %+v", res)
	}
}
