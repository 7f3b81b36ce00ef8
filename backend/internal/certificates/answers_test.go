package certificates_test

import (
	"testing"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/encoding/prototext"
	"google.golang.org/protobuf/proto"

	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
)

// TestWritesAnswerWhatIsStored: a write answers the certificate from what
// it holds instead of reading it again; that answer is exactly what a Get
// reads right after — sections, versions, savers, names, the checker's
// reading — for every kind of write.
func TestWritesAnswerWhatIsStored(t *testing.T) {
	t.Parallel()
	f := setup(t, "antwort")
	c := f.admin
	cat, err := c.Cert.GetCertificateCatalog(ctx(), connect.NewRequest(&zeugov1.GetCertificateCatalogRequest{Language: "de"}))
	if err != nil {
		t.Fatal(err)
	}
	emp := f.employee(t, c, "W1", "Antwort", f.company(t, "Antwort GmbH"))
	signer := f.employee(t, c, "W2", "Zeichnerin", "")
	same := func(what string, answer *zeugov1.Certificate) *zeugov1.Certificate {
		t.Helper()
		stored := get(t, c, answer.GetId())
		if !proto.Equal(stored, answer) {
			t.Errorf("%s: the answer differs from what is stored:\nstored %s\nanswer %s", what, prototext.Format(stored), prototext.Format(answer))
		}
		return stored
	}
	res, err := c.Cert.CreateCertificate(ctx(), connect.NewRequest(&zeugov1.CreateCertificateRequest{EmployeeId: emp.GetId(),
		Kind: zeugov1.CertificateKind_CERTIFICATE_KIND_APPRENTICESHIP, JobProfileId: cat.Msg.GetJobProfiles()[0].GetId()}))
	if err != nil {
		t.Fatal(err)
	}
	cert := same("create", res.Msg.GetCertificate())
	step := func(what string, sec zeugov1.CertificateSection, req *zeugov1.UpdateCertificateSectionRequest) {
		t.Helper()
		cert = same(what, mustUpdate(t, c, cert, sec, req))
	}
	step("performance", secPerformance, perf(&zeugov1.PerformanceSection{Willingness: 2, Ability: 2, Knowledge: 2, Learning: 2,
		WorkingStyle: 2, Results: 2, Exam: 2}))
	step("conduct", secConduct, &zeugov1.UpdateCertificateSectionRequest{Section: &zeugov1.UpdateCertificateSectionRequest_Conduct{
		Conduct: &zeugov1.ConductSection{Internal: 2, External: 2}}})
	step("signatures", secSignatures, &zeugov1.UpdateCertificateSectionRequest{Section: &zeugov1.UpdateCertificateSectionRequest_Signatures{
		Signatures: &zeugov1.SignaturesSection{Signatories: []*zeugov1.CertificateSignatory{{EmployeeId: signer.GetId(), Function: "Ausbilderin"}}}}})
	g, err := c.Cert.GenerateCertificateText(ctx(), connect.NewRequest(&zeugov1.GenerateCertificateTextRequest{Id: cert.GetId(),
		Version: version(t, cert, secResult)}))
	if err != nil {
		t.Fatal(err)
	}
	cert = same("generate", g.Msg.GetCertificate())
	step("edited text", secResult, &zeugov1.UpdateCertificateSectionRequest{Section: &zeugov1.UpdateCertificateSectionRequest_Result{
		Result: &zeugov1.ResultSection{Paragraphs: paragraphsWith(t, cert, "performance", "Sie war stets bemüht.")}}})
	step("conduct re-reads the text", secConduct, &zeugov1.UpdateCertificateSectionRequest{Section: &zeugov1.UpdateCertificateSectionRequest_Conduct{
		Conduct: &zeugov1.ConductSection{Internal: 1, External: 1}}})
	step("kind and profile", secData, &zeugov1.UpdateCertificateSectionRequest{Section: &zeugov1.UpdateCertificateSectionRequest_Data{
		Data: &zeugov1.DataSection{Kind: final, Language: "de", JobProfileId: cat.Msg.GetJobProfiles()[1].GetId(), JobTitle: "Kauffrau"}}})
	step("person", zeugov1.CertificateSection_CERTIFICATE_SECTION_PERSONAL, personal("Berta", "Neuname"))
	for _, to := range []zeugov1.CertificateStatus{stReview, stCompleted} {
		tr, err := c.Cert.TransitionCertificate(ctx(), connect.NewRequest(&zeugov1.TransitionCertificateRequest{Id: cert.GetId(),
			Version: cert.GetVersion(), Status: to}))
		if err != nil {
			t.Fatal(err)
		}
		cert = same("transition", tr.Msg.GetCertificate())
	}
	tr, err := c.Cert.TransitionCertificate(ctx(), connect.NewRequest(&zeugov1.TransitionCertificateRequest{Id: cert.GetId(),
		Version: cert.GetVersion(), Status: stIssued, ConfirmationReason: "geprüft"}))
	if err != nil {
		t.Fatal(err)
	}
	cert = same("issue", tr.Msg.GetCertificate())
	p, err := c.Cert.SetCertificatePrivate(ctx(), connect.NewRequest(&zeugov1.SetCertificatePrivateRequest{Id: cert.GetId(),
		Version: cert.GetVersion(), Private: true}))
	if err != nil {
		t.Fatal(err)
	}
	cert = same("private", p.Msg.GetCertificate())
	corr, err := c.Cert.CorrectCertificate(ctx(), connect.NewRequest(&zeugov1.CorrectCertificateRequest{Id: cert.GetId()}))
	if err != nil {
		t.Fatal(err)
	}
	same("correction", corr.Msg.GetCertificate())
}
