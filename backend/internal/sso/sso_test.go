package sso_test

import (
	"context"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"connectrpc.com/connect"
	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"
	"github.com/oauth2-proxy/mockoidc"
	"google.golang.org/protobuf/proto"

	"github.com/zeugo/zeugo/backend/internal/apptest"
	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
	"github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1/zeugov1connect"
	"github.com/zeugo/zeugo/backend/internal/secretlink"
	"github.com/zeugo/zeugo/backend/internal/sso"
)

func ctx() context.Context { return context.Background() }

// idp is an OpenID Connect provider in this process (its own HTTP server
// on 127.0.0.1, as the development mode admits).
func idp(t *testing.T) *mockoidc.MockOIDC {
	t.Helper()
	m, err := mockoidc.Run()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = m.Shutdown() })
	return m
}

// person is an identity at the provider; the zero overrides keep what the
// provider would send.
type person struct {
	sub        string // "sub-" + email when empty
	email      string
	verified   bool
	amr        []string
	nonce      string // overrides the nonce the start sent
	issuer     string // overrides the provider's issuer
	given      string
	family     string
	omitVerify bool
}

type personClaims struct {
	*mockoidc.IDTokenClaims
	Email         string   `json:"email,omitempty"`
	EmailVerified *bool    `json:"email_verified,omitempty"`
	AMR           []string `json:"amr,omitempty"`
	GivenName     string   `json:"given_name,omitempty"`
	FamilyName    string   `json:"family_name,omitempty"`
}

func (p *person) ID() string {
	if p.sub != "" {
		return p.sub
	}
	return "sub-" + p.email
}
func (p *person) Userinfo([]string) ([]byte, error) { return []byte(`{"sub":"` + p.ID() + `"}`), nil }

func (p *person) Claims(_ []string, c *mockoidc.IDTokenClaims) (jwt.Claims, error) {
	if p.nonce != "" {
		c.Nonce = p.nonce
	}
	if p.issuer != "" {
		c.Issuer = p.issuer
	}
	out := &personClaims{IDTokenClaims: c, Email: p.email, AMR: p.amr, GivenName: p.given, FamilyName: p.family}
	if !p.omitVerify {
		v := p.verified
		out.EmailVerified = &v
	}
	return out, nil
}

// fixture is a tenant "Alpha" with SSO against one provider, a user of it,
// and a tenant "Beta" with a user of the same email domain.
type fixture struct {
	env   *apptest.Env
	idp   *mockoidc.MockOIDC
	alpha *apptest.Tenant
	beta  *apptest.Tenant
	admin *apptest.Session
	erika *apptest.Session // erika@alpha.example, of Alpha
}

func newFixture(t *testing.T) *fixture {
	env := apptest.New(t)
	f := &fixture{env: env, idp: idp(t)}
	f.alpha = env.CreateTenant("Alpha GmbH", "admin@alpha.example")
	f.beta = env.CreateTenant("Beta AG", "admin@beta.example")
	f.admin = apptest.SignIn(t, env, f.alpha.Email, f.alpha.Password, apptest.Connect)
	f.erika = apptest.AddUser(t, env, f.alpha, "erika@alpha.example", []string{"employees"}, apptest.Restriction{All: true})
	apptest.AddUser(t, env, f.beta, "gast@alpha.example", []string{"employees"}, apptest.Restriction{All: true})
	f.configure(t, f.admin, zeugov1.SsoMode_SSO_MODE_OPTIONAL, false, "")
	return f
}

func (f *fixture) ssoClient(s *apptest.Session) zeugov1connect.SsoServiceClient {
	return zeugov1connect.NewSsoServiceClient(s.HTTP, s.URL, s.Options()...)
}

func (f *fixture) publicClient(hc *http.Client, p apptest.Protocol) zeugov1connect.SsoServiceClient {
	return zeugov1connect.NewSsoServiceClient(hc, f.env.Server.URL, apptest.ClientOptions(p)...)
}

// configure stores Alpha's settings (at their current version).
func (f *fixture) configure(t *testing.T, admin *apptest.Session, mode zeugov1.SsoMode, jit bool, roleID string) *zeugov1.SsoSettings {
	t.Helper()
	c := f.ssoClient(admin)
	cur, err := c.GetSsoSettings(ctx(), connect.NewRequest(&zeugov1.GetSsoSettingsRequest{}))
	if err != nil {
		t.Fatal(err)
	}
	res, err := c.UpdateSsoSettings(ctx(), connect.NewRequest(&zeugov1.UpdateSsoSettingsRequest{Version: cur.Msg.GetSettings().GetVersion(),
		Fields: &zeugov1.SsoSettingsFields{Issuer: f.idp.Issuer(), ClientId: f.idp.ClientID, ClientSecret: f.idp.ClientSecret,
			Mode: mode, EmailDomains: []string{"Alpha.example"}, JitEnabled: jit, JitRoleId: roleID}}))
	if err != nil {
		t.Fatalf("configure: %v", err)
	}
	return res.Msg.GetSettings()
}

// browser is one browser: a cookie jar that follows redirects up to the
// callback's answer and stops there.
type browser struct {
	hc *http.Client
}

func (f *fixture) browser() *browser {
	hc := f.env.HTTPClient()
	hc.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if via[len(via)-1].URL.Path == sso.CallbackPath {
			return http.ErrUseLastResponse
		}
		return nil
	}
	return &browser{hc: hc}
}

// start asks Zeugo for the authorization URL.
func (f *fixture) start(t *testing.T, b *browser, p apptest.Protocol, email string) string {
	t.Helper()
	res, err := f.publicClient(b.hc, p).StartSso(ctx(), connect.NewRequest(&zeugov1.StartSsoRequest{
		Target: &zeugov1.StartSsoRequest_Email{Email: email}}))
	if err != nil {
		t.Fatalf("start: %v", err)
	}
	return res.Msg.GetAuthorizationUrl()
}

// get fetches u in b and returns where the callback sent the browser.
func (b *browser) get(t *testing.T, u string) string {
	t.Helper()
	res, err := b.hc.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("GET %s: status %d, want 303 from the callback", u, res.StatusCode)
	}
	return res.Header.Get("Location")
}

// authorize lets the provider authorize and returns the callback URL
// without following it.
func (b *browser) authorize(t *testing.T, authURL string) string {
	t.Helper()
	hc := *b.hc
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	res, err := hc.Get(authURL)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusFound {
		t.Fatalf("authorize: status %d", res.StatusCode)
	}
	return res.Header.Get("Location")
}

// login runs the whole flow for who and returns the callback's target.
func (f *fixture) login(t *testing.T, b *browser, p apptest.Protocol, who *person) string {
	t.Helper()
	f.idp.QueueUser(who)
	return b.get(t, f.start(t, b, p, who.email))
}

// me signs in with the browser's refresh cookie and asks who it is.
func (f *fixture) me(t *testing.T, b *browser, p apptest.Protocol) *zeugov1.Principal {
	t.Helper()
	ac := f.env.AuthClient(b.hc, p)
	req := connect.NewRequest(&zeugov1.RefreshRequest{})
	req.Header().Set("Zeugo-CSRF", "1")
	res, err := ac.Refresh(ctx(), req)
	if err != nil {
		t.Fatalf("refresh after sso: %v", err)
	}
	ac = zeugov1connect.NewAuthServiceClient(b.hc, f.env.Server.URL,
		append(apptest.ClientOptions(p), connect.WithInterceptors(apptest.Bearer(res.Msg.GetTokens().GetAccessToken())))...)
	me, err := ac.Me(ctx(), connect.NewRequest(&zeugov1.MeRequest{}))
	if err != nil {
		t.Fatalf("me: %v", err)
	}
	return me.Msg.GetPrincipal()
}

// refusals counts Alpha's audit records of refused logins with reason.
func (f *fixture) refusals(t *testing.T, reason string) int {
	t.Helper()
	var n int
	err := f.env.DB.Owner.QueryRow(ctx(), `SELECT count(*) FROM (
			SELECT details FROM audit_events WHERE tenant_id = $1 AND action = $2
			UNION ALL SELECT details FROM audit_pending WHERE tenant_id = $1 AND action = $2) e
		WHERE e.details::jsonb->>'reason' LIKE $3`, f.alpha.TenantID, sso.ActionLoginRefused, reason+"%").Scan(&n)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func (f *fixture) audits(t *testing.T, tenantID uuid.UUID, action, detail, value string) int {
	t.Helper()
	var n int
	err := f.env.DB.Owner.QueryRow(ctx(), `SELECT count(*) FROM (
			SELECT details FROM audit_events WHERE tenant_id = $1 AND action = $2
			UNION ALL SELECT details FROM audit_pending WHERE tenant_id = $1 AND action = $2) e
		WHERE e.details::jsonb->>$3 = $4`, tenantID, action, detail, value).Scan(&n)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func wantRefused(t *testing.T, target, code string) {
	t.Helper()
	if target != "/login#sso_error="+code {
		t.Fatalf("callback sent the browser to %q, want the login page with %s", target, code)
	}
}

func TestFullRedirectFlow(t *testing.T) {
	f := newFixture(t)
	for _, p := range []apptest.Protocol{apptest.Connect, apptest.GRPC} {
		t.Run(p.String(), func(t *testing.T) {
			b := f.browser()
			target := f.login(t, b, p, &person{email: "Erika@Alpha.example", verified: true})
			if target != "/" {
				t.Fatalf("callback sent the browser to %q, want /", target)
			}
			me := f.me(t, b, p)
			if me.GetEmail() != "erika@alpha.example" || me.GetTenantId() != f.alpha.TenantID.String() {
				t.Fatalf("signed in as %s of %s", me.GetEmail(), me.GetTenantId())
			}
		})
	}
	if n := f.audits(t, f.alpha.TenantID, "auth.login.succeeded", "method", "sso"); n != 2 {
		t.Errorf("%d sso login records, want 2", n)
	}
	// The authorization URL carries PKCE (S256), state, nonce and a hint.
	u, err := url.Parse(f.start(t, f.browser(), apptest.Connect, "erika@alpha.example"))
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	if q.Get("code_challenge_method") != "S256" || q.Get("code_challenge") == "" || q.Get("nonce") == "" ||
		q.Get("state") == "" || q.Get("login_hint") != "erika@alpha.example" ||
		q.Get("redirect_uri") != f.env.Server.URL+sso.CallbackPath {
		t.Errorf("authorization URL %s", u)
	}
}

func TestCallbackRefusals(t *testing.T) {
	f := newFixture(t)
	erika := func() *person { return &person{email: "erika@alpha.example", verified: true} }

	t.Run("wrong state", func(t *testing.T) {
		b := f.browser()
		f.idp.QueueUser(erika())
		authURL, _ := url.Parse(f.start(t, b, apptest.Connect, "erika@alpha.example"))
		q := authURL.Query()
		forged, _ := secretlink.New(f.alpha.TenantID)
		q.Set("state", forged)
		authURL.RawQuery = q.Encode()
		wantRefused(t, b.get(t, authURL.String()), "sso_failed")
	})
	t.Run("state replayed", func(t *testing.T) {
		b := f.browser()
		f.idp.QueueUser(erika())
		cb := b.authorize(t, f.start(t, b, apptest.Connect, "erika@alpha.example"))
		if target := b.get(t, cb); target != "/" {
			t.Fatalf("first callback: %q", target)
		}
		wantRefused(t, b.get(t, cb), "sso_failed")
	})
	t.Run("another browser", func(t *testing.T) {
		b := f.browser()
		f.idp.QueueUser(erika())
		cb := b.authorize(t, f.start(t, b, apptest.Connect, "erika@alpha.example"))
		before := f.refusals(t, "browser_mismatch")
		wantRefused(t, f.browser().get(t, cb), "sso_failed")
		if f.refusals(t, "browser_mismatch") != before+1 {
			t.Error("no audit record")
		}
	})
	t.Run("wrong nonce", func(t *testing.T) {
		p := erika()
		p.nonce = "not-the-nonce"
		wantRefused(t, f.login(t, f.browser(), apptest.Connect, p), "sso_failed")
		if f.refusals(t, "nonce_mismatch") != 1 {
			t.Error("no audit record")
		}
	})
	t.Run("expired code", func(t *testing.T) {
		b := f.browser()
		f.idp.QueueUser(erika())
		cb := b.authorize(t, f.start(t, b, apptest.Connect, "erika@alpha.example"))
		f.idp.QueueError(&mockoidc.ServerError{Code: http.StatusBadRequest, Error: mockoidc.InvalidGrant, Description: "code expired"})
		wantRefused(t, b.get(t, cb), "sso_failed")
		if f.refusals(t, "code_exchange_failed") != 1 {
			t.Error("no audit record")
		}
	})
	t.Run("expired state", func(t *testing.T) {
		b := f.browser()
		f.idp.QueueUser(erika())
		cb := b.authorize(t, f.start(t, b, apptest.Connect, "erika@alpha.example"))
		f.env.Clock.Advance(sso.LoginTTL + time.Second)
		f.idp.FastForward(sso.LoginTTL + time.Second) // the provider's tokens are of the same time
		wantRefused(t, b.get(t, cb), "sso_failed")
		if f.refusals(t, "state_expired") != 1 {
			t.Error("no audit record")
		}
	})
	t.Run("issuer mismatch", func(t *testing.T) {
		p := erika()
		p.issuer = "https://login.evil.example/v2.0"
		wantRefused(t, f.login(t, f.browser(), apptest.Connect, p), "sso_failed")
		if f.refusals(t, "issuer_mismatch") != 1 {
			t.Error("no audit record")
		}
	})
	t.Run("unverified email", func(t *testing.T) {
		p := erika()
		p.verified = false
		wantRefused(t, f.login(t, f.browser(), apptest.Connect, p), "sso_failed")
		p = erika()
		p.omitVerify = true
		wantRefused(t, f.login(t, f.browser(), apptest.Connect, p), "sso_failed")
		if f.refusals(t, "email_unverified") != 2 {
			t.Error("no audit records")
		}
	})
	t.Run("user of another tenant", func(t *testing.T) {
		defer func() {
			if t.Failed() {
				t.Log(f.env.Log.String())
			}
		}()
		// gast@alpha.example is a user of Beta only: Alpha's provider
		// cannot sign anyone into Beta, and Alpha knows no such user.
		b := f.browser()
		wantRefused(t, f.login(t, b, apptest.Connect, &person{email: "gast@alpha.example", verified: true}), "sso_no_account")
		if f.refusals(t, "unknown_user") != 1 {
			t.Error("no audit record")
		}
		if n := f.audits(t, f.beta.TenantID, "auth.login.succeeded", "method", "sso"); n != 0 {
			t.Errorf("%d sso logins in Beta", n)
		}
	})
	t.Run("domain not routed", func(t *testing.T) {
		b := f.browser()
		f.idp.QueueUser(&person{email: "erika@elsewhere.example", verified: true})
		wantRefused(t, b.get(t, f.start(t, b, apptest.Connect, "erika@alpha.example")), "sso_no_account")
		if f.refusals(t, "domain_not_routed") != 1 {
			t.Error("no audit record")
		}
	})
	t.Run("another subject with the same email", func(t *testing.T) {
		// Erika is bound to her first subject (an earlier subtest signed
		// her in); the provider giving her address to someone else does
		// not open her account.
		if target := f.login(t, f.browser(), apptest.Connect, erika()); target != "/" {
			t.Fatalf("erika: %q", target)
		}
		wantRefused(t, f.login(t, f.browser(), apptest.Connect, &person{sub: "jemand-anderes", email: "erika@alpha.example", verified: true}), "sso_no_account")
		if f.refusals(t, "subject_mismatch") != 1 {
			t.Error("no audit record")
		}
	})
	t.Run("iss of the response", func(t *testing.T) {
		b := f.browser()
		f.idp.QueueUser(erika())
		cb, _ := url.Parse(b.authorize(t, f.start(t, b, apptest.Connect, "erika@alpha.example")))
		q := cb.Query()
		q.Set("iss", "https://login.evil.example")
		cb.RawQuery = q.Encode()
		wantRefused(t, b.get(t, cb.String()), "sso_failed")
		if f.refusals(t, "issuer_mismatch_response") != 1 {
			t.Error("no audit record")
		}
	})
	t.Run("provider changed during the login", func(t *testing.T) {
		b := f.browser()
		f.idp.QueueUser(erika())
		cb := b.authorize(t, f.start(t, b, apptest.Connect, "erika@alpha.example"))
		old := f.idp
		f.idp = idp(t)
		f.configure(t, f.admin, zeugov1.SsoMode_SSO_MODE_OPTIONAL, false, "")
		wantRefused(t, b.get(t, cb), "sso_failed")
		if f.refusals(t, "issuer_changed") != 1 {
			t.Error("no audit record")
		}
		f.idp = old
		f.configure(t, f.admin, zeugov1.SsoMode_SSO_MODE_OPTIONAL, false, "")
	})
	t.Run("provider error", func(t *testing.T) {
		b := f.browser()
		f.idp.QueueUser(erika())
		cb, _ := url.Parse(b.authorize(t, f.start(t, b, apptest.Connect, "erika@alpha.example")))
		q := cb.Query()
		q.Del("code")
		q.Set("error", "access_denied")
		cb.RawQuery = q.Encode()
		wantRefused(t, b.get(t, cb.String()), "sso_failed")
	})
	// Nothing of the refusals leaked a stack trace or an email into the log.
	if log := f.env.Log.String(); strings.Contains(log, "erika@alpha.example") || strings.Contains(log, "goroutine ") {
		t.Error("the log names an email address or a stack trace")
	}
}

func TestProvisioningAndSecondFactor(t *testing.T) {
	f := newFixture(t)
	newbie := &person{email: "neu@alpha.example", verified: true, given: "Nina", family: "Neu"}
	wantRefused(t, f.login(t, f.browser(), apptest.Connect, newbie), "sso_no_account")

	// With just-in-time provisioning the unknown person becomes a user
	// with the default role.
	roles := zeugov1connect.NewRoleServiceClient(f.admin.HTTP, f.admin.URL, f.admin.Options()...)
	role, err := roles.CreateRole(ctx(), connect.NewRequest(&zeugov1.CreateRoleRequest{Fields: &zeugov1.RoleFields{Name: "SSO-Neulinge",
		Areas: []zeugov1.Area{zeugov1.Area_AREA_EMPLOYEES}}}))
	if err != nil {
		t.Fatal(err)
	}
	f.configure(t, f.admin, zeugov1.SsoMode_SSO_MODE_OPTIONAL, true, role.Msg.GetRole().GetId())
	b := f.browser()
	if target := f.login(t, b, apptest.GRPC, newbie); target != "/" {
		t.Fatalf("JIT login: %q", target)
	}
	me := f.me(t, b, apptest.GRPC)
	if me.GetEmail() != "neu@alpha.example" || me.GetRoleName() != "SSO-Neulinge" || me.GetFirstName() != "Nina" {
		t.Fatalf("provisioned %s %s with role %s", me.GetFirstName(), me.GetEmail(), me.GetRoleName())
	}
	if n := f.audits(t, f.alpha.TenantID, sso.ActionUserProvisioned, "role_id", role.Msg.GetRole().GetId()); n != 1 {
		t.Errorf("%d provisioning records", n)
	}
	// The second time the same user signs in (no second user).
	if target := f.login(t, f.browser(), apptest.Connect, newbie); target != "/" {
		t.Fatalf("second login: %q", target)
	}

	// A tenant that requires a second factor: without the provider's
	// "mfa" the login continues with Zeugo's step (token in the fragment);
	// with it the session starts at once.
	if _, err := f.env.DB.Owner.Exec(ctx(), `UPDATE tenants SET require_mfa = true WHERE id = $1`, f.alpha.TenantID); err != nil {
		t.Fatal(err)
	}
	target := f.login(t, f.browser(), apptest.Connect, &person{email: "erika@alpha.example", verified: true, amr: []string{"pwd"}})
	frag, ok := strings.CutPrefix(target, "/login#")
	if !ok {
		t.Fatalf("challenge target %q", target)
	}
	vals, _ := url.ParseQuery(frag)
	raw, err := base64.RawURLEncoding.DecodeString(vals.Get("sso_challenge"))
	if err != nil {
		t.Fatalf("challenge fragment %q: %v", frag, err)
	}
	var ch zeugov1.SecondFactorChallenge
	if err := proto.Unmarshal(raw, &ch); err != nil || ch.GetToken() == "" || !ch.GetEnrollmentRequired() ||
		len(ch.GetEnrollmentMethods()) == 0 || ch.GetExpiresAt() == nil {
		t.Fatalf("challenge %v (%v)", &ch, err)
	}
	_, err = f.env.AuthClient(f.env.HTTPClient(), apptest.Connect).StartLoginEnrollment(ctx(),
		connect.NewRequest(&zeugov1.StartLoginEnrollmentRequest{ChallengeToken: ch.GetToken()}))
	if err != nil {
		t.Fatalf("the challenge does not continue: %v", err)
	}
	b = f.browser()
	if target := f.login(t, b, apptest.Connect, &person{email: "erika@alpha.example", verified: true, amr: []string{"pwd", "mfa"}}); target != "/" {
		t.Fatalf("login with the provider's mfa: %q", target)
	}
	f.me(t, b, apptest.Connect)
}

func TestSSOOnly(t *testing.T) {
	f := newFixture(t)
	ac := f.env.AuthClient(f.env.HTTPClient(), apptest.Connect)
	// Optional: the password still works, and so does step-up by password.
	erika := f.erika
	f.configure(t, f.admin, zeugov1.SsoMode_SSO_MODE_SSO_ONLY, false, "")

	// Password login: the same answer as a wrong password.
	_, err := ac.Login(ctx(), connect.NewRequest(&zeugov1.LoginRequest{Email: f.alpha.Email, Password: f.alpha.Password}))
	apptest.WantCode(t, err, connect.CodeUnauthenticated, "password login of an sso-only tenant")
	_, err = ac.Login(ctx(), connect.NewRequest(&zeugov1.LoginRequest{Email: f.alpha.Email, Password: "falsch-falsch-falsch"}))
	apptest.WantCode(t, err, connect.CodeUnauthenticated, "wrong password")
	if n := f.audits(t, f.alpha.TenantID, "auth.login.failed", "reason", "sso_only"); n != 2 {
		t.Errorf("%d sso_only login failures recorded", n)
	}
	// The password of Beta's user still works (another tenant).

	// Password reset: the same answer, but no link.
	if _, err := ac.RequestPasswordReset(ctx(), connect.NewRequest(&zeugov1.RequestPasswordResetRequest{Email: f.alpha.Email})); err != nil {
		t.Fatal(err)
	}
	var links int
	if err := f.env.DB.Owner.QueryRow(ctx(), `SELECT count(*) FROM user_links WHERE tenant_id = $1 AND purpose = 'reset'`,
		f.alpha.TenantID).Scan(&links); err != nil {
		t.Fatal(err)
	}
	if links != 0 {
		t.Errorf("%d reset links in an sso-only tenant", links)
	}
	// A link sent before the switch no longer works.
	token, hash := secretlink.New(f.alpha.TenantID)
	if _, err := f.env.DB.Owner.Exec(ctx(), `INSERT INTO user_links (tenant_id, id, user_id, purpose, token_hash, created_at, expires_at)
		VALUES ($1, $2, $3, 'reset', $4, now(), now() + interval '1 hour')`, f.alpha.TenantID, uuid.New(), f.alpha.AdminID, hash); err != nil {
		t.Fatal(err)
	}
	_, err = ac.ResetPassword(ctx(), connect.NewRequest(&zeugov1.ResetPasswordRequest{Token: token, Password: "Ein-neues-langes-Passwort-2026"}))
	if err == nil {
		t.Fatal("reset through an old link in an sso-only tenant")
	}
	// Step-up by password in a session started before the switch.
	steps := zeugov1connect.NewAuthServiceClient(erika.HTTP, erika.URL, erika.Options()...)
	_, err = steps.StepUp(ctx(), connect.NewRequest(&zeugov1.StepUpRequest{Proof: &zeugov1.StepUpRequest_Password{Password: "egal"}}))
	apptest.WantCode(t, err, connect.CodeFailedPrecondition, "password step-up in an sso-only tenant")

	// SSO works.
	b := f.browser()
	if target := f.login(t, b, apptest.Connect, &person{email: "erika@alpha.example", verified: true}); target != "/" {
		t.Fatalf("sso login: %q", target)
	}
	f.me(t, b, apptest.Connect)
	// Beta's passwords are untouched.
	apptest.SignIn(t, f.env, f.beta.Email, f.beta.Password, apptest.Connect)
}

func TestStartAndSettings(t *testing.T) {
	f := newFixture(t)
	pub := f.publicClient(f.env.HTTPClient(), apptest.Connect)
	// An unknown domain, a tenant without SSO and a tenant with SSO off
	// answer alike.
	var msgs []string
	for _, target := range []*zeugov1.StartSsoRequest{
		{Target: &zeugov1.StartSsoRequest_Email{Email: "x@unknown.example"}},
		{Target: &zeugov1.StartSsoRequest_Email{Email: "x@beta.example"}},
		{Target: &zeugov1.StartSsoRequest_TenantSlug{TenantSlug: "no-such-tenant"}},
		{Target: &zeugov1.StartSsoRequest_Email{Email: "kein-at-zeichen"}},
	} {
		_, err := pub.StartSso(ctx(), connect.NewRequest(target))
		apptest.WantCode(t, err, connect.CodeNotFound, "start for "+target.String())
		msgs = append(msgs, connect.CodeOf(err).String()+err.Error())
	}
	for _, m := range msgs[1:] {
		if m != msgs[0] {
			t.Errorf("answers differ: %q vs %q", m, msgs[0])
		}
	}
	// By slug.
	var slug string
	if err := f.env.DB.Owner.QueryRow(ctx(), `SELECT slug FROM tenants WHERE id = $1`, f.alpha.TenantID).Scan(&slug); err != nil {
		t.Fatal(err)
	}
	if _, err := pub.StartSso(ctx(), connect.NewRequest(&zeugov1.StartSsoRequest{Target: &zeugov1.StartSsoRequest_TenantSlug{TenantSlug: slug}})); err != nil {
		t.Fatalf("start by slug: %v", err)
	}

	c := f.ssoClient(f.admin)
	got, err := c.GetSsoSettings(ctx(), connect.NewRequest(&zeugov1.GetSsoSettingsRequest{}))
	if err != nil {
		t.Fatal(err)
	}
	s := got.Msg.GetSettings()
	if !s.GetClientSecretSet() || s.GetEmailDomains()[0] != "alpha.example" || s.GetRedirectUri() != f.env.Server.URL+sso.CallbackPath {
		t.Errorf("settings %v", s)
	}
	// The secret is kept when the update leaves it empty, and never sent.
	if strings.Contains(got.Msg.String(), f.idp.ClientSecret) {
		t.Error("the client secret left the server")
	}
	fields := &zeugov1.SsoSettingsFields{Issuer: f.idp.Issuer(), ClientId: f.idp.ClientID, Mode: zeugov1.SsoMode_SSO_MODE_OPTIONAL,
		EmailDomains: []string{"alpha.example", "@Zweit.Alpha.example "}}
	up, err := c.UpdateSsoSettings(ctx(), connect.NewRequest(&zeugov1.UpdateSsoSettingsRequest{Version: s.GetVersion(), Fields: fields}))
	if err != nil {
		t.Fatal(err)
	}
	if !up.Msg.GetSettings().GetClientSecretSet() || len(up.Msg.GetSettings().GetEmailDomains()) != 2 {
		t.Errorf("after update: %v", up.Msg.GetSettings())
	}
	// A stale version.
	_, err = c.UpdateSsoSettings(ctx(), connect.NewRequest(&zeugov1.UpdateSsoSettingsRequest{Version: s.GetVersion(), Fields: fields}))
	apptest.WantCode(t, err, connect.CodeAborted, "stale version")
	// A domain another tenant claimed.
	betaAdmin := apptest.SignIn(t, f.env, f.beta.Email, f.beta.Password, apptest.Connect)
	_, err = f.ssoClient(betaAdmin).UpdateSsoSettings(ctx(), connect.NewRequest(&zeugov1.UpdateSsoSettingsRequest{Version: 0,
		Fields: &zeugov1.SsoSettingsFields{Issuer: f.idp.Issuer(), ClientId: "beta", Mode: zeugov1.SsoMode_SSO_MODE_OPTIONAL,
			EmailDomains: []string{"beta.example", "zweit.alpha.example"}}}))
	apptest.WantCode(t, err, connect.CodeAlreadyExists, "domain of another tenant")
	if v := apptest.Violations(t, err); v["fields.email_domains"] == "" {
		t.Errorf("violations %v", v)
	}
	// Issuers: https only (http for loopback in development), and never
	// Entra ID's multi-tenant endpoints.
	for _, bad := range []string{"ftp://idp.example", "http://idp.example/realms/x", "https://login.microsoftonline.com/common/v2.0",
		"https://user:pw@idp.example", "not a url"} {
		fields := &zeugov1.SsoSettingsFields{Issuer: bad, ClientId: "x", Mode: zeugov1.SsoMode_SSO_MODE_OPTIONAL}
		_, err := f.ssoClient(betaAdmin).UpdateSsoSettings(ctx(), connect.NewRequest(&zeugov1.UpdateSsoSettingsRequest{Fields: fields}))
		apptest.WantCode(t, err, connect.CodeInvalidArgument, "issuer "+bad)
	}
	// Audit of the changes, without the secret.
	if n := f.audits(t, f.alpha.TenantID, sso.ActionSettingsUpdated, "client_secret", "changed"); n != 1 {
		t.Errorf("%d settings records with a changed secret", n)
	}

	// Test connection: the stored issuer, a named one, and failures as
	// short reasons only. The impostor's metadata names another issuer.
	impostor := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"issuer":"` + f.idp.Issuer() + `","authorization_endpoint":"` + f.idp.AuthorizationEndpoint() +
			`","token_endpoint":"` + f.idp.TokenEndpoint() + `","jwks_uri":"` + f.idp.JWKSEndpoint() + `"}`))
	}))
	defer impostor.Close()
	for issuer, want := range map[string]string{
		"":                                   "",
		f.idp.Issuer():                       "",
		"http://127.0.0.1:1/oidc":            "unreachable",
		impostor.URL:                         "issuer_mismatch",
		f.idp.Addr() + "/nothing":            "not_openid_configuration",
		"https://login.microsoftonline.com/": "invalid_issuer",
	} {
		res, err := c.TestSsoConnection(ctx(), connect.NewRequest(&zeugov1.TestSsoConnectionRequest{Issuer: issuer}))
		if err != nil {
			t.Fatal(err)
		}
		if res.Msg.GetOk() != (want == "") || res.Msg.GetError() != want {
			t.Errorf("test %q: ok %v error %q, want %q", issuer, res.Msg.GetOk(), res.Msg.GetError(), want)
		}
	}
	// Settings belong to the Datenschutz area.
	_, err = f.ssoClient(f.erika).GetSsoSettings(ctx(), connect.NewRequest(&zeugov1.GetSsoSettingsRequest{}))
	apptest.WantCode(t, err, connect.CodePermissionDenied, "settings without the privacy area")
}
