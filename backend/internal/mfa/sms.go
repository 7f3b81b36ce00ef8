package mfa

import (
	"cmp"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/zeugo/zeugo/backend/internal/apperr"
	"github.com/zeugo/zeugo/backend/internal/keyring"
	"github.com/zeugo/zeugo/backend/internal/mfa/dbsqlc"
	"github.com/zeugo/zeugo/backend/internal/outbox"
	"github.com/zeugo/zeugo/backend/internal/ratelimit"
)

// SMS codes (ASVS V6.6): six digits from crypto/rand, valid SMSCodeTTL,
// stored as a keyed MAC bound to the factor and to what the code answers
// (a login challenge, a session's step-up, the enrollment), used once, one
// outstanding per factor. Only a number that answered a code becomes a
// factor. Sends are limited per user (SMSPerUser) and, at login, per
// challenge; wrong codes count like every wrong code (challenge and lock).
// SMS is the weakest kind — a number can be ported or its messages read —
// so tenants allow it explicitly (not in the default methods) and the SPA
// offers an app or a passkey beside it.

// SMSCodeTTL is how long an SMS code is good.
const SMSCodeTTL = 5 * time.Minute

// SMSPerUser bounds the codes one user can have sent.
var SMSPerUser = ratelimit.Rule{Name: "sms-user", Limit: 5, Window: 15 * time.Minute}

// DefaultSMSName names an SMS factor the user did not name.
const DefaultSMSName = "SMS"

// ErrNoSMS: a code for a user without an SMS factor.
var ErrNoSMS = apperr.Field(apperr.FailedPrecondition, "", "zeugo.mfa.no_sms", "you have no SMS factor")

const colPhone = "user_factors.phone"

func newSMSCode() string {
	n, err := rand.Int(rand.Reader, big.NewInt(1_000_000))
	if err != nil {
		panic("mfa: crypto/rand failed: " + err.Error())
	}
	return fmt.Sprintf("%06d", n.Int64())
}

func smsMAC(index *keyring.IndexKey, factorID, bind uuid.UUID, code string) []byte {
	return index.Sum("sms-code", factorID.String()+":"+bind.String()+":"+code)
}

// PhoneHint hides all but the country prefix and the last four digits.
func PhoneHint(phone string) string {
	if len(phone) < 8 {
		return "•••"
	}
	return phone[:3] + " ••• " + phone[len(phone)-4:]
}

// sendSMS queues a code to phone in the user's language.
func (f *Factors) sendSMS(ctx context.Context, tx pgx.Tx, tenantID, userID uuid.UUID, phone, code string, expires time.Time) error {
	lang, err := f.q.UserLanguage(ctx, tx, dbsqlc.UserLanguageParams{TenantID: tenantID, ID: userID})
	if err != nil {
		return err
	}
	_, err = f.outbox.Enqueue(ctx, tx, tenantID, outbox.Message{Kind: outbox.SMS, To: phone, Template: "second_factor_code",
		Language: lang, Data: map[string]string{"Code": code, "ExpiresAt": outbox.Time(expires, lang)}})
	return err
}

// SendSMSCode sends a fresh code to the user's (first) SMS factor, bound
// to bind (a login challenge's or a session's id), and returns its expiry
// and the number's hint. It replaces an outstanding code.
func (f *Factors) SendSMSCode(ctx context.Context, tx pgx.Tx, tenantID, userID, bind uuid.UUID, now time.Time) (time.Time, string, error) {
	rows, err := f.q.LockSmsFactors(ctx, tx, dbsqlc.LockSmsFactorsParams{TenantID: tenantID, UserID: userID})
	if err != nil {
		return time.Time{}, "", err
	}
	if len(rows) == 0 {
		return time.Time{}, "", ErrNoSMS
	}
	if err := f.limiter.Allow(ctx, SMSPerUser, userID.String()); err != nil {
		return time.Time{}, "", err
	}
	c, err := f.keys.Tenant(ctx, tx, tenantID)
	if err != nil {
		return time.Time{}, "", err
	}
	r := rows[0]
	phone, err := c.OpenString(ctx, r.ID, colPhone, r.SecretEnc)
	if err != nil {
		return time.Time{}, "", err
	}
	code, expires := newSMSCode(), now.Add(SMSCodeTTL)
	if err := f.q.SetSmsCode(ctx, tx, dbsqlc.SetSmsCodeParams{CodeMac: smsMAC(f.index, r.ID, bind, code), CodeExpiresAt: ts(expires),
		TenantID: tenantID, ID: r.ID}); err != nil {
		return time.Time{}, "", err
	}
	return expires, PhoneHint(phone), f.sendSMS(ctx, tx, tenantID, userID, phone, code, expires)
}

// SMSHint is the hint of the user's SMS factor ("" without one).
func (f *Factors) SMSHint(ctx context.Context, tx pgx.Tx, tenantID, userID uuid.UUID) (string, error) {
	rows, err := f.q.LockSmsFactors(ctx, tx, dbsqlc.LockSmsFactorsParams{TenantID: tenantID, UserID: userID})
	if err != nil || len(rows) == 0 {
		return "", err
	}
	c, err := f.keys.Tenant(ctx, tx, tenantID)
	if err != nil {
		return "", err
	}
	phone, err := c.OpenString(ctx, rows[0].ID, colPhone, rows[0].SecretEnc)
	return PhoneHint(phone), err
}

// verifySMS checks a code against the outstanding codes of the user's SMS
// factors bound to p.Bind and uses it up.
func (f *Factors) verifySMS(ctx context.Context, tx pgx.Tx, tenantID, userID uuid.UUID, p Proof, now time.Time) (Verified, error) {
	rows, err := f.q.LockSmsFactors(ctx, tx, dbsqlc.LockSmsFactorsParams{TenantID: tenantID, UserID: userID})
	if err != nil {
		return Verified{}, err
	}
	for _, r := range rows {
		if r.CodeMac == nil || !r.CodeExpiresAt.Valid || !now.Before(r.CodeExpiresAt.Time) {
			continue
		}
		if hmac.Equal(r.CodeMac, smsMAC(f.index, r.ID, p.Bind, p.SMS)) {
			if err := f.q.UseSmsCode(ctx, tx, dbsqlc.UseSmsCodeParams{Now: now, TenantID: tenantID, ID: r.ID}); err != nil {
				return Verified{}, err
			}
			left, err := f.q.CountRecoveryCodes(ctx, tx, dbsqlc.CountRecoveryCodesParams{TenantID: tenantID, UserID: userID})
			return Verified{Method: MethodSMS, FactorID: r.ID, RecoveryLeft: int(left)}, err
		}
	}
	return Verified{}, WrongCode(p.Field())
}

// SMSEnrollment is a number waiting for its code.
type SMSEnrollment struct {
	ID        uuid.UUID
	ExpiresAt time.Time
}

// StartSMS sends a code to a new number (replacing an unconfirmed
// enrollment); the number becomes a factor only with ConfirmSMS.
func (f *Factors) StartSMS(ctx context.Context, tx pgx.Tx, tenantID, userID uuid.UUID, phone string, now time.Time) (*SMSEnrollment, error) {
	st, err := f.State(ctx, tx, tenantID, userID, true)
	if err != nil {
		return nil, err
	}
	if !st.Allows(MethodSMS) {
		return nil, ErrMethodNotAllowed
	}
	if err := f.limiter.Allow(ctx, SMSPerUser, userID.String()); err != nil {
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
	code, expires := newSMSCode(), now.Add(SMSCodeTTL)
	if err := f.q.InsertPendingSms(ctx, tx, dbsqlc.InsertPendingSmsParams{ID: id, TenantID: tenantID, UserID: userID,
		NameEnc: c.SealString(id, colName, DefaultSMSName), SecretEnc: c.SealString(id, colPhone, phone),
		CodeMac: smsMAC(f.index, id, id, code), CodeExpiresAt: ts(expires), Now: now}); err != nil {
		return nil, err
	}
	if err := f.sendSMS(ctx, tx, tenantID, userID, phone, code, expires); err != nil {
		return nil, err
	}
	return &SMSEnrollment{ID: id, ExpiresAt: expires}, nil
}

// ConfirmSMS stores a number whose code is right as a factor; the first
// factor comes with recovery codes. A wrong code is WrongCode("code").
func (f *Factors) ConfirmSMS(ctx context.Context, tx pgx.Tx, tenantID, userID, id uuid.UUID, code, name string, now time.Time) (*Factor, []string, error) {
	st, err := f.State(ctx, tx, tenantID, userID, true)
	if err != nil {
		return nil, nil, err
	}
	pending, err := f.q.LockPendingSms(ctx, tx, dbsqlc.LockPendingSmsParams{TenantID: tenantID, UserID: userID, ID: id,
		Since: now.Add(-EnrollmentTTL)})
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil, ErrEnrollmentGone
	}
	if err != nil {
		return nil, nil, err
	}
	if !pending.CodeExpiresAt.Valid || !now.Before(pending.CodeExpiresAt.Time) ||
		!hmac.Equal(pending.CodeMac, smsMAC(f.index, id, id, code)) {
		return nil, nil, WrongCode("code")
	}
	c, err := f.keys.Tenant(ctx, tx, tenantID)
	if err != nil {
		return nil, nil, err
	}
	name = cmp.Or(name, DefaultSMSName)
	row, err := f.q.ConfirmFactor(ctx, tx, dbsqlc.ConfirmFactorParams{Now: now, Step: 0, NameEnc: c.SealString(id, colName, name),
		TenantID: tenantID, ID: id})
	if err != nil {
		return nil, nil, err
	}
	if err := f.q.UseSmsCode(ctx, tx, dbsqlc.UseSmsCodeParams{Now: now, TenantID: tenantID, ID: id}); err != nil {
		return nil, nil, err
	}
	var codes []string
	if st.Factors == 0 {
		if codes, err = f.renewRecoveryCodes(ctx, tx, tenantID, userID, now); err != nil {
			return nil, nil, err
		}
	}
	if err := f.notify(ctx, tx, tenantID, userID, changeSMSAdded, now); err != nil {
		return nil, nil, err
	}
	return &Factor{ID: row.ID, Method: MethodSMS, Name: name, CreatedAt: row.CreatedAt, LastUsedAt: timeOf(row.LastUsedAt)}, codes, nil
}
