package sso

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"golang.org/x/oauth2"
	"google.golang.org/protobuf/proto"

	"github.com/zeugo/zeugo/backend/internal/apperr"
	"github.com/zeugo/zeugo/backend/internal/audit"
	"github.com/zeugo/zeugo/backend/internal/auth"
	"github.com/zeugo/zeugo/backend/internal/keyring"
	"github.com/zeugo/zeugo/backend/internal/postgres"
	"github.com/zeugo/zeugo/backend/internal/ratelimit"
	"github.com/zeugo/zeugo/backend/internal/requestinfo"
	"github.com/zeugo/zeugo/backend/internal/secretlink"
	"github.com/zeugo/zeugo/backend/internal/sso/dbsqlc"
)

// FlowCookie binds a started login to the browser that started it. It is
// SameSite=Lax, not Strict: the identity provider's redirect back is a
// cross-site top-level navigation, on which a Strict cookie is not sent.
const FlowCookie = "__Host-zeugo_sso"

const colVerifier = "sso_logins.verifier"

// ErrNotAvailable answers a start for a domain or slug without single
// sign-on — unknown, switched off or of a tenant that cannot sign in alike.
var ErrNotAvailable = apperr.New(apperr.NotFound, "single sign-on is not available for this address")

// Started is a started login: where the browser goes and the cookie that
// binds the flow to it.
type Started struct {
	AuthorizationURL string
	Cookie           *http.Cookie
}

// Start begins a login for the tenant whose SSO serves email's domain (or
// the tenant slug): it stores state, nonce and PKCE verifier and returns
// the identity provider's authorization URL. origin is the request's
// origin (used only when no public URL is configured).
func (s *Service) Start(ctx context.Context, email, slug, origin string) (*Started, error) {
	info := requestinfo.From(ctx)
	if err := s.limiter.Allow(ctx, s.rules.StartPerIP, ratelimit.ClientKey(info.IP)); err != nil {
		return nil, err
	}
	var domain string
	if email != "" {
		at := strings.LastIndexByte(email, '@')
		if at < 1 || at == len(email)-1 {
			return nil, ErrNotAvailable
		}
		domain = strings.ToLower(strings.TrimSpace(email[at+1:]))
	}
	tenantID, err := s.q.FindTenant(ctx, s.db.Pool, dbsqlc.FindTenantParams{Domain: domain, Slug: slug})
	if err != nil {
		return nil, postgres.Classify(err)
	}
	if tenantID == uuid.Nil {
		return nil, ErrNotAvailable
	}
	cfg, err := s.config(ctx, tenantID)
	if err != nil {
		return nil, err
	}
	if cfg == nil || cfg.mode == ModeOff {
		return nil, ErrNotAvailable
	}
	p, err := s.provider(ctx, cfg.issuer)
	if err != nil {
		s.log.Warn().Str("event", "sso_discovery_failed").Str("tenant_id", tenantID.String()).
			Str("reason", discoveryReason(err)).Str("request_id", info.RequestID).Msg("identity provider discovery failed")
		return nil, apperr.New(apperr.Unavailable, "the identity provider cannot be reached; try again later")
	}
	state, stateHash := secretlink.New(tenantID)
	nonce, browser := randomToken(), randomToken()
	verifier := oauth2.GenerateVerifier()
	id := uuid.Must(uuid.NewV7())
	now := s.now()
	err = s.db.TenantTx(ctx, tenantID, func(tx pgx.Tx) error {
		c, err := s.keys.Tenant(ctx, tx, tenantID)
		if err != nil {
			return err
		}
		return s.q.InsertLogin(ctx, tx, dbsqlc.InsertLoginParams{TenantID: tenantID, ID: id, StateHash: stateHash,
			BrowserHash: sum(browser), NonceHash: sum(nonce), VerifierEnc: c.SealString(id, colVerifier, verifier),
			Issuer: cfg.issuer, Now: now, ExpiresAt: now.Add(LoginTTL)})
	})
	if err != nil {
		return nil, postgres.Classify(err)
	}
	opts := []oauth2.AuthCodeOption{oidc.Nonce(nonce), oauth2.S256ChallengeOption(verifier)}
	if email != "" {
		opts = append(opts, oauth2.SetAuthURLParam("login_hint", email))
	}
	u := s.oauth(p, cfg, origin).AuthCodeURL(state, opts...)
	cookie := &http.Cookie{Name: FlowCookie, Value: browser, Path: "/", Secure: true, HttpOnly: true,
		SameSite: http.SameSiteLaxMode, MaxAge: int(LoginTTL.Seconds())}
	return &Started{AuthorizationURL: u, Cookie: cookie}, nil
}

// tenantConfig is what the flow needs of a tenant's configuration.
type tenantConfig struct {
	issuer, clientID, secret, mode string
	domains                        []string
	jitRole                        uuid.UUID // uuid.Nil: no provisioning
}

// config loads and opens a tenant's configuration; nil when none.
func (s *Service) config(ctx context.Context, tenantID uuid.UUID) (*tenantConfig, error) {
	var out *tenantConfig
	err := s.db.TenantTx(ctx, tenantID, func(tx pgx.Tx) error {
		r, err := s.q.GetConfig(ctx, tx, tenantID)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		out = &tenantConfig{issuer: r.Issuer, clientID: r.ClientID, mode: r.Mode}
		if r.JitEnabled && r.JitRoleID.Valid {
			out.jitRole = r.JitRoleID.Bytes
		}
		if len(r.ClientSecretEnc) > 0 {
			c, err := s.keys.Tenant(ctx, tx, tenantID)
			if err != nil {
				return err
			}
			if out.secret, err = c.OpenString(ctx, tenantID, colSecret, r.ClientSecretEnc); err != nil {
				return err
			}
		}
		out.domains, err = s.q.ListDomains(ctx, tx, tenantID)
		return err
	})
	if err != nil {
		return nil, postgres.Classify(err)
	}
	return out, nil
}

func (s *Service) oauth(p *oidc.Provider, cfg *tenantConfig, origin string) *oauth2.Config {
	return &oauth2.Config{ClientID: cfg.clientID, ClientSecret: cfg.secret, Endpoint: endpoint(p),
		RedirectURL: s.redirectURI(origin), Scopes: []string{oidc.ScopeOpenID, "email", "profile"}}
}

// endpoint is the provider's endpoints with the client authentication the
// provider names: client_secret_post when it offers it, else
// client_secret_basic (the default of OpenID Connect Discovery). Naming it
// spares x/oauth2's guessing, which would send the secret twice to a
// provider that refuses the first way.
func endpoint(p *oidc.Provider) oauth2.Endpoint {
	ep := p.Endpoint()
	var meta struct {
		Methods []string `json:"token_endpoint_auth_methods_supported"`
	}
	ep.AuthStyle = oauth2.AuthStyleInHeader
	if err := p.Claims(&meta); err == nil && slices.Contains(meta.Methods, "client_secret_post") {
		ep.AuthStyle = oauth2.AuthStyleInParams
	}
	return ep
}

func randomToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func sum(s string) []byte {
	h := sha256.Sum256([]byte(s))
	return h[:]
}

// refusal is a callback that does not sign anyone in: reason goes into the
// audit record and the log, code (generic) into the login page's fragment.
type refusal struct {
	reason string
	code   string
	userID uuid.UUID
}

func (r *refusal) Error() string { return "sso refused: " + r.reason }

func refuse(reason string) *refusal { return &refusal{reason: reason, code: codeFailed} }

// Generic error codes the login page shows (fragment sso_error=…).
const (
	// codeFailed: the sign-in did not work; try again.
	codeFailed = "sso_failed"
	// codeNoAccount: no active account for the identity (the page says to
	// ask the administrator; it is the same whether the address exists in
	// another tenant or nowhere).
	codeNoAccount = "sso_no_account"
	// codeUnavailable: the identity provider could not be reached.
	codeUnavailable = "sso_unavailable"
)

// Callback is the identity provider's redirect back (GET CallbackPath).
func (s *Service) Callback(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	// The flow cookie is spent either way.
	http.SetCookie(w, &http.Cookie{Name: FlowCookie, Value: "", Path: "/", Secure: true, HttpOnly: true,
		SameSite: http.SameSiteLaxMode, MaxAge: -1})
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	target, err := s.callback(ctx, w, r)
	if err != nil {
		target = "/login#sso_error=" + s.refused(ctx, err)
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// callback runs the checks and the login; it returns where the browser
// goes on success.
func (s *Service) callback(ctx context.Context, w http.ResponseWriter, r *http.Request) (string, error) {
	info := requestinfo.From(ctx)
	if err := s.limiter.Allow(ctx, s.rules.CallbackPerIP, ratelimit.ClientKey(info.IP)); err != nil {
		return "", &refusal{reason: "rate_limited", code: codeFailed}
	}
	q := r.URL.Query()
	tenantID, stateHash, ok := secretlink.Parse(q.Get("state"))
	if !ok {
		return "", &tenantRefusal{refusal: refuse("state_malformed")}
	}
	// The state is claimed first and for good: a second callback with it
	// (a replay, a double click) finds nothing.
	var login *dbsqlc.ClaimLoginRow
	err := s.db.TenantTx(ctx, tenantID, func(tx pgx.Tx) error {
		var err error
		login, err = s.q.ClaimLogin(ctx, tx, dbsqlc.ClaimLoginParams{Now: s.now(), TenantID: tenantID, StateHash: stateHash})
		if errors.Is(err, pgx.ErrNoRows) {
			login = nil
			return nil
		}
		return err
	})
	if err != nil {
		return "", &tenantRefusal{refusal: &refusal{reason: "database", code: codeUnavailable}}
	}
	if login == nil {
		// Unknown or used state: the tenant id in it is not trusted, so
		// this refusal is logged, not audited in a tenant.
		return "", &tenantRefusal{refusal: refuse("state_unknown_or_used")}
	}
	fail := func(f *refusal) (string, error) { return "", &tenantRefusal{refusal: f, tenantID: tenantID} }
	if !s.now().Before(login.ExpiresAt) {
		return fail(refuse("state_expired"))
	}
	c, err := r.Cookie(FlowCookie)
	if err != nil || subtle.ConstantTimeCompare(sum(c.Value), login.BrowserHash) != 1 {
		return fail(refuse("browser_mismatch"))
	}
	// RFC 9207: a provider that names itself in the response must be the
	// one the login started with (mix-up defence).
	if iss := q.Get("iss"); iss != "" && iss != login.Issuer {
		return fail(refuse("issuer_mismatch_response"))
	}
	if e := q.Get("error"); e != "" {
		f := refuse("idp_error")
		f.reason += ":" + sanitize(e)
		return fail(f)
	}
	code := q.Get("code")
	if code == "" {
		return fail(refuse("code_missing"))
	}
	cfg, err := s.config(ctx, tenantID)
	if err != nil {
		return fail(&refusal{reason: "database", code: codeUnavailable})
	}
	if cfg == nil || cfg.mode == ModeOff {
		return fail(refuse("sso_off"))
	}
	if cfg.issuer != login.Issuer {
		// The tenant changed its provider since the start: the code
		// belongs to the old one and is not sent to the new one.
		return fail(refuse("issuer_changed"))
	}
	p, err := s.provider(ctx, cfg.issuer)
	if err != nil {
		return fail(&refusal{reason: "discovery_" + discoveryReason(err), code: codeUnavailable})
	}
	var verifier string
	err = s.db.TenantTx(ctx, tenantID, func(tx pgx.Tx) error {
		k, err := s.keys.Tenant(ctx, tx, tenantID)
		if err != nil {
			return err
		}
		verifier, err = k.OpenString(ctx, login.ID, colVerifier, login.VerifierEnc)
		return err
	})
	if err != nil {
		return fail(&refusal{reason: "database", code: codeUnavailable})
	}
	tok, err := s.oauth(p, cfg, origin(r)).Exchange(s.client.ctx(ctx), code, oauth2.VerifierOption(verifier))
	if err != nil {
		// An expired, used or foreign code, a wrong verifier or secret.
		f := refuse("code_exchange_failed")
		var re *oauth2.RetrieveError
		if errors.As(err, &re) && re.ErrorCode != "" {
			f.reason += ":" + sanitize(re.ErrorCode)
		}
		return fail(f)
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return fail(refuse("id_token_missing"))
	}
	idt, err := p.VerifierContext(s.client.ctx(ctx), &oidc.Config{ClientID: cfg.clientID, Now: s.now}).Verify(s.client.ctx(ctx), raw)
	if err != nil {
		var exp *oidc.TokenExpiredError
		switch {
		case errors.As(err, &exp):
			return fail(refuse("id_token_expired"))
		case strings.Contains(err.Error(), "issued by a different provider"):
			return fail(refuse("issuer_mismatch"))
		case strings.Contains(err.Error(), "audience"):
			return fail(refuse("audience_mismatch"))
		default:
			return fail(refuse("id_token_invalid"))
		}
	}
	if subtle.ConstantTimeCompare(sum(idt.Nonce), login.NonceHash) != 1 {
		return fail(refuse("nonce_mismatch"))
	}
	var cl claims
	if err := idt.Claims(&cl); err != nil {
		return fail(refuse("claims_invalid"))
	}
	email, reason := cl.verifiedEmail(cfg.issuer)
	if reason != "" {
		return fail(refuse(reason))
	}
	domain := email[strings.LastIndexByte(email, '@')+1:]
	// A tenant that routes domains signs in addresses of those domains only
	// (its identity provider may know other people, e.g. guests).
	if len(cfg.domains) > 0 && !slices.Contains(cfg.domains, domain) {
		return fail(&refusal{reason: "domain_not_routed", code: codeNoAccount})
	}
	if idt.Subject == "" {
		return fail(refuse("subject_missing"))
	}
	userID, f := s.matchUser(ctx, tenantID, cfg, email, s.index.Sum("zeugo sso subject", cfg.issuer+"\n"+idt.Subject), &cl)
	if f != nil {
		return fail(f)
	}
	sess, err := s.auth.ExternalLogin(ctx, tenantID, userID, auth.MethodSSO, cl.factorProven())
	if err != nil {
		return fail(&refusal{reason: "login_refused:" + apperr.CodeOf(err).String(), code: codeFailed, userID: userID})
	}
	if sess.Challenge != nil {
		// The SPA's login page continues with Zeugo's second step, with the
		// challenge exactly as Login answers it (token, methods, passkey
		// options), as protobuf in base64url. It travels in the fragment:
		// never sent to a server, not in logs or Referer headers.
		b, err := proto.Marshal(auth.ChallengeToProto(sess.Challenge))
		if err != nil {
			return fail(refuse("internal"))
		}
		return "/login#sso_challenge=" + base64.RawURLEncoding.EncodeToString(b), nil
	}
	auth.FinishExternal(ctx, s.auth, r.Header, w.Header(), sess)
	return "/", nil
}

// tenantRefusal is a refusal with the tenant it can be audited in
// (uuid.Nil when the state named no trustworthy tenant).
type tenantRefusal struct {
	*refusal
	tenantID uuid.UUID
}

// refused records a refusal (audit record in the tenant when known, log
// line always) and returns the code for the login page.
func (s *Service) refused(ctx context.Context, err error) string {
	info := requestinfo.From(ctx)
	var tr *tenantRefusal
	if !errors.As(err, &tr) {
		tr = &tenantRefusal{refusal: refuse("internal")}
	}
	ev := s.log.Info().Str("event", "sso_refused").Str("reason", tr.reason).Str("request_id", info.RequestID).
		Str("client_net", info.ClientNetwork())
	if tr.tenantID != uuid.Nil {
		ev = ev.Str("tenant_id", tr.tenantID.String())
		target, targetID := "sso", tr.tenantID.String()
		if tr.userID != uuid.Nil {
			target, targetID = "user", tr.userID.String()
		}
		aerr := s.db.TenantTx(context.WithoutCancel(ctx), tr.tenantID, func(tx pgx.Tx) error {
			return s.audit.Write(ctx, tx, tr.tenantID, audit.Event{Action: ActionLoginRefused, Outcome: audit.OutcomeFailure,
				ActorType: audit.ActorAnonymous, TargetType: target, TargetID: targetID,
				Details: map[string]string{"reason": tr.reason}})
		})
		if aerr != nil {
			s.log.Error().Str("event", "sso_refusal_audit_failed").Str("error_code", apperr.CodeOf(postgres.Classify(aerr)).String()).
				Str("request_id", info.RequestID).Msg("the refused single sign-on could not be audited")
		}
	}
	ev.Msg("single sign-on refused")
	return tr.code
}

// sanitize keeps an identity provider's error code printable and short
// (it goes into the audit record, never into the page).
func sanitize(s string) string {
	out := make([]byte, 0, 40)
	for i := 0; i < len(s) && len(out) < 40; i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' {
			out = append(out, c)
		}
	}
	return string(out)
}

// claims are the id token's claims the flow reads.
type claims struct {
	Email         string `json:"email"`
	EmailVerified any    `json:"email_verified"`
	// Entra ID: the optional claim "email domain owner verified".
	EDOV       any      `json:"xms_edov"`
	TID        string   `json:"tid"`
	AMR        []string `json:"amr"`
	GivenName  string   `json:"given_name"`
	FamilyName string   `json:"family_name"`
	Name       string   `json:"name"`
}

func truthy(v any) bool {
	switch t := v.(type) {
	case bool:
		return t
	case string:
		return strings.EqualFold(t, "true") || t == "1"
	case float64:
		return t == 1
	}
	return false
}

// verifiedEmail is the normalised email the identity provider vouches for,
// or the reason it does not: email_verified must be true — for an Entra ID
// issuer, which omits email_verified, the optional claim xms_edov (the
// email's domain is verified by the Entra tenant that owns it) counts
// instead, and the token's tid must be the issuer's tenant
// (docs/operations.md).
func (c *claims) verifiedEmail(issuer string) (string, string) {
	email := keyring.NormalizeEmail(c.Email)
	at := strings.LastIndexByte(email, '@')
	if at < 1 || at == len(email)-1 {
		return "", "email_missing"
	}
	if u, err := url.Parse(issuer); err == nil && strings.EqualFold(u.Hostname(), entraHost) {
		tenant := strings.Split(strings.Trim(u.Path, "/"), "/")[0]
		if !strings.EqualFold(c.TID, tenant) {
			return "", "entra_tenant_mismatch"
		}
		if truthy(c.EmailVerified) || truthy(c.EDOV) {
			return email, ""
		}
		return "", "email_unverified"
	}
	if !truthy(c.EmailVerified) {
		return "", "email_unverified"
	}
	return email, ""
}

// factorProven: the identity provider says it used more than one factor
// (RFC 8176 "mfa"), which then counts as Zeugo's second step.
func (c *claims) factorProven() bool { return slices.Contains(c.AMR, "mfa") }

// matchUser finds the tenant's active user with the email, or provisions
// one when the tenant allows it, and checks — or, the first time, records
// — the provider's subject the user is bound to (subject is its MAC).
func (s *Service) matchUser(ctx context.Context, tenantID uuid.UUID, cfg *tenantConfig, email string, subject []byte, cl *claims) (uuid.UUID, *refusal) {
	idx := s.index.Email(email)
	var userID uuid.UUID
	var f *refusal
	err := s.db.TenantTx(ctx, tenantID, func(tx pgx.Tx) error {
		bound, err := s.q.UserOfSubject(ctx, tx, dbsqlc.UserOfSubjectParams{TenantID: tenantID, Issuer: cfg.issuer, SubjectMac: subject})
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		boundTo := uuid.Nil
		if err == nil {
			boundTo = bound
		}
		u, err := s.q.FindUser(ctx, tx, dbsqlc.FindUserParams{TenantID: tenantID, EmailIndex: idx})
		switch {
		case errors.Is(err, pgx.ErrNoRows):
		case err != nil:
			return err
		case u.Status != "active" || (u.TenantStatus != "active" && u.TenantStatus != "terminated"):
			f = &refusal{reason: "user_" + u.Status, code: codeNoAccount, userID: u.ID}
			return nil
		default:
			userID = u.ID
			f, err = s.checkSubject(ctx, tx, tenantID, u.ID, cfg.issuer, subject, boundTo)
			return err
		}
		if cfg.jitRole == uuid.Nil {
			f = &refusal{reason: "unknown_user", code: codeNoAccount}
			return nil
		}
		if boundTo != uuid.Nil {
			// The person signed in before under another address: no second
			// account for them.
			f = &refusal{reason: "subject_bound_to_other_user", code: codeNoAccount, userID: boundTo}
			return nil
		}
		userID = uuid.Must(uuid.NewV7())
		if err := s.provision(ctx, tx, tenantID, userID, cfg.jitRole, email, idx, cl); err != nil {
			return err
		}
		return s.q.BindSubject(ctx, tx, dbsqlc.BindSubjectParams{TenantID: tenantID, UserID: userID, Issuer: cfg.issuer,
			SubjectMac: subject, Now: s.now()})
	})
	if err != nil {
		if _, ok := postgres.UniqueViolation(err); ok { // provisioned or bound by a parallel callback
			return s.matchUser(ctx, tenantID, &tenantConfig{issuer: cfg.issuer}, email, subject, cl)
		}
		return uuid.Nil, &refusal{reason: "database", code: codeUnavailable}
	}
	if f != nil {
		userID = uuid.Nil
	}
	return userID, f
}

// checkSubject: a user is bound to the first subject they signed in with
// at an issuer; another subject with their email, or their subject under
// another user's email, is refused.
func (s *Service) checkSubject(ctx context.Context, tx pgx.Tx, tenantID, userID uuid.UUID, issuer string, subject []byte, boundTo uuid.UUID) (*refusal, error) {
	if boundTo != uuid.Nil && boundTo != userID {
		return &refusal{reason: "subject_bound_to_other_user", code: codeNoAccount, userID: userID}, nil
	}
	mac, err := s.q.SubjectOf(ctx, tx, dbsqlc.SubjectOfParams{TenantID: tenantID, UserID: userID, Issuer: issuer})
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return nil, s.q.BindSubject(ctx, tx, dbsqlc.BindSubjectParams{TenantID: tenantID, UserID: userID, Issuer: issuer,
			SubjectMac: subject, Now: s.now()})
	case err != nil:
		return nil, err
	case subtle.ConstantTimeCompare(mac, subject) != 1:
		return &refusal{reason: "subject_mismatch", code: codeNoAccount, userID: userID}, nil
	}
	return nil, nil
}

// provision creates a just-in-time user: active, no password, the default
// role, no certificate access until an administrator grants it.
func (s *Service) provision(ctx context.Context, tx pgx.Tx, tenantID, userID, roleID uuid.UUID, email string, idx []byte, cl *claims) error {
	c, err := s.keys.Tenant(ctx, tx, tenantID)
	if err != nil {
		return err
	}
	first, last := strings.TrimSpace(cl.GivenName), strings.TrimSpace(cl.FamilyName)
	if first == "" && last == "" {
		if f, l, ok := strings.Cut(strings.TrimSpace(cl.Name), " "); ok {
			first, last = f, strings.TrimSpace(l)
		} else {
			first = strings.TrimSpace(cl.Name)
		}
	}
	if first == "" {
		first = email[:strings.LastIndexByte(email, '@')]
	}
	first, last = clip(first, 100), clip(last, 100)
	now := s.now()
	if err := s.q.InsertUser(ctx, tx, dbsqlc.InsertUserParams{ID: userID, TenantID: tenantID, EmailIndex: idx,
		EmailEnc: c.SealString(userID, "users.email", email), FirstNameEnc: c.SealString(userID, "users.first_name", first),
		LastNameEnc: c.SealString(userID, "users.last_name", last), RoleID: roleID, Now: now}); err != nil {
		return err
	}
	return s.audit.Write(ctx, tx, tenantID, audit.Event{Action: ActionUserProvisioned, Outcome: audit.OutcomeSuccess,
		ActorType: audit.ActorSystem, TargetType: "user", TargetID: userID.String(),
		Details: map[string]string{"role_id": roleID.String()}})
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n])
	}
	return s
}

// origin is the request's own origin (used when no public URL is set).
func origin(r *http.Request) string {
	scheme := "https"
	if r.TLS == nil {
		scheme = "http"
	}
	return scheme + "://" + r.Host
}
