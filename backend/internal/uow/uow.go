// Package uow is the unit of work every domain runs its use cases in.
//
// A write is one transaction bound to the caller's tenant (row-level
// security) that also carries the audit record of the action: the action
// and its record commit together or not at all, and a failed request
// changes nothing. A read binds the tenant and runs each statement in one
// pipelined round trip; a read of personal data records who read what with
// one call (Reader.Audit): once the read has succeeded, its events are
// queued in one pipelined round trip (audit.Writer.QueueAll) and chained by a
// background sweeper seconds later, so audited reads never wait on the
// tenant's chain head. A read whose events cannot be queued fails: no read
// of personal data goes unrecorded. The caller is always the context's principal: a domain never
// passes tenant ids around by hand, and never decides who may call it (the
// rpc's access rule did that before the domain ran).
package uow

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/zeugo/zeugo/backend/internal/access"
	"github.com/zeugo/zeugo/backend/internal/audit"
	"github.com/zeugo/zeugo/backend/internal/jobs"
	"github.com/zeugo/zeugo/backend/internal/keyring"
	"github.com/zeugo/zeugo/backend/internal/paging"
	"github.com/zeugo/zeugo/backend/internal/postgres"
)

// Runner runs units of work.
type Runner struct {
	db    *postgres.DB
	keys  *keyring.Keyring
	audit *audit.Writer
	pages *paging.Codec
	now   func() time.Time
}

// New returns a Runner.
func New(db *postgres.DB, keys *keyring.Keyring, w *audit.Writer, pages *paging.Codec, now func() time.Time) *Runner {
	if now == nil {
		now = time.Now
	}
	return &Runner{db: db, keys: keys, audit: w, pages: pages, now: now}
}

// Now is the runner's clock (injected; tests move it).
func (r *Runner) Now() time.Time { return r.now() }

// Target names what an audit event is about: a domain-owned type name
// ("company", "employee") and the row id.
type Target struct {
	Type string
	ID   uuid.UUID
}

// Tx is a write in progress: the tenant-bound transaction (a sqlc DBTX),
// the caller, and the audit hook.
type Tx struct {
	pgx.Tx
	// P is the caller.
	P   *access.Principal
	ctx context.Context
	r   *Runner
}

// Record appends the audit event of this action to the tenant's chain, in
// this transaction. details hold non-personal facts only (codes, counts).
func (t *Tx) Record(action string, target Target, details map[string]string) error {
	return t.r.audit.Write(t.ctx, t.Tx, t.P.TenantID, event(t.P, action, target, details))
}

// RecordEach appends one event of action per target (a bulk change that
// must stay auditable per row), chained in one batch (audit.Writer.WriteMany).
func (t *Tx) RecordEach(action string, targets []Target, details map[string]string) error {
	events := make([]audit.Event, len(targets))
	for i, target := range targets {
		events[i] = event(t.P, action, target, details)
	}
	return t.r.audit.WriteMany(t.ctx, t.Tx, t.P.TenantID, events)
}

// Context is the call's context.
func (t *Tx) Context() context.Context { return t.ctx }

// Cipher is the field cipher of the caller's tenant, for personal data
// (keys are cached; a miss loads them in this transaction).
func (t *Tx) Cipher() (*keyring.TenantCipher, error) {
	return t.r.keys.Tenant(t.ctx, t.Tx, t.P.TenantID)
}

func event(p *access.Principal, action string, target Target, details map[string]string) audit.Event {
	return audit.Event{Action: action, Outcome: audit.OutcomeSuccess, ActorType: string(p.Kind), ActorID: p.ActorID.String(),
		TargetType: target.Type, TargetID: target.ID.String(), Details: details}
}

// Write runs fn in one transaction bound to the caller's tenant; it commits
// when fn returns nil and rolls back otherwise. Database errors come back
// classified (apperr).
func (r *Runner) Write(ctx context.Context, fn func(tx *Tx) error) error {
	p, err := access.From(ctx)
	if err != nil {
		return err
	}
	return postgres.Classify(r.db.TenantTx(ctx, p.TenantID, func(tx pgx.Tx) error {
		return fn(&Tx{Tx: tx, P: p, ctx: ctx, r: r})
	}))
}

// Reader is a read in progress.
type Reader struct {
	// P is the caller.
	P *access.Principal
	// DB runs sqlc queries bound to the caller's tenant, one round trip
	// each.
	DB     postgres.DBTX
	ctx    context.Context
	r      *Runner
	events []audit.Event
}

// Audit records that the caller read target (SPEC §8: every read of
// personal data). The event is queued when the read succeeds.
func (rd *Reader) Audit(action string, target Target) {
	rd.events = append(rd.events, event(rd.P, action, target, nil))
}

// AuditWith records a read with non-personal details (a download's
// SHA-256).
func (rd *Reader) AuditWith(action string, target Target, details map[string]string) {
	rd.events = append(rd.events, event(rd.P, action, target, details))
}

// Cipher is the field cipher of the caller's tenant (keys are cached; a
// miss costs one round trip).
func (rd *Reader) Cipher() (*keyring.TenantCipher, error) {
	return rd.r.keys.Tenant(rd.ctx, rd.DB, rd.P.TenantID)
}

// Context is the call's context (for decryption inside row scans).
func (rd *Reader) Context() context.Context { return rd.ctx }

// Read runs fn for the caller and then writes the read events fn recorded.
// A read that fails records nothing and returns the classified error.
func (r *Runner) Read(ctx context.Context, fn func(rd *Reader) error) error {
	p, err := access.From(ctx)
	if err != nil {
		return err
	}
	rd := &Reader{P: p, DB: r.db.Tenant(p.TenantID), ctx: ctx, r: r}
	if err := fn(rd); err != nil {
		return postgres.Classify(err)
	}
	if len(rd.events) == 0 {
		return nil
	}
	if call := access.CallFrom(ctx); call != nil && call.Pending() != nil {
		// fn read nothing from the database (the check rides only in front of
		// reads, which then run read-only): settle the call before its
		// events are written.
		if _, err := rd.DB.Exec(ctx, "SELECT"); err != nil {
			return postgres.Classify(err)
		}
	}
	events := &pgx.Batch{}
	if err := r.audit.QueueAll(ctx, rd.DB, events, p.TenantID, rd.events); err != nil {
		return postgres.Classify(err)
	}
	return postgres.Classify(r.db.TenantBatch(ctx, p.TenantID, func(b *pgx.Batch) {
		b.QueuedQueries = append(b.QueuedQueries, events.QueuedQueries...)
	}))
}

// AuditChainer is the sweeper that chains queued read events
// (audit.Writer.ChainPending); the jobs run it every few seconds.
func AuditChainer(w *audit.Writer) jobs.Sweeper {
	return jobs.Sweeper{Name: "audit_events_chained", Sweep: func(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID, _ time.Time, batch int) (int64, error) {
		n, err := w.ChainPending(ctx, tx, tenantID, batch)
		return int64(n), err
	}}
}

// ListPage reads one keyset page of l for the reader's tenant, rows and
// total in one round trip (see postgres.List).
func ListPage[T any](rd *Reader, l postgres.List, req paging.Request, scan pgx.RowToFunc[T],
	keyOf func(*T) (string, uuid.UUID)) (paging.Page[T], error) {
	return postgres.ListPage(rd.ctx, rd.r.db, rd.P.TenantID, rd.r.pages, l, req, scan, keyOf)
}
