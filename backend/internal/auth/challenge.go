package auth

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/zeugo/zeugo/backend/internal/apperr"
	"github.com/zeugo/zeugo/backend/internal/audit"
	"github.com/zeugo/zeugo/backend/internal/mfa"
	"github.com/zeugo/zeugo/backend/internal/postgres"
	"github.com/zeugo/zeugo/backend/internal/ratelimit"
	"github.com/zeugo/zeugo/backend/internal/requestinfo"
	"github.com/zeugo/zeugo/backend/internal/secretlink"
)

// A login is a small state machine (SPEC §3.1, issue 17):
//
//	password ──right── no factor, none required ──────────────→ session
//	    │                 has a factor ──→ challenge ──code──→ session
//	    │                 required, none ─→ challenge ──enroll + code──→ session
//	    └─wrong─→ Unauthenticated (counts towards the lock)
//
// A challenge is bound to that one login: its token names the tenant and a
// 256-bit secret (only the SHA-256 is stored), it lives ChallengeTTL (an
// enrollment EnrollmentChallengeTTL), completes one session, and dies
// after MaxChallengeFailures wrong codes. Each wrong code also counts like
// a wrong password towards the account's lock, so knowing the password
// buys no more than MaxFailedLogins guesses at the code. Access tokens are
// issued only after the last step.

// Challenge lifetimes and limits.
const (
	ChallengeTTL           = 5 * time.Minute
	EnrollmentChallengeTTL = 15 * time.Minute
	MaxChallengeFailures   = 5
)

// Audit actions of the second step.
const (
	ActionLoginChallenged = "auth.login.second_factor_required"
)

// Login methods of sessions completed with a second factor.
const (
	MethodPasswordTOTP     = "password_totp"
	MethodPasswordRecovery = "password_recovery_code"
	MethodPasswordWebAuthn = "password_webauthn"
	MethodPasswordSMS      = "password_sms"
)

// Challenge is a login waiting for its second factor.
type Challenge struct {
	Token              string
	ExpiresAt          time.Time
	Methods            []mfa.Method
	EnrollmentRequired bool
	// EnrollmentMethods are the kinds the tenant lets users add.
	EnrollmentMethods []mfa.Method
	// WebAuthnOptions are the request options of a passkey check (users
	// with passkeys).
	WebAuthnOptions string
	// SMSHint is the mostly hidden number of the user's SMS factor.
	SMSHint string
}

// challengeRow is a challenge with the state of its user.
type challengeRow struct {
	ID              uuid.UUID
	UserID          uuid.UUID
	Enrollment      bool
	PendingFactorID *uuid.UUID
	ExpiresAt       time.Time
	Failures        int
	UsedAt          *time.Time
	UserStatus      string
	TenantStatus    string
}

func (c *challengeRow) alive(now time.Time) bool {
	return c.UsedAt == nil && c.Failures < MaxChallengeFailures && now.Before(c.ExpiresAt) &&
		c.UserStatus == "active" && (c.TenantStatus == "active" || c.TenantStatus == "terminated")
}

// challenge opens the second step of a login whose password was right.
func (a *Authenticator) challenge(ctx context.Context, tx pgx.Tx, tenantID, userID uuid.UUID, st mfa.State) (*Challenge, error) {
	now := a.now().UTC()
	enroll := st.Factors == 0
	ttl := ChallengeTTL
	if enroll {
		ttl = EnrollmentChallengeTTL
	}
	id, err := uuid.NewV7()
	if err != nil {
		return nil, err
	}
	token, hash := secretlink.New(tenantID)
	if _, err := tx.Exec(ctx, `INSERT INTO login_challenges (id, tenant_id, user_id, secret_hash, enrollment, created_at, expires_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, id, tenantID, userID, hash, enroll, now, now.Add(ttl)); err != nil {
		return nil, err
	}
	ch := &Challenge{Token: token, ExpiresAt: now.Add(ttl), Methods: st.Methods(), EnrollmentRequired: enroll}
	if enroll {
		// A login enrolls an app or a passkey; an SMS number is added in
		// Mein Konto afterwards (the tenant allows SMS only beside them).
		for _, m := range st.Allowed {
			if m != mfa.MethodSMS {
				ch.EnrollmentMethods = append(ch.EnrollmentMethods, m)
			}
		}
	}
	if st.SMS > 0 {
		if ch.SMSHint, err = a.factors.SMSHint(ctx, tx, tenantID, userID); err != nil {
			return nil, err
		}
	}
	if st.Passkeys > 0 {
		if _, ch.WebAuthnOptions, err = a.factors.BeginAssertion(ctx, tx, a.rp.For(""), tenantID, userID, mfa.PurposeLogin,
			uuid.Nil, id, now); err != nil {
			return nil, err
		}
	}
	return ch, nil
}

// lockChallenge loads a challenge by its token's hash and locks it.
func lockChallenge(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID, hash []byte) (*challengeRow, error) {
	var c challengeRow
	err := tx.QueryRow(ctx, `SELECT c.id, c.user_id, c.enrollment, c.pending_factor_id, c.expires_at, c.failures, c.used_at,
			u.status, t.status
		FROM login_challenges c
		JOIN users u ON u.tenant_id = c.tenant_id AND u.id = c.user_id
		JOIN tenants t ON t.id = c.tenant_id
		WHERE c.tenant_id = $1 AND c.secret_hash = $2
		FOR UPDATE OF c`, tenantID, hash).Scan(&c.ID, &c.UserID, &c.Enrollment, &c.PendingFactorID, &c.ExpiresAt,
		&c.Failures, &c.UsedAt, &c.UserStatus, &c.TenantStatus)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	return &c, err
}

// SecondStep is the outcome of a completed second step.
type SecondStep struct {
	Session *Session
	// RecoveryLeft counts the user's unused recovery codes afterwards.
	RecoveryLeft int
	// RecoveryCodes are the new codes of a login-time enrollment.
	RecoveryCodes []string
}

// challengeStep runs one step on a live challenge in the challenge's tenant
// transaction. step returns the session's method when the login is
// complete; a wrong proof (apperr InvalidArgument) is counted against the
// challenge — and, when countsToLock, against the account — and committed
// before the caller gets it. A dead, used, expired or unknown challenge is
// ErrUnauthenticated, alike.
func (a *Authenticator) challengeStep(ctx context.Context, token string, countsToLock bool,
	step func(tx pgx.Tx, tenantID uuid.UUID, c *challengeRow) (method string, err error)) (*Session, error) {
	info := requestinfo.From(ctx)
	if err := a.limiter.Allow(ctx, a.policy.SecondFactorPerIP, ratelimit.ClientKey(info.IP)); err != nil {
		return nil, err
	}
	tenantID, hash, ok := secretlink.Parse(token)
	if !ok {
		return nil, apperr.ErrUnauthenticated
	}
	var sess *Session
	var wrong error
	err := a.db.TenantTx(ctx, tenantID, func(tx pgx.Tx) error {
		c, err := lockChallenge(ctx, tx, tenantID, hash)
		if err != nil {
			return err
		}
		now := a.now()
		if c == nil || !c.alive(now) {
			return apperr.ErrUnauthenticated
		}
		method, err := step(tx, tenantID, c)
		if apperr.Is(err, apperr.InvalidArgument) {
			wrong = err
			return a.countWrongCode(ctx, tx, tenantID, c, countsToLock)
		}
		if err != nil || method == "" {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE login_challenges SET used_at = $3 WHERE tenant_id = $1 AND id = $2`,
			tenantID, c.ID, now); err != nil {
			return err
		}
		ok, err := markLoginSuccess(ctx, tx, tenantID, c.UserID, now, "")
		if err != nil || !ok {
			return errors.Join(err, apperr.ErrUnauthenticated) // locked in the meantime
		}
		if sess, err = a.startSession(ctx, tx, tenantID, c.UserID, method, true); err != nil {
			return err
		}
		return a.audit.Write(ctx, tx, tenantID, audit.Event{
			Action: audit.ActionLoginSucceeded, Outcome: audit.OutcomeSuccess,
			ActorType: audit.ActorUser, ActorID: c.UserID.String(),
			TargetType: "session", TargetID: sess.Principal.SessionID.String(),
			Details: map[string]string{"method": method},
		})
	})
	if err != nil {
		return nil, postgres.Classify(err)
	}
	if wrong != nil {
		return nil, wrong
	}
	return sess, nil
}

// countWrongCode records a wrong code: against the challenge (the fifth
// kills it; the caller then gets Unauthenticated like for a dead one),
// against the account's lock when countsToLock, and in the audit log.
func (a *Authenticator) countWrongCode(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID, c *challengeRow, countsToLock bool) error {
	if _, err := tx.Exec(ctx, `UPDATE login_challenges SET failures = failures + 1 WHERE tenant_id = $1 AND id = $2`,
		tenantID, c.ID); err != nil {
		return err
	}
	if err := a.audit.Write(ctx, tx, tenantID, audit.Event{Action: mfa.ActionSecondFactorFailed, Outcome: audit.OutcomeFailure,
		ActorType: audit.ActorAnonymous, TargetType: "user", TargetID: c.UserID.String(),
		Details: map[string]string{"challenge_failures": itoa(c.Failures + 1)}}); err != nil {
		return err
	}
	if countsToLock {
		failures, lockedNow, err := countFailure(ctx, tx, tenantID, c.UserID, a.policy.MaxFailedLogins, a.now(), true)
		if err != nil {
			return err
		}
		if lockedNow {
			if err := a.locked(ctx, tx, tenantID, c.UserID, failures); err != nil {
				return err
			}
		}
	}
	a.log.Info().Str("event", "second_factor_failed").Str("tenant_id", tenantID.String()).Str("user_id", c.UserID.String()).
		Int("challenge_failures", c.Failures+1).Str("request_id", requestinfo.From(ctx).RequestID).Msg("wrong second-factor code")
	return nil
}

// VerifySecondFactor completes a challenged login with a code of the
// user's app or a recovery code. A wrong code is mfa.WrongCode on its field
// while the challenge lives; the fifth wrong code ends it
// (ErrUnauthenticated from then on).
func (a *Authenticator) VerifySecondFactor(ctx context.Context, token string, p mfa.Proof, origin string) (*SecondStep, error) {
	var out SecondStep
	var dead bool
	sess, err := a.challengeStep(ctx, token, true, func(tx pgx.Tx, tenantID uuid.UUID, c *challengeRow) (string, error) {
		if c.Enrollment {
			return "", apperr.ErrUnauthenticated // enrolls first (StartLoginEnrollment)
		}
		if p.WebAuthn != "" {
			var err error
			if p.Ceremony, err = a.factors.LoginCeremony(ctx, tx, tenantID, c.ID, mfa.PurposeLogin); err != nil {
				return "", err
			}
			if p.Ceremony == uuid.Nil {
				// An earlier answer used the ceremony up: the login starts
				// over, and this is not counted as a wrong code.
				return "", apperr.ErrUnauthenticated
			}
			p.RP = a.rp.For(origin)
		}
		p.Bind, p.Purpose = c.ID, mfa.PurposeLogin
		v, err := a.factors.Verify(ctx, tx, tenantID, c.UserID, p, a.now())
		if err != nil {
			dead = c.Failures+1 >= MaxChallengeFailures
			return "", err
		}
		out.RecoveryLeft = v.RecoveryLeft
		if v.Method == mfa.MethodRecovery {
			if err := a.audit.Write(ctx, tx, tenantID, audit.Event{Action: mfa.ActionRecoveryCodeUsed, Outcome: audit.OutcomeSuccess,
				ActorType: audit.ActorUser, ActorID: c.UserID.String(), TargetType: "user", TargetID: c.UserID.String(),
				Details: map[string]string{"left": itoa(v.RecoveryLeft)}}); err != nil {
				return "", err
			}
			return MethodPasswordRecovery, nil
		}
		switch v.Method {
		case mfa.MethodWebAuthn:
			return MethodPasswordWebAuthn, nil
		case mfa.MethodSMS:
			return MethodPasswordSMS, nil
		}
		return MethodPasswordTOTP, nil
	})
	return finished(&out, sess, err, dead)
}

// MaxLoginSMS bounds the SMS codes one login can send.
const MaxLoginSMS = 3

// SendLoginSMS sends a code to the SMS factor of a challenged login (at
// most MaxLoginSMS per login; SMSPerUser per user) and returns its expiry.
func (a *Authenticator) SendLoginSMS(ctx context.Context, token string) (time.Time, error) {
	var expires time.Time
	_, err := a.challengeStep(ctx, token, false, func(tx pgx.Tx, tenantID uuid.UUID, c *challengeRow) (string, error) {
		if c.Enrollment {
			return "", apperr.ErrUnauthenticated
		}
		tag, err := tx.Exec(ctx, `UPDATE login_challenges SET sms_sent = sms_sent + 1
			WHERE tenant_id = $1 AND id = $2 AND sms_sent < $3`, tenantID, c.ID, MaxLoginSMS)
		if err != nil {
			return "", err
		}
		if tag.RowsAffected() == 0 {
			return "", apperr.New(apperr.ResourceExhausted, "no more codes for this sign-in; sign in again")
		}
		expires, _, err = a.factors.SendSMSCode(ctx, tx, tenantID, c.UserID, c.ID, a.now())
		return "", err
	})
	return expires, err
}

// LoginEnrollment is the start of a login-time enrollment: an app's
// secret, or a passkey's creation options.
type LoginEnrollment struct {
	TOTP            *mfa.Enrollment
	WebAuthnOptions string
}

// StartLoginEnrollment starts, in a challenged login that must enroll, an
// authenticator app (a new secret, replacing one started before) or a
// passkey (creation options), as the tenant allows.
func (a *Authenticator) StartLoginEnrollment(ctx context.Context, token string, method mfa.Method) (*LoginEnrollment, error) {
	var out LoginEnrollment
	_, err := a.challengeStep(ctx, token, false, func(tx pgx.Tx, tenantID uuid.UUID, c *challengeRow) (string, error) {
		if err := a.stillEnrolling(ctx, tx, tenantID, c); err != nil {
			return "", err
		}
		rcpt, err := a.loadRecipient(ctx, tx, tenantID, c.UserID)
		if err != nil {
			return "", err
		}
		if rcpt == nil {
			return "", apperr.ErrUnauthenticated
		}
		if method == mfa.MethodWebAuthn {
			_, out.WebAuthnOptions, err = a.factors.BeginRegistration(ctx, tx, a.rp.For(""), tenantID, c.UserID, uuid.Nil, c.ID,
				rcpt.Email, a.now())
			return "", err
		}
		if out.TOTP, err = a.factors.StartTOTP(ctx, tx, tenantID, c.UserID, rcpt.Email, a.now()); err != nil {
			return "", err
		}
		_, err = tx.Exec(ctx, `UPDATE login_challenges SET pending_factor_id = $3 WHERE tenant_id = $1 AND id = $2`,
			tenantID, c.ID, out.TOTP.ID)
		return "", err
	})
	return &out, err
}

// ConfirmLoginEnrollment stores the login's new app once its code is
// right, creates the recovery codes and completes the login.
func (a *Authenticator) ConfirmLoginEnrollment(ctx context.Context, token, code, credential, name, origin string) (*SecondStep, error) {
	if code == "" && credential == "" {
		return nil, apperr.Field(apperr.InvalidArgument, "totp_code", "required", "the code is required")
	}
	var out SecondStep
	var dead bool
	sess, err := a.challengeStep(ctx, token, false, func(tx pgx.Tx, tenantID uuid.UUID, c *challengeRow) (string, error) {
		if err := a.stillEnrolling(ctx, tx, tenantID, c); err != nil {
			return "", err
		}
		var f *mfa.Factor
		var codes []string
		var err error
		if credential != "" {
			ceremony, cerr := a.factors.LoginCeremony(ctx, tx, tenantID, c.ID, mfa.PurposeRegister)
			if cerr != nil {
				return "", cerr
			}
			if ceremony == uuid.Nil {
				return "", apperr.ErrUnauthenticated
			}
			f, codes, err = a.factors.FinishRegistration(ctx, tx, a.rp.For(origin), tenantID, c.UserID, ceremony, uuid.Nil, c.ID,
				credential, name, "webauthn_credential", a.now())
		} else {
			if c.PendingFactorID == nil {
				return "", apperr.ErrUnauthenticated
			}
			f, codes, err = a.factors.ConfirmTOTP(ctx, tx, tenantID, c.UserID, *c.PendingFactorID, code, name, a.now())
		}
		if err != nil {
			dead = c.Failures+1 >= MaxChallengeFailures
			return "", err
		}
		out.RecoveryCodes, out.RecoveryLeft = codes, len(codes)
		if err := a.audit.Write(ctx, tx, tenantID, audit.Event{Action: mfa.ActionFactorAdded, Outcome: audit.OutcomeSuccess,
			ActorType: audit.ActorUser, ActorID: c.UserID.String(), TargetType: "user_factor", TargetID: f.ID.String(),
			Details: map[string]string{"method": string(f.Method), "at_login": "true",
				"recovery_codes_created": itoa(len(codes))}}); err != nil {
			return "", err
		}
		if f.Method == mfa.MethodWebAuthn {
			return MethodPasswordWebAuthn, nil
		}
		return MethodPasswordTOTP, nil
	})
	return finished(&out, sess, err, dead)
}

// stillEnrolling admits an enrollment step only while the login is one
// that must enroll and the user still has no factor: once the user has
// enrolled one elsewhere (another browser, Mein Konto), a login begun
// before that cannot add a factor of its own and pass by the user's.
func (a *Authenticator) stillEnrolling(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID, c *challengeRow) error {
	if !c.Enrollment {
		return apperr.ErrUnauthenticated
	}
	st, err := a.factors.State(ctx, tx, tenantID, c.UserID, true)
	if err != nil {
		return err
	}
	if st.Factors > 0 {
		return apperr.ErrUnauthenticated
	}
	return nil
}

// finished is a second step's answer: its session, or its error — the
// wrong code that ended the challenge answered like a dead challenge.
func finished(out *SecondStep, sess *Session, err error, dead bool) (*SecondStep, error) {
	if err != nil {
		if dead && apperr.Is(err, apperr.InvalidArgument) {
			return nil, apperr.ErrUnauthenticated
		}
		return nil, err
	}
	out.Session = sess
	return out, nil
}

// sweepChallenges removes challenges a day after they lapsed.
func sweepChallenges(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID, now time.Time, batch int) (int64, error) {
	tag, err := tx.Exec(ctx, `DELETE FROM login_challenges WHERE tenant_id = $1 AND id IN (
			SELECT id FROM login_challenges WHERE tenant_id = $1 AND expires_at < $2 LIMIT $3)`,
		tenantID, now.Add(-24*time.Hour), batch)
	return tag.RowsAffected(), err
}

// ExternalLogin completes the first step of a login whose identity another
// party proved (single sign-on, package sso): the user of tenantID is
// known, active and matched by the caller. From here it runs like a right
// password: a session when no second factor is needed, else a challenge.
// factorProven says the identity provider itself proved a second factor
// (its "amr" claim), which then counts as Zeugo's second step. method is
// the session's login method ("sso").
func (a *Authenticator) ExternalLogin(ctx context.Context, tenantID, userID uuid.UUID, method string, factorProven bool) (*Session, error) {
	var sess *Session
	err := a.db.TenantTx(ctx, tenantID, func(tx pgx.Tx) error {
		st, err := a.factors.State(ctx, tx, tenantID, userID, false)
		if err != nil {
			return err
		}
		if st.Needed() && !factorProven {
			ok, err := markPasswordRight(ctx, tx, tenantID, userID, "")
			if err != nil || !ok {
				return errors.Join(err, apperr.ErrUnauthenticated)
			}
			ch, err := a.challenge(ctx, tx, tenantID, userID, st)
			if err != nil {
				return err
			}
			sess = &Session{Challenge: ch}
			return a.audit.Write(ctx, tx, tenantID, audit.Event{
				Action: ActionLoginChallenged, Outcome: audit.OutcomeSuccess,
				ActorType: audit.ActorUser, ActorID: userID.String(), TargetType: "user", TargetID: userID.String(),
				Details: map[string]string{"method": method, "enrollment": boolString(ch.EnrollmentRequired)},
			})
		}
		ok, err := markLoginSuccess(ctx, tx, tenantID, userID, a.now(), "")
		if err != nil || !ok {
			return errors.Join(err, apperr.ErrUnauthenticated)
		}
		if sess, err = a.startSession(ctx, tx, tenantID, userID, method, factorProven); err != nil {
			return err
		}
		return a.audit.Write(ctx, tx, tenantID, audit.Event{
			Action: audit.ActionLoginSucceeded, Outcome: audit.OutcomeSuccess,
			ActorType: audit.ActorUser, ActorID: userID.String(),
			TargetType: "session", TargetID: sess.Principal.SessionID.String(),
			Details: map[string]string{"method": method, "idp_factor": boolString(factorProven)},
		})
	})
	if err != nil {
		return nil, postgres.Classify(err)
	}
	return sess, nil
}
