package employees

// UpsertEmployees: the HR systems' batch interface (SPEC §4, issue 14
// point 5). A batch of up to 1,000 employees, identified by personnel
// number, is stored all or nothing in one transaction:
//
//   - every problem of every employee comes back at once, by index and
//     field ("employees[3].exit_date"): the proto rules (interceptor),
//     impossible dates, the service's checks (check), a personnel number
//     twice in the batch (on the later one), and the caller's certificate
//     access (below);
//   - the existing employees of the batch are locked (FOR UPDATE, in id
//     order so that two concurrent batches cannot deadlock) and read
//     inside the caller's scope; an employee whose decrypted fields equal
//     the incoming ones is UNCHANGED (no write, no version, no audit
//     event), so sending the same batch twice changes nothing;
//   - the inserts and updates go to the database in one pipelined batch,
//     and one audit event per created or updated employee
//     (employee.upserted, details outcome=created|updated; the actor is
//     the API key or user) is chained in the same transaction
//     (uow.Tx.RecordEach: one head lock, one batch).
//
// Certificate access (a user's restriction, which that user's API keys
// share): a caller may create or update only employees that end up inside
// its scope. A personnel number that belongs to an employee outside the
// scope is refused on employees[i].personnel_number (rule zeugo.scope) —
// it says the number is taken, which a unique personnel number reveals
// anyway, and nothing of that employee; new or changed fields that would
// put an employee outside the scope are refused on the dimension's field
// (employees[i].company_id, …). Any such refusal makes the answer
// PermissionDenied (with all violations of the batch); otherwise problems
// are InvalidArgument.

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/zeugo/zeugo/backend/internal/access"
	"github.com/zeugo/zeugo/backend/internal/apperr"
	"github.com/zeugo/zeugo/backend/internal/keyring"
	"github.com/zeugo/zeugo/backend/internal/postgres"
	"github.com/zeugo/zeugo/backend/internal/uow"
)

// MaxUpsertBatch is the most employees one UpsertEmployees call takes (the
// proto says so too).
const MaxUpsertBatch = 1000

// Outcome is what an upsert did to one employee.
type Outcome int

// Outcomes.
const (
	Created Outcome = iota + 1
	Updated
	Unchanged
)

func (o Outcome) String() string {
	switch o {
	case Created:
		return "created"
	case Updated:
		return "updated"
	}
	return "unchanged"
}

// UpsertResult is the outcome for one employee of a batch.
type UpsertResult struct {
	ID              uuid.UUID
	PersonnelNumber string
	Outcome         Outcome
	Version         int64
}

// Rule ids of the upsert's own violations.
const (
	ruleDuplicate = "zeugo.unique_in_batch"
	ruleScope     = "zeugo.scope"
)

// Upsert creates or updates the employees of a batch by personnel number,
// all or nothing (see the top of this file). badDates are the fields of
// each index whose dates have the right shape but do not exist (from
// FieldsFromProto); they are reported with everything else. The results
// are in the order of all.
func (s *Service) Upsert(ctx context.Context, all []Fields, badDates map[int][]string) ([]UpsertResult, error) {
	if len(all) == 0 || len(all) > MaxUpsertBatch {
		return nil, apperr.Field(apperr.InvalidArgument, "employees", "repeated.max_items",
			fmt.Sprintf("send 1 to %d employees per call", MaxUpsertBatch))
	}
	for i := range all {
		normalize(&all[i])
	}
	var results []UpsertResult
	err := s.work.Write(ctx, func(tx *uow.Tx) error {
		var err error
		results, err = s.upsert(ctx, tx, all, badDates)
		return err
	})
	if err != nil {
		return nil, err
	}
	return results, nil
}

func path(i int, field string) string { return fmt.Sprintf("employees[%d].%s", i, field) }

func (s *Service) upsert(ctx context.Context, tx *uow.Tx, all []Fields, badDates map[int][]string) ([]UpsertResult, error) {
	var v []apperr.FieldViolation
	for i := range all {
		for _, f := range badDates[i] {
			v = append(v, dateViolation(path(i, f)))
		}
	}
	// A personnel number twice in the batch: the later one is wrong.
	indexes := make([][]byte, len(all))
	first := make(map[string]int, len(all))
	for i, f := range all {
		indexes[i] = personnelIndex(s.index, tx.P.TenantID, f.PersonnelNumber)
		if j, dup := first[string(indexes[i])]; dup {
			v = append(v, apperr.FieldViolation{Field: path(i, "personnel_number"), RuleID: ruleDuplicate,
				Message: fmt.Sprintf("the personnel number is already in this batch (employees[%d])", j)})
			continue
		}
		first[string(indexes[i])] = i
	}
	if err := s.check(ctx, tx, "employees[%d].", all); err != nil {
		var ae *apperr.Error
		if !errors.As(err, &ae) || ae.Code != apperr.InvalidArgument {
			return nil, err
		}
		v = append(v, ae.Violations...)
	}
	c, err := tx.Cipher()
	if err != nil {
		return nil, err
	}
	existing, outside, err := s.lockExisting(ctx, tx, c, indexes)
	if err != nil {
		return nil, err
	}
	results := make([]UpsertResult, len(all))
	scopeRefused := false
	for i, f := range all {
		if outside[string(indexes[i])] {
			scopeRefused = true
			v = append(v, apperr.FieldViolation{Field: path(i, "personnel_number"), RuleID: ruleScope,
				Message: "this personnel number belongs to an employee outside your certificate access"})
			continue
		}
		r := UpsertResult{PersonnelNumber: f.PersonnelNumber, Outcome: Created, Version: 1}
		if e := existing[string(indexes[i])]; e != nil {
			r.ID, r.Version = e.ID, e.Version
			if sameFields(&e.Fields, &f) {
				r.Outcome = Unchanged
			} else {
				r.Outcome, r.Version = Updated, e.Version+1
			}
		}
		if r.Outcome != Unchanged {
			for _, field := range outsideScope(tx.P.Scope, r.ID, &f) {
				scopeRefused = true
				v = append(v, apperr.FieldViolation{Field: path(i, field), RuleID: ruleScope,
					Message: "this would put the employee outside your certificate access"})
			}
		}
		results[i] = r
	}
	if len(v) > 0 {
		code := apperr.InvalidArgument
		if scopeRefused {
			code = apperr.PermissionDenied
		}
		return nil, &apperr.Error{Code: code, Message: v[0].Message, Violations: v}
	}
	return results, s.writeBatch(ctx, tx, c, all, results)
}

// lockExisting locks the employees with these personnel-number indexes
// and reads those in the caller's scope (the scope is in the SQL; their
// rows stay locked by the first statement). It returns the readable ones
// by index, and the indexes of the ones outside the scope.
func (s *Service) lockExisting(ctx context.Context, tx *uow.Tx, c *keyring.TenantCipher, indexes [][]byte) (map[string]*Employee, map[string]bool, error) {
	rows, err := tx.Query(ctx, `SELECT id, personnel_number_index FROM employees
		WHERE tenant_id = $1 AND personnel_number_index = ANY($2::bytea[]) ORDER BY id FOR UPDATE`, tx.P.TenantID, indexes)
	if err != nil {
		return nil, nil, err
	}
	type locked struct {
		id    uuid.UUID
		index []byte
	}
	all, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (locked, error) {
		var l locked
		return l, r.Scan(&l.id, &l.index)
	})
	if err != nil || len(all) == 0 {
		return nil, nil, err
	}
	ids := make([]uuid.UUID, len(all))
	for i, l := range all {
		ids[i] = l.id
	}
	sql, args := postgres.And("SELECT "+employeeColumns+" FROM employees WHERE tenant_id = $1 AND id = ANY($2)",
		[]any{tx.P.TenantID, ids}, scope(tx.P))
	rows, err = tx.Query(ctx, sql, args...)
	if err != nil {
		return nil, nil, err
	}
	read, err := pgx.CollectRows(rows, scanRow)
	if err != nil {
		return nil, nil, err
	}
	byID := make(map[uuid.UUID]*Employee, len(read))
	for i := range read {
		e, err := read[i].employee(ctx, c)
		if err != nil {
			return nil, nil, err
		}
		byID[e.ID] = e
	}
	existing := make(map[string]*Employee, len(read))
	outside := map[string]bool{}
	for _, l := range all {
		if e := byID[l.id]; e != nil {
			existing[string(l.index)] = e
		} else {
			outside[string(l.index)] = true
		}
	}
	return existing, outside, nil
}

// outsideScope names the fields that put an employee (id, uuid.Nil when
// new) with fields f outside scope s; none when it is inside. It decides
// as postgres.ScopeCond does in SQL: every dimension that lists ids must
// match, and a restricted scope without ids admits nothing.
func outsideScope(s access.Scope, id uuid.UUID, f *Fields) []string {
	if s.Unrestricted() {
		return nil
	}
	var out []string
	restricted := false
	for _, d := range []struct {
		ids   []uuid.UUID
		v     uuid.UUID
		field string
	}{{s.Companies, f.CompanyID, "company_id"}, {s.Locations, f.LocationID, "location_id"},
		{s.Departments, f.DepartmentID, "department_id"}, {s.OrgUnits, f.OrgUnitID, "org_unit_id"},
		{s.EmployeeTypes, f.EmployeeTypeID, "employee_type_id"}, {s.Employees, id, "personnel_number"}} {
		if len(d.ids) == 0 {
			continue
		}
		restricted = true
		if !slices.Contains(d.ids, d.v) {
			out = append(out, d.field)
		}
	}
	if !restricted {
		return []string{"personnel_number"}
	}
	return out
}

// sameFields reports whether stored and incoming fields (both normalised)
// are equal; an empty list equals a missing one.
func sameFields(a, b *Fields) bool {
	if a.Salutation != b.Salutation || a.FirstName != b.FirstName || a.LastName != b.LastName || a.Title != b.Title ||
		!a.BirthDate.Equal(b.BirthDate) || a.Birthplace != b.Birthplace || a.Street != b.Street ||
		a.Postcode != b.Postcode || a.City != b.City || a.Email != b.Email || a.PersonnelNumber != b.PersonnelNumber ||
		a.CompanyID != b.CompanyID || a.LocationID != b.LocationID || a.DepartmentID != b.DepartmentID ||
		a.OrgUnitID != b.OrgUnitID || a.EmployeeTypeID != b.EmployeeTypeID || !a.EntryDate.Equal(b.EntryDate) ||
		!a.ExitDate.Equal(b.ExitDate) || a.ExitReason != b.ExitReason || a.JobTitle != b.JobTitle {
		return false
	}
	return slices.Equal(a.Tasks, b.Tasks) &&
		slices.EqualFunc(a.Interruptions, b.Interruptions, func(x, y Interruption) bool {
			return x.From.Equal(y.From) && x.To.Equal(y.To) && x.Reason == y.Reason && x.Note == y.Note
		}) &&
		slices.EqualFunc(a.Authorities, b.Authorities, func(x, y Authority) bool {
			return x.Kind == y.Kind && x.Name == y.Name && x.Since.Equal(y.Since)
		})
}

// The statements of a batch (as InsertEmployee and UpdateEmployee in
// queries/employees.sql, which sqlc cannot queue into a pgx.Batch).
const (
	batchInsert = `INSERT INTO employees (id, tenant_id, personnel_number_index, personnel_number_enc, salutation_enc,
    first_name_enc, last_name_enc, title_enc, birth_date_enc, birthplace_enc, street_enc, postcode_enc, city_enc,
    email_enc, job_title_enc, exit_reason_enc, tasks_enc, interruptions_enc, authorities_enc, name_tokens, company_id,
    location_id, department_id, org_unit_id, employee_type_id, entry_date, exit_date, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23,
    $24, $25, $26, $27, $28, $28)`
	batchUpdate = `UPDATE employees SET personnel_number_enc = $4, salutation_enc = $5, first_name_enc = $6,
    last_name_enc = $7, title_enc = $8, birth_date_enc = $9, birthplace_enc = $10, street_enc = $11,
    postcode_enc = $12, city_enc = $13, email_enc = $14, job_title_enc = $15, exit_reason_enc = $16, tasks_enc = $17,
    interruptions_enc = $18, authorities_enc = $19, name_tokens = $20, company_id = $21, location_id = $22,
    department_id = $23, org_unit_id = $24, employee_type_id = $25, entry_date = $26, exit_date = $27,
    version = version + 1, updated_at = $28
WHERE tenant_id = $2 AND id = $1 AND personnel_number_index = $3 AND version = $29`
)

// writeBatch inserts the created and updates the changed employees of
// results in one pipelined round trip and records one audit event each,
// chained in this transaction (uow.Tx.RecordEach); it fills in the ids of
// the created ones.
func (s *Service) writeBatch(ctx context.Context, tx *uow.Tx, c *keyring.TenantCipher, all []Fields, results []UpsertResult) error {
	now := s.work.Now()
	tenant := pgUUID(tx.P.TenantID) // pgtype.UUID: uuid.UUID goes through driver.Valuer, as text
	b := &pgx.Batch{}
	var kinds []Outcome // of the statements, in order
	targets := map[Outcome][]uow.Target{}
	for i := range results {
		r := &results[i]
		if r.Outcome == Unchanged {
			continue
		}
		version := r.Version - 1
		if r.Outcome == Created {
			r.ID = uuid.Must(uuid.NewV7())
		}
		f := &all[i]
		e := s.seal(c, tx.P.TenantID, r.ID, *f)
		args := []any{pgUUID(r.ID), tenant, e.pnIndex, e.pn, e.salutation, e.first, e.last, e.title, e.birthDate,
			e.birthplace, e.street, e.postcode, e.city, e.email, e.jobTitle, e.exitReason, e.tasks, e.interruptions,
			e.authorities, e.tokens, pgUUID(f.CompanyID), pgUUID(f.LocationID), pgUUID(f.DepartmentID),
			pgUUID(f.OrgUnitID), pgUUID(f.EmployeeTypeID), pgDate(f.EntryDate), pgDate(f.ExitDate), now}
		if r.Outcome == Created {
			b.Queue(batchInsert, args...)
		} else {
			b.Queue(batchUpdate, append(args, version)...)
		}
		kinds = append(kinds, r.Outcome)
		targets[r.Outcome] = append(targets[r.Outcome], target(r.ID))
	}
	if len(kinds) == 0 {
		return nil
	}
	br := tx.SendBatch(ctx, b)
	for _, k := range kinds {
		tag, err := br.Exec()
		if err != nil {
			_ = br.Close()
			if _, ok := postgres.UniqueViolation(err); ok {
				// Another request created one of these personnel numbers
				// since this one looked; the batch is idempotent, so sending
				// it again is safe.
				return apperr.ErrConcurrentChange
			}
			return err
		}
		if k == Updated && tag.RowsAffected() != 1 {
			_ = br.Close()
			return apperr.ErrConcurrentChange // cannot happen under the row lock; never write half
		}
	}
	if err := br.Close(); err != nil {
		return err
	}
	for _, o := range []Outcome{Created, Updated} {
		if len(targets[o]) == 0 {
			continue
		}
		if err := tx.RecordEach(ActionUpserted, targets[o], map[string]string{"outcome": o.String()}); err != nil {
			return err
		}
	}
	return nil
}
