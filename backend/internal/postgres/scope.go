package postgres

import (
	"github.com/google/uuid"

	"github.com/zeugo/zeugo/backend/internal/access"
)

// ScopeColumns name the columns of a table (or join) that the certificate
// access dimensions of SPEC §3.3 compare with; an empty name means the
// table has no such column (then a restriction in that dimension admits no
// row, never every row).
type ScopeColumns struct {
	Company, Location, Department, OrgUnit, EmployeeType, Employee string
}

// ScopeCond is a principal's certificate-access scope as one condition for
// List.Where or a fixed query: every read path of employees and
// certificates includes it, so an out-of-scope id reads as NotFound. An
// unrestricted scope is TRUE; a restricted scope is the AND of its
// restricted dimensions, each "column = ANY(ids)"; a scope that restricts
// nothing admits nothing (deny by default).
func ScopeCond(s access.Scope, cols ScopeColumns) Cond {
	if s.Unrestricted() {
		return Where("TRUE")
	}
	var sql string
	var args []any
	add := func(col string, ids []uuid.UUID) {
		if len(ids) == 0 {
			return
		}
		if sql != "" {
			sql += " AND "
		}
		if col == "" {
			sql += "FALSE"
			return
		}
		sql += col + " = ANY(?)"
		args = append(args, ids)
	}
	add(cols.Company, s.Companies)
	add(cols.Location, s.Locations)
	add(cols.Department, s.Departments)
	add(cols.OrgUnit, s.OrgUnits)
	add(cols.EmployeeType, s.EmployeeTypes)
	add(cols.Employee, s.Employees)
	if sql == "" {
		return Where("FALSE")
	}
	return Where(sql, args...)
}
