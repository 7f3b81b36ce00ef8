package employees_test

import (
	"encoding/json"
	"strings"
	"testing"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/proto"

	"github.com/zeugo/zeugo/backend/internal/apptest"
	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
	"github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1/zeugov1connect"
)

// newAPIKey creates an API key of the tenant's administrator with one
// scope (service, access) and returns its token.
func newAPIKey(t testing.TB, env *apptest.Env, ten *apptest.Tenant, service string, a zeugov1.ApiKeyAccess) string {
	t.Helper()
	return apptest.SignIn(t, env, ten.Email, ten.Password, apptest.Connect).NewAPIKey(t, service, a)
}

func upsert(c zeugov1connect.EmployeeServiceClient, all ...*zeugov1.EmployeeFields) ([]*zeugov1.UpsertResult, error) {
	res, err := c.UpsertEmployees(ctx(), connect.NewRequest(&zeugov1.UpsertEmployeesRequest{Employees: all}))
	if err != nil {
		return nil, err
	}
	return res.Msg.GetResults(), nil
}

func outcomesOf(rs []*zeugov1.UpsertResult) string {
	var s []string
	for _, r := range rs {
		s = append(s, strings.TrimPrefix(r.GetOutcome().String(), "UPSERT_OUTCOME_"))
	}
	return strings.Join(s, ",")
}

// upsertEvents counts the employee.upserted events of the tenant by
// actor type and outcome (chained in the upsert's transaction).
func upsertEvents(t testing.TB, env *apptest.Env, ten *apptest.Tenant) map[string]int {
	t.Helper()
	rows, err := env.DB.Owner.Query(ctx(), `SELECT actor_type || ':' || (details::jsonb ->> 'outcome'), count(*)
		FROM audit_events WHERE tenant_id = $1 AND action = 'employee.upserted' GROUP BY 1`, ten.TenantID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var k string
		var n int
		if err := rows.Scan(&k, &n); err != nil {
			t.Fatal(err)
		}
		out[k] = n
	}
	return out
}

// TestUpsertAndExportWithAPIKeyOverGRPC: an HR system with an
// employees:write key upserts a batch and exports it over gRPC (TLS); the
// same batch again changes nothing; a change updates only that employee.
func TestUpsertAndExportWithAPIKeyOverGRPC(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ten := env.CreateTenant("Personal GmbH", "admin@personal.example")
	o := apptest.MakeOrg(t, signIn(t, env, ten).Org)
	tok := newAPIKey(t, env, ten, "employees", zeugov1.ApiKeyAccess_API_KEY_ACCESS_WRITE)
	c := clientFor(env, apptest.GRPC, tok).Emp

	batch := []*zeugov1.EmployeeFields{person("100", "Jürgen", "Groß"), person("101", "Anna", "Weiß"), person("A-102", "Ömer", "Öztürk")}
	batch[0].CompanyId, batch[0].LocationId = o.Companies[0], o.Locations[1]
	batch[2].Interruptions = []*zeugov1.Interruption{{FromDate: "2020-01-01", ToDate: "2020-06-30",
		Reason: zeugov1.InterruptionReason_INTERRUPTION_REASON_ILLNESS}}
	batch[2].Authorities = []*zeugov1.Authority{{Kind: zeugov1.AuthorityKind_AUTHORITY_KIND_PROKURA, SinceDate: "2023-01-01"}}
	first, err := upsert(c, batch...)
	if err != nil {
		t.Fatal(err)
	}
	if got := outcomesOf(first); got != "CREATED,CREATED,CREATED" {
		t.Fatalf("first outcomes %s", got)
	}
	for i, r := range first {
		if r.GetPersonnelNumber() != batch[i].GetPersonnelNumber() || r.GetVersion() != 1 || r.GetId() == "" {
			t.Fatalf("result %d: %v", i, r)
		}
	}

	// Idempotent: the same batch again writes nothing.
	second, err := upsert(c, batch...)
	if err != nil {
		t.Fatal(err)
	}
	if got := outcomesOf(second); got != "UNCHANGED,UNCHANGED,UNCHANGED" {
		t.Fatalf("second outcomes %s", got)
	}
	for i := range second {
		if second[i].GetId() != first[i].GetId() || second[i].GetVersion() != 1 {
			t.Fatalf("second result %d: %v, first %v", i, second[i], first[i])
		}
	}

	// One change: only that employee is written, with a new version; the
	// personnel number matches in any case.
	batch[1].JobTitle = "Teamleiterin"
	batch[1].PersonnelNumber = "101"
	batch[2].PersonnelNumber = "a-102"
	third, err := upsert(c, batch...)
	if err != nil {
		t.Fatal(err)
	}
	if got := outcomesOf(third); got != "UNCHANGED,UPDATED,UPDATED" || third[1].GetVersion() != 2 || third[1].GetId() != first[1].GetId() ||
		third[2].GetId() != first[2].GetId() {
		t.Fatalf("third: %s %v", got, third)
	}

	// The export over gRPC has them, as the key may read.
	var rows []map[string]any
	if err := json.Unmarshal(drain(t, c, zeugov1.ExportFormat_EXPORT_FORMAT_JSON, nil), &rows); err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 {
		t.Fatalf("exported %d employees: %v", len(rows), rows)
	}
	csv := string(drain(t, c, zeugov1.ExportFormat_EXPORT_FORMAT_CSV, nil))
	for _, want := range []string{"Jürgen", "Teamleiterin", "Öztürk", "a-102"} {
		if !strings.Contains(csv, want) {
			t.Errorf("csv export lacks %q", want)
		}
	}

	// Audited per created/updated employee, with the key as the actor;
	// unchanged ones left no trace.
	if got := upsertEvents(t, env, ten); got["api_key:created"] != 3 || got["api_key:updated"] != 2 || len(got) != 2 {
		t.Fatalf("upsert events %v", got)
	}
}

// TestUpsertKeyScopes: a read key exports but cannot upsert; a key of
// another service cannot even read.
func TestUpsertKeyScopes(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ten := env.CreateTenant("Schlüssel GmbH", "admin@schluessel.example")
	read := clientFor(env, apptest.GRPC, newAPIKey(t, env, ten, "employees", zeugov1.ApiKeyAccess_API_KEY_ACCESS_READ)).Emp
	_, err := upsert(read, person("1", "Nina", "Nur-Lesen"))
	apptest.WantCode(t, err, connect.CodePermissionDenied, "upsert with employees:read")
	if _, err := export(read, zeugov1.ExportFormat_EXPORT_FORMAT_JSON, nil); err != nil {
		t.Fatalf("export with employees:read: %v", err)
	}
	other := clientFor(env, apptest.GRPC, newAPIKey(t, env, ten, "organization", zeugov1.ApiKeyAccess_API_KEY_ACCESS_WRITE)).Emp
	_, err = export(other, zeugov1.ExportFormat_EXPORT_FORMAT_JSON, nil)
	apptest.WantCode(t, err, connect.CodePermissionDenied, "export with organization:write")
	_, err = other.ListEmployees(ctx(), connect.NewRequest(&zeugov1.ListEmployeesRequest{}))
	apptest.WantCode(t, err, connect.CodePermissionDenied, "list with organization:write")
	_, err = upsert(other, person("1", "Nina", "Nur-Lesen"))
	apptest.WantCode(t, err, connect.CodePermissionDenied, "upsert with organization:write")
}

// TestUpsertAllOrNothing: one bad employee stores none of the batch, and
// every problem is reported by index and field — proto rules, impossible
// dates, the service's checks and a personnel number twice in the batch.
func TestUpsertAllOrNothing(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ten := env.CreateTenant("Stapel GmbH", "admin@stapel.example")
	admin := signIn(t, env, ten)
	o := apptest.MakeOrg(t, admin.Org)
	c := clientFor(env, apptest.Connect, newAPIKey(t, env, ten, "employees", zeugov1.ApiKeyAccess_API_KEY_ACCESS_WRITE)).Emp
	stored := create(t, admin, person("S1", "Sven", "Stamm"))

	// A proto rule (the interceptor) on the second employee.
	bad := person("2", "", "Ohne-Vorname")
	_, err := upsert(c, person("1", "Ada", "Gut"), bad)
	apptest.WantCode(t, err, connect.CodeInvalidArgument, "empty first name")
	if v := apptest.Violations(t, err); v["employees[1].first_name"] == "" {
		t.Fatalf("violations %v", v)
	}

	// The service's checks, all at once.
	exit := person("3", "Emil", "Ende")
	exit.ExitDate = "2010-01-01" // before the entry
	wrongKind := person("4", "Karl", "Falsch")
	wrongKind.CompanyId = o.Locations[0] // a location is no company
	noDate := person("5", "Dora", "Datum")
	noDate.BirthDate = "1990-02-30"
	dup := person("1", "Doppel", "Gänger")
	changed := person("S1", "Sven", "Stamm-Neu") // would update the stored one
	_, err = upsert(c, person("1", "Ada", "Gut"), changed, exit, wrongKind, noDate, dup)
	apptest.WantCode(t, err, connect.CodeInvalidArgument, "bad batch")
	v := apptest.Violations(t, err)
	for field, rule := range map[string]string{"employees[2].exit_date": "zeugo.after_entry",
		"employees[3].company_id": "zeugo.exists", "employees[4].birth_date": "zeugo.date",
		"employees[5].personnel_number": "zeugo.unique_in_batch"} {
		if v[field] != rule {
			t.Errorf("%s: rule %q, want %q (all: %v)", field, v[field], rule, v)
		}
	}
	if len(v) != 4 {
		t.Errorf("violations %v", v)
	}
	// Nothing stored, nothing changed, nothing audited.
	list, err := admin.Emp.ListEmployees(ctx(), connect.NewRequest(&zeugov1.ListEmployeesRequest{}))
	if err != nil {
		t.Fatal(err)
	}
	if n := len(list.Msg.GetEmployees()); n != 1 || list.Msg.GetEmployees()[0].GetVersion() != stored.GetVersion() ||
		list.Msg.GetEmployees()[0].GetFields().GetLastName() != "Stamm" {
		t.Fatalf("after the refused batch: %v", list.Msg.GetEmployees())
	}
	if got := upsertEvents(t, env, ten); len(got) != 0 {
		t.Fatalf("events after a refused batch: %v", got)
	}
}

// TestUpsertRespectsCertificateAccess: a user restricted to company A
// creates and updates employees of company A only; a personnel number of
// an employee out of scope is refused without revealing them, and an
// update may not move an employee out of scope.
func TestUpsertRespectsCertificateAccess(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ten := env.CreateTenant("Bereich Upsert GmbH", "admin@bereich-upsert.example")
	admin := signIn(t, env, ten)
	o := apptest.MakeOrg(t, admin.Org)
	outside := person("B1", "Bernd", "Geheim")
	outside.CompanyId = o.Companies[1]
	hidden := create(t, admin, outside)
	u := addUser(t, env, ten, "teil@bereich-upsert.example", []string{"employees"}, apptest.Restriction{Companies: o.Companies[:1]})

	inA := person("A1", "Anja", "Drinnen")
	inA.CompanyId = o.Companies[0]
	res, err := upsert(u.Emp, inA)
	if err != nil || outcomesOf(res) != "CREATED" {
		t.Fatalf("in scope: %v %v", res, err)
	}
	res, err = upsert(u.Emp, inA)
	if err != nil || outcomesOf(res) != "UNCHANGED" {
		t.Fatalf("in scope again: %v %v", res, err)
	}

	newInB := person("B2", "Boris", "Draußen")
	newInB.CompanyId = o.Companies[1]
	noCompany := person("N1", "Nora", "Nirgends")
	overHidden := person("B1", "Fremd", "Überschrieben")
	overHidden.CompanyId = o.Companies[0]
	moved := proto.Clone(inA).(*zeugov1.EmployeeFields)
	moved.CompanyId = o.Companies[1]
	_, err = upsert(u.Emp, newInB, noCompany, overHidden, moved)
	apptest.WantCode(t, err, connect.CodePermissionDenied, "out of scope")
	v := apptest.Violations(t, err)
	for field, rule := range map[string]string{"employees[0].company_id": "zeugo.scope", "employees[1].company_id": "zeugo.scope",
		"employees[2].personnel_number": "zeugo.scope", "employees[3].company_id": "zeugo.scope"} {
		if v[field] != rule {
			t.Errorf("%s: %q, want %q (all %v)", field, v[field], rule, v)
		}
	}
	if msg := err.Error(); strings.Contains(msg, "Bernd") || strings.Contains(msg, "Geheim") || strings.Contains(msg, hidden.GetId()) {
		t.Fatalf("the refusal reveals the hidden employee: %s", msg)
	}
	got, err := admin.Emp.GetEmployee(ctx(), connect.NewRequest(&zeugov1.GetEmployeeRequest{Id: hidden.GetId()}))
	if err != nil || got.Msg.GetEmployee().GetVersion() != 1 || got.Msg.GetEmployee().GetFields().GetFirstName() != "Bernd" {
		t.Fatalf("the hidden employee changed: %v %v", got, err)
	}
	list, err := admin.Emp.ListEmployees(ctx(), connect.NewRequest(&zeugov1.ListEmployeesRequest{}))
	if err != nil || len(list.Msg.GetEmployees()) != 2 {
		t.Fatalf("employees after the refused batch: %v %v", list, err)
	}
	if got := upsertEvents(t, env, ten); got["user:created"] != 1 || len(got) != 1 {
		t.Fatalf("upsert events %v", got)
	}
}
