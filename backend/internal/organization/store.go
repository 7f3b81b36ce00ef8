package organization

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/zeugo/zeugo/backend/internal/organization/dbsqlc"
	"github.com/zeugo/zeugo/backend/internal/paging"
	"github.com/zeugo/zeugo/backend/internal/postgres"
	"github.com/zeugo/zeugo/backend/internal/uow"
)

// The unique indexes of names; a violation is AlreadyExists on fields.name.
var nameConstraints = []string{"companies_name_key", "org_units_name_key"}

func nameTaken(err error) error {
	return postgres.UniqueField(err, "fields.name", nameConstraints...)
}

func companyFromRow(r *dbsqlc.Company) *Company {
	return &Company{ID: r.ID, Version: r.Version, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
		Fields: CompanyFields{Name: r.Name, Street: r.Street, Postcode: r.Postcode, City: r.City, Country: r.Country,
			Phone: r.Phone, Email: r.Email, Website: r.Website, RegisterCourt: r.RegisterCourt,
			RegisterNumber: r.RegisterNumber, VATID: r.VatID, ManagingDirectors: r.ManagingDirectors, Description: r.Description}}
}

func companyOrNot(r *dbsqlc.Company, err error) (*Company, error) {
	if err != nil {
		return nil, nameTaken(postgres.NotFoundOr(err))
	}
	return companyFromRow(r), nil
}

func insertCompany(ctx context.Context, q *dbsqlc.Queries, tx *uow.Tx, id uuid.UUID, f CompanyFields, now time.Time) (*Company, error) {
	return companyOrNot(q.InsertCompany(ctx, tx, dbsqlc.InsertCompanyParams{ID: id, TenantID: tx.P.TenantID, Now: now,
		Name: f.Name, Street: f.Street, Postcode: f.Postcode, City: f.City, Country: f.Country, Phone: f.Phone,
		Email: f.Email, Website: f.Website, RegisterCourt: f.RegisterCourt, RegisterNumber: f.RegisterNumber,
		VatID: f.VATID, ManagingDirectors: f.ManagingDirectors, Description: f.Description}))
}

func getCompany(ctx context.Context, q *dbsqlc.Queries, rd *uow.Reader, id uuid.UUID) (*Company, error) {
	return companyOrNot(q.GetCompany(ctx, rd.DB, dbsqlc.GetCompanyParams{TenantID: rd.P.TenantID, ID: id}))
}

func updateCompany(ctx context.Context, q *dbsqlc.Queries, tx *uow.Tx, id uuid.UUID, version int64, f CompanyFields, now time.Time) (*Company, error) {
	c, err := companyOrNot(q.UpdateCompany(ctx, tx, dbsqlc.UpdateCompanyParams{TenantID: tx.P.TenantID, ID: id, Version: version,
		Now: now, Name: f.Name, Street: f.Street, Postcode: f.Postcode, City: f.City, Country: f.Country, Phone: f.Phone,
		Email: f.Email, Website: f.Website, RegisterCourt: f.RegisterCourt, RegisterNumber: f.RegisterNumber,
		VatID: f.VATID, ManagingDirectors: f.ManagingDirectors, Description: f.Description}))
	if err == postgres.ErrNotFound {
		return nil, postgres.StaleOrMissing(ctx, tx, "companies", tx.P.TenantID, id)
	}
	return c, err
}

func deleteCompany(ctx context.Context, q *dbsqlc.Queries, tx *uow.Tx, id uuid.UUID) error {
	return postgres.Affected(q.DeleteCompany(ctx, tx, dbsqlc.DeleteCompanyParams{TenantID: tx.P.TenantID, ID: id}))
}

const companyColumns = `id, tenant_id, name, street, postcode, city, country, phone, email, website, register_court,
	register_number, vat_id, managing_directors, description, version, created_at, updated_at`

// listCompanies pages through the companies: by lower(name), lower(city)
// or updated_at, each with id as the tie-breaker (indexes in migration 00005).
func listCompanies(rd *uow.Reader, q CompanyQuery) (paging.Page[Company], error) {
	l := postgres.List{Table: "companies", Columns: companyColumns, Desc: q.Desc}
	var key func(c *Company) string
	switch q.Order {
	case CompanyByCity:
		l.Key, l.KeyArg, key = "lower(city)", "lower(?::text)", func(c *Company) string { return c.Fields.City }
	case CompanyByUpdateTime:
		l.Key, l.KeyArg, key = "updated_at", "?::timestamptz", func(c *Company) string { return timeKey(c.UpdatedAt) }
	default:
		l.Key, l.KeyArg, key = "lower(name)", "lower(?::text)", func(c *Company) string { return c.Fields.Name }
	}
	if q.Search != "" {
		l.Where = append(l.Where, postgres.Where("strpos(lower(name), lower(?)) > 0 OR strpos(lower(city), lower(?)) > 0", q.Search, q.Search))
	}
	l.Scope = listScope("companies", l, q.Search)
	return uow.ListPage(rd, l, q.Page, func(row pgx.CollectableRow) (Company, error) {
		r, err := pgx.RowToStructByPos[dbsqlc.Company](row)
		return *companyFromRow(&r), err
	}, func(c *Company) (string, uuid.UUID) { return key(c), c.ID })
}

func unitFromRow(r *dbsqlc.OrgUnit) *Unit {
	return &Unit{ID: r.ID, Kind: UnitKind(r.Kind), Version: r.Version, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
		Fields: UnitFields{Name: r.Name, Description: r.Description}}
}

func unitOrNot(r *dbsqlc.OrgUnit, err error) (*Unit, error) {
	if err != nil {
		return nil, nameTaken(postgres.NotFoundOr(err))
	}
	return unitFromRow(r), nil
}

func insertUnit(ctx context.Context, q *dbsqlc.Queries, tx *uow.Tx, id uuid.UUID, kind UnitKind, f UnitFields, now time.Time) (*Unit, error) {
	return unitOrNot(q.InsertUnit(ctx, tx, dbsqlc.InsertUnitParams{ID: id, TenantID: tx.P.TenantID, Kind: string(kind),
		Name: f.Name, Description: f.Description, Now: now}))
}

func getUnit(ctx context.Context, q *dbsqlc.Queries, rd *uow.Reader, id uuid.UUID) (*Unit, error) {
	return unitOrNot(q.GetUnit(ctx, rd.DB, dbsqlc.GetUnitParams{TenantID: rd.P.TenantID, ID: id}))
}

func updateUnit(ctx context.Context, q *dbsqlc.Queries, tx *uow.Tx, id uuid.UUID, version int64, f UnitFields, now time.Time) (*Unit, error) {
	u, err := unitOrNot(q.UpdateUnit(ctx, tx, dbsqlc.UpdateUnitParams{TenantID: tx.P.TenantID, ID: id, Version: version,
		Name: f.Name, Description: f.Description, Now: now}))
	if err == postgres.ErrNotFound {
		return nil, postgres.StaleOrMissing(ctx, tx, "org_units", tx.P.TenantID, id)
	}
	return u, err
}

func deleteUnit(ctx context.Context, q *dbsqlc.Queries, tx *uow.Tx, id uuid.UUID) error {
	return postgres.Affected(q.DeleteUnit(ctx, tx, dbsqlc.DeleteUnitParams{TenantID: tx.P.TenantID, ID: id}))
}

const unitColumns = `id, tenant_id, kind, name, description, version, created_at, updated_at`

func listUnits(rd *uow.Reader, q UnitQuery) (paging.Page[Unit], error) {
	l := postgres.List{Table: "org_units", Columns: unitColumns, Desc: q.Desc,
		Where: []postgres.Cond{postgres.Where("kind = ?", string(q.Kind))}}
	var key func(u *Unit) string
	switch q.Order {
	case UnitByUpdateTime:
		l.Key, l.KeyArg, key = "updated_at", "?::timestamptz", func(u *Unit) string { return timeKey(u.UpdatedAt) }
	default:
		l.Key, l.KeyArg, key = "lower(name)", "lower(?::text)", func(u *Unit) string { return u.Fields.Name }
	}
	if q.Search != "" {
		l.Where = append(l.Where, postgres.Where("strpos(lower(name), lower(?)) > 0", q.Search))
	}
	l.Scope = listScope("units/"+string(q.Kind), l, q.Search)
	return uow.ListPage(rd, l, q.Page, func(row pgx.CollectableRow) (Unit, error) {
		r, err := pgx.RowToStructByPos[dbsqlc.OrgUnit](row)
		return *unitFromRow(&r), err
	}, func(u *Unit) (string, uuid.UUID) { return key(u), u.ID })
}

// timeKey is a timestamp as the cursor keeps it (PostgreSQL's microseconds
// survive RFC 3339 with nanoseconds exactly).
func timeKey(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

// listScope names a list, its order and its filters: a page token opens
// only for the same scope.
func listScope(name string, l postgres.List, search string) string {
	dir := "asc"
	if l.Desc {
		dir = "desc"
	}
	return name + "|" + l.Key + "|" + dir + "|" + search
}
