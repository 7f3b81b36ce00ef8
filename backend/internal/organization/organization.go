// Package organization manages the structure of a tenant: companies (legal
// entities with letterhead data) and the four dimensions locations,
// departments, organisational units and employee types (SPEC §2, §3.3).
package organization

import (
	"context"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/zeugo/zeugo/backend/internal/organization/dbsqlc"
	"github.com/zeugo/zeugo/backend/internal/paging"
	"github.com/zeugo/zeugo/backend/internal/uow"
)

// CompanyFields are the editable fields of a company.
type CompanyFields struct {
	Name, Street, Postcode, City, Country, Phone, Email, Website string
	RegisterCourt, RegisterNumber, VATID, ManagingDirectors      string
	Description                                                  string
}

// Company is a stored company.
type Company struct {
	ID        uuid.UUID
	Fields    CompanyFields
	Version   int64
	CreatedAt time.Time
	UpdatedAt time.Time
}

// UnitKind is one of the four dimensions besides the company.
type UnitKind string

// Unit kinds as stored.
const (
	KindLocation     UnitKind = "location"
	KindDepartment   UnitKind = "department"
	KindOrgUnit      UnitKind = "org_unit"
	KindEmployeeType UnitKind = "employee_type"
)

// UnitFields are the editable fields of a unit.
type UnitFields struct {
	Name, Description string
}

// Unit is a stored unit.
type Unit struct {
	ID        uuid.UUID
	Kind      UnitKind
	Fields    UnitFields
	Version   int64
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Audit actions and targets of this domain.
const (
	ActionCompanyCreated = "organization.company.created"
	ActionCompanyUpdated = "organization.company.updated"
	ActionCompanyDeleted = "organization.company.deleted"
	ActionUnitCreated    = "organization.unit.created"
	ActionUnitUpdated    = "organization.unit.updated"
	ActionUnitDeleted    = "organization.unit.deleted"
	targetCompany        = "company"
)

// CompanyOrder is the sort key of ListCompanies.
type CompanyOrder int

// Company sort keys.
const (
	CompanyByName CompanyOrder = iota
	CompanyByCity
	CompanyByUpdateTime
)

// CompanyQuery selects a page of companies.
type CompanyQuery struct {
	Page  paging.Request
	Order CompanyOrder
	Desc  bool
	// Search matches name or city, case-insensitively.
	Search string
}

// UnitOrder is the sort key of ListUnits.
type UnitOrder int

// Unit sort keys.
const (
	UnitByName UnitOrder = iota
	UnitByUpdateTime
)

// UnitQuery selects a page of units of one kind.
type UnitQuery struct {
	Kind   UnitKind
	Page   paging.Request
	Order  UnitOrder
	Desc   bool
	Search string
}

// Service implements the organisation use cases, each one unit of work
// (package uow). Who may call which is declared on the rpcs in
// organization.proto, not decided here.
type Service struct {
	work *uow.Runner
	q    *dbsqlc.Queries
}

// NewService returns a Service.
func NewService(work *uow.Runner) *Service {
	return &Service{work: work, q: dbsqlc.New()}
}

func trim(fields ...*string) {
	for _, v := range fields {
		*v = strings.TrimSpace(*v)
	}
}

func normalizeCompany(f *CompanyFields) {
	trim(&f.Name, &f.Street, &f.Postcode, &f.City, &f.Country, &f.Phone, &f.Email, &f.Website,
		&f.RegisterCourt, &f.RegisterNumber, &f.VATID, &f.ManagingDirectors, &f.Description)
}

// CreateCompany stores a new company.
func (s *Service) CreateCompany(ctx context.Context, f CompanyFields) (*Company, error) {
	normalizeCompany(&f)
	var c *Company
	err := s.work.Write(ctx, func(tx *uow.Tx) error {
		id := uuid.Must(uuid.NewV7())
		var err error
		if c, err = insertCompany(ctx, s.q, tx, id, f, s.work.Now()); err != nil {
			return err
		}
		return tx.Record(ActionCompanyCreated, uow.Target{Type: targetCompany, ID: id}, nil)
	})
	return c, err
}

// ListCompanies returns one page of the tenant's companies.
func (s *Service) ListCompanies(ctx context.Context, q CompanyQuery) (paging.Page[Company], error) {
	var page paging.Page[Company]
	err := s.work.Read(ctx, func(rd *uow.Reader) (err error) {
		page, err = listCompanies(rd, q)
		return err
	})
	return page, err
}

// GetCompany returns one company; NotFound for another tenant's id.
func (s *Service) GetCompany(ctx context.Context, id uuid.UUID) (*Company, error) {
	var c *Company
	err := s.work.Read(ctx, func(rd *uow.Reader) (err error) {
		c, err = getCompany(ctx, s.q, rd, id)
		return err
	})
	return c, err
}

// UpdateCompany replaces the fields if version is current.
func (s *Service) UpdateCompany(ctx context.Context, id uuid.UUID, version int64, f CompanyFields) (*Company, error) {
	normalizeCompany(&f)
	var c *Company
	err := s.work.Write(ctx, func(tx *uow.Tx) error {
		var err error
		if c, err = updateCompany(ctx, s.q, tx, id, version, f, s.work.Now()); err != nil {
			return err
		}
		return tx.Record(ActionCompanyUpdated, uow.Target{Type: targetCompany, ID: id}, nil)
	})
	return c, err
}

// DeleteCompany removes a company.
func (s *Service) DeleteCompany(ctx context.Context, id uuid.UUID) error {
	return s.work.Write(ctx, func(tx *uow.Tx) error {
		if err := deleteCompany(ctx, s.q, tx, id); err != nil {
			return err
		}
		return tx.Record(ActionCompanyDeleted, uow.Target{Type: targetCompany, ID: id}, nil)
	})
}

// CreateUnit stores a new unit.
func (s *Service) CreateUnit(ctx context.Context, kind UnitKind, f UnitFields) (*Unit, error) {
	trim(&f.Name, &f.Description)
	var u *Unit
	err := s.work.Write(ctx, func(tx *uow.Tx) error {
		id := uuid.Must(uuid.NewV7())
		var err error
		if u, err = insertUnit(ctx, s.q, tx, id, kind, f, s.work.Now()); err != nil {
			return err
		}
		return tx.Record(ActionUnitCreated, uow.Target{Type: string(kind), ID: id}, nil)
	})
	return u, err
}

// ListUnits returns one page of the units of one kind.
func (s *Service) ListUnits(ctx context.Context, q UnitQuery) (paging.Page[Unit], error) {
	var page paging.Page[Unit]
	err := s.work.Read(ctx, func(rd *uow.Reader) (err error) {
		page, err = listUnits(rd, q)
		return err
	})
	return page, err
}

// GetUnit returns one unit; NotFound for another tenant's id.
func (s *Service) GetUnit(ctx context.Context, id uuid.UUID) (*Unit, error) {
	var u *Unit
	err := s.work.Read(ctx, func(rd *uow.Reader) (err error) {
		u, err = getUnit(ctx, s.q, rd, id)
		return err
	})
	return u, err
}

// UpdateUnit replaces the fields if version is current.
func (s *Service) UpdateUnit(ctx context.Context, id uuid.UUID, version int64, f UnitFields) (*Unit, error) {
	trim(&f.Name, &f.Description)
	var u *Unit
	err := s.work.Write(ctx, func(tx *uow.Tx) error {
		var err error
		if u, err = updateUnit(ctx, s.q, tx, id, version, f, s.work.Now()); err != nil {
			return err
		}
		return tx.Record(ActionUnitUpdated, uow.Target{Type: string(u.Kind), ID: id}, nil)
	})
	return u, err
}

// DeleteUnit removes a unit.
func (s *Service) DeleteUnit(ctx context.Context, id uuid.UUID) error {
	return s.work.Write(ctx, func(tx *uow.Tx) error {
		if err := deleteUnit(ctx, s.q, tx, id); err != nil {
			return err
		}
		return tx.Record(ActionUnitDeleted, uow.Target{Type: "unit", ID: id}, nil)
	})
}
