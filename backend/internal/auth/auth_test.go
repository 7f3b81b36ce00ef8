package auth_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"connectrpc.com/connect"

	"github.com/zeugo/zeugo/backend/internal/apptest"
	"github.com/zeugo/zeugo/backend/internal/auth"
	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
	"github.com/zeugo/zeugo/backend/internal/password"
)

var protocols = []apptest.Protocol{apptest.Connect, apptest.GRPC, apptest.GRPCWeb}

func login(t *testing.T, c interface {
	Login(context.Context, *connect.Request[zeugov1.LoginRequest]) (*connect.Response[zeugov1.LoginResponse], error)
}, email, pw string) (*connect.Response[zeugov1.LoginResponse], error) {
	t.Helper()
	return c.Login(context.Background(), connect.NewRequest(&zeugov1.LoginRequest{Email: email, Password: pw, RefreshTokenInBody: true}))
}

func code(err error) connect.Code { return connect.CodeOf(err) }

func me(env *apptest.Env, hc *http.Client, p apptest.Protocol, token string) error {
	c := env.AuthClient(hc, p)
	req := connect.NewRequest(&zeugov1.MeRequest{})
	req.Header().Set("Authorization", "Bearer "+token)
	_, err := c.Me(context.Background(), req)
	return err
}

func TestLoginRefreshReuseLogout(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ten := env.CreateTenant("Alpha AG", "chefin@alpha.example")
	for _, p := range protocols {
		t.Run(p.String(), func(t *testing.T) {
			hc := env.HTTPClient()
			c := env.AuthClient(hc, p)
			res, err := login(t, c, "Chefin@Alpha.Example", ten.Password)
			if err != nil {
				t.Fatalf("login: %v", err)
			}
			pr := res.Msg.GetPrincipal()
			if pr.GetEmail() != "chefin@alpha.example" || pr.GetTenantName() != "Alpha AG" || len(pr.GetAreas()) != 1 ||
				pr.GetAreas()[0] != zeugov1.Area_AREA_ADMINISTRATOR {
				t.Fatalf("principal = %v", pr)
			}
			tok := res.Msg.GetTokens()
			if err := me(env, hc, p, tok.GetAccessToken()); err != nil {
				t.Fatalf("me: %v", err)
			}
			// Rotation: the new pair works, the old refresh token is spent.
			r2, err := c.Refresh(context.Background(), connect.NewRequest(&zeugov1.RefreshRequest{RefreshToken: tok.GetRefreshToken(), RefreshTokenInBody: true}))
			if err != nil {
				t.Fatalf("refresh: %v", err)
			}
			if r2.Msg.GetTokens().GetRefreshToken() == tok.GetRefreshToken() {
				t.Fatal("refresh token did not rotate")
			}
			// Reuse of the old token revokes the whole session: even the
			// fresh access token stops working at once.
			_, err = c.Refresh(context.Background(), connect.NewRequest(&zeugov1.RefreshRequest{RefreshToken: tok.GetRefreshToken()}))
			if code(err) != connect.CodeUnauthenticated {
				t.Fatalf("reuse: got %v, want Unauthenticated", err)
			}
			if err := me(env, hc, p, r2.Msg.GetTokens().GetAccessToken()); code(err) != connect.CodeUnauthenticated {
				t.Fatalf("me after reuse: got %v, want Unauthenticated", err)
			}
			if _, err := c.Refresh(context.Background(), connect.NewRequest(&zeugov1.RefreshRequest{RefreshToken: r2.Msg.GetTokens().GetRefreshToken()})); code(err) != connect.CodeUnauthenticated {
				t.Fatalf("refresh of revoked session: got %v", err)
			}

			// Logout ends the session immediately.
			res, err = login(t, c, ten.Email, ten.Password)
			if err != nil {
				t.Fatal(err)
			}
			access := res.Msg.GetTokens().GetAccessToken()
			lreq := connect.NewRequest(&zeugov1.LogoutRequest{})
			lreq.Header().Set("Authorization", "Bearer "+access)
			if _, err := c.Logout(context.Background(), lreq); err != nil {
				t.Fatalf("logout: %v", err)
			}
			if err := me(env, hc, p, access); code(err) != connect.CodeUnauthenticated {
				t.Fatalf("me after logout: got %v", err)
			}
			if _, err := c.Refresh(context.Background(), connect.NewRequest(&zeugov1.RefreshRequest{RefreshToken: res.Msg.GetTokens().GetRefreshToken()})); code(err) != connect.CodeUnauthenticated {
				t.Fatalf("refresh after logout: got %v", err)
			}
		})
	}
}

func TestAccessTokenExpires(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ten := env.CreateTenant("Beta GmbH", "admin@beta.example")
	hc := env.HTTPClient()
	res, err := login(t, env.AuthClient(hc, apptest.Connect), ten.Email, ten.Password)
	if err != nil {
		t.Fatal(err)
	}
	env.Clock.Advance(10*time.Minute + 10*time.Second)
	if err := me(env, hc, apptest.Connect, res.Msg.GetTokens().GetAccessToken()); code(err) != connect.CodeUnauthenticated {
		t.Fatalf("expired token: got %v", err)
	}
	// The refresh token still works within the idle timeout.
	if _, err := env.AuthClient(hc, apptest.Connect).Refresh(context.Background(),
		connect.NewRequest(&zeugov1.RefreshRequest{RefreshToken: res.Msg.GetTokens().GetRefreshToken()})); err != nil {
		t.Fatalf("refresh: %v", err)
	}
	// After the idle timeout nothing works.
	env.Clock.Advance(31 * time.Minute)
	if _, err := env.AuthClient(hc, apptest.Connect).Refresh(context.Background(),
		connect.NewRequest(&zeugov1.RefreshRequest{RefreshToken: res.Msg.GetTokens().GetRefreshToken()})); code(err) != connect.CodeUnauthenticated {
		t.Fatalf("refresh after idle timeout: got %v", err)
	}
}

// modes are the environments the security-relevant tests run in: what
// production serves must not depend on tests having run in development.
var modes = map[string]apptest.Options{"development": {}, "production": {Production: true}}

func TestCookieRefreshRequiresCSRFHeader(t *testing.T) {
	t.Parallel()
	for mode, opts := range modes {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			cookieRefreshRequiresCSRFHeader(t, apptest.New(t, opts))
		})
	}
}

func cookieRefreshRequiresCSRFHeader(t *testing.T, env *apptest.Env) {
	ten := env.CreateTenant("Gamma KG", "admin@gamma.example")
	hc := env.HTTPClient()
	c := env.AuthClient(hc, apptest.Connect)
	res, err := c.Login(context.Background(), connect.NewRequest(&zeugov1.LoginRequest{Email: ten.Email, Password: ten.Password}))
	if err != nil {
		t.Fatal(err)
	}
	if res.Msg.GetTokens().GetRefreshToken() != "" {
		t.Fatal("browser login must not return the refresh token in the body")
	}
	sc := res.Header().Get("Set-Cookie")
	for _, want := range []string{"__Host-zeugo_refresh=zr1.", "Path=/", "HttpOnly", "Secure", "SameSite=Strict"} {
		if !strings.Contains(sc, want) {
			t.Errorf("Set-Cookie %q lacks %q", sc, want)
		}
	}
	if strings.Contains(strings.ToLower(sc), "domain=") {
		t.Errorf("__Host- cookie must not carry a Domain: %q", sc)
	}
	// Without the header the cookie is not honoured (CSRF defence).
	if _, err := c.Refresh(context.Background(), connect.NewRequest(&zeugov1.RefreshRequest{})); code(err) != connect.CodePermissionDenied {
		t.Fatalf("refresh without CSRF header: got %v", err)
	}
	req := connect.NewRequest(&zeugov1.RefreshRequest{})
	req.Header().Set("Zeugo-CSRF", "1")
	r2, err := c.Refresh(context.Background(), req)
	if err != nil {
		t.Fatalf("cookie refresh: %v", err)
	}
	if r2.Msg.GetPrincipal().GetEmail() != ten.Email {
		t.Fatalf("principal = %v", r2.Msg.GetPrincipal())
	}
	// Asking for the token in the body does not make a cookie-based refresh
	// reveal it to page script.
	req = connect.NewRequest(&zeugov1.RefreshRequest{RefreshTokenInBody: true})
	req.Header().Set("Zeugo-CSRF", "1")
	r3, err := c.Refresh(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if r3.Msg.GetTokens().GetRefreshToken() != "" {
		t.Fatal("cookie refresh returned the refresh token in the body")
	}
	// A body-mode login sets no cookie.
	body, err := c.Login(context.Background(), connect.NewRequest(&zeugov1.LoginRequest{Email: ten.Email, Password: ten.Password, RefreshTokenInBody: true}))
	if err != nil {
		t.Fatal(err)
	}
	if body.Header().Get("Set-Cookie") != "" || body.Msg.GetTokens().GetRefreshToken() == "" {
		t.Fatalf("body-mode login: cookie %q, body token %q", body.Header().Get("Set-Cookie"), body.Msg.GetTokens().GetRefreshToken())
	}
}

func TestLockoutAndUnlock(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ten := env.CreateTenant("Delta SE", "admin@delta.example")
	c := env.AuthClient(env.HTTPClient(), apptest.Connect)
	var first error
	for i := 0; i < 5; i++ {
		_, err := login(t, c, ten.Email, "falsch-"+ten.Password)
		if code(err) != connect.CodeUnauthenticated {
			t.Fatalf("attempt %d: got %v", i, err)
		}
		if i == 0 {
			first = err
		}
		env.Clock.Advance(time.Minute) // past the throttle's delay (TestLoginThrottle)
	}
	// Locked: the right password is refused with the very same answer.
	_, err := login(t, c, ten.Email, ten.Password)
	if code(err) != connect.CodeUnauthenticated || err.Error() != first.Error() {
		t.Fatalf("locked account: got %v, want %v", err, first)
	}
	if _, err := env.Owner.Provisioner.Unlock(context.Background(), ten.Slug, ten.Email); err != nil {
		t.Fatalf("unlock: %v", err)
	}
	// Unlock does not reset the throttle: after six heard attempts its
	// delay is the cap, 64 s.
	env.Clock.Advance(auth.DefaultPolicy.LoginBackoff.Max)
	if _, err := login(t, c, ten.Email, ten.Password); err != nil {
		t.Fatalf("login after unlock: %v", err)
	}
	// The audit trail has each step, with type, time and target.
	rows, err := env.DB.Owner.Query(context.Background(), `SELECT action FROM audit_events WHERE tenant_id = $1 ORDER BY seq`, ten.TenantID)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	defer rows.Close()
	for rows.Next() {
		var a string
		if err := rows.Scan(&a); err != nil {
			t.Fatal(err)
		}
		actions = append(actions, a)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	got := strings.Join(actions, ",")
	want := "tenant.created,user.created," + strings.Repeat("auth.login.failed,", 5) + "auth.account.locked,auth.login.failed,auth.account.unlocked,auth.login.succeeded"
	if got != want {
		t.Fatalf("audit actions:\n got  %s\n want %s", got, want)
	}
}

func TestAnswersDoNotRevealAccounts(t *testing.T) {
	t.Parallel()
	for mode, opts := range modes {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			answersDoNotRevealAccounts(t, apptest.New(t, opts))
		})
	}
}

func answersDoNotRevealAccounts(t *testing.T, env *apptest.Env) {
	ten := env.CreateTenant("Epsilon eG", "admin@epsilon.example")
	c := env.AuthClient(env.HTTPClient(), apptest.Connect)
	_, unknown := login(t, c, "niemand@epsilon.example", ten.Password)
	_, wrong := login(t, c, ten.Email, "Falsch!123")
	var ce1, ce2 *connect.Error
	if !errors.As(unknown, &ce1) || !errors.As(wrong, &ce2) {
		t.Fatalf("errors: %v / %v", unknown, wrong)
	}
	if ce1.Code() != ce2.Code() || ce1.Message() != ce2.Message() || len(ce1.Details()) != 0 || len(ce2.Details()) != 0 {
		t.Fatalf("unknown email %v and wrong password %v answer differently", ce1, ce2)
	}
}

func TestLoginRateLimitPerIP(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	c := env.AuthClient(env.HTTPClient(), apptest.Connect)
	var limited bool
	for i := 0; i < 35 && !limited; i++ {
		_, err := login(t, c, "unbekannt@zeta.example", "Irgendwas1!")
		switch code(err) {
		case connect.CodeResourceExhausted:
			limited = true
			if i < 30 {
				t.Fatalf("limited after only %d attempts", i)
			}
		case connect.CodeUnauthenticated:
		default:
			t.Fatalf("attempt %d: %v", i, err)
		}
	}
	if !limited {
		t.Fatal("35 attempts from one address were not limited")
	}
}

// Of N concurrent refreshes with one token exactly one succeeds; the others
// are Unauthenticated (and, as reuse, revoke the session). Deterministic: the
// test holds the token's row lock while all N requests reach the database,
// waits until all N are blocked on it, then lets go. With the row lock the
// store takes (lockRefreshToken's FOR UPDATE) they then run one after the
// other and see the token spent; without it all N read it unspent before
// blocking and all N succeed.
func TestConcurrentRefreshOnlyOneWins(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ten := env.CreateTenant("Eta GmbH", "admin@eta.example")
	c := env.AuthClient(env.HTTPClient(), apptest.Connect)
	res, err := login(t, c, ten.Email, ten.Password)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	hold, err := env.DB.Owner.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = hold.Rollback(ctx) }()
	if _, err := hold.Exec(ctx, `SELECT 1 FROM refresh_tokens WHERE session_id = $1 FOR UPDATE`,
		res.Msg.GetPrincipal().GetSessionId()); err != nil {
		t.Fatal(err)
	}
	const n = 8
	results := make(chan error, n)
	for i := 0; i < n; i++ {
		go func() {
			_, err := c.Refresh(ctx, connect.NewRequest(&zeugov1.RefreshRequest{RefreshToken: res.Msg.GetTokens().GetRefreshToken()}))
			results <- err
		}()
	}
	// Wait (by polling pg_locks, not by guessing a duration) until all n
	// requests wait for a lock in this test's database.
	for {
		var waiting int
		if err := env.DB.Owner.QueryRow(ctx, `SELECT count(DISTINCT l.pid) FROM pg_locks l
			JOIN pg_stat_activity a ON a.pid = l.pid WHERE NOT l.granted AND a.datname = current_database()`).Scan(&waiting); err != nil {
			t.Fatal(err)
		}
		if waiting == n {
			break
		}
		if waiting > n {
			t.Fatalf("%d backends wait for locks, want %d", waiting, n)
		}
		if len(results) > 0 { // a refresh ended without waiting for the lock
			t.Fatalf("a refresh finished while the token was locked: %v", <-results)
		}
		time.Sleep(time.Millisecond)
	}
	if err := hold.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	ok := 0
	for i := 0; i < n; i++ {
		switch err := <-results; {
		case err == nil:
			ok++
		case code(err) != connect.CodeUnauthenticated:
			t.Errorf("refresh: %v", err)
		}
	}
	if ok != 1 {
		t.Fatalf("%d of %d concurrent refreshes with one token succeeded, want exactly 1", ok, n)
	}
}

func TestApplicationLogHasNoSecretsOrPersonalData(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ten := env.CreateTenant("Theta AG", "vertraulich.person@theta.example")
	c := env.AuthClient(env.HTTPClient(), apptest.Connect)
	res, err := login(t, c, ten.Email, ten.Password)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = login(t, c, ten.Email, "Falsch-Passwort-42!")
	_, _ = login(t, c, "unbekannt.person@theta.example", "Geheim-Passwort-43!")
	logText := env.Log.String()
	if logText == "" {
		t.Fatal("expected some log output")
	}
	for _, secret := range []string{ten.Email, "vertraulich", "unbekannt.person", ten.Password, "Falsch-Passwort-42!", "Geheim-Passwort-43!",
		res.Msg.GetTokens().GetAccessToken(), res.Msg.GetTokens().GetRefreshToken()} {
		if strings.Contains(logText, secret) {
			t.Errorf("log contains %q", secret)
		}
	}
}

func TestLockingAnAccountEndsItsLiveSessionsAtOnce(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ten := env.CreateTenant("Iota GmbH", "admin@iota.example")
	hc := env.HTTPClient()
	c := env.AuthClient(hc, apptest.Connect)
	res, err := login(t, c, ten.Email, ten.Password)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 5; i++ { // someone else guesses the password, as fast as the throttle lets them
		_, _ = login(t, env.AuthClient(env.HTTPClient(), apptest.GRPC), ten.Email, "Rate-mal-"+ten.Password)
		env.Clock.Advance(time.Minute)
	}
	if err := me(env, hc, apptest.Connect, res.Msg.GetTokens().GetAccessToken()); code(err) != connect.CodeUnauthenticated {
		t.Fatalf("token of a locked account: got %v, want Unauthenticated", err)
	}
}

func TestWeakerHashIsUpgradedAtLogin(t *testing.T) {
	t.Parallel()
	env := apptest.New(t, apptest.Options{HashParams: &password.OWASP})
	ten := env.CreateTenant("Kappa AG", "admin@kappa.example")
	weak := password.NewHasher(password.Params{MemoryKiB: 4096, Iterations: 1, Parallelism: 1, SaltLen: 16, KeyLen: 32}, 1)
	defer weak.Close()
	h, err := weak.Hash(context.Background(), ten.Password)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.DB.Owner.Exec(context.Background(), `UPDATE users SET password_hash = $1 WHERE id = $2`, h, ten.AdminID); err != nil {
		t.Fatal(err)
	}
	if _, err := login(t, env.AuthClient(env.HTTPClient(), apptest.Connect), ten.Email, ten.Password); err != nil {
		t.Fatalf("login with an old hash: %v", err)
	}
	var stored string
	if err := env.DB.Owner.QueryRow(context.Background(), `SELECT password_hash FROM users WHERE id = $1`, ten.AdminID).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(stored, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash not upgraded: %s", stored)
	}
}

func TestAbsoluteTimeoutEndsEvenAnActiveSession(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ten := env.CreateTenant("Lambda KG", "admin@lambda.example")
	hc := env.HTTPClient()
	c := env.AuthClient(hc, apptest.Connect)
	res, err := login(t, c, ten.Email, ten.Password)
	if err != nil {
		t.Fatal(err)
	}
	refresh := res.Msg.GetTokens().GetRefreshToken()
	// Active every 9 minutes for 12 hours: idle never expires, absolute does.
	for elapsed := time.Duration(0); elapsed < 12*time.Hour; elapsed += 9 * time.Minute {
		env.Clock.Advance(9 * time.Minute)
		r, err := c.Refresh(context.Background(), connect.NewRequest(&zeugov1.RefreshRequest{RefreshToken: refresh, RefreshTokenInBody: true}))
		if err != nil {
			if elapsed+9*time.Minute < 12*time.Hour {
				t.Fatalf("refresh after %v: %v", elapsed+9*time.Minute, err)
			}
			return
		}
		refresh = r.Msg.GetTokens().GetRefreshToken()
		if err := me(env, hc, apptest.Connect, r.Msg.GetTokens().GetAccessToken()); err != nil {
			t.Fatalf("me after %v: %v", elapsed+9*time.Minute, err)
		}
	}
	t.Fatal("the session outlived its absolute timeout")
}
