package apikey

import (
	"crypto/subtle"
	"errors"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/zeugo/zeugo/backend/internal/access"
)

// keyCheckSQL checks the key named by a token and returns what it may do:
// the key's scopes and allow-list, its user's role areas, certificate access
// and rights versions, and the tenant's state — or refuses when the key is
// unknown, its secret wrong, it is revoked or expired, the client address
// lies outside its allow-list, its user is no longer active or the tenant
// may no longer act. Like the session check (package auth) it is one
// statement, so it can ride in front of a call's own statement
// (access.SessionCheck), and it refuses by failing (division by zero,
// SQLSTATE 22012), which aborts every statement pipelined behind it. $6–$8
// are the rights versions a remembered principal was decided on (NULL for a
// fresh check): when they differ the check refuses too, and the call is
// decided again on a fresh check (access.Call.Stale).
const keyCheckSQL = `WITH live AS (
		SELECT k.id, k.user_id, k.scopes, k.allowed_cidrs, k.expires_at, r.areas, t.status, u.authz_version, r.version,
		       u.access_all, u.access_companies, u.access_locations, u.access_departments, u.access_org_units,
		       u.access_employee_types
		FROM api_keys k
		JOIN users u ON u.tenant_id = k.tenant_id AND u.id = k.user_id
		JOIN roles r ON r.tenant_id = u.tenant_id AND r.id = u.role_id
		JOIN tenants t ON t.id = k.tenant_id
		WHERE k.tenant_id = $1 AND k.prefix = $2 AND k.secret_hash = $3
		  AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > $4)
		  AND (cardinality(k.allowed_cidrs) = 0 OR $5::inet <<= ANY (k.allowed_cidrs))
		  AND u.status = 'active' AND t.status IN ('active', 'terminated')
		  AND ($6::bigint IS NULL OR (u.authz_version = $6 AND r.version = $7::bigint AND t.status = $8::text))
	)
	SELECT live.*
	FROM (VALUES (1)) AS one LEFT JOIN live ON true
	WHERE 1 / (CASE WHEN live.id IS NULL THEN 0 ELSE 1 END) = 1`

// keyRefused is the SQLSTATE of keyCheckSQL's refusal (division_by_zero,
// raised on purpose).
const keyRefused = "22012"

// rightsVersion identifies what a key's user may do at one moment (see
// package auth): a change of role, role areas, certificate access, user
// state or tenant state changes it. The key's own state (revoked, expiry)
// is checked by every check itself.
type rightsVersion struct {
	User         int64
	Role         int64
	TenantStatus string
}

// keyCheck is one call's check of its API key.
type keyCheck struct {
	tok   token
	ip    netip.Addr
	now   time.Time
	cache *keyCache
	// expect, when set, are the versions the remembered principal was
	// decided on.
	expect *rightsVersion
}

var _ access.SessionCheck = (*keyCheck)(nil)

// Statement implements access.SessionCheck.
func (c *keyCheck) Statement() (string, []any) {
	var ip any
	if c.ip.IsValid() {
		ip = c.ip.Unmap().String()
	}
	args := []any{c.tok.TenantID, c.tok.Prefix, c.tok.Hash, c.now, ip, nil, nil, nil}
	if c.expect != nil {
		args[5], args[6], args[7] = c.expect.User, c.expect.Role, c.expect.TenantStatus
	}
	return keyCheckSQL, args
}

// Scan implements access.SessionCheck; it also refreshes the cache (or
// forgets a refused key).
func (c *keyCheck) Scan(row pgx.Row) (*access.Principal, error) {
	var r keyRow
	err := row.Scan(r.dest()...)
	var pgErr *pgconn.PgError
	if errors.Is(err, pgx.ErrNoRows) || errors.As(err, &pgErr) && pgErr.Code == keyRefused {
		c.cache.drop(c.tok)
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	e := r.entry(c.tok)
	c.cache.put(c.tok, e, c.now)
	p := e.principal()
	return &p, nil
}

// keyRow is what the check reads.
type keyRow struct {
	ID, UserID                                                 uuid.UUID
	Scopes                                                     []string
	CIDRs                                                      []netip.Prefix
	ExpiresAt                                                  pgtype.Timestamptz
	Areas                                                      []string
	TenantStatus                                               string
	UserVersion, RoleVersion                                   int64
	AccessAll                                                  bool
	Companies, Locations, Departments, OrgUnits, EmployeeTypes []uuid.UUID
}

func (r *keyRow) dest() []any {
	return []any{&r.ID, &r.UserID, &r.Scopes, &r.CIDRs, &r.ExpiresAt, &r.Areas, &r.TenantStatus, &r.UserVersion,
		&r.RoleVersion, &r.AccessAll, &r.Companies, &r.Locations, &r.Departments, &r.OrgUnits, &r.EmployeeTypes}
}

// entry is the principal these rights describe, as the cache keeps it: an
// API key acting with its user's areas and certificate access (the
// Administrator area cannot be restricted), its own grants, and read-only
// while the tenant is terminated.
func (r *keyRow) entry(tok token) *cached {
	p := access.Principal{Kind: access.KindAPIKey, ActorID: r.ID, UserID: r.UserID, TenantID: tok.TenantID,
		ReadOnly: r.TenantStatus == "terminated", Grants: grantsOf(r.Scopes)}
	for _, a := range r.Areas {
		p.Areas = append(p.Areas, access.Area(a))
	}
	p.Scope = access.CertificateScope(p.Areas, r.AccessAll, access.Scope{Companies: r.Companies, Locations: r.Locations,
		Departments: r.Departments, OrgUnits: r.OrgUnits, EmployeeTypes: r.EmployeeTypes})
	e := &cached{p: p, hash: tok.Hash, cidrs: r.CIDRs,
		v: rightsVersion{User: r.UserVersion, Role: r.RoleVersion, TenantStatus: r.TenantStatus}}
	if r.ExpiresAt.Valid {
		e.expires = r.ExpiresAt.Time
	}
	return e
}

// grantsOf reads stored scopes ("organization:read", "organization:write").
func grantsOf(scopes []string) access.Grants {
	g := access.Grants{}
	for _, s := range scopes {
		svc, lvl, _ := strings.Cut(s, ":")
		switch lvl {
		case "read":
			g[svc] = max(g[svc], access.Read)
		case "write":
			g[svc] = access.Write
		}
	}
	return g
}

// scopeString is how a grant is stored.
func scopeString(service string, level access.Level) string {
	if level == access.Write {
		return service + ":write"
	}
	return service + ":read"
}

// admits reports whether addr may use a key with the allow-list cidrs
// (empty: any address; an unknown address passes no allow-list).
func admits(cidrs []netip.Prefix, addr netip.Addr) bool {
	if len(cidrs) == 0 {
		return true
	}
	if !addr.IsValid() {
		return false
	}
	addr = addr.Unmap()
	return slices.ContainsFunc(cidrs, func(p netip.Prefix) bool { return p.Contains(addr) })
}

// keyCache remembers the principal of each recently checked key for at
// most a minute. Like the session cache it never replaces the check — every
// call still runs it, pipelined with its first statement — it only lets the
// access decision be made before that round trip.
type keyCache struct {
	mu      sync.Mutex
	entries map[cacheKey]*cached
	ttl     time.Duration
}

type cacheKey struct {
	tenant uuid.UUID
	prefix string
}

type cached struct {
	p       access.Principal
	hash    []byte
	cidrs   []netip.Prefix
	expires time.Time // zero: never
	v       rightsVersion
	at      time.Time
	// touched is when this process last recorded a use of the key
	// (last_used_at and the "used" audit event).
	touched time.Time
}

func (e *cached) principal() access.Principal {
	p := e.p
	p.Areas = slices.Clone(e.p.Areas) // the caller's copy stays the caller's
	return p
}

func (e *cached) expired(now time.Time) bool { return !e.expires.IsZero() && !now.Before(e.expires) }

// maxCachedKeys bounds the cache; it is cleared when full.
const maxCachedKeys = 20000

func newKeyCache(ttl time.Duration) *keyCache {
	return &keyCache{entries: map[cacheKey]*cached{}, ttl: ttl}
}

// get returns a copy of the remembered entry of tok, if it is fresh and
// was checked with the same secret.
func (c *keyCache) get(tok token, now time.Time) (cached, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[tok.key()]
	if !ok || now.Sub(e.at) > c.ttl || subtle.ConstantTimeCompare(e.hash, tok.Hash) != 1 {
		return cached{}, false
	}
	return *e, true
}

func (c *keyCache) put(tok token, e *cached, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.entries) >= maxCachedKeys {
		clear(c.entries)
	}
	if old, ok := c.entries[tok.key()]; ok && subtle.ConstantTimeCompare(old.hash, tok.Hash) == 1 {
		e.touched = old.touched
	}
	e.at = now
	c.entries[tok.key()] = e
}

// drop forgets tok's key — unless the entry was made with another secret:
// someone guessing secrets for a known prefix must not evict the key's
// holder from the cache.
func (c *keyCache) drop(tok token) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.entries[tok.key()]; ok && subtle.ConstantTimeCompare(e.hash, tok.Hash) == 1 {
		delete(c.entries, tok.key())
	}
}

// touchDue reports whether this process should record a use of tok's key.
func (c *keyCache) touchDue(tok token, now time.Time) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[tok.key()]
	return !ok || now.Sub(e.touched) >= touchEvery
}

func (c *keyCache) markTouched(tok token, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.entries[tok.key()]; ok {
		e.touched = now
	}
}

// touchEvery bounds how often a key's use is recorded (last_used_at and the
// "used" audit event): once a minute per key.
const touchEvery = time.Minute
