package mfa

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/zeugo/zeugo/backend/internal/access"
	"github.com/zeugo/zeugo/backend/internal/apperr"
	"github.com/zeugo/zeugo/backend/internal/mfa/dbsqlc"
	"github.com/zeugo/zeugo/backend/internal/uow"
	"github.com/zeugo/zeugo/backend/internal/users"
)

// Service is the signed-in use cases: a user's own factors, and an
// administrator's reset of another user's. Each is one unit of work with
// its audit record.
type Service struct {
	work *uow.Runner
	f    *Factors
	rp   *RelyingParty
}

// NewService returns the use cases over f; rp checks passkeys.
func NewService(work *uow.Runner, f *Factors, rp *RelyingParty) *Service {
	return &Service{work: work, f: f, rp: rp}
}

const (
	targetFactor = "user_factor"
	targetUser   = "user"
)

// Mine is the caller's second-factor situation.
type Mine struct {
	Factors      []Factor
	RecoveryLeft int
	Required     bool
	Allowed      []Method
	// StepUpUntil is when the session's step-up stops counting (nil:
	// none, or already past).
	StepUpUntil *time.Time
}

// ListMine describes the caller's factors.
func (s *Service) ListMine(ctx context.Context) (*Mine, error) {
	var out Mine
	err := s.work.Read(ctx, func(rd *uow.Reader) error {
		rows, err := s.f.q.ListFactors(ctx, rd.DB, dbsqlc.ListFactorsParams{TenantID: rd.P.TenantID, UserID: rd.P.UserID})
		if err != nil {
			return err
		}
		c, err := rd.Cipher()
		if err != nil {
			return err
		}
		for _, r := range rows {
			name, err := c.OpenString(ctx, r.ID, colName, r.NameEnc)
			if err != nil {
				return err
			}
			out.Factors = append(out.Factors, Factor{ID: r.ID, Method: Method(r.Kind), Name: name, CreatedAt: r.CreatedAt,
				LastUsedAt: timeOf(r.LastUsedAt)})
		}
		r, err := s.f.q.UserFactorState(ctx, rd.DB, dbsqlc.UserFactorStateParams{TenantID: rd.P.TenantID, UserID: rd.P.UserID})
		if err != nil {
			return err
		}
		st := stateOf(*r)
		out.Required, out.RecoveryLeft, out.Allowed = st.Required, st.RecoveryLeft, st.Allowed
		until, err := s.f.stepUpUntil(ctx, rd.DB, rd.P.TenantID, rd.P.SessionID)
		if err != nil {
			return err
		}
		if until != nil && until.After(s.work.Now()) {
			out.StepUpUntil = until
		}
		return nil
	})
	return &out, err
}

// callerContact is the caller's name, address and language.
func callerContact(ctx context.Context, tx *uow.Tx) (users.Contact, error) {
	c, err := tx.Cipher()
	if err != nil {
		return users.Contact{}, err
	}
	me, ok, err := users.ContactOf(ctx, tx, c, tx.P.TenantID, tx.P.UserID)
	if err == nil && !ok {
		err = apperr.ErrUnauthenticated
	}
	return me, err
}

// RequireStepUp refuses a change without a step-up of the caller's
// session in the last StepUpValidity (ErrStepUpRequired). Factor changes
// use it, and so do other changes that weaken sign-in (the tenant's
// second-factor settings, package settings). A caller without a session
// (an API key) cannot step up and is refused the same way.
func (s *Service) RequireStepUp(ctx context.Context, tx *uow.Tx) error {
	if tx.P.Kind != access.KindUser {
		return ErrStepUpRequired
	}
	until, err := s.f.stepUpUntil(ctx, tx, tx.P.TenantID, tx.P.SessionID)
	if err != nil {
		return err
	}
	if until == nil || !until.After(s.work.Now()) {
		return ErrStepUpRequired
	}
	return nil
}

// StartTOTP begins adding an authenticator app (step-up needed).
func (s *Service) StartTOTP(ctx context.Context) (*Enrollment, error) {
	var e *Enrollment
	err := s.work.Write(ctx, func(tx *uow.Tx) error {
		if err := s.RequireStepUp(ctx, tx); err != nil {
			return err
		}
		me, err := callerContact(ctx, tx)
		if err != nil {
			return err
		}
		if e, err = s.f.StartTOTP(ctx, tx.Tx, tx.P.TenantID, tx.P.UserID, me.Email, s.work.Now()); err != nil {
			return err
		}
		return tx.Record(ActionEnrollmentStarted, uow.Target{Type: targetFactor, ID: e.ID}, map[string]string{"method": string(MethodTOTP)})
	})
	return e, err
}

// Registration is a passkey ceremony in flight.
type Registration struct {
	ID      uuid.UUID
	Options string
}

// StartPasskey begins adding a passkey or security key (step-up needed).
func (s *Service) StartPasskey(ctx context.Context) (*Registration, error) {
	var r Registration
	err := s.work.Write(ctx, func(tx *uow.Tx) error {
		if err := s.RequireStepUp(ctx, tx); err != nil {
			return err
		}
		me, err := callerContact(ctx, tx)
		if err != nil {
			return err
		}
		if r.ID, r.Options, err = s.f.BeginRegistration(ctx, tx.Tx, s.rp.main, tx.P.TenantID, tx.P.UserID, tx.P.SessionID, uuid.Nil,
			me.Email, s.work.Now()); err != nil {
			return err
		}
		return tx.Record(ActionEnrollmentStarted, uow.Target{Type: targetUser, ID: tx.P.UserID},
			map[string]string{"method": string(MethodWebAuthn)})
	})
	return &r, err
}

// FinishPasskey verifies the authenticator's answer at origin and stores
// the credential; bound to the session that started it.
func (s *Service) FinishPasskey(ctx context.Context, id uuid.UUID, credentialJSON, name, origin string) (*Factor, []string, error) {
	var f *Factor
	var codes []string
	err := s.work.Write(ctx, func(tx *uow.Tx) (err error) {
		if f, codes, err = s.f.FinishRegistration(ctx, tx.Tx, s.rp.For(origin), tx.P.TenantID, tx.P.UserID, id, tx.P.SessionID, uuid.Nil,
			credentialJSON, name, "credential", s.work.Now()); err != nil {
			return err
		}
		return tx.Record(ActionFactorAdded, uow.Target{Type: targetFactor, ID: f.ID},
			map[string]string{"method": string(MethodWebAuthn), "recovery_codes_created": itoa(len(codes))})
	})
	return f, codes, err
}

// StartSMS sends a code to a new number of the caller (step-up needed).
func (s *Service) StartSMS(ctx context.Context, phone string) (*SMSEnrollment, error) {
	var e *SMSEnrollment
	err := s.work.Write(ctx, func(tx *uow.Tx) (err error) {
		if err := s.RequireStepUp(ctx, tx); err != nil {
			return err
		}
		if e, err = s.f.StartSMS(ctx, tx.Tx, tx.P.TenantID, tx.P.UserID, phone, s.work.Now()); err != nil {
			return err
		}
		return tx.Record(ActionEnrollmentStarted, uow.Target{Type: targetFactor, ID: e.ID}, map[string]string{"method": string(MethodSMS)})
	})
	return e, err
}

// ConfirmSMS stores the caller's number once its code is right; a wrong
// code's count commits before the caller gets the field error.
func (s *Service) ConfirmSMS(ctx context.Context, id uuid.UUID, code, name string) (*Factor, []string, error) {
	var f *Factor
	var codes []string
	var wrong error
	err := s.work.Write(ctx, func(tx *uow.Tx) (err error) {
		f, codes, err = s.f.ConfirmSMS(ctx, tx.Tx, tx.P.TenantID, tx.P.UserID, id, code, name, s.work.Now())
		if apperr.Is(err, apperr.InvalidArgument) {
			wrong = err
			return nil
		}
		if err != nil {
			return err
		}
		return tx.Record(ActionFactorAdded, uow.Target{Type: targetFactor, ID: id},
			map[string]string{"method": string(MethodSMS), "recovery_codes_created": itoa(len(codes))})
	})
	if err == nil && wrong != nil {
		return nil, nil, wrong
	}
	return f, codes, err
}

// ConfirmTOTP stores the caller's new app once its code is right; the
// first factor comes with recovery codes. The step-up was checked when the
// enrollment started (it lives ten minutes, bound to the caller).
func (s *Service) ConfirmTOTP(ctx context.Context, id uuid.UUID, code, name string) (*Factor, []string, error) {
	var f *Factor
	var codes []string
	err := s.work.Write(ctx, func(tx *uow.Tx) (err error) {
		if f, codes, err = s.f.ConfirmTOTP(ctx, tx.Tx, tx.P.TenantID, tx.P.UserID, id, code, name, s.work.Now()); err != nil {
			return err
		}
		return tx.Record(ActionFactorAdded, uow.Target{Type: targetFactor, ID: id},
			map[string]string{"method": string(MethodTOTP), "recovery_codes_created": itoa(len(codes))})
	})
	return f, codes, err
}

// Remove deletes one of the caller's factors (step-up needed). The last
// one cannot go while the tenant requires a factor; with it go the
// recovery codes.
func (s *Service) Remove(ctx context.Context, id uuid.UUID) error {
	return s.work.Write(ctx, func(tx *uow.Tx) error {
		if err := s.RequireStepUp(ctx, tx); err != nil {
			return err
		}
		st, err := s.f.State(ctx, tx.Tx, tx.P.TenantID, tx.P.UserID, true)
		if err != nil {
			return err
		}
		n, err := s.f.q.DeleteFactor(ctx, tx, dbsqlc.DeleteFactorParams{TenantID: tx.P.TenantID, UserID: tx.P.UserID, ID: id})
		if err != nil {
			return err
		}
		if n == 0 {
			return apperr.New(apperr.NotFound, "no such second factor")
		}
		last := st.Factors == 1
		if last && st.Required {
			return ErrLastFactorRequired // rolls the delete back
		}
		if last {
			if err := s.f.q.DeleteRecoveryCodes(ctx, tx, dbsqlc.DeleteRecoveryCodesParams{TenantID: tx.P.TenantID, UserID: tx.P.UserID}); err != nil {
				return err
			}
		}
		if err := s.f.notify(ctx, tx.Tx, tx.P.TenantID, tx.P.UserID, changeRemoved, s.work.Now()); err != nil {
			return err
		}
		return tx.Record(ActionFactorRemoved, uow.Target{Type: targetFactor, ID: id},
			map[string]string{"last": boolString(last)})
	})
}

// RenewRecoveryCodes replaces the caller's recovery codes (step-up
// needed; only with a factor).
func (s *Service) RenewRecoveryCodes(ctx context.Context) ([]string, error) {
	var codes []string
	err := s.work.Write(ctx, func(tx *uow.Tx) error {
		if err := s.RequireStepUp(ctx, tx); err != nil {
			return err
		}
		st, err := s.f.State(ctx, tx.Tx, tx.P.TenantID, tx.P.UserID, true)
		if err != nil {
			return err
		}
		if st.Factors == 0 {
			return ErrNoFactor
		}
		if codes, err = s.f.renewRecoveryCodes(ctx, tx.Tx, tx.P.TenantID, tx.P.UserID, s.work.Now()); err != nil {
			return err
		}
		if err := s.f.notify(ctx, tx.Tx, tx.P.TenantID, tx.P.UserID, changeRecoveryRenewed, s.work.Now()); err != nil {
			return err
		}
		return tx.Record(ActionRecoveryRenewed, uow.Target{Type: targetUser, ID: tx.P.UserID}, nil)
	})
	return codes, err
}

// ActionFactorsReset: an administrator reset another user's factors.
const ActionFactorsReset = "mfa.factors.reset"

// reasonFactorsReset ends the user's sessions on a reset.
const reasonFactorsReset = "second_factors_reset"

// ResetUser removes every factor and recovery code of another user of the
// tenant (a lost phone and lost codes) and ends that user's sessions: the
// next login starts from the password, and enrolls anew where the tenant
// requires a factor. The administrator needs a step-up; their own factors
// are changed in Mein Konto, not here.
func (s *Service) ResetUser(ctx context.Context, userID uuid.UUID) error {
	return s.work.Write(ctx, func(tx *uow.Tx) error {
		if userID == tx.P.UserID {
			return apperr.Field(apperr.FailedPrecondition, "user_id", "zeugo.mfa.reset_self",
				"change your own second factors in your account")
		}
		if err := s.RequireStepUp(ctx, tx); err != nil {
			return err
		}
		exists, err := s.f.q.UserExists(ctx, tx, dbsqlc.UserExistsParams{TenantID: tx.P.TenantID, ID: userID})
		if err != nil {
			return err
		}
		if !exists {
			return apperr.New(apperr.NotFound, "no such user")
		}
		if _, err := s.f.State(ctx, tx.Tx, tx.P.TenantID, userID, true); err != nil {
			return err
		}
		n, err := s.f.q.DeleteAllFactors(ctx, tx, dbsqlc.DeleteAllFactorsParams{TenantID: tx.P.TenantID, UserID: userID})
		if err != nil {
			return err
		}
		if err := s.f.q.DeleteRecoveryCodes(ctx, tx, dbsqlc.DeleteRecoveryCodesParams{TenantID: tx.P.TenantID, UserID: userID}); err != nil {
			return err
		}
		ended, err := s.f.q.RevokeUserSessions(ctx, tx, dbsqlc.RevokeUserSessionsParams{Now: s.work.Now(), Reason: reasonFactorsReset,
			TenantID: tx.P.TenantID, UserID: userID})
		if err != nil {
			return err
		}
		if err := s.f.q.EndChallenges(ctx, tx, dbsqlc.EndChallengesParams{Now: s.work.Now(), TenantID: tx.P.TenantID,
			UserID: userID}); err != nil {
			return err
		}
		if err := s.f.notify(ctx, tx.Tx, tx.P.TenantID, userID, changeReset, s.work.Now()); err != nil {
			return err
		}
		return tx.Record(ActionFactorsReset, uow.Target{Type: targetUser, ID: userID},
			map[string]string{"factors": itoa(int(n)), "sessions_ended": itoa(int(ended))})
	})
}
