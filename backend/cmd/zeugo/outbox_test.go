package main

import (
	"context"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/zeugo/zeugo/backend/internal/dbtest"
)

// TestOutboxCommands: the operator lists failed messages (ids and error
// classes, no recipient) and puts one back into delivery; the retry is in
// the tenant's audit log; a message that is not failed cannot be retried.
func TestOutboxCommands(t *testing.T) {
	t.Parallel()
	db := dbtest.New(t)
	env := map[string]string{"ZEUGO_ENV": "development", "ZEUGO_DATA_DIR": t.TempDir(), "ZEUGO_DATABASE_URL": db.OwnerURL}
	if code, stdout, stderr := zeugo(t, env, "migrate"); code != 0 {
		t.Fatalf("migrate: %d %q %q", code, stdout, stderr)
	}
	if code, stdout, stderr := zeugo(t, env, "tenant", "create", "--name", "Post GmbH", "--admin-email", "chef@post.example"); code != 0 {
		t.Fatalf("tenant create: %d %q %q", code, stdout, stderr)
	}
	ctx := context.Background()
	id := uuid.Must(uuid.NewV7())
	if _, err := db.Owner.Exec(ctx, `INSERT INTO outbox_messages (tenant_id, id, kind, template, language, recipient_enc, payload_enc,
		state, attempts, next_attempt_at, last_error, created_at, updated_at)
		SELECT id, $1, 'email', 'invitation', 'de', '\x01', '\x01', 'failed', 10, now(), 'connect', now(), now() FROM tenants`, id); err != nil {
		t.Fatal(err)
	}

	code, stdout, stderr := zeugo(t, env, "outbox", "failed")
	if code != 0 || !strings.Contains(stdout, id.String()) || !strings.Contains(stdout, "error=connect") || !strings.Contains(stdout, "1 failed message(s)") {
		t.Fatalf("outbox failed: %d %q %q", code, stdout, stderr)
	}
	code, stdout, stderr = zeugo(t, env, "outbox", "retry", "--id", id.String())
	if code != 0 || !strings.Contains(stdout, id.String()) {
		t.Fatalf("outbox retry: %d %q %q", code, stdout, stderr)
	}
	var state string
	var attempts, events int
	if err := db.Owner.QueryRow(ctx, `SELECT state, attempts FROM outbox_messages WHERE id = $1`, id).Scan(&state, &attempts); err != nil ||
		state != "pending" || attempts != 0 {
		t.Fatalf("after retry: %s %d %v", state, attempts, err)
	}
	if err := db.Owner.QueryRow(ctx, `SELECT count(*) FROM audit_events WHERE action = 'outbox.message.retried' AND target_id = $1
		AND actor_type = 'operator'`, id.String()).Scan(&events); err != nil || events != 1 {
		t.Fatalf("audit events: %d %v", events, err)
	}
	code, _, stderr = zeugo(t, env, "outbox", "retry", "--id", id.String())
	if code != 1 || !strings.Contains(stderr, "no failed message") {
		t.Fatalf("retry of a pending message: %d %q", code, stderr)
	}
	assertOneLine(t, "retry stderr", stderr)
	for _, args := range [][]string{{"outbox"}, {"outbox", "resend"}, {"outbox", "retry", "--id", "42"}, {"outbox", "retry"}} {
		if code, _, stderr := zeugo(t, env, args...); code != 2 {
			t.Errorf("%v: exit %d %q", args, code, stderr)
		}
	}
}
