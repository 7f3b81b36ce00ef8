package app_test

import (
	"context"
	"errors"
	"testing"

	"connectrpc.com/connect"
	"github.com/jackc/pgx/v5"

	"github.com/zeugo/zeugo/backend/internal/access"
	"github.com/zeugo/zeugo/backend/internal/apperr"

	"github.com/zeugo/zeugo/backend/internal/apptest"
	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
	"github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1/zeugov1connect"
)

// TestAuthenticatedReadIsOneRoundTrip: once a session was checked, a read
// carries its session check in the same pipelined round trip as the tenant
// binding and the query — and revocation, a lost area or a terminated
// tenant still act on the very next call.
func TestAuthenticatedReadIsOneRoundTrip(t *testing.T) {
	t.Parallel()
	trips := &apptest.TripCounter{}
	env := apptest.New(t, apptest.Options{Trips: trips})
	ten := env.CreateTenant("Runde GmbH", "admin@runde.example")
	ctx := context.Background()
	hc := env.HTTPClient()
	login, err := env.AuthClient(hc, apptest.Connect).Login(ctx, connect.NewRequest(&zeugov1.LoginRequest{Email: ten.Email, Password: ten.Password}))
	if err != nil {
		t.Fatal(err)
	}
	org := env.OrgClient(hc, apptest.Connect, login.Msg.GetTokens().GetAccessToken())
	co, err := org.CreateCompany(ctx, connect.NewRequest(&zeugov1.CreateCompanyRequest{Fields: &zeugov1.CompanyFields{Name: "Runde GmbH"}}))
	if err != nil {
		t.Fatal(err)
	}
	trips.Take()
	for name, call := range map[string]func() error{
		"ListCompanies": func() error {
			_, err := org.ListCompanies(ctx, connect.NewRequest(&zeugov1.ListCompaniesRequest{}))
			return err
		},
		"GetCompany": func() error {
			_, err := org.GetCompany(ctx, connect.NewRequest(&zeugov1.GetCompanyRequest{Id: co.Msg.GetCompany().GetId()}))
			return err
		},
	} {
		if err := call(); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if n := trips.Take(); n != 1 {
			t.Errorf("%s took %d round trips, want 1", name, n)
		}
	}

	// The role loses the structure areas: the next read is refused although
	// the remembered principal still had them.
	if _, err := env.DB.Owner.Exec(ctx, `UPDATE roles SET areas = '{letter_texts}' WHERE tenant_id = $1`, ten.TenantID); err != nil {
		t.Fatal(err)
	}
	if _, err := org.ListCompanies(ctx, connect.NewRequest(&zeugov1.ListCompaniesRequest{})); connect.CodeOf(err) != connect.CodePermissionDenied {
		t.Fatalf("after losing the area: %v", err)
	}
	// And regains it: allowed again at once.
	if _, err := env.DB.Owner.Exec(ctx, `UPDATE roles SET areas = '{administrator}' WHERE tenant_id = $1`, ten.TenantID); err != nil {
		t.Fatal(err)
	}
	if _, err := org.ListCompanies(ctx, connect.NewRequest(&zeugov1.ListCompaniesRequest{})); err != nil {
		t.Fatalf("after regaining the area: %v", err)
	}
	// The tenant becomes read-only: a write is refused before it changes anything.
	if _, err := env.DB.Owner.Exec(ctx, `UPDATE tenants SET status = 'terminated', terminated_at = now() WHERE id = $1`, ten.TenantID); err != nil {
		t.Fatal(err)
	}
	_, err = org.CreateCompany(ctx, connect.NewRequest(&zeugov1.CreateCompanyRequest{Fields: &zeugov1.CompanyFields{Name: "Danach GmbH"}}))
	if connect.CodeOf(err) != connect.CodeFailedPrecondition {
		t.Fatalf("write after termination: %v", err)
	}
	var n int
	if err := env.DB.Owner.QueryRow(ctx, `SELECT count(*) FROM companies WHERE tenant_id = $1`, ten.TenantID).Scan(&n); err != nil || n != 1 {
		t.Fatalf("companies: %d, %v; the refused write must change nothing", n, err)
	}
	// Revocation acts on the very next call.
	if _, err := env.DB.Owner.Exec(ctx, `UPDATE sessions SET revoked_at = now() WHERE tenant_id = $1`, ten.TenantID); err != nil {
		t.Fatal(err)
	}
	for name, call := range map[string]func() error{
		"ListCompanies": func() error {
			_, err := org.ListCompanies(ctx, connect.NewRequest(&zeugov1.ListCompaniesRequest{}))
			return err
		},
		"GetCompany": func() error {
			_, err := org.GetCompany(ctx, connect.NewRequest(&zeugov1.GetCompanyRequest{Id: co.Msg.GetCompany().GetId()}))
			return err
		},
		"Me": func() error {
			me := zeugov1connect.NewAuthServiceClient(hc, env.Server.URL, connect.WithInterceptors(apptest.Bearer(login.Msg.GetTokens().GetAccessToken())))
			_, err := me.Me(ctx, connect.NewRequest(&zeugov1.MeRequest{}))
			return err
		},
	} {
		if err := call(); connect.CodeOf(err) != connect.CodeUnauthenticated {
			t.Errorf("%s after revocation: %v", name, err)
		}
	}
}

// TestRefusedSessionCheckAbortsWhatRidesBehindIt: the owed check that rides
// in front of a statement fails the pipeline when the session is gone, so
// not even a write queued behind it commits (G26).
func TestRefusedSessionCheckAbortsWhatRidesBehindIt(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ten := env.CreateTenant("Schreib GmbH", "admin@schreib.example")
	ctx := context.Background()
	login, err := env.AuthClient(env.HTTPClient(), apptest.Connect).Login(ctx, connect.NewRequest(&zeugov1.LoginRequest{Email: ten.Email, Password: ten.Password}))
	if err != nil {
		t.Fatal(err)
	}
	token := login.Msg.GetTokens().GetAccessToken()
	if _, _, err := env.App.Auth.Authenticate(ctx, token, false); err != nil { // remembers the principal
		t.Fatal(err)
	}
	p, chk, err := env.App.Auth.Authenticate(ctx, token, true)
	if err != nil || chk == nil {
		t.Fatalf("want a remembered principal with an owed check: %v, %v", chk, err)
	}
	if _, err := env.DB.Owner.Exec(ctx, `UPDATE sessions SET revoked_at = now() WHERE tenant_id = $1`, ten.TenantID); err != nil {
		t.Fatal(err)
	}
	rule := access.Rule{Level: access.Write, Areas: []access.Area{access.AreaCompanyStructure}, Kinds: []access.Kind{access.KindUser}}
	call := access.NewCall(rule, p, chk)
	_, err = env.App.DB.Tenant(ten.TenantID).Exec(access.WithCall(ctx, call),
		`INSERT INTO org_units (id, tenant_id, kind, name, created_at, updated_at) VALUES (gen_random_uuid(), $1, 'location', 'Hinterher', now(), now())`, ten.TenantID)
	if !errors.Is(err, apperr.ErrUnauthenticated) {
		t.Fatalf("write behind a refused check: %v, want Unauthenticated", err)
	}
	var n int
	env.AsOwner(ten.TenantID, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `SELECT count(*) FROM org_units WHERE name = 'Hinterher'`).Scan(&n)
	})
	if n != 0 {
		t.Fatalf("rows written behind the refused check: %d", n)
	}
}

// TestRuleRefusalAndEarlierRefusalWriteNothing: a check that still finds
// the session but whose rule now refuses (the role lost its area) is
// decided after the pipeline ran — so everything behind the check runs
// read-only; and once a call was refused, no later statement of it reaches
// tenant data (a handler that carries on after the error).
func TestRuleRefusalAndEarlierRefusalWriteNothing(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ten := env.CreateTenant("Regel GmbH", "admin@regel.example")
	ctx := context.Background()
	login, err := env.AuthClient(env.HTTPClient(), apptest.Connect).Login(ctx, connect.NewRequest(&zeugov1.LoginRequest{Email: ten.Email, Password: ten.Password}))
	if err != nil {
		t.Fatal(err)
	}
	token := login.Msg.GetTokens().GetAccessToken()
	if _, _, err := env.App.Auth.Authenticate(ctx, token, false); err != nil {
		t.Fatal(err)
	}
	owing := func() (context.Context, *access.Call) {
		p, chk, err := env.App.Auth.Authenticate(ctx, token, true)
		if err != nil || chk == nil {
			t.Fatalf("want an owed check: %v", err)
		}
		rule := access.Rule{Level: access.Write, Areas: []access.Area{access.AreaCompanyStructure}, Kinds: []access.Kind{access.KindUser}}
		call := access.NewCall(rule, p, chk)
		return access.WithCall(ctx, call), call
	}
	insert := `INSERT INTO org_units (id, tenant_id, kind, name, created_at, updated_at) VALUES (gen_random_uuid(), $1, 'location', $2, now(), now())`
	count := func(name string) int {
		t.Helper()
		var n int
		env.AsOwner(ten.TenantID, func(tx pgx.Tx) error {
			return tx.QueryRow(ctx, `SELECT count(*) FROM org_units WHERE name = $1`, name).Scan(&n)
		})
		return n
	}

	// The reader is read-only even for a session in good standing.
	cctx, _ := owing()
	if _, err := env.App.DB.Tenant(ten.TenantID).Exec(cctx, insert, ten.TenantID, "Leser"); err == nil || count("Leser") != 0 {
		t.Fatalf("a write through the reader: %v, %d rows", err, count("Leser"))
	}

	// The role loses the area: the check finds the session, the rule refuses.
	if _, err := env.DB.Owner.Exec(ctx, `UPDATE roles SET areas = '{letter_texts}' WHERE tenant_id = $1`, ten.TenantID); err != nil {
		t.Fatal(err)
	}
	cctx, call := owing()
	err = env.App.DB.TenantBatch(cctx, ten.TenantID, func(b *pgx.Batch) { b.Queue(insert, ten.TenantID, "Ohne Recht") })
	if !errors.Is(err, apperr.ErrPermissionDenied) || count("Ohne Recht") != 0 {
		t.Fatalf("batch behind a rule refusal: %v, %d rows", err, count("Ohne Recht"))
	}
	// The handler carries on regardless: nothing reaches the database.
	ran := false
	err = env.App.DB.TenantTx(cctx, ten.TenantID, func(tx pgx.Tx) error {
		ran = true
		_, err := tx.Exec(cctx, insert, ten.TenantID, "Danach")
		return err
	})
	if !errors.Is(err, call.Err()) || ran || count("Danach") != 0 {
		t.Fatalf("after the refusal: %v (ran %v, %d rows)", err, ran, count("Danach"))
	}
}

// TestWriteDecidedOnStaleRightsChangesNothing: a write decided on a
// remembered principal whose role has since lost the area must not commit,
// and the caller is answered on the fresh rights (PermissionDenied, not
// thrown out): the owed check compares the rights versions the decision was
// made on (users.authz_version, roles.version, tenant state), refuses when
// they changed, and the interceptor decides the call again on a fresh check
// (G30; auth.TestCheckOnRememberedRightsRefusesWhenTheyChanged is the
// check itself).
func TestWriteDecidedOnStaleRightsChangesNothing(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ten := env.CreateTenant("Veraltet GmbH", "admin@veraltet.example")
	ctx := context.Background()
	hc := env.HTTPClient()
	login, err := env.AuthClient(hc, apptest.Connect).Login(ctx, connect.NewRequest(&zeugov1.LoginRequest{Email: ten.Email, Password: ten.Password}))
	if err != nil {
		t.Fatal(err)
	}
	org := env.OrgClient(hc, apptest.Connect, login.Msg.GetTokens().GetAccessToken())
	create := func(name string) error {
		_, err := org.CreateCompany(ctx, connect.NewRequest(&zeugov1.CreateCompanyRequest{Fields: &zeugov1.CompanyFields{Name: name}}))
		return err
	}
	if err := create("Erste GmbH"); err != nil { // the principal is now remembered
		t.Fatal(err)
	}
	// What the role service does: new areas, new version, one statement.
	if _, err := env.DB.Owner.Exec(ctx, `UPDATE roles SET areas = '{letter_texts}', version = version + 1 WHERE tenant_id = $1`, ten.TenantID); err != nil {
		t.Fatal(err)
	}
	if err := create("Zu spät GmbH"); connect.CodeOf(err) != connect.CodePermissionDenied {
		t.Fatalf("write after losing the area: %v, want PermissionDenied", err)
	}
	var n int
	if err := env.DB.Owner.QueryRow(ctx, `SELECT count(*) FROM companies WHERE tenant_id = $1`, ten.TenantID).Scan(&n); err != nil || n != 1 {
		t.Fatalf("companies: %d, %v; the write decided on stale rights must not commit", n, err)
	}
	// Rights regained (and a new user version, as a role assignment makes):
	// the next call is decided on the fresh rights and succeeds.
	for _, sql := range []string{`UPDATE roles SET areas = '{company_structure}', version = version + 1 WHERE tenant_id = $1`,
		`UPDATE users SET authz_version = authz_version + 1 WHERE tenant_id = $1`} {
		if _, err := env.DB.Owner.Exec(ctx, sql, ten.TenantID); err != nil {
			t.Fatal(err)
		}
	}
	if err := create("Wieder GmbH"); err != nil {
		t.Fatalf("after regaining the area: %v", err)
	}
}
