// Package employees keeps the employee master data of SPEC §4: personal,
// contact and employment fields, encrypted per field with the tenant's key
// and findable through keyed blind indexes (search.go). Every read goes
// through the caller's certificate-access scope inside its SQL (an employee
// out of scope is NotFound), and is recorded in the audit log (SPEC §8).
// HR systems upsert and export employees with API keys; users import files
// and exercise data subjects' rights (GDPR Art. 15, 17, 20).
package employees

import (
	"context"
	"time"
	_ "time/tzdata" // Europe/Berlin decides "today" also without a system zone database

	"github.com/google/uuid"

	"github.com/zeugo/zeugo/backend/internal/apperr"
	"github.com/zeugo/zeugo/backend/internal/employees/dbsqlc"
	"github.com/zeugo/zeugo/backend/internal/keyring"
	"github.com/zeugo/zeugo/backend/internal/paging"
	"github.com/zeugo/zeugo/backend/internal/uow"
)

// Salutation values as stored; "" is none.
const (
	SalutationHerr   = "herr"
	SalutationFrau   = "frau"
	SalutationDivers = "divers"
)

// Interruption is a period the employment was interrupted.
type Interruption struct {
	From, To time.Time // To is zero while it lasts
	Reason   string    // parental_leave, illness, sabbatical, care_leave, other or ""
	Note     string
}

// Authority is a power of representation.
type Authority struct {
	Kind  string // prokura, handlungsvollmacht, bankvollmacht, other
	Name  string // names an "other" authority
	Since time.Time
}

// Fields are the editable fields of an employee. Dates are UTC midnight;
// the zero time means "not given", uuid.Nil an unset dimension.
type Fields struct {
	Salutation                                string
	FirstName, LastName, Title                string
	BirthDate                                 time.Time
	Birthplace, Street, Postcode, City, Email string
	PersonnelNumber                           string
	CompanyID, LocationID, DepartmentID       uuid.UUID
	OrgUnitID, EmployeeTypeID                 uuid.UUID
	EntryDate, ExitDate                       time.Time
	ExitReason                                string // own_wish, mutual, end_of_fixed_term, employer, end_of_training, retirement, other or ""
	JobTitle                                  string
	Tasks                                     []string
	Interruptions                             []Interruption
	Authorities                               []Authority
}

// LegalHold keeps an employee from deletion and erasure.
type LegalHold struct {
	Reason string
	By     uuid.UUID // uuid.Nil once that user is gone
	At     time.Time
}

// Employee is a stored employee.
type Employee struct {
	ID        uuid.UUID
	Fields    Fields
	Version   int64
	Hold      *LegalHold
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Left reports whether the employment ended before today (Berlin).
func (e *Employee) Left(now time.Time) bool {
	return !e.Fields.ExitDate.IsZero() && e.Fields.ExitDate.Before(today(now))
}

var berlin = mustZone("Europe/Berlin")

func mustZone(name string) *time.Location {
	l, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return l
}

// today is the calendar date in Berlin at now, as UTC midnight (the form
// dates are kept in).
func today(now time.Time) time.Time {
	y, m, d := now.In(berlin).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// State filters by whether the employment lasts.
type State int

// States.
const (
	AnyState State = iota
	Active
	LeftState
)

// Order is the sort key of a list.
type Order int

// Sort keys.
const (
	ByUpdateTime Order = iota
	ByEntryDate
	ByExitDate
	ByCreateTime
)

// Filter narrows a list or an export.
type Filter struct {
	Company, Location, Department, OrgUnit, EmployeeType uuid.UUID
	State                                                State
	// Search is a personnel number or name words (search.go).
	Search string
}

// Query selects a page.
type Query struct {
	Page   paging.Request
	Order  Order
	Desc   bool
	Filter Filter
}

// Audit actions of this domain; the target type is "employee".
const (
	ActionCreated       = "employee.created"
	ActionUpdated       = "employee.updated"
	ActionDeleted       = "employee.deleted"
	ActionRead          = "employee.read"
	ActionListed        = "employee.listed"
	ActionExported      = "employee.exported"
	ActionHoldSet       = "employee.legal_hold_set"
	ActionHoldLifted    = "employee.legal_hold_lifted"
	ActionDataExported  = "employee.data_exported"
	ActionErased        = "employee.erased"
	ActionUpserted      = "employee.upserted"
	ActionImported      = "employee.imported"
	TargetEmployee      = "employee"
	targetEmployeeBatch = "employee_import"
)

// Service implements the employee use cases, each one unit of work.
type Service struct {
	work  *uow.Runner
	q     *dbsqlc.Queries
	index *keyring.IndexKey
	// more are the sections other domains add to the Art. 15 document.
	more []DataSection
}

// NewService returns a Service; index is the platform blind-index key.
func NewService(work *uow.Runner, index *keyring.IndexKey) *Service {
	return &Service{work: work, q: dbsqlc.New(), index: index}
}

func target(id uuid.UUID) uow.Target { return uow.Target{Type: TargetEmployee, ID: id} }

// Create stores a new employee.
func (s *Service) Create(ctx context.Context, f Fields) (*Employee, error) {
	normalize(&f)
	var e *Employee
	err := s.work.Write(ctx, func(tx *uow.Tx) error {
		if err := s.check(ctx, tx, "fields.", []Fields{f}); err != nil {
			return err
		}
		id := uuid.Must(uuid.NewV7())
		if err := inScope(tx, id, &f); err != nil {
			return err
		}
		if err := s.insert(ctx, tx, id, f, s.work.Now()); err != nil {
			return err
		}
		if err := tx.Record(ActionCreated, target(id), nil); err != nil {
			return err
		}
		var err error
		e, err = s.getInTx(ctx, tx, id)
		return err
	})
	return e, err
}

// inScope refuses fields that would file the employee outside the caller's
// certificate access (PermissionDenied on those fields, as the upsert and
// the import do): a restricted user cannot create or move an employee they
// could not see afterwards.
func inScope(tx *uow.Tx, id uuid.UUID, f *Fields) error {
	fields := outsideScope(tx.P.Scope, id, f)
	if len(fields) == 0 {
		return nil
	}
	v := make([]apperr.FieldViolation, len(fields))
	for i, field := range fields {
		v[i] = apperr.FieldViolation{Field: "fields." + field, RuleID: ruleScope,
			Message: "this would put the employee outside your certificate access"}
	}
	return &apperr.Error{Code: apperr.PermissionDenied, Message: v[0].Message, Violations: v}
}

// Get returns one employee in the caller's scope.
func (s *Service) Get(ctx context.Context, id uuid.UUID) (*Employee, error) {
	var e *Employee
	err := s.work.Read(ctx, func(rd *uow.Reader) error {
		c, err := rd.Cipher()
		if err != nil {
			return err
		}
		if e, err = getScoped(rd.Context(), rd.DB, c, rd.P, id, false); err != nil {
			return err
		}
		rd.Audit(ActionRead, target(id))
		return nil
	})
	return e, err
}

// Update replaces the fields of an employee in the caller's scope when
// version is current (Aborted otherwise).
func (s *Service) Update(ctx context.Context, id uuid.UUID, version int64, f Fields) (*Employee, error) {
	normalize(&f)
	var e *Employee
	err := s.work.Write(ctx, func(tx *uow.Tx) error {
		if err := s.lockVersion(ctx, tx, id, version); err != nil {
			return err
		}
		if err := s.check(ctx, tx, "fields.", []Fields{f}); err != nil {
			return err
		}
		if err := inScope(tx, id, &f); err != nil {
			return err
		}
		if err := s.update(ctx, tx, id, version, f, s.work.Now()); err != nil {
			return err
		}
		if err := tx.Record(ActionUpdated, target(id), nil); err != nil {
			return err
		}
		var err error
		e, err = s.getInTx(ctx, tx, id)
		return err
	})
	return e, err
}

// List returns one page of the employees in the caller's scope; every
// employee on it is recorded as read.
func (s *Service) List(ctx context.Context, q Query) (paging.Page[Employee], error) {
	var page paging.Page[Employee]
	err := s.work.Read(ctx, func(rd *uow.Reader) (err error) {
		if page, err = s.list(rd, q); err != nil {
			return err
		}
		for _, e := range page.Items {
			rd.Audit(ActionListed, target(e.ID))
		}
		return nil
	})
	return page, err
}

// Delete removes an employee in the caller's scope, unless a certificate
// references them or a legal hold stands (FailedPrecondition saying which).
func (s *Service) Delete(ctx context.Context, id uuid.UUID) error {
	return s.work.Write(ctx, func(tx *uow.Tx) error {
		if err := s.removable(ctx, tx, id); err != nil {
			return err
		}
		if err := s.delete(ctx, tx, id); err != nil {
			return err
		}
		return tx.Record(ActionDeleted, target(id), nil)
	})
}

// SetHold sets (hold) or lifts a legal hold on an employee in the
// caller's scope.
func (s *Service) SetHold(ctx context.Context, id uuid.UUID, hold bool, reason string) (*Employee, error) {
	var e *Employee
	err := s.work.Write(ctx, func(tx *uow.Tx) error {
		if _, err := s.lock(ctx, tx, id); err != nil {
			return err
		}
		if err := s.setHold(ctx, tx, id, hold, reason, s.work.Now()); err != nil {
			return err
		}
		action := ActionHoldLifted
		if hold {
			action = ActionHoldSet
		}
		if err := tx.Record(action, target(id), nil); err != nil {
			return err
		}
		var err error
		e, err = s.getInTx(ctx, tx, id)
		return err
	})
	return e, err
}
