package employees_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/proto"

	"github.com/zeugo/zeugo/backend/internal/apptest"
	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
	"github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1/zeugov1connect"
)

func TestEmployeeLifecycleOverConnectAndGRPC(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ten := env.CreateTenant("Stamm GmbH", "admin@stamm.example")
	for _, p := range []apptest.Protocol{apptest.Connect, apptest.GRPC} {
		t.Run(p.String(), func(t *testing.T) {
			admin := signInAs(t, env, ten.Email, ten.Password, p)
			o := makeOrgOnce(t, admin, p)
			pn := "P-" + p.String()
			f := person(pn, "Jürgen", "Müller-Lüdenscheidt")
			f.Salutation = zeugov1.Salutation_SALUTATION_HERR
			f.Title, f.Birthplace = "Dr.", "Köln"
			f.CompanyId, f.LocationId, f.DepartmentId, f.OrgUnitId, f.EmployeeTypeId = o.Companies[0], o.Locations[0],
				o.Departments[0], o.OrgUnits[0], o.Types[0]
			f.ExitDate, f.ExitReason = "2024-06-30", zeugov1.ExitReason_EXIT_REASON_OWN_WISH
			f.Interruptions = []*zeugov1.Interruption{{FromDate: "2021-01-01", ToDate: "2021-12-31",
				Reason: zeugov1.InterruptionReason_INTERRUPTION_REASON_PARENTAL_LEAVE, Note: "Elternzeit"}}
			f.Authorities = []*zeugov1.Authority{{Kind: zeugov1.AuthorityKind_AUTHORITY_KIND_PROKURA, SinceDate: "2022-01-01"}}
			e := create(t, admin, f)
			if !proto.Equal(e.GetFields(), f) {
				t.Fatalf("stored fields differ:\n got %v\nwant %v", e.GetFields(), f)
			}
			if e.GetState() != zeugov1.EmployeeState_EMPLOYEE_STATE_LEFT {
				t.Errorf("state %v, want left", e.GetState())
			}
			got, err := admin.Emp.GetEmployee(ctx(), connect.NewRequest(&zeugov1.GetEmployeeRequest{Id: e.GetId()}))
			if err != nil || !proto.Equal(got.Msg.GetEmployee().GetFields(), f) {
				t.Fatalf("get: %v %v", err, got)
			}

			// Search: umlauts, ß, case and prefixes; a personnel number whole.
			for _, q := range []string{"mül", "Mueller", "MUELLER-lued", "jürgen müller", "juergen", pn, strings.ToLower(pn)} {
				res, err := admin.Emp.ListEmployees(ctx(), connect.NewRequest(&zeugov1.ListEmployeesRequest{
					Filter: &zeugov1.EmployeeFilter{Query: q}}))
				if err != nil {
					t.Fatal(err)
				}
				if ids := idsOf(res.Msg.GetEmployees()); !contains(ids, e.GetId()) {
					t.Errorf("search %q did not find the employee (%v)", q, ids)
				}
			}
			for _, q := range []string{"müllerin", "jürgen meier", "üller", "P-"} {
				res, err := admin.Emp.ListEmployees(ctx(), connect.NewRequest(&zeugov1.ListEmployeesRequest{
					Filter: &zeugov1.EmployeeFilter{Query: q}}))
				if err != nil {
					t.Fatal(err)
				}
				if contains(idsOf(res.Msg.GetEmployees()), e.GetId()) {
					t.Errorf("search %q found the employee", q)
				}
			}

			// A stale save changes nothing.
			f2 := proto.Clone(f).(*zeugov1.EmployeeFields)
			f2.JobTitle = "Leiter Buchhaltung"
			up, err := admin.Emp.UpdateEmployee(ctx(), connect.NewRequest(&zeugov1.UpdateEmployeeRequest{Id: e.GetId(),
				Version: e.GetVersion(), Fields: f2}))
			if err != nil {
				t.Fatal(err)
			}
			f3 := proto.Clone(f).(*zeugov1.EmployeeFields)
			f3.LastName = "Schmidt"
			_, err = admin.Emp.UpdateEmployee(ctx(), connect.NewRequest(&zeugov1.UpdateEmployeeRequest{Id: e.GetId(),
				Version: e.GetVersion(), Fields: f3}))
			apptest.WantCode(t, err, connect.CodeAborted, "stale update")
			got, _ = admin.Emp.GetEmployee(ctx(), connect.NewRequest(&zeugov1.GetEmployeeRequest{Id: e.GetId()}))
			if got.Msg.GetEmployee().GetFields().GetLastName() != f.LastName || got.Msg.GetEmployee().GetVersion() != up.Msg.GetEmployee().GetVersion() {
				t.Fatalf("stale update changed the employee: %v", got.Msg.GetEmployee())
			}
		})
	}
}

// makeOrgOnce makes the structure for the first protocol and finds it for
// the second (names are unique per tenant).
func makeOrgOnce(t *testing.T, c *client, p apptest.Protocol) apptest.Org {
	t.Helper()
	if p == apptest.Connect {
		return apptest.MakeOrg(t, c.Org)
	}
	var o apptest.Org
	cs, err := c.Org.ListCompanies(ctx(), connect.NewRequest(&zeugov1.ListCompaniesRequest{}))
	if err != nil {
		t.Fatal(err)
	}
	for i, x := range cs.Msg.GetCompanies() {
		o.Companies[i] = x.GetId()
	}
	for kind, dst := range map[zeugov1.UnitKind]*[2]string{zeugov1.UnitKind_UNIT_KIND_LOCATION: &o.Locations,
		zeugov1.UnitKind_UNIT_KIND_DEPARTMENT: &o.Departments, zeugov1.UnitKind_UNIT_KIND_ORG_UNIT: &o.OrgUnits,
		zeugov1.UnitKind_UNIT_KIND_EMPLOYEE_TYPE: &o.Types} {
		us, err := c.Org.ListUnits(ctx(), connect.NewRequest(&zeugov1.ListUnitsRequest{Kind: kind}))
		if err != nil {
			t.Fatal(err)
		}
		for i, x := range us.Msg.GetUnits() {
			dst[i] = x.GetId()
		}
	}
	return o
}

func idsOf(es []*zeugov1.Employee) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.GetId()
	}
	return out
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

func TestBadInputIsRefusedOnTheFieldAndStoresNothing(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ten := env.CreateTenant("Fehler GmbH", "admin@fehler.example")
	admin := signIn(t, env, ten)
	o := apptest.MakeOrg(t, admin.Org)
	create(t, admin, person("100", "Anna", "Alt"))
	cases := []struct {
		name  string
		edit  func(f *zeugov1.EmployeeFields)
		code  connect.Code
		field string
	}{
		{"exit before entry", func(f *zeugov1.EmployeeFields) { f.ExitDate = "2019-03-31" }, connect.CodeInvalidArgument, "fields.exit_date"},
		{"impossible date", func(f *zeugov1.EmployeeFields) { f.BirthDate = "1990-02-30" }, connect.CodeInvalidArgument, "fields.birth_date"},
		{"duplicate personnel number", func(f *zeugov1.EmployeeFields) { f.PersonnelNumber = "100" }, connect.CodeAlreadyExists, "fields.personnel_number"},
		{"no first name", func(f *zeugov1.EmployeeFields) { f.FirstName = "" }, connect.CodeInvalidArgument, "fields.first_name"},
		{"location as company", func(f *zeugov1.EmployeeFields) { f.CompanyId = o.Locations[0] }, connect.CodeInvalidArgument, "fields.company_id"},
		{"company as location", func(f *zeugov1.EmployeeFields) { f.LocationId = o.Companies[0] }, connect.CodeInvalidArgument, "fields.location_id"},
		{"unknown unit", func(f *zeugov1.EmployeeFields) { f.OrgUnitId = "0190f000-0000-7000-8000-000000000000" }, connect.CodeInvalidArgument, "fields.org_unit_id"},
		{"interruption ends before it starts", func(f *zeugov1.EmployeeFields) {
			f.Interruptions = []*zeugov1.Interruption{{FromDate: "2021-05-01", ToDate: "2021-04-01"}}
		}, connect.CodeInvalidArgument, "fields.interruptions[0].to_date"},
		{"NUL in a name", func(f *zeugov1.EmployeeFields) { f.LastName = "A\x00B" }, connect.CodeInvalidArgument, ""},
	}
	for _, tc := range cases {
		f := person("200", "Berta", "Neu")
		tc.edit(f)
		_, err := admin.Emp.CreateEmployee(ctx(), connect.NewRequest(&zeugov1.CreateEmployeeRequest{Fields: f}))
		apptest.WantCode(t, err, tc.code, tc.name)
		if tc.field != "" {
			if _, ok := apptest.Violations(t, err)[tc.field]; !ok {
				t.Errorf("%s: no violation on %s: %v", tc.name, tc.field, apptest.Violations(t, err))
			}
		}
	}
	res, err := admin.Emp.ListEmployees(ctx(), connect.NewRequest(&zeugov1.ListEmployeesRequest{}))
	if err != nil || res.Msg.GetPage().GetTotalSize() != 1 {
		t.Fatalf("refused creates stored something: %v %v", err, res)
	}
}

func TestPersonalDataIsCiphertextAndOtherTenantsIDsAreNotFound(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	a := env.CreateTenant("Alpha GmbH", "admin@alpha.example")
	b := env.CreateTenant("Beta GmbH", "admin@beta.example")
	ca, cb := signIn(t, env, a), signIn(t, env, b)
	e := create(t, ca, person("4711", "Zoë", "Größenwahn"))
	var raw []byte
	if err := env.DB.Owner.QueryRow(ctx(), `SELECT convert_to(t::text, 'UTF8') FROM employees t WHERE id = $1`, e.GetId()).Scan(&raw); err != nil {
		t.Fatal(err)
	}
	for _, clear := range []string{"Zoë", "Größenwahn", "4711", "Hauptstraße", "80331", "Buchhaltung", "1990-02-03", "Sachbearbeiterin"} {
		if bytes.Contains(raw, []byte(clear)) {
			t.Errorf("the row holds %q in clear", clear)
		}
	}
	_, err := cb.Emp.GetEmployee(ctx(), connect.NewRequest(&zeugov1.GetEmployeeRequest{Id: e.GetId()}))
	apptest.WantCode(t, err, connect.CodeNotFound, "other tenant's get")
	_, err = cb.Emp.UpdateEmployee(ctx(), connect.NewRequest(&zeugov1.UpdateEmployeeRequest{Id: e.GetId(), Version: 1,
		Fields: person("4711", "X", "Y")}))
	apptest.WantCode(t, err, connect.CodeNotFound, "other tenant's update")
	_, err = cb.Emp.DeleteEmployee(ctx(), connect.NewRequest(&zeugov1.DeleteEmployeeRequest{Id: e.GetId()}))
	apptest.WantCode(t, err, connect.CodeNotFound, "other tenant's delete")
	// The same personnel number and name in the other tenant is no conflict
	// and its blind indexes differ.
	create(t, cb, person("4711", "Zoë", "Größenwahn"))
	var same bool
	if err := env.DB.Owner.QueryRow(ctx(), `SELECT (SELECT personnel_number_index FROM employees WHERE tenant_id = $1) =
		(SELECT personnel_number_index FROM employees WHERE tenant_id = $2)`, a.TenantID, b.TenantID).Scan(&same); err != nil {
		t.Fatal(err)
	}
	if same {
		t.Error("the personnel-number index is equal across tenants")
	}
	res, err := cb.Emp.ListEmployees(ctx(), connect.NewRequest(&zeugov1.ListEmployeesRequest{Filter: &zeugov1.EmployeeFilter{Query: "größ"}}))
	if err != nil || len(res.Msg.GetEmployees()) != 1 || res.Msg.GetEmployees()[0].GetId() == e.GetId() {
		t.Fatalf("search crossed tenants: %v %v", err, res)
	}
}

func TestReadsAndChangesAreAudited(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ten := env.CreateTenant("Protokoll GmbH", "admin@protokoll.example")
	admin := signIn(t, env, ten)
	e := create(t, admin, person("1", "Ida", "Iser"))
	if _, err := admin.Emp.GetEmployee(ctx(), connect.NewRequest(&zeugov1.GetEmployeeRequest{Id: e.GetId()})); err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Emp.ListEmployees(ctx(), connect.NewRequest(&zeugov1.ListEmployeesRequest{})); err != nil {
		t.Fatal(err)
	}
	drain(t, admin.Emp, zeugov1.ExportFormat_EXPORT_FORMAT_JSON, nil)
	for _, action := range []string{"employee.created", "employee.read", "employee.listed", "employee.exported"} {
		var n int
		// Changes are chained at once, reads queued (audit_pending) and
		// chained by a sweeper seconds later.
		if err := env.DB.Owner.QueryRow(ctx(), `SELECT count(*) FROM (
			SELECT tenant_id, action, target_type, target_id, actor_type FROM audit_events
			UNION ALL SELECT tenant_id, action, target_type, target_id, actor_type FROM audit_pending) a
			WHERE tenant_id = $1 AND action = $2 AND target_type = 'employee' AND target_id = $3 AND actor_type = 'user'`,
			ten.TenantID, action, e.GetId()).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 1 {
			t.Errorf("%s: %d events, want 1", action, n)
		}
	}
}

// drain reads a whole export.
func drain(t testing.TB, c zeugov1connect.EmployeeServiceClient, format zeugov1.ExportFormat, filter *zeugov1.EmployeeFilter) []byte {
	t.Helper()
	b, err := export(c, format, filter)
	if err != nil {
		t.Fatalf("export: %v", err)
	}
	return b
}

func export(c zeugov1connect.EmployeeServiceClient, format zeugov1.ExportFormat, filter *zeugov1.EmployeeFilter) ([]byte, error) {
	stream, err := c.ExportEmployees(ctx(), connect.NewRequest(&zeugov1.ExportEmployeesRequest{Format: format, Filter: filter}))
	if err != nil {
		return nil, err
	}
	defer stream.Close()
	var out []byte
	for stream.Receive() {
		out = append(out, stream.Msg().GetChunk()...)
	}
	return out, stream.Err()
}

func TestExportNeutralisesFormulasAndRoundTripsJSON(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ten := env.CreateTenant("Export GmbH", "admin@export.example")
	admin := signIn(t, env, ten)
	f := person("X1", "Eva", "Evil")
	f.JobTitle = `=HYPERLINK("http://evil.example","klick")`
	f.Tasks = []string{"+1+2", "@SUM(A1)", "-3"}
	create(t, admin, f)
	csv := string(drain(t, admin.Emp, zeugov1.ExportFormat_EXPORT_FORMAT_CSV, nil))
	if !strings.HasPrefix(csv, "\ufeffPersonalnummer;") {
		t.Fatalf("csv head: %q", csv[:min(len(csv), 60)])
	}
	if !strings.Contains(csv, `"'=HYPERLINK(""http://evil.example"",""klick"")"`) || !strings.Contains(csv, "'+1+2 | @SUM(A1) | -3") {
		t.Fatalf("formula not neutralised:\n%s", csv)
	}
	var got []map[string]any
	if err := json.Unmarshal(drain(t, admin.Emp, zeugov1.ExportFormat_EXPORT_FORMAT_JSON, nil), &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0]["jobTitle"] != f.JobTitle || got[0]["personnelNumber"] != "X1" {
		t.Fatalf("json: %v", got)
	}
}
