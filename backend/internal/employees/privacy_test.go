package employees_test

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"connectrpc.com/connect"
	"github.com/google/uuid"
	"github.com/rs/zerolog"

	"github.com/zeugo/zeugo/backend/internal/apptest"
	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
	"github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1/zeugov1connect"
	"github.com/zeugo/zeugo/backend/internal/jobs"
)

// privDocument is the part of an Art. 15 document the tests read.
type privDocument struct {
	Format struct {
		Name    string `json:"name"`
		Version int    `json:"version"`
	} `json:"format"`
	GeneratedAt string            `json:"generatedAt"`
	Controller  map[string]string `json:"controller"`
	Subject     map[string]string `json:"subject"`
	Sections    []string          `json:"sections"`
	Employee    map[string]any    `json:"employee"`
	LegalHold   map[string]any    `json:"legalHold"`
	References  []struct {
		Kind  string `json:"kind"`
		RefID string `json:"refId"`
	} `json:"references"`
	AuditEvents []privEvent `json:"auditEvents"`
}

type privEvent struct {
	ID      string            `json:"id"`
	Time    string            `json:"time"`
	Action  string            `json:"action"`
	Outcome string            `json:"outcome"`
	Actor   map[string]string `json:"actor"`
	Details map[string]string `json:"details"`
	Chained bool              `json:"chained"`
}

func privExport(t *testing.T, c *client, id string) (privDocument, string, []byte) {
	t.Helper()
	res, err := c.Emp.ExportEmployeeData(ctx(), connect.NewRequest(&zeugov1.ExportEmployeeDataRequest{Id: id}))
	if err != nil {
		t.Fatalf("export data: %v", err)
	}
	var d privDocument
	if err := json.Unmarshal(res.Msg.GetDocument(), &d); err != nil {
		t.Fatalf("document: %v\n%s", err, res.Msg.GetDocument())
	}
	return d, res.Msg.GetFileName(), res.Msg.GetDocument()
}

// privCount counts the audit events (chained and pending) of the tenant
// that match where (over columns action, target_type, target_id,
// actor_type, actor_id, details).
func privCount(t *testing.T, env *apptest.Env, tenantID uuid.UUID, where string, args ...any) int {
	t.Helper()
	var n int
	sql := `SELECT count(*) FROM (
		SELECT tenant_id, action, target_type, target_id, actor_type, actor_id, details FROM audit_events
		UNION ALL SELECT tenant_id, action, target_type, target_id, actor_type, actor_id, details FROM audit_pending) a
		WHERE tenant_id = $1 AND ` + where
	if err := env.DB.Owner.QueryRow(ctx(), sql, append([]any{tenantID}, args...)...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// privChain chains the pending read events, as the frequent job does.
func privChain(t *testing.T, env *apptest.Env) {
	t.Helper()
	w := &jobs.FrequentWorker{DB: env.App.DB, Now: env.Clock.Now, Sweepers: env.App.FrequentSweepers, Log: zerolog.Nop()}
	if _, err := w.Run(ctx()); err != nil {
		t.Fatal(err)
	}
}

// privRules returns the rule ids and messages of a Connect error's
// violations on field.
func privRules(t *testing.T, err error, field string) (rules, messages []string) {
	t.Helper()
	for _, v := range apptest.FieldViolations(t, err) {
		if v.Field == field {
			rules, messages = append(rules, v.RuleID), append(messages, v.Message)
		}
	}
	return rules, messages
}

// TestDataSubjectExportHoldsEverythingAboutThem: the Art. 15 document has
// every field with organisation names, the legal hold, the references and
// the audit events about the employee (reads pending and chained, by whom),
// no other employee's data and no actor's IP address; the export itself is
// chained at once, without the document.
func TestDataSubjectExportHoldsEverythingAboutThem(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ten := env.CreateTenant("Auskunft GmbH", "admin@auskunft.example")
	admin := signIn(t, env, ten)
	o := apptest.MakeOrg(t, admin.Org)
	f := person("ab/12.3", "Jürgen", "Müller")
	f.CompanyId, f.LocationId, f.EmployeeTypeId = o.Companies[0], o.Locations[1], o.Types[0]
	f.Title, f.Birthplace, f.ExitDate = "Dr.", "Köln", "2024-06-30"
	f.ExitReason = zeugov1.ExitReason_EXIT_REASON_OWN_WISH
	f.Interruptions = []*zeugov1.Interruption{{FromDate: "2021-01-01", ToDate: "2021-12-31",
		Reason: zeugov1.InterruptionReason_INTERRUPTION_REASON_PARENTAL_LEAVE, Note: "Elternzeit"}}
	f.Authorities = []*zeugov1.Authority{{Kind: zeugov1.AuthorityKind_AUTHORITY_KIND_PROKURA, SinceDate: "2022-01-01"}}
	e := create(t, admin, f)
	other := create(t, admin, person("999", "Olga", "Anders"))
	if _, err := admin.Emp.GetEmployee(ctx(), connect.NewRequest(&zeugov1.GetEmployeeRequest{Id: e.GetId()})); err != nil {
		t.Fatal(err)
	}
	privChain(t, env) // this read is chained, the next stays pending
	if _, err := admin.Emp.ListEmployees(ctx(), connect.NewRequest(&zeugov1.ListEmployeesRequest{})); err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Emp.SetLegalHold(ctx(), connect.NewRequest(&zeugov1.SetLegalHoldRequest{Id: e.GetId(), Hold: true,
		Reason: "Kündigungsschutzklage"})); err != nil {
		t.Fatal(err)
	}

	d, name, raw := privExport(t, admin, e.GetId())
	if ok, _ := regexp.MatchString(`^auskunft-ab_12_3-\d{4}-\d{2}-\d{2}\.json$`, name); !ok {
		t.Errorf("file name %q", name)
	}
	if d.Format.Name != "zeugo.employee-data" || d.Format.Version != 1 || d.GeneratedAt == "" ||
		d.Controller["name"] != "Auskunft GmbH" || d.Subject["employeeId"] != e.GetId() {
		t.Errorf("metadata: %+v", d)
	}
	if strings.Join(d.Sections, ",") != "employee,legalHold,references,certificates,auditEvents" {
		t.Errorf("sections %v", d.Sections)
	}
	for k, want := range map[string]any{"personnelNumber": "ab/12.3", "firstName": "Jürgen", "lastName": "Müller",
		"title": "Dr.", "birthDate": "1990-02-03", "birthplace": "Köln", "street": "Hauptstraße 1", "postcode": "80331",
		"city": "München", "email": "person@example.org", "company": "Firma A GmbH", "companyId": o.Companies[0],
		"location": "UNIT_KIND_LOCATION B", "locationId": o.Locations[1], "employeeTypeId": o.Types[0],
		"entryDate": "2019-04-01", "exitDate": "2024-06-30", "exitReason": "own_wish", "jobTitle": "Sachbearbeiterin",
		"salutation": "frau", "id": e.GetId()} {
		if got := d.Employee[k]; got != want {
			t.Errorf("employee.%s = %v, want %v", k, got, want)
		}
	}
	if fmt.Sprint(d.Employee["tasks"]) != "[Buchhaltung Lohnabrechnung]" || d.Employee["interruptions"] == nil ||
		d.Employee["authorities"] == nil || d.Employee["createdAt"] == nil {
		t.Errorf("employee lists: %v", d.Employee)
	}
	if d.LegalHold["reason"] != "Kündigungsschutzklage" || d.LegalHold["since"] == nil || d.LegalHold["setByUserId"] != ten.AdminID.String() {
		t.Errorf("legal hold: %v", d.LegalHold)
	}
	if d.References == nil || len(d.References) != 0 {
		t.Errorf("references: %v", d.References)
	}
	seen, times := map[string]privEvent{}, map[string]int{}
	for _, ev := range d.AuditEvents {
		seen[ev.Action] = ev
		times[ev.Action]++
		if ev.Actor["type"] != "user" || ev.Actor["id"] != ten.AdminID.String() || ev.Outcome != "success" {
			t.Errorf("event %+v", ev)
		}
	}
	for action, chained := range map[string]bool{"employee.created": true, "employee.read": true, "employee.listed": false,
		"employee.legal_hold_set": true} {
		ev, ok := seen[action]
		if !ok || ev.Chained != chained {
			t.Errorf("%s: %+v (found %v), want chained %v", action, ev, ok, chained)
		}
	}
	if times["employee.created"] != 1 || times["employee.listed"] != 1 {
		t.Errorf("events of other employees in the document: %v", times)
	}
	if _, ok := seen["employee.read"].Details["read_at"]; ok {
		t.Error("read_at is shown as a detail instead of the time")
	}
	body := string(raw)
	for _, leak := range []string{other.GetId(), "Olga", "127.0.0.1", "ip", "userAgent", "Go-http-client"} {
		if strings.Contains(body, `"`+leak) || strings.Contains(body, leak+`"`) {
			t.Errorf("the document holds %q", leak)
		}
	}
	// The export is chained at once (not queued like a read), without
	// details, and nothing of the document reaches the log.
	var details string
	if err := env.DB.Owner.QueryRow(ctx(), `SELECT details FROM audit_events WHERE tenant_id = $1 AND action = 'employee.data_exported'
		AND target_id = $2 AND actor_id = $3`, ten.TenantID, e.GetId(), ten.AdminID.String()).Scan(&details); err != nil || details != "{}" {
		t.Fatalf("data_exported event: %q %v", details, err)
	}
	if n := privCount(t, env, ten.TenantID, `(details LIKE '%Jürgen%' OR details LIKE '%Müller%' OR details LIKE '%ab/12%')`); n != 0 {
		t.Errorf("%d audit events hold the person's data", n)
	}
	// A second export lists the first.
	d2, _, _ := privExport(t, admin, e.GetId())
	found := false
	for _, ev := range d2.AuditEvents {
		found = found || ev.Action == "employee.data_exported"
	}
	if !found {
		t.Error("the second export does not list the first")
	}

	// Another tenant's id, an unknown id: NotFound; a user without the
	// Datenschutz area: PermissionDenied.
	b := env.CreateTenant("Fremd GmbH", "admin@fremd.example")
	_, err := signIn(t, env, b).Emp.ExportEmployeeData(ctx(), connect.NewRequest(&zeugov1.ExportEmployeeDataRequest{Id: e.GetId()}))
	apptest.WantCode(t, err, connect.CodeNotFound, "other tenant's export")
	_, err = admin.Emp.ExportEmployeeData(ctx(), connect.NewRequest(&zeugov1.ExportEmployeeDataRequest{Id: uuid.NewString()}))
	apptest.WantCode(t, err, connect.CodeNotFound, "unknown id")
	hr := addUser(t, env, ten, "hr@auskunft.example", []string{"employees"}, apptest.Restriction{All: true})
	_, err = hr.Emp.ExportEmployeeData(ctx(), connect.NewRequest(&zeugov1.ExportEmployeeDataRequest{Id: e.GetId()}))
	apptest.WantCode(t, err, connect.CodePermissionDenied, "export without the privacy area")
	_, err = hr.Emp.EraseEmployee(ctx(), connect.NewRequest(&zeugov1.EraseEmployeeRequest{Id: e.GetId(), ConfirmPersonnelNumber: "ab/12.3"}))
	apptest.WantCode(t, err, connect.CodePermissionDenied, "erase without the privacy area")
	_, err = hr.Emp.SetLegalHold(ctx(), connect.NewRequest(&zeugov1.SetLegalHoldRequest{Id: e.GetId()}))
	apptest.WantCode(t, err, connect.CodePermissionDenied, "legal hold without the privacy area")
}

// TestEraseNeedsTheConfirmationAndKeepsOnlyTheID: erasure wants the
// personnel number typed again (compared as the index compares it), then
// removes the row; the audit log keeps the events about the id, and the
// erasure event carries no personal data.
func TestEraseNeedsTheConfirmationAndKeepsOnlyTheID(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ten := env.CreateTenant("Löschung GmbH", "admin@loeschung.example")
	admin := signIn(t, env, ten)
	e := create(t, admin, person("pn-77", "Lena", "Löscher"))
	keep := create(t, admin, person("pn-78", "Karl", "Bleibt"))

	for _, wrong := range []string{"pn-78", "pn-7", "pn 77"} {
		_, err := admin.Emp.EraseEmployee(ctx(), connect.NewRequest(&zeugov1.EraseEmployeeRequest{Id: e.GetId(), ConfirmPersonnelNumber: wrong}))
		apptest.WantCode(t, err, connect.CodeInvalidArgument, "confirmation "+wrong)
		if got := apptest.Violations(t, err)["confirm_personnel_number"]; got != "zeugo.confirmation" {
			t.Errorf("confirmation %q: violation %q", wrong, got)
		}
	}
	_, err := admin.Emp.EraseEmployee(ctx(), connect.NewRequest(&zeugov1.EraseEmployeeRequest{Id: e.GetId()}))
	apptest.WantCode(t, err, connect.CodeInvalidArgument, "no confirmation")
	if _, err := admin.Emp.GetEmployee(ctx(), connect.NewRequest(&zeugov1.GetEmployeeRequest{Id: e.GetId()})); err != nil {
		t.Fatalf("a refused erasure changed something: %v", err)
	}
	if n := privCount(t, env, ten.TenantID, `action = 'employee.erased'`); n != 0 {
		t.Fatalf("refused erasures recorded: %d", n)
	}

	if _, err := admin.Emp.EraseEmployee(ctx(), connect.NewRequest(&zeugov1.EraseEmployeeRequest{Id: e.GetId(),
		ConfirmPersonnelNumber: "  PN-77 "})); err != nil {
		t.Fatal(err)
	}
	_, err = admin.Emp.GetEmployee(ctx(), connect.NewRequest(&zeugov1.GetEmployeeRequest{Id: e.GetId()}))
	apptest.WantCode(t, err, connect.CodeNotFound, "get after erasure")
	_, err = admin.Emp.EraseEmployee(ctx(), connect.NewRequest(&zeugov1.EraseEmployeeRequest{Id: e.GetId(), ConfirmPersonnelNumber: "pn-77"}))
	apptest.WantCode(t, err, connect.CodeNotFound, "erase twice")
	var rows int
	if err := env.DB.Owner.QueryRow(ctx(), `SELECT count(*) FROM employees WHERE id = $1`, e.GetId()).Scan(&rows); err != nil || rows != 0 {
		t.Fatalf("row left: %d %v", rows, err)
	}
	if _, err := admin.Emp.GetEmployee(ctx(), connect.NewRequest(&zeugov1.GetEmployeeRequest{Id: keep.GetId()})); err != nil {
		t.Fatalf("the other employee: %v", err)
	}
	var details string
	if err := env.DB.Owner.QueryRow(ctx(), `SELECT details FROM audit_events WHERE tenant_id = $1 AND action = 'employee.erased'
		AND target_type = 'employee' AND target_id = $2`, ten.TenantID, e.GetId()).Scan(&details); err != nil || details != "{}" {
		t.Fatalf("erased event: %q %v", details, err)
	}
	if n := privCount(t, env, ten.TenantID, `target_id = $2 AND action = 'employee.created'`, e.GetId()); n != 1 {
		t.Errorf("the log lost the events about the erased id: %d", n)
	}
	if n := privCount(t, env, ten.TenantID, `(details LIKE '%Lena%' OR details LIKE '%Löscher%' OR details ILIKE '%pn-77%')`); n != 0 {
		t.Errorf("%d audit events hold the person's data", n)
	}
}

// TestLegalHoldAndReferencesBlockDeleteAndErase: under a legal hold, and
// while a certificate references the employee, neither delete nor erase
// removes them, and the refusal says why (rule id, kind and count); once
// the hold is lifted, delete works.
func TestLegalHoldAndReferencesBlockDeleteAndErase(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ten := env.CreateTenant("Sperre GmbH", "admin@sperre.example")
	admin := signIn(t, env, ten)
	held := create(t, admin, person("H1", "Hanna", "Halt"))
	refd := create(t, admin, person("R1", "Rudi", "Referenz"))

	_, err := admin.Emp.SetLegalHold(ctx(), connect.NewRequest(&zeugov1.SetLegalHoldRequest{Id: held.GetId(), Hold: true}))
	apptest.WantCode(t, err, connect.CodeInvalidArgument, "hold without a reason")
	res, err := admin.Emp.SetLegalHold(ctx(), connect.NewRequest(&zeugov1.SetLegalHoldRequest{Id: held.GetId(), Hold: true,
		Reason: "Rechtsstreit"}))
	if err != nil {
		t.Fatal(err)
	}
	if res.Msg.GetEmployee().GetLegalHold() == nil {
		t.Fatalf("no hold on the employee: %v", res.Msg.GetEmployee())
	}
	refused := func(what string, err error, rule string) []string {
		t.Helper()
		apptest.WantCode(t, err, connect.CodeFailedPrecondition, what)
		rules, msgs := privRules(t, err, "id")
		if len(rules) == 0 || rules[0] != rule {
			t.Fatalf("%s: rules %v, want %s", what, rules, rule)
		}
		return msgs
	}
	_, err = admin.Emp.DeleteEmployee(ctx(), connect.NewRequest(&zeugov1.DeleteEmployeeRequest{Id: held.GetId()}))
	refused("delete under hold", err, "zeugo.legal_hold")
	_, err = admin.Emp.EraseEmployee(ctx(), connect.NewRequest(&zeugov1.EraseEmployeeRequest{Id: held.GetId(), ConfirmPersonnelNumber: "H1"}))
	refused("erase under hold", err, "zeugo.legal_hold")
	if _, err := admin.Emp.GetEmployee(ctx(), connect.NewRequest(&zeugov1.GetEmployeeRequest{Id: held.GetId()})); err != nil {
		t.Fatalf("refused removal changed something: %v", err)
	}
	if _, err := admin.Emp.SetLegalHold(ctx(), connect.NewRequest(&zeugov1.SetLegalHoldRequest{Id: held.GetId()})); err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Emp.DeleteEmployee(ctx(), connect.NewRequest(&zeugov1.DeleteEmployeeRequest{Id: held.GetId()})); err != nil {
		t.Fatalf("delete after the hold was lifted: %v", err)
	}
	if n := privCount(t, env, ten.TenantID, `target_id = $2 AND action IN ('employee.legal_hold_set', 'employee.legal_hold_lifted', 'employee.deleted')`,
		held.GetId()); n != 3 {
		t.Errorf("hold, lift and delete events: %d, want 3", n)
	}

	// Two certificates name R1 as their subject (the certificates issue
	// replaces the view the same way).
	if _, err := env.DB.Owner.Exec(ctx(), fmt.Sprintf(`CREATE OR REPLACE VIEW employee_references WITH (security_invoker = true) AS
		SELECT tenant_id, id AS employee_id, 'certificate_subject'::text AS kind, id AS ref_id
		FROM employees, generate_series(1, 2) WHERE id = '%s'`, uuid.MustParse(refd.GetId()))); err != nil {
		t.Fatal(err)
	}
	_, err = admin.Emp.DeleteEmployee(ctx(), connect.NewRequest(&zeugov1.DeleteEmployeeRequest{Id: refd.GetId()}))
	msgs := refused("delete of a referenced employee", err, "zeugo.employee_referenced")
	if msgs[0] != "certificate_subject: 2" || !strings.Contains(err.Error(), "referenced by 2 certificates as subject") {
		t.Errorf("refusal does not name the reference: %v %v", msgs, err)
	}
	_, err = admin.Emp.EraseEmployee(ctx(), connect.NewRequest(&zeugov1.EraseEmployeeRequest{Id: refd.GetId(), ConfirmPersonnelNumber: "R1"}))
	msgs = refused("erase of a referenced employee", err, "zeugo.employee_referenced")
	if msgs[0] != "certificate_subject: 2" || !strings.Contains(err.Error(), "must be kept") {
		t.Errorf("refusal does not name the reference: %v %v", msgs, err)
	}
	d, _, _ := privExport(t, admin, refd.GetId())
	if len(d.References) != 2 || d.References[0].Kind != "certificate_subject" || d.References[0].RefID != refd.GetId() {
		t.Errorf("references in the document: %+v", d.References)
	}
	if n := privCount(t, env, ten.TenantID, `target_id = $2 AND action IN ('employee.deleted', 'employee.erased')`, refd.GetId()); n != 0 {
		t.Errorf("refused removals recorded: %d", n)
	}
}

// TestAPIKeyReadsAreLoggedAndFailedReadsAreNot: reads with an API key are
// recorded with actor type api_key and its id, and the data subject's
// export names the key; reads that fail (unknown id, out of scope, a bad
// page token) record nothing.
func TestAPIKeyReadsAreLoggedAndFailedReadsAreNot(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ten := env.CreateTenant("Schnittstelle GmbH", "admin@schnittstelle.example")
	admin := signIn(t, env, ten)
	o := apptest.MakeOrg(t, admin.Org)
	f := person("K1", "Klara", "Key")
	f.CompanyId = o.Companies[0]
	e := create(t, admin, f)
	g := person("K2", "Bernd", "Bereich")
	g.CompanyId = o.Companies[1]
	out := create(t, admin, g)

	login, err := env.AuthClient(env.HTTPClient(), apptest.Connect).Login(ctx(), connect.NewRequest(&zeugov1.LoginRequest{
		Email: ten.Email, Password: ten.Password}))
	if err != nil {
		t.Fatal(err)
	}
	keys := zeugov1connect.NewApiKeyServiceClient(env.HTTPClient(), env.Server.URL,
		connect.WithInterceptors(apptest.Bearer(login.Msg.GetTokens().GetAccessToken())))
	key, err := keys.CreateApiKey(ctx(), connect.NewRequest(&zeugov1.CreateApiKeyRequest{Name: "Personio",
		Scopes: []*zeugov1.ApiKeyScope{{Service: "employees", Access: zeugov1.ApiKeyAccess_API_KEY_ACCESS_READ}}}))
	if err != nil {
		t.Fatal(err)
	}
	keyID := key.Msg.GetApiKey().GetId()
	byKey := clientFor(env, apptest.GRPC, key.Msg.GetSecret())
	if _, err := byKey.Emp.GetEmployee(ctx(), connect.NewRequest(&zeugov1.GetEmployeeRequest{Id: e.GetId()})); err != nil {
		t.Fatal(err)
	}
	if _, err := byKey.Emp.ListEmployees(ctx(), connect.NewRequest(&zeugov1.ListEmployeesRequest{
		Filter: &zeugov1.EmployeeFilter{Query: "klara"}})); err != nil {
		t.Fatal(err)
	}
	drain(t, byKey.Emp, zeugov1.ExportFormat_EXPORT_FORMAT_CSV, &zeugov1.EmployeeFilter{CompanyId: o.Companies[0]})
	for _, action := range []string{"employee.read", "employee.listed", "employee.exported"} {
		if n := privCount(t, env, ten.TenantID, `action = $2 AND target_id = $3 AND actor_type = 'api_key' AND actor_id = $4`,
			action, e.GetId(), keyID); n != 1 {
			t.Errorf("%s by the key: %d events, want 1", action, n)
		}
	}
	if n := privCount(t, env, ten.TenantID, `target_id = $2 AND actor_type = 'api_key'`, out.GetId()); n != 0 {
		t.Errorf("reads of an employee the key did not get: %d", n)
	}
	privChain(t, env)
	d, _, _ := privExport(t, admin, e.GetId())
	byAction := map[string]privEvent{}
	for _, ev := range d.AuditEvents {
		if ev.Actor["type"] == "api_key" {
			byAction[ev.Action] = ev
		}
	}
	for _, action := range []string{"employee.read", "employee.listed", "employee.exported"} {
		ev := byAction[action]
		if ev.Actor["id"] != keyID || ev.Actor["name"] != "Personio" || !ev.Chained {
			t.Errorf("%s in the document: %+v", action, ev)
		}
	}

	// Failed reads record nothing.
	restricted := addUser(t, env, ten, "eng@schnittstelle.example", []string{"employees", "privacy"},
		apptest.Restriction{Companies: []string{o.Companies[0]}})
	before := privCount(t, env, ten.TenantID, `action LIKE 'employee.%'`)
	missing := uuid.NewString()
	_, err = byKey.Emp.GetEmployee(ctx(), connect.NewRequest(&zeugov1.GetEmployeeRequest{Id: missing}))
	apptest.WantCode(t, err, connect.CodeNotFound, "unknown id")
	_, err = restricted.Emp.GetEmployee(ctx(), connect.NewRequest(&zeugov1.GetEmployeeRequest{Id: out.GetId()}))
	apptest.WantCode(t, err, connect.CodeNotFound, "out of scope")
	_, err = restricted.Emp.ExportEmployeeData(ctx(), connect.NewRequest(&zeugov1.ExportEmployeeDataRequest{Id: out.GetId()}))
	apptest.WantCode(t, err, connect.CodeNotFound, "data export out of scope")
	_, err = byKey.Emp.ListEmployees(ctx(), connect.NewRequest(&zeugov1.ListEmployeesRequest{
		Page: &zeugov1.PageRequest{PageToken: "not-a-token"}}))
	if err == nil {
		t.Fatal("a forged page token was accepted")
	}
	if after := privCount(t, env, ten.TenantID, `action LIKE 'employee.%'`); after != before {
		t.Errorf("failed reads recorded %d events", after-before)
	}
}

// TestPrivacyRPCsKeepTheCertificateAccessScope: a user with the
// Datenschutz area but restricted certificate access gets NotFound for the
// data export, erasure and legal hold of an employee outside it, and
// nothing changes; inside it, all three work.
func TestPrivacyRPCsKeepTheCertificateAccessScope(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ten := env.CreateTenant("Datenschutz GmbH", "admin@datenschutz.example")
	admin := signIn(t, env, ten)
	o := apptest.MakeOrg(t, admin.Org)
	mk := func(pn string, company, location int) *zeugov1.Employee {
		f := person(pn, "Paula", "Privat")
		f.CompanyId, f.LocationId = o.Companies[company], o.Locations[location]
		return create(t, admin, f)
	}
	in, outCompany, outLocation := mk("S1", 0, 0), mk("S2", 1, 0), mk("S3", 0, 1)
	none := create(t, admin, person("S4", "Nora", "Ohne"))
	dpo := addUser(t, env, ten, "dsb@datenschutz.example", []string{"privacy"},
		apptest.Restriction{Companies: []string{o.Companies[0]}, Locations: []string{o.Locations[0]}})
	for _, e := range []*zeugov1.Employee{outCompany, outLocation, none} {
		pn := e.GetFields().GetPersonnelNumber()
		_, err := dpo.Emp.ExportEmployeeData(ctx(), connect.NewRequest(&zeugov1.ExportEmployeeDataRequest{Id: e.GetId()}))
		apptest.WantCode(t, err, connect.CodeNotFound, "export "+pn)
		_, err = dpo.Emp.SetLegalHold(ctx(), connect.NewRequest(&zeugov1.SetLegalHoldRequest{Id: e.GetId(), Hold: true, Reason: "x"}))
		apptest.WantCode(t, err, connect.CodeNotFound, "hold "+pn)
		_, err = dpo.Emp.EraseEmployee(ctx(), connect.NewRequest(&zeugov1.EraseEmployeeRequest{Id: e.GetId(), ConfirmPersonnelNumber: pn}))
		apptest.WantCode(t, err, connect.CodeNotFound, "erase "+pn)
		got, err := admin.Emp.GetEmployee(ctx(), connect.NewRequest(&zeugov1.GetEmployeeRequest{Id: e.GetId()}))
		if err != nil || got.Msg.GetEmployee().GetLegalHold() != nil || got.Msg.GetEmployee().GetVersion() != e.GetVersion() {
			t.Errorf("%s changed: %v %v", pn, err, got)
		}
		if n := privCount(t, env, ten.TenantID, `target_id = $2 AND action IN ('employee.data_exported', 'employee.erased',
			'employee.legal_hold_set')`, e.GetId()); n != 0 {
			t.Errorf("%s: %d events for refused calls", pn, n)
		}
	}
	if d, _, _ := privExport(t, dpo, in.GetId()); d.Employee["personnelNumber"] != "S1" {
		t.Errorf("export in scope: %v", d.Employee)
	}
	if _, err := dpo.Emp.SetLegalHold(ctx(), connect.NewRequest(&zeugov1.SetLegalHoldRequest{Id: in.GetId(), Hold: true, Reason: "Prüfung"})); err != nil {
		t.Fatal(err)
	}
	if _, err := dpo.Emp.SetLegalHold(ctx(), connect.NewRequest(&zeugov1.SetLegalHoldRequest{Id: in.GetId()})); err != nil {
		t.Fatal(err)
	}
	if _, err := dpo.Emp.EraseEmployee(ctx(), connect.NewRequest(&zeugov1.EraseEmployeeRequest{Id: in.GetId(), ConfirmPersonnelNumber: "s1"})); err != nil {
		t.Fatal(err)
	}
}
