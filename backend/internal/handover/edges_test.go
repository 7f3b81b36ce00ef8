package handover_test

import (
	"encoding/hex"
	"strings"
	"sync"
	"testing"
	"time"

	"connectrpc.com/connect"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/zeugo/zeugo/backend/internal/apptest"
	"github.com/zeugo/zeugo/backend/internal/certificates"
	"github.com/zeugo/zeugo/backend/internal/config"
	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
	"github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1/zeugov1connect"
	"github.com/zeugo/zeugo/backend/internal/handover"
)

// closedMessage is the one answer of a link that does not open.
const closedMessage = "this link is not valid (any more)"

// wantClosed fails t unless err is the NotFound every closed link answers.
func wantClosed(t testing.TB, err error, what string) {
	t.Helper()
	apptest.WantCode(t, err, connect.CodeNotFound, what)
	if ce := new(connect.Error); !asConnect(err, &ce) || ce.Message() != closedMessage {
		t.Fatalf("%s: %v", what, err)
	}
}

func openLink(c *hr, id, secret string) error {
	_, err := c.Rcpt.OpenHandover(ctx(), connect.NewRequest(&zeugov1.OpenHandoverRequest{HandoverId: id, Secret: secret}))
	return err
}

func updatePerformance(c *hr, certID string, v int64, grade int32) (*zeugov1.Certificate, error) {
	res, err := c.Cert.UpdateCertificateSection(ctx(), connect.NewRequest(&zeugov1.UpdateCertificateSectionRequest{Id: certID,
		Version: v, Section: &zeugov1.UpdateCertificateSectionRequest_Performance{Performance: &zeugov1.PerformanceSection{
			Willingness: grade, Ability: grade, Knowledge: grade, Learning: grade, WorkingStyle: grade, Results: grade}}}))
	if err != nil {
		return nil, err
	}
	return res.Msg.GetCertificate(), nil
}

// race runs the calls at once (after a barrier) and returns their errors.
func race(calls ...func() error) []error {
	errs := make([]error, len(calls))
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i, call := range calls {
		wg.Go(func() {
			<-start
			errs[i] = call()
		})
	}
	close(start)
	wg.Wait()
	return errs
}

// oneWins fails t unless exactly one of errs is nil and the other is
// Aborted; it returns the index of the winner.
func oneWins(t testing.TB, errs []error, what string) int {
	t.Helper()
	switch {
	case errs[0] == nil && connect.CodeOf(errs[1]) == connect.CodeAborted:
		return 0
	case errs[1] == nil && connect.CodeOf(errs[0]) == connect.CodeAborted:
		return 1
	}
	t.Fatalf("%s: want one success and one Aborted, got %v and %v", what, errs[0], errs[1])
	return -1
}

// TestSessionIsBoundToItsHandover: a recipient session reaches its own
// certificate and handover only — another certificate (even one handed
// over to someone else) is NotFound, HR's handover rpcs are refused, and
// GetMyHandover names its own; a user session or an API key cannot call
// the recipient's rpcs; a damaged token is Unauthenticated.
func TestSessionIsBoundToItsHandover(t *testing.T) {
	t.Parallel()
	f := setup(t)
	other := f.certificate(t, "P-2", "Schäfer")
	mine := f.handOver(t, "a@kunde.example", noCode, true, grant(secPerformance, true))
	id, secret := f.link(t, "a@kunde.example")
	theirs := f.handOverCert(t, other.GetId(), "b@kunde.example", noCode, true, grant(secPerformance, true))
	for _, p := range []apptest.Protocol{apptest.Connect, apptest.GRPC} {
		r := f.open(t, id, secret, p)
		got, err := r.Rcpt.GetMyHandover(ctx(), connect.NewRequest(&zeugov1.GetMyHandoverRequest{}))
		if err != nil || got.Msg.GetHandover().GetId() != mine.GetId() || got.Msg.GetHandover().GetCertificateId() != f.cert.GetId() {
			t.Fatalf("%v: my handover %v %v", p, got, err)
		}
		_, err = r.Cert.GetCertificate(ctx(), connect.NewRequest(&zeugov1.GetCertificateRequest{Id: other.GetId()}))
		apptest.WantCode(t, err, connect.CodeNotFound, "read of another certificate")
		hrView := getCert(t, f.hr, other.GetId())
		_, err = updatePerformance(r, other.GetId(), version(hrView, secPerformance), 1)
		apptest.WantCode(t, err, connect.CodeNotFound, "write of another certificate's granted section")
		_, err = r.Cert.DownloadCertificate(ctx(), connect.NewRequest(&zeugov1.DownloadCertificateRequest{Id: other.GetId()}))
		apptest.WantCode(t, err, connect.CodeNotFound, "download of another certificate")
		_, err = r.Cert.GenerateCertificateText(ctx(), connect.NewRequest(&zeugov1.GenerateCertificateTextRequest{Id: other.GetId(), Version: 1}))
		apptest.WantCode(t, err, connect.CodePermissionDenied, "generate without the result section, on another certificate")
		_, err = r.Hand.ListHandovers(ctx(), connect.NewRequest(&zeugov1.ListHandoversRequest{CertificateId: f.cert.GetId()}))
		apptest.WantCode(t, err, connect.CodePermissionDenied, "list of its own certificate's handovers")
		_, err = r.Hand.RevokeHandover(ctx(), connect.NewRequest(&zeugov1.RevokeHandoverRequest{Id: theirs.GetId(), Version: theirs.GetVersion()}))
		apptest.WantCode(t, err, connect.CodePermissionDenied, "revoke of another handover")
		_, err = r.Hand.RevokeHandover(ctx(), connect.NewRequest(&zeugov1.RevokeHandoverRequest{Id: mine.GetId(), Version: mine.GetVersion()}))
		apptest.WantCode(t, err, connect.CodePermissionDenied, "revoke of its own handover")
		_, err = r.Hand.ExtendHandover(ctx(), connect.NewRequest(&zeugov1.ExtendHandoverRequest{Id: mine.GetId(), Version: mine.GetVersion(), ExpiresInDays: 60}))
		apptest.WantCode(t, err, connect.CodePermissionDenied, "extend of its own handover")
		_, err = r.Hand.CreateHandover(ctx(), connect.NewRequest(&zeugov1.CreateHandoverRequest{CertificateId: f.cert.GetId(),
			Recipient: &zeugov1.HandoverRecipient{Name: "Weiter", Email: "c@kunde.example"}, Language: "de",
			Grants: []*zeugov1.SectionGrant{grant(secPerformance, true)}}))
		apptest.WantCode(t, err, connect.CodePermissionDenied, "a recipient handing over further")

		// The secret's first character changes: its last one carries two
		// padding bits, which base64 decoding ignores (B, C and D decode as
		// A), so changing that one failed this check one run in eleven.
		i := len(r.Token) - 43
		bad := as(f.env, r.Token[:i]+flip(r.Token[i])+r.Token[i+1:], p)
		_, err = bad.Cert.GetCertificate(ctx(), connect.NewRequest(&zeugov1.GetCertificateRequest{Id: f.cert.GetId()}))
		apptest.WantCode(t, err, connect.CodeUnauthenticated, "a token with another secret")
	}
	// The other handover is untouched by all this.
	list, err := f.hr.Hand.ListHandovers(ctx(), connect.NewRequest(&zeugov1.ListHandoversRequest{CertificateId: other.GetId()}))
	if err != nil || len(list.Msg.GetHandovers()) != 1 || list.Msg.GetHandovers()[0].GetState() != zeugov1.HandoverState_HANDOVER_STATE_SENT {
		t.Fatalf("the other handover: %v %v", list, err)
	}

	key := f.hr.NewAPIKey(t, "handovers", zeugov1.ApiKeyAccess_API_KEY_ACCESS_WRITE)
	for what, c := range map[string]*hr{"a user session": f.hr, "an API key": as(f.env, key, apptest.GRPC)} {
		_, err := c.Rcpt.GetMyHandover(ctx(), connect.NewRequest(&zeugov1.GetMyHandoverRequest{}))
		apptest.WantCode(t, err, connect.CodePermissionDenied, what+" asking for its handover")
		_, err = c.Rcpt.CompleteHandover(ctx(), connect.NewRequest(&zeugov1.CompleteHandoverRequest{}))
		apptest.WantCode(t, err, connect.CodePermissionDenied, what+" completing")
	}
}

// randomHex is a random 32-hex-character id (no handover's).
func randomHex() string {
	u := uuid.New()
	return hex.EncodeToString(u[:])
}

// flip changes one base64url character of a token's secret.
func flip(c byte) string {
	if c == 'A' {
		return "B"
	}
	return "A"
}

// TestTwoBrowsersOpenTheSameLink: the link opened in two browsers at once
// gives each its own code step (each its own attempt and code) and its
// own session; both read; when both save the same section at the same
// version, exactly one wins and the other is Aborted, and nothing is lost
// (the loser saves again on the new version).
func TestTwoBrowsersOpenTheSameLink(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.handOver(t, "p@kunde.example", byEmail, false, grant(secPerformance, true), grant(secData, false))
	id, secret := f.link(t, "p@kunde.example")
	browsers := [2]*hr{anon(f.env, apptest.Connect), anon(f.env, apptest.GRPC)}
	var sent [2]*zeugov1.OpenHandoverResponse
	errs := race(func() error {
		res, err := browsers[0].Rcpt.OpenHandover(ctx(), connect.NewRequest(&zeugov1.OpenHandoverRequest{HandoverId: id, Secret: secret}))
		sent[0] = res.Msg
		return err
	}, func() error {
		res, err := browsers[1].Rcpt.OpenHandover(ctx(), connect.NewRequest(&zeugov1.OpenHandoverRequest{HandoverId: id, Secret: secret}))
		sent[1] = res.Msg
		return err
	})
	if errs[0] != nil || errs[1] != nil || sent[0].GetCodeSent() == nil || sent[1].GetCodeSent() == nil ||
		sent[0].GetCodeSent().GetAttemptId() == sent[1].GetCodeSent().GetAttemptId() {
		t.Fatalf("two code steps: %v %v / %v %v", errs[0], errs[1], sent[0], sent[1])
	}
	// The codes went out in some order: each attempt takes its own. Try
	// every mailed code against each attempt (a wrong one only counts).
	var codes []string
	for _, m := range f.mails(t, "p@kunde.example") {
		if c := codeRE.FindStringSubmatch(m.Subject); c != nil && strings.Contains(m.Subject, "Code") {
			codes = append(codes, c[1])
		}
	}
	if len(codes) != 2 {
		t.Fatalf("%d codes mailed", len(codes))
	}
	var rs [2]*hr
	for i, b := range browsers {
		for _, code := range codes {
			res, err := b.Rcpt.OpenHandover(ctx(), connect.NewRequest(&zeugov1.OpenHandoverRequest{HandoverId: id, Secret: secret,
				AttemptId: sent[i].GetCodeSent().GetAttemptId(), Code: code}))
			if err == nil {
				rs[i] = as(f.env, res.Msg.GetSession().GetToken(), b.Protocol)
				break
			}
			apptest.WantCode(t, err, connect.CodeInvalidArgument, "the other browser's code")
		}
		if rs[i] == nil {
			t.Fatalf("browser %d: no code opened its attempt", i)
		}
	}
	if rs[0].Token == rs[1].Token {
		t.Fatal("two browsers share a session")
	}
	for round := range 3 {
		views := [2]*zeugov1.Certificate{getCert(t, rs[0], f.cert.GetId()), getCert(t, rs[1], f.cert.GetId())}
		v := version(views[0], secPerformance)
		if version(views[1], secPerformance) != v {
			t.Fatalf("the two browsers read different versions")
		}
		grades := [2]int32{1 + int32(round%2), 3 + int32(round%2)}
		errs := race(func() error {
			_, err := updatePerformance(rs[0], f.cert.GetId(), v, grades[0])
			return err
		}, func() error {
			_, err := updatePerformance(rs[1], f.cert.GetId(), v, grades[1])
			return err
		})
		w := oneWins(t, errs, "two browsers saving at once")
		if got := getCert(t, f.hr, f.cert.GetId()).GetContent().GetPerformance().GetAbility(); got != grades[w] {
			t.Fatalf("round %d: HR sees %d, the winner saved %d", round, got, grades[w])
		}
		loser := 1 - w
		fresh := getCert(t, rs[loser], f.cert.GetId())
		if _, err := updatePerformance(rs[loser], f.cert.GetId(), version(fresh, secPerformance), grades[loser]); err != nil {
			t.Fatalf("the loser's second save: %v", err)
		}
		after := getCert(t, f.hr, f.cert.GetId())
		if after.GetContent().GetPerformance().GetAbility() != grades[loser] || version(after, secPerformance) != v+2 {
			t.Fatalf("round %d: after both saves %v at version %d (from %d)", round, after.GetContent().GetPerformance(), version(after, secPerformance), v)
		}
	}
}

// TestRecipientRacesHR: a recipient's save and HR's save of the same
// section at the same version — one wins, the other is Aborted, and the
// winner's value stays; a recipient's save on a version HR has moved past
// is Aborted and leaves HR's value.
func TestRecipientRacesHR(t *testing.T) {
	t.Parallel()
	f := setup(t)
	_, r := f.recipient(t, "r@kunde.example", apptest.GRPC, false, grant(secPerformance, true))
	for round := range 4 {
		v := version(getCert(t, f.hr, f.cert.GetId()), secPerformance)
		errs := race(func() error {
			_, err := updatePerformance(f.hr, f.cert.GetId(), v, 1)
			return err
		}, func() error {
			_, err := updatePerformance(r, f.cert.GetId(), v, 4)
			return err
		})
		w := oneWins(t, errs, "HR and the recipient saving at once")
		want := [2]int32{1, 4}[w]
		after := getCert(t, f.hr, f.cert.GetId())
		if after.GetContent().GetPerformance().GetAbility() != want || version(after, secPerformance) != v+1 {
			t.Fatalf("round %d: %v at version %d, want %d at %d", round, after.GetContent().GetPerformance(), version(after, secPerformance), want, v+1)
		}
	}
	stale := getCert(t, r, f.cert.GetId())
	hrView, err := updatePerformance(f.hr, f.cert.GetId(), version(stale, secPerformance), 2)
	if err != nil {
		t.Fatal(err)
	}
	_, err = updatePerformance(r, f.cert.GetId(), version(stale, secPerformance), 5)
	apptest.WantCode(t, err, connect.CodeAborted, "the recipient's save on a stale version")
	if got := getCert(t, f.hr, f.cert.GetId()); got.GetContent().GetPerformance().GetAbility() != 2 ||
		version(got, secPerformance) != version(hrView, secPerformance) {
		t.Fatalf("HR's value after the stale save: %v", got.GetContent().GetPerformance())
	}
}

// TestResentAndCompletedLinks: a resent handover's old link answers like
// every closed link and its sessions end, the new link opens; a completed
// handover's link answers alike, and HR can neither resend nor extend it.
func TestResentAndCompletedLinks(t *testing.T) {
	t.Parallel()
	f := setup(t)
	h := f.handOver(t, "c@kunde.example", noCode, false, grant(secPerformance, true))
	oldID, oldSecret := f.link(t, "c@kunde.example")
	old := f.open(t, oldID, oldSecret, apptest.Connect)
	res, err := f.hr.Hand.ResendHandover(ctx(), connect.NewRequest(&zeugov1.ResendHandoverRequest{Id: h.GetId(), Version: h.GetVersion()}))
	if err != nil {
		t.Fatal(err)
	}
	if got := res.Msg.GetHandover(); got.GetVersion() <= h.GetVersion() || !got.GetSendTime().AsTime().After(h.GetSendTime().AsTime().Add(-time.Second)) {
		t.Fatalf("resent handover %v", got)
	}
	id, secret := f.link(t, "c@kunde.example")
	if id != oldID || secret == oldSecret {
		t.Fatalf("resent link %s#%s after %s#%s", id, secret, oldID, oldSecret)
	}
	pub := anon(f.env, apptest.Connect)
	wantClosed(t, openLink(pub, oldID, oldSecret), "the link before the resend")
	_, err = old.Cert.GetCertificate(ctx(), connect.NewRequest(&zeugov1.GetCertificateRequest{Id: f.cert.GetId()}))
	apptest.WantCode(t, err, connect.CodeUnauthenticated, "a session of the old link")
	r := f.open(t, id, secret, apptest.GRPC)
	getCert(t, r, f.cert.GetId())
	if _, err := r.Rcpt.CompleteHandover(ctx(), connect.NewRequest(&zeugov1.CompleteHandoverRequest{})); err != nil {
		t.Fatal(err)
	}
	wantClosed(t, openLink(pub, id, secret), "the link after completion")
	wantClosed(t, openLink(pub, oldID, oldSecret), "the old link after completion")
	_, err = r.Rcpt.GetMyHandover(ctx(), connect.NewRequest(&zeugov1.GetMyHandoverRequest{}))
	apptest.WantCode(t, err, connect.CodeUnauthenticated, "the session after completion")
	list, err := f.hr.Hand.ListHandovers(ctx(), connect.NewRequest(&zeugov1.ListHandoversRequest{CertificateId: f.cert.GetId()}))
	if err != nil {
		t.Fatal(err)
	}
	h = list.Msg.GetHandovers()[0]
	_, err = f.hr.Hand.ResendHandover(ctx(), connect.NewRequest(&zeugov1.ResendHandoverRequest{Id: h.GetId(), Version: h.GetVersion()}))
	wantViolation(t, err, connect.CodeFailedPrecondition, "id", handover.RuleState)
	_, err = f.hr.Hand.ExtendHandover(ctx(), connect.NewRequest(&zeugov1.ExtendHandoverRequest{Id: h.GetId(), Version: h.GetVersion(), ExpiresInDays: 5}))
	wantViolation(t, err, connect.CodeFailedPrecondition, "id", handover.RuleState)
}

// TestOpeningFlood: opening calls count per handover and per client
// address whatever they carry — wrong secrets and unknown ids too — and
// past the limit even the right link is ResourceExhausted until the
// window has passed.
func TestOpeningFlood(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.handOver(t, "fl@kunde.example", noCode, false, grant(secPerformance, true))
	id, secret := f.link(t, "fl@kunde.example")
	pub := anon(f.env, apptest.Connect)
	wrong := strings.Repeat("0", 32)
	for i := range handover.OpensPerHandover.Limit {
		wantClosed(t, openLink(pub, id, wrong), "wrong secret "+string(rune('0'+i%10)))
	}
	apptest.WantCode(t, openLink(pub, id, secret), connect.CodeResourceExhausted, "the right link after a flood of wrong secrets")
	f.env.Clock.Advance(handover.OpensPerHandover.Window + time.Minute)
	f.open(t, id, secret, apptest.Connect)

	f.env.Clock.Advance(handover.OpensPerIP.Window + time.Minute)
	for range handover.OpensPerIP.Limit {
		wantClosed(t, openLink(pub, randomHex(), secret), "an unknown id")
	}
	apptest.WantCode(t, openLink(pub, id, secret), connect.CodeResourceExhausted, "the right link after a flood of unknown ids")
	apptest.WantCode(t, openLink(anon(f.env, apptest.GRPC), id, secret), connect.CodeResourceExhausted, "another browser on the same address")
	f.env.Clock.Advance(handover.OpensPerIP.Window + time.Minute)
	f.open(t, id, secret, apptest.GRPC)
}

// TestTenantIsolation: another tenant's HR cannot see or change a
// handover (NotFound, like an unknown one), a recipient token with
// another tenant in it is Unauthenticated, and an HR user whose
// certificate access leaves out the employee can neither hand the
// certificate over nor list its handovers.
func TestTenantIsolation(t *testing.T) {
	t.Parallel()
	f := setup(t)
	h, r := f.recipient(t, "t@kunde.example", apptest.Connect, false, grant(secPerformance, true))

	ten2 := f.env.CreateTenant("Fremd GmbH", "admin@fremd.example")
	other := clientOf(apptest.SignIn(t, f.env, ten2.Email, ten2.Password, apptest.GRPC))
	_, err := other.Hand.ListHandovers(ctx(), connect.NewRequest(&zeugov1.ListHandoversRequest{CertificateId: f.cert.GetId()}))
	apptest.WantCode(t, err, connect.CodeNotFound, "another tenant lists")
	_, err = other.Hand.RevokeHandover(ctx(), connect.NewRequest(&zeugov1.RevokeHandoverRequest{Id: h.GetId(), Version: h.GetVersion()}))
	apptest.WantCode(t, err, connect.CodeNotFound, "another tenant revokes")
	_, err = other.Hand.ExtendHandover(ctx(), connect.NewRequest(&zeugov1.ExtendHandoverRequest{Id: h.GetId(), Version: h.GetVersion(), ExpiresInDays: 5}))
	apptest.WantCode(t, err, connect.CodeNotFound, "another tenant extends")
	_, err = other.Hand.ResendHandover(ctx(), connect.NewRequest(&zeugov1.ResendHandoverRequest{Id: h.GetId(), Version: h.GetVersion()}))
	apptest.WantCode(t, err, connect.CodeNotFound, "another tenant resends")
	_, err = other.Hand.CreateHandover(ctx(), connect.NewRequest(&zeugov1.CreateHandoverRequest{CertificateId: f.cert.GetId(),
		Recipient: &zeugov1.HandoverRecipient{Name: "X", Email: "x@kunde.example"}, Language: "de", Grants: []*zeugov1.SectionGrant{grant(secPerformance, true)}}))
	apptest.WantCode(t, err, connect.CodeNotFound, "another tenant hands over")

	// zh_<tenant>.<session>.<secret>: the other tenant's id in front.
	parts := strings.SplitN(strings.TrimPrefix(r.Token, handover.TokenPrefix), ".", 2)
	swapped := handover.TokenPrefix + hex.EncodeToString(ten2.TenantID[:]) + "." + parts[1]
	_, err = as(f.env, swapped, apptest.Connect).Cert.GetCertificate(ctx(), connect.NewRequest(&zeugov1.GetCertificateRequest{Id: f.cert.GetId()}))
	apptest.WantCode(t, err, connect.CodeUnauthenticated, "a token with the tenant swapped")
	getCert(t, r, f.cert.GetId()) // the real token still works

	// Nothing changed for the owner.
	list, err := f.hr.Hand.ListHandovers(ctx(), connect.NewRequest(&zeugov1.ListHandoversRequest{CertificateId: f.cert.GetId()}))
	if err != nil || len(list.Msg.GetHandovers()) != 1 || list.Msg.GetHandovers()[0].GetVersion() != h.GetVersion() {
		t.Fatalf("after the other tenant's tries: %v %v", list, err)
	}

	org := apptest.MakeOrg(t, f.hr.Session.Org())
	inA, inB := f.certificateIn(t, "A-1", "Krüger", org.Companies[0]), f.certificateIn(t, "B-1", "Krüger", org.Companies[1])
	f.handOverCert(t, inB.GetId(), "b@kunde.example", noCode, false, grant(secPerformance, true))
	restricted := clientOf(apptest.AddUser(t, f.env, f.ten, "eingeschraenkt@uebergabe.example", []string{"employees"},
		apptest.Restriction{Companies: org.Companies[:1]}))
	req := func(certID string) *zeugov1.CreateHandoverRequest {
		return &zeugov1.CreateHandoverRequest{CertificateId: certID, Recipient: &zeugov1.HandoverRecipient{Name: "Vorgesetzter",
			Email: "v@kunde.example"}, Language: "de", Grants: []*zeugov1.SectionGrant{grant(secPerformance, true)}}
	}
	_, err = restricted.Hand.CreateHandover(ctx(), connect.NewRequest(req(inB.GetId())))
	apptest.WantCode(t, err, connect.CodeNotFound, "hand over a certificate outside the user's access")
	_, err = restricted.Hand.ListHandovers(ctx(), connect.NewRequest(&zeugov1.ListHandoversRequest{CertificateId: inB.GetId()}))
	apptest.WantCode(t, err, connect.CodeNotFound, "list the handovers of a certificate outside the user's access")
	if _, err := restricted.Hand.CreateHandover(ctx(), connect.NewRequest(req(inA.GetId()))); err != nil {
		t.Fatalf("hand over a certificate in the user's access: %v", err)
	}
	if st := getCert(t, f.hr, inB.GetId()).GetStatus(); st != zeugov1.CertificateStatus_CERTIFICATE_STATUS_IN_PROGRESS {
		t.Fatalf("the out-of-reach certificate: %v", st)
	}
}

// TestPrivacySettingsAndMaximum: with the tenant's privacy setting a
// handover needs a code, by an allowed channel only; SMS needs the
// recipient's phone; the lifetime stays within the operator's maximum.
func TestPrivacySettingsAndMaximum(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.env.AsOwner(f.ten.TenantID, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx(), `UPDATE tenants SET handover_code_required = true, handover_code_channels = '{email}' WHERE id = $1`, f.ten.TenantID)
		return err
	})
	req := func(code zeugov1.HandoverCodeChannel, phone string, days int32) *connect.Request[zeugov1.CreateHandoverRequest] {
		return connect.NewRequest(&zeugov1.CreateHandoverRequest{CertificateId: f.cert.GetId(), Recipient: &zeugov1.HandoverRecipient{
			Name: "Petra Vorgesetzte", Email: "p@kunde.example", Phone: phone}, Language: "de", CodeChannel: code, ExpiresInDays: days,
			Grants: []*zeugov1.SectionGrant{grant(secPerformance, true)}})
	}
	sms := zeugov1.HandoverCodeChannel_HANDOVER_CODE_CHANNEL_SMS
	_, err := f.hr.Hand.CreateHandover(ctx(), req(noCode, "", 0))
	wantViolation(t, err, connect.CodeInvalidArgument, "code_channel", handover.RuleCodeRequired)
	_, err = f.hr.Hand.CreateHandover(ctx(), req(sms, "+4915112345678", 0))
	wantViolation(t, err, connect.CodeInvalidArgument, "code_channel", handover.RuleChannel)
	_, err = f.hr.Hand.CreateHandover(ctx(), req(sms, "", 0))
	wantViolation(t, err, connect.CodeInvalidArgument, "recipient.phone", handover.RulePhoneRequired)
	_, err = f.hr.Hand.CreateHandover(ctx(), req(byEmail, "", config.DefaultHandoverMaxDays+1))
	wantViolation(t, err, connect.CodeInvalidArgument, "expires_in_days", handover.RuleMaxDays)
	if list, err := f.hr.Hand.ListHandovers(ctx(), connect.NewRequest(&zeugov1.ListHandoversRequest{CertificateId: f.cert.GetId()})); err != nil ||
		len(list.Msg.GetHandovers()) != 0 {
		t.Fatalf("refused handovers were stored: %v %v", list, err)
	}
	if st := getCert(t, f.hr, f.cert.GetId()).GetStatus(); st != zeugov1.CertificateStatus_CERTIFICATE_STATUS_DRAFT {
		t.Fatalf("a refused handover moved the certificate to %v", st)
	}
	res, err := f.hr.Hand.CreateHandover(ctx(), req(byEmail, "", 30))
	if err != nil {
		t.Fatal(err)
	}
	h := res.Msg.GetHandover()
	if got := h.GetExpireTime().AsTime().Sub(h.GetCreateTime().AsTime()); got != 30*24*time.Hour {
		t.Fatalf("expires after %v", got)
	}
	_, err = f.hr.Hand.ExtendHandover(ctx(), connect.NewRequest(&zeugov1.ExtendHandoverRequest{Id: h.GetId(), Version: h.GetVersion(),
		ExpiresInDays: config.DefaultHandoverMaxDays + 1}))
	wantViolation(t, err, connect.CodeInvalidArgument, "expires_in_days", handover.RuleMaxDays)
	f.env.AsOwner(f.ten.TenantID, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx(), `UPDATE tenants SET handover_code_channels = '{email,sms}' WHERE id = $1`, f.ten.TenantID)
		return err
	})
	if _, err := f.hr.Hand.CreateHandover(ctx(), req(sms, "+4915112345678", 0)); err != nil {
		t.Fatalf("SMS once the tenant allows it: %v", err)
	}
}

// TestRecipientIsAudited: the recipient's read, write and download are in
// the audit log with the recipient as the actor (kind handover_recipient,
// id the handover's), and with change tracking on the change log names
// the recipient.
func TestRecipientIsAudited(t *testing.T) {
	t.Parallel()
	f := fillAll(t, setup(t)).fixture // a text to download
	settings := zeugov1connect.NewSecuritySettingsServiceClient(f.hr.HTTP, f.hr.URL, f.hr.Options()...)
	cur, err := settings.GetSecuritySettings(ctx(), connect.NewRequest(&zeugov1.GetSecuritySettingsRequest{}))
	if err != nil {
		t.Fatal(err)
	}
	s := cur.Msg.GetSettings()
	s.GetFields().CertificateChangeTracking = true
	if _, err := settings.UpdateSecuritySettings(ctx(), connect.NewRequest(&zeugov1.UpdateSecuritySettingsRequest{
		Version: s.GetVersion(), Fields: s.GetFields()})); err != nil {
		t.Fatal(err)
	}
	h, r := f.recipient(t, "au@kunde.example", apptest.GRPC, true, grant(secPerformance, true))
	cert := getCert(t, r, f.cert.GetId())
	if _, err := ratePerformance(r, cert, 2); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Cert.DownloadCertificate(ctx(), connect.NewRequest(&zeugov1.DownloadCertificateRequest{Id: cert.GetId()})); err != nil {
		t.Fatal(err)
	}
	type event struct{ action, actorType, actorID string }
	var events []event
	f.env.AsOwner(f.ten.TenantID, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx(), `SELECT action, actor_type, actor_id FROM audit_events WHERE tenant_id = $1 AND target_id = $2
			UNION ALL SELECT action, actor_type, actor_id FROM audit_pending WHERE tenant_id = $1 AND target_id = $2`, f.ten.TenantID, cert.GetId())
		if err != nil {
			return err
		}
		events, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (event, error) {
			var e event
			return e, r.Scan(&e.action, &e.actorType, &e.actorID)
		})
		return err
	})
	for _, action := range []string{certificates.ActionRead, certificates.ActionSectionUpdated, certificates.ActionDownloaded} {
		found := false
		for _, e := range events {
			if e.action != action || e.actorType != "handover_recipient" {
				continue
			}
			if e.actorID != h.GetId() {
				t.Errorf("%s by the recipient with actor id %s, want the handover %s", action, e.actorID, h.GetId())
			}
			found = true
		}
		if !found {
			t.Errorf("no %s event of the recipient in %v", action, events)
		}
	}
	ch, err := f.hr.Cert.ListCertificateChanges(ctx(), connect.NewRequest(&zeugov1.ListCertificateChangesRequest{Id: cert.GetId(),
		Page: &zeugov1.PageRequest{PageSize: 100}}))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, c := range ch.Msg.GetChanges() {
		if c.GetSection() != secPerformance {
			continue
		}
		n++
		if c.GetActorKind() != "handover_recipient" || c.GetActorName() != "Petra Vorgesetzte" {
			t.Errorf("change %v", c)
		}
	}
	if n == 0 {
		t.Fatalf("no change of the recipient in %v", ch.Msg.GetChanges())
	}
}

// TestHRTakesTheCertificateBack: once HR moves the certificate on (out of
// "in progress"), the recipient can still read it but no longer change it.
func TestHRTakesTheCertificateBack(t *testing.T) {
	t.Parallel()
	f := setup(t)
	_, r := f.recipient(t, "z@kunde.example", apptest.GRPC, false, grant(secPerformance, true))
	cur := getCert(t, f.hr, f.cert.GetId())
	if _, err := f.hr.Cert.TransitionCertificate(ctx(), connect.NewRequest(&zeugov1.TransitionCertificateRequest{Id: cur.GetId(),
		Version: cur.GetVersion(), Status: zeugov1.CertificateStatus_CERTIFICATE_STATUS_REVIEW})); err != nil {
		t.Fatal(err)
	}
	view := getCert(t, r, f.cert.GetId())
	_, err := updatePerformance(r, f.cert.GetId(), version(view, secPerformance), 1)
	wantViolation(t, err, connect.CodeFailedPrecondition, "id", "zeugo.read_only")
	if got := getCert(t, f.hr, f.cert.GetId()); version(got, secPerformance) != version(view, secPerformance) {
		t.Fatalf("a refused write moved the section to version %d", version(got, secPerformance))
	}
}

// TestCompleteWaitsForTheOtherHandovers: with two handovers of one
// certificate open, the first completion leaves it in progress and the
// second moves it to review; ending a session leaves the handover open
// (the link opens again).
func TestCompleteWaitsForTheOtherHandovers(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.handOver(t, "eins@kunde.example", noCode, false, grant(secPerformance, true))
	f.handOver(t, "zwei@kunde.example", noCode, false, grant(secConduct, true))
	id1, secret1 := f.link(t, "eins@kunde.example")
	id2, secret2 := f.link(t, "zwei@kunde.example")
	r1, r2 := f.open(t, id1, secret1, apptest.Connect), f.open(t, id2, secret2, apptest.GRPC)
	if _, err := r2.Rcpt.EndHandoverSession(ctx(), connect.NewRequest(&zeugov1.EndHandoverSessionRequest{})); err != nil {
		t.Fatal(err)
	}
	_, err := r2.Cert.GetCertificate(ctx(), connect.NewRequest(&zeugov1.GetCertificateRequest{Id: f.cert.GetId()}))
	apptest.WantCode(t, err, connect.CodeUnauthenticated, "an ended session")
	r2 = f.open(t, id2, secret2, apptest.GRPC)
	status := func() zeugov1.CertificateStatus { return getCert(t, f.hr, f.cert.GetId()).GetStatus() }
	if _, err := r1.Rcpt.CompleteHandover(ctx(), connect.NewRequest(&zeugov1.CompleteHandoverRequest{})); err != nil {
		t.Fatal(err)
	}
	if st := status(); st != zeugov1.CertificateStatus_CERTIFICATE_STATUS_IN_PROGRESS {
		t.Fatalf("after the first of two completions: %v", st)
	}
	getCert(t, r2, f.cert.GetId()) // the other handover goes on
	if _, err := r2.Rcpt.CompleteHandover(ctx(), connect.NewRequest(&zeugov1.CompleteHandoverRequest{})); err != nil {
		t.Fatal(err)
	}
	if st := status(); st != zeugov1.CertificateStatus_CERTIFICATE_STATUS_REVIEW {
		t.Fatalf("after both completions: %v", st)
	}
}
