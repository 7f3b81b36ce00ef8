package postgres_test

import (
	"context"
	"slices"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/zeugo/zeugo/backend/internal/dbtest"
	"github.com/zeugo/zeugo/backend/internal/postgres"
)

// TestUUIDTravelsInBinary: with RegisterUUID, uuid.UUID values, slices and
// pointers go to PostgreSQL and back unchanged — in the extended protocol
// (binary) and the simple one (text) — NULL scans into a nil pointer (and
// the zero uuid), and a uuid compares with the column type, not
// as text.
func TestUUIDTravelsInBinary(t *testing.T) {
	t.Parallel()
	db := dbtest.New(t)
	ctx := context.Background()
	pool, err := postgres.Open(ctx, db.OwnerURL)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	a, b := uuid.New(), uuid.New()
	for _, mode := range []pgx.QueryExecMode{pgx.QueryExecModeCacheStatement, pgx.QueryExecModeExec, pgx.QueryExecModeSimpleProtocol} {
		var got uuid.UUID
		var list []uuid.UUID
		var typ string
		if err := pool.QueryRow(ctx, `SELECT $1::uuid, $2::uuid[], pg_typeof($1::uuid)::text`, mode, a, []uuid.UUID{a, b}).Scan(&got, &list, &typ); err != nil {
			t.Fatalf("mode %v: %v", mode, err)
		}
		if got != a || !slices.Equal(list, []uuid.UUID{a, b}) || typ != "uuid" {
			t.Errorf("mode %v: got %v %v %s", mode, got, list, typ)
		}
		var p *uuid.UUID
		if err := pool.QueryRow(ctx, `SELECT NULL::uuid`, mode).Scan(&p); err != nil || p != nil {
			t.Errorf("mode %v: NULL into *uuid.UUID: %v %v", mode, p, err)
		}
		if err := pool.QueryRow(ctx, `SELECT $1::uuid`, mode, &b).Scan(&p); err != nil || p == nil || *p != b {
			t.Errorf("mode %v: pointer: %v %v", mode, p, err)
		}
		plain := a
		if err := pool.QueryRow(ctx, `SELECT NULL::uuid`, mode).Scan(&plain); err != nil || plain != uuid.Nil {
			t.Errorf("mode %v: NULL into uuid.UUID: %v %v, want the zero uuid", mode, plain, err)
		}
		var pg pgtype.UUID
		if err := pool.QueryRow(ctx, `SELECT $1::uuid`, mode, a).Scan(&pg); err != nil || pg.Bytes != a {
			t.Errorf("mode %v: pgtype.UUID: %v %v", mode, pg, err)
		}
		var eq bool
		if err := pool.QueryRow(ctx, `SELECT $1 = ANY($2::uuid[])`, mode, b, []uuid.UUID{a, b}).Scan(&eq); err != nil || !eq {
			t.Errorf("mode %v: comparison: %v %v", mode, eq, err)
		}
	}
}
