package selfservice_test

import (
	"strings"
	"testing"
	"time"

	"connectrpc.com/connect"

	"github.com/zeugo/zeugo/backend/internal/apptest"
	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
)

// TestRequestBecomesADraft is the whole way: the form read over gRPC, a
// request started and confirmed over Connect, matched by personnel number
// in HR's inbox and turned into a draft certificate of the asked kind and
// language, in one step that cannot run twice.
func TestRequestBecomesADraft(t *testing.T) {
	t.Parallel()
	f := setup(t)
	anna := f.employee(t, "Anna", "Berg", "P-100", f.org.Companies[0])
	f.employee(t, "Anna", "Bergmann", "P-101", f.org.Companies[0])

	form, err := public(f.env, apptest.GRPC).GetSelfServiceForm(ctx(), connect.NewRequest(&zeugov1.GetSelfServiceFormRequest{
		FormId: f.form.GetPublicId()}))
	if err != nil {
		t.Fatalf("form over gRPC: %v", err)
	}
	if form.Msg.GetCompanyName() != "Firma A GmbH" || form.Msg.GetIntro() == "" {
		t.Fatalf("form: %v", form.Msg)
	}

	id := f.submit(t, fields("Anna", "Berg", "p-100", "anna.berg@privat.example"))
	got := f.get(t, f.admin, id)
	r := got.GetRequest()
	if r.GetState() != zeugov1.SelfServiceRequestState_SELF_SERVICE_REQUEST_STATE_OPEN || r.GetFields().GetReason() != "Neue Vorgesetzte ab Januar" ||
		r.GetFields().GetWishedDate() != "2027-01-15" || r.GetFields().GetPersonnelNumber() != "P-100" || r.GetCompanyName() != "Firma A GmbH" {
		t.Fatalf("request: %v", r)
	}
	cands := got.GetCandidates()
	if len(cands) < 1 || cands[0].GetEmployeeId() != anna.GetId() || !cands[0].GetByPersonnelNumber() {
		t.Fatalf("candidates %v, want Anna Berg by personnel number first", cands)
	}

	_, err = f.admin.SS.ConvertSelfServiceRequest(ctx(), connect.NewRequest(&zeugov1.ConvertSelfServiceRequestRequest{
		Id: id, Version: r.GetVersion() + 1, EmployeeId: anna.GetId()}))
	apptest.WantCode(t, err, connect.CodeAborted, "convert at a stale version")

	conv, err := f.admin.SS.ConvertSelfServiceRequest(ctx(), connect.NewRequest(&zeugov1.ConvertSelfServiceRequestRequest{
		Id: id, Version: r.GetVersion(), EmployeeId: anna.GetId()}))
	if err != nil {
		t.Fatalf("convert: %v", err)
	}
	if conv.Msg.GetRequest().GetState() != zeugov1.SelfServiceRequestState_SELF_SERVICE_REQUEST_STATE_CONVERTED ||
		conv.Msg.GetCertificateId() == "" || conv.Msg.GetRequest().GetCertificateId() != conv.Msg.GetCertificateId() {
		t.Fatalf("converted: %v", conv.Msg)
	}
	cert, err := f.admin.Cert.GetCertificate(ctx(), connect.NewRequest(&zeugov1.GetCertificateRequest{Id: conv.Msg.GetCertificateId()}))
	if err != nil {
		t.Fatal(err)
	}
	c := cert.Msg.GetCertificate()
	if c.GetStatus() != zeugov1.CertificateStatus_CERTIFICATE_STATUS_DRAFT || c.GetKind() != zeugov1.CertificateKind_CERTIFICATE_KIND_INTERIM ||
		c.GetLanguage() != "en" || c.GetEmployeeId() != anna.GetId() {
		t.Fatalf("certificate: status %v kind %v language %q employee %s", c.GetStatus(), c.GetKind(), c.GetLanguage(), c.GetEmployeeId())
	}

	_, err = f.admin.SS.ConvertSelfServiceRequest(ctx(), connect.NewRequest(&zeugov1.ConvertSelfServiceRequestRequest{
		Id: id, Version: conv.Msg.GetRequest().GetVersion(), EmployeeId: anna.GetId()}))
	apptest.WantCode(t, err, connect.CodeFailedPrecondition, "convert twice")

	open, err := f.admin.SS.ListSelfServiceRequests(ctx(), connect.NewRequest(&zeugov1.ListSelfServiceRequestsRequest{
		State: zeugov1.SelfServiceRequestState_SELF_SERVICE_REQUEST_STATE_OPEN}))
	if err != nil || len(open.Msg.GetRequests()) != 0 {
		t.Fatalf("open requests after converting: %v, %v", open, err)
	}
}

// TestAnswerDoesNotTellWhetherTheEmployeeExists: a request for nobody is
// started and confirmed exactly like one for an employee; only HR's inbox
// shows that it matches no one.
func TestAnswerDoesNotTellWhetherTheEmployeeExists(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.employee(t, "Anna", "Berg", "P-100", f.org.Companies[0])
	id := f.submit(t, fields("Niemand", "Unbekannt", "X-999", "niemand@privat.example"))
	if got := f.get(t, f.admin, id); len(got.GetCandidates()) != 0 {
		t.Fatalf("candidates for nobody: %v", got.GetCandidates())
	}
}

// TestWrongCodesEndThePendingRequest: five wrong codes, and the right one
// no longer helps; nothing was stored.
func TestWrongCodesEndThePendingRequest(t *testing.T) {
	t.Parallel()
	f := setup(t)
	c := public(f.env, apptest.Connect)
	pending := f.start(t, c, fields("Anna", "Berg", "", "anna@privat.example"))
	code := f.code(t, "anna@privat.example")
	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	for i := range 5 {
		_, err := c.ConfirmSelfServiceRequest(ctx(), connect.NewRequest(&zeugov1.ConfirmSelfServiceRequestRequest{Pending: pending, Code: wrong}))
		apptest.WantCode(t, err, connect.CodeInvalidArgument, "wrong code")
		if v := apptest.Violations(t, err); v["code"] != "zeugo.selfservice.code_wrong" {
			t.Fatalf("wrong code %d: violations %v", i+1, v)
		}
	}
	_, err := c.ConfirmSelfServiceRequest(ctx(), connect.NewRequest(&zeugov1.ConfirmSelfServiceRequestRequest{Pending: pending, Code: code}))
	apptest.WantCode(t, err, connect.CodeNotFound, "right code after five wrong ones")
	if n := f.stored(t); n != 0 {
		t.Fatalf("%d requests stored, want none", n)
	}
}

// TestUnconfirmedRequestStoresNothing: a started request leaves no row
// (only its code mail); once its 15 minutes are over, even the right code
// is refused.
func TestUnconfirmedRequestStoresNothing(t *testing.T) {
	t.Parallel()
	f := setup(t)
	c := public(f.env, apptest.Connect)
	pending := f.start(t, c, fields("Anna", "Berg", "P-100", "anna@privat.example"))
	code := f.code(t, "anna@privat.example")
	if n := f.stored(t); n != 0 {
		t.Fatalf("%d requests stored before confirmation, want none", n)
	}
	f.env.Clock.Advance(15*time.Minute + time.Second)
	_, err := c.ConfirmSelfServiceRequest(ctx(), connect.NewRequest(&zeugov1.ConfirmSelfServiceRequestRequest{Pending: pending, Code: code}))
	apptest.WantCode(t, err, connect.CodeNotFound, "confirm an expired request")
	if v := apptest.Violations(t, err); v["pending"] != "zeugo.selfservice.pending_invalid" {
		t.Fatalf("violations %v", v)
	}
	// A token altered by one character is refused alike.
	b := []byte(pending)
	b[len(b)-3] ^= 1
	_, err = c.ConfirmSelfServiceRequest(ctx(), connect.NewRequest(&zeugov1.ConfirmSelfServiceRequestRequest{Pending: string(b), Code: code}))
	apptest.WantCode(t, err, connect.CodeNotFound, "confirm a forged token")
	if n := f.stored(t); n != 0 {
		t.Fatalf("%d requests stored, want none", n)
	}
}

// TestFloodFromOneAddressIsLimited: the eleventh request within an hour
// from one client address is refused before anything is mailed.
func TestFloodFromOneAddressIsLimited(t *testing.T) {
	t.Parallel()
	f := setup(t)
	c := public(f.env, apptest.Connect)
	for i := range 10 {
		f.start(t, c, fields("Anna", "Berg", "", "anna"+string(rune('a'+i))+"@privat.example"))
	}
	_, err := c.StartSelfServiceRequest(ctx(), connect.NewRequest(&zeugov1.StartSelfServiceRequestRequest{
		FormId: f.form.GetPublicId(), Fields: fields("Anna", "Berg", "", "anna.z@privat.example")}))
	apptest.WantCode(t, err, connect.CodeResourceExhausted, "eleventh start from one address")
	if mails := f.deliver(t); len(mails) != 10 {
		t.Fatalf("%d code mails, want 10", len(mails))
	}
}

// TestOneAddressGetsFewCodes: one email address receives at most five
// code mails an hour, whoever asks.
func TestOneAddressGetsFewCodes(t *testing.T) {
	t.Parallel()
	f := setup(t)
	c := public(f.env, apptest.Connect)
	for range 5 {
		f.start(t, c, fields("Anna", "Berg", "", "anna@privat.example"))
	}
	_, err := c.StartSelfServiceRequest(ctx(), connect.NewRequest(&zeugov1.StartSelfServiceRequestRequest{
		FormId: f.form.GetPublicId(), Fields: fields("Anna", "Berg", "", "ANNA@privat.example")}))
	apptest.WantCode(t, err, connect.CodeResourceExhausted, "sixth code to one address")
}

// TestUnknownAndDisabledFormsLookAlike: a disabled form, an unknown id and
// another tenant's disabled form all get the same NotFound.
func TestUnknownAndDisabledFormsLookAlike(t *testing.T) {
	t.Parallel()
	f := setup(t)
	c := public(f.env, apptest.Connect)
	closed := f.createForm(t, f.org.Companies[1], false)
	var msgs []string
	for _, id := range []string{closed.GetPublicId(), strings.Repeat("ab", 16)} {
		_, err := c.GetSelfServiceForm(ctx(), connect.NewRequest(&zeugov1.GetSelfServiceFormRequest{FormId: id}))
		apptest.WantCode(t, err, connect.CodeNotFound, "form "+id)
		msgs = append(msgs, err.Error())
		_, err = c.StartSelfServiceRequest(ctx(), connect.NewRequest(&zeugov1.StartSelfServiceRequestRequest{
			FormId: id, Fields: fields("Anna", "Berg", "", "anna@privat.example")}))
		apptest.WantCode(t, err, connect.CodeNotFound, "start on form "+id)
		msgs = append(msgs, err.Error())
	}
	for _, m := range msgs[1:] {
		if m != msgs[0] {
			t.Fatalf("answers differ: %q", msgs)
		}
	}
	// Disabling a form ends its pending requests; rotating one ends its old URL.
	pending := f.start(t, c, fields("Anna", "Berg", "", "anna@privat.example"))
	code := f.code(t, "anna@privat.example")
	up, err := f.admin.SS.UpdateSelfServiceForm(ctx(), connect.NewRequest(&zeugov1.UpdateSelfServiceFormRequest{
		Id: f.form.GetId(), Version: f.form.GetVersion(), Enabled: false}))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.ConfirmSelfServiceRequest(ctx(), connect.NewRequest(&zeugov1.ConfirmSelfServiceRequestRequest{Pending: pending, Code: code}))
	apptest.WantCode(t, err, connect.CodeNotFound, "confirm on a disabled form")
	up, err = f.admin.SS.UpdateSelfServiceForm(ctx(), connect.NewRequest(&zeugov1.UpdateSelfServiceFormRequest{
		Id: f.form.GetId(), Version: up.Msg.GetForm().GetVersion(), Enabled: true}))
	if err != nil {
		t.Fatal(err)
	}
	rot, err := f.admin.SS.RotateSelfServiceForm(ctx(), connect.NewRequest(&zeugov1.RotateSelfServiceFormRequest{
		Id: f.form.GetId(), Version: up.Msg.GetForm().GetVersion()}))
	if err != nil || rot.Msg.GetForm().GetPublicId() == f.form.GetPublicId() || len(rot.Msg.GetForm().GetPublicId()) != 32 {
		t.Fatalf("rotate: %v, %v", rot, err)
	}
	_, err = c.GetSelfServiceForm(ctx(), connect.NewRequest(&zeugov1.GetSelfServiceFormRequest{FormId: f.form.GetPublicId()}))
	apptest.WantCode(t, err, connect.CodeNotFound, "the old URL after rotating")
	if _, err = c.GetSelfServiceForm(ctx(), connect.NewRequest(&zeugov1.GetSelfServiceFormRequest{FormId: rot.Msg.GetForm().GetPublicId()})); err != nil {
		t.Fatalf("the new URL: %v", err)
	}
}

// TestSelfServiceAreaIsRequired: a user whose role lacks the area is
// refused every HR rpc.
func TestSelfServiceAreaIsRequired(t *testing.T) {
	t.Parallel()
	f := setup(t)
	clerk := hrOf(apptest.AddUser(t, f.env, f.ten, "clerk@muster.example", []string{"employees"}, apptest.Restriction{All: true}))
	_, err := clerk.SS.ListSelfServiceRequests(ctx(), connect.NewRequest(&zeugov1.ListSelfServiceRequestsRequest{}))
	apptest.WantCode(t, err, connect.CodePermissionDenied, "inbox without the area")
	_, err = clerk.SS.CreateSelfServiceForm(ctx(), connect.NewRequest(&zeugov1.CreateSelfServiceFormRequest{CompanyId: f.org.Companies[1]}))
	apptest.WantCode(t, err, connect.CodePermissionDenied, "create a form without the area")
	ss := hrOf(apptest.AddUser(t, f.env, f.ten, "ss@muster.example", []string{"self_service"}, apptest.Restriction{All: true}))
	if _, err := ss.SS.ListSelfServiceRequests(ctx(), connect.NewRequest(&zeugov1.ListSelfServiceRequestsRequest{})); err != nil {
		t.Fatalf("inbox with the area: %v", err)
	}
}

// TestMatchingStaysInScope: a user restricted to company A sees company
// A's requests only, and is offered only employees of company A, even when
// the personnel number names one of company B.
func TestMatchingStaysInScope(t *testing.T) {
	t.Parallel()
	f := setup(t)
	inA := f.employee(t, "Anna", "Berg", "P-1", f.org.Companies[0])
	inB := f.employee(t, "Anna", "Berg", "P-2", f.org.Companies[1])
	formB := f.createForm(t, f.org.Companies[1], true)
	id := f.submit(t, fields("Anna", "Berg", "P-2", "anna@privat.example"))

	all := f.get(t, f.admin, id).GetCandidates()
	if len(all) != 2 || all[0].GetEmployeeId() != inB.GetId() || !all[0].GetByPersonnelNumber() {
		t.Fatalf("administrator's candidates %v, want P-2 by number, then P-1 by name", all)
	}
	a := hrOf(apptest.AddUser(t, f.env, f.ten, "a@muster.example", []string{"self_service"},
		apptest.Restriction{Companies: []string{f.org.Companies[0]}}))
	got := f.get(t, a, id).GetCandidates()
	if len(got) != 1 || got[0].GetEmployeeId() != inA.GetId() || got[0].GetByPersonnelNumber() {
		t.Fatalf("restricted candidates %v, want only company A's Anna Berg by name", got)
	}
	_, err := a.SS.ConvertSelfServiceRequest(ctx(), connect.NewRequest(&zeugov1.ConvertSelfServiceRequestRequest{
		Id: id, Version: 1, EmployeeId: inB.GetId()}))
	apptest.WantCode(t, err, connect.CodeNotFound, "convert for an employee out of scope")

	f.form = formB
	idB := f.submit(t, fields("Bernd", "Kurz", "", "bernd@privat.example"))
	_, err = a.SS.GetSelfServiceRequest(ctx(), connect.NewRequest(&zeugov1.GetSelfServiceRequestRequest{Id: idB}))
	apptest.WantCode(t, err, connect.CodeNotFound, "a request of company B")
	list, err := a.SS.ListSelfServiceRequests(ctx(), connect.NewRequest(&zeugov1.ListSelfServiceRequestsRequest{}))
	if err != nil || len(list.Msg.GetRequests()) != 1 || list.Msg.GetRequests()[0].GetId() != id {
		t.Fatalf("restricted inbox: %v, %v", list, err)
	}
	forms, err := a.SS.ListSelfServiceForms(ctx(), connect.NewRequest(&zeugov1.ListSelfServiceFormsRequest{}))
	if err != nil || len(forms.Msg.GetForms()) != 1 || forms.Msg.GetForms()[0].GetCompanyId() != f.org.Companies[0] ||
		len(forms.Msg.GetCompaniesWithoutForm()) != 0 {
		t.Fatalf("restricted forms: %v, %v", forms, err)
	}
	_, err = a.SS.CreateSelfServiceForm(ctx(), connect.NewRequest(&zeugov1.CreateSelfServiceFormRequest{CompanyId: f.org.Companies[1]}))
	apptest.WantCode(t, err, connect.CodeNotFound, "a form for a company out of scope")
}

// TestTenantsAreIsolated: another tenant's HR sees nothing of a request.
func TestTenantsAreIsolated(t *testing.T) {
	t.Parallel()
	f := setup(t)
	other := fixtureIn(t, f.env, "andere")
	id := f.submit(t, fields("Anna", "Berg", "", "anna@privat.example"))
	_, err := other.admin.SS.GetSelfServiceRequest(ctx(), connect.NewRequest(&zeugov1.GetSelfServiceRequestRequest{Id: id}))
	apptest.WantCode(t, err, connect.CodeNotFound, "another tenant's request")
	_, err = other.admin.SS.DeclineSelfServiceRequest(ctx(), connect.NewRequest(&zeugov1.DeclineSelfServiceRequestRequest{
		Id: id, Version: 1, Message: "Nein"}))
	apptest.WantCode(t, err, connect.CodeNotFound, "decline another tenant's request")
	list, err := other.admin.SS.ListSelfServiceRequests(ctx(), connect.NewRequest(&zeugov1.ListSelfServiceRequestsRequest{}))
	if err != nil || len(list.Msg.GetRequests()) != 0 {
		t.Fatalf("other tenant's inbox: %v, %v", list, err)
	}
}

// TestDeclineMailsTheRequester: HR's message reaches the requester in the
// request's language, and the request is closed.
func TestDeclineMailsTheRequester(t *testing.T) {
	t.Parallel()
	f := setup(t)
	id := f.submit(t, fields("Anna", "Berg", "", "anna@privat.example"))
	before := len(f.deliver(t))
	res, err := f.admin.SS.DeclineSelfServiceRequest(ctx(), connect.NewRequest(&zeugov1.DeclineSelfServiceRequestRequest{
		Id: id, Version: 1, Message: "Please talk to your HR partner first."}))
	if err != nil {
		t.Fatalf("decline: %v", err)
	}
	if r := res.Msg.GetRequest(); r.GetState() != zeugov1.SelfServiceRequestState_SELF_SERVICE_REQUEST_STATE_DECLINED ||
		r.GetDeclineMessage() != "Please talk to your HR partner first." || r.GetDecideTime() == nil {
		t.Fatalf("declined: %v", r)
	}
	mails := f.deliver(t)
	if len(mails) != before+1 {
		t.Fatalf("%d mails, want %d", len(mails), before+1)
	}
	m := mails[len(mails)-1]
	if !strings.Contains(m.To, "anna@privat.example") || !strings.Contains(m.Plain, "Please talk to your HR partner first.") ||
		!strings.Contains(m.Plain, "Hello Anna Berg") || m.Subject != "Your reference request" {
		t.Fatalf("decline mail to %q %q: %q", m.To, m.Subject, m.Plain)
	}
}
