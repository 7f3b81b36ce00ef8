package auth_test

import (
	"context"
	"testing"

	"connectrpc.com/connect"
	"github.com/google/uuid"

	"github.com/zeugo/zeugo/backend/internal/apptest"
	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
)

// TestOneEmailInTwoTenantsSignsIntoTheAccountItsPasswordOpens: an email is
// unique within a tenant only (docs/security.md §2.2). Login names no
// tenant, so the password decides which account signs in; a wrong password
// counts against each account of the email, and neither answer tells that
// the address has two accounts.
func TestOneEmailInTwoTenantsSignsIntoTheAccountItsPasswordOpens(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	a := env.CreateTenant("Erste Zwei GmbH", "doppelt@zwei.example")
	b := env.CreateTenant("Zweite Zwei GmbH", "DOPPELT@zwei.example")
	if a.Password == b.Password {
		t.Fatal("the two accounts need different passwords")
	}
	c := env.AuthClient(env.HTTPClient(), apptest.Connect)
	for _, ten := range []*apptest.Tenant{a, b} {
		res, err := login(t, c, "doppelt@zwei.example", ten.Password)
		if err != nil {
			t.Fatalf("password of %s: %v", ten.Slug, err)
		}
		if got := res.Msg.GetPrincipal().GetTenantId(); got != ten.TenantID.String() {
			t.Errorf("password of %s signed into tenant %s", ten.Slug, got)
		}
	}
	_, err := login(t, c, "doppelt@zwei.example", "Falsch-Falsch-1")
	if code(err) != connect.CodeUnauthenticated {
		t.Fatalf("wrong password: %v", err)
	}
	var fails []int
	rows, err := env.DB.Owner.Query(context.Background(), `SELECT failed_logins FROM users WHERE tenant_id = ANY($1) ORDER BY tenant_id`,
		[]uuid.UUID{a.TenantID, b.TenantID})
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var n int
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		fails = append(fails, n)
	}
	if len(fails) != 2 || fails[0] != 1 || fails[1] != 1 {
		t.Errorf("failed logins per account %v, want one each", fails)
	}
}

// TestLoginFromABrowserWithASessionEndsThatSession: a browser that signs in
// again while it still holds a session (its refresh cookie) gets a new
// session, and the old one ends at once (ASVS V7.2.4, G22).
func TestLoginFromABrowserWithASessionEndsThatSession(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ten := env.CreateTenant("Wieder GmbH", "admin@wieder.example")
	hc := env.HTTPClient() // one browser: keeps its cookies
	c := env.AuthClient(hc, apptest.Connect)
	ctx := context.Background()
	signIn := func() string {
		t.Helper()
		res, err := c.Login(ctx, connect.NewRequest(&zeugov1.LoginRequest{Email: ten.Email, Password: ten.Password}))
		if err != nil {
			t.Fatal(err)
		}
		return res.Msg.GetTokens().GetAccessToken()
	}
	first := signIn()
	second := signIn()
	if err := me(env, hc, apptest.Connect, first); code(err) != connect.CodeUnauthenticated {
		t.Fatalf("the replaced session still answers: %v", err)
	}
	if err := me(env, hc, apptest.Connect, second); err != nil {
		t.Fatalf("the new session: %v", err)
	}
	// Another browser's session is not touched by this browser's login.
	other := env.HTTPClient()
	res, err := env.AuthClient(other, apptest.Connect).Login(ctx, connect.NewRequest(&zeugov1.LoginRequest{Email: ten.Email, Password: ten.Password}))
	if err != nil {
		t.Fatal(err)
	}
	signIn()
	if err := me(env, other, apptest.Connect, res.Msg.GetTokens().GetAccessToken()); err != nil {
		t.Fatalf("another browser's session ended: %v", err)
	}
}
