package employees_test

import (
	"encoding/json"
	"slices"
	"sort"
	"strconv"
	"testing"

	"connectrpc.com/connect"

	"github.com/zeugo/zeugo/backend/internal/apptest"
	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
)

// TestCertificateAccessScopeOnEveryReadPath: a restricted user sees an
// employee only when it matches every restricted dimension, and the rule
// holds on every read path — get, list, list filters, search by name and
// by personnel number, export — and for writes by id: out of scope is
// NotFound or absent, every time (SPEC §3.3).
func TestCertificateAccessScopeOnEveryReadPath(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ten := env.CreateTenant("Bereich GmbH", "admin@bereich.example")
	admin := signIn(t, env, ten)
	o := apptest.MakeOrg(t, admin.Org)

	// Employees by their structure: (company, location, department, org unit, type) index, -1 unset.
	staff := map[string][5]int{
		"E00000": {0, 0, 0, 0, 0},
		"E01000": {0, 1, 0, 0, 0},
		"E10000": {1, 0, 0, 0, 0},
		"E00011": {0, 0, 0, 1, 1},
		"E11111": {1, 1, 1, 1, 1},
		"ENONE":  {-1, -1, -1, -1, -1},
	}
	ids := map[string]string{}
	pick := func(list [2]string, i int) string {
		if i < 0 {
			return ""
		}
		return list[i]
	}
	for pn, d := range staff {
		f := person(pn, "Vera", "Sicht"+pn)
		f.CompanyId, f.LocationId, f.DepartmentId = pick(o.Companies, d[0]), pick(o.Locations, d[1]), pick(o.Departments, d[2])
		f.OrgUnitId, f.EmployeeTypeId = pick(o.OrgUnits, d[3]), pick(o.Types, d[4])
		ids[pn] = create(t, admin, f).GetId()
	}
	all := func() []string {
		var out []string
		for pn := range staff {
			out = append(out, pn)
		}
		return out
	}
	cases := []struct {
		name    string
		r       apptest.Restriction
		visible []string
	}{
		{"everything", apptest.Restriction{All: true}, all()},
		{"company A", apptest.Restriction{Companies: []string{o.Companies[0]}}, []string{"E00000", "E01000", "E00011"}},
		{"company A and location A", apptest.Restriction{Companies: []string{o.Companies[0]}, Locations: []string{o.Locations[0]}},
			[]string{"E00000", "E00011"}},
		{"either location", apptest.Restriction{Locations: []string{o.Locations[0], o.Locations[1]}},
			[]string{"E00000", "E01000", "E10000", "E00011", "E11111"}},
		{"department B", apptest.Restriction{Departments: []string{o.Departments[1]}}, []string{"E11111"}},
		{"org unit B and type B", apptest.Restriction{OrgUnits: []string{o.OrgUnits[1]}, Types: []string{o.Types[1]}},
			[]string{"E00011", "E11111"}},
		{"type A of company B", apptest.Restriction{Companies: []string{o.Companies[1]}, Types: []string{o.Types[0]}},
			[]string{"E10000"}},
		{"restricted to nothing", apptest.Restriction{}, nil},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := addUser(t, env, ten, "bereich"+strconv.Itoa(i)+"@bereich.example", []string{"employees"}, tc.r)
			want := append([]string{}, tc.visible...)
			sort.Strings(want)

			// get, and writes by id
			for pn, id := range ids {
				_, err := c.Emp.GetEmployee(ctx(), connect.NewRequest(&zeugov1.GetEmployeeRequest{Id: id}))
				if slices.Contains(want, pn) {
					apptest.WantCode(t, err, 0, "get "+pn)
					continue
				}
				apptest.WantCode(t, err, connect.CodeNotFound, "get "+pn)
				_, err = c.Emp.UpdateEmployee(ctx(), connect.NewRequest(&zeugov1.UpdateEmployeeRequest{Id: id, Version: 1,
					Fields: person(pn, "X", "Y")}))
				apptest.WantCode(t, err, connect.CodeNotFound, "update "+pn)
				_, err = c.Emp.DeleteEmployee(ctx(), connect.NewRequest(&zeugov1.DeleteEmployeeRequest{Id: id}))
				apptest.WantCode(t, err, connect.CodeNotFound, "delete "+pn)
			}

			// list, with and without filters, and its total
			list := func(f *zeugov1.EmployeeFilter) []string {
				t.Helper()
				res, err := c.Emp.ListEmployees(ctx(), connect.NewRequest(&zeugov1.ListEmployeesRequest{Filter: f}))
				if err != nil {
					t.Fatal(err)
				}
				out := pns(res.Msg.GetEmployees())
				if int64(len(out)) != res.Msg.GetPage().GetTotalSize() {
					t.Errorf("total %d for %d rows", res.Msg.GetPage().GetTotalSize(), len(out))
				}
				return out
			}
			if got := list(nil); !slices.Equal(got, want) {
				t.Errorf("list: got %v, want %v", got, want)
			}
			for _, cid := range o.Companies {
				got := list(&zeugov1.EmployeeFilter{CompanyId: cid})
				for _, pn := range got {
					if !slices.Contains(want, pn) {
						t.Errorf("list filtered by company shows %s", pn)
					}
				}
			}
			// search by personnel number and by name
			for pn := range ids {
				for _, q := range []string{pn, "sicht" + pn} {
					got := list(&zeugov1.EmployeeFilter{Query: q})
					if slices.Contains(want, pn) != slices.Contains(got, pn) || len(got) > 1 {
						t.Errorf("search %q: got %v (visible: %v)", q, got, slices.Contains(want, pn))
					}
				}
			}
			// export, both formats
			var rows []map[string]any
			if err := json.Unmarshal(drain(t, c.Emp, zeugov1.ExportFormat_EXPORT_FORMAT_JSON, nil), &rows); err != nil {
				t.Fatal(err)
			}
			var exported []string
			for _, r := range rows {
				exported = append(exported, r["personnelNumber"].(string))
			}
			sort.Strings(exported)
			if !slices.Equal(exported, want) {
				t.Errorf("export: got %v, want %v", exported, want)
			}
		})
	}
}

func pns(es []*zeugov1.Employee) []string {
	out := []string{}
	for _, e := range es {
		out = append(out, e.GetFields().GetPersonnelNumber())
	}
	sort.Strings(out)
	return out
}

// TestRestrictedUsersCannotFileEmployeesOutsideTheirScope: creating or
// moving an employee where the user could not see them afterwards is
// PermissionDenied on the field, and changes nothing.
func TestRestrictedUsersCannotFileEmployeesOutsideTheirScope(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ten := env.CreateTenant("Grenze GmbH", "admin@grenze.example")
	o := apptest.MakeOrg(t, signIn(t, env, ten).Org)
	c := addUser(t, env, ten, "nur-a@grenze.example", []string{"employees"}, apptest.Restriction{Companies: []string{o.Companies[0]}})
	f := person("G1", "Gerd", "Grenz")
	f.CompanyId = o.Companies[1]
	_, err := c.Emp.CreateEmployee(ctx(), connect.NewRequest(&zeugov1.CreateEmployeeRequest{Fields: f}))
	apptest.WantCode(t, err, connect.CodePermissionDenied, "create outside the scope")
	if _, ok := apptest.Violations(t, err)["fields.company_id"]; !ok {
		t.Errorf("no violation on fields.company_id: %v", apptest.Violations(t, err))
	}
	f.CompanyId = ""
	_, err = c.Emp.CreateEmployee(ctx(), connect.NewRequest(&zeugov1.CreateEmployeeRequest{Fields: f}))
	apptest.WantCode(t, err, connect.CodePermissionDenied, "create without a company")
	f.CompanyId = o.Companies[0]
	e := create(t, c, f)
	f.CompanyId = o.Companies[1]
	_, err = c.Emp.UpdateEmployee(ctx(), connect.NewRequest(&zeugov1.UpdateEmployeeRequest{Id: e.GetId(), Version: e.GetVersion(), Fields: f}))
	apptest.WantCode(t, err, connect.CodePermissionDenied, "move outside the scope")
	got, err := c.Emp.GetEmployee(ctx(), connect.NewRequest(&zeugov1.GetEmployeeRequest{Id: e.GetId()}))
	if err != nil || got.Msg.GetEmployee().GetFields().GetCompanyId() != o.Companies[0] || got.Msg.GetEmployee().GetVersion() != e.GetVersion() {
		t.Fatalf("the refused move changed the employee: %v %v", err, got)
	}
}
