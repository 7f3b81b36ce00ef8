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
	"github.com/zeugo/zeugo/backend/internal/keyring"
	"github.com/zeugo/zeugo/backend/internal/password"
	"github.com/zeugo/zeugo/backend/internal/postgres"
	"github.com/zeugo/zeugo/backend/internal/ratelimit"
	"github.com/zeugo/zeugo/backend/internal/uow"
)

// errWrongCurrent is the answer to a wrong current password.
var errWrongCurrent = apperr.Field(apperr.InvalidArgument, "current_password", "password.current_wrong",
	"the current password is wrong")

// locked records that a failed attempt locked the account and queues the
// lock notice to its owner, in the transaction that locked it.
func (a *Authenticator) locked(ctx context.Context, tx pgx.Tx, tenantID, userID uuid.UUID, failures int) error {
	if err := a.audit.Write(ctx, tx, tenantID, audit.Event{Action: audit.ActionAccountLocked, Outcome: audit.OutcomeSuccess,
		ActorType: audit.ActorSystem, TargetType: "user", TargetID: userID.String(),
		Details: map[string]string{"failed_logins": itoa(failures)}}); err != nil {
		return err
	}
	return a.notifyLocked(ctx, tx, tenantID, userID, a.now())
}

// PasswordPolicy is the password policy of the caller's tenant.
func (a *Authenticator) PasswordPolicy(ctx context.Context) (password.Policy, error) {
	var p password.Policy
	err := a.work.Read(ctx, func(rd *uow.Reader) error {
		return rd.DB.QueryRow(ctx, `SELECT password_min_length, password_composition FROM tenants WHERE id = $1`,
			rd.P.TenantID).Scan(&p.MinLength, &p.Composition)
	})
	return p, err
}

// changeRow is the signed-in user as a password change needs them.
type changeRow struct {
	Hash   string
	Person password.Person
	Policy password.Policy
}

// ChangePassword replaces the caller's password after checking the
// current one. Wrong current passwords go through the login throttle of
// the user's email (Policy.LoginBackoff) and count towards the lock like
// failed logins, so a taken-over session cannot guess the password; a
// right one ends every other session of the user.
func (a *Authenticator) ChangePassword(ctx context.Context, current, next string) error {
	p, err := access.From(ctx)
	if err != nil {
		return err
	}
	var u changeRow
	err = a.work.Read(ctx, func(rd *uow.Reader) error {
		var hash *string
		var emailEnc, firstEnc, lastEnc []byte
		err := rd.DB.QueryRow(ctx, `SELECT u.password_hash, u.email_enc, u.first_name_enc, u.last_name_enc,
				t.name, t.password_min_length, t.password_composition
			FROM users u JOIN tenants t ON t.id = u.tenant_id
			WHERE u.tenant_id = $1 AND u.id = $2`, p.TenantID, p.UserID).
			Scan(&hash, &emailEnc, &firstEnc, &lastEnc, &u.Person.Tenant, &u.Policy.MinLength, &u.Policy.Composition)
		if err != nil {
			return err
		}
		if hash != nil {
			u.Hash = *hash
		}
		c, err := rd.Cipher()
		if err != nil {
			return err
		}
		if u.Person.Email, err = c.OpenString(ctx, p.UserID, "users.email", emailEnc); err != nil {
			return err
		}
		if u.Person.FirstName, err = c.OpenString(ctx, p.UserID, "users.first_name", firstEnc); err != nil {
			return err
		}
		u.Person.LastName, err = c.OpenString(ctx, p.UserID, "users.last_name", lastEnc)
		return err
	})
	if err != nil {
		return err
	}
	subject := keyring.NormalizeEmail(u.Person.Email)
	heard, err := a.claim(ctx, subject)
	if err != nil {
		return err
	}
	if !heard {
		return ratelimit.ErrLimited
	}
	resolved := false
	defer func() {
		if !resolved {
			_ = a.limiter.Release(context.WithoutCancel(ctx), a.policy.LoginBackoff, subject)
		}
	}()
	verr := a.hasher.Verify(ctx, u.Hash, current)
	if verr != nil && !errors.Is(verr, password.ErrMismatch) && !errors.Is(verr, password.ErrMalformed) {
		return apperr.Wrap(apperr.Unavailable, "the server is busy; try again", verr)
	}
	if verr != nil {
		if err := a.wrongCurrent(ctx, p, subject); err != nil {
			return err
		}
		resolved = true
		return errWrongCurrent
	}
	if err := password.Error("new_password", u.Policy.Check(next, u.Person)); err != nil {
		return err
	}
	encoded, err := a.hasher.Hash(ctx, next)
	if err != nil {
		return apperr.Wrap(apperr.Unavailable, "the server is busy; try again", err)
	}
	err = a.work.Write(ctx, func(tx *uow.Tx) error {
		now := a.now()
		// The hash read above must still be the stored one: a concurrent
		// change or reset wins, this one is refused.
		tag, err := tx.Exec(ctx, `UPDATE users SET password_hash = $3, password_changed_at = $4, failed_logins = 0,
				version = version + 1, updated_at = $4
			WHERE tenant_id = $1 AND id = $2 AND status = 'active' AND password_hash = $5`,
			p.TenantID, p.UserID, encoded, now, u.Hash)
		if err != nil {
			return err
		}
		if tag.RowsAffected() != 1 {
			return apperr.ErrConcurrentChange
		}
		ended, err := revokeOtherSessions(ctx, tx, p.TenantID, p.UserID, p.SessionID, now)
		if err != nil {
			return err
		}
		if err := dropResetLinks(ctx, tx, p.TenantID, p.UserID); err != nil {
			return err
		}
		if err := a.limiter.Reset(ctx, tx, a.policy.LoginBackoff, subject); err != nil {
			return err
		}
		return tx.Record(ActionPasswordChanged, uow.Target{Type: "user", ID: p.UserID},
			map[string]string{"sessions_ended": itoa(int(ended))})
	})
	if err != nil {
		return err
	}
	resolved = true
	return nil
}

// wrongCurrent counts a wrong current password against the account (it
// locks like failed logins, with the lock notice) and the email's
// throttle, and audits it.
func (a *Authenticator) wrongCurrent(ctx context.Context, p *access.Principal, subject string) error {
	err := a.db.TenantTx(ctx, p.TenantID, func(tx pgx.Tx) error {
		if err := a.limiter.Failed(ctx, tx, a.policy.LoginBackoff, subject); err != nil {
			return err
		}
		failures, lockedNow, err := countFailure(ctx, tx, p.TenantID, p.UserID, a.policy.MaxFailedLogins, a.now(), true)
		if err != nil {
			return err
		}
		if err := a.audit.Write(ctx, tx, p.TenantID, audit.Event{Action: ActionPasswordChangeFailed, Outcome: audit.OutcomeFailure,
			ActorType: audit.ActorUser, ActorID: p.UserID.String(), TargetType: "user", TargetID: p.UserID.String(),
			Details: map[string]string{"reason": "bad_password"}}); err != nil {
			return err
		}
		if lockedNow {
			return a.locked(ctx, tx, p.TenantID, p.UserID, failures)
		}
		return nil
	})
	return postgres.Classify(err)
}

// revokeOtherSessions ends every live session of the user but keep, and
// the logins that wait for their second step.
func revokeOtherSessions(ctx context.Context, tx pgx.Tx, tenantID, userID, keep uuid.UUID, now time.Time) (int64, error) {
	tag, err := tx.Exec(ctx, `UPDATE sessions SET revoked_at = $4, revoke_reason = 'password_changed'
		WHERE tenant_id = $1 AND user_id = $2 AND id <> $3 AND revoked_at IS NULL`, tenantID, userID, keep, now)
	if err != nil {
		return 0, err
	}
	return tag.RowsAffected(), endChallenges(ctx, tx, tenantID, userID, now)
}
