// Package settings holds the tenant's security settings (area Datenschutz,
// SPEC §3.1): password policy, invitation link lifetime and the session
// timeouts. The session timeouts are bounded by the operator's sign-in
// policy (auth.Policy.IdleTimeout and AbsoluteTimeout are the maxima); a
// session takes the smaller of tenant and operator value when it starts
// (package auth), so a change applies to sessions started after it.
package settings

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/zeugo/zeugo/backend/internal/apperr"
	"github.com/zeugo/zeugo/backend/internal/settings/dbsqlc"
	"github.com/zeugo/zeugo/backend/internal/uow"
)

// ActionSecurityUpdated is the audit action of a change; its details name
// each changed setting with "old → new" (no personal data).
const ActionSecurityUpdated = "settings.security.updated"

const targetTenant = "tenant"

// Security are the tenant's security settings.
type Security struct {
	PasswordMinLength    int
	PasswordComposition  bool
	InvitationTTLHours   int
	SessionIdleMinutes   int
	SessionAbsoluteHours int
	// CertificateChangeTracking keeps every change to a certificate with
	// its value before and after (SPEC §5.2).
	CertificateChangeTracking bool
	// HandoverCodeRequired asks a one-time code of every handover, by one
	// of HandoverCodeChannels ("email", "sms"; SPEC §6).
	HandoverCodeRequired bool
	HandoverCodeChannels []string
	// SecondFactorRequired makes every user enroll a second factor at their
	// next login (SPEC §3.1; tenants.require_mfa).
	SecondFactorRequired bool
	// SecondFactorMethods are the kinds users may add ("totp",
	// "webauthn"; tenants.mfa_methods).
	SecondFactorMethods []string
	// PasskeyLogin lets users sign in with a passkey alone
	// (tenants.passkey_login).
	PasskeyLogin bool
}

// Versioned are the settings with their version.
type Versioned struct {
	Security
	Version int64
}

// Bounds are the limits of each setting. The password and link limits are
// the product's (SPEC §3.1, issue 13: minimum 8, links up to 7 days); the
// timeout maxima are the operator's.
type Bounds struct {
	PasswordMinLengthMin, PasswordMinLengthMax       int
	InvitationTTLHoursMin, InvitationTTLHoursMax     int
	SessionIdleMinutesMin, SessionIdleMinutesMax     int
	SessionAbsoluteHoursMin, SessionAbsoluteHoursMax int
}

// The product's limits (also the CHECK constraints of migration 00010).
const (
	minPasswordLength, maxPasswordLength   = 8, 128
	minInvitationHours, maxInvitationHours = 1, 168
	minIdleMinutes, maxIdleMinutes         = 5, 480
	minAbsoluteHours, maxAbsoluteHours     = 1, 24
)

// BoundsFor derives the bounds from the operator's maximum idle and
// absolute timeouts. A maximum below the product's minimum is raised to it
// (the operator's value still caps every session, package auth).
func BoundsFor(maxIdle, maxAbsolute time.Duration) Bounds {
	return Bounds{
		PasswordMinLengthMin: minPasswordLength, PasswordMinLengthMax: maxPasswordLength,
		InvitationTTLHoursMin: minInvitationHours, InvitationTTLHoursMax: maxInvitationHours,
		SessionIdleMinutesMin:   minIdleMinutes,
		SessionIdleMinutesMax:   clamp(int(maxIdle/time.Minute), minIdleMinutes, maxIdleMinutes),
		SessionAbsoluteHoursMin: minAbsoluteHours,
		SessionAbsoluteHoursMax: clamp(int(maxAbsolute/time.Hour), minAbsoluteHours, maxAbsoluteHours),
	}
}

func clamp(v, lo, hi int) int { return min(max(v, lo), hi) }

// StepUp checks, in a write, that the caller's session proved its second
// factor (a user without one: the password) recently — the check factor
// changes use (mfa.Service.RequireStepUp); its refusal is
// FailedPrecondition with rule "zeugo.mfa.step_up_required".
type StepUp interface {
	RequireStepUp(ctx context.Context, tx *uow.Tx) error
}

// Service implements the use cases, each one unit of work.
type Service struct {
	work   *uow.Runner
	q      *dbsqlc.Queries
	bounds Bounds
	stepUp StepUp
}

// NewService returns a Service with the operator's bounds; stepUp guards
// changes to the second-factor settings.
func NewService(work *uow.Runner, bounds Bounds, stepUp StepUp) *Service {
	return &Service{work: work, q: dbsqlc.New(), bounds: bounds, stepUp: stepUp}
}

// Bounds are the limits the service enforces.
func (s *Service) Bounds() Bounds { return s.bounds }

// Get returns the caller's tenant's settings.
func (s *Service) Get(ctx context.Context) (*Versioned, error) {
	var out *Versioned
	err := s.work.Read(ctx, func(rd *uow.Reader) error {
		r, err := s.q.GetSecuritySettings(ctx, rd.DB, rd.P.TenantID)
		if err != nil {
			return err
		}
		out = &Versioned{Security: securityOf(dbsqlc.LockSecuritySettingsRow(*r)), Version: r.SettingsVersion}
		return nil
	})
	return out, err
}

// Update replaces the settings if version is current (else Aborted); a
// value outside its bounds is InvalidArgument on its field.
func (s *Service) Update(ctx context.Context, version int64, in Security) (*Versioned, error) {
	if err := s.check(in); err != nil {
		return nil, err
	}
	var out *Versioned
	err := s.work.Write(ctx, func(tx *uow.Tx) error {
		old, err := s.q.LockSecuritySettings(ctx, tx, tx.P.TenantID)
		if err != nil {
			return err
		}
		if old.SettingsVersion != version {
			return apperr.ErrConcurrentChange
		}
		// A taken-over session must not switch the second factor off (or
		// let weaker kinds in) for everyone: any change to these settings
		// needs a fresh step-up, as a change of one's own factors does.
		if secondFactorChanged(securityOf(*old), in) {
			if err := s.stepUp.RequireStepUp(ctx, tx); err != nil {
				return err
			}
		}
		r, err := s.q.UpdateSecuritySettings(ctx, tx, dbsqlc.UpdateSecuritySettingsParams{TenantID: tx.P.TenantID, Version: version,
			PasswordMinLength: int32(in.PasswordMinLength), PasswordComposition: in.PasswordComposition,
			InvitationTtlHours: int32(in.InvitationTTLHours), SessionIdleMinutes: int32(in.SessionIdleMinutes),
			SessionAbsoluteHours: int32(in.SessionAbsoluteHours), CertificateChangeTracking: in.CertificateChangeTracking,
			HandoverCodeRequired: in.HandoverCodeRequired, HandoverCodeChannels: in.HandoverCodeChannels,
			RequireMfa: in.SecondFactorRequired, MfaMethods: in.SecondFactorMethods, PasskeyLogin: in.PasskeyLogin})
		if err != nil {
			return err
		}
		out = &Versioned{Security: in, Version: r.SettingsVersion}
		return tx.Record(ActionSecurityUpdated, uow.Target{Type: targetTenant, ID: tx.P.TenantID}, changes(securityOf(*old), in))
	})
	return out, err
}

// secondFactorChanged tells whether an update touches the sign-in's
// second factor: whether it is required, the kinds allowed, or signing in
// with a passkey alone. Every change counts, not only a weakening — what
// is weaker (is a passkey-only tenant that also allows apps weaker?) is a
// judgement the server need not make, and these settings change rarely.
func secondFactorChanged(before, after Security) bool {
	return before.SecondFactorRequired != after.SecondFactorRequired || before.PasskeyLogin != after.PasskeyLogin ||
		!sameSet(before.SecondFactorMethods, after.SecondFactorMethods)
}

// sameSet tells whether a and b hold the same strings, in any order.
func sameSet(a, b []string) bool {
	x, y := slices.Clone(a), slices.Clone(b)
	slices.Sort(x)
	slices.Sort(y)
	return slices.Equal(slices.Compact(x), slices.Compact(y))
}

// securityOf reads the stored settings.
func securityOf(r dbsqlc.LockSecuritySettingsRow) Security {
	return Security{PasswordMinLength: int(r.PasswordMinLength), PasswordComposition: r.PasswordComposition,
		InvitationTTLHours: int(r.InvitationTtlHours), SessionIdleMinutes: int(r.SessionIdleMinutes),
		SessionAbsoluteHours: int(r.SessionAbsoluteHours), CertificateChangeTracking: r.CertificateChangeTracking,
		HandoverCodeRequired: r.HandoverCodeRequired, HandoverCodeChannels: r.HandoverCodeChannels,
		SecondFactorRequired: r.RequireMfa, SecondFactorMethods: r.MfaMethods, PasskeyLogin: r.PasskeyLogin}
}

// check applies the bounds (the proto's rules hold the product's limits;
// the operator's maxima are known only here).
func (s *Service) check(in Security) error {
	b := s.bounds
	for _, c := range []struct {
		field     string
		v, lo, hi int
	}{
		{"fields.password_min_length", in.PasswordMinLength, b.PasswordMinLengthMin, b.PasswordMinLengthMax},
		{"fields.invitation_ttl_hours", in.InvitationTTLHours, b.InvitationTTLHoursMin, b.InvitationTTLHoursMax},
		{"fields.session_idle_minutes", in.SessionIdleMinutes, b.SessionIdleMinutesMin, b.SessionIdleMinutesMax},
		{"fields.session_absolute_hours", in.SessionAbsoluteHours, b.SessionAbsoluteHoursMin, b.SessionAbsoluteHoursMax},
	} {
		switch {
		case c.v < c.lo:
			return apperr.Field(apperr.InvalidArgument, c.field, "int32.gte", fmt.Sprintf("value must be greater than or equal to %d", c.lo))
		case c.v > c.hi:
			return apperr.Field(apperr.InvalidArgument, c.field, "int32.lte", fmt.Sprintf("value must be less than or equal to %d", c.hi))
		}
	}
	if in.SessionIdleMinutes > in.SessionAbsoluteHours*60 {
		return apperr.Field(apperr.InvalidArgument, "fields.session_idle_minutes", "zeugo.idle_exceeds_absolute",
			"the idle timeout cannot exceed the absolute timeout")
	}
	// SMS is the weakest kind, and a login that must enroll offers an app
	// or a passkey: it is allowed only beside one of them.
	if len(in.SecondFactorMethods) == 1 && in.SecondFactorMethods[0] == "sms" {
		return apperr.Field(apperr.InvalidArgument, "fields.second_factor_methods", "zeugo.mfa.sms_alone",
			"SMS codes can only be allowed beside an authenticator app or passkeys")
	}
	return nil
}

// changes lists each changed setting as "old → new".
func changes(before, after Security) map[string]string {
	out := map[string]string{}
	add := func(name, o, n string) {
		if o != n {
			out[name] = o + " → " + n
		}
	}
	add("password_min_length", strconv.Itoa(before.PasswordMinLength), strconv.Itoa(after.PasswordMinLength))
	add("password_composition", strconv.FormatBool(before.PasswordComposition), strconv.FormatBool(after.PasswordComposition))
	add("invitation_ttl_hours", strconv.Itoa(before.InvitationTTLHours), strconv.Itoa(after.InvitationTTLHours))
	add("session_idle_minutes", strconv.Itoa(before.SessionIdleMinutes), strconv.Itoa(after.SessionIdleMinutes))
	add("session_absolute_hours", strconv.Itoa(before.SessionAbsoluteHours), strconv.Itoa(after.SessionAbsoluteHours))
	add("certificate_change_tracking", strconv.FormatBool(before.CertificateChangeTracking), strconv.FormatBool(after.CertificateChangeTracking))
	add("handover_code_required", strconv.FormatBool(before.HandoverCodeRequired), strconv.FormatBool(after.HandoverCodeRequired))
	add("second_factor_required", strconv.FormatBool(before.SecondFactorRequired), strconv.FormatBool(after.SecondFactorRequired))
	add("passkey_login", strconv.FormatBool(before.PasskeyLogin), strconv.FormatBool(after.PasskeyLogin))
	add("second_factor_methods", strings.Join(before.SecondFactorMethods, ","), strings.Join(after.SecondFactorMethods, ","))
	add("handover_code_channels", strings.Join(before.HandoverCodeChannels, ","), strings.Join(after.HandoverCodeChannels, ","))
	return out
}
