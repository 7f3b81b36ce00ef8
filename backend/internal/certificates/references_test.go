package certificates_test

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"connectrpc.com/connect"

	"github.com/zeugo/zeugo/backend/internal/apptest"
	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
)

// referenceMessages are the messages of the zeugo.employee_referenced
// violations of a refusal.
func referenceMessages(t *testing.T, err error) []string {
	t.Helper()
	apptest.WantCode(t, err, connect.CodeFailedPrecondition, "removal of a referenced employee")
	var out []string
	for _, v := range apptest.FieldViolations(t, err) {
		if v.RuleID == "zeugo.employee_referenced" {
			out = append(out, v.Message)
		}
	}
	return out
}

// An employee whom certificates are about or signed by is kept: delete and
// erase are refused, naming the certificates, until they are gone.
func TestEmployeeReferencedByCertificatesIsKept(t *testing.T) {
	eachProtocol(t, func(t *testing.T, w *world, _ apptest.Protocol) {
		c := w.admin
		first := certificate(t, w.fixture, c, w.companyA, "S-1", false)
		second := create(t, c, first.GetEmployeeId(), zeugov1.CertificateKind_CERTIFICATE_KIND_INTERIM, false)
		signed := certificate(t, w.fixture, c, w.companyA, "S-2", false)
		var version int64
		for _, si := range signed.GetSections() {
			if si.GetSection() == zeugov1.CertificateSection_CERTIFICATE_SECTION_SIGNATURES {
				version = si.GetVersion()
			}
		}
		if _, err := c.Cert.UpdateCertificateSection(ctx(), connect.NewRequest(&zeugov1.UpdateCertificateSectionRequest{
			Id: signed.GetId(), Version: version, Section: &zeugov1.UpdateCertificateSectionRequest_Signatures{
				Signatures: &zeugov1.SignaturesSection{Signatories: []*zeugov1.CertificateSignatory{
					{EmployeeId: first.GetEmployeeId(), Function: "Lagerleiter"}}}}})); err != nil {
			t.Fatal(err)
		}

		emp := first.GetEmployeeId()
		_, err := c.Emp.DeleteEmployee(ctx(), connect.NewRequest(&zeugov1.DeleteEmployeeRequest{Id: emp}))
		if msgs := referenceMessages(t, err); !slices.Equal(msgs, []string{"certificate_subject: 2", "certificate_signatory: 1"}) ||
			!strings.Contains(err.Error(), "referenced by 2 certificates as subject, 1 as signatory") {
			t.Fatalf("delete: %v %v", msgs, err)
		}
		_, err = c.Emp.EraseEmployee(ctx(), connect.NewRequest(&zeugov1.EraseEmployeeRequest{Id: emp, ConfirmPersonnelNumber: "S-1"}))
		if msgs := referenceMessages(t, err); len(msgs) != 2 {
			t.Fatalf("erase: %v %v", msgs, err)
		}
		if _, err := c.Emp.GetEmployee(ctx(), connect.NewRequest(&zeugov1.GetEmployeeRequest{Id: emp})); err != nil {
			t.Fatalf("a refused removal changed something: %v", err)
		}

		for _, id := range []string{first.GetId(), second.GetId(), signed.GetId()} {
			if _, err := c.Cert.DeleteCertificate(ctx(), connect.NewRequest(&zeugov1.DeleteCertificateRequest{Id: id})); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := c.Emp.EraseEmployee(ctx(), connect.NewRequest(&zeugov1.EraseEmployeeRequest{Id: emp, ConfirmPersonnelNumber: "S-1"})); err != nil {
			t.Fatalf("erase once no certificate is left: %v", err)
		}
	})
}

// The data subject's export holds the certificates about them: JSON with
// sections, status and history in the document, and every PDF (the issued
// one as stored) beside it in the archive.
func TestEmployeeDataExportHoldsTheCertificates(t *testing.T) {
	eachProtocol(t, func(t *testing.T, w *world, _ apptest.Protocol) {
		c := w.admin
		issued := certificate(t, w.fixture, c, w.companyA, "D-1", true)
		draft := create(t, c, issued.GetEmployeeId(), zeugov1.CertificateKind_CERTIFICATE_KIND_INTERIM, false)
		other := certificate(t, w.fixture, c, w.companyA, "D-2", false)

		res, err := c.Emp.ExportEmployeeData(ctx(), connect.NewRequest(&zeugov1.ExportEmployeeDataRequest{Id: issued.GetEmployeeId()}))
		if err != nil {
			t.Fatal(err)
		}
		var doc struct {
			Sections     []string `json:"sections"`
			Certificates []struct {
				ID       string                     `json:"id"`
				Status   string                     `json:"status"`
				Sections map[string]json.RawMessage `json:"sections"`
				History  []struct {
					To    string            `json:"to"`
					Actor map[string]string `json:"actor"`
				} `json:"history"`
				PDF        string `json:"pdf"`
				PDFMissing string `json:"pdfMissing"`
			} `json:"certificates"`
		}
		if err := json.Unmarshal(res.Msg.GetDocument(), &doc); err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(doc.Sections, "certificates") || len(doc.Certificates) != 2 {
			t.Fatalf("document: %s", res.Msg.GetDocument())
		}
		got := doc.Certificates[0]
		if got.ID != issued.GetId() || got.Status != "issued" || len(got.History) != 4 || got.History[3].To != "issued" ||
			got.History[0].Actor["type"] != "user" || got.Sections["performance"] == nil || got.PDF == "" {
			t.Fatalf("issued certificate in the document: %+v", got)
		}
		if d := doc.Certificates[1]; d.ID != draft.GetId() || d.Status != "draft" || (d.PDF == "") == (d.PDFMissing == "") {
			t.Fatalf("draft in the document: %+v", d)
		}
		if strings.Contains(string(res.Msg.GetDocument()), other.GetId()) {
			t.Fatal("another employee's certificate in the document")
		}

		names, entries := unzipped(t, res.Msg.GetArchive())
		if !strings.HasSuffix(res.Msg.GetArchiveFileName(), ".zip") || names[0] != res.Msg.GetFileName() {
			t.Fatalf("archive %q starts with %q", res.Msg.GetArchiveFileName(), names[0])
		}
		if !bytes.Equal(entries[res.Msg.GetFileName()], res.Msg.GetDocument()) {
			t.Fatal("the archive's document differs")
		}
		single, err := c.Cert.DownloadCertificate(ctx(), connect.NewRequest(&zeugov1.DownloadCertificateRequest{Id: issued.GetId()}))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(entries[got.PDF], single.Msg.GetPdf()) {
			t.Fatalf("the issued PDF %s is not the stored document", got.PDF)
		}
		want := 1 // the issued one; the fresh draft's preview when its sections suffice
		if doc.Certificates[1].PDF != "" {
			want = 2
		}
		if pdfs := len(entries) - 1; pdfs != want {
			t.Fatalf("%d PDFs in the archive, want %d", pdfs, want)
		}
		if n := w.count(t, `SELECT count(*) FROM audit_events WHERE action = 'certificate.read' AND details LIKE '%employee_data_export%'`); n != 2 {
			t.Fatalf("%d certificate reads recorded for the export", n)
		}
	})
}
