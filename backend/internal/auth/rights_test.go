package auth_test

import (
	"context"
	"testing"

	"connectrpc.com/connect"
	"github.com/google/uuid"

	"github.com/zeugo/zeugo/backend/internal/access"
	"github.com/zeugo/zeugo/backend/internal/apperr"
	"github.com/zeugo/zeugo/backend/internal/apptest"
	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
)

// TestCheckOnRememberedRightsRefusesWhenTheyChanged: the statements of a
// call decided on a remembered principal ride behind its session check and
// use the remembered certificate-access scope in their SQL. When the user's
// rights changed since (here: the scope narrowed), the check must refuse —
// aborting what rides behind it — rather than hand back the fresh rights
// after the reads already ran with the old scope (G30). The call is then
// decided again on a fresh check, which carries the new scope.
func TestCheckOnRememberedRightsRefusesWhenTheyChanged(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ten := env.CreateTenant("Umfang GmbH", "admin@umfang.example")
	ctx := context.Background()
	res, err := env.AuthClient(env.HTTPClient(), apptest.Connect).Login(ctx,
		connect.NewRequest(&zeugov1.LoginRequest{Email: ten.Email, Password: ten.Password}))
	if err != nil {
		t.Fatal(err)
	}
	tok := res.Msg.GetTokens().GetAccessToken()
	a := env.App.Auth
	rule := access.Rule{Level: access.SignedIn, Kinds: []access.Kind{access.KindUser}}

	// A fresh check remembers the principal: everything, as provisioned.
	p, chk, err := a.Authenticate(ctx, tok, false)
	if err != nil || chk != nil || !p.Scope.All {
		t.Fatalf("fresh check: %+v, %v, %v", p, chk, err)
	}
	// The next call is decided on the remembered principal.
	p, chk, err = a.Authenticate(ctx, tok, true)
	if err != nil || chk == nil {
		t.Fatalf("remembered principal: %v, owed check %v", err, chk)
	}
	call := access.NewCall(rule, p, chk)
	if err := a.Settle(ctx, call); err != nil || call.Stale() {
		t.Fatalf("unchanged rights: %v (stale %v)", err, call.Stale())
	}

	// The user's certificate access narrows to one company, as the user
	// service writes it (new authz_version in the same statement).
	company := uuid.New()
	if _, err := env.DB.Owner.Exec(ctx, `UPDATE users SET access_all = false, access_companies = $2, authz_version = authz_version + 1,
		role_id = (SELECT id FROM roles r WHERE r.tenant_id = $1 AND r.builtin)
		WHERE tenant_id = $1`, ten.TenantID, []uuid.UUID{company}); err != nil {
		t.Fatal(err)
	}
	// Only the area administrator implies all certificates; a role without it.
	if _, err := env.DB.Owner.Exec(ctx, `UPDATE roles SET areas = '{employees}', version = version + 1 WHERE tenant_id = $1`, ten.TenantID); err != nil {
		t.Fatal(err)
	}
	p, chk, err = a.Authenticate(ctx, tok, true)
	if err != nil || chk == nil || !p.Scope.All {
		t.Fatalf("still remembered: %+v, %v, %v", p, chk, err)
	}
	call = access.NewCall(rule, p, chk)
	if err := a.Settle(ctx, call); !apperr.Is(err, apperr.Unauthenticated) || !call.Stale() {
		t.Fatalf("check on changed rights: %v (stale %v); want a refusal that the interceptor decides again", err, call.Stale())
	}
	// Decided again, fresh: the narrowed scope.
	p, chk, err = a.Authenticate(ctx, tok, false)
	if err != nil || chk != nil || p.Scope.All || len(p.Scope.Companies) != 1 || p.Scope.Companies[0] != company {
		t.Fatalf("fresh check after the change: %+v, %v", p, err)
	}
	// And a call through the server is answered on the fresh rights, not
	// thrown out: Me works (signed-in only), the structure is refused.
	if err := me(env, env.HTTPClient(), apptest.Connect, tok); err != nil {
		t.Fatalf("Me after the change: %v", err)
	}
}
