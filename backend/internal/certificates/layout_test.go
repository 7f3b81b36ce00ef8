package certificates_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"connectrpc.com/connect"

	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
	"github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1/zeugov1connect"
)

// TestPDFIsPrintedInTheCompanysLayout: the preview and the issued PDF of a
// certificate use the layout saved for its company (package layout); a
// later change of the layout leaves the issued document as it was.
func TestPDFIsPrintedInTheCompanysLayout(t *testing.T) {
	t.Parallel()
	f := setup(t, "gestaltung")
	company := f.company(t, "Gestaltung Nord GmbH")
	layouts := zeugov1connect.NewDocumentLayoutServiceClient(f.admin.HTTP, f.admin.URL, f.admin.Options()...)
	def, err := layouts.GetDocumentLayout(ctx(), connect.NewRequest(&zeugov1.GetDocumentLayoutRequest{CompanyId: company}))
	if err != nil {
		t.Fatal(err)
	}
	s := def.Msg.GetLayout().GetSettings()
	s.Font, s.CustomFooter, s.FooterLines = zeugov1.DocumentFont_DOCUMENT_FONT_SANS, true, []string{"Eigene Fußzeile · Sitz Hamburg"}
	s.DateFormat = zeugov1.DocumentDateFormat_DOCUMENT_DATE_FORMAT_NUMERIC
	saved, err := layouts.UpdateDocumentLayout(ctx(), connect.NewRequest(&zeugov1.UpdateDocumentLayoutRequest{CompanyId: company, Settings: s}))
	if err != nil {
		t.Fatal(err)
	}
	emp := f.employee(t, f.admin, "L-1", "Lindqvist", company)
	cert := generate(t, f.admin, rated(t, f.admin, create(t, f.admin, emp.GetId(), zeugov1.CertificateKind_CERTIFICATE_KIND_FINAL, false)))
	download := func() string {
		t.Helper()
		d, err := f.admin.Cert.DownloadCertificate(ctx(), connect.NewRequest(&zeugov1.DownloadCertificateRequest{Id: cert.GetId()}))
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(t.TempDir(), "z.pdf")
		if err := os.WriteFile(path, d.Msg.GetPdf(), 0o600); err != nil {
			t.Fatal(err)
		}
		txt, err := exec.Command("pdftotext", "-enc", "UTF-8", path, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		fonts, err := exec.Command("pdffonts", path).Output()
		if err != nil {
			t.Fatal(err)
		}
		return string(txt) + "\n" + string(fonts)
	}
	preview := download()
	for _, want := range []string{"Eigene Fußzeile · Sitz Hamburg", "Hamburg, 30.06.2024", "liberationsans"} {
		if !strings.Contains(preview, want) {
			t.Fatalf("the preview lacks %q:\n%s", want, preview)
		}
	}
	cert = transition(t, f.admin, cert, zeugov1.CertificateStatus_CERTIFICATE_STATUS_REVIEW,
		zeugov1.CertificateStatus_CERTIFICATE_STATUS_COMPLETED, zeugov1.CertificateStatus_CERTIFICATE_STATUS_ISSUED)
	issued := download()
	if !strings.Contains(issued, "Eigene Fußzeile") || !strings.Contains(issued, "liberationsans") {
		t.Fatalf("the issued PDF is not in the layout:\n%s", issued)
	}
	// The layout changes afterwards: the issued document stays as issued.
	if _, err := layouts.ResetDocumentLayout(ctx(), connect.NewRequest(&zeugov1.ResetDocumentLayoutRequest{CompanyId: company,
		Version: saved.Msg.GetLayout().GetVersion()})); err != nil {
		t.Fatal(err)
	}
	if again := download(); again != issued {
		t.Fatal("resetting the layout changed an issued document")
	}
}
