package certificates_test

import (
	"context"
	"testing"

	"connectrpc.com/connect"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/zeugo/zeugo/backend/internal/apptest"
	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
	"github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1/zeugov1connect"
)

func ctx() context.Context { return context.Background() }

// client is one caller with the clients of the services the tests use.
type client struct {
	*apptest.Session
	Cert     zeugov1connect.CertificateServiceClient
	Emp      zeugov1connect.EmployeeServiceClient
	Org      zeugov1connect.OrganizationServiceClient
	Settings zeugov1connect.SecuritySettingsServiceClient
}

func clientOf(s *apptest.Session) *client {
	return &client{Session: s, Cert: zeugov1connect.NewCertificateServiceClient(s.HTTP, s.URL, s.Options()...),
		Emp: zeugov1connect.NewEmployeeServiceClient(s.HTTP, s.URL, s.Options()...), Org: s.Org(),
		Settings: zeugov1connect.NewSecuritySettingsServiceClient(s.HTTP, s.URL, s.Options()...)}
}

func signIn(t testing.TB, env *apptest.Env, email, password string, p apptest.Protocol) *client {
	t.Helper()
	return clientOf(apptest.SignIn(t, env, email, password, p))
}

// keyClient is a client that calls with an API key token over p.
func keyClient(env *apptest.Env, token string, p apptest.Protocol) *client {
	return clientOf(&apptest.Session{Token: token, Protocol: p, URL: env.Server.URL, HTTP: env.HTTPClient()})
}

// fixture is a tenant with its administrator signed in (Connect).
type fixture struct {
	env   *apptest.Env
	ten   *apptest.Tenant
	admin *client
}

func setup(t testing.TB, name string) *fixture {
	t.Helper()
	env := apptest.New(t)
	return fixtureIn(t, env, name)
}

// fixtureIn provisions another tenant on env.
func fixtureIn(t testing.TB, env *apptest.Env, name string) *fixture {
	t.Helper()
	ten := env.CreateTenant(name+" GmbH", "admin@"+name+".example")
	return &fixture{env: env, ten: ten, admin: signIn(t, env, ten.Email, ten.Password, apptest.Connect)}
}

// employee creates an employee who left (a final certificate can be
// generated for her) in company (may be "").
func (f *fixture) employee(t testing.TB, c *client, pn, last string, company string) *zeugov1.Employee {
	t.Helper()
	res, err := c.Emp.CreateEmployee(ctx(), connect.NewRequest(&zeugov1.CreateEmployeeRequest{Fields: &zeugov1.EmployeeFields{
		Salutation: zeugov1.Salutation_SALUTATION_FRAU, FirstName: "Anna", LastName: last, PersonnelNumber: pn,
		EntryDate: "2018-03-01", ExitDate: "2024-06-30", ExitReason: zeugov1.ExitReason_EXIT_REASON_OWN_WISH,
		JobTitle: "Sachbearbeiterin Buchhaltung", CompanyId: company,
		Tasks: []string{"Kreditorenbuchhaltung", "Vorbereitung des Monatsabschlusses"}}}))
	if err != nil {
		t.Fatalf("create employee %s: %v", pn, err)
	}
	return res.Msg.GetEmployee()
}

// create starts a certificate.
func create(t testing.TB, c *client, employeeID string, kind zeugov1.CertificateKind, private bool) *zeugov1.Certificate {
	t.Helper()
	res, err := c.Cert.CreateCertificate(ctx(), connect.NewRequest(&zeugov1.CreateCertificateRequest{EmployeeId: employeeID,
		Kind: kind, Private: private}))
	if err != nil {
		t.Fatalf("create certificate: %v", err)
	}
	return res.Msg.GetCertificate()
}

const final = zeugov1.CertificateKind_CERTIFICATE_KIND_FINAL

// version is the version of section s of cert.
func version(t testing.TB, cert *zeugov1.Certificate, s zeugov1.CertificateSection) int64 {
	t.Helper()
	for _, si := range cert.GetSections() {
		if si.GetSection() == s {
			return si.GetVersion()
		}
	}
	t.Fatalf("no section %v", s)
	return 0
}

// Sections by short name.
const (
	secData        = zeugov1.CertificateSection_CERTIFICATE_SECTION_DATA
	secCertData    = zeugov1.CertificateSection_CERTIFICATE_SECTION_CERTIFICATE_DATA
	secFurther     = zeugov1.CertificateSection_CERTIFICATE_SECTION_FURTHER
	secSignatures  = zeugov1.CertificateSection_CERTIFICATE_SECTION_SIGNATURES
	secTasks       = zeugov1.CertificateSection_CERTIFICATE_SECTION_TASKS
	secPerformance = zeugov1.CertificateSection_CERTIFICATE_SECTION_PERFORMANCE
	secConduct     = zeugov1.CertificateSection_CERTIFICATE_SECTION_CONDUCT
	secQualif      = zeugov1.CertificateSection_CERTIFICATE_SECTION_QUALIFICATIONS
	secSuccesses   = zeugov1.CertificateSection_CERTIFICATE_SECTION_SUCCESSES
	secResult      = zeugov1.CertificateSection_CERTIFICATE_SECTION_RESULT
)

// update saves one section at its current version in cert.
func update(c *client, cert *zeugov1.Certificate, sec zeugov1.CertificateSection, req *zeugov1.UpdateCertificateSectionRequest) (*zeugov1.Certificate, error) {
	req.Id = cert.GetId()
	if req.Version == 0 {
		for _, si := range cert.GetSections() {
			if si.GetSection() == sec {
				req.Version = si.GetVersion()
			}
		}
	}
	res, err := c.Cert.UpdateCertificateSection(ctx(), connect.NewRequest(req))
	if err != nil {
		return nil, err
	}
	return res.Msg.GetCertificate(), nil
}

// mustUpdate is update that fails t on an error.
func mustUpdate(t testing.TB, c *client, cert *zeugov1.Certificate, sec zeugov1.CertificateSection, req *zeugov1.UpdateCertificateSectionRequest) *zeugov1.Certificate {
	t.Helper()
	out, err := update(c, cert, sec, req)
	if err != nil {
		t.Fatalf("update %v: %v", sec, err)
	}
	return out
}

// rated gives cert good ratings (2) throughout.
func rated(t testing.TB, c *client, cert *zeugov1.Certificate) *zeugov1.Certificate {
	t.Helper()
	cert = mustUpdate(t, c, cert, secPerformance, &zeugov1.UpdateCertificateSectionRequest{Section: &zeugov1.UpdateCertificateSectionRequest_Performance{
		Performance: &zeugov1.PerformanceSection{Willingness: 2, Ability: 2, Knowledge: 2, Learning: 2, WorkingStyle: 2, Results: 2}}})
	return mustUpdate(t, c, cert, secConduct, &zeugov1.UpdateCertificateSectionRequest{Section: &zeugov1.UpdateCertificateSectionRequest_Conduct{
		Conduct: &zeugov1.ConductSection{Internal: 2, External: 2}}})
}

// generate writes the text of cert and fails t when none was written.
func generate(t testing.TB, c *client, cert *zeugov1.Certificate) *zeugov1.Certificate {
	t.Helper()
	res, err := c.Cert.GenerateCertificateText(ctx(), connect.NewRequest(&zeugov1.GenerateCertificateTextRequest{Id: cert.GetId(),
		Version: version(t, cert, secResult)}))
	if err != nil {
		t.Fatalf("generate: %v", err)
	}
	out := res.Msg.GetCertificate()
	if len(out.GetContent().GetResult().GetParagraphs()) == 0 {
		t.Fatalf("no text: %v", res.Msg.GetProblems())
	}
	return out
}

// transition moves cert to each status in turn.
func transition(t testing.TB, c *client, cert *zeugov1.Certificate, to ...zeugov1.CertificateStatus) *zeugov1.Certificate {
	t.Helper()
	for _, st := range to {
		res, err := c.Cert.TransitionCertificate(ctx(), connect.NewRequest(&zeugov1.TransitionCertificateRequest{Id: cert.GetId(),
			Version: cert.GetVersion(), Status: st}))
		if err != nil {
			t.Fatalf("to %v: %v", st, err)
		}
		cert = res.Msg.GetCertificate()
	}
	return cert
}

// Statuses by short name.
const (
	stDraft      = zeugov1.CertificateStatus_CERTIFICATE_STATUS_DRAFT
	stInProgress = zeugov1.CertificateStatus_CERTIFICATE_STATUS_IN_PROGRESS
	stReview     = zeugov1.CertificateStatus_CERTIFICATE_STATUS_REVIEW
	stCompleted  = zeugov1.CertificateStatus_CERTIFICATE_STATUS_COMPLETED
	stIssued     = zeugov1.CertificateStatus_CERTIFICATE_STATUS_ISSUED
)

// get reads a certificate.
func get(t testing.TB, c *client, id string) *zeugov1.Certificate {
	t.Helper()
	res, err := c.Cert.GetCertificate(ctx(), connect.NewRequest(&zeugov1.GetCertificateRequest{Id: id}))
	if err != nil {
		t.Fatalf("get %s: %v", id, err)
	}
	return res.Msg.GetCertificate()
}

// changes reads the whole change log (newest first).
func changes(t testing.TB, c *client, id string) []*zeugov1.FieldChange {
	t.Helper()
	res, err := c.Cert.ListCertificateChanges(ctx(), connect.NewRequest(&zeugov1.ListCertificateChangesRequest{Id: id,
		Page: &zeugov1.PageRequest{PageSize: 500}}))
	if err != nil {
		t.Fatalf("changes: %v", err)
	}
	return res.Msg.GetChanges()
}

// setTracking turns the tenant's certificate change tracking on or off.
func setTracking(t testing.TB, c *client, on bool) {
	t.Helper()
	cur, err := c.Settings.GetSecuritySettings(ctx(), connect.NewRequest(&zeugov1.GetSecuritySettingsRequest{}))
	if err != nil {
		t.Fatal(err)
	}
	s := cur.Msg.GetSettings()
	s.GetFields().CertificateChangeTracking = on
	if _, err := c.Settings.UpdateSecuritySettings(ctx(), connect.NewRequest(&zeugov1.UpdateSecuritySettingsRequest{
		Version: s.GetVersion(), Fields: s.GetFields()})); err != nil {
		t.Fatalf("change tracking %v: %v", on, err)
	}
}

// count returns the number of rows of a query run as the owner in the
// tenant.
func (f *fixture) count(t testing.TB, query string, args ...any) int {
	t.Helper()
	var n int
	f.env.AsOwner(f.ten.TenantID, func(tx pgx.Tx) error { return tx.QueryRow(ctx(), query, args...).Scan(&n) })
	return n
}

func mustUUID(s string) uuid.UUID { return uuid.MustParse(s) }

// company creates a company with what a text and a letterhead need.
func (f *fixture) company(t testing.TB, name string) string {
	t.Helper()
	res, err := f.admin.Org.CreateCompany(ctx(), connect.NewRequest(&zeugov1.CreateCompanyRequest{Fields: &zeugov1.CompanyFields{
		Name: name, Street: "Hafenstraße 3", Postcode: "20457", City: "Hamburg"}}))
	if err != nil {
		t.Fatal(err)
	}
	return res.Msg.GetCompany().GetId()
}

// wantViolation fails t unless err is code with rule on field.
func wantViolation(t testing.TB, err error, code connect.Code, field, rule string) {
	t.Helper()
	apptest.WantCode(t, err, code, field)
	if got := apptest.Violations(t, err); got[field] != rule {
		t.Fatalf("%s: violations %v, want %s", field, got, rule)
	}
}
