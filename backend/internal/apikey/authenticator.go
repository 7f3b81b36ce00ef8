package apikey

import (
	"context"
	"crypto/subtle"
	"errors"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/rs/zerolog"

	"github.com/zeugo/zeugo/backend/internal/access"
	"github.com/zeugo/zeugo/backend/internal/apikey/dbsqlc"
	"github.com/zeugo/zeugo/backend/internal/apperr"
	"github.com/zeugo/zeugo/backend/internal/audit"
	"github.com/zeugo/zeugo/backend/internal/postgres"
	"github.com/zeugo/zeugo/backend/internal/ratelimit"
	"github.com/zeugo/zeugo/backend/internal/requestinfo"
	"github.com/zeugo/zeugo/backend/internal/rpc"
)

// Authenticator is the server's authenticator: bearer tokens that start
// with TokenPrefix are API keys, checked here; every other token goes to
// the session authenticator (package auth). Both answer alike — a principal
// and, from memory, the check the call still owes, which the call's first
// round trip carries — so a call by API key costs what a call by session
// costs, and the access interceptor stays the one place that decides.
type Authenticator struct {
	session rpc.Authenticator
	db      *postgres.DB
	audit   *audit.Writer
	now     func() time.Time
	log     zerolog.Logger
	q       *dbsqlc.Queries
	cache   *keyCache
	limiter *ratelimit.Limiter
	refusal ratelimit.Rule
}

// RefusalsPerIP bounds the refused API-key checks of one client address:
// a key that is not remembered costs a database round trip to check (and
// its refusal an audit write), so someone sending made-up or revoked keys
// is answered ResourceExhausted, without any check, once the address has
// had 30 refusals in ten minutes. A working key is checked against the
// database at most once a minute per process and never counts.
var RefusalsPerIP = ratelimit.Rule{Name: "apikey-refused-ip", Limit: 30, Window: 10 * time.Minute}

var (
	_ rpc.Authenticator   = (*Authenticator)(nil)
	_ rpc.RefusalRecorder = (*Authenticator)(nil)
)

// AuthDeps are the collaborators of an Authenticator.
type AuthDeps struct {
	// Session authenticates every bearer token that is not an API key.
	Session rpc.Authenticator
	DB      *postgres.DB
	Audit   *audit.Writer
	Now     func() time.Time
	Log     zerolog.Logger
	// Limiter counts refused checks per client address (RefusalsPerIP).
	Limiter *ratelimit.Limiter
}

// NewAuthenticator returns the composite authenticator.
func NewAuthenticator(d AuthDeps) *Authenticator {
	if d.Now == nil {
		d.Now = time.Now
	}
	return &Authenticator{session: d.Session, db: d.DB, audit: d.Audit, now: d.Now, log: d.Log, q: dbsqlc.New(),
		cache: newKeyCache(time.Minute), limiter: d.Limiter, refusal: RefusalsPerIP}
}

// Authenticate implements rpc.Authenticator. For an API key: the client
// address is held against the key's allow-list before anything else; a key
// checked within the last minute is answered from memory with its check
// returned for the call's first round trip (mayDefer); otherwise the check
// runs here, and once a minute per key the use is recorded (last_used_at
// and the "used" audit event). Every refusal is Unauthenticated, without
// detail, and audited in a transaction of its own.
func (a *Authenticator) Authenticate(ctx context.Context, bearer string, mayDefer bool) (*access.Principal, access.SessionCheck, error) {
	if !strings.HasPrefix(bearer, TokenPrefix) {
		return a.session.Authenticate(ctx, bearer, mayDefer)
	}
	tok, ok := parseToken(bearer)
	if !ok {
		return nil, nil, apperr.ErrUnauthenticated
	}
	now := a.now()
	ip := requestinfo.From(ctx).IP
	if e, ok := a.cache.get(tok, now); ok {
		if !admits(e.cidrs, ip) || e.expired(now) {
			return nil, nil, a.refuse(ctx, tok, now)
		}
		if mayDefer && now.Sub(e.touched) < touchEvery {
			p := e.principal()
			v := e.v
			return &p, &keyCheck{tok: tok, ip: ip, now: now, cache: a.cache, expect: &v}, nil
		}
	}
	if err := a.limiter.Check(ctx, a.refusal, ratelimit.ClientKey(ip)); err != nil {
		return nil, nil, err
	}
	chk := &keyCheck{tok: tok, ip: ip, now: now, cache: a.cache}
	p, err := a.check(ctx, chk)
	if err != nil {
		return nil, nil, postgres.Classify(err)
	}
	if p == nil {
		return nil, nil, a.refuse(ctx, tok, now)
	}
	if err := a.touch(ctx, tok, p, now); err != nil {
		return nil, nil, err
	}
	return p, nil, nil
}

// Settle implements rpc.Authenticator: it runs the check a call still owes
// in a round trip of its own.
func (a *Authenticator) Settle(ctx context.Context, call *access.Call) error {
	chk := call.Pending()
	if chk == nil {
		return call.Err()
	}
	kc, ok := chk.(*keyCheck)
	if !ok {
		return a.session.Settle(ctx, call)
	}
	return call.Settle(a.check(access.WithoutCall(ctx), kc))
}

// check runs chk in a round trip of its own: the principal, nil when the
// key was refused, or the database's error.
func (a *Authenticator) check(ctx context.Context, chk *keyCheck) (*access.Principal, error) {
	return a.db.Check(ctx, chk.tok.TenantID, chk)
}

// touch records the use of a key at most once a minute per key: this
// process asks only when it has not recorded one for a minute, and the
// conditional update lets only one process of many write the event.
func (a *Authenticator) touch(ctx context.Context, tok token, p *access.Principal, now time.Time) error {
	if !a.cache.touchDue(tok, now) {
		return nil
	}
	err := a.db.TenantTx(ctx, tok.TenantID, func(tx pgx.Tx) error {
		n, err := a.q.TouchAPIKey(ctx, tx, dbsqlc.TouchAPIKeyParams{Now: now, TenantID: tok.TenantID, ID: p.ActorID,
			Due: now.Add(-touchEvery)})
		if err != nil || n == 0 {
			return err
		}
		return a.audit.Write(ctx, tx, tok.TenantID, audit.Event{Action: ActionUsed, Outcome: audit.OutcomeSuccess,
			ActorType: string(access.KindAPIKey), ActorID: p.ActorID.String(),
			TargetType: targetAPIKey, TargetID: p.ActorID.String()})
	})
	if err != nil {
		return postgres.Classify(err)
	}
	a.cache.markTouched(tok, now)
	return nil
}

// refuse records why a key was refused — in a transaction of its own, so
// the record stays whatever the call does — and returns the one answer
// every refused key gets. A token that names no key of its tenant is only
// logged: there is no key to attribute it to.
func (a *Authenticator) refuse(ctx context.Context, tok token, now time.Time) error {
	info := requestinfo.From(ctx)
	reason := "unknown_key"
	keyID := ""
	err := a.db.TenantTx(ctx, tok.TenantID, func(tx pgx.Tx) error {
		if err := a.limiter.Hit(ctx, tx, a.refusal, ratelimit.ClientKey(info.IP)); err != nil {
			return err
		}
		r, err := a.q.DiagnoseAPIKey(ctx, tx, dbsqlc.DiagnoseAPIKeyParams{TenantID: tok.TenantID, Prefix: tok.Prefix})
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		keyID = r.ID.String()
		ev := audit.Event{Action: ActionRefused, Outcome: audit.OutcomeFailure,
			ActorType: string(access.KindAPIKey), ActorID: keyID, TargetType: targetAPIKey, TargetID: keyID}
		switch {
		case subtle.ConstantTimeCompare(r.SecretHash, tok.Hash) != 1:
			// Whoever sent it does not hold the key.
			reason, ev.ActorType, ev.ActorID = "bad_secret", audit.ActorAnonymous, ""
		case r.RevokedAt.Valid:
			reason = "revoked"
		case r.ExpiresAt.Valid && !now.Before(r.ExpiresAt.Time):
			reason = "expired"
		case !admits(r.AllowedCidrs, info.IP):
			reason = "outside_allow_list"
		case r.TenantStatus != "active" && r.TenantStatus != "terminated":
			reason = "tenant_" + r.TenantStatus
			return nil // a purged tenant keeps no log
		case r.UserStatus != "active":
			reason = "owner_" + r.UserStatus
		default:
			reason = "rights_changed" // changed and changed back meanwhile
		}
		ev.Details = map[string]string{"reason": reason}
		return a.audit.Write(ctx, tx, tok.TenantID, ev)
	})
	if err != nil {
		return postgres.Classify(err)
	}
	a.log.Info().Str("event", "api_key_refused").Str("reason", reason).Str("tenant_id", tok.TenantID.String()).
		Str("api_key_id", keyID).Str("request_id", info.RequestID).Str("client_net", info.ClientNetwork()).
		Msg("api key refused")
	return apperr.ErrUnauthenticated
}

// Refused implements rpc.RefusalRecorder: an API key that the access rule
// refused (the rpc admits no keys, the key lacks the scope, its user lacks
// the area, the tenant is read-only) is audited in a transaction of its
// own. Calls of other principals are not this package's business.
func (a *Authenticator) Refused(ctx context.Context, procedure string, rule access.Rule, p *access.Principal) {
	if p == nil || p.Kind != access.KindAPIKey {
		return
	}
	reason := rule.Refusal(p)
	if reason == "" {
		reason = "rule"
	}
	ctx = access.WithoutCall(ctx)
	err := a.db.TenantTx(ctx, p.TenantID, func(tx pgx.Tx) error {
		return a.audit.Write(ctx, tx, p.TenantID, audit.Event{Action: ActionRefused, Outcome: audit.OutcomeFailure,
			ActorType: string(access.KindAPIKey), ActorID: p.ActorID.String(), TargetType: targetAPIKey,
			TargetID: p.ActorID.String(), Details: map[string]string{"reason": reason, "procedure": procedure}})
	})
	if err != nil {
		a.log.Error().Err(err).Str("tenant_id", p.TenantID.String()).Str("api_key_id", p.ActorID.String()).
			Str("request_id", requestinfo.From(ctx).RequestID).Msg("audit of a refused api key call failed")
	}
}
