package auth

import (
	"context"
	"encoding/json"
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
)

// Passwordless sign-in with a passkey (issue 17 item 3), for tenants that
// allow it (tenants.passkey_login): the browser gets request options that
// name no user; the passkey's answer names its credential, whose owner the
// reviewed door passkey_owner finds; the signature, the user handle and
// user verification are checked inside that tenant. The passkey is the
// possession factor, its user verification (PIN, biometrics) the second:
// the session starts with its step-up mark like one after a second factor.

// MethodPasskey is the login method of a passwordless session.
const MethodPasskey = "passkey"

// BeginPasskeyLogin starts a passwordless sign-in and returns its ceremony
// and request options.
func (a *Authenticator) BeginPasskeyLogin(ctx context.Context) (uuid.UUID, string, error) {
	if err := a.limiter.Allow(ctx, a.policy.SecondFactorPerIP, ratelimit.ClientKey(requestinfo.From(ctx).IP)); err != nil {
		return uuid.Nil, "", err
	}
	opts, data, err := a.rp.BeginPasswordless()
	if err != nil {
		return uuid.Nil, "", err
	}
	raw, err := json.Marshal(data)
	if err != nil {
		return uuid.Nil, "", err
	}
	id, err := uuid.NewV7()
	if err != nil {
		return uuid.Nil, "", err
	}
	now := a.now()
	err = a.db.Tx(ctx, func(tx pgx.Tx) error {
		// Lapsed ceremonies go as new ones come (they belong to no tenant,
		// so the per-tenant cleanup job does not see them).
		if _, err := tx.Exec(ctx, `DELETE FROM passkey_login_ceremonies WHERE id IN (
				SELECT id FROM passkey_login_ceremonies WHERE expires_at < $1 LIMIT 100)`, now.Add(-time.Hour)); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO passkey_login_ceremonies (id, data, expires_at) VALUES ($1, $2, $3)`,
			id, raw, now.Add(mfa.CeremonyTTL))
		return err
	})
	if err != nil {
		return uuid.Nil, "", postgres.Classify(err)
	}
	return id, opts, nil
}

// FinishPasskeyLogin signs in with a passkey's answer to a ceremony of
// BeginPasskeyLogin (used up by the attempt, right or wrong). Every
// failure is ErrUnauthenticated.
func (a *Authenticator) FinishPasskeyLogin(ctx context.Context, ceremonyID uuid.UUID, assertion, origin string) (*Session, error) {
	info := requestinfo.From(ctx)
	if err := a.limiter.Allow(ctx, a.policy.SecondFactorPerIP, ratelimit.ClientKey(info.IP)); err != nil {
		return nil, err
	}
	now := a.now()
	var raw []byte
	err := a.db.Pool.QueryRow(ctx, `UPDATE passkey_login_ceremonies SET used_at = $2
		WHERE id = $1 AND used_at IS NULL AND expires_at > $2 RETURNING data`, ceremonyID, now).Scan(&raw)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, apperr.ErrUnauthenticated
	}
	if err != nil {
		return nil, postgres.Classify(err)
	}
	var data mfa.PasswordlessData
	if err := json.Unmarshal(raw, &data); err != nil {
		return nil, apperr.ErrUnauthenticated
	}
	parsed := mfa.CredentialOf(assertion)
	if parsed == nil {
		return nil, apperr.ErrUnauthenticated
	}
	rows, err := a.db.Pool.Query(ctx, `SELECT tenant_id, user_id FROM passkey_owner($1)`, parsed.RawID)
	if err != nil {
		return nil, postgres.Classify(err)
	}
	owners, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (loginAccount, error) {
		var o loginAccount
		return o, r.Scan(&o.TenantID, &o.UserID)
	})
	if err != nil {
		return nil, postgres.Classify(err)
	}
	if len(owners) != 1 {
		a.log.Info().Str("event", "passkey_login_failed").Str("reason", "unknown_credential").
			Str("request_id", info.RequestID).Str("client_net", info.ClientNetwork()).Msg("passkey login failed")
		return nil, apperr.ErrUnauthenticated
	}
	o := owners[0]
	var sess *Session
	var refused string
	err = a.db.TenantTx(ctx, o.TenantID, func(tx pgx.Tx) error {
		ok, err := a.factors.VerifyPasswordless(ctx, tx, a.rp.For(origin), o.TenantID, o.UserID, &data, parsed, now)
		if err != nil {
			return err
		}
		if ok {
			ok, err = markLoginSuccess(ctx, tx, o.TenantID, o.UserID, now, "")
			if err != nil {
				return err
			}
			if !ok {
				refused = "inactive"
			}
		} else {
			refused = "bad_assertion"
		}
		if refused != "" {
			return a.audit.Write(ctx, tx, o.TenantID, audit.Event{Action: audit.ActionLoginFailed, Outcome: audit.OutcomeFailure,
				ActorType: audit.ActorAnonymous, TargetType: "user", TargetID: o.UserID.String(),
				Details: map[string]string{"reason": refused, "method": MethodPasskey}})
		}
		if sess, err = a.startSession(ctx, tx, o.TenantID, o.UserID, MethodPasskey, true); err != nil {
			return err
		}
		return a.audit.Write(ctx, tx, o.TenantID, audit.Event{
			Action: audit.ActionLoginSucceeded, Outcome: audit.OutcomeSuccess,
			ActorType: audit.ActorUser, ActorID: o.UserID.String(),
			TargetType: "session", TargetID: sess.Principal.SessionID.String(),
			Details: map[string]string{"method": MethodPasskey},
		})
	})
	if err != nil {
		return nil, postgres.Classify(err)
	}
	if refused != "" {
		a.log.Info().Str("event", "passkey_login_failed").Str("reason", refused).Str("tenant_id", o.TenantID.String()).
			Str("user_id", o.UserID.String()).Str("request_id", info.RequestID).Msg("passkey login failed")
		return nil, apperr.ErrUnauthenticated
	}
	return sess, nil
}
