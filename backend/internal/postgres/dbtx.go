package postgres

import (
	"context"
	"errors"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/zeugo/zeugo/backend/internal/apperr"
)

// DBTX is what sqlc's generated queries run on (emit_methods_with_db_argument):
// a pgx.Tx inside a unit of work, or Tenant's one-round-trip reader.
type DBTX interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// Tenant returns a DBTX whose every statement runs in its own implicit
// transaction bound to tenantID, pipelined with the binding: one round
// trip per statement. For reads outside a unit of work's transaction: the
// statement runs read-only (a write fails with SQLSTATE 25006).
func (db *DB) Tenant(tenantID uuid.UUID) DBTX { return tenantConn{db: db, tenantID: tenantID} }

type tenantConn struct {
	db       *DB
	tenantID uuid.UUID
}

var errNoTenant = apperr.Wrap(apperr.Internal, "internal error", errors.New("tenant statement without tenant"))

func (c tenantConn) send(ctx context.Context, sql string, args []any) (pgx.BatchResults, error) {
	if c.tenantID == uuid.Nil {
		return nil, errNoTenant
	}
	b := &pgx.Batch{}
	b.Queue("SELECT set_config('app.tenant_id', $1, true)", c.tenantID.String())
	call, chk, err := owed(ctx, c.tenantID)
	if err != nil {
		return nil, err
	}
	if chk != nil {
		checkSQL, checkArgs := chk.Statement()
		b.Queue(checkSQL, checkArgs...)
	}
	// The reader only reads: behind the check (whose idle-time update must
	// still write) the statement runs read-only.
	b.Queue(readOnly)
	b.Queue(sql, args...)
	br := c.db.Pool.SendBatch(ctx, b)
	if _, err := br.Exec(); err != nil {
		_ = br.Close()
		return nil, err
	}
	if chk != nil {
		// The owed session check rides in front of the statement; a refusal
		// discards the statement's result unread.
		if err := call.Settle(chk.Scan(br.QueryRow())); err != nil {
			_ = br.Close()
			return nil, err
		}
	}
	if _, err := br.Exec(); err != nil { // read-only
		_ = br.Close()
		return nil, err
	}
	return br, nil
}

func (c tenantConn) Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	br, err := c.send(ctx, sql, args)
	if err != nil {
		return pgconn.CommandTag{}, err
	}
	tag, err := br.Exec()
	return tag, errors.Join(err, br.Close())
}

func (c tenantConn) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	br, err := c.send(ctx, sql, args)
	if err != nil {
		return nil, err
	}
	rows, err := br.Query()
	if err != nil {
		_ = br.Close()
		return nil, err
	}
	return &batchRows{Rows: rows, br: br}, nil
}

func (c tenantConn) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	rows, err := c.Query(ctx, sql, args...)
	if err != nil {
		return errRow{err}
	}
	return batchRow{rows.(*batchRows)}
}

// batchRows closes the batch with the rows, so the connection returns to
// the pool when the caller is done.
type batchRows struct {
	pgx.Rows
	br       pgx.BatchResults
	closeErr error
}

// Close closes the rows and the batch; the batch's error (e.g. at the
// implicit commit) is reported by Err afterwards.
func (r *batchRows) Close() {
	r.Rows.Close()
	if r.br != nil {
		r.closeErr = r.br.Close()
		r.br = nil
	}
}

func (r *batchRows) Err() error {
	return errors.Join(r.Rows.Err(), r.closeErr)
}

type batchRow struct{ rows *batchRows }

// Scan behaves like pgx's Row.Scan: ErrNoRows without a row, and the
// statement's error otherwise.
func (r batchRow) Scan(dest ...any) error {
	defer r.rows.Close()
	if !r.rows.Next() {
		r.rows.Close()
		if err := r.rows.Err(); err != nil {
			return err
		}
		return pgx.ErrNoRows
	}
	if err := r.rows.Scan(dest...); err != nil {
		return err
	}
	r.rows.Close()
	return r.rows.Err() // includes the batch's own error
}

type errRow struct{ err error }

func (r errRow) Scan(...any) error { return r.err }
