package audit_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/zeugo/zeugo/backend/internal/audit"
)

// head is a snapshot of a chain head row, as a DBA could take it from a
// backup, a replica or an earlier SELECT (zeugo_app may read it too).
type head struct {
	seq       int64
	hash, mac []byte
}

func (f *fixture) head(t *testing.T, ten uuid.UUID) head {
	t.Helper()
	var h head
	if err := f.db.Owner.QueryRow(context.Background(), `SELECT seq, hash, head_mac FROM audit_chain_heads WHERE tenant_id = $1`, ten).
		Scan(&h.seq, &h.hash, &h.mac); err != nil {
		t.Fatal(err)
	}
	return h
}

// ownerExec runs sql ($1 = tenant) as the owner and fails the test on error.
func (f *fixture) ownerExec(t *testing.T, ten uuid.UUID, sql string, args ...any) {
	t.Helper()
	if _, err := f.db.Owner.Exec(context.Background(), sql, append([]any{ten}, args...)...); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

// checkpoint runs the cleanup job's checkpoint for ten.
func (f *fixture) checkpoint(t *testing.T, ten uuid.UUID) audit.CheckpointResult {
	t.Helper()
	var res audit.CheckpointResult
	err := f.app.TenantTx(context.Background(), ten, func(tx pgx.Tx) error {
		var err error
		res, err = f.key.Checkpoint(context.Background(), tx, ten, f.clock.Now())
		return err
	})
	if err != nil {
		t.Fatalf("checkpoint: %v", err)
	}
	return res
}

func (f *fixture) verifyWitness(t *testing.T, ten uuid.UUID, w audit.Witness) audit.VerifyResult {
	t.Helper()
	var res audit.VerifyResult
	err := f.app.TenantTx(context.Background(), ten, func(tx pgx.Tx) error {
		var err error
		res, err = f.key.VerifyWitness(context.Background(), tx, ten, w)
		return err
	})
	if err != nil {
		t.Fatalf("verify: %v", err)
	}
	return res
}

func wantBroken(t *testing.T, what string, res audit.VerifyResult, at int64) {
	t.Helper()
	if res.OK || res.BrokenAtSeq != at || res.Problem == "" {
		t.Errorf("%s: Verify = %+v, want broken at %d", what, res, at)
	}
}

// TestMovedAnchorIsDetected: the anchor cannot be moved past events that
// are still stored (or were altered), neither by the owner, who lacks the
// chain key, nor by zeugo_app, which lacks the privilege.
func TestMovedAnchorIsDetected(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()

	t.Run("owner alters the first events and moves the anchor past them", func(t *testing.T) {
		t.Parallel()
		ten := f.chain(t, 8)
		// Before this fix Verify then checked 4–8 only and said OK.
		f.ownerExec(t, ten, `UPDATE audit_events SET action = 'auth.login.succeeded', outcome = 'success' WHERE tenant_id = $1 AND seq <= 3`)
		f.ownerExec(t, ten, `UPDATE audit_chain_heads h SET anchor_seq = 3, anchor_hash = e.prev_hash
			FROM audit_events e WHERE h.tenant_id = $1 AND e.tenant_id = $1 AND e.seq = 4`)
		wantBroken(t, "anchor moved without the key", f.verify(t, ten), 3)
		// Even with a keyed anchor (as after a real expiry), the altered
		// events left at or before it are reported.
		var anchor []byte
		if err := f.db.Owner.QueryRow(ctx, `SELECT prev_hash FROM audit_events WHERE tenant_id = $1 AND seq = 4`, ten).Scan(&anchor); err != nil {
			t.Fatal(err)
		}
		f.ownerExec(t, ten, `UPDATE audit_chain_heads SET anchor_mac = $2 WHERE tenant_id = $1`, f.key.AnchorMAC(ten, 3, anchor))
		wantBroken(t, "events kept at or before a keyed anchor", f.verify(t, ten), 1)
	})

	t.Run("owner restores expired events behind a keyed anchor", func(t *testing.T) {
		t.Parallel()
		ten := f.chain(t, 8)
		f.ownerExec(t, ten, `CREATE TABLE saved_`+ten.String()[:8]+` AS SELECT * FROM audit_events WHERE tenant_id = $1 AND seq <= 3`)
		var anchor []byte
		if err := f.db.Owner.QueryRow(ctx, `SELECT prev_hash FROM audit_events WHERE tenant_id = $1 AND seq = 4`, ten).Scan(&anchor); err != nil {
			t.Fatal(err)
		}
		f.ownerExec(t, ten, `DELETE FROM audit_events WHERE tenant_id = $1 AND seq <= 3`)
		if err := f.key.MoveAnchor(ctx, f.db.Owner, ten, 3, anchor); err != nil {
			t.Fatal(err)
		}
		if res := f.verify(t, ten); !res.OK || res.Events != 5 {
			t.Fatalf("after a keyed expiry: %+v", res)
		}
		f.ownerExec(t, ten, `INSERT INTO audit_events SELECT * FROM saved_`+ten.String()[:8]+` WHERE tenant_id = $1 AND seq = 2`)
		wantBroken(t, "event behind the anchor", f.verify(t, ten), 2)
	})

	t.Run("zeugo_app may not write the anchor", func(t *testing.T) {
		t.Parallel()
		ten := f.chain(t, 4)
		other := f.tenant(t) // no head yet
		for _, q := range []struct {
			ten uuid.UUID
			sql string
		}{
			{ten, `UPDATE audit_chain_heads SET anchor_seq = 2 WHERE tenant_id = $1`},
			{ten, `UPDATE audit_chain_heads SET anchor_hash = hash WHERE tenant_id = $1`},
			{ten, `UPDATE audit_chain_heads SET anchor_mac = hash WHERE tenant_id = $1`},
			{other, `INSERT INTO audit_chain_heads (tenant_id, seq, hash, anchor_seq, anchor_hash) VALUES ($1, 4, '\x00', 3, '\x00')`},
			{ten, `UPDATE audit_checkpoints SET seq = seq WHERE tenant_id = $1`},
			{ten, `DELETE FROM audit_checkpoints WHERE tenant_id = $1`},
			{ten, `DELETE FROM audit_chain_heads WHERE tenant_id = $1`},
		} {
			err := f.app.TenantTx(ctx, q.ten, func(tx pgx.Tx) error {
				_, err := tx.Exec(ctx, q.sql, q.ten)
				return err
			})
			var pgErr *pgconn.PgError
			if !errors.As(err, &pgErr) || pgErr.Code != "42501" {
				t.Errorf("%s as zeugo_app: %v, want SQLSTATE 42501", q.sql, err)
			}
		}
		if res := f.verify(t, ten); !res.OK || res.Events != 4 {
			t.Errorf("Verify = %+v", res)
		}
	})
}

// TestCutTailIsDetected: deleting the newest events and moving the head
// back. What the design catches and what it cannot (package comment).
func TestCutTailIsDetected(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := requestCtx()
	cut := func(t *testing.T, ten uuid.UUID, after int64) {
		t.Helper()
		f.ownerExec(t, ten, `DELETE FROM audit_events WHERE tenant_id = $1 AND seq > $2`, after)
	}
	restore := func(t *testing.T, ten uuid.UUID, h head) {
		t.Helper()
		f.ownerExec(t, ten, `UPDATE audit_chain_heads SET seq = $2, hash = $3, head_mac = $4 WHERE tenant_id = $1`, h.seq, h.hash, h.mac)
	}

	t.Run("owner deletes the newest events and moves the head back", func(t *testing.T) {
		t.Parallel()
		ten := f.chain(t, 8)
		cut(t, ten, 6)
		// Before this fix this was enough for Verify to say OK.
		f.ownerExec(t, ten, `UPDATE audit_chain_heads h SET seq = 6, hash = e.hash FROM audit_events e
			WHERE h.tenant_id = $1 AND e.tenant_id = $1 AND e.seq = 6`)
		wantBroken(t, "head moved back without the key", f.verify(t, ten), 6)
		// The writer does not extend (and so re-key) such a head, nor does
		// the job checkpoint it.
		err := f.app.TenantTx(ctx, ten, func(tx pgx.Tx) error {
			return f.w.Write(ctx, tx, ten, audit.Event{Action: audit.ActionLogout, Outcome: audit.OutcomeSuccess, ActorType: audit.ActorUser})
		})
		if !errors.Is(err, audit.ErrHeadNotKeyed) {
			t.Errorf("Write on an unkeyed head: %v, want ErrHeadNotKeyed", err)
		}
		err = f.app.TenantTx(ctx, ten, func(tx pgx.Tx) error {
			_, err := f.key.Checkpoint(ctx, tx, ten, f.clock.Now())
			return err
		})
		if !errors.Is(err, audit.ErrHeadNotKeyed) {
			t.Errorf("Checkpoint of an unkeyed head: %v, want ErrHeadNotKeyed", err)
		}
	})

	t.Run("owner restores an old keyed head after a checkpoint", func(t *testing.T) {
		t.Parallel()
		ten := f.chain(t, 6)
		old := f.head(t, ten) // saved when the chain ended at 6
		f.write(t, ten, 2)
		if cp := f.checkpoint(t, ten); !cp.Written || cp.Seq != 8 {
			t.Fatalf("checkpoint %+v", cp)
		}
		cut(t, ten, 6)
		restore(t, ten, old)
		wantBroken(t, "cut tail behind a checkpoint", f.verify(t, ten), 7)
	})

	t.Run("the writer's own checkpoint every CheckpointEvery events", func(t *testing.T) {
		t.Parallel()
		ten := f.chain(t, audit.CheckpointEvery-2)
		old := f.head(t, ten)
		f.write(t, ten, 2) // reaches CheckpointEvery: the writer checkpoints
		var n int
		if err := f.db.Owner.QueryRow(context.Background(), `SELECT count(*) FROM audit_checkpoints WHERE tenant_id = $1 AND seq = $2`,
			ten, audit.CheckpointEvery).Scan(&n); err != nil || n != 1 {
			t.Fatalf("writer checkpoint at %d: %d rows (%v)", audit.CheckpointEvery, n, err)
		}
		cut(t, ten, audit.CheckpointEvery-2)
		restore(t, ten, old)
		wantBroken(t, "cut tail behind the writer's checkpoint", f.verify(t, ten), audit.CheckpointEvery-1)
	})

	t.Run("owner also deletes the checkpoints: only a witness outside the database shows it", func(t *testing.T) {
		t.Parallel()
		ten := f.chain(t, 6)
		first := f.checkpoint(t, ten) // logged by the job: seq 6
		old := f.head(t, ten)
		f.write(t, ten, 2)
		second := f.checkpoint(t, ten) // logged by the job: seq 8
		cut(t, ten, 6)
		restore(t, ten, old)
		f.ownerExec(t, ten, `DELETE FROM audit_checkpoints WHERE tenant_id = $1 AND seq > 6`)
		// The database alone cannot tell this from a chain that ended at
		// 6: every remaining row was produced by the key holder. This is
		// the documented limit, pinned here so that a change shows.
		if res := f.verify(t, ten); !res.OK || res.HeadSeq != 6 {
			t.Fatalf("Verify = %+v; the documented limit changed — update the package comment", res)
		}
		// The job's log line for the checkpoint at 8 is the witness.
		wantBroken(t, "cut tail against the logged checkpoint",
			f.verifyWitness(t, ten, audit.Witness{Seq: second.Seq, HashPrefix: second.Hash[:8]}), 7)
		// Bounded by the checkpoint interval: events after the last logged
		// checkpoint (here 6) can be cut without any witness noticing.
		if res := f.verifyWitness(t, ten, audit.Witness{Seq: first.Seq, HashPrefix: first.Hash[:8]}); !res.OK {
			t.Errorf("witness at the last checkpoint before the cut: %+v", res)
		}
		// A wrong witness is reported too.
		wantBroken(t, "witness with another hash", f.verifyWitness(t, ten, audit.Witness{Seq: 5, HashPrefix: first.Hash[:8]}), 5)
	})

	t.Run("zeugo_app replays an old head: the newer events still show", func(t *testing.T) {
		t.Parallel()
		ten := f.chain(t, 6)
		old := f.head(t, ten)
		f.write(t, ten, 2)
		// zeugo_app may write seq, hash and head_mac (the writer must).
		err := f.app.TenantTx(context.Background(), ten, func(tx pgx.Tx) error {
			_, err := tx.Exec(context.Background(), `UPDATE audit_chain_heads SET seq = $2, hash = $3, head_mac = $4 WHERE tenant_id = $1`,
				ten, old.seq, old.hash, old.mac)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		wantBroken(t, "replayed head", f.verify(t, ten), 7)
		// Writing on from the replayed head forks the chain at 7: still shown.
		f.write(t, ten, 1)
		if res := f.verify(t, ten); res.OK {
			t.Errorf("forked chain verifies: %+v", res)
		}
	})

	t.Run("forged checkpoint", func(t *testing.T) {
		t.Parallel()
		ten := f.chain(t, 4)
		f.ownerExec(t, ten, `INSERT INTO audit_checkpoints (tenant_id, seq, hash, created_at, mac) SELECT tenant_id, 9, hash, now(), hash
			FROM audit_events WHERE tenant_id = $1 AND seq = 4`)
		wantBroken(t, "forged checkpoint beyond the head", f.verify(t, ten), 9)
		ten2 := f.chain(t, 4)
		f.ownerExec(t, ten2, `INSERT INTO audit_checkpoints (tenant_id, seq, hash, created_at, mac) SELECT tenant_id, 3, hash, now(), hash
			FROM audit_events WHERE tenant_id = $1 AND seq = 3`)
		wantBroken(t, "forged checkpoint inside the chain", f.verify(t, ten2), 3)
	})

	t.Run("head, events and checkpoints all deleted", func(t *testing.T) {
		t.Parallel()
		ten := f.chain(t, 3)
		f.checkpoint(t, ten)
		f.ownerExec(t, ten, `DELETE FROM audit_chain_heads WHERE tenant_id = $1`)
		wantBroken(t, "events without a head", f.verify(t, ten), 1)
		f.ownerExec(t, ten, `DELETE FROM audit_events WHERE tenant_id = $1`)
		wantBroken(t, "checkpoints without a head", f.verify(t, ten), 3)
		// Erasing everything looks like a tenant that never logged: the
		// documented limit (a witness in the log still names seq 3).
		f.ownerExec(t, ten, `DELETE FROM audit_checkpoints WHERE tenant_id = $1`)
		if res := f.verify(t, ten); !res.OK || res.Events != 0 {
			t.Errorf("Verify of an erased log = %+v", res)
		}
		wantBroken(t, "erased log against the logged checkpoint", f.verifyWitness(t, ten, audit.Witness{Seq: 3, HashPrefix: []byte{0}}), 1)
	})
}
