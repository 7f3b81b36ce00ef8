package auth

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/rs/zerolog"

	"github.com/zeugo/zeugo/backend/internal/access"
	"github.com/zeugo/zeugo/backend/internal/apperr"
	"github.com/zeugo/zeugo/backend/internal/audit"
	"github.com/zeugo/zeugo/backend/internal/keyring"
	"github.com/zeugo/zeugo/backend/internal/mfa"
	"github.com/zeugo/zeugo/backend/internal/outbox"
	"github.com/zeugo/zeugo/backend/internal/password"
	"github.com/zeugo/zeugo/backend/internal/postgres"
	"github.com/zeugo/zeugo/backend/internal/ratelimit"
	"github.com/zeugo/zeugo/backend/internal/requestinfo"
	"github.com/zeugo/zeugo/backend/internal/uow"
)

// Policy holds the tunable numbers of sign-in.
type Policy struct {
	// MaxFailedLogins consecutive failures lock the account (SPEC: 5).
	MaxFailedLogins int
	// AccessTokenTTL is the lifetime of an access token (~10 min).
	AccessTokenTTL time.Duration
	// IdleTimeout ends a session without activity.
	IdleTimeout time.Duration
	// AbsoluteTimeout ends every session eventually.
	AbsoluteTimeout time.Duration
	// LoginPerIP bounds login attempts per client address.
	LoginPerIP ratelimit.Rule
	// LoginFailuresPerIP bounds failed logins per client address over a
	// longer window (sliding), so that one address cannot lock account
	// after account: each lock costs MaxFailedLogins of them.
	LoginFailuresPerIP ratelimit.Rule
	// LoginBackoff is the per-account throttle before the lock: after
	// LoginBackoff.Free attempts on one email, the next is heard only after a
	// delay that doubles with each attempt. Attempts during the delay get the
	// usual Unauthenticated without any password check and without counting
	// towards the lock. Keyed by the email, not the account, so unknown
	// emails are throttled (and answered) exactly alike.
	LoginBackoff ratelimit.Backoff
	// RefreshPerIP bounds refresh attempts per client address.
	RefreshPerIP ratelimit.Rule
	// SecondFactorPerIP bounds the second-step calls (codes, enrollment,
	// step-up) per client address.
	SecondFactorPerIP ratelimit.Rule
}

// DefaultPolicy is the policy of SPEC §3.1.
var DefaultPolicy = Policy{
	MaxFailedLogins: 5,
	AccessTokenTTL:  10 * time.Minute,
	IdleTimeout:     30 * time.Minute,
	AbsoluteTimeout: 12 * time.Hour,
	LoginPerIP:      ratelimit.Rule{Name: "login-ip", Limit: 30, Window: time.Minute},
	// 20 failures in any hour (sliding by the minute): each lock costs 5, so
	// one address locks at most 4 accounts an hour (docs/security.md §2.3).
	LoginFailuresPerIP: ratelimit.Rule{Name: "login-fail-ip", Limit: 20, Window: time.Hour},
	// 2 attempts at once, then waits of 4, 8, 16 s before the 3rd, 4th and
	// 5th (the locking) wrong password: at least 28 s to lock an account.
	// Capped at 64 s, so an account unlocked after a burst is usable again
	// within a minute.
	LoginBackoff: ratelimit.Backoff{Name: "login-account", Free: 2, Unit: time.Second, Max: 64 * time.Second},
	RefreshPerIP: ratelimit.Rule{Name: "refresh-ip", Limit: 120, Window: time.Minute},
	// Codes are also limited per challenge (5) and per account (the lock):
	// this bounds one address across many of them.
	SecondFactorPerIP: ratelimit.Rule{Name: "second-factor-ip", Limit: 30, Window: time.Minute},
}

// Authenticator implements sign-in, sessions and per-call authentication.
type Authenticator struct {
	db      *postgres.DB
	keys    *keyring.Keyring
	index   *keyring.IndexKey
	hasher  *password.Hasher
	signer  *Signer
	audit   *audit.Writer
	limiter *ratelimit.Limiter
	policy  Policy
	now     func() time.Time
	log     zerolog.Logger
	// factors are the users' second factors (package mfa), rp checks
	// passkeys.
	factors *mfa.Factors
	rp      *mfa.RelyingParty
	// principals remembers recently checked sessions (see Authenticate).
	principals *principalCache
	work       *uow.Runner
	// outbox, publicURL and links serve registration, reset and the lock
	// notice (links.go).
	outbox    *outbox.Outbox
	publicURL string
	links     LinkRules
}

// Deps are the collaborators of an Authenticator.
type Deps struct {
	DB      *postgres.DB
	Keys    *keyring.Keyring
	Index   *keyring.IndexKey
	Hasher  *password.Hasher
	Signer  *Signer
	Audit   *audit.Writer
	Limiter *ratelimit.Limiter
	Policy  Policy
	Now     func() time.Time
	Log     zerolog.Logger
	// Work runs the signed-in calls (Logout, Me) as units of work.
	Work *uow.Runner
	// Outbox sends the reset links and lock notices.
	Outbox *outbox.Outbox
	// PublicURL is the origin of the links in mails.
	PublicURL string
	// Links are the limits of the link endpoints; DefaultLinkRules when zero.
	Links LinkRules
	// Factors are the users' second factors.
	Factors *mfa.Factors
	// RelyingParty checks passkeys and security keys.
	RelyingParty *mfa.RelyingParty
}

// NewAuthenticator wires an Authenticator.
func NewAuthenticator(d Deps) *Authenticator {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Links == (LinkRules{}) {
		d.Links = DefaultLinkRules
	}
	return &Authenticator{db: d.DB, keys: d.Keys, index: d.Index, hasher: d.Hasher, signer: d.Signer,
		audit: d.Audit, limiter: d.Limiter, policy: d.Policy, now: d.Now, log: d.Log,
		principals: newPrincipalCache(time.Minute), work: d.Work,
		outbox: d.Outbox, publicURL: d.PublicURL, links: d.Links, factors: d.Factors, rp: d.RelyingParty}
}

// Session is what a successful login or refresh hands out.
type Session struct {
	AccessToken      string
	AccessExpiresAt  time.Time
	RefreshToken     string
	RefreshExpiresAt time.Time
	Principal        *access.Principal
	// Profile describes the principal for the client (loaded in the same
	// transaction).
	Profile *Profile
	// Challenge, when set, is a login that needs its second step; the
	// session's other fields are then empty.
	Challenge *Challenge
}

// Login checks credentials. Every failure — unknown email, wrong password,
// locked or deactivated account, terminated tenant — is the same
// apperr.ErrUnauthenticated after the same argon2id work; an attempt the
// per-email throttle (Policy.LoginBackoff) does not hear gets that answer
// too, without any work, whether the email exists or not.
func (a *Authenticator) Login(ctx context.Context, email, pw string) (*Session, error) {
	info := requestinfo.From(ctx)
	ip := ratelimit.ClientKey(info.IP)
	if err := a.limiter.Allow(ctx, a.policy.LoginPerIP, ip); err != nil {
		return nil, err
	}
	if err := a.limiter.Check(ctx, a.policy.LoginFailuresPerIP, ip); err != nil {
		return nil, err
	}
	// The throttle comes before the account is looked up: an unknown email
	// is throttled, and answered, exactly like an account.
	subject := keyring.NormalizeEmail(email)
	heard, err := a.claim(ctx, subject)
	if err != nil {
		return nil, err
	}
	if !heard {
		a.log.Info().Str("event", "login_failed").Str("reason", "throttled").
			Str("request_id", info.RequestID).Str("client_net", info.ClientNetwork()).Msg("login failed")
		return nil, apperr.ErrUnauthenticated
	}
	// The heard attempt is resolved as a failure (it then counts towards
	// the wait) or a success (which resets the throttle); if neither
	// happens — the database or the hasher failed — it is taken back.
	resolved := false
	defer func() {
		if !resolved {
			_ = a.limiter.Release(context.WithoutCancel(ctx), a.policy.LoginBackoff, subject)
		}
	}()
	accts, err := findLogins(ctx, a.db, a.index.Email(email))
	if err != nil {
		return nil, postgres.Classify(err)
	}
	if len(accts) == 0 {
		_ = a.hasher.Verify(ctx, "", pw) // same work as for a real account
		err := a.db.Tx(ctx, func(tx pgx.Tx) error {
			return errors.Join(a.limiter.Hit(ctx, tx, a.policy.LoginFailuresPerIP, ip),
				a.limiter.Failed(ctx, tx, a.policy.LoginBackoff, subject))
		})
		if err != nil {
			return nil, postgres.Classify(err)
		}
		resolved = true
		a.log.Info().Str("event", "login_failed").Str("reason", "unknown_account").
			Str("request_id", info.RequestID).Str("client_net", info.ClientNetwork()).Msg("login failed")
		return nil, apperr.ErrUnauthenticated
	}
	// One address may have an account in several tenants; the password
	// decides which signs in (the first, by tenant id, whose password
	// matches and that may sign in). Each is checked, so the work does not
	// tell which one matched.
	var acct *loginAccount
	var u loginUser
	reasons := make([]string, len(accts))
	for i := range accts {
		cand, err := loadLoginUser(ctx, a.db, accts[i].TenantID, accts[i].UserID)
		if errors.Is(err, pgx.ErrNoRows) { // deleted in the meantime
			reasons[i] = "gone"
			continue
		}
		if err != nil {
			return nil, postgres.Classify(err)
		}
		verr := a.hasher.Verify(ctx, cand.PasswordHash, pw)
		if verr != nil && !errors.Is(verr, password.ErrMismatch) && !errors.Is(verr, password.ErrMalformed) {
			return nil, apperr.Wrap(apperr.Unavailable, "sign-in is busy; try again", verr)
		}
		switch {
		case cand.TenantStatus != "active" && cand.TenantStatus != "terminated":
			reasons[i] = "tenant_" + cand.TenantStatus
		case cand.Status == "locked":
			reasons[i] = "locked"
		case cand.Status != "active":
			reasons[i] = "inactive"
		case verr != nil:
			reasons[i] = "bad_password"
		}
		if reasons[i] == "" && acct == nil {
			acct, u = &accts[i], cand
		}
	}
	if acct == nil {
		for i, reason := range reasons {
			if reason == "gone" {
				continue
			}
			if err := a.recordFailure(ctx, accts[i].TenantID, accts[i].UserID, ip, subject, reason, i == 0); err != nil {
				return nil, err
			}
		}
		resolved = true
		return nil, apperr.ErrUnauthenticated
	}
	var rehash string
	if a.hasher.NeedsRehash(u.PasswordHash) {
		if rehash, err = a.hasher.Hash(ctx, pw); err != nil {
			return nil, apperr.Wrap(apperr.Unavailable, "sign-in is busy; try again", err)
		}
	}
	var sess *Session
	err = a.db.TenantTx(ctx, acct.TenantID, func(tx pgx.Tx) error {
		st, err := a.factors.State(ctx, tx, acct.TenantID, acct.UserID, false)
		if err != nil {
			return err
		}
		if st.Needed() {
			// The password was right, the login is not complete: the
			// failure count stays (wrong codes add to it), the throttle
			// of the email starts over.
			ok, err := markPasswordRight(ctx, tx, acct.TenantID, acct.UserID, rehash)
			if err != nil || !ok {
				return errors.Join(err, apperr.ErrUnauthenticated)
			}
			ch, err := a.challenge(ctx, tx, acct.TenantID, acct.UserID, st)
			if err != nil {
				return err
			}
			sess = &Session{Challenge: ch}
			if err := a.limiter.Reset(ctx, tx, a.policy.LoginBackoff, subject); err != nil {
				return err
			}
			return a.audit.Write(ctx, tx, acct.TenantID, audit.Event{
				Action: ActionLoginChallenged, Outcome: audit.OutcomeSuccess,
				ActorType: audit.ActorUser, ActorID: acct.UserID.String(), TargetType: "user", TargetID: acct.UserID.String(),
				Details: map[string]string{"method": "password", "enrollment": boolString(ch.EnrollmentRequired)},
			})
		}
		ok, err := markLoginSuccess(ctx, tx, acct.TenantID, acct.UserID, a.now(), rehash)
		if err != nil || !ok {
			return errors.Join(err, apperr.ErrUnauthenticated) // locked in the meantime
		}
		if sess, err = a.startSession(ctx, tx, acct.TenantID, acct.UserID, MethodPassword, false); err != nil {
			return err
		}
		if err := a.limiter.Reset(ctx, tx, a.policy.LoginBackoff, subject); err != nil {
			return err
		}
		return a.audit.Write(ctx, tx, acct.TenantID, audit.Event{
			Action: audit.ActionLoginSucceeded, Outcome: audit.OutcomeSuccess,
			ActorType: audit.ActorUser, ActorID: acct.UserID.String(),
			TargetType: "session", TargetID: sess.Principal.SessionID.String(),
			Details: map[string]string{"method": "password"},
		})
	})
	if err != nil {
		return nil, postgres.Classify(err)
	}
	resolved = true
	return sess, nil
}

// claim asks the throttle to hear a login attempt on subject. An attempt
// refused only while other attempts on the same email are still being
// checked waits for them (at most about 1.3 s): if one succeeds the
// throttle starts over, so a few concurrent logins of one account (two
// tabs, a script) are not refused, while concurrent wrong passwords still
// get only the free attempts heard.
func (a *Authenticator) claim(ctx context.Context, subject string) (bool, error) {
	wait := 10 * time.Millisecond
	for {
		heard, pending, err := a.limiter.Claim(ctx, a.policy.LoginBackoff, subject)
		if err != nil || heard || !pending || wait > 640*time.Millisecond {
			return heard, err
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return false, nil
		case <-t.C:
		}
		wait *= 2
	}
}

// recordFailure counts a failed login, against the account (wrong passwords
// only), the client address and the email's throttle, and audits it — in
// one transaction.
//
// With several accounts behind one email, the address and the email's
// throttle count the attempt once (first), every account its own failure.
func (a *Authenticator) recordFailure(ctx context.Context, tenantID, userID uuid.UUID, ip, subject, reason string, first bool) error {
	err := a.db.TenantTx(ctx, tenantID, func(tx pgx.Tx) error {
		if first {
			if err := a.limiter.Hit(ctx, tx, a.policy.LoginFailuresPerIP, ip); err != nil {
				return err
			}
			if err := a.limiter.Failed(ctx, tx, a.policy.LoginBackoff, subject); err != nil {
				return err
			}
		}
		failures, lockedNow, err := countFailure(ctx, tx, tenantID, userID, a.policy.MaxFailedLogins, a.now(), reason == "bad_password")
		if err != nil {
			return err
		}
		ev := audit.Event{Action: audit.ActionLoginFailed, Outcome: audit.OutcomeFailure,
			ActorType: audit.ActorAnonymous, TargetType: "user", TargetID: userID.String(),
			Details: map[string]string{"reason": reason}}
		if err := a.audit.Write(ctx, tx, tenantID, ev); err != nil {
			return err
		}
		if lockedNow {
			return a.locked(ctx, tx, tenantID, userID, failures)
		}
		return nil
	})
	if err != nil {
		return postgres.Classify(err)
	}
	info := requestinfo.From(ctx)
	a.log.Info().Str("event", "login_failed").Str("reason", reason).Str("tenant_id", tenantID.String()).
		Str("user_id", userID.String()).Str("request_id", info.RequestID).Str("client_net", info.ClientNetwork()).
		Msg("login failed")
	return nil
}

func (a *Authenticator) startSession(ctx context.Context, tx pgx.Tx, tenantID, userID uuid.UUID, method string, stepUp bool) (*Session, error) {
	now := a.now().UTC()
	sid, err := uuid.NewV7()
	if err != nil {
		return nil, err
	}
	absolute, err := a.openSession(ctx, tx, tenantID, userID, sid, now, method, stepUp)
	if err != nil {
		return nil, err
	}
	return a.issue(ctx, tx, tenantID, userID, sid, absolute)
}

// issue creates a new refresh token for the session and signs an access token.
func (a *Authenticator) issue(ctx context.Context, tx pgx.Tx, tenantID, userID, sid uuid.UUID, absolute time.Time) (*Session, error) {
	refresh, hash := newRefreshToken(tenantID)
	if err := insertRefreshToken(ctx, tx, tenantID, sid, hash, a.now()); err != nil {
		return nil, err
	}
	access, exp, err := a.signer.Issue(tenantID, userID, sid)
	if err != nil {
		return nil, err
	}
	p, err := loadPrincipal(ctx, tx, tenantID, userID)
	if err != nil {
		return nil, err
	}
	p.SessionID = sid
	prof, err := a.loadProfile(ctx, tx, p)
	if err != nil {
		return nil, err
	}
	return &Session{AccessToken: access, AccessExpiresAt: exp, RefreshToken: refresh, RefreshExpiresAt: absolute, Principal: p, Profile: prof}, nil
}

// Refresh rotates a refresh token. A token that was already used revokes its
// whole session (someone holds a stolen copy) and the revocation is
// committed before the caller gets Unauthenticated.
func (a *Authenticator) Refresh(ctx context.Context, token string) (*Session, error) {
	info := requestinfo.From(ctx)
	if err := a.limiter.Allow(ctx, a.policy.RefreshPerIP, ratelimit.ClientKey(info.IP)); err != nil {
		return nil, err
	}
	tenantID, hash, ok := parseRefreshToken(token)
	if !ok {
		return nil, apperr.ErrUnauthenticated
	}
	var sess *Session
	var reused bool
	err := a.db.TenantTx(ctx, tenantID, func(tx pgx.Tx) error {
		rt, err := lockRefreshToken(ctx, tx, tenantID, hash)
		if err != nil {
			return err
		}
		now := a.now()
		switch {
		case rt == nil:
			return apperr.ErrUnauthenticated
		case rt.UsedAt != nil:
			reused = true
			if err := revokeSession(ctx, tx, tenantID, rt.SessionID, "refresh_reuse", now); err != nil {
				return err
			}
			return a.audit.Write(ctx, tx, tenantID, audit.Event{Action: audit.ActionRefreshReuse, Outcome: audit.OutcomeFailure,
				ActorType: audit.ActorAnonymous, TargetType: "session", TargetID: rt.SessionID.String()})
		case !rt.alive(now):
			return apperr.ErrUnauthenticated
		}
		if err := markRefreshUsed(ctx, tx, hash, now); err != nil {
			return err
		}
		sess, err = a.issue(ctx, tx, tenantID, rt.UserID, rt.SessionID, rt.AbsoluteExpiresAt)
		return err
	})
	if err != nil {
		return nil, postgres.Classify(err)
	}
	if reused {
		a.log.Warn().Str("event", "refresh_reuse").Str("tenant_id", tenantID.String()).Msg("refresh token reused; session revoked")
		return nil, apperr.ErrUnauthenticated
	}
	return sess, nil
}

// ActionSessionReplaced is recorded when a login from a browser that still
// held a session ends that session.
const ActionSessionReplaced = "auth.session.replaced"

// EndReplaced revokes the session of the refresh token a browser still sent
// when it signed in again: a new login is a new session, and the old one
// does not live on beside it (ASVS V7.2.4). A token that is malformed,
// unknown, already dead or of the new session itself changes nothing.
func (a *Authenticator) EndReplaced(ctx context.Context, token string, by *Session) error {
	tenantID, hash, ok := parseRefreshToken(token)
	if !ok {
		return nil
	}
	err := a.db.TenantTx(ctx, tenantID, func(tx pgx.Tx) error {
		rt, err := lockRefreshToken(ctx, tx, tenantID, hash)
		if err != nil || rt == nil || rt.SessionID == by.Principal.SessionID || rt.RevokedAt != nil {
			return err
		}
		if err := revokeSession(ctx, tx, tenantID, rt.SessionID, "replaced_by_login", a.now()); err != nil {
			return err
		}
		return a.audit.Write(ctx, tx, tenantID, audit.Event{Action: ActionSessionReplaced, Outcome: audit.OutcomeSuccess,
			ActorType: audit.ActorSystem, TargetType: "session", TargetID: rt.SessionID.String(),
			Details: map[string]string{"reason": "new_login"}})
	})
	return postgres.Classify(err)
}

// Logout revokes the caller's session: one unit of work with its audit
// record.
func (a *Authenticator) Logout(ctx context.Context) error {
	return a.work.Write(ctx, func(tx *uow.Tx) error {
		if err := revokeSession(ctx, tx, tx.P.TenantID, tx.P.SessionID, "logout", a.now()); err != nil {
			return err
		}
		return tx.Record(audit.ActionLogout, uow.Target{Type: "session", ID: tx.P.SessionID}, nil)
	})
}

// Authenticate turns a bearer token into a Principal. The session row is
// checked on every call, so a revoked session, a deactivated or locked user
// or a purged tenant is refused at once rather than when the token expires.
// When mayDefer is true and the session was checked recently, the principal
// comes from memory and the check is returned instead of run: the call's
// first database round trip carries it (access.SessionCheck); otherwise the
// check runs here, in a round trip of its own.
func (a *Authenticator) Authenticate(ctx context.Context, bearer string, mayDefer bool) (*access.Principal, access.SessionCheck, error) {
	ids, err := a.signer.Verify(bearer)
	if err != nil {
		return nil, nil, apperr.ErrUnauthenticated
	}
	now := a.now()
	chk := &sessionCheck{ids: ids, now: now, cache: a.principals, touch: true}
	if mayDefer {
		if p, v, touch, ok := a.principals.get(ids, now); ok {
			chk.touch = touch
			chk.expect = &v
			return p, chk, nil
		}
	}
	p, err := checkSession(ctx, a.db, chk)
	if err != nil {
		return nil, nil, postgres.Classify(err)
	}
	if p == nil {
		return nil, nil, apperr.ErrUnauthenticated
	}
	return p, nil, nil
}

// Me describes the caller: one read (profile and its decryption), in the
// call's first round trip.
func (a *Authenticator) Me(ctx context.Context) (*Profile, error) {
	var prof *Profile
	err := a.work.Read(ctx, func(rd *uow.Reader) (err error) {
		prof, err = a.loadProfile(ctx, rd.DB, rd.P)
		return err
	})
	return prof, err
}

// Profile is the caller as the client may see it.
type Profile struct {
	Principal  *access.Principal
	TenantName string
	Email      string
	FirstName  string
	LastName   string
	RoleName   string
}

func (a *Authenticator) loadProfile(ctx context.Context, tx postgres.DBTX, p *access.Principal) (*Profile, error) {
	row, err := loadProfileRow(ctx, tx, p.TenantID, p.UserID)
	if err != nil {
		return nil, err
	}
	c, err := a.keys.Tenant(ctx, tx, p.TenantID)
	if err != nil {
		return nil, err
	}
	prof := &Profile{Principal: p, TenantName: row.TenantName, RoleName: row.RoleName}
	if prof.Email, err = c.OpenString(ctx, p.UserID, "users.email", row.EmailEnc); err != nil {
		return nil, err
	}
	if prof.FirstName, err = c.OpenString(ctx, p.UserID, "users.first_name", row.FirstNameEnc); err != nil {
		return nil, err
	}
	if prof.LastName, err = c.OpenString(ctx, p.UserID, "users.last_name", row.LastNameEnc); err != nil {
		return nil, err
	}
	return prof, nil
}
