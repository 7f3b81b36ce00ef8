package jobs_test

import (
	"bytes"
	"context"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"github.com/zeugo/zeugo/backend/internal/apptest"
	"github.com/zeugo/zeugo/backend/internal/jobs"
)

// TestCleanupCheckpointsAuditHeads: every run writes a keyed checkpoint of
// each audit chain head that moved since the last one and logs it (the
// witness outside the database); a tampered head is reported and skipped
// without stopping the others. The tenants' provisioning events, written
// before any partition existed, sit in dated partitions.
func TestCleanupCheckpointsAuditHeads(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	a := env.CreateTenant("Prüfpunkt GmbH", "hr@pruefpunkt.example")
	b := env.CreateTenant("Manipuliert AG", "hr@manipuliert.example")
	var logBuf bytes.Buffer
	w := &jobs.CleanupWorker{DB: env.App.DB, Now: env.Clock.Now, Sweepers: env.App.Sweepers, Log: zerolog.New(&logBuf), Chain: env.App.AuditChain}
	res, err := w.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if res.Checkpoints != 2 {
		t.Fatalf("checkpoints %d, want 2 (%+v)", res.Checkpoints, res)
	}
	if n := count(t, env, `SELECT count(*) FROM audit_checkpoints`); n != 2 {
		t.Fatalf("%d checkpoint rows, want 2", n)
	}
	var hash []byte
	if err := env.DB.Owner.QueryRow(context.Background(), `SELECT hash FROM audit_events WHERE tenant_id = $1 AND seq = 2`, a.TenantID).Scan(&hash); err != nil {
		t.Fatal(err)
	}
	line := `"tenant":"` + a.TenantID.String() + `","audit_checkpoint_seq":2,"audit_checkpoint_hash":"` + hex.EncodeToString(hash[:8]) + `"`
	if !strings.Contains(logBuf.String(), line) {
		t.Errorf("log lacks the checkpoint witness %s:\n%s", line, logBuf.String())
	}
	// Nothing moved: nothing new, nothing logged.
	logBuf.Reset()
	if res, err := w.Run(context.Background()); err != nil || res.Checkpoints != 0 || strings.Contains(logBuf.String(), "audit checkpoint") {
		t.Fatalf("second run: %+v %v\n%s", res, err, logBuf.String())
	}
	// Another process (after a restart, or for a head the writer itself
	// checkpointed) logs the existing checkpoint once: the witness is
	// never missing for the current head.
	var logBuf2 bytes.Buffer
	w2 := &jobs.CleanupWorker{DB: env.App.DB, Now: env.Clock.Now, Sweepers: env.App.Sweepers, Log: zerolog.New(&logBuf2), Chain: env.App.AuditChain}
	if res, err := w2.Run(context.Background()); err != nil || res.Checkpoints != 0 || !strings.Contains(logBuf2.String(), line) {
		t.Fatalf("run of a restarted worker: %+v %v\n%s", res, err, logBuf2.String())
	}
	// B's head is moved without the key: reported, not checkpointed; A
	// goes on.
	if _, err := env.DB.Owner.Exec(context.Background(), `UPDATE audit_chain_heads SET seq = 1, hash = e.hash FROM audit_events e
		WHERE audit_chain_heads.tenant_id = $1 AND e.tenant_id = $1 AND e.seq = 1`, b.TenantID); err != nil {
		t.Fatal(err)
	}
	if err := env.Owner.Provisioner.SetPassword(context.Background(), a.TenantID, a.Email, "Neues-Passwort-123"); err != nil {
		t.Fatal(err)
	}
	logBuf.Reset()
	res, err = w.Run(context.Background())
	if err != nil || res.Checkpoints != 1 {
		t.Fatalf("run with a tampered head: %+v %v", res, err)
	}
	if !strings.Contains(logBuf.String(), `"tenant":"`+b.TenantID.String()+`","audit_head_seq":1,"message":"audit chain head is not keyed`) {
		t.Errorf("tampered head not reported:\n%s", logBuf.String())
	}
	if n := count(t, env, `SELECT count(*) FROM audit_events WHERE tableoid = 'audit_events_default'::regclass`); n != 0 {
		t.Errorf("%d audit events in the default partition, want 0", n)
	}
}
