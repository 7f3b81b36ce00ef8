package auth

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/zeugo/zeugo/backend/internal/requestinfo"
)

// Login methods as stored on a session (sessions.login_method).
const (
	MethodPassword = "password"
)

// Session timeouts: the tenant chooses its idle and absolute timeout
// (tenants.session_idle_minutes, tenants.session_absolute_hours; area
// Datenschutz), and the operator's Policy.IdleTimeout and
// Policy.AbsoluteTimeout are their maxima: a session gets the smaller of
// the two, fixed when it starts. The idle timeout is stored on the session
// (sessions.idle_seconds), so the session check extends it without reading
// the tenant, and a changed setting applies to sessions started after it.

// insertSessionSQL starts a session with the tenant's timeouts bounded by
// the operator's, and what "my sessions" shows of the client: one
// statement, reading the tenant row it needs. $7 and $8 are the operator's
// maxima in seconds.
const insertSessionSQL = `INSERT INTO sessions (id, tenant_id, user_id, created_at, last_seen_at, idle_expires_at,
		absolute_expires_at, idle_seconds, user_agent_browser, user_agent_os, user_agent_mobile, client_network, login_method,
		step_up_at)
	SELECT $1::uuid, t.id, $3::uuid, $4::timestamptz, $4::timestamptz,
		$4::timestamptz + make_interval(secs => LEAST(t.session_idle_minutes * 60, $7::integer)),
		$4::timestamptz + make_interval(secs => LEAST(t.session_absolute_hours * 3600, $8::integer)),
		LEAST(t.session_idle_minutes * 60, $7::integer), $5::text, $6::text, $9::boolean, $10::text, $11::text,
		CASE WHEN $12::boolean THEN $4::timestamptz END
	FROM tenants t WHERE t.id = $2::uuid
	RETURNING absolute_expires_at`

// openSession inserts the session row for a sign-in by method and returns
// its absolute expiry. stepUp marks a sign-in that proved a second factor
// (it counts as a fresh step-up, mfa.StepUpValidity).
func (a *Authenticator) openSession(ctx context.Context, tx pgx.Tx, tenantID, userID, sid uuid.UUID, now time.Time, method string, stepUp bool) (time.Time, error) {
	info := requestinfo.From(ctx)
	ua := ParseUserAgent(info.UserAgent)
	var absolute time.Time
	err := tx.QueryRow(ctx, insertSessionSQL, sid, tenantID, userID, now, ua.Browser, ua.OS,
		seconds(a.policy.IdleTimeout), seconds(a.policy.AbsoluteTimeout), ua.Mobile, info.ClientNetwork(), method, stepUp).Scan(&absolute)
	return absolute, err
}

// seconds is d in whole seconds, at least one minute (the smallest idle
// timeout a session row admits) and at most a day.
func seconds(d time.Duration) int {
	s := int(d / time.Second)
	return min(max(s, 60), 86400)
}
