package certificates_test

import (
	"bytes"
	"strings"
	"testing"

	"connectrpc.com/connect"

	"github.com/zeugo/zeugo/backend/internal/apptest"
	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
)

func TestCertificateFromDraftToIssuedPDF(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ten := env.CreateTenant("Zeugnis GmbH", "admin@zeugnis.example")
	c := signIn(t, env, ten.Email, ten.Password, apptest.Connect)
	co, err := c.Org.CreateCompany(ctx(), connect.NewRequest(&zeugov1.CreateCompanyRequest{Fields: &zeugov1.CompanyFields{
		Name: "Brückner & Söhne GmbH", Street: "Hafenstraße 3", Postcode: "20457", City: "Hamburg", RegisterCourt: "Amtsgericht Hamburg",
		RegisterNumber: "HRB 12345"}}))
	if err != nil {
		t.Fatal(err)
	}
	emp, err := c.Emp.CreateEmployee(ctx(), connect.NewRequest(&zeugov1.CreateEmployeeRequest{Fields: &zeugov1.EmployeeFields{
		Salutation: zeugov1.Salutation_SALUTATION_FRAU, FirstName: "Anna", LastName: "Schäfer", PersonnelNumber: "Z-1",
		EntryDate: "2018-03-01", ExitDate: "2024-06-30", ExitReason: zeugov1.ExitReason_EXIT_REASON_OWN_WISH,
		JobTitle: "Sachbearbeiterin Buchhaltung", CompanyId: co.Msg.GetCompany().GetId(),
		Tasks: []string{"Kreditorenbuchhaltung", "Vorbereitung des Monatsabschlusses"}}}))
	if err != nil {
		t.Fatal(err)
	}
	cr, err := c.Cert.CreateCertificate(ctx(), connect.NewRequest(&zeugov1.CreateCertificateRequest{
		EmployeeId: emp.Msg.GetEmployee().GetId(), Kind: zeugov1.CertificateKind_CERTIFICATE_KIND_FINAL}))
	if err != nil {
		t.Fatal(err)
	}
	cert := cr.Msg.GetCertificate()
	if cert.GetStatus() != zeugov1.CertificateStatus_CERTIFICATE_STATUS_DRAFT || cert.GetContent().GetPersonal().GetLastName() != "Schäfer" {
		t.Fatalf("created: %v", cert)
	}
	up, err := c.Cert.UpdateCertificateSection(ctx(), connect.NewRequest(&zeugov1.UpdateCertificateSectionRequest{Id: cert.GetId(),
		Version: version(t, cert, zeugov1.CertificateSection_CERTIFICATE_SECTION_PERFORMANCE),
		Section: &zeugov1.UpdateCertificateSectionRequest_Performance{Performance: &zeugov1.PerformanceSection{
			Willingness: 2, Ability: 2, Knowledge: 2, Learning: 2, WorkingStyle: 2, Results: 2}}}))
	if err != nil {
		t.Fatal(err)
	}
	up, err = c.Cert.UpdateCertificateSection(ctx(), connect.NewRequest(&zeugov1.UpdateCertificateSectionRequest{Id: cert.GetId(),
		Version: version(t, up.Msg.GetCertificate(), zeugov1.CertificateSection_CERTIFICATE_SECTION_CONDUCT),
		Section: &zeugov1.UpdateCertificateSectionRequest_Conduct{Conduct: &zeugov1.ConductSection{Internal: 2, External: 2}}}))
	if err != nil {
		t.Fatal(err)
	}
	cert = up.Msg.GetCertificate()
	gen, err := c.Cert.GenerateCertificateText(ctx(), connect.NewRequest(&zeugov1.GenerateCertificateTextRequest{Id: cert.GetId(),
		Version: version(t, cert, zeugov1.CertificateSection_CERTIFICATE_SECTION_RESULT)}))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range gen.Msg.GetProblems() {
		t.Logf("problem: %v", p)
	}
	cert = gen.Msg.GetCertificate()
	paras := cert.GetContent().GetResult().GetParagraphs()
	if len(paras) == 0 {
		t.Fatalf("no text: %v", gen.Msg.GetProblems())
	}
	if ch := cert.GetCheck(); ch.GetNeedsConfirmation() || ch.GetOverallGrade() != 2 {
		t.Fatalf("check of the generated text: %v", ch)
	}
	for _, to := range []zeugov1.CertificateStatus{zeugov1.CertificateStatus_CERTIFICATE_STATUS_REVIEW,
		zeugov1.CertificateStatus_CERTIFICATE_STATUS_COMPLETED, zeugov1.CertificateStatus_CERTIFICATE_STATUS_ISSUED} {
		tr, err := c.Cert.TransitionCertificate(ctx(), connect.NewRequest(&zeugov1.TransitionCertificateRequest{Id: cert.GetId(),
			Version: cert.GetVersion(), Status: to}))
		if err != nil {
			t.Fatalf("to %v: %v", to, err)
		}
		cert = tr.Msg.GetCertificate()
	}
	if cert.GetDocumentSha256() == "" {
		t.Fatal("issued without a stored document")
	}
	d1, err := c.Cert.DownloadCertificate(ctx(), connect.NewRequest(&zeugov1.DownloadCertificateRequest{Id: cert.GetId()}))
	if err != nil {
		t.Fatal(err)
	}
	d2, err := c.Cert.DownloadCertificate(ctx(), connect.NewRequest(&zeugov1.DownloadCertificateRequest{Id: cert.GetId()}))
	if err != nil {
		t.Fatal(err)
	}
	if !d1.Msg.GetIssued() || !bytes.Equal(d1.Msg.GetPdf(), d2.Msg.GetPdf()) || d1.Msg.GetSha256() != cert.GetDocumentSha256() {
		t.Fatalf("downloads differ or are not the stored document: %s %s", d1.Msg.GetSha256(), cert.GetDocumentSha256())
	}
	if !bytes.HasPrefix(d1.Msg.GetPdf(), []byte("%PDF-")) || !strings.HasSuffix(d1.Msg.GetFileName(), ".pdf") {
		t.Fatalf("not a PDF: %q", d1.Msg.GetFileName())
	}
	_, err = c.Cert.UpdateCertificateSection(ctx(), connect.NewRequest(&zeugov1.UpdateCertificateSectionRequest{Id: cert.GetId(),
		Version: version(t, cert, zeugov1.CertificateSection_CERTIFICATE_SECTION_CONDUCT),
		Section: &zeugov1.UpdateCertificateSectionRequest_Conduct{Conduct: &zeugov1.ConductSection{Internal: 1, External: 1}}}))
	if connect.CodeOf(err) != connect.CodeFailedPrecondition {
		t.Fatalf("edit of an issued certificate: %v", err)
	}
	h, err := c.Cert.ListCertificateHistory(ctx(), connect.NewRequest(&zeugov1.ListCertificateHistoryRequest{Id: cert.GetId()}))
	if err != nil || len(h.Msg.GetEntries()) != 4 || h.Msg.GetEntries()[0].GetActorName() == "" {
		t.Fatalf("history: %v %v", err, h)
	}
}
