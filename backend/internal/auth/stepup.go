package auth

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/zeugo/zeugo/backend/internal/access"
	"github.com/zeugo/zeugo/backend/internal/apperr"
	"github.com/zeugo/zeugo/backend/internal/audit"
	"github.com/zeugo/zeugo/backend/internal/mfa"
	"github.com/zeugo/zeugo/backend/internal/password"
	"github.com/zeugo/zeugo/backend/internal/postgres"
	"github.com/zeugo/zeugo/backend/internal/ratelimit"
	"github.com/zeugo/zeugo/backend/internal/requestinfo"
)

// StepProof is what a step-up presents: a second factor, or the password
// of a user without one.
type StepProof struct {
	mfa.Proof
	Password string
}

// errFactorFirst refuses a password step-up of a user who has a factor:
// the factor is the stronger proof and the one a change to it needs.
var errFactorFirst = apperr.Field(apperr.InvalidArgument, "password", "zeugo.mfa.factor_needed",
	"confirm with your second factor, not the password")

// StepUp proves, in the caller's session, that they still hold their
// second factor (a user without one: their password), and marks the
// session: changes to factors are allowed for mfa.StepUpValidity. A wrong
// proof counts towards the account's lock like a failed login (a taken-over
// session cannot guess), is audited, and is committed before the caller
// gets its field error.
func (a *Authenticator) StepUp(ctx context.Context, proof StepProof, origin string) (time.Time, error) {
	p, err := access.From(ctx)
	if err != nil {
		return time.Time{}, err
	}
	if p.Kind != access.KindUser {
		return time.Time{}, apperr.ErrPermissionDenied
	}
	if err := a.limiter.Allow(ctx, a.policy.SecondFactorPerIP, ratelimit.ClientKey(requestinfo.From(ctx).IP)); err != nil {
		return time.Time{}, err
	}
	// The password's hash is checked outside the transaction (argon2id
	// takes a while and must not hold row locks).
	var pwWrong bool
	if proof.Password != "" {
		var hash *string
		err := a.db.TenantQuery(ctx, p.TenantID, func(rows pgx.Rows) error {
			if !rows.Next() {
				return errors.Join(rows.Err(), apperr.ErrUnauthenticated)
			}
			return rows.Scan(&hash)
		}, `SELECT password_hash FROM users WHERE tenant_id = $1 AND id = $2`, p.TenantID, p.UserID)
		if err != nil {
			return time.Time{}, postgres.Classify(err)
		}
		stored := ""
		if hash != nil {
			stored = *hash
		}
		verr := a.hasher.Verify(ctx, stored, proof.Password)
		if verr != nil && !errors.Is(verr, password.ErrMismatch) && !errors.Is(verr, password.ErrMalformed) {
			return time.Time{}, apperr.Wrap(apperr.Unavailable, "sign-in is busy; try again", verr)
		}
		pwWrong = verr != nil
	}
	now := a.now()
	var wrong error
	err = a.db.TenantTx(ctx, p.TenantID, func(tx pgx.Tx) error {
		st, err := a.factors.State(ctx, tx, p.TenantID, p.UserID, true)
		if err != nil {
			return err
		}
		method := "password"
		switch {
		case proof.Password != "" && st.Factors > 0:
			return errFactorFirst
		case proof.Password != "" && pwWrong:
			wrong = errWrongPassword
		case proof.Password == "":
			proof.RP, proof.Bind = a.rp.For(origin), p.SessionID
			v, err := a.factors.Verify(ctx, tx, p.TenantID, p.UserID, proof.Proof, now)
			if apperr.Is(err, apperr.InvalidArgument) {
				wrong = err
			} else if err != nil {
				return err
			}
			method = string(v.Method)
		}
		if wrong != nil {
			return a.stepUpFailed(ctx, tx, p)
		}
		if err := a.factors.MarkStepUp(ctx, tx, p.TenantID, p.SessionID, now); err != nil {
			return err
		}
		return a.audit.Write(ctx, tx, p.TenantID, audit.Event{Action: mfa.ActionStepUp, Outcome: audit.OutcomeSuccess,
			ActorType: audit.ActorUser, ActorID: p.UserID.String(), TargetType: "session", TargetID: p.SessionID.String(),
			Details: map[string]string{"method": method}})
	})
	if err != nil {
		return time.Time{}, postgres.Classify(err)
	}
	if wrong != nil {
		return time.Time{}, wrong
	}
	return now.Add(mfa.StepUpValidity), nil
}

// errWrongPassword is a step-up's wrong password.
var errWrongPassword = apperr.Field(apperr.InvalidArgument, "password", "password.current_wrong", "the password is wrong")

// stepUpFailed counts a wrong step-up proof towards the lock and audits it.
func (a *Authenticator) stepUpFailed(ctx context.Context, tx pgx.Tx, p *access.Principal) error {
	failures, lockedNow, err := countFailure(ctx, tx, p.TenantID, p.UserID, a.policy.MaxFailedLogins, a.now(), true)
	if err != nil {
		return err
	}
	if err := a.audit.Write(ctx, tx, p.TenantID, audit.Event{Action: mfa.ActionStepUpFailed, Outcome: audit.OutcomeFailure,
		ActorType: audit.ActorUser, ActorID: p.UserID.String(), TargetType: "session", TargetID: p.SessionID.String(),
		Details: map[string]string{"failed_logins": itoa(failures)}}); err != nil {
		return err
	}
	if lockedNow {
		return a.locked(ctx, tx, p.TenantID, p.UserID, failures)
	}
	return nil
}

// BeginStepUp starts a step-up with a passkey or security key: the
// ceremony (bound to the caller's session) and its request options.
func (a *Authenticator) BeginStepUp(ctx context.Context) (uuid.UUID, string, error) {
	p, err := access.From(ctx)
	if err != nil {
		return uuid.Nil, "", err
	}
	if p.Kind != access.KindUser {
		return uuid.Nil, "", apperr.ErrPermissionDenied
	}
	var id uuid.UUID
	var opts string
	err = a.db.TenantTx(ctx, p.TenantID, func(tx pgx.Tx) (err error) {
		id, opts, err = a.factors.BeginAssertion(ctx, tx, a.rp.For(""), p.TenantID, p.UserID, mfa.PurposeStepUp, p.SessionID,
			uuid.Nil, a.now())
		return err
	})
	if err != nil {
		return uuid.Nil, "", postgres.Classify(err)
	}
	if id == uuid.Nil {
		return uuid.Nil, "", apperr.Field(apperr.FailedPrecondition, "", "zeugo.mfa.no_passkey", "you have no passkey or security key")
	}
	return id, opts, nil
}

// SendStepUpSMS sends a step-up code to the caller's SMS factor, bound to
// the session.
func (a *Authenticator) SendStepUpSMS(ctx context.Context) (time.Time, string, error) {
	p, err := access.From(ctx)
	if err != nil {
		return time.Time{}, "", err
	}
	if p.Kind != access.KindUser {
		return time.Time{}, "", apperr.ErrPermissionDenied
	}
	var expires time.Time
	var hint string
	err = a.db.TenantTx(ctx, p.TenantID, func(tx pgx.Tx) (err error) {
		expires, hint, err = a.factors.SendSMSCode(ctx, tx, p.TenantID, p.UserID, p.SessionID, a.now())
		return err
	})
	return expires, hint, postgres.Classify(err)
}
