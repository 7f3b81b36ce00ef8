package access

import (
	"context"
	"sync"

	"github.com/jackc/pgx/v5"

	"github.com/zeugo/zeugo/backend/internal/apperr"
)

// SessionCheck is the check of a principal's session that a call still
// owes when its principal came from the session cache (package auth): one
// statement that, run in a transaction bound to the principal's tenant,
// returns the session's current principal (no row: the session may no
// longer act). The first database round trip of the call carries it
// (package postgres pipelines it before the call's own statement), so an
// authenticated read costs one round trip and a revoked session, a
// deactivated user or a changed role still acts on the very next call.
type SessionCheck interface {
	Statement() (sql string, args []any)
	// Scan reads the statement's row; a nil principal without error means
	// the session is gone.
	Scan(row pgx.Row) (*Principal, error)
}

// Call is the access state of one rpc: its rule, its principal, and the
// session check it may still owe.
type Call struct {
	mu      sync.Mutex
	rule    Rule
	p       *Principal
	pending SessionCheck
	err     error
	// refusedOnMemory: the owed check refused (no principal). The check of a
	// remembered principal also refuses when the rights it was decided on
	// changed, so the call may be decided once more on a fresh check.
	refusedOnMemory bool
}

// NewCall returns the call state; pending is nil when the session was
// checked already.
func NewCall(rule Rule, p *Principal, pending SessionCheck) *Call {
	return &Call{rule: rule, p: p, pending: pending}
}

// Pending is the session check still owed, or nil.
func (c *Call) Pending() SessionCheck {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.pending
}

// Settle records the outcome of the owed check: the call may go on only if
// the session still acts and its current principal still passes the rule
// (a role that lost the area, a tenant that became read-only). The
// principal is updated in place. Settling twice is a no-op that repeats the
// first outcome.
func (c *Call) Settle(fresh *Principal, err error) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.pending == nil {
		return c.err
	}
	c.pending = nil
	switch {
	case err != nil:
		c.err = err
	case fresh == nil:
		c.err = apperr.ErrUnauthenticated
		c.refusedOnMemory = true
	default:
		fresh.SessionID = c.p.SessionID
		*c.p = *fresh
		c.err = c.rule.Allow(c.p)
	}
	return c.err
}

// Stale reports whether the call was refused by the check it owed: the
// session may be gone, or only the rights the call was decided on changed
// (a role's areas, the user's certificate access, the tenant's state).
// Everything that rode behind the check was aborted, so the access
// interceptor decides such a call once more on a fresh check.
func (c *Call) Stale() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.refusedOnMemory
}

// Err is the outcome of a settled check (nil while pending or when it
// passed). The access interceptor refuses a call whose check failed even
// if its handler ignored the error.
func (c *Call) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}

type callKey struct{}

// WithCall returns ctx carrying c and its principal.
func WithCall(ctx context.Context, c *Call) context.Context {
	return WithPrincipal(context.WithValue(ctx, callKey{}, c), c.p)
}

// WithoutCall returns ctx without call state, for the check's own round
// trip (which must not queue itself again).
func WithoutCall(ctx context.Context) context.Context {
	return context.WithValue(ctx, callKey{}, (*Call)(nil))
}

// CallFrom returns the call state of ctx, or nil outside an authenticated
// call (operator commands, jobs).
func CallFrom(ctx context.Context) *Call {
	c, _ := ctx.Value(callKey{}).(*Call)
	return c
}
