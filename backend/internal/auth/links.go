package auth

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/zeugo/zeugo/backend/internal/apperr"
	"github.com/zeugo/zeugo/backend/internal/audit"
	"github.com/zeugo/zeugo/backend/internal/keyring"
	"github.com/zeugo/zeugo/backend/internal/outbox"
	"github.com/zeugo/zeugo/backend/internal/password"
	"github.com/zeugo/zeugo/backend/internal/postgres"
	"github.com/zeugo/zeugo/backend/internal/ratelimit"
	"github.com/zeugo/zeugo/backend/internal/requestinfo"
	"github.com/zeugo/zeugo/backend/internal/secretlink"
)

// Audit actions of registration, reset and password change (SPEC §8).
const (
	ActionInvitationAccepted   = "auth.invitation.accepted"
	ActionPasswordResetRequest = "auth.password.reset_requested"
	ActionPasswordReset        = "auth.password.reset"
	ActionPasswordChanged      = "auth.password.changed"
	ActionPasswordChangeFailed = "auth.password.change_failed"
)

// Link purposes (user_links.purpose).
const (
	PurposeInvitation = "invitation"
	PurposeReset      = "reset"
)

// LinkRules are the limits of the public link endpoints.
type LinkRules struct {
	// LinkPerIP bounds GetInvitation, AcceptInvitation, GetPasswordReset
	// and ResetPassword per client address (guessing a 256-bit secret is
	// hopeless; this bounds the work a client can cause).
	LinkPerIP ratelimit.Rule
	// ResetPerIP bounds RequestPasswordReset per client address.
	ResetPerIP ratelimit.Rule
	// ResetPerEmail bounds the reset mails one address receives; requests
	// beyond it get the usual answer and send nothing.
	ResetPerEmail ratelimit.Rule
	// ResetTTL is the lifetime of a reset link (SPEC §3.1: 60 min).
	ResetTTL time.Duration
	// ResetMinDuration is the least time RequestPasswordReset takes, so
	// that the work done for an existing address (a link, a mail, an audit
	// event per account) does not show in the answer's timing.
	ResetMinDuration time.Duration
}

// DefaultLinkRules are the production limits.
var DefaultLinkRules = LinkRules{
	LinkPerIP:        ratelimit.Rule{Name: "link-ip", Limit: 30, Window: time.Minute},
	ResetPerIP:       ratelimit.Rule{Name: "reset-ip", Limit: 20, Window: time.Hour},
	ResetPerEmail:    ratelimit.Rule{Name: "reset-email", Limit: 3, Window: time.Hour},
	ResetTTL:         time.Hour,
	ResetMinDuration: 300 * time.Millisecond,
}

// errInvalidLink is the one answer to an unknown, expired, used or tampered
// link: which of these it was stays the server's secret.
var errInvalidLink = apperr.Field(apperr.NotFound, "token", "link.invalid", "the link is invalid or has expired")

// LinkInfo describes a valid link to its holder.
type LinkInfo struct {
	FirstName  string
	Email      string
	TenantName string
	Policy     password.Policy
	ExpiresAt  time.Time
}

// linkRow is a live link with its user and tenant.
type linkRow struct {
	ID, UserID, TenantID uuid.UUID
	ExpiresAt            time.Time
	UserStatus           string
	TenantName           string
	TenantStatus         string
	Policy               password.Policy
	Person               password.Person
	LastName             string
	Language             string
}

// findLink loads the unused, unexpired link of purpose whose token hash is
// hash, decrypting the user's names and email. nil when there is none or
// its user or tenant may not use it.
func (a *Authenticator) findLink(ctx context.Context, q postgres.DBTX, tenantID uuid.UUID, hash []byte, purpose string) (*linkRow, error) {
	var r linkRow
	var emailEnc, firstEnc, lastEnc []byte
	err := q.QueryRow(ctx, `SELECT l.id, l.user_id, l.expires_at, u.status, u.email_enc, u.first_name_enc, u.last_name_enc,
			u.language, t.name, t.status, t.password_min_length, t.password_composition
		FROM user_links l
		JOIN users u ON u.tenant_id = l.tenant_id AND u.id = l.user_id
		JOIN tenants t ON t.id = l.tenant_id
		WHERE l.tenant_id = $1 AND l.token_hash = $2 AND l.purpose = $3
		  AND l.used_at IS NULL AND l.expires_at > $4`,
		tenantID, hash, purpose, a.now()).Scan(&r.ID, &r.UserID, &r.ExpiresAt, &r.UserStatus, &emailEnc, &firstEnc, &lastEnc,
		&r.Language, &r.TenantName, &r.TenantStatus, &r.Policy.MinLength, &r.Policy.Composition)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if r.TenantStatus != "active" || !linkUsable(purpose, r.UserStatus) {
		return nil, nil
	}
	r.TenantID = tenantID
	c, err := a.keys.Tenant(ctx, q, tenantID)
	if err != nil {
		return nil, err
	}
	if r.Person.Email, err = c.OpenString(ctx, r.UserID, "users.email", emailEnc); err != nil {
		return nil, err
	}
	if r.Person.FirstName, err = c.OpenString(ctx, r.UserID, "users.first_name", firstEnc); err != nil {
		return nil, err
	}
	if r.Person.LastName, err = c.OpenString(ctx, r.UserID, "users.last_name", lastEnc); err != nil {
		return nil, err
	}
	r.LastName = r.Person.LastName
	r.Person.Tenant = r.TenantName
	return &r, nil
}

// linkUsable: an invitation is for an invited user; a reset for an active
// or locked one (a reset does not unlock: the new password is set and the
// account stays locked until an administrator unlocks it, SPEC §3.1).
func linkUsable(purpose, status string) bool {
	if purpose == PurposeInvitation {
		return status == "invited"
	}
	return status == "active" || status == "locked"
}

// describeLink is GetInvitation and GetPasswordReset.
func (a *Authenticator) describeLink(ctx context.Context, token, purpose string) (*LinkInfo, error) {
	if err := a.limitLinks(ctx); err != nil {
		return nil, err
	}
	tenantID, hash, ok := secretlink.Parse(token)
	if !ok {
		return nil, errInvalidLink
	}
	var info *LinkInfo
	err := a.db.TenantTx(ctx, tenantID, func(tx pgx.Tx) error {
		r, err := a.findLink(ctx, tx, tenantID, hash, purpose)
		if err != nil || r == nil {
			return errors.Join(err, errInvalidLink)
		}
		info = &LinkInfo{FirstName: r.Person.FirstName, Email: r.Person.Email, TenantName: r.TenantName,
			Policy: r.Policy, ExpiresAt: r.ExpiresAt}
		return nil
	})
	if err != nil {
		return nil, linkErr(err)
	}
	return info, nil
}

// linkErr keeps errInvalidLink as it is and classifies anything else.
func linkErr(err error) error {
	if errors.Is(err, errInvalidLink) {
		return errInvalidLink
	}
	return postgres.Classify(err)
}

func (a *Authenticator) limitLinks(ctx context.Context) error {
	return a.limiter.Allow(ctx, a.links.LinkPerIP, ratelimit.ClientKey(requestinfo.From(ctx).IP))
}

// GetInvitation describes a registration link.
func (a *Authenticator) GetInvitation(ctx context.Context, token string) (*LinkInfo, error) {
	return a.describeLink(ctx, token, PurposeInvitation)
}

// GetPasswordReset describes a reset link.
func (a *Authenticator) GetPasswordReset(ctx context.Context, token string) (*LinkInfo, error) {
	return a.describeLink(ctx, token, PurposeReset)
}

// AcceptInvitation sets the invitee's first password: the user becomes
// active and the link is used, in one transaction; of two concurrent
// calls with one link only one succeeds (the link is claimed with
// UPDATE … WHERE used_at IS NULL).
func (a *Authenticator) AcceptInvitation(ctx context.Context, token, pw string) error {
	return a.redeem(ctx, token, pw, PurposeInvitation)
}

// ResetPassword sets a new password through a reset link and ends every
// session of the user.
func (a *Authenticator) ResetPassword(ctx context.Context, token, pw string) error {
	return a.redeem(ctx, token, pw, PurposeReset)
}

func (a *Authenticator) redeem(ctx context.Context, token, pw, purpose string) error {
	if err := a.limitLinks(ctx); err != nil {
		return err
	}
	tenantID, hash, ok := secretlink.Parse(token)
	if !ok {
		return errInvalidLink
	}
	// Read and check first; the expensive hash is computed outside any
	// transaction; the write then claims the link and fails if another
	// call claimed it in the meantime.
	var r *linkRow
	err := a.db.TenantTx(ctx, tenantID, func(tx pgx.Tx) (err error) {
		r, err = a.findLink(ctx, tx, tenantID, hash, purpose)
		if err == nil && r == nil {
			err = errInvalidLink
		}
		if err == nil && purpose == PurposeReset {
			// A reset link sent before the tenant switched to SSO only.
			if only, oerr := ssoOnly(ctx, tx, tenantID); oerr != nil || only {
				err = errors.Join(oerr, errInvalidLink)
			}
		}
		return err
	})
	if err != nil {
		return linkErr(err)
	}
	if err := password.Error("password", r.Policy.Check(pw, r.Person)); err != nil {
		return err
	}
	encoded, err := a.hasher.Hash(ctx, pw)
	if err != nil {
		return apperr.Wrap(apperr.Unavailable, "the server is busy; try again", err)
	}
	var ended int64
	err = a.db.TenantTx(ctx, tenantID, func(tx pgx.Tx) error {
		now := a.now()
		tag, err := tx.Exec(ctx, `UPDATE user_links SET used_at = $3
			WHERE tenant_id = $1 AND id = $2 AND used_at IS NULL AND expires_at > $3`, tenantID, r.ID, now)
		if err != nil {
			return err
		}
		if tag.RowsAffected() != 1 {
			return errInvalidLink
		}
		if purpose == PurposeInvitation {
			// Becoming active changes what the user may do: authz_version.
			tag, err = tx.Exec(ctx, `UPDATE users SET password_hash = $3, status = 'active', password_changed_at = $4,
					failed_logins = 0, authz_version = authz_version + 1, version = version + 1, updated_at = $4
				WHERE tenant_id = $1 AND id = $2 AND status = 'invited'`, tenantID, r.UserID, encoded, now)
		} else {
			tag, err = tx.Exec(ctx, `UPDATE users SET password_hash = $3, password_changed_at = $4,
					failed_logins = 0, version = version + 1, updated_at = $4
				WHERE tenant_id = $1 AND id = $2 AND status IN ('active', 'locked')`, tenantID, r.UserID, encoded, now)
		}
		if err != nil {
			return err
		}
		if tag.RowsAffected() != 1 {
			return errInvalidLink // the user's state changed in the meantime
		}
		if err := dropResetLinks(ctx, tx, tenantID, r.UserID); err != nil {
			return err
		}
		action := ActionInvitationAccepted
		details := map[string]string{}
		if purpose == PurposeReset {
			action = ActionPasswordReset
			if ended, err = RevokeUserSessions(ctx, tx, tenantID, r.UserID, "password_reset", now); err != nil {
				return err
			}
			details["sessions_ended"] = itoa(int(ended))
			if r.UserStatus == "locked" {
				details["still_locked"] = "true"
			}
		}
		return a.audit.Write(ctx, tx, tenantID, audit.Event{Action: action, Outcome: audit.OutcomeSuccess,
			ActorType: audit.ActorUser, ActorID: r.UserID.String(), TargetType: "user", TargetID: r.UserID.String(),
			Details: details})
	})
	if err != nil {
		return linkErr(err)
	}
	return nil
}

// dropResetLinks deletes the user's unused reset links: a password set in
// any way makes them pointless.
func dropResetLinks(ctx context.Context, tx pgx.Tx, tenantID, userID uuid.UUID) error {
	_, err := tx.Exec(ctx, `DELETE FROM user_links WHERE tenant_id = $1 AND user_id = $2 AND purpose = 'reset' AND used_at IS NULL`,
		tenantID, userID)
	return err
}

// RequestPasswordReset sends a reset link to every account of email that
// may reset its password (one address may have an account in several
// tenants). The answer is nil whether or not the address exists, and it
// takes at least LinkRules.ResetMinDuration; only the per-address limit
// can refuse (ResourceExhausted), and it counts unknown addresses alike.
func (a *Authenticator) RequestPasswordReset(ctx context.Context, email string) error {
	start := time.Now()
	info := requestinfo.From(ctx)
	if err := a.limiter.Allow(ctx, a.links.ResetPerIP, ratelimit.ClientKey(info.IP)); err != nil {
		return err
	}
	defer func() {
		if wait := a.links.ResetMinDuration - time.Since(start); wait > 0 {
			t := time.NewTimer(wait)
			defer t.Stop()
			select {
			case <-t.C:
			case <-ctx.Done():
			}
		}
	}()
	subject := keyring.NormalizeEmail(email)
	if err := a.limiter.Allow(ctx, a.links.ResetPerEmail, subject); err != nil {
		if apperr.Is(err, apperr.ResourceExhausted) {
			a.log.Info().Str("event", "reset_suppressed").Str("request_id", info.RequestID).Msg("password reset limited per address")
			return nil
		}
		return err
	}
	accts, err := findLogins(ctx, a.db, a.index.Email(email))
	if err != nil {
		return postgres.Classify(err)
	}
	for _, acct := range accts {
		// A failure here must not change the answer (it would tell that
		// the address exists): it is logged, and the person may ask again.
		if err := a.sendReset(ctx, acct.TenantID, acct.UserID); err != nil {
			a.log.Error().Err(err).Str("event", "reset_failed").Str("tenant_id", acct.TenantID.String()).
				Str("request_id", info.RequestID).Msg("password reset link not sent")
		}
	}
	return nil
}

// sendReset creates a reset link for one account (replacing older ones),
// queues its mail and audits the request, in one transaction; accounts
// that may not reset (invited, deactivated, tenant not active) are skipped.
func (a *Authenticator) sendReset(ctx context.Context, tenantID, userID uuid.UUID) error {
	err := a.db.TenantTx(ctx, tenantID, func(tx pgx.Tx) error {
		rcpt, err := a.loadRecipient(ctx, tx, tenantID, userID)
		if err != nil || rcpt == nil || rcpt.TenantStatus != "active" || !linkUsable(PurposeReset, rcpt.Status) {
			return err
		}
		// A tenant that signs in through its identity provider only has
		// no passwords to reset; the answer stays the same.
		if only, err := ssoOnly(ctx, tx, tenantID); err != nil || only {
			return err
		}
		now := a.now()
		if err := dropResetLinks(ctx, tx, tenantID, userID); err != nil {
			return err
		}
		token, hash := secretlink.New(tenantID)
		expires := now.Add(a.links.ResetTTL)
		if _, err := tx.Exec(ctx, `INSERT INTO user_links (tenant_id, id, user_id, purpose, token_hash, created_at, expires_at)
			VALUES ($1, $2, $3, 'reset', $4, $5, $6)`, tenantID, uuid.Must(uuid.NewV7()), userID, hash, now, expires); err != nil {
			return err
		}
		if _, err := a.outbox.Enqueue(ctx, tx, tenantID, outbox.Message{Kind: outbox.Email, To: rcpt.Email,
			Template: "password_reset", Language: rcpt.Language,
			Data: map[string]string{"Name": rcpt.Name(), "Link": a.link("/reset", token),
				"ExpiresAt": outbox.Time(expires, rcpt.Language)}}); err != nil {
			return err
		}
		return a.audit.Write(ctx, tx, tenantID, audit.Event{Action: ActionPasswordResetRequest, Outcome: audit.OutcomeSuccess,
			ActorType: audit.ActorAnonymous, TargetType: "user", TargetID: userID.String()})
	})
	return postgres.Classify(err)
}

// link is an absolute link into the SPA with token in its fragment.
func (a *Authenticator) link(path, token string) string {
	return strings.TrimRight(a.publicURL, "/") + path + "#" + token
}

// recipient is a user as a mail addresses them.
type recipient struct {
	Status, TenantStatus       string
	Email, FirstName, LastName string
	Language                   string
}

// Name is the salutation's name.
func (r *recipient) Name() string { return strings.TrimSpace(r.FirstName + " " + r.LastName) }

func (a *Authenticator) loadRecipient(ctx context.Context, q postgres.DBTX, tenantID, userID uuid.UUID) (*recipient, error) {
	var r recipient
	var emailEnc, firstEnc, lastEnc []byte
	err := q.QueryRow(ctx, `SELECT u.status, t.status, u.email_enc, u.first_name_enc, u.last_name_enc, u.language
		FROM users u JOIN tenants t ON t.id = u.tenant_id WHERE u.tenant_id = $1 AND u.id = $2`, tenantID, userID).
		Scan(&r.Status, &r.TenantStatus, &emailEnc, &firstEnc, &lastEnc, &r.Language)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	c, err := a.keys.Tenant(ctx, q, tenantID)
	if err != nil {
		return nil, err
	}
	if r.Email, err = c.OpenString(ctx, userID, "users.email", emailEnc); err != nil {
		return nil, err
	}
	if r.FirstName, err = c.OpenString(ctx, userID, "users.first_name", firstEnc); err != nil {
		return nil, err
	}
	if r.LastName, err = c.OpenString(ctx, userID, "users.last_name", lastEnc); err != nil {
		return nil, err
	}
	return &r, nil
}

// notifyLocked queues the lock notice to the owner of an account that a
// failed login has just locked, in the transaction that locked it.
func (a *Authenticator) notifyLocked(ctx context.Context, tx pgx.Tx, tenantID, userID uuid.UUID, at time.Time) error {
	rcpt, err := a.loadRecipient(ctx, tx, tenantID, userID)
	if err != nil || rcpt == nil {
		return err
	}
	_, err = a.outbox.Enqueue(ctx, tx, tenantID, outbox.Message{Kind: outbox.Email, To: rcpt.Email,
		Template: "account_locked", Language: rcpt.Language,
		Data: map[string]string{"Name": rcpt.Name(), "LockedAt": outbox.Time(at, rcpt.Language)}})
	return err
}
