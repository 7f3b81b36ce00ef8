// Package ratelimit counts attempts in fixed windows stored in PostgreSQL,
// so limits hold across all server replicas without another component.
// Subjects (IP addresses, handover ids) are stored only as keyed HMACs.
package ratelimit

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/zeugo/zeugo/backend/internal/apperr"
	"github.com/zeugo/zeugo/backend/internal/keyring"
)

// Rule is a limit: at most Limit hits per Window.
type Rule struct {
	Name   string
	Limit  int
	Window time.Duration
}

// Limiter checks rules against the shared counters.
type Limiter struct {
	pool *pgxpool.Pool
	key  *keyring.IndexKey
	now  func() time.Time
}

// New returns a limiter; key pseudonymises subjects.
func New(pool *pgxpool.Pool, key *keyring.IndexKey, now func() time.Time) *Limiter {
	if now == nil {
		now = time.Now
	}
	return &Limiter{pool: pool, key: key, now: now}
}

// ErrLimited is the answer when a rule is exceeded.
var ErrLimited = apperr.New(apperr.ResourceExhausted, "too many attempts; wait a moment and try again")

// Allow counts one hit of subject under rule and returns ErrLimited's answer,
// with RetryAfter set to the rest of the window, when the window's count
// exceeds the limit.
func (l *Limiter) Allow(ctx context.Context, rule Rule, subject string) error {
	now := l.now().UTC()
	window := now.Truncate(rule.Window)
	var hits int
	err := l.pool.QueryRow(ctx, `INSERT INTO rate_limits (key, window_start, hits) VALUES ($1, $2, 1)
		ON CONFLICT (key, window_start) DO UPDATE SET hits = rate_limits.hits + 1 RETURNING hits`,
		l.key.Sum("ratelimit/"+rule.Name, subject), window).Scan(&hits)
	if err != nil {
		return apperr.Wrap(apperr.Internal, "internal error", err)
	}
	if hits > rule.Limit {
		// Same answer as ErrLimited, plus when the window ends (Retry-After).
		return &apperr.Error{Code: ErrLimited.Code, Message: ErrLimited.Message,
			RetryAfter: window.Add(rule.Window).Sub(now)}
	}
	return nil
}

// DeleteExpired removes windows older than maxAge, at most batch rows; the
// periodic cleanup job calls it until it returns fewer than batch.
func DeleteExpired(ctx context.Context, pool *pgxpool.Pool, before time.Time, batch int) (int64, error) {
	tag, err := pool.Exec(ctx, `DELETE FROM rate_limits WHERE ctid IN (
		SELECT ctid FROM rate_limits WHERE window_start < $1 LIMIT $2)`, before, batch)
	return tag.RowsAffected(), err
}
