package postgres

import (
	"testing"

	"github.com/google/uuid"

	"github.com/zeugo/zeugo/backend/internal/access"
)

func TestScopeCondIsOneConditionAndDeniesByDefault(t *testing.T) {
	t.Parallel()
	cols := ScopeColumns{Company: "e.company_id", Location: "e.location_id", Department: "e.department_id",
		OrgUnit: "e.org_unit_id", EmployeeType: "e.employee_type_id", Employee: "e.id"}
	a, b := uuid.New(), uuid.New()
	for name, c := range map[string]struct {
		scope access.Scope
		cols  ScopeColumns
		sql   string
		args  int
	}{
		"administrator":              {access.Scope{All: true, Companies: []uuid.UUID{a}}, cols, "TRUE", 0},
		"nothing granted":            {access.Scope{}, cols, "FALSE", 0},
		"one company":                {access.Scope{Companies: []uuid.UUID{a}}, cols, "e.company_id = ANY(?)", 1},
		"company and location":       {access.Scope{Companies: []uuid.UUID{a, b}, Locations: []uuid.UUID{b}}, cols, "e.company_id = ANY(?) AND e.location_id = ANY(?)", 2},
		"dimension the table lacks":  {access.Scope{OrgUnits: []uuid.UUID{a}}, ScopeColumns{Company: "company_id"}, "FALSE", 0},
		"handover: one employee":     {access.Scope{Employees: []uuid.UUID{a}}, cols, "e.id = ANY(?)", 1},
		"every dimension restricted": {access.Scope{Companies: []uuid.UUID{a}, Locations: []uuid.UUID{a}, Departments: []uuid.UUID{a}, OrgUnits: []uuid.UUID{a}, EmployeeTypes: []uuid.UUID{a}}, cols, "e.company_id = ANY(?) AND e.location_id = ANY(?) AND e.department_id = ANY(?) AND e.org_unit_id = ANY(?) AND e.employee_type_id = ANY(?)", 5},
	} {
		got := ScopeCond(c.scope, c.cols)
		if got.SQL != c.sql || len(got.Args) != c.args {
			t.Errorf("%s: %q with %d args, want %q with %d", name, got.SQL, len(got.Args), c.sql, c.args)
		}
	}
}
