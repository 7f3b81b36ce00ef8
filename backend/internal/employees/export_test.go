package employees

// Internals the benchmarks of package employees_test use for their
// baselines (compiled into tests only).

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/zeugo/zeugo/backend/internal/keyring"
)

// EmployeeColumns is the select list ScanEmployee reads.
const EmployeeColumns = employeeColumns

// ScanEmployee scans and decrypts one row of EmployeeColumns as the
// service's reads do.
func ScanEmployee(ctx context.Context, c *keyring.TenantCipher, r pgx.CollectableRow) (*Employee, error) {
	x, err := scanRow(r)
	if err != nil {
		return nil, err
	}
	return x.employee(ctx, c)
}

// CopyColumns are the columns of CopyRows, for pgx.CopyFrom.
var CopyColumns = []string{"id", "tenant_id", "personnel_number_index", "personnel_number_enc", "salutation_enc",
	"first_name_enc", "last_name_enc", "title_enc", "birth_date_enc", "birthplace_enc", "street_enc", "postcode_enc",
	"city_enc", "email_enc", "job_title_enc", "exit_reason_enc", "tasks_enc", "interruptions_enc", "authorities_enc",
	"name_tokens", "company_id", "location_id", "department_id", "org_unit_id", "employee_type_id", "entry_date",
	"exit_date", "created_at", "updated_at"}

// CopyRows seals employees of tenantID as the service stores them
// (normalised, encrypted per field, blind indexes), as rows of
// CopyColumns.
func CopyRows(index *keyring.IndexKey, c *keyring.TenantCipher, tenantID uuid.UUID, all []Fields, now time.Time) [][]any {
	s := &Service{index: index}
	rows := make([][]any, len(all))
	for i := range all {
		f := all[i]
		normalize(&f)
		id := uuid.Must(uuid.NewV7())
		e := s.seal(c, tenantID, id, f)
		rows[i] = []any{id, tenantID, e.pnIndex, e.pn, e.salutation, e.first, e.last, e.title, e.birthDate,
			e.birthplace, e.street, e.postcode, e.city, e.email, e.jobTitle, e.exitReason, e.tasks, e.interruptions,
			e.authorities, e.tokens, pgUUID(f.CompanyID), pgUUID(f.LocationID), pgUUID(f.DepartmentID),
			pgUUID(f.OrgUnitID), pgUUID(f.EmployeeTypeID), pgDate(f.EntryDate), pgDate(f.ExitDate), now, now}
	}
	return rows
}

// SearchArgs are the blind-index arguments of a search for q.
func SearchArgs(index *keyring.IndexKey, tenantID uuid.UUID, q string) ([]byte, []int64) {
	return personnelIndex(index, tenantID, q), queryTokens(index, tenantID, q)
}
