package organization_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"buf.build/gen/go/bufbuild/protovalidate/protocolbuffers/go/buf/validate"
	"connectrpc.com/connect"

	"github.com/zeugo/zeugo/backend/internal/apptest"
	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
	"github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1/zeugov1connect"
)

func signIn(t *testing.T, env *apptest.Env, ten *apptest.Tenant, p apptest.Protocol) zeugov1connect.OrganizationServiceClient {
	t.Helper()
	hc := env.HTTPClient()
	res, err := env.AuthClient(hc, p).Login(context.Background(), connect.NewRequest(&zeugov1.LoginRequest{Email: ten.Email, Password: ten.Password}))
	if err != nil {
		t.Fatalf("login: %v", err)
	}
	return env.OrgClient(hc, p, res.Msg.GetTokens().GetAccessToken())
}

func violations(t *testing.T, err error) map[string]string {
	t.Helper()
	var ce *connect.Error
	if !errors.As(err, &ce) {
		t.Fatalf("not a connect error: %v", err)
	}
	out := map[string]string{}
	for _, d := range ce.Details() {
		m, derr := d.Value()
		if derr != nil {
			continue
		}
		if v, ok := m.(*validate.Violations); ok {
			for _, vi := range v.GetViolations() {
				path := ""
				for i, el := range vi.GetField().GetElements() {
					if i > 0 {
						path += "."
					}
					path += el.GetFieldName()
				}
				if _, seen := out[path]; !seen { // the first violation of a field is the one shown
					out[path] = vi.GetRuleId()
				}
			}
		}
	}
	return out
}

func auditCount(t *testing.T, env *apptest.Env, ten *apptest.Tenant) int {
	t.Helper()
	var n int
	if err := env.DB.Owner.QueryRow(context.Background(), `SELECT count(*) FROM audit_events WHERE tenant_id = $1`, ten.TenantID).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestCompanyLifecycleOverAllProtocols(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ten := env.CreateTenant("Muster AG", "hr@muster-ag.example")
	for _, p := range []apptest.Protocol{apptest.Connect, apptest.GRPC, apptest.GRPCWeb} {
		t.Run(p.String(), func(t *testing.T) {
			c := signIn(t, env, ten, p)
			ctx := context.Background()
			name := "Müller & Söhne GmbH " + p.String()
			cr, err := c.CreateCompany(ctx, connect.NewRequest(&zeugov1.CreateCompanyRequest{Fields: &zeugov1.CompanyFields{
				Name: name, Street: "Hauptstraße 5", Postcode: "10115", City: "Berlin", Email: "info@mueller.example", VatId: "DE123456789"}}))
			if err != nil {
				t.Fatalf("create: %v", err)
			}
			co := cr.Msg.GetCompany()
			if co.GetVersion() != 1 || co.GetFields().GetName() != name {
				t.Fatalf("created = %v", co)
			}
			got, err := c.GetCompany(ctx, connect.NewRequest(&zeugov1.GetCompanyRequest{Id: co.GetId()}))
			if err != nil || got.Msg.GetCompany().GetFields().GetCity() != "Berlin" {
				t.Fatalf("get: %v %v", got, err)
			}
			f := co.GetFields()
			f.City = "Potsdam"
			up, err := c.UpdateCompany(ctx, connect.NewRequest(&zeugov1.UpdateCompanyRequest{Id: co.GetId(), Version: 1, Fields: f}))
			if err != nil || up.Msg.GetCompany().GetVersion() != 2 {
				t.Fatalf("update: %v %v", up, err)
			}
			// A stale version is refused, not silently overwritten.
			_, err = c.UpdateCompany(ctx, connect.NewRequest(&zeugov1.UpdateCompanyRequest{Id: co.GetId(), Version: 1, Fields: f}))
			if connect.CodeOf(err) != connect.CodeAborted {
				t.Fatalf("stale update: %v", err)
			}
			list, err := c.ListCompanies(ctx, connect.NewRequest(&zeugov1.ListCompaniesRequest{}))
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, x := range list.Msg.GetCompanies() {
				found = found || x.GetId() == co.GetId()
			}
			if !found {
				t.Fatal("created company not listed")
			}
			if _, err := c.DeleteCompany(ctx, connect.NewRequest(&zeugov1.DeleteCompanyRequest{Id: co.GetId()})); err != nil {
				t.Fatalf("delete: %v", err)
			}
			if _, err := c.GetCompany(ctx, connect.NewRequest(&zeugov1.GetCompanyRequest{Id: co.GetId()})); connect.CodeOf(err) != connect.CodeNotFound {
				t.Fatalf("get after delete: %v", err)
			}
		})
	}
}

func TestUnitsPerKind(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ten := env.CreateTenant("Einheiten GmbH", "hr@einheiten.example")
	c := signIn(t, env, ten, apptest.Connect)
	ctx := context.Background()
	kinds := []zeugov1.UnitKind{zeugov1.UnitKind_UNIT_KIND_LOCATION, zeugov1.UnitKind_UNIT_KIND_DEPARTMENT,
		zeugov1.UnitKind_UNIT_KIND_ORG_UNIT, zeugov1.UnitKind_UNIT_KIND_EMPLOYEE_TYPE}
	for _, k := range kinds {
		// The same name may exist once per kind.
		if _, err := c.CreateUnit(ctx, connect.NewRequest(&zeugov1.CreateUnitRequest{Kind: k, Fields: &zeugov1.UnitFields{Name: "Nord"}})); err != nil {
			t.Fatalf("create %v: %v", k, err)
		}
	}
	for _, k := range kinds {
		l, err := c.ListUnits(ctx, connect.NewRequest(&zeugov1.ListUnitsRequest{Kind: k}))
		if err != nil || len(l.Msg.GetUnits()) != 1 || l.Msg.GetUnits()[0].GetKind() != k {
			t.Fatalf("list %v: %v %v", k, l, err)
		}
		u := l.Msg.GetUnits()[0]
		up, err := c.UpdateUnit(ctx, connect.NewRequest(&zeugov1.UpdateUnitRequest{Id: u.GetId(), Version: u.GetVersion(),
			Fields: &zeugov1.UnitFields{Name: "Süd", Description: "umbenannt"}}))
		if err != nil || up.Msg.GetUnit().GetFields().GetName() != "Süd" {
			t.Fatalf("update: %v", err)
		}
		if _, err := c.DeleteUnit(ctx, connect.NewRequest(&zeugov1.DeleteUnitRequest{Id: u.GetId()})); err != nil {
			t.Fatalf("delete: %v", err)
		}
	}
	_, err := c.ListUnits(ctx, connect.NewRequest(&zeugov1.ListUnitsRequest{}))
	if v := violations(t, err); connect.CodeOf(err) != connect.CodeInvalidArgument || v["kind"] != "enum.not_in" {
		t.Fatalf("unspecified kind: %v %v", err, v)
	}
}

func TestValidationErrorsNameTheFieldAndChangeNothing(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ten := env.CreateTenant("Valide GmbH", "hr@valide.example")
	c := signIn(t, env, ten, apptest.Connect)
	ctx := context.Background()
	before := auditCount(t, env, ten)
	_, err := c.CreateCompany(ctx, connect.NewRequest(&zeugov1.CreateCompanyRequest{Fields: &zeugov1.CompanyFields{
		Name: "", Email: "keine-adresse", Postcode: "12<>", Country: "Deutschland"}}))
	if connect.CodeOf(err) != connect.CodeInvalidArgument {
		t.Fatalf("got %v", err)
	}
	v := violations(t, err)
	for field, rule := range map[string]string{"fields.name": "string.min_len", "fields.email": "string.email",
		"fields.postcode": "string.pattern", "fields.country": "string.pattern"} {
		if v[field] != rule {
			t.Errorf("violation %s = %q, want %q (all: %v)", field, v[field], rule, v)
		}
	}
	_, err = c.CreateCompany(ctx, connect.NewRequest(&zeugov1.CreateCompanyRequest{}))
	if v := violations(t, err); v["fields"] != "required" {
		t.Errorf("missing fields: %v", v)
	}
	_, err = c.GetCompany(ctx, connect.NewRequest(&zeugov1.GetCompanyRequest{Id: "not-a-uuid"}))
	if v := violations(t, err); v["id"] != "string.uuid" {
		t.Errorf("bad id: %v", v)
	}

	// Duplicate names (case-insensitive) are AlreadyExists naming the field,
	// and the failed request leaves neither a row nor an audit record.
	if _, err := c.CreateCompany(ctx, connect.NewRequest(&zeugov1.CreateCompanyRequest{Fields: &zeugov1.CompanyFields{Name: "Einzig GmbH"}})); err != nil {
		t.Fatal(err)
	}
	afterCreate := auditCount(t, env, ten)
	if afterCreate != before+1 {
		t.Fatalf("audit records: %d → %d, want +1", before, afterCreate)
	}
	_, err = c.CreateCompany(ctx, connect.NewRequest(&zeugov1.CreateCompanyRequest{Fields: &zeugov1.CompanyFields{Name: "einzig gmbh"}}))
	if connect.CodeOf(err) != connect.CodeAlreadyExists || violations(t, err)["fields.name"] != "zeugo.unique" {
		t.Fatalf("duplicate: %v %v", err, violations(t, err))
	}
	if n := auditCount(t, env, ten); n != afterCreate {
		t.Fatalf("a failed request wrote audit records: %d → %d", afterCreate, n)
	}
	list, _ := c.ListCompanies(ctx, connect.NewRequest(&zeugov1.ListCompaniesRequest{}))
	if len(list.Msg.GetCompanies()) != 1 {
		t.Fatalf("companies = %d, want 1", len(list.Msg.GetCompanies()))
	}
}

func TestOtherTenantsIDsAreNotFound(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	a := env.CreateTenant("Mandant A", "hr@mandant-a.example")
	b := env.CreateTenant("Mandant B", "hr@mandant-b.example")
	ca, cb := signIn(t, env, a, apptest.Connect), signIn(t, env, b, apptest.GRPC)
	ctx := context.Background()
	co, err := ca.CreateCompany(ctx, connect.NewRequest(&zeugov1.CreateCompanyRequest{Fields: &zeugov1.CompanyFields{Name: "Geheim AG"}}))
	if err != nil {
		t.Fatal(err)
	}
	un, err := ca.CreateUnit(ctx, connect.NewRequest(&zeugov1.CreateUnitRequest{Kind: zeugov1.UnitKind_UNIT_KIND_LOCATION, Fields: &zeugov1.UnitFields{Name: "Geheimort"}}))
	if err != nil {
		t.Fatal(err)
	}
	id, uid := co.Msg.GetCompany().GetId(), un.Msg.GetUnit().GetId()
	checks := map[string]error{}
	_, checks["get company"] = cb.GetCompany(ctx, connect.NewRequest(&zeugov1.GetCompanyRequest{Id: id}))
	_, checks["update company"] = cb.UpdateCompany(ctx, connect.NewRequest(&zeugov1.UpdateCompanyRequest{Id: id, Version: 1, Fields: &zeugov1.CompanyFields{Name: "Gekapert"}}))
	_, checks["delete company"] = cb.DeleteCompany(ctx, connect.NewRequest(&zeugov1.DeleteCompanyRequest{Id: id}))
	_, checks["get unit"] = cb.GetUnit(ctx, connect.NewRequest(&zeugov1.GetUnitRequest{Id: uid}))
	_, checks["update unit"] = cb.UpdateUnit(ctx, connect.NewRequest(&zeugov1.UpdateUnitRequest{Id: uid, Version: 1, Fields: &zeugov1.UnitFields{Name: "x"}}))
	_, checks["delete unit"] = cb.DeleteUnit(ctx, connect.NewRequest(&zeugov1.DeleteUnitRequest{Id: uid}))
	for what, err := range checks {
		if connect.CodeOf(err) != connect.CodeNotFound {
			t.Errorf("%s across tenants: got %v, want NotFound", what, err)
		}
	}
	lb, err := cb.ListCompanies(ctx, connect.NewRequest(&zeugov1.ListCompaniesRequest{}))
	if err != nil || len(lb.Msg.GetCompanies()) != 0 {
		t.Fatalf("tenant B sees %v (%v)", lb, err)
	}
	// A's company is untouched.
	got, err := ca.GetCompany(ctx, connect.NewRequest(&zeugov1.GetCompanyRequest{Id: id}))
	if err != nil || got.Msg.GetCompany().GetFields().GetName() != "Geheim AG" {
		t.Fatalf("A's company changed: %v %v", got, err)
	}
}

func TestUnauthenticatedCallsAreRefused(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	for _, tok := range []string{"", "nonsense", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0."} {
		c := env.OrgClient(env.HTTPClient(), apptest.Connect, tok)
		if _, err := c.ListCompanies(context.Background(), connect.NewRequest(&zeugov1.ListCompaniesRequest{})); connect.CodeOf(err) != connect.CodeUnauthenticated {
			t.Errorf("token %q: got %v", tok, err)
		}
	}
}

func TestRoleWithoutTheAreaMayReadButNotChange(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ten := env.CreateTenant("Rollen GmbH", "admin@rollen.example")
	ctx := context.Background()
	// Give the administrator a role that grants only the employees area.
	if _, err := env.DB.Owner.Exec(ctx, `INSERT INTO roles (id, tenant_id, name, areas, created_at, updated_at)
		VALUES (gen_random_uuid(), $1, 'Sachbearbeitung', '{employees}', now(), now())`, ten.TenantID); err != nil {
		t.Fatal(err)
	}
	if _, err := env.DB.Owner.Exec(ctx, `UPDATE users SET role_id = (SELECT id FROM roles WHERE tenant_id = $1 AND name = 'Sachbearbeitung') WHERE id = $2`,
		ten.TenantID, ten.AdminID); err != nil {
		t.Fatal(err)
	}
	c := signIn(t, env, ten, apptest.Connect)
	if _, err := c.ListCompanies(ctx, connect.NewRequest(&zeugov1.ListCompaniesRequest{})); err != nil {
		t.Fatalf("reading: %v", err)
	}
	_, err := c.CreateCompany(ctx, connect.NewRequest(&zeugov1.CreateCompanyRequest{Fields: &zeugov1.CompanyFields{Name: "Verboten GmbH"}}))
	if connect.CodeOf(err) != connect.CodePermissionDenied {
		t.Fatalf("create without the area: %v", err)
	}
	_, err = c.CreateUnit(ctx, connect.NewRequest(&zeugov1.CreateUnitRequest{Kind: zeugov1.UnitKind_UNIT_KIND_DEPARTMENT, Fields: &zeugov1.UnitFields{Name: "x"}}))
	if connect.CodeOf(err) != connect.CodePermissionDenied {
		t.Fatalf("create unit without the area: %v", err)
	}
	// The refusal is attributable in the log: user and tenant ids, never names.
	if log := env.Log.String(); !strings.Contains(log, `"message":"permission denied"`) || !strings.Contains(log, ten.AdminID.String()) {
		t.Fatalf("permission denial not logged with the user id")
	}
}

func TestRoleWithoutAStructureAreaCannotRead(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ten := env.CreateTenant("Texte GmbH", "admin@texte.example")
	ctx := context.Background()
	if _, err := env.DB.Owner.Exec(ctx, `INSERT INTO roles (id, tenant_id, name, areas, created_at, updated_at)
		VALUES (gen_random_uuid(), $1, 'Texte', '{letter_texts}', now(), now())`, ten.TenantID); err != nil {
		t.Fatal(err)
	}
	if _, err := env.DB.Owner.Exec(ctx, `UPDATE users SET role_id = (SELECT id FROM roles WHERE tenant_id = $1 AND name = 'Texte') WHERE id = $2`,
		ten.TenantID, ten.AdminID); err != nil {
		t.Fatal(err)
	}
	c := signIn(t, env, ten, apptest.Connect)
	if _, err := c.ListCompanies(ctx, connect.NewRequest(&zeugov1.ListCompaniesRequest{})); connect.CodeOf(err) != connect.CodePermissionDenied {
		t.Fatalf("ListCompanies without Unternehmen or Mitarbeiter: %v", err)
	}
	if _, err := c.ListUnits(ctx, connect.NewRequest(&zeugov1.ListUnitsRequest{Kind: zeugov1.UnitKind_UNIT_KIND_LOCATION})); connect.CodeOf(err) != connect.CodePermissionDenied {
		t.Fatalf("ListUnits without Unternehmen or Mitarbeiter: %v", err)
	}
}

func TestTerminatedTenantIsReadOnly(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ten := env.CreateTenant("Gekündigt GmbH", "admin@gekuendigt.example")
	c := signIn(t, env, ten, apptest.Connect)
	ctx := context.Background()
	co, err := c.CreateCompany(ctx, connect.NewRequest(&zeugov1.CreateCompanyRequest{Fields: &zeugov1.CompanyFields{Name: "Vorher GmbH"}}))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.DB.Owner.Exec(ctx, `UPDATE tenants SET status = 'terminated', terminated_at = now() WHERE id = $1`, ten.TenantID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetCompany(ctx, connect.NewRequest(&zeugov1.GetCompanyRequest{Id: co.Msg.GetCompany().GetId()})); err != nil {
		t.Fatalf("reading during the read-only period: %v", err)
	}
	_, err = c.DeleteCompany(ctx, connect.NewRequest(&zeugov1.DeleteCompanyRequest{Id: co.Msg.GetCompany().GetId()}))
	if connect.CodeOf(err) != connect.CodeFailedPrecondition {
		t.Fatalf("delete while read-only: %v", err)
	}
}
