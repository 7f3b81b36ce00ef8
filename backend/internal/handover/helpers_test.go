package handover_test

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"

	"connectrpc.com/connect"

	"github.com/zeugo/zeugo/backend/internal/apptest"
	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
	"github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1/zeugov1connect"
	"github.com/zeugo/zeugo/backend/internal/outbox"
	"github.com/zeugo/zeugo/backend/internal/smtptest"
)

func ctx() context.Context { return context.Background() }

// hr is an HR caller (or a recipient: the same clients with another token).
type hr struct {
	*apptest.Session
	Cert zeugov1connect.CertificateServiceClient
	Emp  zeugov1connect.EmployeeServiceClient
	Hand zeugov1connect.HandoverServiceClient
	Rcpt zeugov1connect.HandoverRecipientServiceClient
}

func clientOf(s *apptest.Session) *hr {
	o := s.Options()
	return &hr{Session: s, Cert: zeugov1connect.NewCertificateServiceClient(s.HTTP, s.URL, o...),
		Emp: zeugov1connect.NewEmployeeServiceClient(s.HTTP, s.URL, o...), Hand: zeugov1connect.NewHandoverServiceClient(s.HTTP, s.URL, o...),
		Rcpt: zeugov1connect.NewHandoverRecipientServiceClient(s.HTTP, s.URL, o...)}
}

// anon is a client without a token (the recipient before opening).
func anon(env *apptest.Env, p apptest.Protocol) *hr {
	return clientOf(&apptest.Session{Protocol: p, URL: env.Server.URL, HTTP: env.HTTPClient()})
}

// as is a client with token over p.
func as(env *apptest.Env, token string, p apptest.Protocol) *hr {
	return clientOf(&apptest.Session{Token: token, Protocol: p, URL: env.Server.URL, HTTP: env.HTTPClient()})
}

type fixture struct {
	env  *apptest.Env
	ten  *apptest.Tenant
	hr   *hr
	mail *smtptest.Server
	cert *zeugov1.Certificate
}

// setup is a tenant whose administrator has a draft final certificate.
func setup(t testing.TB) *fixture {
	t.Helper()
	env := apptest.New(t)
	ten := env.CreateTenant("Übergabe GmbH", "admin@uebergabe.example")
	f := &fixture{env: env, ten: ten, hr: clientOf(apptest.SignIn(t, env, ten.Email, ten.Password, apptest.Connect)), mail: smtptest.New(t)}
	f.cert = f.certificate(t, "P-1", "Weiß")
	return f
}

// certificate creates an employee and a draft final certificate.
func (f *fixture) certificate(t testing.TB, pn, last string) *zeugov1.Certificate {
	t.Helper()
	return f.certificateIn(t, pn, last, "")
}

// certificateIn is certificate for an employee of company ("" for none).
func (f *fixture) certificateIn(t testing.TB, pn, last, company string) *zeugov1.Certificate {
	t.Helper()
	e, err := f.hr.Emp.CreateEmployee(ctx(), connect.NewRequest(&zeugov1.CreateEmployeeRequest{Fields: &zeugov1.EmployeeFields{
		Salutation: zeugov1.Salutation_SALUTATION_FRAU, FirstName: "Anna", LastName: last, PersonnelNumber: pn,
		EntryDate: "2018-03-01", ExitDate: "2024-06-30", ExitReason: zeugov1.ExitReason_EXIT_REASON_OWN_WISH,
		JobTitle: "Sachbearbeiterin Buchhaltung", Tasks: []string{"Kreditorenbuchhaltung"}, CompanyId: company}}))
	if err != nil {
		t.Fatal(err)
	}
	c, err := f.hr.Cert.CreateCertificate(ctx(), connect.NewRequest(&zeugov1.CreateCertificateRequest{
		EmployeeId: e.Msg.GetEmployee().GetId(), Kind: zeugov1.CertificateKind_CERTIFICATE_KIND_FINAL}))
	if err != nil {
		t.Fatal(err)
	}
	return c.Msg.GetCertificate()
}

// mails delivers the outbox to the test SMTP server and returns the mails
// to addr (all mails so far).
func (f *fixture) mails(t testing.TB, addr string) []smtptest.Parsed {
	t.Helper()
	ob := outbox.New(outbox.Deps{DB: f.env.App.DB, Keys: f.env.App.Keys, Now: f.env.Clock.Now, Mailer: f.mail.Mailer(),
		From: "zeugo@zeugo.test", Audit: f.env.App.Audit})
	if _, err := ob.Deliver(ctx()); err != nil {
		t.Fatalf("deliver: %v", err)
	}
	var out []smtptest.Parsed
	for _, m := range f.mail.Mails() {
		if strings.EqualFold(m.To, addr) {
			out = append(out, smtptest.Parse(t, m.Data))
		}
	}
	return out
}

var (
	linkRE = regexp.MustCompile(`/h/([0-9a-f]{32})#([0-9a-f]{32})`)
	codeRE = regexp.MustCompile(`\b(\d{6})\b`)
)

// link is the last handover link mailed to addr.
func (f *fixture) link(t testing.TB, addr string) (id, secret string) {
	t.Helper()
	ms := f.mails(t, addr)
	for i := len(ms) - 1; i >= 0; i-- {
		if m := linkRE.FindStringSubmatch(ms[i].Plain); m != nil {
			return m[1], m[2]
		}
	}
	t.Fatalf("no handover link mailed to %s", addr)
	return "", ""
}

// code is the last one-time code mailed to addr.
func (f *fixture) code(t testing.TB, addr string) string {
	t.Helper()
	ms := f.mails(t, addr)
	for i := len(ms) - 1; i >= 0; i-- {
		if strings.Contains(ms[i].Subject, "Code") {
			if m := codeRE.FindStringSubmatch(ms[i].Subject); m != nil {
				return m[1]
			}
		}
	}
	t.Fatalf("no code mailed to %s", addr)
	return ""
}

func grant(sec zeugov1.CertificateSection, write bool) *zeugov1.SectionGrant {
	return &zeugov1.SectionGrant{Section: sec, Read: true, Write: write}
}

// handOver creates a handover of f.cert to addr with grants.
func (f *fixture) handOver(t testing.TB, addr string, code zeugov1.HandoverCodeChannel, download bool, grants ...*zeugov1.SectionGrant) *zeugov1.Handover {
	t.Helper()
	return f.handOverCert(t, f.cert.GetId(), addr, code, download, grants...)
}

// handOverCert creates a handover of certificate certID to addr.
func (f *fixture) handOverCert(t testing.TB, certID, addr string, code zeugov1.HandoverCodeChannel, download bool, grants ...*zeugov1.SectionGrant) *zeugov1.Handover {
	t.Helper()
	res, err := f.hr.Hand.CreateHandover(ctx(), connect.NewRequest(&zeugov1.CreateHandoverRequest{CertificateId: certID,
		Recipient: &zeugov1.HandoverRecipient{Name: "Petra Vorgesetzte", Email: addr}, Language: "de", Grants: grants,
		Download: download, CodeChannel: code, Message: "Bitte bis Freitag."}))
	if err != nil {
		t.Fatalf("hand over: %v", err)
	}
	return res.Msg.GetHandover()
}

// recipient hands f.cert over to addr without a code and opens the
// mailed link over p: the handover and the recipient's client.
func (f *fixture) recipient(t testing.TB, addr string, p apptest.Protocol, download bool, grants ...*zeugov1.SectionGrant) (*zeugov1.Handover, *hr) {
	t.Helper()
	h := f.handOver(t, addr, noCode, download, grants...)
	id, secret := f.link(t, addr)
	return h, f.open(t, id, secret, p)
}

// open opens a link without a code and returns the recipient's client.
func (f *fixture) open(t testing.TB, id, secret string, p apptest.Protocol) *hr {
	t.Helper()
	res, err := anon(f.env, p).Rcpt.OpenHandover(ctx(), connect.NewRequest(&zeugov1.OpenHandoverRequest{HandoverId: id, Secret: secret}))
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	s := res.Msg.GetSession()
	if s == nil {
		t.Fatalf("open: no session but %v", res.Msg)
	}
	return as(f.env, s.GetToken(), p)
}

const (
	secData        = zeugov1.CertificateSection_CERTIFICATE_SECTION_DATA
	secPersonal    = zeugov1.CertificateSection_CERTIFICATE_SECTION_PERSONAL
	secCompany     = zeugov1.CertificateSection_CERTIFICATE_SECTION_COMPANY
	secPerformance = zeugov1.CertificateSection_CERTIFICATE_SECTION_PERFORMANCE
	secConduct     = zeugov1.CertificateSection_CERTIFICATE_SECTION_CONDUCT
	secResult      = zeugov1.CertificateSection_CERTIFICATE_SECTION_RESULT
	noCode         = zeugov1.HandoverCodeChannel_HANDOVER_CODE_CHANNEL_UNSPECIFIED
	byEmail        = zeugov1.HandoverCodeChannel_HANDOVER_CODE_CHANNEL_EMAIL
)

func version(cert *zeugov1.Certificate, s zeugov1.CertificateSection) int64 {
	for _, si := range cert.GetSections() {
		if si.GetSection() == s {
			return si.GetVersion()
		}
	}
	return 0
}

func getCert(t testing.TB, c *hr, id string) *zeugov1.Certificate {
	t.Helper()
	res, err := c.Cert.GetCertificate(ctx(), connect.NewRequest(&zeugov1.GetCertificateRequest{Id: id}))
	if err != nil {
		t.Fatalf("get certificate: %v", err)
	}
	return res.Msg.GetCertificate()
}

func ratePerformance(c *hr, cert *zeugov1.Certificate, grade int32) (*zeugov1.Certificate, error) {
	res, err := c.Cert.UpdateCertificateSection(ctx(), connect.NewRequest(&zeugov1.UpdateCertificateSectionRequest{Id: cert.GetId(),
		Version: version(cert, secPerformance), Section: &zeugov1.UpdateCertificateSectionRequest_Performance{
			Performance: &zeugov1.PerformanceSection{Willingness: grade, Ability: grade, Knowledge: grade, Learning: grade,
				WorkingStyle: grade, Results: grade}}}))
	if err != nil {
		return nil, err
	}
	return res.Msg.GetCertificate(), nil
}

func asConnect(err error, target **connect.Error) bool { return errors.As(err, target) }

// wantViolation fails t unless err is code with rule on field.
func wantViolation(t testing.TB, err error, code connect.Code, field, rule string) {
	t.Helper()
	apptest.WantCode(t, err, code, field)
	if got := apptest.Violations(t, err); got[field] != rule {
		t.Fatalf("%s: violations %v, want %s", field, got, rule)
	}
}
