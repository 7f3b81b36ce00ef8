package audit_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/netip"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/zeugo/zeugo/backend/internal/audit"
	"github.com/zeugo/zeugo/backend/internal/dbtest"
	"github.com/zeugo/zeugo/backend/internal/keyring"
	"github.com/zeugo/zeugo/backend/internal/postgres"
	"github.com/zeugo/zeugo/backend/internal/requestinfo"
)

// clock is a test clock that moves only when told.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// fixture is a fresh database with tenants that have data keys, and a
// writer running as zeugo_app, as in the server.
type fixture struct {
	db    *dbtest.DB
	app   *postgres.DB
	keys  *keyring.Keyring
	w     *audit.Writer
	key   *audit.ChainKey
	clock *clock
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	db := dbtest.New(t)
	master, err := keyring.NewMaster([][]byte{keyring.NewKey()})
	if err != nil {
		t.Fatal(err)
	}
	// Noon UTC today: no test crosses a day boundary by accident.
	c := &clock{now: time.Now().UTC().Truncate(24 * time.Hour).Add(12 * time.Hour)}
	keys := keyring.New(master, c.Now)
	chain := audit.NewChainKey(keyring.NewKey())
	return &fixture{db: db, app: &postgres.DB{Pool: db.App}, keys: keys, w: audit.NewWriter(keys, chain, c.Now), key: chain, clock: c}
}

// tenant creates a tenant row (as the operator) and its data key.
func (f *fixture) tenant(t *testing.T) uuid.UUID {
	t.Helper()
	ctx := context.Background()
	id := uuid.Must(uuid.NewV7())
	if _, err := f.db.Owner.Exec(ctx, `INSERT INTO tenants (id, name, slug, created_at) VALUES ($1, $2, $3, now())`,
		id, "Mandant "+id.String()[:8], "m-"+id.String()[:8]+id.String()[len(id.String())-4:]); err != nil {
		t.Fatal(err)
	}
	if err := f.app.TenantTx(ctx, id, func(tx pgx.Tx) error {
		_, err := f.keys.CreateTenantKey(ctx, tx, id)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return id
}

// chain returns a new tenant of f with n events already written.
func (f *fixture) chain(t *testing.T, n int) uuid.UUID {
	t.Helper()
	ten := f.tenant(t)
	f.write(t, ten, n)
	return ten
}

func requestCtx() context.Context {
	return requestinfo.With(context.Background(), requestinfo.Info{IP: netip.MustParseAddr("203.0.113.7"),
		UserAgent: "Mozilla/5.0 (Prüfstand)", RequestID: "rid"})
}

// write appends n events, each in its own tenant transaction.
func (f *fixture) write(t *testing.T, ten uuid.UUID, n int) {
	t.Helper()
	ctx := requestCtx()
	for i := range n {
		f.clock.Advance(time.Second)
		err := f.app.TenantTx(ctx, ten, func(tx pgx.Tx) error {
			return f.w.Write(ctx, tx, ten, audit.Event{Action: audit.ActionLoginFailed, Outcome: audit.OutcomeFailure,
				ActorType: audit.ActorAnonymous, TargetType: "user", TargetID: fmt.Sprint(i),
				Details: map[string]string{"reason": "wrong_password", "n": fmt.Sprint(i)}})
		})
		if err != nil {
			t.Fatalf("write event %d: %v", i, err)
		}
	}
}

func (f *fixture) verify(t *testing.T, ten uuid.UUID) audit.VerifyResult {
	t.Helper()
	var res audit.VerifyResult
	err := f.app.TenantTx(context.Background(), ten, func(tx pgx.Tx) error {
		var err error
		res, err = f.key.Verify(context.Background(), tx, ten)
		return err
	})
	if err != nil {
		t.Fatalf("verify: %v", err)
	}
	return res
}

func (f *fixture) count(t *testing.T, ten uuid.UUID) int {
	t.Helper()
	var n int
	if err := f.db.Owner.QueryRow(context.Background(), `SELECT count(*) FROM audit_events WHERE tenant_id = $1`, ten).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestChainVerifiesAcrossPartitions(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ten := f.tenant(t)
	ctx := context.Background()
	created, err := audit.EnsurePartitions(ctx, f.db.App, f.clock.Now())
	if err != nil || created != 9 {
		t.Fatalf("EnsurePartitions = %d, %v; want 9", created, err)
	}
	if again, err := audit.EnsurePartitions(ctx, f.db.App, f.clock.Now()); err != nil || again != 0 {
		t.Fatalf("EnsurePartitions is not idempotent: %d, %v", again, err)
	}
	// 30 events, 5 hours apart: they land in several daily partitions.
	const n = 30
	for range n {
		f.write(t, ten, 1)
		f.clock.Advance(5 * time.Hour)
	}
	res := f.verify(t, ten)
	if !res.OK || res.Events != n || res.BrokenAtSeq != 0 {
		t.Fatalf("Verify = %+v, want OK with %d events", res, n)
	}
	var parts int
	if err := f.db.Owner.QueryRow(ctx, `SELECT count(DISTINCT tableoid) FROM audit_events WHERE tenant_id = $1`, ten).Scan(&parts); err != nil {
		t.Fatal(err)
	}
	if parts < 3 {
		t.Errorf("events landed in %d partitions, want ≥ 3", parts)
	}
	// The sequence is gapless, each row links to its predecessor, and IP
	// and user agent are stored encrypted.
	rows, err := f.db.Owner.Query(ctx, `SELECT seq, prev_hash, hash, ip_enc, user_agent_enc FROM audit_events WHERE tenant_id = $1 ORDER BY seq`, ten)
	if err != nil {
		t.Fatal(err)
	}
	// Closed on every exit: a t.Fatalf with the rows open would keep the
	// connection busy, and closing the pool at cleanup would wait forever.
	defer rows.Close()
	prev := audit.Genesis(ten)
	var seq int64
	for rows.Next() {
		var s int64
		var p, h, ip, ua []byte
		if err := rows.Scan(&s, &p, &h, &ip, &ua); err != nil {
			t.Fatal(err)
		}
		seq++
		if s != seq || !bytes.Equal(p, prev) || len(h) != 32 {
			t.Fatalf("row %d: seq %d, links %v, hash of %d bytes (want 32)", seq, s, bytes.Equal(p, prev), len(h))
		}
		if len(ip) == 0 || len(ua) == 0 || bytes.Contains(ip, []byte("203.0.113.7")) || bytes.Contains(ua, []byte("Mozilla")) {
			t.Fatalf("row %d: ip/user agent not encrypted", s)
		}
		prev = h
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if seq != n {
		t.Fatalf("%d rows, want %d", seq, n)
	}
}

// TestTamperingIsDetected alters the stored chain the way someone with the
// owner's database rights could, and expects Verify to name the first
// broken sequence number.
func TestTamperingIsDetected(t *testing.T) {
	t.Parallel()
	const n = 8
	cases := []struct {
		name string
		sql  string // $1 = tenant
		want int64  // BrokenAtSeq; 0 = any > 0
	}{
		{"action changed", `UPDATE audit_events SET action = 'auth.login.succeeded' WHERE tenant_id = $1 AND seq = 4`, 4},
		{"outcome changed", `UPDATE audit_events SET outcome = 'success' WHERE tenant_id = $1 AND seq = 4`, 4},
		{"details changed", `UPDATE audit_events SET details = '{}' WHERE tenant_id = $1 AND seq = 4`, 4},
		{"time changed", `UPDATE audit_events SET occurred_at = occurred_at - interval '1 hour' WHERE tenant_id = $1 AND seq = 4`, 4},
		{"ip ciphertext removed", `UPDATE audit_events SET ip_enc = NULL WHERE tenant_id = $1 AND seq = 4`, 4},
		{"user agent swapped with another event", `UPDATE audit_events e SET user_agent_enc = o.user_agent_enc
			FROM audit_events o WHERE e.tenant_id = $1 AND o.tenant_id = $1 AND e.seq = 4 AND o.seq = 5`, 4},
		{"prev hash changed", `UPDATE audit_events SET prev_hash = hash WHERE tenant_id = $1 AND seq = 4`, 4},
		{"hash changed", `UPDATE audit_events SET hash = prev_hash WHERE tenant_id = $1 AND seq = 4`, 4},
		{"hash truncated to 4 bytes", `UPDATE audit_events SET hash = substring(hash from 1 for 4) WHERE tenant_id = $1 AND seq = 4`, 4},
		{"last hash and head truncated to 4 bytes", `WITH e AS (UPDATE audit_events SET hash = substring(hash from 1 for 4) WHERE tenant_id = $1 AND seq = 8)
			UPDATE audit_chain_heads SET hash = substring(hash from 1 for 4) WHERE tenant_id = $1`, 8},
		{"first event changed", `UPDATE audit_events SET actor_id = 'x' WHERE tenant_id = $1 AND seq = 1`, 1},
		{"middle event deleted", `DELETE FROM audit_events WHERE tenant_id = $1 AND seq = 4`, 4},
		{"first event deleted", `DELETE FROM audit_events WHERE tenant_id = $1 AND seq = 1`, 1},
		{"last event deleted", `DELETE FROM audit_events WHERE tenant_id = $1 AND seq = 8`, 8},
		{"all events deleted", `DELETE FROM audit_events WHERE tenant_id = $1`, 1},
		{"events reordered", `UPDATE audit_events SET seq = CASE seq WHEN 4 THEN 5 ELSE 4 END WHERE tenant_id = $1 AND seq IN (4, 5)`, 4},
		{"head rewound", `UPDATE audit_chain_heads SET seq = 5 WHERE tenant_id = $1`, 6},
		{"forged duplicate of event 4", `INSERT INTO audit_events (tenant_id, seq, id, occurred_at, actor_type, actor_id, action, outcome,
				target_type, target_id, details, prev_hash, hash)
			SELECT tenant_id, seq, gen_random_uuid(), occurred_at + interval '1 microsecond', actor_type, actor_id, 'auth.login.succeeded', 'success',
				target_type, target_id, details, prev_hash, hash FROM audit_events WHERE tenant_id = $1 AND seq = 4`, 0},
	}
	// One database; every case tampers with its own tenant's chain.
	f := newFixture(t)
	untouched := f.chain(t, n)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ten := f.chain(t, n)
			if res := f.verify(t, ten); !res.OK || res.Events != n {
				t.Fatalf("before tampering: %+v", res)
			}
			// The owner can (it bypasses RLS and owns the table); zeugo_app
			// cannot (rls_test.go and catalog_test.go).
			tag, err := f.db.Owner.Exec(context.Background(), tc.sql, ten)
			if err != nil || tag.RowsAffected() == 0 {
				t.Fatalf("tamper: %v (%d rows)", err, tag.RowsAffected())
			}
			res := f.verify(t, ten)
			if res.OK {
				t.Fatalf("tampering not detected: %+v", res)
			}
			if other := f.verify(t, untouched); !other.OK || other.Events != n {
				t.Errorf("tampering with one tenant broke another's chain: %+v", other)
			}
			if tc.want != 0 && res.BrokenAtSeq != tc.want || res.BrokenAtSeq <= 0 || res.Problem == "" {
				t.Errorf("Verify = %+v, want broken at %d", res, tc.want)
			}
		})
	}
}

// TestWriterAndVerify runs the writer and verification scenarios on one
// database, each with its own tenants.
func TestWriterAndVerify(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	for name, fn := range map[string]func(*testing.T, *fixture){
		"forged append":                testForgedAppendIsDetected,
		"expired partitions":           testExpiredPartitionsKeepAnchor,
		"audit in same transaction":    testAuditInSameTransaction,
		"concurrent writers":           testConcurrentWritersKeepChain,
		"tenants have separate chains": testTenantsHaveSeparateChains,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			fn(t, f)
		})
	}
}

// testForgedAppendIsDetected appends a correctly chained forged event
// without moving the chain head (which zeugo_app could not have skipped):
// the head no longer matches the end of the chain.
func testForgedAppendIsDetected(t *testing.T, f *fixture) {
	const n = 5
	ten := f.chain(t, n)
	ctx := context.Background()
	var last audit.Record
	if err := f.db.Owner.QueryRow(ctx, `SELECT seq, hash, occurred_at FROM audit_events WHERE tenant_id = $1 ORDER BY seq DESC LIMIT 1`, ten).
		Scan(&last.Seq, &last.Hash, &last.OccurredAt); err != nil {
		t.Fatal(err)
	}
	forged := audit.Record{TenantID: ten, Seq: last.Seq + 1, ID: uuid.Must(uuid.NewV7()), OccurredAt: last.OccurredAt.Add(time.Second),
		ActorType: audit.ActorOperator, Action: audit.ActionAccountUnlocked, Outcome: audit.OutcomeSuccess, Details: "{}", PrevHash: last.Hash}
	forged.Hash = audit.NewChainKey(keyring.NewKey()).Hash(last.Hash, &forged) // a forger without the master key
	if _, err := f.db.Owner.Exec(ctx, `INSERT INTO audit_events (tenant_id, seq, id, occurred_at, actor_type, action, outcome, details, prev_hash, hash)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, ten, forged.Seq, forged.ID, forged.OccurredAt, forged.ActorType,
		forged.Action, forged.Outcome, forged.Details, forged.PrevHash, forged.Hash); err != nil {
		t.Fatal(err)
	}
	res := f.verify(t, ten)
	if res.OK || res.BrokenAtSeq != n+1 {
		t.Fatalf("forged append: %+v; want not OK, broken at %d", res, n+1)
	}

	// Rewriting the last event and recomputing its hash keeps the chain
	// internally consistent, but it no longer ends at the head's hash.
	ten2 := f.chain(t, n)
	var r audit.Record
	if err := f.db.Owner.QueryRow(ctx, `SELECT tenant_id, seq, id, occurred_at, actor_type, actor_id, action, outcome, target_type,
			target_id, ip_enc, user_agent_enc, details, prev_hash FROM audit_events WHERE tenant_id = $1 AND seq = $2`, ten2, n).
		Scan(&r.TenantID, &r.Seq, &r.ID, &r.OccurredAt, &r.ActorType, &r.ActorID, &r.Action, &r.Outcome, &r.TargetType,
			&r.TargetID, &r.IPEnc, &r.UserAgentEnc, &r.Details, &r.PrevHash); err != nil {
		t.Fatal(err)
	}
	r.Action, r.Outcome = audit.ActionLoginSucceeded, audit.OutcomeSuccess
	if _, err := f.db.Owner.Exec(ctx, `UPDATE audit_events SET action = $3, outcome = $4, hash = $5 WHERE tenant_id = $1 AND seq = $2`,
		ten2, n, r.Action, r.Outcome, audit.NewChainKey(keyring.NewKey()).Hash(r.PrevHash, &r)); err != nil {
		t.Fatal(err)
	}
	if res := f.verify(t, ten2); res.OK || res.BrokenAtSeq != n {
		t.Fatalf("rewritten last event: %+v; want broken at %d", res, n)
	}
}

// testExpiredPartitionsKeepAnchor: when old events are dropped (partition
// expiry) and the anchor is moved with the chain key to the last dropped
// hash, the rest of the chain still verifies; dropping without moving the
// anchor, or moving it without the key (as the owner could by SQL), does not.
func testExpiredPartitionsKeepAnchor(t *testing.T, f *fixture) {
	ten := f.chain(t, 10)
	ctx := context.Background()
	var anchor []byte // the hash of event 3, which is event 4's prev_hash
	if err := f.db.Owner.QueryRow(ctx, `SELECT prev_hash FROM audit_events WHERE tenant_id = $1 AND seq = 4`, ten).Scan(&anchor); err != nil {
		t.Fatal(err)
	}
	if err := f.key.MoveAnchor(ctx, f.db.Owner, ten, 3, anchor); err == nil {
		t.Fatal("MoveAnchor past events that are still stored succeeded")
	}
	if _, err := f.db.Owner.Exec(ctx, `DELETE FROM audit_events WHERE tenant_id = $1 AND seq <= 3`, ten); err != nil {
		t.Fatal(err)
	}
	if res := f.verify(t, ten); res.OK || res.BrokenAtSeq != 1 {
		t.Fatalf("expiry without anchor: %+v", res)
	}
	// Moved by SQL, without the key: refused.
	if _, err := f.db.Owner.Exec(ctx, `UPDATE audit_chain_heads SET anchor_seq = 3, anchor_hash = $2 WHERE tenant_id = $1`, ten, anchor); err != nil {
		t.Fatal(err)
	}
	if res := f.verify(t, ten); res.OK || res.BrokenAtSeq != 3 {
		t.Fatalf("anchor moved without the key: %+v", res)
	}
	if err := f.key.MoveAnchor(ctx, f.db.Owner, ten, 3, anchor); err != nil {
		t.Fatal(err)
	}
	if res := f.verify(t, ten); !res.OK || res.Events != 7 || res.AnchorSeq != 3 {
		t.Fatalf("after expiry with anchor: %+v", res)
	}
	// Writing continues on the anchored chain.
	f.write(t, ten, 2)
	if res := f.verify(t, ten); !res.OK || res.Events != 9 {
		t.Fatalf("after more writes: %+v", res)
	}
	// An event (re)appearing at or before the anchor is reported: the
	// anchor may only stand for events that are gone.
	if _, err := f.db.Owner.Exec(ctx, `INSERT INTO audit_events SELECT tenant_id, 2, gen_random_uuid(), occurred_at - interval '1 second',
			actor_type, actor_id, action, outcome, target_type, target_id, ip_enc, user_agent_enc, details, prev_hash, hash
		FROM audit_events WHERE tenant_id = $1 AND seq = 4`, ten); err != nil {
		t.Fatal(err)
	}
	if res := f.verify(t, ten); res.OK || res.BrokenAtSeq != 2 {
		t.Fatalf("event before the anchor: %+v", res)
	}
}

// testAuditInSameTransaction: an action that rolls back leaves no audit
// record and does not advance the chain.
func testAuditInSameTransaction(t *testing.T, f *fixture) {
	ten := f.chain(t, 3)
	ctx := requestCtx()
	boom := errors.New("the action failed")
	err := f.app.TenantTx(ctx, ten, func(tx pgx.Tx) error {
		if err := f.w.Write(ctx, tx, ten, audit.Event{Action: "organization.company.created", Outcome: audit.OutcomeSuccess, ActorType: audit.ActorUser}); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("TenantTx = %v", err)
	}
	if got := f.count(t, ten); got != 3 {
		t.Fatalf("%d events after a rolled-back action, want 3", got)
	}
	var head int64
	if err := f.db.Owner.QueryRow(context.Background(), `SELECT seq FROM audit_chain_heads WHERE tenant_id = $1`, ten).Scan(&head); err != nil || head != 3 {
		t.Fatalf("head at %d (%v), want 3", head, err)
	}
	f.write(t, ten, 1)
	if res := f.verify(t, ten); !res.OK || res.Events != 4 {
		t.Fatalf("Verify = %+v", res)
	}
	// A write outside a tenant transaction is refused by RLS.
	err = f.app.Tx(ctx, func(tx pgx.Tx) error {
		return f.w.Write(ctx, tx, ten, audit.Event{Action: "x", Outcome: audit.OutcomeSuccess, ActorType: audit.ActorSystem})
	})
	if err == nil {
		t.Fatal("audit write without a tenant binding succeeded")
	}
}

// testConcurrentWritersKeepChain: writers of one tenant are serialised by
// the head row lock; the chain stays gapless and valid.
func testConcurrentWritersKeepChain(t *testing.T, f *fixture) {
	ten := f.chain(t, 0)
	const workers, each = 6, 5
	ctx := requestCtx()
	var wg sync.WaitGroup
	errs := make(chan error, workers*each)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range each {
				errs <- f.app.TenantTx(ctx, ten, func(tx pgx.Tx) error {
					return f.w.Write(ctx, tx, ten, audit.Event{Action: audit.ActionLogout, Outcome: audit.OutcomeSuccess, ActorType: audit.ActorUser})
				})
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if res := f.verify(t, ten); !res.OK || res.Events != workers*each {
		t.Fatalf("Verify = %+v, want OK with %d", res, workers*each)
	}
}

// testTenantsHaveSeparateChains: B's transaction sees none of A's events,
// and each tenant's chain verifies on its own.
func testTenantsHaveSeparateChains(t *testing.T, f *fixture) {
	a, b := f.tenant(t), f.tenant(t)
	f.write(t, a, 4)
	f.write(t, b, 2)
	ctx := context.Background()
	err := f.app.TenantTx(ctx, b, func(tx pgx.Tx) error {
		var events, heads int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM audit_events WHERE tenant_id = $1`, a).Scan(&events); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM audit_chain_heads WHERE tenant_id = $1`, a).Scan(&heads); err != nil {
			return err
		}
		if events != 0 || heads != 0 {
			return fmt.Errorf("B sees %d events and %d chain heads of A", events, heads)
		}
		// Verifying A from B's transaction finds no chain at all.
		res, err := f.key.Verify(ctx, tx, a)
		if err != nil {
			return err
		}
		if res.Events != 0 {
			return fmt.Errorf("Verify of A inside B's transaction read %d events", res.Events)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if ra, rb := f.verify(t, a), f.verify(t, b); !ra.OK || ra.Events != 4 || !rb.OK || rb.Events != 2 {
		t.Fatalf("A %+v, B %+v", ra, rb)
	}
	if bytes.Equal(audit.Genesis(a), audit.Genesis(b)) {
		t.Error("tenants share a genesis hash")
	}
}

func TestChainHashIsCanonical(t *testing.T) {
	t.Parallel()
	base := func() audit.Record {
		return audit.Record{TenantID: uuid.MustParse("01939d4c-0000-7000-8000-000000000001"), Seq: 7,
			ID:         uuid.MustParse("01939d4c-0000-7000-8000-000000000002"),
			OccurredAt: time.Date(2026, 11, 23, 7, 0, 0, 123456000, time.UTC), ActorType: "user", ActorID: "u1",
			Action: "auth.login.succeeded", Outcome: "success", TargetType: "user", TargetID: "u1",
			IPEnc: []byte{1, 2}, UserAgentEnc: []byte{3}, Details: `{"a":"b"}`}
	}
	prev := bytes.Repeat([]byte{9}, 32)
	key := audit.NewChainKey(bytes.Repeat([]byte{7}, 32))
	r := base()
	h := key.Hash(prev, &r)
	if len(h) != 32 {
		t.Fatalf("chain hash has %d bytes, want 32 (HMAC-SHA256, untruncated)", len(h))
	}
	r2 := base()
	if !bytes.Equal(h, key.Hash(prev, &r2)) {
		t.Fatal("ChainHash is not deterministic")
	}
	// The same instant in another time zone hashes the same (the database
	// returns local times).
	r3 := base()
	r3.OccurredAt = r3.OccurredAt.In(time.FixedZone("CET", 3600))
	if !bytes.Equal(h, key.Hash(prev, &r3)) {
		t.Error("ChainHash depends on the time zone of OccurredAt")
	}
	// prev_hash and hash themselves are not part of the content.
	r4 := base()
	r4.PrevHash, r4.Hash = []byte("x"), []byte("y")
	if !bytes.Equal(h, key.Hash(prev, &r4)) {
		t.Error("stored PrevHash/Hash leak into the content hash")
	}
	mutations := map[string]func(*audit.Record){
		"tenant":      func(r *audit.Record) { r.TenantID = uuid.New() },
		"seq":         func(r *audit.Record) { r.Seq++ },
		"id":          func(r *audit.Record) { r.ID = uuid.New() },
		"time":        func(r *audit.Record) { r.OccurredAt = r.OccurredAt.Add(time.Microsecond) },
		"actor type":  func(r *audit.Record) { r.ActorType = "system" },
		"actor id":    func(r *audit.Record) { r.ActorID = "u2" },
		"action":      func(r *audit.Record) { r.Action = "auth.login.failed" },
		"outcome":     func(r *audit.Record) { r.Outcome = "failure" },
		"target type": func(r *audit.Record) { r.TargetType = "tenant" },
		"target id":   func(r *audit.Record) { r.TargetID = "u3" },
		"ip":          func(r *audit.Record) { r.IPEnc = []byte{1, 3} },
		"ip removed":  func(r *audit.Record) { r.IPEnc = nil },
		"user agent":  func(r *audit.Record) { r.UserAgentEnc = []byte{4} },
		"details":     func(r *audit.Record) { r.Details = `{"a":"c"}` },
		// Length prefixes: moving a byte between adjacent fields changes the hash.
		"field boundary": func(r *audit.Record) { r.ActorType, r.ActorID = "use", "ru1" },
		"ip/ua boundary": func(r *audit.Record) { r.IPEnc, r.UserAgentEnc = []byte{1}, []byte{2, 3} },
	}
	for name, mut := range mutations {
		m := base()
		mut(&m)
		if bytes.Equal(h, key.Hash(prev, &m)) {
			t.Errorf("changing %s does not change the hash", name)
		}
	}
	if bytes.Equal(h, key.Hash(bytes.Repeat([]byte{8}, 32), &r)) {
		t.Error("the previous hash does not feed the hash")
	}
	// Without the key nobody computes the same chain.
	if bytes.Equal(h, audit.NewChainKey(bytes.Repeat([]byte{6}, 32)).Hash(prev, &r)) {
		t.Error("another chain key yields the same hash")
	}
}
