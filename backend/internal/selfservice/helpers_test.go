package selfservice_test

import (
	"context"
	"regexp"
	"testing"

	"connectrpc.com/connect"
	"github.com/jackc/pgx/v5"
	"github.com/rs/zerolog"

	"github.com/zeugo/zeugo/backend/internal/apptest"
	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
	"github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1/zeugov1connect"
	"github.com/zeugo/zeugo/backend/internal/outbox"
	"github.com/zeugo/zeugo/backend/internal/smtptest"
)

func ctx() context.Context { return context.Background() }

// hr is a signed-in caller with the clients the tests use.
type hr struct {
	*apptest.Session
	SS   zeugov1connect.SelfServiceServiceClient
	Emp  zeugov1connect.EmployeeServiceClient
	Cert zeugov1connect.CertificateServiceClient
}

func hrOf(s *apptest.Session) *hr {
	return &hr{Session: s, SS: zeugov1connect.NewSelfServiceServiceClient(s.HTTP, s.URL, s.Options()...),
		Emp:  zeugov1connect.NewEmployeeServiceClient(s.HTTP, s.URL, s.Options()...),
		Cert: zeugov1connect.NewCertificateServiceClient(s.HTTP, s.URL, s.Options()...)}
}

// public is an anonymous browser over protocol p.
func public(env *apptest.Env, p apptest.Protocol) zeugov1connect.SelfServiceServiceClient {
	return zeugov1connect.NewSelfServiceServiceClient(env.HTTPClient(), env.Server.URL, apptest.ClientOptions(p)...)
}

// fixture is a tenant with its administrator, two companies ("Firma A
// GmbH", "Firma B GmbH" and units), a mail server and a form for company A.
type fixture struct {
	env   *apptest.Env
	ten   *apptest.Tenant
	admin *hr
	org   apptest.Org
	mail  *smtptest.Server
	form  *zeugov1.SelfServiceForm
}

func setup(t *testing.T) *fixture {
	t.Helper()
	env := apptest.New(t)
	return fixtureIn(t, env, "muster")
}

func fixtureIn(t *testing.T, env *apptest.Env, name string) *fixture {
	t.Helper()
	ten := env.CreateTenant(name+" GmbH", "admin@"+name+".example")
	admin := hrOf(apptest.SignIn(t, env, ten.Email, ten.Password, apptest.Connect))
	f := &fixture{env: env, ten: ten, admin: admin, org: apptest.MakeOrg(t, admin.Org()), mail: smtptest.New(t)}
	f.form = f.createForm(t, f.org.Companies[0], true)
	return f
}

func (f *fixture) createForm(t *testing.T, company string, enabled bool) *zeugov1.SelfServiceForm {
	t.Helper()
	res, err := f.admin.SS.CreateSelfServiceForm(ctx(), connect.NewRequest(&zeugov1.CreateSelfServiceFormRequest{
		CompanyId: company, Intro: "Bitte füllen Sie das Formular aus.", Enabled: enabled}))
	if err != nil {
		t.Fatalf("create form: %v", err)
	}
	return res.Msg.GetForm()
}

// employee creates an employee of company.
func (f *fixture) employee(t *testing.T, first, last, pn, company string) *zeugov1.Employee {
	t.Helper()
	res, err := f.admin.Emp.CreateEmployee(ctx(), connect.NewRequest(&zeugov1.CreateEmployeeRequest{Fields: &zeugov1.EmployeeFields{
		Salutation: zeugov1.Salutation_SALUTATION_FRAU, FirstName: first, LastName: last, PersonnelNumber: pn,
		EntryDate: "2019-04-01", JobTitle: "Sachbearbeiterin", CompanyId: company}}))
	if err != nil {
		t.Fatalf("create employee: %v", err)
	}
	return res.Msg.GetEmployee()
}

// fields is a filled-in form.
func fields(first, last, pn, email string) *zeugov1.SelfServiceRequestFields {
	return &zeugov1.SelfServiceRequestFields{FirstName: first, LastName: last, PersonnelNumber: pn, Email: email,
		Kind: zeugov1.CertificateKind_CERTIFICATE_KIND_INTERIM, Reason: "Neue Vorgesetzte ab Januar",
		WishedDate: "2027-01-15", Language: "en"}
}

func (f *fixture) start(t *testing.T, c zeugov1connect.SelfServiceServiceClient, ff *zeugov1.SelfServiceRequestFields) string {
	t.Helper()
	res, err := c.StartSelfServiceRequest(ctx(), connect.NewRequest(&zeugov1.StartSelfServiceRequestRequest{
		FormId: f.form.GetPublicId(), Fields: ff}))
	if err != nil {
		t.Fatalf("start: %v", err)
	}
	return res.Msg.GetPending()
}

// received is a mail taken apart.
type received struct {
	To, Subject, Plain string
}

// deliver sends the outbox to the test's mail server and returns every
// mail it received so far.
func (f *fixture) deliver(t *testing.T) []received {
	t.Helper()
	ob := outbox.New(outbox.Deps{DB: f.env.App.DB, Keys: f.env.App.Keys, Now: f.env.Clock.Now, Log: zerolog.Nop(),
		Mailer: f.mail.Mailer(), From: "zeugo@zeugo.example", Audit: f.env.App.Audit})
	if _, err := ob.Deliver(ctx()); err != nil {
		t.Fatal(err)
	}
	var out []received
	for _, m := range f.mail.Mails() {
		p := smtptest.Parse(t, m.Data)
		out = append(out, received{To: p.Header.Get("To"), Subject: p.Subject, Plain: p.Plain})
	}
	return out
}

var codePattern = regexp.MustCompile(`(?m)^(\d{6})\s*$`)

// code is the code of the last mail to email.
func (f *fixture) code(t *testing.T, email string) string {
	t.Helper()
	mails := f.deliver(t)
	for i := len(mails) - 1; i >= 0; i-- {
		if m := codePattern.FindStringSubmatch(mails[i].Plain); m != nil && regexp.MustCompile(regexp.QuoteMeta(email)).MatchString(mails[i].To) {
			return m[1]
		}
	}
	t.Fatalf("no code mail to %s in %d mails", email, len(mails))
	return ""
}

// stored counts the tenant's requests as a database administrator sees
// them.
func (f *fixture) stored(t *testing.T) int {
	t.Helper()
	var n int
	f.env.AsOwner(f.ten.TenantID, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx(), `SELECT count(*) FROM selfservice_requests`).Scan(&n)
	})
	return n
}

// submit starts and confirms a request and returns its id.
func (f *fixture) submit(t *testing.T, ff *zeugov1.SelfServiceRequestFields) string {
	t.Helper()
	c := public(f.env, apptest.Connect)
	pending := f.start(t, c, ff)
	if _, err := c.ConfirmSelfServiceRequest(ctx(), connect.NewRequest(&zeugov1.ConfirmSelfServiceRequestRequest{
		Pending: pending, Code: f.code(t, ff.GetEmail())})); err != nil {
		t.Fatalf("confirm: %v", err)
	}
	res, err := f.admin.SS.ListSelfServiceRequests(ctx(), connect.NewRequest(&zeugov1.ListSelfServiceRequestsRequest{}))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res.Msg.GetRequests() {
		if r.GetFields().GetEmail() == ff.GetEmail() {
			return r.GetId()
		}
	}
	t.Fatalf("request of %s not in the inbox", ff.GetEmail())
	return ""
}

func (f *fixture) get(t *testing.T, c *hr, id string) *zeugov1.GetSelfServiceRequestResponse {
	t.Helper()
	res, err := c.SS.GetSelfServiceRequest(ctx(), connect.NewRequest(&zeugov1.GetSelfServiceRequestRequest{Id: id}))
	if err != nil {
		t.Fatalf("get request: %v", err)
	}
	return res.Msg
}
