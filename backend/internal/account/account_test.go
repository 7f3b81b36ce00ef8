package account_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"connectrpc.com/connect"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/zeugo/zeugo/backend/internal/apptest"
	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
	"github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1/zeugov1connect"
	"github.com/zeugo/zeugo/backend/internal/keyring"
)

const firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"

// browser is one signed-in client: its own cookie jar, access token and
// refresh token.
type browser struct {
	hc      *http.Client
	token   string
	refresh string
	session string
	account zeugov1connect.AccountServiceClient
	auth    zeugov1connect.AuthServiceClient
}

func userAgent(ua string) connect.Interceptor {
	return connect.UnaryInterceptorFunc(func(next connect.UnaryFunc) connect.UnaryFunc {
		return func(ctx context.Context, req connect.AnyRequest) (connect.AnyResponse, error) {
			if ua != "" {
				req.Header().Set("User-Agent", ua)
			}
			return next(ctx, req)
		}
	})
}

// signIn logs in as email/password from a new browser sending ua.
func signIn(t *testing.T, env *apptest.Env, email, pw, ua string) *browser {
	t.Helper()
	hc := env.HTTPClient()
	ac := zeugov1connect.NewAuthServiceClient(hc, env.Server.URL, connect.WithInterceptors(userAgent(ua)))
	res, err := ac.Login(context.Background(), connect.NewRequest(&zeugov1.LoginRequest{Email: email, Password: pw, RefreshTokenInBody: true}))
	if err != nil {
		t.Fatalf("login %s: %v", email, err)
	}
	tok := res.Msg.GetTokens().GetAccessToken()
	return &browser{hc: hc, token: tok, refresh: res.Msg.GetTokens().GetRefreshToken(), session: res.Msg.GetPrincipal().GetSessionId(),
		auth:    zeugov1connect.NewAuthServiceClient(hc, env.Server.URL, connect.WithInterceptors(apptest.Bearer(tok))),
		account: zeugov1connect.NewAccountServiceClient(hc, env.Server.URL, connect.WithInterceptors(apptest.Bearer(tok)))}
}

// renew rotates the tokens (access tokens live 10 minutes).
func (b *browser) renew(env *apptest.Env) error {
	res, err := b.auth.Refresh(context.Background(), connect.NewRequest(&zeugov1.RefreshRequest{RefreshToken: b.refresh, RefreshTokenInBody: true}))
	if err != nil {
		return err
	}
	b.token, b.refresh = res.Msg.GetTokens().GetAccessToken(), res.Msg.GetTokens().GetRefreshToken()
	b.auth = zeugov1connect.NewAuthServiceClient(b.hc, env.Server.URL, connect.WithInterceptors(apptest.Bearer(b.token)))
	b.account = zeugov1connect.NewAccountServiceClient(b.hc, env.Server.URL, connect.WithInterceptors(apptest.Bearer(b.token)))
	return nil
}

func (b *browser) me() error {
	_, err := b.auth.Me(context.Background(), connect.NewRequest(&zeugov1.MeRequest{}))
	return err
}

func (b *browser) sessions(t *testing.T) []*zeugov1.MySession {
	t.Helper()
	res, err := b.account.ListMySessions(context.Background(), connect.NewRequest(&zeugov1.ListMySessionsRequest{}))
	if err != nil {
		t.Fatalf("ListMySessions: %v", err)
	}
	return res.Msg.GetSessions()
}

// addUser creates a second active user of the tenant with the given role
// areas (a role of its own) and returns email and password.
func addUser(t *testing.T, env *apptest.Env, ten *apptest.Tenant, email string, areas []string) (string, string) {
	t.Helper()
	if areas == nil {
		areas = []string{}
	}
	ctx := context.Background()
	pw := "Zweites-Passwort-" + uuid.NewString()[:8]
	hash, err := env.App.Hasher.Hash(ctx, pw)
	if err != nil {
		t.Fatal(err)
	}
	env.AsOwner(ten.TenantID, func(tx pgx.Tx) error {
		c, err := env.App.Keys.Tenant(ctx, tx, ten.TenantID)
		if err != nil {
			return err
		}
		roleID, userID := uuid.New(), uuid.New()
		if _, err := tx.Exec(ctx, `INSERT INTO roles (id, tenant_id, name, areas, created_at, updated_at) VALUES ($1, $2, $3, $4, now(), now())`,
			roleID, ten.TenantID, "Rolle "+email, areas); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO users (id, tenant_id, email_index, email_enc, first_name_enc, last_name_enc, role_id, status,
				password_hash, password_changed_at, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, 'active', $8, now(), now(), now())`,
			userID, ten.TenantID, env.App.Index.Email(email), c.SealString(userID, "users.email", keyring.NormalizeEmail(email)),
			c.SealString(userID, "users.first_name", "Erika"), c.SealString(userID, "users.last_name", "Muster"), roleID, hash)
		return err
	})
	return email, pw
}

func auditActions(t *testing.T, env *apptest.Env, ten *apptest.Tenant, action string) []map[string]string {
	t.Helper()
	rows, err := env.DB.Owner.Query(context.Background(), `SELECT actor_id, target_id, details FROM audit_events
		WHERE tenant_id = $1 AND action = $2 ORDER BY seq`, ten.TenantID, action)
	if err != nil {
		t.Fatal(err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (map[string]string, error) {
		var actor, target, details string
		err := r.Scan(&actor, &target, &details)
		return map[string]string{"actor": actor, "target": target, "details": details}, err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestMySessionsListsOnlyMineWithTheCurrentOne(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ten := env.CreateTenant("Sitzung GmbH", "admin@sitzung.example")
	a := signIn(t, env, ten.Email, ten.Password, firefox)
	env.Clock.Advance(2 * time.Minute)
	b := signIn(t, env, ten.Email, ten.Password, "")
	email, pw := addUser(t, env, ten, "zweite@sitzung.example", []string{"employees"})
	other := signIn(t, env, email, pw, firefox)
	// An ended session is not listed.
	ended := signIn(t, env, ten.Email, ten.Password, "")
	if _, err := ended.auth.Logout(context.Background(), connect.NewRequest(&zeugov1.LogoutRequest{})); err != nil {
		t.Fatal(err)
	}

	list := a.sessions(t)
	if len(list) != 2 {
		t.Fatalf("sessions = %d, want 2 (mine, live): %v", len(list), list)
	}
	byID := map[string]*zeugov1.MySession{}
	for _, s := range list {
		byID[s.GetId()] = s
	}
	sa, sb := byID[a.session], byID[b.session]
	if sa == nil || sb == nil {
		t.Fatalf("own sessions missing: %v", list)
	}
	if !sa.GetCurrent() || sb.GetCurrent() {
		t.Fatalf("current flag: a=%v b=%v", sa.GetCurrent(), sb.GetCurrent())
	}
	if sa.GetBrowser() != "Firefox 133" || sa.GetOperatingSystem() != "Linux" || sa.GetMobile() {
		t.Errorf("device of a = %q %q %v", sa.GetBrowser(), sa.GetOperatingSystem(), sa.GetMobile())
	}
	if sa.GetClientNetwork() != "127.0.0.0/24" || sa.GetLoginMethod() != "password" {
		t.Errorf("network %q, method %q", sa.GetClientNetwork(), sa.GetLoginMethod())
	}
	if !sa.GetCreateTime().AsTime().Before(sb.GetCreateTime().AsTime()) || sa.GetExpireTime().AsTime().Sub(sa.GetCreateTime().AsTime()) != 12*time.Hour {
		t.Errorf("times: a %v, b %v, a expires %v", sa.GetCreateTime().AsTime(), sb.GetCreateTime().AsTime(), sa.GetExpireTime().AsTime())
	}
	// The other user sees only their own.
	if ol := other.sessions(t); len(ol) != 1 || ol[0].GetId() != other.session || !ol[0].GetCurrent() {
		t.Fatalf("other user's list: %v", ol)
	}
	// Nothing of the raw User-Agent or the full address is kept with the session.
	var raw int
	if err := env.DB.Owner.QueryRow(context.Background(), `SELECT count(*) FROM sessions WHERE tenant_id = $1
		AND (user_agent_browser LIKE '%Mozilla%' OR client_network LIKE '%127.0.0.1%')`, ten.TenantID).Scan(&raw); err != nil || raw != 0 {
		t.Fatalf("raw user agent or address stored: %d %v", raw, err)
	}
}

func TestRevokeOneSession(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ten := env.CreateTenant("Widerruf GmbH", "admin@widerruf.example")
	a := signIn(t, env, ten.Email, ten.Password, firefox)
	b := signIn(t, env, ten.Email, ten.Password, "")
	c := signIn(t, env, ten.Email, ten.Password, "")
	email, pw := addUser(t, env, ten, "andere@widerruf.example", nil)
	other := signIn(t, env, email, pw, "")
	ctx := context.Background()
	for _, x := range []*browser{a, b, c, other} { // all live, and remembered by the server
		if err := x.me(); err != nil {
			t.Fatal(err)
		}
	}

	if _, err := a.account.RevokeMySession(ctx, connect.NewRequest(&zeugov1.RevokeMySessionRequest{Id: b.session})); err != nil {
		t.Fatalf("revoke: %v", err)
	}
	if err := b.me(); connect.CodeOf(err) != connect.CodeUnauthenticated {
		t.Fatalf("revoked session's next call: %v", err)
	}
	_, err := b.auth.Refresh(ctx, connect.NewRequest(&zeugov1.RefreshRequest{RefreshToken: b.refresh, RefreshTokenInBody: true}))
	if connect.CodeOf(err) != connect.CodeUnauthenticated {
		t.Fatalf("revoked session's refresh: %v", err)
	}
	for _, x := range []*browser{a, c, other} {
		if err := x.me(); err != nil {
			t.Fatalf("another session was ended too: %v", err)
		}
	}
	// Another user's session, an unknown id and an ended session are all NotFound.
	for name, id := range map[string]string{"other user's": other.session, "unknown": uuid.NewString(), "already revoked": b.session} {
		_, err := a.account.RevokeMySession(ctx, connect.NewRequest(&zeugov1.RevokeMySessionRequest{Id: id}))
		if connect.CodeOf(err) != connect.CodeNotFound {
			t.Errorf("revoke %s session: %v, want NotFound", name, err)
		}
	}
	if err := other.me(); err != nil {
		t.Fatalf("the other user's session was ended: %v", err)
	}
	// Who revoked which session is audited.
	ev := auditActions(t, env, ten, "account.session.revoked")
	if len(ev) != 1 || ev[0]["actor"] != ten.AdminID.String() || ev[0]["target"] != b.session {
		t.Fatalf("audit: %v", ev)
	}
	// Revoking the current session works like a logout.
	if _, err := c.account.RevokeMySession(ctx, connect.NewRequest(&zeugov1.RevokeMySessionRequest{Id: c.session})); err != nil {
		t.Fatal(err)
	}
	if err := c.me(); connect.CodeOf(err) != connect.CodeUnauthenticated {
		t.Fatalf("after revoking the own session: %v", err)
	}
}

func TestLogoutEverywhereEndsEverySessionIncludingTheCurrent(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ten := env.CreateTenant("Überall GmbH", "admin@ueberall.example")
	a := signIn(t, env, ten.Email, ten.Password, "")
	b := signIn(t, env, ten.Email, ten.Password, "")
	email, pw := addUser(t, env, ten, "bleibt@ueberall.example", nil)
	other := signIn(t, env, email, pw, "")
	ctx := context.Background()
	if err := b.me(); err != nil {
		t.Fatal(err)
	}
	res, err := a.account.LogoutEverywhere(ctx, connect.NewRequest(&zeugov1.LogoutEverywhereRequest{}))
	if err != nil || res.Msg.GetRevoked() != 2 {
		t.Fatalf("logout everywhere: %v %v", res, err)
	}
	for name, x := range map[string]*browser{"current": a, "other": b} {
		if err := x.me(); connect.CodeOf(err) != connect.CodeUnauthenticated {
			t.Errorf("%s session after logout everywhere: %v", name, err)
		}
		_, err := x.auth.Refresh(ctx, connect.NewRequest(&zeugov1.RefreshRequest{RefreshToken: x.refresh, RefreshTokenInBody: true}))
		if connect.CodeOf(err) != connect.CodeUnauthenticated {
			t.Errorf("%s refresh after logout everywhere: %v", name, err)
		}
	}
	if err := other.me(); err != nil {
		t.Fatalf("another user's session ended: %v", err)
	}
	if ev := auditActions(t, env, ten, "account.logout_everywhere"); len(ev) != 1 || ev[0]["actor"] != ten.AdminID.String() {
		t.Fatalf("audit: %v", ev)
	}
}

func TestTenantTimeoutsApplyToNewSessions(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ten := env.CreateTenant("Frist GmbH", "admin@frist.example")
	ctx := context.Background()
	before := signIn(t, env, ten.Email, ten.Password, "")
	settings := zeugov1connect.NewSecuritySettingsServiceClient(before.hc, env.Server.URL, connect.WithInterceptors(apptest.Bearer(before.token)))
	got, err := settings.GetSecuritySettings(ctx, connect.NewRequest(&zeugov1.GetSecuritySettingsRequest{}))
	if err != nil {
		t.Fatal(err)
	}
	f := got.Msg.GetSettings().GetFields()
	f.SessionIdleMinutes, f.SessionAbsoluteHours = 5, 1
	if _, err := settings.UpdateSecuritySettings(ctx, connect.NewRequest(&zeugov1.UpdateSecuritySettingsRequest{
		Version: got.Msg.GetSettings().GetVersion(), Fields: f})); err != nil {
		t.Fatal(err)
	}
	s := signIn(t, env, ten.Email, ten.Password, "")
	// Active every 4 minutes: the 5-minute idle timeout is extended each time.
	for i := 0; i < 3; i++ {
		env.Clock.Advance(4 * time.Minute)
		if err := s.renew(env); err != nil {
			t.Fatalf("refresh after %d×4 min: %v", i+1, err)
		}
		if err := s.me(); err != nil {
			t.Fatalf("active session after %d×4 min: %v", i+1, err)
		}
	}
	// 6 minutes without activity end it; the session started before the
	// change keeps the 30 minutes it was given.
	env.Clock.Advance(6 * time.Minute)
	if err := s.me(); connect.CodeOf(err) != connect.CodeUnauthenticated {
		t.Fatalf("after 6 idle minutes: %v, want Unauthenticated", err)
	}
	if err := before.renew(env); err != nil {
		t.Fatalf("session started before the change: %v", err)
	}
	if err := before.me(); err != nil {
		t.Fatalf("session started before the change: %v", err)
	}

	// The absolute timeout of one hour ends even an active session.
	s = signIn(t, env, ten.Email, ten.Password, "")
	if l := s.sessions(t); len(l) == 0 || l[0].GetExpireTime().AsTime().Sub(l[0].GetCreateTime().AsTime()) != time.Hour {
		t.Fatalf("expiry of the new session: %v", l)
	}
	for elapsed := 4 * time.Minute; elapsed < time.Hour; elapsed += 4 * time.Minute {
		env.Clock.Advance(4 * time.Minute)
		if err := s.renew(env); err != nil {
			t.Fatalf("refresh after %v: %v", elapsed, err)
		}
		if err := s.me(); err != nil {
			t.Fatalf("after %v: %v", elapsed, err)
		}
	}
	env.Clock.Advance(4 * time.Minute)
	if err := s.me(); connect.CodeOf(err) != connect.CodeUnauthenticated {
		t.Fatalf("after the absolute timeout: %v", err)
	}
	if err := s.renew(env); connect.CodeOf(err) != connect.CodeUnauthenticated {
		t.Fatalf("refresh after the absolute timeout: %v", err)
	}
}

func TestOperatorPolicyCapsTheTenantsTimeouts(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ten := env.CreateTenant("Deckel GmbH", "admin@deckel.example")
	// A tenant value above the operator's (written before the operator
	// lowered it, or by hand) does not lengthen sessions.
	if _, err := env.DB.Owner.Exec(context.Background(), `UPDATE tenants SET session_idle_minutes = 120 WHERE id = $1`, ten.TenantID); err != nil {
		t.Fatal(err)
	}
	s := signIn(t, env, ten.Email, ten.Password, "")
	env.Clock.Advance(31 * time.Minute) // the operator's 30 minutes
	if err := s.me(); connect.CodeOf(err) != connect.CodeUnauthenticated {
		t.Fatalf("idle beyond the operator's bound: %v", err)
	}
}

func TestUpdateMyProfile(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ten := env.CreateTenant("Profil GmbH", "admin@profil.example")
	email, pw := addUser(t, env, ten, "profil@profil.example", nil) // no area at all
	b := signIn(t, env, email, pw, "")
	ctx := context.Background()
	got, err := b.account.GetMyProfile(ctx, connect.NewRequest(&zeugov1.GetMyProfileRequest{}))
	if err != nil {
		t.Fatal(err)
	}
	p := got.Msg.GetProfile()
	if p.GetEmail() != email || p.GetFields().GetFirstName() != "Erika" || p.GetFields().GetLanguage() != "de" {
		t.Fatalf("profile = %v", p)
	}
	fields := &zeugov1.MyProfileFields{FirstName: "Erika Maria", LastName: "Mustermann", Phone: "+49 30 123456", Language: "en"}
	up, err := b.account.UpdateMyProfile(ctx, connect.NewRequest(&zeugov1.UpdateMyProfileRequest{Version: p.GetVersion(), Fields: fields}))
	if err != nil {
		t.Fatalf("update: %v", err)
	}
	if f := up.Msg.GetProfile().GetFields(); f.GetPhone() != "+49 30 123456" || f.GetLanguage() != "en" || up.Msg.GetProfile().GetVersion() != p.GetVersion()+1 {
		t.Fatalf("updated = %v", up.Msg.GetProfile())
	}
	if _, err := b.account.UpdateMyProfile(ctx, connect.NewRequest(&zeugov1.UpdateMyProfileRequest{Version: p.GetVersion(), Fields: fields})); connect.CodeOf(err) != connect.CodeAborted {
		t.Fatalf("stale update: %v", err)
	}
	fields.FirstName = ""
	if _, err := b.account.UpdateMyProfile(ctx, connect.NewRequest(&zeugov1.UpdateMyProfileRequest{Version: 2, Fields: fields})); connect.CodeOf(err) != connect.CodeInvalidArgument {
		t.Fatalf("empty first name: %v", err)
	}
	me, err := b.auth.Me(ctx, connect.NewRequest(&zeugov1.MeRequest{}))
	if err != nil || me.Msg.GetPrincipal().GetFirstName() != "Erika Maria" || me.Msg.GetPrincipal().GetLastName() != "Mustermann" {
		t.Fatalf("me after update: %v %v", me, err)
	}
	// The phone is stored encrypted.
	var phone []byte
	if err := env.DB.Owner.QueryRow(ctx, `SELECT phone_enc FROM users WHERE tenant_id = $1 AND email_index = $2`, ten.TenantID,
		env.App.Index.Email(email)).Scan(&phone); err != nil || len(phone) == 0 || string(phone) == "+49 30 123456" {
		t.Fatalf("phone stored as %q (%v)", phone, err)
	}
	if ev := auditActions(t, env, ten, "account.profile.updated"); len(ev) != 1 {
		t.Fatalf("audit: %v", ev)
	}
}
