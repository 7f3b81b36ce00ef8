package mfa

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"sync"
	"time"

	"github.com/go-webauthn/webauthn/protocol"
	"github.com/go-webauthn/webauthn/webauthn"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/zeugo/zeugo/backend/internal/apperr"
	"github.com/zeugo/zeugo/backend/internal/keyring"
	"github.com/zeugo/zeugo/backend/internal/mfa/dbsqlc"
)

// Passkeys and security keys (WebAuthn Level 3, go-webauthn): the relying
// party is the public host (ZEUGO_PUBLIC_URL); the server keeps each
// credential's record sealed with the tenant key and only its id in
// clear. Attestation is not requested (no vendor allow-list); user
// verification is preferred, a second factor after the password does not
// need it. A ceremony's challenge lives CeremonyTTL and is used once.

// CeremonyTTL bounds a WebAuthn ceremony.
const CeremonyTTL = 5 * time.Minute

// DefaultPasskeyName names a passkey the user did not name.
const DefaultPasskeyName = "Passkey"

// Ceremony purposes (webauthn_ceremonies.purpose).
const (
	PurposeRegister = "register"
	PurposeStepUp   = "step_up"
	PurposeLogin    = "login"
)

// RelyingParty is the WebAuthn relying party: the public origin, and in
// development any https://localhost origin (the dev server and the browser
// tests listen on a port chosen at start, which the public URL cannot
// name).
type RelyingParty struct {
	main     *webauthn.WebAuthn
	origin   string
	devLocal bool
	mu       sync.Mutex
	local    map[string]*webauthn.WebAuthn
}

// NewRelyingParty returns the relying party of publicURL (nil: the
// development default https://localhost).
func NewRelyingParty(publicURL *url.URL, development bool) (*RelyingParty, error) {
	origin := "https://localhost"
	if publicURL != nil {
		origin = publicURL.Scheme + "://" + publicURL.Host
	}
	rp := &RelyingParty{origin: origin, devLocal: development, local: map[string]*webauthn.WebAuthn{}}
	var err error
	rp.main, err = rp.instance(origin)
	return rp, err
}

func (rp *RelyingParty) instance(origin string) (*webauthn.WebAuthn, error) {
	u, err := url.Parse(origin)
	if err != nil {
		return nil, err
	}
	return webauthn.New(&webauthn.Config{RPID: u.Hostname(), RPDisplayName: "Zeugo", RPOrigins: []string{origin},
		AuthenticatorSelection: protocol.AuthenticatorSelection{ResidentKey: protocol.ResidentKeyRequirementPreferred,
			UserVerification: protocol.VerificationPreferred},
		AttestationPreference: protocol.PreferNoAttestation})
}

// For returns the instance that checks answers collected at origin (the
// request's Origin header; empty for non-browser clients).
func (rp *RelyingParty) For(origin string) *webauthn.WebAuthn {
	if origin == "" || origin == rp.origin || !rp.devLocal {
		return rp.main
	}
	u, err := url.Parse(origin)
	if err != nil || u.Scheme != "https" || u.Hostname() != "localhost" {
		return rp.main
	}
	rp.mu.Lock()
	defer rp.mu.Unlock()
	if w, ok := rp.local[origin]; ok {
		return w
	}
	w, err := rp.instance(origin)
	if err != nil || len(rp.local) > 64 {
		return rp.main
	}
	rp.local[origin] = w
	return w
}

// waUser is a user as go-webauthn sees one. The handle is the user's id
// (16 random-looking bytes of a UUIDv7; not personal data), the names
// what the authenticator shows when choosing a passkey.
type waUser struct {
	id    uuid.UUID
	name  string
	creds []webauthn.Credential
	// factorIDs are the factor rows of creds, index by index.
	factorIDs []uuid.UUID
}

func (u *waUser) WebAuthnID() []byte                         { return u.id[:] }
func (u *waUser) WebAuthnName() string                       { return u.name }
func (u *waUser) WebAuthnDisplayName() string                { return u.name }
func (u *waUser) WebAuthnCredentials() []webauthn.Credential { return u.creds }

const colCeremony = "webauthn_ceremonies.data_enc"

// loadPasskeys reads a user's credentials.
func (f *Factors) loadPasskeys(ctx context.Context, tx pgx.Tx, c *keyring.TenantCipher, tenantID, userID uuid.UUID, name string) (*waUser, error) {
	rows, err := f.q.ListPasskeys(ctx, tx, dbsqlc.ListPasskeysParams{TenantID: tenantID, UserID: userID})
	if err != nil {
		return nil, err
	}
	u := &waUser{id: userID, name: name}
	for _, r := range rows {
		raw, err := c.Open(ctx, r.ID, colSecret, r.SecretEnc)
		if err != nil {
			return nil, err
		}
		var cred webauthn.Credential
		if err := json.Unmarshal(raw, &cred); err != nil {
			return nil, err
		}
		u.creds = append(u.creds, cred)
		u.factorIDs = append(u.factorIDs, r.ID)
	}
	return u, nil
}

// saveCeremony stores a ceremony's session data, sealed.
func (f *Factors) saveCeremony(ctx context.Context, tx pgx.Tx, c *keyring.TenantCipher, tenantID, userID uuid.UUID, purpose string,
	sessionID, challengeID uuid.UUID, data *webauthn.SessionData, now time.Time) (uuid.UUID, error) {
	id, err := uuid.NewV7()
	if err != nil {
		return uuid.Nil, err
	}
	raw, err := json.Marshal(data)
	if err != nil {
		return uuid.Nil, err
	}
	err = f.q.InsertCeremony(ctx, tx, dbsqlc.InsertCeremonyParams{ID: id, TenantID: tenantID, UserID: userID, Purpose: purpose,
		SessionID: optUUID(sessionID), ChallengeID: optUUID(challengeID), DataEnc: c.Seal(id, colCeremony, raw),
		ExpiresAt: now.Add(CeremonyTTL)})
	return id, err
}

// takeCeremony uses up a live ceremony of the user for purpose; nil when
// there is none (unknown, used, lapsed, another user's or purpose's).
func (f *Factors) takeCeremony(ctx context.Context, tx pgx.Tx, c *keyring.TenantCipher, tenantID, userID, id uuid.UUID, purpose string,
	now time.Time) (*dbsqlc.UseCeremonyRow, *webauthn.SessionData, error) {
	row, err := f.q.UseCeremony(ctx, tx, dbsqlc.UseCeremonyParams{Now: now, TenantID: tenantID, ID: id, UserID: userID, Purpose: purpose})
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	raw, err := c.Open(ctx, id, colCeremony, row.DataEnc)
	if err != nil {
		return nil, nil, err
	}
	var data webauthn.SessionData
	if err := json.Unmarshal(raw, &data); err != nil {
		return nil, nil, err
	}
	return row, &data, nil
}

// BeginRegistration starts adding a passkey or security key for a user
// (bound to sessionID, or to a login challenge when sessionID is nil) and
// returns the ceremony and the creation options as JSON. Credentials the
// user has are excluded (an authenticator is registered once).
func (f *Factors) BeginRegistration(ctx context.Context, tx pgx.Tx, rp *webauthn.WebAuthn, tenantID, userID, sessionID, challengeID uuid.UUID,
	name string, now time.Time) (uuid.UUID, string, error) {
	st, err := f.State(ctx, tx, tenantID, userID, true)
	if err != nil {
		return uuid.Nil, "", err
	}
	if !st.Allows(MethodWebAuthn) {
		return uuid.Nil, "", ErrMethodNotAllowed
	}
	c, err := f.keys.Tenant(ctx, tx, tenantID)
	if err != nil {
		return uuid.Nil, "", err
	}
	u, err := f.loadPasskeys(ctx, tx, c, tenantID, userID, name)
	if err != nil {
		return uuid.Nil, "", err
	}
	exclude := make([]protocol.CredentialDescriptor, len(u.creds))
	for i := range u.creds {
		exclude[i] = u.creds[i].Descriptor()
	}
	creation, data, err := rp.BeginRegistration(u, webauthn.WithExclusions(exclude))
	if err != nil {
		return uuid.Nil, "", err
	}
	id, err := f.saveCeremony(ctx, tx, c, tenantID, userID, PurposeRegister, sessionID, challengeID, data, now)
	if err != nil {
		return uuid.Nil, "", err
	}
	opts, err := json.Marshal(creation.Response)
	return id, string(opts), err
}

// errRegistration is the answer to an attestation that does not verify.
func errRegistration(field string) error {
	return apperr.Field(apperr.InvalidArgument, field, "zeugo.mfa.webauthn_failed",
		"the security key's answer could not be verified; try again")
}

// FinishRegistration verifies the authenticator's answer to a ceremony of
// BeginRegistration (bound to sessionID or challengeID) and stores the
// credential. The user's first factor comes with recovery codes.
func (f *Factors) FinishRegistration(ctx context.Context, tx pgx.Tx, rp *webauthn.WebAuthn, tenantID, userID, ceremonyID, sessionID, challengeID uuid.UUID,
	credentialJSON, name, field string, now time.Time) (*Factor, []string, error) {
	st, err := f.State(ctx, tx, tenantID, userID, true)
	if err != nil {
		return nil, nil, err
	}
	c, err := f.keys.Tenant(ctx, tx, tenantID)
	if err != nil {
		return nil, nil, err
	}
	row, data, err := f.takeCeremony(ctx, tx, c, tenantID, userID, ceremonyID, PurposeRegister, now)
	if err != nil {
		return nil, nil, err
	}
	if row == nil || !sameOpt(row.SessionID, sessionID) || !sameOpt(row.ChallengeID, challengeID) {
		return nil, nil, ErrEnrollmentGone
	}
	u, err := f.loadPasskeys(ctx, tx, c, tenantID, userID, "")
	if err != nil {
		return nil, nil, err
	}
	parsed, err := protocol.ParseCredentialCreationResponseBytes([]byte(credentialJSON))
	if err != nil {
		return nil, nil, errRegistration(field)
	}
	cred, err := rp.CreateCredential(u, *data, parsed)
	if err != nil {
		return nil, nil, errRegistration(field)
	}
	taken, err := f.q.CredentialTaken(ctx, tx, dbsqlc.CredentialTakenParams{TenantID: tenantID, CredentialID: cred.ID})
	if err != nil {
		return nil, nil, err
	}
	if taken {
		return nil, nil, apperr.Field(apperr.AlreadyExists, field, "zeugo.mfa.webauthn_registered",
			"this security key is already registered")
	}
	id, err := uuid.NewV7()
	if err != nil {
		return nil, nil, err
	}
	raw, err := json.Marshal(cred)
	if err != nil {
		return nil, nil, err
	}
	name = cmp.Or(name, DefaultPasskeyName)
	r, err := f.q.InsertPasskey(ctx, tx, dbsqlc.InsertPasskeyParams{ID: id, TenantID: tenantID, UserID: userID,
		NameEnc: c.SealString(id, colName, name), SecretEnc: c.Seal(id, colSecret, raw), CredentialID: cred.ID, Now: now})
	if err != nil {
		return nil, nil, err
	}
	var codes []string
	if st.Factors == 0 {
		if codes, err = f.renewRecoveryCodes(ctx, tx, tenantID, userID, now); err != nil {
			return nil, nil, err
		}
	}
	if err := f.notify(ctx, tx, tenantID, userID, changePasskeyAdded, now); err != nil {
		return nil, nil, err
	}
	return &Factor{ID: r.ID, Method: MethodWebAuthn, Name: name, CreatedAt: r.CreatedAt, LastUsedAt: timeOf(r.LastUsedAt)}, codes, nil
}

// BeginAssertion starts a passkey check of a user who has passkeys, for a
// step-up (bound to sessionID) or a login (bound to challengeID), and
// returns the ceremony and the request options as JSON. A user without
// passkeys gets uuid.Nil and "".
func (f *Factors) BeginAssertion(ctx context.Context, tx pgx.Tx, rp *webauthn.WebAuthn, tenantID, userID uuid.UUID, purpose string,
	sessionID, challengeID uuid.UUID, now time.Time) (uuid.UUID, string, error) {
	c, err := f.keys.Tenant(ctx, tx, tenantID)
	if err != nil {
		return uuid.Nil, "", err
	}
	u, err := f.loadPasskeys(ctx, tx, c, tenantID, userID, "")
	if err != nil || len(u.creds) == 0 {
		return uuid.Nil, "", err
	}
	assertion, data, err := rp.BeginLogin(u)
	if err != nil {
		return uuid.Nil, "", err
	}
	id, err := f.saveCeremony(ctx, tx, c, tenantID, userID, purpose, sessionID, challengeID, data, now)
	if err != nil {
		return uuid.Nil, "", err
	}
	opts, err := json.Marshal(assertion.Response)
	return id, string(opts), err
}

// LoginCeremony is the open ceremony of a login challenge for purpose
// (PurposeLogin or PurposeRegister); uuid.Nil when there is none.
func (f *Factors) LoginCeremony(ctx context.Context, tx pgx.Tx, tenantID, challengeID uuid.UUID, purpose string) (uuid.UUID, error) {
	id, err := f.q.LoginCeremony(ctx, tx, dbsqlc.LoginCeremonyParams{TenantID: tenantID, ChallengeID: optUUID(challengeID),
		Purpose: purpose})
	if errors.Is(err, pgx.ErrNoRows) {
		return uuid.Nil, nil
	}
	return id, err
}

// verifyPasskey checks an assertion against the ceremony p.Ceremony (of
// either purpose) and the user's credentials, and stores the credential's
// new sign count. Any failure — unknown or used ceremony, a credential of
// another user, another relying party's or origin's answer, a bad
// signature, a sign count that went backwards (a cloned key) — is
// WrongCode on the proof's field.
func (f *Factors) verifyPasskey(ctx context.Context, tx pgx.Tx, tenantID, userID uuid.UUID, p Proof, now time.Time) (Verified, error) {
	wrong := WrongCode(p.Field())
	c, err := f.keys.Tenant(ctx, tx, tenantID)
	if err != nil {
		return Verified{}, err
	}
	var data *webauthn.SessionData
	for _, purpose := range []string{PurposeLogin, PurposeStepUp} {
		row, d, err := f.takeCeremony(ctx, tx, c, tenantID, userID, p.Ceremony, purpose, now)
		if err != nil {
			return Verified{}, err
		}
		if row != nil {
			data = d
			break
		}
	}
	if data == nil || p.RP == nil {
		return Verified{}, wrong
	}
	parsed, err := protocol.ParseCredentialRequestResponseBytes([]byte(p.WebAuthn))
	if err != nil {
		return Verified{}, wrong
	}
	id, ok, err := f.checkAssertion(ctx, tx, c, p.RP, tenantID, userID, data, parsed, false, now)
	if err != nil || !ok {
		return Verified{}, cmp.Or(err, wrong)
	}
	left, err := f.q.CountRecoveryCodes(ctx, tx, dbsqlc.CountRecoveryCodesParams{TenantID: tenantID, UserID: userID})
	return Verified{Method: MethodWebAuthn, FactorID: id, RecoveryLeft: int(left)}, err
}

// checkAssertion validates an assertion of one of the user's credentials
// against a ceremony's data — discoverable for a passwordless sign-in,
// where the answer's user handle must name the user — and stores the
// credential's new sign count. ok is false for any answer that does not
// verify or comes from a cloned key.
func (f *Factors) checkAssertion(ctx context.Context, tx pgx.Tx, c *keyring.TenantCipher, rp *webauthn.WebAuthn, tenantID, userID uuid.UUID,
	data *webauthn.SessionData, parsed *protocol.ParsedCredentialAssertionData, discoverable bool, now time.Time) (uuid.UUID, bool, error) {
	u, err := f.loadPasskeys(ctx, tx, c, tenantID, userID, "")
	if err != nil {
		return uuid.Nil, false, err
	}
	var cred *webauthn.Credential
	if discoverable {
		cred, err = rp.ValidateDiscoverableLogin(func(_, handle []byte) (webauthn.User, error) {
			if string(handle) != string(u.WebAuthnID()) {
				return nil, errors.New("another user's passkey")
			}
			return u, nil
		}, *data, parsed)
	} else {
		cred, err = rp.ValidateLogin(u, *data, parsed)
	}
	if err != nil || cred.Authenticator.CloneWarning {
		return uuid.Nil, false, nil
	}
	for i := range u.creds {
		if string(u.creds[i].ID) != string(cred.ID) {
			continue
		}
		raw, err := json.Marshal(cred)
		if err != nil {
			return uuid.Nil, false, err
		}
		id := u.factorIDs[i]
		err = f.q.UpdatePasskey(ctx, tx, dbsqlc.UpdatePasskeyParams{SecretEnc: c.Seal(id, colSecret, raw), Now: now,
			TenantID: tenantID, ID: id})
		return id, err == nil, err
	}
	return uuid.Nil, false, nil
}

// PasswordlessData is a passwordless sign-in's ceremony, kept outside any
// tenant until the answer names one.
type PasswordlessData = webauthn.SessionData

// BeginPasswordless starts a passwordless sign-in: discoverable request
// options that require user verification.
func (rp *RelyingParty) BeginPasswordless() (string, *PasswordlessData, error) {
	assertion, data, err := rp.main.BeginDiscoverableLogin(webauthn.WithUserVerification(protocol.VerificationRequired))
	if err != nil {
		return "", nil, err
	}
	opts, err := json.Marshal(assertion.Response)
	return string(opts), data, err
}

// CredentialOf reads the credential id an answer names (before any
// tenant is known); nil when the answer cannot be parsed.
func CredentialOf(assertionJSON string) *protocol.ParsedCredentialAssertionData {
	parsed, err := protocol.ParseCredentialRequestResponseBytes([]byte(assertionJSON))
	if err != nil {
		return nil
	}
	return parsed
}

// VerifyPasswordless checks a passwordless answer of the user in their
// tenant's transaction; the passkey counts as both factors only with user
// verification (the ceremony requires it).
func (f *Factors) VerifyPasswordless(ctx context.Context, tx pgx.Tx, rp *webauthn.WebAuthn, tenantID, userID uuid.UUID,
	data *PasswordlessData, parsed *protocol.ParsedCredentialAssertionData, now time.Time) (bool, error) {
	c, err := f.keys.Tenant(ctx, tx, tenantID)
	if err != nil {
		return false, err
	}
	_, ok, err := f.checkAssertion(ctx, tx, c, rp, tenantID, userID, data, parsed, true, now)
	return ok, err
}

func optUUID(id uuid.UUID) pgtype.UUID {
	return pgtype.UUID{Bytes: id, Valid: id != uuid.Nil}
}

func sameOpt(stored pgtype.UUID, want uuid.UUID) bool {
	if want == uuid.Nil {
		return !stored.Valid
	}
	return stored.Valid && uuid.UUID(stored.Bytes) == want
}
