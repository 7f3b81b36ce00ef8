package uow_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/rs/zerolog"

	"github.com/zeugo/zeugo/backend/internal/access"
	"github.com/zeugo/zeugo/backend/internal/apptest"
	"github.com/zeugo/zeugo/backend/internal/audit"
	"github.com/zeugo/zeugo/backend/internal/jobs"
	"github.com/zeugo/zeugo/backend/internal/uow"
)

// TestAuditedReadIsQueuedThenChained: a read of personal data records
// "who read what" with one call, costs one extra pipelined round trip (no
// wait on the chain head), and the frequent job chains the event into the
// tamper-evident log with the read's time; a failed read records nothing.
func TestAuditedReadIsQueuedThenChained(t *testing.T) {
	t.Parallel()
	trips := &apptest.TripCounter{}
	env := apptest.New(t, apptest.Options{Trips: trips})
	ten := env.CreateTenant("Lese GmbH", "admin@lese.example")
	ctx := access.WithPrincipal(context.Background(), &access.Principal{Kind: access.KindUser, ActorID: ten.AdminID,
		UserID: ten.AdminID, TenantID: ten.TenantID, Areas: []access.Area{access.AreaAdministrator}, Scope: access.Scope{All: true}})
	target := uuid.Must(uuid.NewV7())
	trips.Take()
	err := env.App.Work.Read(ctx, func(rd *uow.Reader) error {
		var one int
		if err := rd.DB.QueryRow(ctx, `SELECT 1`).Scan(&one); err != nil {
			return err
		}
		rd.Audit("test.employee.read", uow.Target{Type: "employee", ID: target})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := trips.Take(); n != 2 {
		t.Errorf("audited read took %d round trips, want 2 (read, queued event)", n)
	}
	failed := errors.New("read failed")
	if err := env.App.Work.Read(ctx, func(rd *uow.Reader) error {
		rd.Audit("test.employee.read", uow.Target{Type: "employee", ID: uuid.Must(uuid.NewV7())})
		return failed
	}); !errors.Is(err, failed) && err == nil {
		t.Fatalf("failed read: %v", err)
	}

	count := func(sql string, args ...any) int {
		t.Helper()
		var n int
		env.AsOwner(ten.TenantID, func(tx pgx.Tx) error { return tx.QueryRow(context.Background(), sql, args...).Scan(&n) })
		return n
	}
	if n := count(`SELECT count(*) FROM audit_pending`); n != 1 {
		t.Fatalf("pending events: %d, want exactly the successful read's", n)
	}
	w := &jobs.FrequentWorker{DB: env.App.DB, Now: env.Clock.Now, Sweepers: env.App.FrequentSweepers, Log: zerolog.Nop()}
	swept, err := w.Run(context.Background())
	if err != nil || swept["audit_events_chained"] != 1 {
		t.Fatalf("chainer: %v, %v", swept, err)
	}
	if n := count(`SELECT count(*) FROM audit_events WHERE target_id = $1 AND action = 'test.employee.read' AND actor_id = $2
		AND details LIKE '{"read_at":%'`, target.String(), ten.AdminID.String()); n != 1 {
		t.Fatalf("chained read events: %d", n)
	}
	if n := count(`SELECT count(*) FROM audit_pending`); n != 0 {
		t.Fatalf("pending left: %d", n)
	}
	err = pgx.BeginFunc(context.Background(), env.DB.App, func(tx pgx.Tx) error {
		if _, err := tx.Exec(context.Background(), `SELECT set_config('app.tenant_id', $1, true)`, ten.TenantID.String()); err != nil {
			return err
		}
		res, err := env.App.AuditChain.Verify(context.Background(), tx, ten.TenantID)
		if err != nil {
			return err
		}
		if !res.OK {
			t.Errorf("chain broken after chaining reads: %+v", res)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestForgedPendingEventIsChainedAsRejected: a row inserted into
// audit_pending with only the zeugo_app credential (no chain key) is chained
// as a rejected event, never as the read it claims.
func TestForgedPendingEventIsChainedAsRejected(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ten := env.CreateTenant("Fälsch GmbH", "admin@faelsch.example")
	ctx := context.Background()
	forged := uuid.Must(uuid.NewV7())
	err := pgx.BeginFunc(ctx, env.DB.App, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT set_config('app.tenant_id', $1, true)`, ten.TenantID.String()); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO audit_pending (tenant_id, id, occurred_at, actor_type, actor_id, action, outcome,
			target_type, target_id, details, mac) VALUES ($1, $2, now(), 'user', $3, 'employee.read', 'success', 'employee', 'x', '{}', '\x00')`,
			ten.TenantID, forged, uuid.New().String())
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	w := &jobs.FrequentWorker{DB: env.App.DB, Now: env.Clock.Now, Sweepers: env.App.FrequentSweepers, Log: zerolog.Nop()}
	if swept, err := w.Run(ctx); err != nil || swept["audit_events_chained"] != 1 {
		t.Fatalf("chainer: %v, %v", swept, err)
	}
	var action, target string
	env.AsOwner(ten.TenantID, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `SELECT action, target_id FROM audit_events WHERE id = $1`, forged).Scan(&action, &target)
	})
	if action != audit.ActionPendingRejected || target != forged.String() {
		t.Fatalf("forged row chained as %q on %q; want %q", action, target, audit.ActionPendingRejected)
	}
}
