package employees_test

import (
	"context"
	"errors"
	"testing"

	"buf.build/gen/go/bufbuild/protovalidate/protocolbuffers/go/buf/validate"
	"connectrpc.com/connect"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/zeugo/zeugo/backend/internal/apptest"
	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
	"github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1/zeugov1connect"
	"github.com/zeugo/zeugo/backend/internal/keyring"
)

// client is one signed-in caller with the clients of the services the
// tests use.
type client struct {
	Emp zeugov1connect.EmployeeServiceClient
	Org zeugov1connect.OrganizationServiceClient
}

func clientFor(env *apptest.Env, p apptest.Protocol, token string) *client {
	hc := env.HTTPClient()
	opts := append(apptest.ClientOptions(p), connect.WithInterceptors(apptest.Bearer(token)))
	return &client{Emp: zeugov1connect.NewEmployeeServiceClient(hc, env.Server.URL, opts...),
		Org: env.OrgClient(hc, p, token)}
}

func signInAs(t testing.TB, env *apptest.Env, email, password string, p apptest.Protocol) *client {
	t.Helper()
	res, err := env.AuthClient(env.HTTPClient(), p).Login(context.Background(),
		connect.NewRequest(&zeugov1.LoginRequest{Email: email, Password: password}))
	if err != nil {
		t.Fatalf("login %s: %v", email, err)
	}
	return clientFor(env, p, res.Msg.GetTokens().GetAccessToken())
}

func signIn(t testing.TB, env *apptest.Env, ten *apptest.Tenant) *client {
	t.Helper()
	return signInAs(t, env, ten.Email, ten.Password, apptest.Connect)
}

func ctx() context.Context { return context.Background() }

func wantCode(t testing.TB, err error, want connect.Code, what string) {
	t.Helper()
	got := connect.Code(0)
	if err != nil {
		got = connect.CodeOf(err)
	}
	if got != want {
		t.Fatalf("%s: got %v (%v), want %v", what, got, err, want)
	}
}

// violations returns field path → rule id of a Connect error's details.
func violations(t testing.TB, err error) map[string]string {
	t.Helper()
	var ce *connect.Error
	if !errors.As(err, &ce) {
		t.Fatalf("not a connect error: %v", err)
	}
	out := map[string]string{}
	for _, d := range ce.Details() {
		m, derr := d.Value()
		if derr != nil {
			t.Fatal(derr)
		}
		if v, ok := m.(*validate.Violations); ok {
			for _, x := range v.GetViolations() {
				out[fieldPath(x)] = x.GetRuleId()
			}
		}
	}
	return out
}

func fieldPath(v *validate.Violation) string {
	s := ""
	for _, e := range v.GetField().GetElements() {
		if s != "" {
			s += "."
		}
		s += e.GetFieldName()
		switch k := e.GetSubscript().(type) {
		case *validate.FieldPathElement_Index:
			s += "[" + itoa(int(k.Index)) + "]"
		case *validate.FieldPathElement_StringKey:
			s += "[" + k.StringKey + "]"
		}
	}
	return s
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	s := ""
	for ; i > 0; i /= 10 {
		s = string(rune('0'+i%10)) + s
	}
	return s
}

// org is a tenant's structure for the tests: two of each dimension.
type org struct {
	Companies, Locations, Departments, OrgUnits, Types [2]string
}

func makeOrg(t testing.TB, c *client) org {
	t.Helper()
	var o org
	for i := range 2 {
		n := []string{"A", "B"}[i]
		res, err := c.Org.CreateCompany(ctx(), connect.NewRequest(&zeugov1.CreateCompanyRequest{
			Fields: &zeugov1.CompanyFields{Name: "Firma " + n + " GmbH", City: "München"}}))
		if err != nil {
			t.Fatal(err)
		}
		o.Companies[i] = res.Msg.GetCompany().GetId()
		for kind, dst := range map[zeugov1.UnitKind]*[2]string{zeugov1.UnitKind_UNIT_KIND_LOCATION: &o.Locations,
			zeugov1.UnitKind_UNIT_KIND_DEPARTMENT: &o.Departments, zeugov1.UnitKind_UNIT_KIND_ORG_UNIT: &o.OrgUnits,
			zeugov1.UnitKind_UNIT_KIND_EMPLOYEE_TYPE: &o.Types} {
			u, err := c.Org.CreateUnit(ctx(), connect.NewRequest(&zeugov1.CreateUnitRequest{Kind: kind,
				Fields: &zeugov1.UnitFields{Name: kind.String() + " " + n}}))
			if err != nil {
				t.Fatal(err)
			}
			dst[i] = u.Msg.GetUnit().GetId()
		}
	}
	return o
}

// Restriction is the certificate access of a test user; nil lists leave a
// dimension free, All grants everything.
type Restriction struct {
	All                                                bool
	Companies, Locations, Departments, OrgUnits, Types []string
}

// addUser creates an active user of the tenant with a role of areas and
// the certificate access r, and signs them in.
func addUser(t testing.TB, env *apptest.Env, ten *apptest.Tenant, email string, areas []string, r Restriction) *client {
	t.Helper()
	pw := "Zweites-Passwort-" + uuid.NewString()[:8]
	hash, err := env.App.Hasher.Hash(ctx(), pw)
	if err != nil {
		t.Fatal(err)
	}
	ids := func(in []string) []uuid.UUID {
		out := []uuid.UUID{}
		for _, s := range in {
			out = append(out, uuid.MustParse(s))
		}
		return out
	}
	env.AsOwner(ten.TenantID, func(tx pgx.Tx) error {
		c, err := env.App.Keys.Tenant(ctx(), tx, ten.TenantID)
		if err != nil {
			return err
		}
		roleID, userID := uuid.New(), uuid.New()
		if _, err := tx.Exec(ctx(), `INSERT INTO roles (id, tenant_id, name, areas, created_at, updated_at) VALUES ($1, $2, $3, $4, now(), now())`,
			roleID, ten.TenantID, "Rolle "+email, areas); err != nil {
			return err
		}
		_, err = tx.Exec(ctx(), `INSERT INTO users (id, tenant_id, email_index, email_enc, first_name_enc, last_name_enc, role_id, status,
				password_hash, password_changed_at, created_at, updated_at, access_all, access_companies, access_locations,
				access_departments, access_org_units, access_employee_types)
			VALUES ($1, $2, $3, $4, $5, $6, $7, 'active', $8, now(), now(), now(), $9, $10, $11, $12, $13, $14)`,
			userID, ten.TenantID, env.App.Index.Email(email), c.SealString(userID, "users.email", keyring.NormalizeEmail(email)),
			c.SealString(userID, "users.first_name", "Erika"), c.SealString(userID, "users.last_name", "Muster"), roleID, hash,
			r.All, ids(r.Companies), ids(r.Locations), ids(r.Departments), ids(r.OrgUnits), ids(r.Types))
		return err
	})
	return signInAs(t, env, email, pw, apptest.Connect)
}

// person is a valid employee.
func person(pn, first, last string) *zeugov1.EmployeeFields {
	return &zeugov1.EmployeeFields{Salutation: zeugov1.Salutation_SALUTATION_FRAU, FirstName: first, LastName: last,
		PersonnelNumber: pn, EntryDate: "2019-04-01", JobTitle: "Sachbearbeiterin", BirthDate: "1990-02-03",
		Street: "Hauptstraße 1", Postcode: "80331", City: "München", Email: "person@example.org",
		Tasks: []string{"Buchhaltung", "Lohnabrechnung"}}
}

func create(t testing.TB, c *client, f *zeugov1.EmployeeFields) *zeugov1.Employee {
	t.Helper()
	res, err := c.Emp.CreateEmployee(ctx(), connect.NewRequest(&zeugov1.CreateEmployeeRequest{Fields: f}))
	if err != nil {
		t.Fatalf("create %s: %v", f.GetPersonnelNumber(), err)
	}
	return res.Msg.GetEmployee()
}
