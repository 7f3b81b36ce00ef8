package handover_test

import (
	"slices"
	"testing"
	"time"

	"connectrpc.com/connect"

	"github.com/zeugo/zeugo/backend/internal/apptest"
	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
)

// TestHandoverWithCode is the whole loop: HR hands the certificate over
// with a code by email; the recipient opens the mailed link, gets the
// code, reads only the granted sections, writes only the writable one, is
// refused everything else, and completes; the certificate is in review,
// HR is mailed, the history names the recipient, and the session is over.
func TestHandoverWithCode(t *testing.T) {
	t.Parallel()
	f := setup(t)
	h := f.handOver(t, "petra@kunde.example", byEmail, false, grant(secData, false), grant(secPerformance, true))
	if h.GetState() != zeugov1.HandoverState_HANDOVER_STATE_SENT || len(h.GetGrants()) != 2 {
		t.Fatalf("handover %v", h)
	}
	if st := getCert(t, f.hr, f.cert.GetId()).GetStatus(); st != zeugov1.CertificateStatus_CERTIFICATE_STATUS_IN_PROGRESS {
		t.Fatalf("status after handover %v", st)
	}
	id, secret := f.link(t, "petra@kunde.example")
	pub := anon(f.env, apptest.Connect)
	res, err := pub.Rcpt.OpenHandover(ctx(), connect.NewRequest(&zeugov1.OpenHandoverRequest{HandoverId: id, Secret: secret}))
	if err != nil {
		t.Fatal(err)
	}
	sent := res.Msg.GetCodeSent()
	if sent == nil || sent.GetDestination() != "p•••@kunde.example" {
		t.Fatalf("code step %v", res.Msg)
	}
	code := f.code(t, "petra@kunde.example")
	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	_, err = pub.Rcpt.OpenHandover(ctx(), connect.NewRequest(&zeugov1.OpenHandoverRequest{HandoverId: id, Secret: secret,
		AttemptId: sent.GetAttemptId(), Code: wrong}))
	apptest.WantCode(t, err, connect.CodeInvalidArgument, "wrong code")
	res, err = pub.Rcpt.OpenHandover(ctx(), connect.NewRequest(&zeugov1.OpenHandoverRequest{HandoverId: id, Secret: secret,
		AttemptId: sent.GetAttemptId(), Code: code}))
	if err != nil {
		t.Fatal(err)
	}
	r := as(f.env, res.Msg.GetSession().GetToken(), apptest.Connect)

	mine, err := r.Rcpt.GetMyHandover(ctx(), connect.NewRequest(&zeugov1.GetMyHandoverRequest{}))
	if err != nil {
		t.Fatal(err)
	}
	if m := mine.Msg.GetHandover(); m.GetRecipientName() != "Petra Vorgesetzte" || m.GetMessage() != "Bitte bis Freitag." || m.GetCertificateId() != f.cert.GetId() {
		t.Fatalf("my handover %v", m)
	}
	cert := getCert(t, r, f.cert.GetId())
	if cert.GetContent().GetData() == nil || cert.GetContent().GetPerformance() == nil || cert.GetContent().GetPersonal() != nil ||
		cert.GetContent().GetConduct() != nil || len(cert.GetSections()) != 2 || len(cert.GetNextStatuses()) != 0 ||
		cert.GetEmployeeId() != "" || cert.GetPersonnelNumber() != "" {
		t.Fatalf("recipient's view carries more than the grant: %v", cert)
	}
	if cert, err = ratePerformance(r, cert, 2); err != nil {
		t.Fatalf("recipient's write of a writable section: %v", err)
	}
	if len(cert.GetSections()) != 2 {
		t.Fatalf("the write's answer carries more than the grant: %v", cert.GetSections())
	}
	_, err = r.Cert.UpdateCertificateSection(ctx(), connect.NewRequest(&zeugov1.UpdateCertificateSectionRequest{Id: cert.GetId(),
		Version: 1, Section: &zeugov1.UpdateCertificateSectionRequest_Conduct{Conduct: &zeugov1.ConductSection{Internal: 1, External: 1}}}))
	apptest.WantCode(t, err, connect.CodePermissionDenied, "write outside the grant")
	_, err = r.Cert.UpdateCertificateSection(ctx(), connect.NewRequest(&zeugov1.UpdateCertificateSectionRequest{Id: cert.GetId(),
		Version: version(cert, secData), Section: &zeugov1.UpdateCertificateSectionRequest_Data{Data: cert.GetContent().GetData()}}))
	apptest.WantCode(t, err, connect.CodePermissionDenied, "write of a read-only section")
	_, err = r.Cert.DownloadCertificate(ctx(), connect.NewRequest(&zeugov1.DownloadCertificateRequest{Id: cert.GetId()}))
	apptest.WantCode(t, err, connect.CodePermissionDenied, "download without the grant")
	_, err = r.Cert.GenerateCertificateText(ctx(), connect.NewRequest(&zeugov1.GenerateCertificateTextRequest{Id: cert.GetId(), Version: 1}))
	apptest.WantCode(t, err, connect.CodePermissionDenied, "generate without the result section")
	other := f.certificate(t, "P-2", "Schäfer")
	_, err = r.Cert.GetCertificate(ctx(), connect.NewRequest(&zeugov1.GetCertificateRequest{Id: other.GetId()}))
	apptest.WantCode(t, err, connect.CodeNotFound, "another certificate")
	_, err = r.Cert.ListCertificates(ctx(), connect.NewRequest(&zeugov1.ListCertificatesRequest{}))
	apptest.WantCode(t, err, connect.CodePermissionDenied, "an rpc that does not admit recipients")
	_, err = r.Hand.ListHandovers(ctx(), connect.NewRequest(&zeugov1.ListHandoversRequest{CertificateId: cert.GetId()}))
	apptest.WantCode(t, err, connect.CodePermissionDenied, "HR's handover rpcs")

	if _, err := r.Rcpt.CompleteHandover(ctx(), connect.NewRequest(&zeugov1.CompleteHandoverRequest{})); err != nil {
		t.Fatal(err)
	}
	_, err = r.Cert.GetCertificate(ctx(), connect.NewRequest(&zeugov1.GetCertificateRequest{Id: cert.GetId()}))
	apptest.WantCode(t, err, connect.CodeUnauthenticated, "the session after completion")
	_, err = pub.Rcpt.OpenHandover(ctx(), connect.NewRequest(&zeugov1.OpenHandoverRequest{HandoverId: id, Secret: secret}))
	apptest.WantCode(t, err, connect.CodeNotFound, "the link after completion")

	after := getCert(t, f.hr, f.cert.GetId())
	if after.GetStatus() != zeugov1.CertificateStatus_CERTIFICATE_STATUS_REVIEW || after.GetContent().GetPerformance().GetAbility() != 2 {
		t.Fatalf("after completion: %v %v", after.GetStatus(), after.GetContent().GetPerformance())
	}
	for _, si := range after.GetSections() {
		if si.GetSection() == secPerformance && si.GetUpdatedByName() != "Petra Vorgesetzte" {
			t.Fatalf("saved by %q", si.GetUpdatedByName())
		}
	}
	hist, err := f.hr.Cert.ListCertificateHistory(ctx(), connect.NewRequest(&zeugov1.ListCertificateHistoryRequest{Id: cert.GetId()}))
	if err != nil {
		t.Fatal(err)
	}
	entries := hist.Msg.GetEntries()
	if last := entries[len(entries)-1]; last.GetActorName() != "Petra Vorgesetzte" {
		t.Fatalf("history's last entry %v", last)
	}
	var subjects []string
	for _, m := range f.mails(t, f.ten.Email) {
		subjects = append(subjects, m.Subject)
	}
	if !slices.Contains(subjects, "Petra Vorgesetzte hat die Bearbeitung abgeschlossen") {
		t.Fatalf("HR's mails %q", subjects)
	}
	list, err := f.hr.Hand.ListHandovers(ctx(), connect.NewRequest(&zeugov1.ListHandoversRequest{CertificateId: cert.GetId()}))
	if err != nil || len(list.Msg.GetHandovers()) != 1 || list.Msg.GetHandovers()[0].GetState() != zeugov1.HandoverState_HANDOVER_STATE_COMPLETED {
		t.Fatalf("list %v %v", list, err)
	}
}

// TestClosedLinksAnswerAlike: an unknown id, a wrong secret, a revoked and
// an expired handover answer the same NotFound.
func TestClosedLinksAnswerAlike(t *testing.T) {
	t.Parallel()
	f := setup(t)
	h := f.handOver(t, "a@kunde.example", noCode, false, grant(secPerformance, true))
	id, secret := f.link(t, "a@kunde.example")
	pub := anon(f.env, apptest.GRPC)
	try := func(what, id, secret string) {
		t.Helper()
		_, err := pub.Rcpt.OpenHandover(ctx(), connect.NewRequest(&zeugov1.OpenHandoverRequest{HandoverId: id, Secret: secret}))
		apptest.WantCode(t, err, connect.CodeNotFound, what)
		if ce := new(connect.Error); !asConnect(err, &ce) || ce.Message() != "this link is not valid (any more)" {
			t.Fatalf("%s: %v", what, err)
		}
	}
	try("unknown id", "0123456789abcdef0123456789abcdef", secret)
	try("wrong secret", id, "0123456789abcdef0123456789abcdef")
	r := f.open(t, id, secret, apptest.GRPC)
	f.env.Clock.Advance(31 * 24 * time.Hour)
	try("expired", id, secret)
	_, err := r.Cert.GetCertificate(ctx(), connect.NewRequest(&zeugov1.GetCertificateRequest{Id: f.cert.GetId()}))
	apptest.WantCode(t, err, connect.CodeUnauthenticated, "a session of an expired handover")
	f.hr = clientOf(apptest.SignIn(t, f.env, f.ten.Email, f.ten.Password, apptest.Connect)) // HR's session expired too
	ext, err := f.hr.Hand.ExtendHandover(ctx(), connect.NewRequest(&zeugov1.ExtendHandoverRequest{Id: h.GetId(), Version: h.GetVersion(), ExpiresInDays: 5}))
	if err != nil {
		t.Fatal(err)
	}
	r = f.open(t, id, secret, apptest.GRPC)
	if _, err := f.hr.Hand.RevokeHandover(ctx(), connect.NewRequest(&zeugov1.RevokeHandoverRequest{Id: h.GetId(), Version: ext.Msg.GetHandover().GetVersion()})); err != nil {
		t.Fatal(err)
	}
	try("revoked", id, secret)
	_, err = r.Cert.GetCertificate(ctx(), connect.NewRequest(&zeugov1.GetCertificateRequest{Id: f.cert.GetId()}))
	apptest.WantCode(t, err, connect.CodeUnauthenticated, "a session of a revoked handover")
}

// TestCodeBruteForce: five wrong codes end the attempt and tell HR; the
// right code afterwards does not open it.
func TestCodeBruteForce(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.handOver(t, "b@kunde.example", byEmail, false, grant(secPerformance, true))
	id, secret := f.link(t, "b@kunde.example")
	pub := anon(f.env, apptest.Connect)
	res, err := pub.Rcpt.OpenHandover(ctx(), connect.NewRequest(&zeugov1.OpenHandoverRequest{HandoverId: id, Secret: secret}))
	if err != nil {
		t.Fatal(err)
	}
	attempt := res.Msg.GetCodeSent().GetAttemptId()
	code := f.code(t, "b@kunde.example")
	for i := range 5 {
		wrong := "00000" + string(rune('0'+i))
		if wrong == code {
			wrong = "99999" + string(rune('0'+i))
		}
		_, err := pub.Rcpt.OpenHandover(ctx(), connect.NewRequest(&zeugov1.OpenHandoverRequest{HandoverId: id, Secret: secret,
			AttemptId: attempt, Code: wrong}))
		want := connect.CodeInvalidArgument
		if i == 4 {
			want = connect.CodeFailedPrecondition
		}
		apptest.WantCode(t, err, want, "wrong code")
	}
	_, err = pub.Rcpt.OpenHandover(ctx(), connect.NewRequest(&zeugov1.OpenHandoverRequest{HandoverId: id, Secret: secret,
		AttemptId: attempt, Code: code}))
	apptest.WantCode(t, err, connect.CodeFailedPrecondition, "the right code after five wrong ones")
	found := false
	for _, m := range f.mails(t, f.ten.Email) {
		found = found || m.Subject == "Übergabe an Petra Vorgesetzte: zu viele falsche Codes"
	}
	if !found {
		t.Fatal("HR was not told about the wrong codes")
	}
}
