// Package organization manages the structure of a tenant: companies (legal
// entities with letterhead data) and the four dimensions locations,
// departments, organisational units and employee types (SPEC §2, §3.3).
package organization

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/zeugo/zeugo/backend/internal/apperr"
	"github.com/zeugo/zeugo/backend/internal/audit"
	"github.com/zeugo/zeugo/backend/internal/auth"
	"github.com/zeugo/zeugo/backend/internal/postgres"
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

// Service implements the organisation use cases. Every method authorises
// the caller from the context and runs in one tenant-bound transaction that
// also writes the audit record.
type Service struct {
	db    *postgres.DB
	audit *audit.Writer
	now   func() time.Time
}

// NewService returns a Service.
func NewService(db *postgres.DB, w *audit.Writer, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{db: db, audit: w, now: now}
}

// errNameTaken is the field error for a duplicate name.
func errNameTaken() error {
	return apperr.Field(apperr.AlreadyExists, "fields.name", "zeugo.unique", "this name is already in use")
}

func (s *Service) write(ctx context.Context, fn func(tx pgx.Tx, p *auth.Principal) error) error {
	p, err := auth.Write(ctx, auth.AreaCompanyStructure)
	if err != nil {
		return err
	}
	return postgres.Classify(s.db.TenantTx(ctx, p.TenantID, func(tx pgx.Tx) error { return fn(tx, p) }))
}

// read runs fn for any signed-in user of the tenant; the store's read
// functions each bind the tenant and query in one round trip.
func (s *Service) read(ctx context.Context, fn func(p *auth.Principal) error) error {
	p, err := auth.Read(ctx)
	if err != nil {
		return err
	}
	return postgres.Classify(fn(p))
}

func (s *Service) record(ctx context.Context, tx pgx.Tx, p *auth.Principal, action, targetType string, id uuid.UUID) error {
	return s.audit.Write(ctx, tx, p.TenantID, audit.Event{Action: action, Outcome: audit.OutcomeSuccess,
		ActorType: audit.ActorUser, ActorID: p.UserID.String(), TargetType: targetType, TargetID: id.String()})
}

func normalizeCompany(f *CompanyFields) {
	for _, v := range []*string{&f.Name, &f.Street, &f.Postcode, &f.City, &f.Country, &f.Phone, &f.Email, &f.Website,
		&f.RegisterCourt, &f.RegisterNumber, &f.VATID, &f.ManagingDirectors, &f.Description} {
		*v = strings.TrimSpace(*v)
	}
}

// CreateCompany stores a new company.
func (s *Service) CreateCompany(ctx context.Context, f CompanyFields) (*Company, error) {
	normalizeCompany(&f)
	var c *Company
	err := s.write(ctx, func(tx pgx.Tx, p *auth.Principal) error {
		id, _ := uuid.NewV7()
		var err error
		if c, err = insertCompany(ctx, tx, p.TenantID, id, f, s.now()); err != nil {
			return err
		}
		return s.record(ctx, tx, p, audit.ActionCompanyCreated, "company", id)
	})
	return c, err
}

// ListCompanies returns the tenant's companies by name.
func (s *Service) ListCompanies(ctx context.Context) ([]Company, error) {
	var out []Company
	err := s.read(ctx, func(p *auth.Principal) error {
		var err error
		out, err = listCompanies(ctx, s.db, p.TenantID)
		return err
	})
	return out, err
}

// GetCompany returns one company; NotFound for another tenant's id.
func (s *Service) GetCompany(ctx context.Context, id uuid.UUID) (*Company, error) {
	var c *Company
	err := s.read(ctx, func(p *auth.Principal) error {
		var err error
		c, err = getCompany(ctx, s.db, p.TenantID, id)
		return err
	})
	return c, err
}

// UpdateCompany replaces the fields if version is current.
func (s *Service) UpdateCompany(ctx context.Context, id uuid.UUID, version int64, f CompanyFields) (*Company, error) {
	normalizeCompany(&f)
	var c *Company
	err := s.write(ctx, func(tx pgx.Tx, p *auth.Principal) error {
		var err error
		if c, err = updateCompany(ctx, tx, p.TenantID, id, version, f, s.now()); err != nil {
			return err
		}
		return s.record(ctx, tx, p, audit.ActionCompanyUpdated, "company", id)
	})
	return c, err
}

// DeleteCompany removes a company.
func (s *Service) DeleteCompany(ctx context.Context, id uuid.UUID) error {
	return s.write(ctx, func(tx pgx.Tx, p *auth.Principal) error {
		if err := deleteRow(ctx, tx, "companies", p.TenantID, id); err != nil {
			return err
		}
		return s.record(ctx, tx, p, audit.ActionCompanyDeleted, "company", id)
	})
}

// CreateUnit stores a new unit.
func (s *Service) CreateUnit(ctx context.Context, kind UnitKind, f UnitFields) (*Unit, error) {
	f.Name, f.Description = strings.TrimSpace(f.Name), strings.TrimSpace(f.Description)
	var u *Unit
	err := s.write(ctx, func(tx pgx.Tx, p *auth.Principal) error {
		id, _ := uuid.NewV7()
		var err error
		if u, err = insertUnit(ctx, tx, p.TenantID, id, kind, f, s.now()); err != nil {
			return err
		}
		return s.record(ctx, tx, p, audit.ActionUnitCreated, string(kind), id)
	})
	return u, err
}

// ListUnits returns the units of one kind by name.
func (s *Service) ListUnits(ctx context.Context, kind UnitKind) ([]Unit, error) {
	var out []Unit
	err := s.read(ctx, func(p *auth.Principal) error {
		var err error
		out, err = listUnits(ctx, s.db, p.TenantID, kind)
		return err
	})
	return out, err
}

// GetUnit returns one unit; NotFound for another tenant's id.
func (s *Service) GetUnit(ctx context.Context, id uuid.UUID) (*Unit, error) {
	var u *Unit
	err := s.read(ctx, func(p *auth.Principal) error {
		var err error
		u, err = getUnit(ctx, s.db, p.TenantID, id)
		return err
	})
	return u, err
}

// UpdateUnit replaces the fields if version is current.
func (s *Service) UpdateUnit(ctx context.Context, id uuid.UUID, version int64, f UnitFields) (*Unit, error) {
	f.Name, f.Description = strings.TrimSpace(f.Name), strings.TrimSpace(f.Description)
	var u *Unit
	err := s.write(ctx, func(tx pgx.Tx, p *auth.Principal) error {
		var err error
		if u, err = updateUnit(ctx, tx, p.TenantID, id, version, f, s.now()); err != nil {
			return err
		}
		return s.record(ctx, tx, p, audit.ActionUnitUpdated, string(u.Kind), id)
	})
	return u, err
}

// DeleteUnit removes a unit.
func (s *Service) DeleteUnit(ctx context.Context, id uuid.UUID) error {
	return s.write(ctx, func(tx pgx.Tx, p *auth.Principal) error {
		if err := deleteRow(ctx, tx, "org_units", p.TenantID, id); err != nil {
			return err
		}
		return s.record(ctx, tx, p, audit.ActionUnitDeleted, "unit", id)
	})
}

var errNotFound = apperr.New(apperr.NotFound, "not found")

// notFoundOr maps no rows to NotFound (also for other tenants' ids: RLS and
// the tenant filter both hide them).
func notFoundOr(err error) error {
	if errors.Is(err, pgx.ErrNoRows) {
		return errNotFound
	}
	return err
}
