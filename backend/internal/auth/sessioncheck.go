package auth

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/zeugo/zeugo/backend/internal/access"
)

// sessionCheckSQL validates the session named by a token and returns the
// areas and tenant status of its user, or no row when the session is gone,
// revoked, expired, or its user or tenant may no longer sign in. The
// data-modifying CTE extends the idle timeout, written at most once a
// minute per session. One statement, so it can be pipelined in front of a
// call's own statement (access.SessionCheck). When the session may no
// longer act the statement fails (division by zero, SQLSTATE 22012, on the
// one NULL row of the outer join) instead of returning no row: the failure
// aborts the implicit transaction of the pipeline, so no statement queued
// behind the check runs — not even a write.
var sessionCheckSQL = `WITH live AS (` + sessionLive(5) + `)
	` + sessionRefuseSQL

// sessionCheckTouchSQL is sessionCheckSQL that also extends the idle
// timeout (the data-modifying CTE writes at most once a minute per session).
// The remembered principal knows when its session was last extended, so the
// check of most calls is a read only. The extension is the session's own
// idle timeout (sessions.idle_seconds: the tenant's, bounded by the
// operator's, fixed at login), so the check reads no tenant setting.
var sessionCheckTouchSQL = `WITH live AS (` + sessionLive(6) + `), touch AS (
		UPDATE sessions SET last_seen_at = $4,
			idle_expires_at = LEAST($4 + make_interval(secs => idle_seconds), absolute_expires_at)
		WHERE tenant_id = $1 AND id = $2 AND revoked_at IS NULL AND idle_expires_at > $4 AND last_seen_at < $5
		RETURNING 1
	)
	` + sessionRefuseSQL

// sessionLive selects the session's current rights; p is the number of the
// first of three parameters that a check made on a remembered principal
// sets (user's authz_version, role's version, tenant status; NULL for a
// fresh check): when any differs, the check refuses like a dead session,
// so nothing decided on stale rights runs, and the access interceptor
// decides the call again on a fresh check (rpc, Call.Stale).
func sessionLive(p int) string {
	return fmt.Sprintf(`
		SELECT r.areas, t.status, u.authz_version, r.version, u.access_all, u.access_companies,
		       u.access_locations, u.access_departments, u.access_org_units, u.access_employee_types
		FROM sessions s
		JOIN users u ON u.tenant_id = s.tenant_id AND u.id = s.user_id
		JOIN roles r ON r.tenant_id = u.tenant_id AND r.id = u.role_id
		JOIN tenants t ON t.id = s.tenant_id
		WHERE s.tenant_id = $1 AND s.id = $2 AND s.user_id = $3
		  AND s.revoked_at IS NULL AND s.idle_expires_at > $4 AND s.absolute_expires_at > $4
		  AND u.status = 'active' AND t.status IN ('active', 'terminated')
		  AND ($%[1]d::bigint IS NULL OR (u.authz_version = $%[1]d AND r.version = $%[2]d::bigint AND t.status = $%[3]d::text))
	`, p, p+1, p+2)
}

const sessionRefuseSQL = `SELECT live.*
	FROM (VALUES (1)) AS one LEFT JOIN live ON true
	WHERE 1 / (CASE WHEN live.status IS NULL THEN 0 ELSE 1 END) = 1`

// touchEvery is how often a session's idle timeout is extended.
const touchEvery = time.Minute

// sessionRefused is the SQLSTATE of sessionCheckSQL for a session that may
// no longer act (division_by_zero, raised on purpose).
const sessionRefused = "22012"

// sessionCheck is one call's check of its session.
type sessionCheck struct {
	ids   tokenIDs
	now   time.Time
	cache *principalCache
	// touch extends the idle timeout too (the session was not extended by
	// this process for touchEvery).
	touch bool
	// expect, when set, are the versions the remembered principal was
	// decided on; the check refuses when the session's differ.
	expect *rightsVersion
}

// rightsVersion identifies what a user may do at one moment: any change of
// role, role areas, certificate access, user state or tenant state changes
// it.
type rightsVersion struct {
	User         int64
	Role         int64
	TenantStatus string
}

func (c *sessionCheck) expectArgs() []any {
	if c.expect == nil {
		return []any{nil, nil, nil}
	}
	return []any{c.expect.User, c.expect.Role, c.expect.TenantStatus}
}

var _ access.SessionCheck = (*sessionCheck)(nil)

// Statement implements access.SessionCheck.
func (c *sessionCheck) Statement() (string, []any) {
	if c.touch {
		return sessionCheckTouchSQL, append([]any{c.ids.TenantID, c.ids.SessionID, c.ids.UserID, c.now, c.now.Add(-touchEvery)}, c.expectArgs()...)
	}
	return sessionCheckSQL, append([]any{c.ids.TenantID, c.ids.SessionID, c.ids.UserID, c.now}, c.expectArgs()...)
}

// Scan implements access.SessionCheck; it also refreshes the cache.
func (c *sessionCheck) Scan(row pgx.Row) (*access.Principal, error) {
	var r rightsRow
	err := row.Scan(r.dest()...)
	var pgErr *pgconn.PgError
	if errors.Is(err, pgx.ErrNoRows) || errors.As(err, &pgErr) && pgErr.Code == sessionRefused {
		c.cache.drop(c.ids.SessionID)
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	p := r.principal(c.ids.TenantID, c.ids.UserID)
	p.SessionID = c.ids.SessionID
	c.cache.put(p, r.version(), c.now, c.touch)
	return p, nil
}

// rightsRow is what the session check (and loadPrincipal) read of a user's
// rights: role areas, tenant state, versions, certificate access.
type rightsRow struct {
	Areas                                                      []string
	TenantStatus                                               string
	UserVersion, RoleVersion                                   int64
	AccessAll                                                  bool
	Companies, Locations, Departments, OrgUnits, EmployeeTypes []uuid.UUID
}

func (r *rightsRow) dest() []any {
	return []any{&r.Areas, &r.TenantStatus, &r.UserVersion, &r.RoleVersion, &r.AccessAll, &r.Companies,
		&r.Locations, &r.Departments, &r.OrgUnits, &r.EmployeeTypes}
}

func (r *rightsRow) version() rightsVersion {
	return rightsVersion{User: r.UserVersion, Role: r.RoleVersion, TenantStatus: r.TenantStatus}
}

// principal is the signed-in user these rights describe. Certificate
// access: everything for access_all (and for the Administrator area, which
// cannot be restricted), else the listed dimensions (SPEC §3.3).
func (r *rightsRow) principal(tenantID, userID uuid.UUID) *access.Principal {
	p := &access.Principal{Kind: access.KindUser, ActorID: userID, UserID: userID, TenantID: tenantID,
		Areas: toAreas(r.Areas), ReadOnly: r.TenantStatus == "terminated"}
	p.Scope = access.CertificateScope(p.Areas, r.AccessAll, access.Scope{Companies: r.Companies, Locations: r.Locations,
		Departments: r.Departments, OrgUnits: r.OrgUnits, EmployeeTypes: r.EmployeeTypes})
	return p
}

// principalCache remembers the principal of each recently checked session.
// It never replaces the check — every call still runs it, pipelined with
// its first statement — it only lets the access decision be made before
// that round trip; the check's fresh answer then confirms or refuses the
// call (access.Call.Settle).
type principalCache struct {
	mu      sync.Mutex
	entries map[uuid.UUID]cachedPrincipal
	ttl     time.Duration
}

type cachedPrincipal struct {
	p  access.Principal
	v  rightsVersion
	at time.Time
	// touched is when a check of this process last extended the session.
	touched time.Time
}

// maxCachedSessions bounds the cache; it is cleared when full.
const maxCachedSessions = 20000

func newPrincipalCache(ttl time.Duration) *principalCache {
	return &principalCache{entries: map[uuid.UUID]cachedPrincipal{}, ttl: ttl}
}

// get returns the remembered principal of the token's session and whether
// the session is due for an idle-timeout extension.
func (c *principalCache) get(ids tokenIDs, now time.Time) (p *access.Principal, v rightsVersion, touch, ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[ids.SessionID]
	if !ok || now.Sub(e.at) > c.ttl || e.p.UserID != ids.UserID || e.p.TenantID != ids.TenantID {
		return nil, rightsVersion{}, false, false
	}
	cp := e.p
	cp.Areas = append([]access.Area(nil), e.p.Areas...)
	return &cp, e.v, now.Sub(e.touched) >= touchEvery, true
}

func (c *principalCache) put(p *access.Principal, v rightsVersion, now time.Time, touched bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.entries) >= maxCachedSessions {
		clear(c.entries)
	}
	e := cachedPrincipal{p: *p, v: v, at: now, touched: c.entries[p.SessionID].touched}
	if touched {
		e.touched = now
	}
	e.p.Areas = append([]access.Area(nil), p.Areas...) // the caller's slice stays the caller's
	c.entries[p.SessionID] = e
}

func (c *principalCache) drop(sessionID uuid.UUID) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.entries, sessionID)
}

// Settle runs the check a call still owes in a round trip of its own (for
// calls whose handler touched no tenant data, and for refusals made on a
// cached principal).
func (a *Authenticator) Settle(ctx context.Context, call *access.Call) error {
	chk := call.Pending()
	if chk == nil {
		return call.Err()
	}
	c := chk.(*sessionCheck)
	fresh, err := checkSession(access.WithoutCall(ctx), a.db, c)
	return call.Settle(fresh, err)
}
