package apptest

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"buf.build/gen/go/bufbuild/protovalidate/protocolbuffers/go/buf/validate"
	"connectrpc.com/connect"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
	"github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1/zeugov1connect"
	"github.com/zeugo/zeugo/backend/internal/keyring"
)

// Session is a signed-in caller: what a generated client needs to call as
// it (its own HTTP client, so two sessions are two browsers).
type Session struct {
	// UserID is the user behind the session (uuid.Nil when SignIn was
	// given a login it did not create).
	UserID   uuid.UUID
	Token    string
	Protocol Protocol
	URL      string
	HTTP     *http.Client
}

// Options returns the client options of the session: its protocol and
// its bearer token.
func (s *Session) Options() []connect.ClientOption {
	return append(ClientOptions(s.Protocol), connect.WithInterceptors(Bearer(s.Token)))
}

// Org returns an OrganizationService client of the session.
func (s *Session) Org() zeugov1connect.OrganizationServiceClient {
	return zeugov1connect.NewOrganizationServiceClient(s.HTTP, s.URL, s.Options()...)
}

// SignIn logs in with email and password over protocol p; a failure fails t.
func SignIn(t testing.TB, env *Env, email, password string, p Protocol) *Session {
	t.Helper()
	res, err := env.AuthClient(env.HTTPClient(), p).Login(context.Background(),
		connect.NewRequest(&zeugov1.LoginRequest{Email: email, Password: password}))
	if err != nil {
		t.Fatalf("login %s: %v", email, err)
	}
	return &Session{Token: res.Msg.GetTokens().GetAccessToken(), Protocol: p, URL: env.Server.URL, HTTP: env.HTTPClient()}
}

// Restriction is the certificate access of a test user (SPEC §3.3): All
// grants everything; otherwise each list that names ids restricts that
// dimension, and a Restriction without any admits nothing.
type Restriction struct {
	All                                                bool
	Companies, Locations, Departments, OrgUnits, Types []string
}

// AddUser creates an active user "Erika Muster" of the tenant with a role
// of its own granting areas and the certificate access r, and signs them
// in over Connect. It writes the rows as the owner (as an operator would):
// the user administration's own rules are tested in package users.
func AddUser(t testing.TB, env *Env, ten *Tenant, email string, areas []string, r Restriction) *Session {
	t.Helper()
	ctx := context.Background()
	pw := "Zweites-Passwort-" + uuid.NewString()[:8]
	hash, err := env.App.Hasher.Hash(ctx, pw)
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
	roleID, userID := uuid.New(), uuid.New()
	err = pgx.BeginFunc(ctx, env.DB.Owner, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT set_config('app.tenant_id', $1, true)`, ten.TenantID.String()); err != nil {
			return err
		}
		c, err := env.App.Keys.Tenant(ctx, tx, ten.TenantID)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO roles (id, tenant_id, name, areas, created_at, updated_at) VALUES ($1, $2, $3, $4, now(), now())`,
			roleID, ten.TenantID, "Rolle "+email, areas); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO users (id, tenant_id, email_index, email_enc, first_name_enc, last_name_enc, role_id, status,
				password_hash, password_changed_at, created_at, updated_at, access_all, access_companies, access_locations,
				access_departments, access_org_units, access_employee_types)
			VALUES ($1, $2, $3, $4, $5, $6, $7, 'active', $8, now(), now(), now(), $9, $10, $11, $12, $13, $14)`,
			userID, ten.TenantID, env.App.Index.Email(email), c.SealString(userID, "users.email", keyring.NormalizeEmail(email)),
			c.SealString(userID, "users.first_name", "Erika"), c.SealString(userID, "users.last_name", "Muster"), roleID, hash,
			r.All, ids(r.Companies), ids(r.Locations), ids(r.Departments), ids(r.OrgUnits), ids(r.Types))
		return err
	})
	if err != nil {
		t.Fatalf("add user %s: %v", email, err)
	}
	s := SignIn(t, env, email, pw, Connect)
	s.UserID = userID
	return s
}

// Org is a tenant's structure for scope tests: two of each dimension,
// index 0 named "A" and index 1 "B".
type Org struct {
	Companies, Locations, Departments, OrgUnits, Types [2]string
}

// MakeOrg creates two companies ("Firma A GmbH", "Firma B GmbH") and two
// units of every kind through the API.
func MakeOrg(t testing.TB, c zeugov1connect.OrganizationServiceClient) Org {
	t.Helper()
	ctx := context.Background()
	var o Org
	for i, n := range []string{"A", "B"} {
		res, err := c.CreateCompany(ctx, connect.NewRequest(&zeugov1.CreateCompanyRequest{
			Fields: &zeugov1.CompanyFields{Name: "Firma " + n + " GmbH", City: "München"}}))
		if err != nil {
			t.Fatal(err)
		}
		o.Companies[i] = res.Msg.GetCompany().GetId()
		for kind, dst := range map[zeugov1.UnitKind]*[2]string{zeugov1.UnitKind_UNIT_KIND_LOCATION: &o.Locations,
			zeugov1.UnitKind_UNIT_KIND_DEPARTMENT: &o.Departments, zeugov1.UnitKind_UNIT_KIND_ORG_UNIT: &o.OrgUnits,
			zeugov1.UnitKind_UNIT_KIND_EMPLOYEE_TYPE: &o.Types} {
			u, err := c.CreateUnit(ctx, connect.NewRequest(&zeugov1.CreateUnitRequest{Kind: kind,
				Fields: &zeugov1.UnitFields{Name: kind.String() + " " + n}}))
			if err != nil {
				t.Fatal(err)
			}
			dst[i] = u.Msg.GetUnit().GetId()
		}
	}
	return o
}

// WantCode fails t unless err carries the Connect code want (0: no error).
func WantCode(t testing.TB, err error, want connect.Code, what string) {
	t.Helper()
	got := connect.Code(0)
	if err != nil {
		got = connect.CodeOf(err)
	}
	if got != want {
		t.Fatalf("%s: got %v (%v), want %v", what, got, err, want)
	}
}

// Violations returns field path ("fields.company_id",
// "signatories[0].employee_id") → rule id of the field violations in a
// Connect error's details; an error that is not a Connect error fails t.
func Violations(t testing.TB, err error) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, v := range FieldViolations(t, err) {
		out[v.Field] = v.RuleID
	}
	return out
}

// FieldViolation is one violation of a Connect error's details.
type FieldViolation struct {
	Field, RuleID, Message string
}

// FieldViolations returns the field violations in a Connect error's
// details in order (several may name one field); an error that is not a
// Connect error fails t.
func FieldViolations(t testing.TB, err error) []FieldViolation {
	t.Helper()
	var ce *connect.Error
	if !errors.As(err, &ce) {
		t.Fatalf("not a connect error: %v", err)
	}
	var out []FieldViolation
	for _, d := range ce.Details() {
		m, derr := d.Value()
		if derr != nil {
			t.Fatal(derr)
		}
		if v, ok := m.(*validate.Violations); ok {
			for _, x := range v.GetViolations() {
				out = append(out, FieldViolation{Field: fieldPath(x), RuleID: x.GetRuleId(), Message: x.GetMessage()})
			}
		}
	}
	return out
}

func fieldPath(v *validate.Violation) string {
	var b strings.Builder
	for _, e := range v.GetField().GetElements() {
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(e.GetFieldName())
		switch k := e.GetSubscript().(type) {
		case *validate.FieldPathElement_Index:
			b.WriteString("[" + strconv.FormatUint(k.Index, 10) + "]")
		case *validate.FieldPathElement_StringKey:
			b.WriteString("[" + k.StringKey + "]")
		}
	}
	return b.String()
}

// NewAPIKey creates an API key of the session's user with one scope
// (service at level a) and returns its token; the key sees what its user
// sees (the user's certificate access).
func (s *Session) NewAPIKey(t testing.TB, service string, a zeugov1.ApiKeyAccess) string {
	t.Helper()
	keys := zeugov1connect.NewApiKeyServiceClient(s.HTTP, s.URL, s.Options()...)
	k, err := keys.CreateApiKey(context.Background(), connect.NewRequest(&zeugov1.CreateApiKeyRequest{Name: "HR-System " + service,
		Scopes: []*zeugov1.ApiKeyScope{{Service: service, Access: a}}}))
	if err != nil {
		t.Fatalf("create key: %v", err)
	}
	return k.Msg.GetSecret()
}
