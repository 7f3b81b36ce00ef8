package mfa_test

import (
	"context"
	"testing"

	"connectrpc.com/connect"
	"github.com/jackc/pgx/v5"

	"github.com/zeugo/zeugo/backend/internal/apptest"
	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
	"github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1/zeugov1connect"
)

func (c *client) passkeyLogin(key *softKey) error {
	begin, err := c.auth().BeginPasskeyLogin(context.Background(), connect.NewRequest(&zeugov1.BeginPasskeyLoginRequest{}))
	if err != nil {
		return err
	}
	return c.finishPasskeyLogin(begin.Msg.GetCeremonyId(), key.get(begin.Msg.GetWebauthnOptions()))
}

func (c *client) finishPasskeyLogin(ceremony, assertion string) error {
	res, err := c.auth().FinishPasskeyLogin(context.Background(), connect.NewRequest(&zeugov1.FinishPasskeyLoginRequest{
		CeremonyId: ceremony, Assertion: assertion, RefreshTokenInBody: true}))
	if err == nil {
		c.token = res.Msg.GetTokens().GetAccessToken()
	}
	return err
}

func allowPasskeyLogin(t testing.TB, env *apptest.Env, admin *client) {
	t.Helper()
	settings := zeugov1connect.NewSecuritySettingsServiceClient(admin.hc, env.Server.URL,
		connect.WithInterceptors(apptest.Bearer(admin.token)))
	cur, err := settings.GetSecuritySettings(context.Background(), connect.NewRequest(&zeugov1.GetSecuritySettingsRequest{}))
	if err != nil {
		t.Fatal(err)
	}
	f := cur.Msg.GetSettings().GetFields()
	f.PasskeyLogin = true
	if _, err := settings.UpdateSecuritySettings(context.Background(), connect.NewRequest(&zeugov1.UpdateSecuritySettingsRequest{
		Version: cur.Msg.GetSettings().GetVersion(), Fields: f})); err != nil {
		t.Fatal(err)
	}
}

// TestPasswordlessPasskey: a passkey signs in alone only where the tenant
// allows it, only with user verification, once per ceremony, and not for
// a locked account; every refusal looks the same.
func TestPasswordlessPasskey(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ten := env.CreateTenant("Alpha AG", "anna@alpha.example")
	admin := newClient(t, env, apptest.Connect)
	if _, err := admin.login(ten.Email, ten.Password); err != nil {
		t.Fatal(err)
	}
	key := newSoftKey(t)
	if _, err := admin.registerKey(ten.Password, key); err != nil {
		t.Fatal(err)
	}
	c := newClient(t, env, apptest.GRPC)
	apptest.WantCode(t, c.passkeyLogin(key), connect.CodeUnauthenticated, "passkey login where the tenant does not allow it")

	allowPasskeyLogin(t, env, admin)
	begin, err := c.auth().BeginPasskeyLogin(context.Background(), connect.NewRequest(&zeugov1.BeginPasskeyLoginRequest{}))
	if err != nil {
		t.Fatal(err)
	}
	assertion := key.get(begin.Msg.GetWebauthnOptions())
	if err := c.finishPasskeyLogin(begin.Msg.GetCeremonyId(), assertion); err != nil {
		t.Fatalf("passkey login: %v", err)
	}
	if err := c.me(); err != nil {
		t.Fatal(err)
	}
	l, err := c.factors().ListMyFactors(context.Background(), connect.NewRequest(&zeugov1.ListMyFactorsRequest{}))
	if err != nil || l.Msg.GetStepUpValidUntil() == nil {
		t.Fatalf("a passkey login counts as a step-up: %v %v", l, err)
	}
	apptest.WantCode(t, newClient(t, env, apptest.Connect).finishPasskeyLogin(begin.Msg.GetCeremonyId(), assertion),
		connect.CodeUnauthenticated, "a replayed answer")

	noUV := *key
	noUV.noUV = true
	apptest.WantCode(t, c.passkeyLogin(&noUV), connect.CodeUnauthenticated, "a passkey without user verification")
	key.count = noUV.count
	apptest.WantCode(t, c.passkeyLogin(newSoftKey(t)), connect.CodeUnauthenticated, "an unknown passkey")

	env.AsOwner(ten.TenantID, func(tx pgx.Tx) error {
		_, err := tx.Exec(context.Background(), `UPDATE users SET status = 'locked' WHERE tenant_id = $1 AND id = $2`, ten.TenantID, ten.AdminID)
		return err
	})
	apptest.WantCode(t, c.passkeyLogin(key), connect.CodeUnauthenticated, "a locked account's passkey")
	if n := auditActions(t, env, ten.TenantID)["auth.login.failed"]; n < 2 {
		t.Fatalf("%d failed passkey logins audited, want ≥ 2", n)
	}
}
