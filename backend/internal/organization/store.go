package organization

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/zeugo/zeugo/backend/internal/jobs"
	"github.com/zeugo/zeugo/backend/internal/keyring"
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

// colManagingDirectors is the associated-data name of the encrypted
// managing directors (personal data: named persons, G21).
const colManagingDirectors = "companies.managing_directors"

// sealOptional encrypts a personal field; the empty value stays NULL.
func sealOptional(c *keyring.TenantCipher, id uuid.UUID, column, v string) []byte {
	if v == "" {
		return nil
	}
	return c.SealString(id, column, v)
}

func companyFromRow(ctx context.Context, c *keyring.TenantCipher, r *dbsqlc.Company) (*Company, error) {
	directors := r.ManagingDirectors // written before 00006; the sweeper encrypts it
	if r.ManagingDirectorsEnc != nil {
		var err error
		if directors, err = c.OpenString(ctx, r.ID, colManagingDirectors, r.ManagingDirectorsEnc); err != nil {
			return nil, err
		}
	}
	return &Company{ID: r.ID, Version: r.Version, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
		Fields: CompanyFields{Name: r.Name, Street: r.Street, Postcode: r.Postcode, City: r.City, Country: r.Country,
			Phone: r.Phone, Email: r.Email, Website: r.Website, RegisterCourt: r.RegisterCourt,
			RegisterNumber: r.RegisterNumber, VATID: r.VatID, ManagingDirectors: directors, Description: r.Description}}, nil
}

func companyOrNot(ctx context.Context, c *keyring.TenantCipher, r *dbsqlc.Company, err error) (*Company, error) {
	if err != nil {
		return nil, nameTaken(postgres.NotFoundOr(err))
	}
	return companyFromRow(ctx, c, r)
}

func insertCompany(ctx context.Context, q *dbsqlc.Queries, tx *uow.Tx, id uuid.UUID, f CompanyFields, now time.Time) (*Company, error) {
	c, err := tx.Cipher()
	if err != nil {
		return nil, err
	}
	r, err := q.InsertCompany(ctx, tx, dbsqlc.InsertCompanyParams{ID: id, TenantID: tx.P.TenantID, Now: now,
		Name: f.Name, Street: f.Street, Postcode: f.Postcode, City: f.City, Country: f.Country, Phone: f.Phone,
		Email: f.Email, Website: f.Website, RegisterCourt: f.RegisterCourt, RegisterNumber: f.RegisterNumber,
		VatID: f.VATID, ManagingDirectorsEnc: sealOptional(c, id, colManagingDirectors, f.ManagingDirectors), Description: f.Description})
	return companyOrNot(ctx, c, r, err)
}

func getCompany(ctx context.Context, q *dbsqlc.Queries, rd *uow.Reader, id uuid.UUID) (*Company, error) {
	c, err := rd.Cipher()
	if err != nil {
		return nil, err
	}
	r, err := q.GetCompany(ctx, rd.DB, dbsqlc.GetCompanyParams{TenantID: rd.P.TenantID, ID: id})
	return companyOrNot(ctx, c, r, err)
}

func updateCompany(ctx context.Context, q *dbsqlc.Queries, tx *uow.Tx, id uuid.UUID, version int64, f CompanyFields, now time.Time) (*Company, error) {
	ci, err := tx.Cipher()
	if err != nil {
		return nil, err
	}
	r, err := q.UpdateCompany(ctx, tx, dbsqlc.UpdateCompanyParams{TenantID: tx.P.TenantID, ID: id, Version: version,
		Now: now, Name: f.Name, Street: f.Street, Postcode: f.Postcode, City: f.City, Country: f.Country, Phone: f.Phone,
		Email: f.Email, Website: f.Website, RegisterCourt: f.RegisterCourt, RegisterNumber: f.RegisterNumber,
		VatID: f.VATID, ManagingDirectorsEnc: sealOptional(ci, id, colManagingDirectors, f.ManagingDirectors), Description: f.Description})
	c, err := companyOrNot(ctx, ci, r, err)
	if err == postgres.ErrNotFound {
		return nil, postgres.StaleOrMissing(ctx, tx, "companies", tx.P.TenantID, id)
	}
	return c, err
}

func deleteCompany(ctx context.Context, q *dbsqlc.Queries, tx *uow.Tx, id uuid.UUID) error {
	return postgres.Affected(q.DeleteCompany(ctx, tx, dbsqlc.DeleteCompanyParams{TenantID: tx.P.TenantID, ID: id}))
}

const companyColumns = `id, tenant_id, name, street, postcode, city, country, phone, email, website, register_court,
	register_number, vat_id, managing_directors, description, version, created_at, updated_at, managing_directors_enc`

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
	ci, err := rd.Cipher()
	if err != nil {
		return paging.Page[Company]{}, err
	}
	return uow.ListPage(rd, l, q.Page, func(row pgx.CollectableRow) (Company, error) {
		var r dbsqlc.Company
		if err := row.Scan(&r.ID, &r.TenantID, &r.Name, &r.Street, &r.Postcode, &r.City, &r.Country, &r.Phone, &r.Email,
			&r.Website, &r.RegisterCourt, &r.RegisterNumber, &r.VatID, &r.ManagingDirectors, &r.Description, &r.Version,
			&r.CreatedAt, &r.UpdatedAt, &r.ManagingDirectorsEnc); err != nil { // companyColumns, in order
			return Company{}, err
		}
		c, err := companyFromRow(rd.Context(), ci, &r)
		if err != nil {
			return Company{}, err
		}
		return *c, nil
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
	return uow.ListPage(rd, l, q.Page, func(row pgx.CollectableRow) (Unit, error) {
		var r dbsqlc.OrgUnit
		err := row.Scan(&r.ID, &r.TenantID, &r.Kind, &r.Name, &r.Description, &r.Version, &r.CreatedAt, &r.UpdatedAt) // unitColumns
		return *unitFromRow(&r), err
	}, func(u *Unit) (string, uuid.UUID) { return key(u), u.ID })
}

// timeKey is a timestamp as the cursor keeps it (PostgreSQL's microseconds
// survive RFC 3339 with nanoseconds exactly).
func timeKey(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

// LetterheadSweeper encrypts managing directors stored in plain text before
// migration 00006, a batch at a time, in the cleanup job.
func LetterheadSweeper(keys *keyring.Keyring) jobs.Sweeper {
	q := dbsqlc.New()
	return jobs.Sweeper{Name: "letterheads_encrypted", Sweep: func(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID, _ time.Time, batch int) (int64, error) {
		rows, err := q.LegacyLetterheads(ctx, tx, dbsqlc.LegacyLetterheadsParams{TenantID: tenantID, Batch: int32(batch)})
		if err != nil || len(rows) == 0 {
			return 0, err
		}
		c, err := keys.Tenant(ctx, tx, tenantID)
		if err != nil {
			return 0, err
		}
		for _, r := range rows {
			if err := q.EncryptLetterhead(ctx, tx, dbsqlc.EncryptLetterheadParams{TenantID: tenantID, ID: r.ID,
				ManagingDirectors:    r.ManagingDirectors,
				ManagingDirectorsEnc: c.SealString(r.ID, colManagingDirectors, r.ManagingDirectors)}); err != nil {
				return 0, err
			}
		}
		return int64(len(rows)), nil
	}}
}

// CompanyFor reads a company for another domain's unit of work (a
// certificate prints its name and letterhead); db is that unit's
// transaction or reader. A missing company is NotFound.
func CompanyFor(ctx context.Context, db postgres.DBTX, c *keyring.TenantCipher, tenantID, id uuid.UUID) (*Company, error) {
	r, err := dbsqlc.New().GetCompany(ctx, db, dbsqlc.GetCompanyParams{TenantID: tenantID, ID: id})
	return companyOrNot(ctx, c, r, err)
}
