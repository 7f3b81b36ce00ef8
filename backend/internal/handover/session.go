package handover

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/zeugo/zeugo/backend/internal/access"
	"github.com/zeugo/zeugo/backend/internal/apperr"
	"github.com/zeugo/zeugo/backend/internal/postgres"
	"github.com/zeugo/zeugo/backend/internal/rpc"
)

// TokenPrefix starts every recipient session token:
// zh_<tenant, 32 hex>.<session id, 32 hex>.<secret, 43 base64url>. The
// tenant is in the token so the check can bind its transaction to it; the
// secret's SHA-256 is what is stored.
const TokenPrefix = "zh_"

func pgTime(t time.Time) pgtype.Timestamptz { return pgtype.Timestamptz{Time: t, Valid: true} }

// newToken is a session's bearer token and the hash to store.
func newToken(tenantID, sessionID uuid.UUID) (string, []byte) {
	secret := make([]byte, 32)
	if _, err := rand.Read(secret); err != nil {
		panic("handover: crypto/rand failed: " + err.Error())
	}
	h := sha256.Sum256(secret)
	return TokenPrefix + hex.EncodeToString(tenantID[:]) + "." + hex.EncodeToString(sessionID[:]) + "." +
		base64.RawURLEncoding.EncodeToString(secret), h[:]
}

// token is a parsed session token.
type token struct {
	tenant, session uuid.UUID
	hash            []byte
}

func parseToken(s string) (token, bool) {
	var t token
	parts := strings.Split(strings.TrimPrefix(s, TokenPrefix), ".")
	if !strings.HasPrefix(s, TokenPrefix) || len(parts) != 3 || len(parts[0]) != 32 || len(parts[1]) != 32 || len(parts[2]) != 43 {
		return t, false
	}
	if _, err := hex.Decode(t.tenant[:], []byte(parts[0])); err != nil {
		return t, false
	}
	if _, err := hex.Decode(t.session[:], []byte(parts[1])); err != nil {
		return t, false
	}
	secret, err := base64.RawURLEncoding.Strict().DecodeString(parts[2])
	if err != nil || len(secret) != 32 {
		return t, false
	}
	h := sha256.Sum256(secret)
	t.hash = h[:]
	return t, true
}

// sessionCheckSQL checks a recipient session and returns its grant: the
// session is known with this secret and not expired, its handover neither
// revoked, completed nor expired, and the tenant may act. Like the user
// session check (package auth) it is one statement that refuses by failing
// (division by zero, SQLSTATE 22012), so it can ride in front of a call's
// own statement and abort everything pipelined behind it.
const sessionCheckSQL = `WITH live AS (
		SELECT h.id, h.certificate_id, h.read_sections, h.write_sections, h.download, t.status
		FROM handover_sessions s
		JOIN handovers h ON h.tenant_id = s.tenant_id AND h.id = s.handover_id
		JOIN tenants t ON t.id = s.tenant_id
		WHERE s.tenant_id = $1 AND s.id = $2 AND s.secret_hash = $3 AND s.expires_at > $4
		  AND h.revoked_at IS NULL AND h.completed_at IS NULL AND h.expires_at > $4
		  AND t.status IN ('active', 'terminated')
	)
	SELECT live.*
	FROM (VALUES (1)) AS one LEFT JOIN live ON true
	WHERE 1 / (CASE WHEN live.id IS NULL THEN 0 ELSE 1 END) = 1`

// sessionRefused is the SQLSTATE of sessionCheckSQL's refusal.
const sessionRefused = "22012"

// sessionCheck is one call's check of its recipient session.
type sessionCheck struct {
	tok   token
	now   time.Time
	cache *sessionCache
}

var _ access.SessionCheck = (*sessionCheck)(nil)

// Statement implements access.SessionCheck.
func (c *sessionCheck) Statement() (string, []any) {
	return sessionCheckSQL, []any{c.tok.tenant, c.tok.session, c.tok.hash, c.now}
}

// Scan implements access.SessionCheck; it also refreshes the cache (or
// forgets a refused session).
func (c *sessionCheck) Scan(row pgx.Row) (*access.Principal, error) {
	var h access.Handover
	var id uuid.UUID
	var status string
	err := row.Scan(&id, &h.CertificateID, &h.Read, &h.Write, &h.Download, &status)
	var pgErr *pgconn.PgError
	if errors.Is(err, pgx.ErrNoRows) || errors.As(err, &pgErr) && pgErr.Code == sessionRefused {
		c.cache.drop(c.tok.session)
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	p := &access.Principal{Kind: access.KindHandoverRecipient, ActorID: id, TenantID: c.tok.tenant,
		SessionID: c.tok.session, ReadOnly: status == "terminated", Handover: &h}
	c.cache.put(c.tok, p, c.now)
	cp := *p
	return &cp, nil
}

// Authenticator checks recipient session tokens (TokenPrefix) and hands
// every other bearer token to next (API keys, user sessions). Like theirs,
// a session checked within the last minute is answered from memory with
// its check returned for the call's first round trip, so a recipient's
// read costs the round trips an HR user's does; the check itself runs on
// every call, so a revoked, completed or expired handover stops at once.
type Authenticator struct {
	next  rpc.Authenticator
	db    *postgres.DB
	now   func() time.Time
	cache *sessionCache
}

var (
	_ rpc.Authenticator   = (*Authenticator)(nil)
	_ rpc.RefusalRecorder = (*Authenticator)(nil)
)

// NewAuthenticator returns the authenticator in front of next.
func NewAuthenticator(next rpc.Authenticator, db *postgres.DB, now func() time.Time) *Authenticator {
	if now == nil {
		now = time.Now
	}
	return &Authenticator{next: next, db: db, now: now, cache: &sessionCache{entries: map[uuid.UUID]cachedSession{}}}
}

// Authenticate implements rpc.Authenticator.
func (a *Authenticator) Authenticate(ctx context.Context, bearer string, mayDefer bool) (*access.Principal, access.SessionCheck, error) {
	if !strings.HasPrefix(bearer, TokenPrefix) {
		return a.next.Authenticate(ctx, bearer, mayDefer)
	}
	tok, ok := parseToken(bearer)
	if !ok {
		return nil, nil, apperr.ErrUnauthenticated
	}
	now := a.now()
	chk := &sessionCheck{tok: tok, now: now, cache: a.cache}
	if mayDefer {
		if p, ok := a.cache.get(tok, now); ok {
			return p, chk, nil
		}
	}
	p, err := a.db.Check(ctx, tok.tenant, chk)
	if err != nil {
		return nil, nil, postgres.Classify(err)
	}
	if p == nil {
		return nil, nil, apperr.ErrUnauthenticated
	}
	return p, nil, nil
}

// Settle implements rpc.Authenticator.
func (a *Authenticator) Settle(ctx context.Context, call *access.Call) error {
	chk, ok := call.Pending().(*sessionCheck)
	if !ok {
		return a.next.Settle(ctx, call)
	}
	return call.Settle(a.db.Check(access.WithoutCall(ctx), chk.tok.tenant, chk))
}

// Refused implements rpc.RefusalRecorder for the authenticators behind it
// (a recipient's refused call needs no record beyond the access log: its
// rights never change).
func (a *Authenticator) Refused(ctx context.Context, procedure string, rule access.Rule, p *access.Principal) {
	if r, ok := a.next.(rpc.RefusalRecorder); ok && p.Kind != access.KindHandoverRecipient {
		r.Refused(ctx, procedure, rule, p)
	}
}

// sessionCache remembers checked sessions for a minute (the check still
// runs on every call; memory only lets the access decision come first).
type sessionCache struct {
	mu      sync.Mutex
	entries map[uuid.UUID]cachedSession
}

type cachedSession struct {
	p    access.Principal
	hash []byte
	at   time.Time
}

const (
	sessionCacheTTL = time.Minute
	maxCached       = 20000
)

func (c *sessionCache) get(tok token, now time.Time) (*access.Principal, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[tok.session]
	if !ok || now.Sub(e.at) > sessionCacheTTL || subtle.ConstantTimeCompare(e.hash, tok.hash) != 1 {
		return nil, false
	}
	p := e.p
	return &p, true
}

func (c *sessionCache) put(tok token, p *access.Principal, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.entries) >= maxCached {
		clear(c.entries)
	}
	c.entries[tok.session] = cachedSession{p: *p, hash: tok.hash, at: now}
}

func (c *sessionCache) drop(session uuid.UUID) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.entries, session)
}
