// Package ratelimit counts attempts in fixed windows stored in PostgreSQL,
// so limits hold across all server replicas without another component.
// Subjects (IP addresses, handover ids, emails) are stored only as keyed
// HMACs.
//
// Two kinds of limits: a Rule bounds hits per time window (Allow counts and
// checks at once; Check and Hit split that for limits on outcomes, such as
// failed logins, whose count is known only after the work), and a Backoff
// makes each further attempt on one subject wait twice as long as the one
// before (the per-account login throttle).
package ratelimit

import (
	"context"
	"errors"
	"math"
	"net/netip"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/zeugo/zeugo/backend/internal/apperr"
	"github.com/zeugo/zeugo/backend/internal/keyring"
)

// Rule is a limit: at most Limit hits per Window. Allow counts in fixed
// windows (cheap: one row per subject and window). Hit and Check count in
// steps of Step (Window/60 when zero) and Check sums the steps of the last
// Window, so that window slides: a burst at the end of one clock hour and
// the start of the next cannot reach twice the limit.
type Rule struct {
	Name   string
	Limit  int
	Window time.Duration
	Step   time.Duration
}

func (r Rule) step() time.Duration {
	if r.Step > 0 {
		return r.Step
	}
	return r.Window / 60
}

// Querier runs statements: the limiter's pool, or a transaction of the
// caller, so that a count can commit together with what it counts.
type Querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
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

// limited is ErrLimited's answer plus when to come back (Retry-After).
func limited(retryAfter time.Duration) error {
	return &apperr.Error{Code: ErrLimited.Code, Message: ErrLimited.Message, RetryAfter: retryAfter}
}

func (l *Limiter) subjectKey(name, subject string) []byte {
	return l.key.Sum("ratelimit/"+name, subject)
}

func internal(err error) error { return apperr.Wrap(apperr.Internal, "internal error", err) }

// count adds one hit of subject to the rule's current window and returns
// the window's count.
func (l *Limiter) count(ctx context.Context, q Querier, rule Rule, subject string, window time.Time) (int, error) {
	var hits int
	err := q.QueryRow(ctx, `INSERT INTO rate_limits (key, window_start, hits) VALUES ($1, $2, 1)
		ON CONFLICT (key, window_start) DO UPDATE SET hits = rate_limits.hits + 1 RETURNING hits`,
		l.subjectKey(rule.Name, subject), window).Scan(&hits)
	return hits, err
}

// Allow counts one hit of subject under rule and returns ErrLimited's answer,
// with RetryAfter set to the rest of the window, when the window's count
// exceeds the limit.
func (l *Limiter) Allow(ctx context.Context, rule Rule, subject string) error {
	now := l.now().UTC()
	window := now.Truncate(rule.Window)
	hits, err := l.count(ctx, l.pool, rule, subject, window)
	if err != nil {
		return internal(err)
	}
	if hits > rule.Limit {
		return limited(window.Add(rule.Window).Sub(now))
	}
	return nil
}

// AllowIn is Allow on q, the caller's transaction: the hit commits or
// rolls back with it, and a caller that holds row locks needs no second
// connection (which a full pool would not give it).
func (l *Limiter) AllowIn(ctx context.Context, q Querier, rule Rule, subject string) error {
	now := l.now().UTC()
	window := now.Truncate(rule.Window)
	hits, err := l.count(ctx, q, rule, subject, window)
	if err != nil {
		return internal(err)
	}
	if hits > rule.Limit {
		return limited(window.Add(rule.Window).Sub(now))
	}
	return nil
}

// Hit counts one hit of subject under rule without checking it, on q (the
// caller's transaction, so the count commits with the outcome it counts, or
// the pool when nil). Check reads what Hit counted.
func (l *Limiter) Hit(ctx context.Context, q Querier, rule Rule, subject string) error {
	if q == nil {
		q = l.pool
	}
	if _, err := l.count(ctx, q, rule, subject, l.now().UTC().Truncate(rule.step())); err != nil {
		return internal(err)
	}
	return nil
}

// Check returns ErrLimited's answer when subject already has Limit hits
// (counted by Hit) in the steps of the last Window, without counting this
// call; RetryAfter is when enough of them will have aged out. So at most
// Limit hits pass Check in any span of Window − Step.
func (l *Limiter) Check(ctx context.Context, rule Rule, subject string) error {
	now := l.now().UTC()
	step := rule.step()
	rows, err := l.pool.Query(ctx, `SELECT window_start, hits FROM rate_limits
		WHERE key = $1 AND window_start > $2 ORDER BY window_start`,
		l.subjectKey(rule.Name, subject), now.Truncate(step).Add(-rule.Window))
	if err != nil {
		return internal(err)
	}
	var steps []stepHits
	for rows.Next() {
		var s stepHits
		if err := rows.Scan(&s.start, &s.hits); err != nil {
			rows.Close()
			return internal(err)
		}
		steps = append(steps, s)
	}
	if err := rows.Err(); err != nil {
		return internal(err)
	}
	if wait, ok := slidingWait(rule, now, steps); !ok {
		return limited(wait)
	}
	return nil
}

type stepHits struct {
	start time.Time
	hits  int
}

// slidingWait decides a check at now over the steps of the last window
// (oldest first): ok when their sum is below the limit, otherwise how long
// until enough of the oldest steps have left the window. A step that began
// at b counts while now.Truncate(step) − Window < b, that is until b + Window.
func slidingWait(rule Rule, now time.Time, steps []stepHits) (time.Duration, bool) {
	sum := 0
	for _, s := range steps {
		sum += s.hits
	}
	if sum < rule.Limit {
		return 0, true
	}
	for _, s := range steps {
		sum -= s.hits
		if sum < rule.Limit {
			return max(s.start.Add(rule.Window).Sub(now), time.Nanosecond), false
		}
	}
	return rule.Window, false // unreachable: the empty sum is below any positive limit
}

// ClientKey is the rate-limit subject of a client address: an IPv4 address
// (also when it arrives IPv4-mapped), or the /64 of an IPv6 address, since
// one IPv6 client usually holds a whole /64 and could otherwise rotate
// through it. Requests without a known address (in-process callers) share
// one subject.
func ClientKey(ip netip.Addr) string {
	if !ip.IsValid() {
		return "unknown"
	}
	if ip.Is6() && !ip.Is4In6() {
		p, _ := ip.WithZone("").Prefix(64)
		return p.String()
	}
	return ip.Unmap().String()
}

// Backoff makes attempts on one subject wait: the first Free attempts go
// through at once; after n attempts (n ≥ Free) the next is let through only
// Unit·2ⁿ (at most Max) after the last one. Reset starts over (a successful
// login). Attempts made during the wait are refused without being counted,
// so hammering does not lengthen the wait either.
type Backoff struct {
	Name string
	Free int
	Unit time.Duration
	Max  time.Duration
}

// maxDoublings bounds the exponent (2⁶⁰ units is beyond any Max).
const maxDoublings = 60

// Delay is the wait after attempts attempts.
func (b Backoff) Delay(attempts int) time.Duration {
	if attempts < b.Free {
		return 0
	}
	d := float64(b.Unit) * math.Pow(2, float64(min(attempts, maxDoublings)))
	if d >= float64(b.Max) {
		return b.Max
	}
	return time.Duration(d)
}

// Claim lets one attempt on subject through, counting it, or returns
// heard=false when the subject's wait has not passed (then nothing is
// counted). One statement: concurrent attempts queue on the subject's row,
// so of several arriving together after the free ones only one gets
// through. An attempt counts as if it failed until Reset (success), Failed
// or Release resolves it; pending reports, for an attempt not heard, that
// some attempts let through are still unresolved — their outcome may reset
// the wait, so the caller may ask again shortly.
func (l *Limiter) Claim(ctx context.Context, b Backoff, subject string) (heard, pending bool, err error) {
	key := l.subjectKey(b.Name, subject)
	var attempts int
	err = l.pool.QueryRow(ctx, `INSERT INTO rate_backoffs AS b (key, attempts, last_at) VALUES ($1, 1, $2)
		ON CONFLICT (key) DO UPDATE SET attempts = least(b.attempts + 1, 1000000), last_at = $2
		WHERE b.attempts < $3
		   OR $2 >= b.last_at + least($4::float8 * power(2::float8, least(b.attempts, $6)), $5::float8) * interval '1 microsecond'
		RETURNING attempts`,
		key, l.now().UTC(), b.Free, float64(b.Unit.Microseconds()), float64(b.Max.Microseconds()), maxDoublings).Scan(&attempts)
	if err == nil {
		return true, false, nil
	}
	if !errors.Is(err, pgx.ErrNoRows) {
		return false, false, internal(err)
	}
	err = l.pool.QueryRow(ctx, `SELECT attempts > failures FROM rate_backoffs WHERE key = $1`, key).Scan(&pending)
	if errors.Is(err, pgx.ErrNoRows) { // reset in the meantime
		return false, true, nil
	}
	if err != nil {
		return false, false, internal(err)
	}
	return false, pending, nil
}

// Failed records that an attempt Claim let through failed, on q (the
// caller's transaction) or the pool when nil.
func (l *Limiter) Failed(ctx context.Context, q Querier, b Backoff, subject string) error {
	if q == nil {
		q = l.pool
	}
	if _, err := q.Exec(ctx, `UPDATE rate_backoffs SET failures = least(failures + 1, attempts) WHERE key = $1`,
		l.subjectKey(b.Name, subject)); err != nil {
		return internal(err)
	}
	return nil
}

// Release takes back an attempt Claim let through that was never decided
// (the check could not run), so it neither counts nor stays pending.
func (l *Limiter) Release(ctx context.Context, b Backoff, subject string) error {
	if _, err := l.pool.Exec(ctx, `UPDATE rate_backoffs SET attempts = greatest(attempts - 1, failures) WHERE key = $1`,
		l.subjectKey(b.Name, subject)); err != nil {
		return internal(err)
	}
	return nil
}

// Reset forgets subject's attempts under b, on q (the caller's transaction)
// or the pool when nil.
func (l *Limiter) Reset(ctx context.Context, q Querier, b Backoff, subject string) error {
	if q == nil {
		q = l.pool
	}
	if _, err := q.Exec(ctx, `DELETE FROM rate_backoffs WHERE key = $1`, l.subjectKey(b.Name, subject)); err != nil {
		return internal(err)
	}
	return nil
}

// DeleteExpired removes windows that started before before, and backoffs
// whose last attempt was before before, at most batch rows of each; the
// periodic cleanup job calls it until it returns fewer than batch.
func DeleteExpired(ctx context.Context, pool *pgxpool.Pool, before time.Time, batch int) (int64, error) {
	windows, err := pool.Exec(ctx, `DELETE FROM rate_limits WHERE ctid IN (
		SELECT ctid FROM rate_limits WHERE window_start < $1 LIMIT $2)`, before, batch)
	if err != nil {
		return 0, err
	}
	backoffs, err := pool.Exec(ctx, `DELETE FROM rate_backoffs WHERE key IN (
		SELECT key FROM rate_backoffs WHERE last_at < $1 LIMIT $2)`, before, batch)
	return windows.RowsAffected() + backoffs.RowsAffected(), err
}
