// Package mfa is a user's second factors (SPEC §3.1, issue 17):
// authenticator apps (TOTP, RFC 6238) and recovery codes, their enrollment
// and removal, the step-up that changes need, and the notices mailed about
// every change. Package auth asks it, inside its own transactions, whether
// a login needs a second factor and whether a code is right (Verify,
// State, StartTOTP, ConfirmTOTP); the signed-in use cases (Service) run as
// units of work.
package mfa

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"strconv"
	"time"

	"github.com/go-webauthn/webauthn/webauthn"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/zeugo/zeugo/backend/internal/apperr"
	"github.com/zeugo/zeugo/backend/internal/keyring"
	"github.com/zeugo/zeugo/backend/internal/mfa/dbsqlc"
	"github.com/zeugo/zeugo/backend/internal/outbox"
	"github.com/zeugo/zeugo/backend/internal/ratelimit"
)

// Durations of the lifecycle.
const (
	// EnrollmentTTL is how long a new secret waits for its first code.
	EnrollmentTTL = 10 * time.Minute
	// StepUpValidity is how long a step-up allows changes to factors.
	StepUpValidity = 5 * time.Minute
)

// Method is a kind of proof.
type Method string

// The methods.
const (
	MethodTOTP     Method = "totp"
	MethodRecovery Method = "recovery_code"
	MethodWebAuthn Method = "webauthn"
	MethodSMS      Method = "sms"
)

// DefaultFactorName names a factor the user did not name.
const DefaultFactorName = "Authenticator-App"

// Audit actions of this domain.
const (
	ActionFactorAdded        = "mfa.factor.added"
	ActionFactorRemoved      = "mfa.factor.removed"
	ActionEnrollmentStarted  = "mfa.enrollment.started"
	ActionRecoveryRenewed    = "mfa.recovery_codes.renewed"
	ActionRecoveryCodeUsed   = "mfa.recovery_code.used"
	ActionSecondFactorFailed = "mfa.code.failed"
	ActionStepUp             = "mfa.step_up"
	ActionStepUpFailed       = "mfa.step_up.failed"
)

// Errors with their rule ids (the SPA translates them).
var (
	// ErrStepUpRequired: a change to factors without a recent step-up.
	ErrStepUpRequired = apperr.Field(apperr.FailedPrecondition, "", "zeugo.mfa.step_up_required",
		"confirm with your second factor first")
	// ErrLastFactorRequired: removing the last factor while the tenant
	// requires one.
	ErrLastFactorRequired = apperr.Field(apperr.FailedPrecondition, "id", "zeugo.mfa.last_factor_required",
		"your organisation requires a second factor; add another one first")
	// ErrNoFactor: recovery codes for a user without a factor.
	ErrNoFactor = apperr.Field(apperr.FailedPrecondition, "", "zeugo.mfa.no_factor",
		"recovery codes need a second factor first")
	// ErrMethodNotAllowed: a kind of factor the tenant does not allow.
	ErrMethodNotAllowed = apperr.Field(apperr.FailedPrecondition, "", "zeugo.mfa.method_not_allowed",
		"your organisation does not allow this kind of second factor")
	// ErrEnrollmentGone: an enrollment that lapsed or is not the caller's.
	ErrEnrollmentGone = apperr.Field(apperr.NotFound, "enrollment_id", "zeugo.mfa.enrollment_gone",
		"the set-up has expired; start again")
)

// WrongCode is the answer to a code that is not right (or already used);
// field is the request field that carried it.
func WrongCode(field string) error {
	return apperr.Field(apperr.InvalidArgument, field, "zeugo.mfa.code_wrong", "the code is not right")
}

// Proof is what a user presents: a TOTP code, a recovery code, or a
// WebAuthn assertion (JSON) answering the ceremony Ceremony.
type Proof struct {
	TOTP     string
	Recovery string
	WebAuthn string
	Ceremony uuid.UUID
	// WebAuthnField is the request field of the assertion
	// ("webauthn_assertion" when empty).
	WebAuthnField string
	// RP checks the assertion (RelyingParty.For the request's origin).
	RP *webauthn.WebAuthn
	// SMS is a code sent by SMS for Bind.
	SMS string
	// Bind is what the proof answers: the login challenge's id (Purpose
	// PurposeLogin) or the session's (PurposeStepUp).
	Bind    uuid.UUID
	Purpose string
}

// Method is the proof's kind.
func (p Proof) Method() Method {
	switch {
	case p.Recovery != "":
		return MethodRecovery
	case p.WebAuthn != "":
		return MethodWebAuthn
	case p.SMS != "":
		return MethodSMS
	}
	return MethodTOTP
}

// Field is the request field of the proof.
func (p Proof) Field() string {
	switch {
	case p.Recovery != "":
		return "recovery_code"
	case p.WebAuthn != "":
		return cmp.Or(p.WebAuthnField, "webauthn_assertion")
	case p.SMS != "":
		return "sms_code"
	}
	return "totp_code"
}

// State is a user's second-factor situation.
type State struct {
	// Required: the tenant requires a second factor.
	Required bool
	// Factors counts the confirmed factors, Passkeys and SMS those of
	// them that are passkeys or security keys and SMS numbers.
	Factors, Passkeys, SMS int
	// RecoveryLeft counts the unused recovery codes.
	RecoveryLeft int
	// Allowed are the kinds the tenant lets users add.
	Allowed []Method
}

// Allows tells whether the tenant lets users add kind m.
func (s State) Allows(m Method) bool { return slices.Contains(s.Allowed, m) }

// Needed tells whether a login needs a second step.
func (s State) Needed() bool { return s.Required || s.Factors > 0 }

// Methods are the proofs the user can give.
func (s State) Methods() []Method {
	var out []Method
	if s.Factors > s.Passkeys+s.SMS {
		out = append(out, MethodTOTP)
	}
	if s.Passkeys > 0 {
		out = append(out, MethodWebAuthn)
	}
	if s.SMS > 0 {
		out = append(out, MethodSMS)
	}
	if s.RecoveryLeft > 0 {
		out = append(out, MethodRecovery)
	}
	return out
}

// Factors holds what the transaction-level operations need.
type Factors struct {
	keys    *keyring.Keyring
	index   *keyring.IndexKey
	outbox  *outbox.Outbox
	limiter *ratelimit.Limiter
	q       *dbsqlc.Queries
}

// NewFactors returns the operations.
func NewFactors(keys *keyring.Keyring, index *keyring.IndexKey, ob *outbox.Outbox, limiter *ratelimit.Limiter) *Factors {
	return &Factors{keys: keys, index: index, outbox: ob, limiter: limiter, q: dbsqlc.New()}
}

// State reads a user's situation; lock also locks the user's row, so that
// changes of one user's factors happen one at a time.
func (f *Factors) State(ctx context.Context, tx pgx.Tx, tenantID, userID uuid.UUID, lock bool) (State, error) {
	if lock {
		r, err := f.q.LockUserFactorState(ctx, tx, dbsqlc.LockUserFactorStateParams{TenantID: tenantID, UserID: userID})
		if err != nil {
			return State{}, err
		}
		return stateOf(dbsqlc.UserFactorStateRow(*r)), nil
	}
	r, err := f.q.UserFactorState(ctx, tx, dbsqlc.UserFactorStateParams{TenantID: tenantID, UserID: userID})
	if err != nil {
		return State{}, err
	}
	return stateOf(*r), nil
}

func stateOf(r dbsqlc.UserFactorStateRow) State {
	st := State{Required: r.RequireMfa, Factors: int(r.Factors), Passkeys: int(r.Passkeys), SMS: int(r.Sms),
		RecoveryLeft: int(r.RecoveryLeft)}
	for _, m := range r.MfaMethods {
		st.Allowed = append(st.Allowed, Method(m))
	}
	return st
}

// Verified is a proof that was right.
type Verified struct {
	Method Method
	// FactorID is the app whose code it was (TOTP only).
	FactorID uuid.UUID
	// RecoveryLeft counts the unused recovery codes afterwards.
	RecoveryLeft int
}

// Verify checks a proof of a user and, when it is right, uses it up: the
// app's step is stored (its code is refused from now on), the recovery
// code or SMS code is marked used (a recovery code's owner notified), the
// passkey's sign count stored. A wrong proof is WrongCode(p.Field()); it
// changes nothing but a passkey ceremony, which an answer uses up whether
// right or wrong.
func (f *Factors) Verify(ctx context.Context, tx pgx.Tx, tenantID, userID uuid.UUID, p Proof, now time.Time) (Verified, error) {
	if p.Recovery != "" {
		return f.useRecoveryCode(ctx, tx, tenantID, userID, p.Recovery, now)
	}
	if p.WebAuthn != "" {
		return f.verifyPasskey(ctx, tx, tenantID, userID, p, now)
	}
	if p.SMS != "" {
		return f.verifySMS(ctx, tx, tenantID, userID, p, now)
	}
	apps, err := f.q.LockTOTPFactors(ctx, tx, dbsqlc.LockTOTPFactorsParams{TenantID: tenantID, UserID: userID})
	if err != nil {
		return Verified{}, err
	}
	if len(apps) == 0 {
		return Verified{}, WrongCode(p.Field())
	}
	c, err := f.keys.Tenant(ctx, tx, tenantID)
	if err != nil {
		return Verified{}, err
	}
	for _, app := range apps {
		secret, err := c.OpenString(ctx, app.ID, colSecret, app.SecretEnc)
		if err != nil {
			return Verified{}, err
		}
		if step, ok := matchTOTP(secret, p.TOTP, now, app.LastStep); ok {
			if err := f.q.MarkFactorUsed(ctx, tx, dbsqlc.MarkFactorUsedParams{Step: step, Now: ts(now),
				TenantID: tenantID, ID: app.ID}); err != nil {
				return Verified{}, err
			}
			return Verified{Method: MethodTOTP, FactorID: app.ID, RecoveryLeft: int(app.RecoveryLeft)}, nil
		}
	}
	return Verified{}, WrongCode(p.Field())
}

func (f *Factors) useRecoveryCode(ctx context.Context, tx pgx.Tx, tenantID, userID uuid.UUID, code string, now time.Time) (Verified, error) {
	norm := normalizeRecoveryCode(code)
	if norm == "" {
		return Verified{}, WrongCode("recovery_code")
	}
	n, err := f.q.UseRecoveryCode(ctx, tx, dbsqlc.UseRecoveryCodeParams{Now: ts(now), TenantID: tenantID, UserID: userID,
		CodeMac: recoveryMAC(f.index, userID, norm)})
	if err != nil {
		return Verified{}, err
	}
	if n == 0 {
		return Verified{}, WrongCode("recovery_code")
	}
	left, err := f.q.CountRecoveryCodes(ctx, tx, dbsqlc.CountRecoveryCodesParams{TenantID: tenantID, UserID: userID})
	if err != nil {
		return Verified{}, err
	}
	if err := f.notify(ctx, tx, tenantID, userID, changeRecoveryUsed, now); err != nil {
		return Verified{}, err
	}
	return Verified{Method: MethodRecovery, RecoveryLeft: int(left)}, nil
}

// Enrollment is a new secret waiting for its first code.
type Enrollment struct {
	ID        uuid.UUID
	Secret    string
	URI       string
	ExpiresAt time.Time
}

// Columns in the associated data of the sealed fields.
const (
	colSecret = "user_factors.secret_enc"
	colName   = "user_factors.name_enc"
)

// StartTOTP creates a new secret for a user (replacing an unconfirmed one)
// and returns it with the URI of its QR code.
func (f *Factors) StartTOTP(ctx context.Context, tx pgx.Tx, tenantID, userID uuid.UUID, email string, now time.Time) (*Enrollment, error) {
	st, err := f.State(ctx, tx, tenantID, userID, true)
	if err != nil {
		return nil, err
	}
	if !st.Allows(MethodTOTP) {
		return nil, ErrMethodNotAllowed
	}
	tenantName, err := f.q.TenantName(ctx, tx, tenantID)
	if err != nil {
		return nil, err
	}
	secret, uri, err := newTOTPSecret(issuerLabel(tenantName), email)
	if err != nil {
		return nil, err
	}
	id, err := uuid.NewV7()
	if err != nil {
		return nil, err
	}
	c, err := f.keys.Tenant(ctx, tx, tenantID)
	if err != nil {
		return nil, err
	}
	if err := f.q.DeletePendingFactors(ctx, tx, dbsqlc.DeletePendingFactorsParams{TenantID: tenantID, UserID: userID}); err != nil {
		return nil, err
	}
	if err := f.q.InsertPendingFactor(ctx, tx, dbsqlc.InsertPendingFactorParams{ID: id, TenantID: tenantID, UserID: userID,
		NameEnc: c.SealString(id, colName, DefaultFactorName), SecretEnc: c.SealString(id, colSecret, secret), Now: now}); err != nil {
		return nil, err
	}
	return &Enrollment{ID: id, Secret: secret, URI: uri, ExpiresAt: now.Add(EnrollmentTTL)}, nil
}

// Factor is a confirmed factor as its owner sees it.
type Factor struct {
	ID         uuid.UUID
	Method     Method
	Name       string
	CreatedAt  time.Time
	LastUsedAt *time.Time
}

// ConfirmTOTP confirms a user's pending enrollment with its first code and
// names it. The user's first factor comes with a new set of recovery codes
// (returned; only their MACs are kept). A lapsed or foreign enrollment is
// ErrEnrollmentGone, a wrong code WrongCode("totp_code").
func (f *Factors) ConfirmTOTP(ctx context.Context, tx pgx.Tx, tenantID, userID, id uuid.UUID, code, name string, now time.Time) (*Factor, []string, error) {
	st, err := f.State(ctx, tx, tenantID, userID, true)
	if err != nil {
		return nil, nil, err
	}
	pending, err := f.q.LockPendingFactor(ctx, tx, dbsqlc.LockPendingFactorParams{TenantID: tenantID, UserID: userID, ID: id,
		Since: now.Add(-EnrollmentTTL)})
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil, ErrEnrollmentGone
	}
	if err != nil {
		return nil, nil, err
	}
	c, err := f.keys.Tenant(ctx, tx, tenantID)
	if err != nil {
		return nil, nil, err
	}
	secret, err := c.OpenString(ctx, id, colSecret, pending.SecretEnc)
	if err != nil {
		return nil, nil, err
	}
	step, ok := matchTOTP(secret, code, now, 0)
	if !ok {
		return nil, nil, WrongCode("totp_code")
	}
	if name == "" {
		name = DefaultFactorName
	}
	row, err := f.q.ConfirmFactor(ctx, tx, dbsqlc.ConfirmFactorParams{Now: now, Step: step, NameEnc: c.SealString(id, colName, name),
		TenantID: tenantID, ID: id})
	if err != nil {
		return nil, nil, err
	}
	return f.added(ctx, tx, tenantID, userID, st, changeAdded,
		&Factor{ID: row.ID, Method: Method(row.Kind), Name: name, CreatedAt: row.CreatedAt, LastUsedAt: timeOf(row.LastUsedAt)}, now)
}

// added finishes adding a factor: the user's first factor comes with a set
// of recovery codes, and the user is told.
func (f *Factors) added(ctx context.Context, tx pgx.Tx, tenantID, userID uuid.UUID, before State, what change, fac *Factor,
	now time.Time) (*Factor, []string, error) {
	var codes []string
	if before.Factors == 0 {
		var err error
		if codes, err = f.renewRecoveryCodes(ctx, tx, tenantID, userID, now); err != nil {
			return nil, nil, err
		}
	}
	if err := f.notify(ctx, tx, tenantID, userID, what, now); err != nil {
		return nil, nil, err
	}
	return fac, codes, nil
}

// renewRecoveryCodes replaces a user's recovery codes with a new set.
func (f *Factors) renewRecoveryCodes(ctx context.Context, tx pgx.Tx, tenantID, userID uuid.UUID, now time.Time) ([]string, error) {
	if err := f.q.DeleteRecoveryCodes(ctx, tx, dbsqlc.DeleteRecoveryCodesParams{TenantID: tenantID, UserID: userID}); err != nil {
		return nil, err
	}
	codes := newRecoveryCodes()
	macs := make([][]byte, len(codes))
	for i, code := range codes {
		macs[i] = recoveryMAC(f.index, userID, normalizeRecoveryCode(code))
	}
	if err := f.q.InsertRecoveryCodes(ctx, tx, dbsqlc.InsertRecoveryCodesParams{TenantID: tenantID, UserID: userID,
		CodeMacs: macs, CreatedAt: now}); err != nil {
		return nil, err
	}
	return codes, nil
}

// MarkStepUp records that the session proved a factor (or the password)
// now.
func (f *Factors) MarkStepUp(ctx context.Context, tx pgx.Tx, tenantID, sessionID uuid.UUID, now time.Time) error {
	return f.q.SetStepUp(ctx, tx, dbsqlc.SetStepUpParams{Now: ts(now), TenantID: tenantID, ID: sessionID})
}

// stepUpUntil is when the session's last step-up stops counting (nil:
// none).
func (f *Factors) stepUpUntil(ctx context.Context, tx dbsqlc.DBTX, tenantID, sessionID uuid.UUID) (*time.Time, error) {
	at, err := f.q.StepUpAt(ctx, tx, dbsqlc.StepUpAtParams{TenantID: tenantID, ID: sessionID})
	if err != nil || !at.Valid {
		return nil, err
	}
	until := at.Time.Add(StepUpValidity)
	return &until, nil
}

// sweep removes enrollments that lapsed unconfirmed and WebAuthn
// ceremonies a day after they lapsed.
func (f *Factors) sweep(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID, now time.Time, batch int) (int64, error) {
	n, err := f.q.DeleteLapsedEnrollments(ctx, tx, dbsqlc.DeleteLapsedEnrollmentsParams{TenantID: tenantID,
		Before: now.Add(-EnrollmentTTL), Batch: int32(batch)})
	if err != nil {
		return n, err
	}
	m, err := f.q.DeleteLapsedCeremonies(ctx, tx, dbsqlc.DeleteLapsedCeremoniesParams{TenantID: tenantID,
		Before: now.Add(-24 * time.Hour), Batch: int32(batch)})
	return n + m, err
}

func ts(t time.Time) pgtype.Timestamptz { return pgtype.Timestamptz{Time: t, Valid: true} }

func timeOf(t pgtype.Timestamptz) *time.Time {
	if !t.Valid {
		return nil
	}
	return &t.Time
}

func itoa(n int) string { return strconv.Itoa(n) }

func boolString(b bool) string { return strconv.FormatBool(b) }
