package postgres_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/zeugo/zeugo/backend/internal/access"
	"github.com/zeugo/zeugo/backend/internal/apperr"
	"github.com/zeugo/zeugo/backend/internal/dbtest"
	"github.com/zeugo/zeugo/backend/internal/postgres"
)

// goneSession is an owed session check whose statement finds no row: the
// session was revoked (or its user locked) since the principal was
// remembered.
type goneSession struct{}

func (goneSession) Statement() (string, []any) { return "SELECT 1 WHERE false", nil }

func (goneSession) Scan(row pgx.Row) (*access.Principal, error) {
	var one int
	if err := row.Scan(&one); errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	return &access.Principal{Kind: access.KindUser}, nil
}

// owingCall returns a context whose call owes the goneSession check for
// tenantID, as the access interceptor leaves it for a remembered principal.
func owingCall(tenantID uuid.UUID) (context.Context, *access.Call) {
	p := &access.Principal{Kind: access.KindUser, ActorID: uuid.New(), UserID: uuid.New(), TenantID: tenantID, SessionID: uuid.New()}
	call := access.NewCall(access.Rule{Level: access.SignedIn, Kinds: []access.Kind{access.KindUser}}, p, goneSession{})
	return access.WithCall(context.Background(), call), call
}

// TestEveryTenantPathRefusesAFailedSessionCheck: each way a store reaches
// tenant data — the Tenant reader, TenantBatch, TenantQuery, TenantTx —
// settles an owed session check in its round trip and refuses when the
// session is gone, on its own (the access interceptor's settle after the
// handler is a second, separately tested layer: rpc/chain_test.go).
func TestEveryTenantPathRefusesAFailedSessionCheck(t *testing.T) {
	t.Parallel()
	db := &postgres.DB{Pool: dbtest.New(t).App}
	tenantID := uuid.New()
	refused := func(t *testing.T, call *access.Call, err error) {
		t.Helper()
		if !errors.Is(err, apperr.ErrUnauthenticated) {
			t.Fatalf("got %v, want Unauthenticated", err)
		}
		if call.Pending() != nil || !errors.Is(call.Err(), apperr.ErrUnauthenticated) {
			t.Fatalf("check not settled as failed: pending %v, err %v", call.Pending() != nil, call.Err())
		}
	}

	t.Run("Tenant Query", func(t *testing.T) {
		ctx, call := owingCall(tenantID)
		rows, err := db.Tenant(tenantID).Query(ctx, "SELECT 1")
		if err == nil {
			rows.Close()
		}
		refused(t, call, err)
	})
	t.Run("Tenant QueryRow", func(t *testing.T) {
		ctx, call := owingCall(tenantID)
		var one int
		refused(t, call, db.Tenant(tenantID).QueryRow(ctx, "SELECT 1").Scan(&one))
	})
	t.Run("TenantQuery", func(t *testing.T) {
		ctx, call := owingCall(tenantID)
		refused(t, call, db.TenantQuery(ctx, tenantID, func(pgx.Rows) error { return nil }, "SELECT 1"))
	})
	t.Run("TenantTx", func(t *testing.T) {
		ctx, call := owingCall(tenantID)
		ran := false
		err := db.TenantTx(ctx, tenantID, func(pgx.Tx) error { ran = true; return nil })
		refused(t, call, err)
		if ran {
			t.Fatal("TenantTx ran its function although the session is gone")
		}
	})
	t.Run("another tenant's transaction does not settle it", func(t *testing.T) {
		ctx, call := owingCall(tenantID)
		if err := db.TenantTx(ctx, uuid.New(), func(pgx.Tx) error { return nil }); err != nil {
			t.Fatal(err)
		}
		if call.Pending() == nil {
			t.Fatal("a transaction bound to another tenant settled the call's check")
		}
	})
}
