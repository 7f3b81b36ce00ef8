package certificates_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"buf.build/gen/go/bufbuild/protovalidate/protocolbuffers/go/buf/validate"
	"connectrpc.com/connect"

	"github.com/zeugo/zeugo/backend/internal/apptest"
	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
)

// referenceMessages are the messages of the zeugo.employee_referenced
// violations of a refusal.
func referenceMessages(t *testing.T, err error) []string {
	t.Helper()
	var ce *connect.Error
	if !errors.As(err, &ce) || ce.Code() != connect.CodeFailedPrecondition {
		t.Fatalf("not refused: %v", err)
	}
	var out []string
	for _, d := range ce.Details() {
		m, derr := d.Value()
		if derr != nil {
			t.Fatal(derr)
		}
		if v, ok := m.(*validate.Violations); ok {
			for _, x := range v.GetViolations() {
				if x.GetRuleId() == "zeugo.employee_referenced" {
					out = append(out, x.GetMessage())
				}
			}
		}
	}
	return out
}

// An employee whom certificates are about or signed by is kept: delete and
// erase are refused, naming the certificates, until they are gone.
func TestEmployeeReferencedByCertificatesIsKept(t *testing.T) {
	t.Parallel()
	for _, p := range []apptest.Protocol{apptest.Connect, apptest.GRPC} {
		t.Run(p.String(), func(t *testing.T) {
			t.Parallel()
			w := newWorld(t, p)
			c := w.admin
			first := certificate(t, c, w.companyA, "S-1", false)
			second, err := c.Cert.CreateCertificate(ctx(), connect.NewRequest(&zeugov1.CreateCertificateRequest{
				EmployeeId: first.GetEmployeeId(), Kind: zeugov1.CertificateKind_CERTIFICATE_KIND_INTERIM}))
			if err != nil {
				t.Fatal(err)
			}
			signed := certificate(t, c, w.companyA, "S-2", false)
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
			_, err = c.Emp.DeleteEmployee(ctx(), connect.NewRequest(&zeugov1.DeleteEmployeeRequest{Id: emp}))
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

			for _, id := range []string{first.GetId(), second.Msg.GetCertificate().GetId(), signed.GetId()} {
				if _, err := c.Cert.DeleteCertificate(ctx(), connect.NewRequest(&zeugov1.DeleteCertificateRequest{Id: id})); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := c.Emp.EraseEmployee(ctx(), connect.NewRequest(&zeugov1.EraseEmployeeRequest{Id: emp, ConfirmPersonnelNumber: "S-1"})); err != nil {
				t.Fatalf("erase once no certificate is left: %v", err)
			}
		})
	}
}
