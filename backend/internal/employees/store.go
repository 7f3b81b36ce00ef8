package employees

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/zeugo/zeugo/backend/internal/access"
	"github.com/zeugo/zeugo/backend/internal/apperr"
	"github.com/zeugo/zeugo/backend/internal/employees/dbsqlc"
	"github.com/zeugo/zeugo/backend/internal/keyring"
	"github.com/zeugo/zeugo/backend/internal/paging"
	"github.com/zeugo/zeugo/backend/internal/postgres"
	"github.com/zeugo/zeugo/backend/internal/uow"
)

// Associated-data names of the encrypted columns.
const (
	colPersonnelNumber = "employees.personnel_number"
	colSalutation      = "employees.salutation"
	colFirstName       = "employees.first_name"
	colLastName        = "employees.last_name"
	colTitle           = "employees.title"
	colBirthDate       = "employees.birth_date"
	colBirthplace      = "employees.birthplace"
	colStreet          = "employees.street"
	colPostcode        = "employees.postcode"
	colCity            = "employees.city"
	colEmail           = "employees.email"
	colJobTitle        = "employees.job_title"
	colExitReason      = "employees.exit_reason"
	colTasks           = "employees.tasks"
	colInterruptions   = "employees.interruptions"
	colAuthorities     = "employees.authorities"
	colHoldReason      = "employees.legal_hold_reason"
)

// Unit kinds of org_units (package organization).
const (
	kindLocation     = "location"
	kindDepartment   = "department"
	kindOrgUnit      = "org_unit"
	kindEmployeeType = "employee_type"
)

// scopeColumns are the employees columns a certificate-access scope
// compares.
var scopeColumns = postgres.ScopeColumns{Company: "company_id", Location: "location_id", Department: "department_id",
	OrgUnit: "org_unit_id", EmployeeType: "employee_type_id", Employee: "id"}

func scope(p *access.Principal) postgres.Cond { return postgres.ScopeCond(p.Scope, scopeColumns) }

func normalize(f *Fields) {
	for _, v := range []*string{&f.FirstName, &f.LastName, &f.Title, &f.Birthplace, &f.Street, &f.Postcode, &f.City,
		&f.Email, &f.PersonnelNumber, &f.JobTitle} {
		*v = strings.TrimSpace(*v)
	}
	tasks := f.Tasks[:0:0]
	for _, t := range f.Tasks {
		if t = strings.TrimSpace(t); t != "" {
			tasks = append(tasks, t)
		}
	}
	f.Tasks = tasks
	for i := range f.Interruptions {
		f.Interruptions[i].Note = strings.TrimSpace(f.Interruptions[i].Note)
	}
	for i := range f.Authorities {
		f.Authorities[i].Name = strings.TrimSpace(f.Authorities[i].Name)
	}
}

// ParseDate reads "YYYY-MM-DD" ("" is the zero time).
func ParseDate(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	return time.Parse(time.DateOnly, s)
}

// FormatDate writes "YYYY-MM-DD" ("" for the zero time).
func FormatDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

// check refuses what the proto rules cannot see, on the field (prefix is
// the path of the fields message, "fields." or "employees[3]."): an exit
// before the entry, an interruption that ends before it starts, an
// "other" authority without a name, and organisation ids that do not
// exist in the tenant or name a unit of another kind. All violations of
// all employees come back in one error.
func (s *Service) check(ctx context.Context, tx *uow.Tx, prefix string, all []Fields) error {
	var v []apperr.FieldViolation
	add := func(i int, field, rule, msg string) {
		p := prefix
		if strings.Contains(prefix, "%d") {
			p = fmt.Sprintf(prefix, i)
		}
		v = append(v, apperr.FieldViolation{Field: p + field, RuleID: rule, Message: msg})
	}
	var companies, units []uuid.UUID
	for i, f := range all {
		if !f.EntryDate.IsZero() && !f.ExitDate.IsZero() && f.ExitDate.Before(f.EntryDate) {
			add(i, "exit_date", "zeugo.after_entry", "the exit date must not be before the entry date")
		}
		for j, in := range f.Interruptions {
			if !in.To.IsZero() && in.To.Before(in.From) {
				add(i, fmt.Sprintf("interruptions[%d].to_date", j), "zeugo.after_start", "the end must not be before the start")
			}
		}
		for j, a := range f.Authorities {
			if a.Kind == "other" && a.Name == "" {
				add(i, fmt.Sprintf("authorities[%d].name", j), "required", "name the authority")
			}
		}
		companies, units = f.orgIDs(companies, units)
	}
	org, err := s.orgNames(ctx, tx, tx.P.TenantID, companies, units)
	if err != nil {
		return err
	}
	for i, f := range all {
		for _, d := range []struct {
			id          uuid.UUID
			kind, field string
		}{{f.CompanyID, "company", "company_id"}, {f.LocationID, kindLocation, "location_id"},
			{f.DepartmentID, kindDepartment, "department_id"}, {f.OrgUnitID, kindOrgUnit, "org_unit_id"},
			{f.EmployeeTypeID, kindEmployeeType, "employee_type_id"}} {
			if d.id != uuid.Nil && org.kinds[d.id] != d.kind {
				add(i, d.field, "zeugo.exists", "no such "+strings.ReplaceAll(d.kind, "_", " "))
			}
		}
	}
	if len(v) == 0 {
		return nil
	}
	return &apperr.Error{Code: apperr.InvalidArgument, Message: v[0].Message, Violations: v}
}

// orgIDs appends the company and the unit ids filed in f to companies
// and units.
func (f *Fields) orgIDs(companies, units []uuid.UUID) ([]uuid.UUID, []uuid.UUID) {
	if f.CompanyID != uuid.Nil {
		companies = append(companies, f.CompanyID)
	}
	for _, id := range []uuid.UUID{f.LocationID, f.DepartmentID, f.OrgUnitID, f.EmployeeTypeID} {
		if id != uuid.Nil {
			units = append(units, id)
		}
	}
	return companies, units
}

// orgIndex is the names and kinds ("company" or a unit kind) of
// organisation rows by id.
type orgIndex struct {
	names map[uuid.UUID]string
	kinds map[uuid.UUID]string
}

func (s *Service) orgNames(ctx context.Context, db postgres.DBTX, tenantID uuid.UUID, companies, units []uuid.UUID) (orgIndex, error) {
	o := orgIndex{names: map[uuid.UUID]string{}, kinds: map[uuid.UUID]string{}}
	if len(companies) > 0 {
		rows, err := s.q.ExistingCompanies(ctx, db, dbsqlc.ExistingCompaniesParams{TenantID: tenantID, Ids: companies})
		if err != nil {
			return o, err
		}
		for _, r := range rows {
			o.names[r.ID], o.kinds[r.ID] = r.Name, "company"
		}
	}
	if len(units) > 0 {
		rows, err := s.q.ExistingUnits(ctx, db, dbsqlc.ExistingUnitsParams{TenantID: tenantID, Ids: units})
		if err != nil {
			return o, err
		}
		for _, r := range rows {
			o.names[r.ID], o.kinds[r.ID] = r.Name, r.Kind
		}
	}
	return o, nil
}

// sealed is an employee's fields as stored.
type sealed struct {
	pnIndex, pn, salutation, first, last, title, birthDate, birthplace []byte
	street, postcode, city, email, jobTitle, exitReason                []byte
	tasks, interruptions, authorities                                  []byte
	tokens                                                             []int64
}

type interruptionJSON struct {
	From   string `json:"from"`
	To     string `json:"to,omitempty"`
	Reason string `json:"reason,omitempty"`
	Note   string `json:"note,omitempty"`
}

type authorityJSON struct {
	Kind  string `json:"kind"`
	Name  string `json:"name,omitempty"`
	Since string `json:"since,omitempty"`
}

func optional(c *keyring.TenantCipher, id uuid.UUID, column, v string) []byte {
	if v == "" {
		return nil
	}
	return c.SealString(id, column, v)
}

func sealJSON(c *keyring.TenantCipher, id uuid.UUID, column string, n int, v any) []byte {
	if n == 0 {
		return nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // plain structs of strings
	}
	return c.Seal(id, column, b)
}

// interruptionsJSON is the stored (and exported) form of interruptions.
func interruptionsJSON(in []Interruption) []interruptionJSON {
	out := make([]interruptionJSON, len(in))
	for i, x := range in {
		out[i] = interruptionJSON{From: FormatDate(x.From), To: FormatDate(x.To), Reason: x.Reason, Note: x.Note}
	}
	return out
}

// authoritiesJSON is the stored (and exported) form of authorities.
func authoritiesJSON(in []Authority) []authorityJSON {
	out := make([]authorityJSON, len(in))
	for i, a := range in {
		out[i] = authorityJSON{Kind: a.Kind, Name: a.Name, Since: FormatDate(a.Since)}
	}
	return out
}

func (s *Service) seal(c *keyring.TenantCipher, tenantID, id uuid.UUID, f Fields) sealed {
	return sealed{
		pnIndex: personnelIndex(s.index, tenantID, f.PersonnelNumber), pn: c.SealString(id, colPersonnelNumber, f.PersonnelNumber),
		salutation: optional(c, id, colSalutation, f.Salutation), first: c.SealString(id, colFirstName, f.FirstName),
		last: c.SealString(id, colLastName, f.LastName), title: optional(c, id, colTitle, f.Title),
		birthDate: optional(c, id, colBirthDate, FormatDate(f.BirthDate)), birthplace: optional(c, id, colBirthplace, f.Birthplace),
		street: optional(c, id, colStreet, f.Street), postcode: optional(c, id, colPostcode, f.Postcode),
		city: optional(c, id, colCity, f.City), email: optional(c, id, colEmail, f.Email),
		jobTitle: optional(c, id, colJobTitle, f.JobTitle), exitReason: optional(c, id, colExitReason, f.ExitReason),
		tasks:         sealJSON(c, id, colTasks, len(f.Tasks), f.Tasks),
		interruptions: sealJSON(c, id, colInterruptions, len(f.Interruptions), interruptionsJSON(f.Interruptions)),
		authorities:   sealJSON(c, id, colAuthorities, len(f.Authorities), authoritiesJSON(f.Authorities)),
		tokens:        nameTokens(s.index, tenantID, f.FirstName, f.LastName),
	}
}

func pgUUID(id uuid.UUID) pgtype.UUID { return pgtype.UUID{Bytes: id, Valid: id != uuid.Nil} }

func pgDate(t time.Time) pgtype.Date { return pgtype.Date{Time: t, Valid: !t.IsZero()} }

func (s *Service) insert(ctx context.Context, tx *uow.Tx, id uuid.UUID, f Fields, now time.Time) error {
	c, err := tx.Cipher()
	if err != nil {
		return err
	}
	return postgres.UniqueField(s.q.InsertEmployee(ctx, tx, s.insertParams(c, tx.P.TenantID, id, f, now)),
		"fields.personnel_number", "employees_personnel_number_key")
}

func (s *Service) insertParams(c *keyring.TenantCipher, tenantID, id uuid.UUID, f Fields, now time.Time) dbsqlc.InsertEmployeeParams {
	e := s.seal(c, tenantID, id, f)
	return dbsqlc.InsertEmployeeParams{ID: id, TenantID: tenantID, PersonnelNumberIndex: e.pnIndex, PersonnelNumberEnc: e.pn,
		SalutationEnc: e.salutation, FirstNameEnc: e.first, LastNameEnc: e.last, TitleEnc: e.title,
		BirthDateEnc: e.birthDate, BirthplaceEnc: e.birthplace, StreetEnc: e.street, PostcodeEnc: e.postcode,
		CityEnc: e.city, EmailEnc: e.email, JobTitleEnc: e.jobTitle, ExitReasonEnc: e.exitReason, TasksEnc: e.tasks,
		InterruptionsEnc: e.interruptions, AuthoritiesEnc: e.authorities, NameTokens: e.tokens,
		CompanyID: pgUUID(f.CompanyID), LocationID: pgUUID(f.LocationID), DepartmentID: pgUUID(f.DepartmentID),
		OrgUnitID: pgUUID(f.OrgUnitID), EmployeeTypeID: pgUUID(f.EmployeeTypeID), EntryDate: pgDate(f.EntryDate),
		ExitDate: pgDate(f.ExitDate), Now: now}
}

func (s *Service) update(ctx context.Context, tx *uow.Tx, id uuid.UUID, version int64, f Fields, now time.Time) error {
	c, err := tx.Cipher()
	if err != nil {
		return err
	}
	e := s.seal(c, tx.P.TenantID, id, f)
	n, err := s.q.UpdateEmployee(ctx, tx, dbsqlc.UpdateEmployeeParams{TenantID: tx.P.TenantID, ID: id, Version: version,
		PersonnelNumberIndex: e.pnIndex, PersonnelNumberEnc: e.pn, SalutationEnc: e.salutation, FirstNameEnc: e.first,
		LastNameEnc: e.last, TitleEnc: e.title, BirthDateEnc: e.birthDate, BirthplaceEnc: e.birthplace,
		StreetEnc: e.street, PostcodeEnc: e.postcode, CityEnc: e.city, EmailEnc: e.email, JobTitleEnc: e.jobTitle,
		ExitReasonEnc: e.exitReason, TasksEnc: e.tasks, InterruptionsEnc: e.interruptions,
		AuthoritiesEnc: e.authorities, NameTokens: e.tokens, CompanyID: pgUUID(f.CompanyID),
		LocationID: pgUUID(f.LocationID), DepartmentID: pgUUID(f.DepartmentID), OrgUnitID: pgUUID(f.OrgUnitID),
		EmployeeTypeID: pgUUID(f.EmployeeTypeID), EntryDate: pgDate(f.EntryDate), ExitDate: pgDate(f.ExitDate), Now: now})
	if err = postgres.UniqueField(err, "fields.personnel_number", "employees_personnel_number_key"); err != nil {
		return err
	}
	if n == 0 {
		return apperr.ErrConcurrentChange // lockVersion held the row: only the version can differ
	}
	return nil
}

// lock locks an employee in the caller's scope for this write and returns
// its version; NotFound when it is missing or out of scope.
func (s *Service) lock(ctx context.Context, tx *uow.Tx, id uuid.UUID) (int64, error) {
	sql, args := postgres.And("SELECT version FROM employees WHERE tenant_id = $1 AND id = $2", []any{tx.P.TenantID, id},
		scope(tx.P))
	var v int64
	if err := tx.QueryRow(ctx, sql+" FOR UPDATE", args...).Scan(&v); err != nil {
		return 0, postgres.NotFoundOr(err)
	}
	return v, nil
}

// lockVersion is lock that also wants version to be current.
func (s *Service) lockVersion(ctx context.Context, tx *uow.Tx, id uuid.UUID, version int64) error {
	v, err := s.lock(ctx, tx, id)
	if err != nil {
		return err
	}
	if v != version {
		return apperr.ErrConcurrentChange
	}
	return nil
}

// Reference is something that keeps an employee from being deleted.
type Reference struct {
	Kind  string // certificate_subject, certificate_signatory
	Count int64
}

// removable locks an employee in scope and refuses when a legal hold
// stands or anything references them (view employee_references, which the
// certificates extend).
func (s *Service) removable(ctx context.Context, tx *uow.Tx, id uuid.UUID) error {
	if _, err := s.lock(ctx, tx, id); err != nil {
		return err
	}
	var held bool
	if err := tx.QueryRow(ctx, "SELECT legal_hold_at IS NOT NULL FROM employees WHERE tenant_id = $1 AND id = $2",
		tx.P.TenantID, id).Scan(&held); err != nil {
		return err
	}
	if held {
		return errLegalHold()
	}
	refs, err := s.q.EmployeeReferences(ctx, tx, dbsqlc.EmployeeReferencesParams{TenantID: tx.P.TenantID, EmployeeID: id})
	if err != nil {
		return err
	}
	if len(refs) > 0 {
		out := make([]Reference, len(refs))
		for i, r := range refs {
			out[i] = Reference{Kind: r.Kind, Count: r.N}
		}
		return errReferenced(out)
	}
	return nil
}

func (s *Service) delete(ctx context.Context, tx *uow.Tx, id uuid.UUID) error {
	return postgres.Affected(s.q.DeleteEmployee(ctx, tx, dbsqlc.DeleteEmployeeParams{TenantID: tx.P.TenantID, ID: id}))
}

func (s *Service) setHold(ctx context.Context, tx *uow.Tx, id uuid.UUID, hold bool, reason string, now time.Time) error {
	p := dbsqlc.SetLegalHoldParams{TenantID: tx.P.TenantID, ID: id, Now: now}
	if hold {
		reason = strings.TrimSpace(reason)
		if reason == "" {
			return apperr.Field(apperr.InvalidArgument, "reason", "required", "give the reason for the hold")
		}
		c, err := tx.Cipher()
		if err != nil {
			return err
		}
		p.HoldAt = pgtype.Timestamptz{Time: now, Valid: true}
		p.HoldBy = pgUUID(tx.P.UserID)
		p.ReasonEnc = c.SealString(id, colHoldReason, reason)
	}
	return s.q.SetLegalHold(ctx, tx, p)
}

// employeeColumns is the select list every read scans with scanRow.
const employeeColumns = `id, personnel_number_enc, salutation_enc, first_name_enc, last_name_enc, title_enc,
	birth_date_enc, birthplace_enc, street_enc, postcode_enc, city_enc, email_enc, job_title_enc, exit_reason_enc,
	tasks_enc, interruptions_enc, authorities_enc, company_id, location_id, department_id, org_unit_id,
	employee_type_id, entry_date, exit_date, legal_hold_at, legal_hold_by, legal_hold_reason_enc, version,
	created_at, updated_at`

// row is one employee as read, before decryption.
type row struct {
	id                                                           uuid.UUID
	pn, salutation, first, last, title, birthDate, birthplace    []byte
	street, postcode, city, email, jobTitle, exitReason          []byte
	tasks, interruptions, authorities                            []byte
	company, location, department, orgUnit, employeeType, holdBy pgtype.UUID
	entry, exit                                                  pgtype.Date
	holdAt                                                       pgtype.Timestamptz
	holdReason                                                   []byte
	version                                                      int64
	created, updated                                             time.Time
}

func scanRow(r pgx.CollectableRow) (row, error) {
	var x row
	err := r.Scan(&x.id, &x.pn, &x.salutation, &x.first, &x.last, &x.title, &x.birthDate, &x.birthplace, &x.street,
		&x.postcode, &x.city, &x.email, &x.jobTitle, &x.exitReason, &x.tasks, &x.interruptions, &x.authorities,
		&x.company, &x.location, &x.department, &x.orgUnit, &x.employeeType, &x.entry, &x.exit, &x.holdAt, &x.holdBy,
		&x.holdReason, &x.version, &x.created, &x.updated) // employeeColumns, in order
	return x, err
}

func fromPG(u pgtype.UUID) uuid.UUID {
	if !u.Valid {
		return uuid.Nil
	}
	return u.Bytes
}

func fromDate(d pgtype.Date) time.Time {
	if !d.Valid {
		return time.Time{}
	}
	return d.Time
}

// opener decrypts the columns of one row.
type opener struct {
	ctx context.Context
	c   *keyring.TenantCipher
	id  uuid.UUID
	err error
}

func (o *opener) str(column string, ct []byte) string {
	if o.err != nil || ct == nil {
		return ""
	}
	var s string
	s, o.err = o.c.OpenString(o.ctx, o.id, column, ct)
	return s
}

func (o *opener) json(column string, ct []byte, v any) {
	if o.err != nil || ct == nil {
		return
	}
	b, err := o.c.Open(o.ctx, o.id, column, ct)
	if err != nil {
		o.err = err
		return
	}
	o.err = json.Unmarshal(b, v)
}

func (o *opener) date(column string, ct []byte) time.Time {
	t, err := ParseDate(o.str(column, ct))
	if o.err == nil {
		o.err = err
	}
	return t
}

func (x *row) employee(ctx context.Context, c *keyring.TenantCipher) (*Employee, error) {
	o := &opener{ctx: ctx, c: c, id: x.id}
	f := Fields{PersonnelNumber: o.str(colPersonnelNumber, x.pn), Salutation: o.str(colSalutation, x.salutation),
		FirstName: o.str(colFirstName, x.first), LastName: o.str(colLastName, x.last), Title: o.str(colTitle, x.title),
		BirthDate: o.date(colBirthDate, x.birthDate), Birthplace: o.str(colBirthplace, x.birthplace),
		Street: o.str(colStreet, x.street), Postcode: o.str(colPostcode, x.postcode), City: o.str(colCity, x.city),
		Email: o.str(colEmail, x.email), JobTitle: o.str(colJobTitle, x.jobTitle),
		ExitReason: o.str(colExitReason, x.exitReason), CompanyID: fromPG(x.company), LocationID: fromPG(x.location),
		DepartmentID: fromPG(x.department), OrgUnitID: fromPG(x.orgUnit), EmployeeTypeID: fromPG(x.employeeType),
		EntryDate: fromDate(x.entry), ExitDate: fromDate(x.exit)}
	o.json(colTasks, x.tasks, &f.Tasks)
	var ins []interruptionJSON
	o.json(colInterruptions, x.interruptions, &ins)
	for _, in := range ins {
		from, _ := ParseDate(in.From)
		to, _ := ParseDate(in.To)
		f.Interruptions = append(f.Interruptions, Interruption{From: from, To: to, Reason: in.Reason, Note: in.Note})
	}
	var auths []authorityJSON
	o.json(colAuthorities, x.authorities, &auths)
	for _, a := range auths {
		since, _ := ParseDate(a.Since)
		f.Authorities = append(f.Authorities, Authority{Kind: a.Kind, Name: a.Name, Since: since})
	}
	e := &Employee{ID: x.id, Fields: f, Version: x.version, CreatedAt: x.created, UpdatedAt: x.updated}
	if x.holdAt.Valid {
		e.Hold = &LegalHold{Reason: o.str(colHoldReason, x.holdReason), By: fromPG(x.holdBy), At: x.holdAt.Time}
	}
	if o.err != nil {
		return nil, o.err
	}
	return e, nil
}

// getScoped reads one employee in p's scope (forUpdate locks it).
func getScoped(ctx context.Context, db postgres.DBTX, c *keyring.TenantCipher, p *access.Principal, id uuid.UUID, forUpdate bool) (*Employee, error) {
	sql, args := postgres.And("SELECT "+employeeColumns+" FROM employees WHERE tenant_id = $1 AND id = $2",
		[]any{p.TenantID, id}, scope(p))
	if forUpdate {
		sql += " FOR UPDATE"
	}
	rows, err := db.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	x, err := pgx.CollectExactlyOneRow(rows, scanRow)
	if err != nil {
		return nil, postgres.NotFoundOr(err)
	}
	return x.employee(ctx, c)
}

// getInTx reads an employee inside a write.
func (s *Service) getInTx(ctx context.Context, tx *uow.Tx, id uuid.UUID) (*Employee, error) {
	c, err := tx.Cipher()
	if err != nil {
		return nil, err
	}
	return getScoped(ctx, tx, c, tx.P, id, false)
}

// conditions are the filter of a list or export, the scope included.
func (s *Service) conditions(p *access.Principal, f Filter, now time.Time) []postgres.Cond {
	conds := []postgres.Cond{scope(p)}
	for _, d := range []struct {
		col string
		id  uuid.UUID
	}{{"company_id", f.Company}, {"location_id", f.Location}, {"department_id", f.Department},
		{"org_unit_id", f.OrgUnit}, {"employee_type_id", f.EmployeeType}} {
		if d.id != uuid.Nil {
			conds = append(conds, postgres.Where(d.col+" = ?", d.id))
		}
	}
	switch f.State {
	case Active:
		conds = append(conds, postgres.Where("exit_date IS NULL OR exit_date >= ?::date", today(now)))
	case LeftState:
		conds = append(conds, postgres.Where("exit_date < ?::date", today(now)))
	}
	if c, ok := SearchCond(s.index, p.TenantID, f.Search); ok {
		conds = append(conds, c)
	}
	return conds
}

func employeeID(e *Employee) uuid.UUID { return e.ID }

// list reads one page in the reader's scope.
func (s *Service) list(rd *uow.Reader, q Query) (paging.Page[Employee], error) {
	l := postgres.List{Table: "employees", Columns: employeeColumns, Desc: q.Desc,
		Where: s.conditions(rd.P, q.Filter, s.work.Now())}
	var keyOf func(*Employee) (string, uuid.UUID)
	switch q.Order {
	case ByEntryDate, ByExitDate:
		col, get := "entry_date", func(e *Employee) time.Time { return e.Fields.EntryDate }
		if q.Order == ByExitDate {
			col, get = "exit_date", func(e *Employee) time.Time { return e.Fields.ExitDate }
		}
		l.Key, l.KeyArg = "coalesce("+col+", 'infinity'::date)", "coalesce(nullif(?::text, '')::date, 'infinity'::date)"
		keyOf = func(e *Employee) (string, uuid.UUID) { return FormatDate(get(e)), e.ID }
	case ByCreateTime:
		keyOf = postgres.TimeKey(&l, "created_at", func(e *Employee) time.Time { return e.CreatedAt }, employeeID)
	default:
		keyOf = postgres.TimeKey(&l, "updated_at", func(e *Employee) time.Time { return e.UpdatedAt }, employeeID)
	}
	c, err := rd.Cipher()
	if err != nil {
		return paging.Page[Employee]{}, err
	}
	ctx := rd.Context()
	return uow.ListPage(rd, l, q.Page, func(r pgx.CollectableRow) (Employee, error) {
		x, err := scanRow(r)
		if err != nil {
			return Employee{}, err
		}
		e, err := x.employee(ctx, c)
		if err != nil {
			return Employee{}, err
		}
		return *e, nil
	}, keyOf)
}
