package auth_test

import (
	"context"
	"testing"

	"connectrpc.com/connect"
	"github.com/google/uuid"

	"github.com/zeugo/zeugo/backend/internal/apptest"
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
