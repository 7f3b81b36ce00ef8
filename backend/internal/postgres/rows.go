package postgres

import (
	"context"
	"errors"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/zeugo/zeugo/backend/internal/apperr"
)

// ErrNotFound is the answer for a missing row — also for another tenant's
// id, which RLS and the tenant filter both hide.
var ErrNotFound = apperr.New(apperr.NotFound, "not found")

// NotFoundOr maps pgx.ErrNoRows to ErrNotFound and passes other errors.
func NotFoundOr(err error) error {
	if errors.Is(err, pgx.ErrNoRows) {
		return ErrNotFound
	}
	return err
}

// UniqueField maps a unique violation of one of constraints to
// AlreadyExists on field (rule "zeugo.unique"), so the SPA shows it next
// to the field; other errors pass.
func UniqueField(err error, field string, constraints ...string) error {
	if c, ok := UniqueViolation(err); ok {
		for _, want := range constraints {
			if c == want {
				return apperr.Field(apperr.AlreadyExists, field, "zeugo.unique", "this value is already in use")
			}
		}
	}
	return err
}

// StaleOrMissing is called when a versioned UPDATE matched no row: it tells
// a stale version (Aborted: someone saved in between) from a missing row
// (NotFound). table is a trusted constant.
func StaleOrMissing(ctx context.Context, tx DBTX, table string, tenantID, id uuid.UUID) error {
	var exists bool
	q := `SELECT EXISTS (SELECT FROM ` + pgx.Identifier{table}.Sanitize() + ` WHERE tenant_id = $1 AND id = $2)`
	if err := tx.QueryRow(ctx, q, tenantID, id).Scan(&exists); err != nil {
		return err
	}
	if exists {
		return apperr.ErrConcurrentChange
	}
	return ErrNotFound
}

// Affected turns "deleted/updated nothing" into ErrNotFound.
func Affected(n int64, err error) error {
	if err != nil {
		return err
	}
	if n == 0 {
		return ErrNotFound
	}
	return nil
}

// One reads the single row of a fixed statement with conds ANDed to it
// (see And), followed by lock ("" or a locking clause such as
// "FOR UPDATE"); no row is ErrNotFound. It is the scoped read of one row by
// id that a store repeats for every table a scope guards.
func One[T any](ctx context.Context, db DBTX, base string, args []any, lock string, scan pgx.RowToFunc[T], conds ...Cond) (T, error) {
	sql, all := And(base, args, conds...)
	if lock != "" {
		sql += " " + lock
	}
	var zero T
	rows, err := db.Query(ctx, sql, all...)
	if err != nil {
		return zero, err
	}
	x, err := pgx.CollectExactlyOneRow(rows, scan)
	if err != nil {
		return zero, NotFoundOr(err)
	}
	return x, nil
}
