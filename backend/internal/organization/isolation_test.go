package organization_test

import (
	"context"
	"fmt"
	"testing"

	"connectrpc.com/connect"
	"github.com/jackc/pgx/v5"

	"github.com/zeugo/zeugo/backend/internal/apptest"
	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
	"github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1/zeugov1connect"
	"github.com/zeugo/zeugo/backend/internal/postgres"
)

// Tenant isolation has two mechanisms (DESIGN.md §4), and either one alone
// must hold:
//
//  1. the application's tenant filter: every statement says tenant_id = the
//     caller's tenant (the sqlc queries, postgres.List, StaleOrMissing);
//  2. row-level security: zeugo_app sees only the rows of the tenant bound
//     to the transaction.
//
// With both in force, a missing filter goes unnoticed because RLS hides the
// rows anyway. So TestTenantIsolationThroughTheAPI runs the same
// cross-tenant checks twice: once as production runs (both), and once over
// a server whose role bypasses RLS (apptest.Options.BypassRLS), where the
// filter is all that stands between the tenants — the proof of mechanism 1
// alone. Mechanism 2 alone is proven in postgres/rls_test.go, which runs
// statements without any tenant filter as zeugo_app.
func TestTenantIsolationThroughTheAPI(t *testing.T) {
	t.Parallel()
	for _, mode := range []struct {
		name   string
		bypass bool
	}{
		{"filter and RLS (production)", false},
		{"tenant filter alone (RLS bypassed)", true},
	} {
		t.Run(mode.name, func(t *testing.T) {
			t.Parallel()
			testIsolation(t, apptest.New(t, apptest.Options{BypassRLS: mode.bypass}), mode.bypass)
		})
	}
}

// isoTenant is one tenant of the isolation test and what it created.
type isoTenant struct {
	*apptest.Tenant
	tag string
	c   zeugov1connect.OrganizationServiceClient
	// companies and units (per kind) hold every id; the *Match sets the
	// ids whose name contains isoSearch.
	companies, companiesMatch map[string]bool
	units, unitsMatch         map[zeugov1.UnitKind]map[string]bool
}

// isoSearch occurs in names of both tenants, so a search that forgets the
// tenant would find the other tenant's rows too.
const isoSearch = "gemeinsam"

var unitKinds = []zeugov1.UnitKind{zeugov1.UnitKind_UNIT_KIND_LOCATION, zeugov1.UnitKind_UNIT_KIND_DEPARTMENT,
	zeugov1.UnitKind_UNIT_KIND_ORG_UNIT, zeugov1.UnitKind_UNIT_KIND_EMPLOYEE_TYPE}

// seedIsolation creates matching and other companies and units of every
// kind for the tenant; the two tenants get different numbers of rows, so
// a total that counts both tenants cannot equal either's own.
func seedIsolation(t *testing.T, tn *isoTenant, matching, other int) {
	t.Helper()
	tag := tn.tag
	ctx := context.Background()
	tn.companies, tn.companiesMatch = map[string]bool{}, map[string]bool{}
	tn.units, tn.unitsMatch = map[zeugov1.UnitKind]map[string]bool{}, map[zeugov1.UnitKind]map[string]bool{}
	for i := range matching + other {
		name, city := fmt.Sprintf("Gemeinsam %s %d GmbH", tag, i), fmt.Sprintf("Stadt %c", 'A'+(i*7)%26)
		if i >= matching {
			name = fmt.Sprintf("Eigen %s %d KG", tag, i)
		}
		res, err := tn.c.CreateCompany(ctx, connect.NewRequest(&zeugov1.CreateCompanyRequest{
			Fields: &zeugov1.CompanyFields{Name: name, City: city}}))
		if err != nil {
			t.Fatalf("create company %s: %v", name, err)
		}
		id := res.Msg.GetCompany().GetId()
		tn.companies[id] = true
		if i < matching {
			tn.companiesMatch[id] = true
		}
	}
	for _, kind := range unitKinds {
		tn.units[kind], tn.unitsMatch[kind] = map[string]bool{}, map[string]bool{}
		for i := range matching + other {
			name := fmt.Sprintf("Gemeinsam %s %d/%d", tag, kind, i)
			if i >= matching {
				name = fmt.Sprintf("Eigen %s %d/%d", tag, kind, i)
			}
			res, err := tn.c.CreateUnit(ctx, connect.NewRequest(&zeugov1.CreateUnitRequest{Kind: kind, Fields: &zeugov1.UnitFields{Name: name}}))
			if err != nil {
				t.Fatalf("create unit %s: %v", name, err)
			}
			id := res.Msg.GetUnit().GetId()
			tn.units[kind][id] = true
			if i < matching {
				tn.unitsMatch[kind][id] = true
			}
		}
	}
}

func testIsolation(t *testing.T, env *apptest.Env, bypass bool) {
	ctx := context.Background()
	a := &isoTenant{Tenant: env.CreateTenant("Mandant Eins", "hr@eins.example"), tag: "A"}
	b := &isoTenant{Tenant: env.CreateTenant("Mandant Zwei", "hr@zwei.example"), tag: "B"}
	a.c, b.c = signIn(t, env, a.Tenant, apptest.Connect), signIn(t, env, b.Tenant, apptest.GRPC)
	seedIsolation(t, a, 5, 2)
	seedIsolation(t, b, 3, 1)

	// The mode is what it claims: in a transaction bound to B on the
	// server's own pool, an unfiltered statement sees A's rows exactly when
	// RLS is bypassed. Without this, the bypass run could silently test
	// RLS again.
	for _, tbl := range []string{"companies", "org_units"} {
		var foreign int
		err := (&postgres.DB{Pool: env.Pool}).TenantTx(ctx, b.TenantID, func(tx pgx.Tx) error {
			return tx.QueryRow(ctx, "SELECT count(*) FROM "+tbl+" WHERE tenant_id <> $1", b.TenantID).Scan(&foreign)
		})
		if err != nil {
			t.Fatal(err)
		}
		if bypass != (foreign > 0) {
			t.Fatalf("%s: the server's role sees %d rows of another tenant in B's transaction; RLS bypassed = %v", tbl, foreign, bypass)
		}
	}

	for _, pair := range []struct{ attacker, victim *isoTenant }{{b, a}, {a, b}} {
		att, vic := pair.attacker, pair.victim
		t.Run(att.tag+" uses "+vic.tag+"'s ids", func(t *testing.T) {
			checkForeignIDs(t, att, vic)
		})
		t.Run(att.tag+"'s lists", func(t *testing.T) {
			checkLists(t, att)
		})
		t.Run(att.tag+" uses "+vic.tag+"'s page tokens", func(t *testing.T) {
			checkForeignTokens(t, att, vic)
		})
	}

	// Nothing of either tenant was changed or deleted by the other: every
	// row is there, at version 1 (the owner's pool sees through RLS).
	for _, tn := range []*isoTenant{a, b} {
		var companies, units, changed int
		if err := env.DB.Owner.QueryRow(ctx, `SELECT (SELECT count(*) FROM companies WHERE tenant_id = $1),
			(SELECT count(*) FROM org_units WHERE tenant_id = $1),
			(SELECT count(*) FROM companies WHERE tenant_id = $1 AND version <> 1)
			+ (SELECT count(*) FROM org_units WHERE tenant_id = $1 AND version <> 1)`, tn.TenantID).
			Scan(&companies, &units, &changed); err != nil {
			t.Fatal(err)
		}
		if companies != len(tn.companies) || units != 4*len(tn.units[unitKinds[0]]) || changed != 0 {
			t.Errorf("tenant %s after the other tenant's attempts: %d companies (want %d), %d units (want %d), %d changed (want 0)",
				tn.tag, companies, len(tn.companies), units, 4*len(tn.units[unitKinds[0]]), changed)
		}
	}
}

// checkForeignIDs: the attacker reads, updates (with the right version, so
// only the tenant decides) and deletes every company and unit of the victim
// by id; each answer is NotFound, exactly as for an id that does not exist.
func checkForeignIDs(t *testing.T, att, vic *isoTenant) {
	ctx := context.Background()
	for id := range vic.companies {
		checks := map[string]error{}
		_, checks["GetCompany"] = att.c.GetCompany(ctx, connect.NewRequest(&zeugov1.GetCompanyRequest{Id: id}))
		_, checks["UpdateCompany"] = att.c.UpdateCompany(ctx, connect.NewRequest(&zeugov1.UpdateCompanyRequest{
			Id: id, Version: 1, Fields: &zeugov1.CompanyFields{Name: "Gekapert"}}))
		_, checks["DeleteCompany"] = att.c.DeleteCompany(ctx, connect.NewRequest(&zeugov1.DeleteCompanyRequest{Id: id}))
		for rpc, err := range checks {
			if connect.CodeOf(err) != connect.CodeNotFound {
				t.Errorf("%s of the other tenant's company %s: got %v, want NotFound", rpc, id, err)
			}
		}
	}
	for kind, ids := range vic.units {
		for id := range ids {
			checks := map[string]error{}
			_, checks["GetUnit"] = att.c.GetUnit(ctx, connect.NewRequest(&zeugov1.GetUnitRequest{Id: id}))
			_, checks["UpdateUnit"] = att.c.UpdateUnit(ctx, connect.NewRequest(&zeugov1.UpdateUnitRequest{
				Id: id, Version: 1, Fields: &zeugov1.UnitFields{Name: "Gekapert"}}))
			_, checks["DeleteUnit"] = att.c.DeleteUnit(ctx, connect.NewRequest(&zeugov1.DeleteUnitRequest{Id: id}))
			for rpc, err := range checks {
				if connect.CodeOf(err) != connect.CodeNotFound {
					t.Errorf("%s of the other tenant's %v %s: got %v, want NotFound", rpc, kind, id, err)
				}
			}
		}
	}
}

var directions = []zeugov1.SortDirection{zeugov1.SortDirection_SORT_DIRECTION_ASCENDING, zeugov1.SortDirection_SORT_DIRECTION_DESCENDING}

// checkLists walks every list of the tenant to its end in every order and
// direction, with and without a search that also matches the other
// tenant's names, two rows a page: it shows exactly the tenant's own rows,
// and every page's total counts only them.
func checkLists(t *testing.T, tn *isoTenant) {
	ctx := context.Background()
	for _, order := range []zeugov1.CompanyOrder{zeugov1.CompanyOrder_COMPANY_ORDER_NAME, zeugov1.CompanyOrder_COMPANY_ORDER_CITY,
		zeugov1.CompanyOrder_COMPANY_ORDER_UPDATE_TIME} {
		for _, dir := range directions {
			for _, search := range []string{"", isoSearch} {
				want := tn.companies
				if search != "" {
					want = tn.companiesMatch
				}
				req := &zeugov1.ListCompaniesRequest{OrderBy: order, Direction: dir, Query: search, Page: &zeugov1.PageRequest{PageSize: 2}}
				var got []string
				for {
					res, err := tn.c.ListCompanies(ctx, connect.NewRequest(req))
					if err != nil {
						t.Fatalf("ListCompanies %v %v %q: %v", order, dir, search, err)
					}
					for _, c := range res.Msg.GetCompanies() {
						got = append(got, c.GetId())
					}
					if total := res.Msg.GetPage().GetTotalSize(); total != int64(len(want)) {
						t.Errorf("ListCompanies %v %v %q: total %d, want the tenant's own %d", order, dir, search, total, len(want))
					}
					if req.Page.PageToken = res.Msg.GetPage().GetNextPageToken(); req.Page.PageToken == "" {
						break
					}
				}
				sameIDs(t, fmt.Sprintf("ListCompanies %v %v %q", order, dir, search), got, want)
			}
		}
	}
	for _, kind := range unitKinds {
		for _, order := range []zeugov1.UnitOrder{zeugov1.UnitOrder_UNIT_ORDER_NAME, zeugov1.UnitOrder_UNIT_ORDER_UPDATE_TIME} {
			for _, dir := range directions {
				for _, search := range []string{"", isoSearch} {
					want := tn.units[kind]
					if search != "" {
						want = tn.unitsMatch[kind]
					}
					req := &zeugov1.ListUnitsRequest{Kind: kind, OrderBy: order, Direction: dir, Query: search, Page: &zeugov1.PageRequest{PageSize: 2}}
					var got []string
					for {
						res, err := tn.c.ListUnits(ctx, connect.NewRequest(req))
						if err != nil {
							t.Fatalf("ListUnits %v %v %v %q: %v", kind, order, dir, search, err)
						}
						for _, u := range res.Msg.GetUnits() {
							got = append(got, u.GetId())
						}
						if total := res.Msg.GetPage().GetTotalSize(); total != int64(len(want)) {
							t.Errorf("ListUnits %v %v %v %q: total %d, want the tenant's own %d", kind, order, dir, search, total, len(want))
						}
						if req.Page.PageToken = res.Msg.GetPage().GetNextPageToken(); req.Page.PageToken == "" {
							break
						}
					}
					sameIDs(t, fmt.Sprintf("ListUnits %v %v %v %q", kind, order, dir, search), got, want)
				}
			}
		}
	}
}

// sameIDs reports ids that are not the tenant's own, duplicates, and own
// ids the walk missed.
func sameIDs(t *testing.T, what string, got []string, want map[string]bool) {
	t.Helper()
	seen := map[string]bool{}
	for _, id := range got {
		if !want[id] {
			t.Errorf("%s shows %s, which is not among the tenant's own rows", what, id)
		}
		if seen[id] {
			t.Errorf("%s shows %s twice", what, id)
		}
		seen[id] = true
	}
	if len(seen) != len(want) {
		t.Errorf("%s: %d distinct rows, want the tenant's %d", what, len(seen), len(want))
	}
}

// checkForeignTokens: a page token the victim received opens nothing for
// the attacker, even in the same list, order and search.
func checkForeignTokens(t *testing.T, att, vic *isoTenant) {
	ctx := context.Background()
	dep := zeugov1.UnitKind_UNIT_KIND_DEPARTMENT
	cres, err := vic.c.ListCompanies(ctx, connect.NewRequest(&zeugov1.ListCompaniesRequest{Page: &zeugov1.PageRequest{PageSize: 1}}))
	if err != nil {
		t.Fatal(err)
	}
	ures, err := vic.c.ListUnits(ctx, connect.NewRequest(&zeugov1.ListUnitsRequest{Kind: dep, Page: &zeugov1.PageRequest{PageSize: 1}}))
	if err != nil {
		t.Fatal(err)
	}
	ctok, utok := cres.Msg.GetPage().GetNextPageToken(), ures.Msg.GetPage().GetNextPageToken()
	if ctok == "" || utok == "" {
		t.Fatal("the victim's lists gave no page token")
	}
	_, cerr := att.c.ListCompanies(ctx, connect.NewRequest(&zeugov1.ListCompaniesRequest{Page: &zeugov1.PageRequest{PageSize: 1, PageToken: ctok}}))
	_, uerr := att.c.ListUnits(ctx, connect.NewRequest(&zeugov1.ListUnitsRequest{Kind: dep, Page: &zeugov1.PageRequest{PageSize: 1, PageToken: utok}}))
	for what, err := range map[string]error{"ListCompanies": cerr, "ListUnits": uerr} {
		if connect.CodeOf(err) != connect.CodeInvalidArgument || violations(t, err)["page.page_token"] != "zeugo.page_token" {
			t.Errorf("%s with the other tenant's page token: %v; want InvalidArgument on page.page_token", what, err)
		}
	}
}
