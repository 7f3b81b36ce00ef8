// Package postgres owns the connection pools, the transaction helpers that
// bind a transaction to one tenant for row-level security, the embedded
// migrations, and the classification of PostgreSQL errors into apperr codes.
// Domain packages never look at SQLSTATEs themselves.
package postgres

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/zeugo/zeugo/backend/internal/access"
	"github.com/zeugo/zeugo/backend/internal/apperr"
)

// Open connects a pool to url and checks it answers. The pool is sized for
// the machine (≈ 4 × cores, DESIGN.md §6) unless url sets pool_max_conns.
// It is built for outages: a connection attempt gives up after
// DefaultConnectTimeout unless url sets connect_timeout, waiting for a
// pooled connection after DefaultAcquireTimeout, and after a failed attempt
// further attempts back off (see dialBreaker) instead of every request
// dialling a database that is down.
func Open(ctx context.Context, url string) (*pgxpool.Pool, error) {
	return open(ctx, url, nil)
}

// open is Open with a hook that adjusts the configuration last (tests count
// dial attempts with it).
func open(ctx context.Context, url string, adjust func(*pgxpool.Config)) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("parse database url: %w", err)
	}
	if !strings.Contains(url, "pool_max_conns") {
		cfg.MaxConns = int32(max(8, 4*runtime.NumCPU()))
	}
	// connect_timeout in the URL (or PGCONNECT_TIMEOUT) wins.
	if cfg.ConnConfig.ConnectTimeout == 0 {
		cfg.ConnConfig.ConnectTimeout = DefaultConnectTimeout
	}
	cfg.ConnConfig.RuntimeParams["application_name"] = "zeugo"
	// A statement must never hang a request forever.
	cfg.ConnConfig.RuntimeParams["statement_timeout"] = "30s"
	cfg.ConnConfig.RuntimeParams["idle_in_transaction_session_timeout"] = "60s"
	cfg.AfterConnect = registerTypes
	hooks := &poolHooks{breaker: newDialBreaker(time.Now), acquireTimeout: DefaultAcquireTimeout}
	hooks.install(cfg)
	if adjust != nil {
		adjust(cfg)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("connect: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("connect to %s@%s/%s: %w", cfg.ConnConfig.User, cfg.ConnConfig.Host, cfg.ConnConfig.Database, err)
	}
	return pool, nil
}

// DB is the pool domains use. Every method that touches tenant data takes
// the tenant id and runs inside a transaction bound to it.
type DB struct {
	Pool *pgxpool.Pool
}

// TenantTx runs fn in one transaction bound to tenantID: it sets
// app.tenant_id for row-level security before fn runs, so even a query that
// forgets its tenant filter cannot see or write another tenant's rows. The
// transaction commits when fn returns nil and rolls back otherwise — a failed
// request changes nothing.
func (db *DB) TenantTx(ctx context.Context, tenantID uuid.UUID, fn func(pgx.Tx) error) error {
	if tenantID == uuid.Nil {
		return apperr.Wrap(apperr.Internal, "internal error", errors.New("TenantTx without tenant"))
	}
	// BEGIN and the binding travel in one round trip (simple protocol; the
	// id is a formatted UUID, never caller text).
	// A refused call opens no transaction; one whose session check is still
	// owed settles it before it reads or changes anything
	// (access.SessionCheck).
	call, chk, err := owed(ctx, tenantID)
	if err != nil {
		return err
	}
	begin := "BEGIN; SELECT set_config('app.tenant_id', '" + tenantID.String() + "', true)"
	return pgx.BeginTxFunc(ctx, db.Pool, pgx.TxOptions{BeginQuery: begin}, func(tx pgx.Tx) error {
		if chk != nil {
			sql, args := chk.Statement()
			if err := call.Settle(chk.Scan(tx.QueryRow(ctx, sql, args...))); err != nil {
				return err
			}
		}
		return fn(tx)
	})
}

// owed returns the session check the call in ctx still owes when it is
// bound to tenantID (another tenant's transaction does not settle it), or
// the call's refusal when its check already failed: a refused call reaches
// no tenant data afterwards, even if its handler went on after the error.
func owed(ctx context.Context, tenantID uuid.UUID) (*access.Call, access.SessionCheck, error) {
	call := access.CallFrom(ctx)
	if call == nil {
		return nil, nil, nil
	}
	if err := call.Err(); err != nil {
		return nil, nil, err
	}
	chk := call.Pending()
	if chk == nil {
		return nil, nil, nil
	}
	if p, err := access.From(ctx); err != nil || p.TenantID != tenantID {
		return nil, nil, nil
	}
	return call, chk, nil
}

// readOnly ends a pipeline's write access: queued after an owed session
// check, it makes every statement behind the check read-only, so a call the
// check refuses (by rule, decided after the batch ran) cannot have changed
// anything in the meantime.
const readOnly = "SELECT set_config('transaction_read_only', 'on', true)"

// queueOwed pipelines the owed session check (if any) after the binding in
// b; the returned settle must be called after the batch has run.
func queueOwed(ctx context.Context, tenantID uuid.UUID, b *pgx.Batch) (settle func(batchErr error) error, err error) {
	call, chk, err := owed(ctx, tenantID)
	if err != nil {
		return nil, err
	}
	if chk == nil {
		return func(batchErr error) error { return batchErr }, nil
	}
	var fresh *access.Principal
	var scanErr error
	scanned := false
	sql, args := chk.Statement()
	b.Queue(sql, args...).QueryRow(func(row pgx.Row) error {
		fresh, scanErr = chk.Scan(row)
		scanned = true
		return nil
	})
	b.Queue(readOnly)
	return func(batchErr error) error {
		if !scanned && scanErr == nil {
			// The binding failed before the check was read.
			scanErr = batchErr
			if scanErr == nil {
				scanErr = errors.New("session check not read")
			}
		}
		// A refused check (fresh nil, no error) wins over the batch's error,
		// which is then the refusal aborting the statements behind it.
		if err := call.Settle(fresh, scanErr); err != nil {
			return err
		}
		return batchErr
	}, nil
}

// TenantBatch sends the statements queue adds, preceded by the tenant
// binding, in one round trip; they run as one implicit transaction, so the
// binding holds for all of them and nothing else. For hot read paths (the
// per-call session check). Result callbacks registered with Queue(…).QueryRow
// or .Exec run before TenantBatch returns.
func (db *DB) TenantBatch(ctx context.Context, tenantID uuid.UUID, queue func(b *pgx.Batch)) error {
	if tenantID == uuid.Nil {
		return apperr.Wrap(apperr.Internal, "internal error", errors.New("TenantBatch without tenant"))
	}
	b := &pgx.Batch{}
	b.Queue("SELECT set_config('app.tenant_id', $1, true)", tenantID.String())
	settle, err := queueOwed(ctx, tenantID, b)
	if err != nil {
		return err
	}
	queue(b)
	return settle(db.Pool.SendBatch(ctx, b).Close())
}

// Check runs a principal's check (a session's or an API key's) in a round
// trip of its own, bound to tenantID: the current principal, nil when the
// check refused (its refusal is the batch's error, on purpose), or the
// database's error. Callers pass a context without call state
// (access.WithoutCall), so the check does not queue itself again.
func (db *DB) Check(ctx context.Context, tenantID uuid.UUID, chk access.SessionCheck) (*access.Principal, error) {
	var p *access.Principal
	var scanErr error
	scanned := false
	err := db.TenantBatch(ctx, tenantID, func(b *pgx.Batch) {
		sql, args := chk.Statement()
		b.Queue(sql, args...).QueryRow(func(row pgx.Row) error {
			p, scanErr = chk.Scan(row)
			scanned = true
			return nil
		})
	})
	if scanned && scanErr == nil && p == nil {
		return nil, nil // refused on purpose: the batch's error is that refusal
	}
	if err == nil {
		err = scanErr
	}
	return p, err
}

// TenantQuery runs one read-only query bound to tenantID in a single round
// trip (binding and query pipelined as one implicit transaction) and hands
// its rows to scan. For the read paths of the API.
func (db *DB) TenantQuery(ctx context.Context, tenantID uuid.UUID, scan func(pgx.Rows) error, sql string, args ...any) error {
	return db.TenantBatch(ctx, tenantID, func(b *pgx.Batch) {
		b.Queue(sql, args...).Query(scan)
	})
}

// Tx runs fn in a transaction that is bound to no tenant: row-level security
// then hides every tenant row. For platform tables only.
func (db *DB) Tx(ctx context.Context, fn func(pgx.Tx) error) error {
	return pgx.BeginFunc(ctx, db.Pool, fn)
}

// PostgreSQL error codes we classify.
const (
	codeUniqueViolation       = "23505"
	codeForeignKeyViolation   = "23503"
	codeCheckViolation        = "23514"
	codeNotNullViolation      = "23502"
	codeInsufficientPrivilege = "42501"
	codeSerializationFailure  = "40001"
	codeDeadlockDetected      = "40P01"
	codeQueryCanceled         = "57014"
	codeCharNotInRepertoire   = "22021"
)

// UniqueViolation reports whether err is a unique violation, and of which
// constraint or index. Stores use it to name the field in AlreadyExists.
func UniqueViolation(err error) (constraint string, ok bool) {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == codeUniqueViolation {
		return pgErr.ConstraintName, true
	}
	return "", false
}

// Classify turns a database error into an apperr with a generic,
// caller-safe message; the cause is kept for the log. pgx.ErrNoRows becomes
// NotFound. Already classified errors pass through. An unreachable or
// failing database (connection errors, class 08, shutdown and start-up
// states, too many connections, the dial backoff) becomes Unavailable, so
// clients and load balancers retry instead of reporting a bug.
func Classify(err error) error {
	if err == nil {
		return nil
	}
	var ae *apperr.Error
	if errors.As(err, &ae) {
		return err
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return apperr.Wrap(apperr.NotFound, "not found", err)
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		// Also the bounded wait for a pooled connection (busy: retry later).
		// When the request's own deadline passed, the rpc layer answers
		// DeadlineExceeded instead (it sees the request's context).
		return apperr.Wrap(apperr.Unavailable, "the request was cancelled or timed out", err)
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case codeUniqueViolation:
			return apperr.Wrap(apperr.AlreadyExists, "already exists", err)
		case codeForeignKeyViolation:
			return apperr.Wrap(apperr.FailedPrecondition, "the entry is still referenced or refers to something that does not exist", err)
		case codeCheckViolation, codeNotNullViolation:
			return apperr.Wrap(apperr.InvalidArgument, "a value is not allowed", err)
		case codeSerializationFailure, codeDeadlockDetected:
			return apperr.Wrap(apperr.Aborted, "a concurrent change interfered; try again", err)
		case codeQueryCanceled:
			return apperr.Wrap(apperr.Unavailable, "the database took too long", err)
		case codeCharNotInRepertoire:
			// A NUL character in text: validation refuses it first; this
			// is the backstop for any path that misses it.
			return apperr.Wrap(apperr.InvalidArgument, "a text contains a character that is not allowed", err)
		}
	}
	if errors.Is(err, ErrDatabaseUnavailable) || connectionFailure(err) {
		return apperr.Wrap(apperr.Unavailable, "the service is temporarily unavailable; try again shortly", err)
	}
	return apperr.Wrap(apperr.Internal, "internal error", err)
}
