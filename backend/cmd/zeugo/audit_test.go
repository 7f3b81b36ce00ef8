package main

import (
	"context"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/zeugo/zeugo/backend/internal/dbtest"
)

// TestAuditVerify runs `zeugo audit verify` as an operator would: exit 0
// and one line when the chain is intact, exit 3 and one line naming the
// first broken seq and the reason when not, 1 when it cannot check, 2 on a
// wrong command line. On the way, `migrate` and `tenant create` on a fresh
// database leave no event in the default partition.
func TestAuditVerify(t *testing.T) {
	t.Parallel()
	db := dbtest.New(t)
	ctx := context.Background()
	env := map[string]string{"ZEUGO_ENV": "development", "ZEUGO_DATA_DIR": t.TempDir(), "ZEUGO_DATABASE_URL": db.OwnerURL}
	if code, stdout, stderr := zeugo(t, env, "migrate"); code != 0 {
		t.Fatalf("migrate: %d %q %q", code, stdout, stderr)
	}
	// migrate created the partitions from yesterday through the next week.
	var parts int
	if err := db.Owner.QueryRow(ctx, `SELECT count(*) FROM pg_class WHERE relname = ANY ($1)`, []string{
		"audit_events_" + time.Now().UTC().Format("20060102"), "audit_events_" + time.Now().UTC().AddDate(0, 0, 7).Format("20060102"),
	}).Scan(&parts); err != nil || parts != 2 {
		t.Errorf("partitions of today and in a week after migrate: %d (%v), want 2", parts, err)
	}
	if code, stdout, stderr := zeugo(t, env, "tenant", "create", "--name", "Prüfung GmbH", "--admin-email", "chef@pruefung.example"); code != 0 {
		t.Fatalf("tenant create: %d %q %q", code, stdout, stderr)
	}
	var tenantID string
	if err := db.Owner.QueryRow(ctx, `SELECT id::text FROM tenants`).Scan(&tenantID); err != nil {
		t.Fatal(err)
	}
	var inDefault int
	if err := db.Owner.QueryRow(ctx, `SELECT count(*) FROM audit_events WHERE tableoid = 'audit_events_default'::regclass`).Scan(&inDefault); err != nil || inDefault != 0 {
		t.Errorf("%d events in the default partition (%v), want 0", inDefault, err)
	}

	verify := func(args ...string) (int, string, string) {
		t.Helper()
		return zeugo(t, env, append([]string{"audit", "verify"}, args...)...)
	}
	for _, ref := range []string{tenantID, "pruefung-gmbh"} {
		code, stdout, stderr := verify("--tenant", ref)
		if code != 0 || stderr != "" || !strings.Contains(stdout, "audit chain of tenant "+tenantID+" intact: 2 events (seq 1 to 2)") {
			t.Errorf("verify --tenant %s: %d %q %q", ref, code, stdout, stderr)
		}
		assertOneLine(t, "intact stdout", stdout)
	}
	var hash2 []byte
	if err := db.Owner.QueryRow(ctx, `SELECT hash FROM audit_events WHERE seq = 2`).Scan(&hash2); err != nil {
		t.Fatal(err)
	}
	if code, stdout, stderr := verify("--tenant", tenantID, "--witness", "2:"+hex.EncodeToString(hash2[:8])); code != 0 {
		t.Errorf("verify with a matching witness: %d %q %q", code, stdout, stderr)
	}
	code, stdout, stderr := verify("--tenant", tenantID, "--witness", "5:"+hex.EncodeToString(hash2[:8]))
	if code != 3 || stdout != "" || !strings.Contains(stderr, "broken at seq 3: chain ends at 2 but a witness saw it reach 5") {
		t.Errorf("verify with a witness beyond the head: %d %q %q", code, stdout, stderr)
	}

	// An operator command with an unkeyed head (as written before migration
	// 00004): migrate verifies the chain and keys it.
	if _, err := db.Owner.Exec(ctx, `UPDATE audit_chain_heads SET head_mac = NULL`); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr = verify("--tenant", tenantID)
	if code != 3 || !strings.Contains(stderr, "broken at seq 2: the head (seq 2) is not keyed with the chain key") {
		t.Errorf("verify of an unkeyed head: %d %q %q", code, stdout, stderr)
	}
	if code, stdout, stderr := zeugo(t, env, "migrate"); code != 0 || !strings.Contains(stdout, "keyed 1 audit chain heads") {
		t.Fatalf("migrate keying a legacy head: %d %q %q", code, stdout, stderr)
	}
	if code, stdout, stderr := verify("--tenant", tenantID); code != 0 {
		t.Errorf("verify after keying: %d %q %q", code, stdout, stderr)
	}

	// Tampering: the first break is named, with its seq and reason.
	if _, err := db.Owner.Exec(ctx, `UPDATE audit_events SET action = 'user.deleted' WHERE seq = 2`); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr = verify("--tenant", tenantID)
	if code != 3 || stdout != "" || !strings.Contains(stderr, fmt.Sprintf("audit chain of tenant %s is broken at seq 2: event content does not match its hash", tenantID)) {
		t.Errorf("verify of a tampered chain: %d %q %q", code, stdout, stderr)
	}
	assertOneLine(t, "broken stderr", stderr)
	// A broken chain that is not keyed stays unkeyed: migrate names it.
	if _, err := db.Owner.Exec(ctx, `UPDATE audit_chain_heads SET head_mac = NULL`); err != nil {
		t.Fatal(err)
	}
	if code, stdout, stderr := zeugo(t, env, "migrate"); code != 0 || !strings.Contains(stdout, "audit chain of tenant "+tenantID+" is broken and was not keyed") {
		t.Errorf("migrate with a broken legacy chain: %d %q %q", code, stdout, stderr)
	}

	// Cannot check: exit 1.
	code, _, stderr = verify("--tenant", "00000000-0000-7000-8000-000000000000")
	if code != 1 || !strings.Contains(stderr, "no tenant") {
		t.Errorf("unknown tenant: %d %q", code, stderr)
	}
	assertOneLine(t, "unknown tenant stderr", stderr)
	// Wrong command lines: exit 2, before touching the database.
	for _, args := range [][]string{{"audit"}, {"audit", "check"}, {"audit", "verify"}, {"audit", "verify", "--tenant"},
		{"audit", "verify", "--tenant", tenantID, "extra"}, {"audit", "verify", "--tenant", tenantID, "--witness", "7"},
		{"audit", "verify", "--tenant", tenantID, "--witness", "7:xyz"}} {
		code, stdout, stderr := zeugo(t, map[string]string{}, args...)
		if code != 2 || stdout != "" {
			t.Errorf("%q: %d %q %q", args, code, stdout, stderr)
		}
		assertOneLine(t, strings.Join(args, " "), stderr)
	}
}
