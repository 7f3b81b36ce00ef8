package organization

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/zeugo/zeugo/backend/internal/apperr"
	"github.com/zeugo/zeugo/backend/internal/postgres"
)

const companyColumns = `id, name, street, postcode, city, country, phone, email, website, register_court,
	register_number, vat_id, managing_directors, description, version, created_at, updated_at`

func scanCompany(row pgx.CollectableRow) (Company, error) {
	var c Company
	f := &c.Fields
	err := row.Scan(&c.ID, &f.Name, &f.Street, &f.Postcode, &f.City, &f.Country, &f.Phone, &f.Email, &f.Website,
		&f.RegisterCourt, &f.RegisterNumber, &f.VATID, &f.ManagingDirectors, &f.Description, &c.Version, &c.CreatedAt, &c.UpdatedAt)
	return c, err
}

func companyArgs(f CompanyFields) []any {
	return []any{f.Name, f.Street, f.Postcode, f.City, f.Country, f.Phone, f.Email, f.Website,
		f.RegisterCourt, f.RegisterNumber, f.VATID, f.ManagingDirectors, f.Description}
}

func insertCompany(ctx context.Context, tx pgx.Tx, tenantID, id uuid.UUID, f CompanyFields, now time.Time) (*Company, error) {
	args := append([]any{id, tenantID, now}, companyArgs(f)...)
	rows, err := tx.Query(ctx, `INSERT INTO companies (id, tenant_id, created_at, updated_at, name, street, postcode, city, country,
			phone, email, website, register_court, register_number, vat_id, managing_directors, description)
		VALUES ($1, $2, $3, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
		RETURNING `+companyColumns, args...)
	return oneCompany(rows, err)
}

func oneCompany(rows pgx.Rows, err error) (*Company, error) {
	if err != nil {
		return nil, err
	}
	c, err := pgx.CollectExactlyOneRow(rows, scanCompany)
	if isNameTaken(err) {
		return nil, errNameTaken()
	}
	if err != nil {
		return nil, notFoundOr(err)
	}
	return &c, nil
}

func isNameTaken(err error) bool {
	c, ok := postgres.UniqueViolation(err)
	return ok && (c == "companies_name_key" || c == "org_units_name_key")
}

func listCompanies(ctx context.Context, db *postgres.DB, tenantID uuid.UUID) ([]Company, error) {
	var out []Company
	err := db.TenantQuery(ctx, tenantID, func(rows pgx.Rows) (err error) {
		out, err = pgx.CollectRows(rows, scanCompany)
		return err
	}, `SELECT `+companyColumns+` FROM companies WHERE tenant_id = $1 ORDER BY lower(name), id`, tenantID)
	return out, err
}

func getCompany(ctx context.Context, db *postgres.DB, tenantID, id uuid.UUID) (*Company, error) {
	var c *Company
	err := db.TenantQuery(ctx, tenantID, func(rows pgx.Rows) (err error) {
		c, err = oneCompany(rows, nil)
		return err
	}, `SELECT `+companyColumns+` FROM companies WHERE tenant_id = $1 AND id = $2`, tenantID, id)
	return c, err
}

func updateCompany(ctx context.Context, tx pgx.Tx, tenantID, id uuid.UUID, version int64, f CompanyFields, now time.Time) (*Company, error) {
	args := append([]any{tenantID, id, version, now}, companyArgs(f)...)
	rows, err := tx.Query(ctx, `UPDATE companies SET name = $5, street = $6, postcode = $7, city = $8, country = $9, phone = $10,
			email = $11, website = $12, register_court = $13, register_number = $14, vat_id = $15, managing_directors = $16,
			description = $17, version = version + 1, updated_at = $4
		WHERE tenant_id = $1 AND id = $2 AND version = $3
		RETURNING `+companyColumns, args...)
	c, err := oneCompany(rows, err)
	if apperr.Is(err, apperr.NotFound) {
		return nil, staleOrMissing(ctx, tx, "companies", tenantID, id)
	}
	return c, err
}

// staleOrMissing tells a stale version (Aborted) from a missing row (NotFound).
func staleOrMissing(ctx context.Context, tx pgx.Tx, table string, tenantID, id uuid.UUID) error {
	var exists bool
	q := `SELECT EXISTS (SELECT FROM ` + pgx.Identifier{table}.Sanitize() + ` WHERE tenant_id = $1 AND id = $2)`
	if err := tx.QueryRow(ctx, q, tenantID, id).Scan(&exists); err != nil {
		return err
	}
	if exists {
		return apperr.ErrConcurrentChange
	}
	return errNotFound
}

func deleteRow(ctx context.Context, tx pgx.Tx, table string, tenantID, id uuid.UUID) error {
	tag, err := tx.Exec(ctx, `DELETE FROM `+pgx.Identifier{table}.Sanitize()+` WHERE tenant_id = $1 AND id = $2`, tenantID, id)
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return errNotFound
	}
	return nil
}

const unitColumns = `id, kind, name, description, version, created_at, updated_at`

func scanUnit(row pgx.CollectableRow) (Unit, error) {
	var u Unit
	err := row.Scan(&u.ID, &u.Kind, &u.Fields.Name, &u.Fields.Description, &u.Version, &u.CreatedAt, &u.UpdatedAt)
	return u, err
}

func oneUnit(rows pgx.Rows, err error) (*Unit, error) {
	if err != nil {
		return nil, err
	}
	u, err := pgx.CollectExactlyOneRow(rows, scanUnit)
	if isNameTaken(err) {
		return nil, errNameTaken()
	}
	if err != nil {
		return nil, notFoundOr(err)
	}
	return &u, nil
}

func insertUnit(ctx context.Context, tx pgx.Tx, tenantID, id uuid.UUID, kind UnitKind, f UnitFields, now time.Time) (*Unit, error) {
	rows, err := tx.Query(ctx, `INSERT INTO org_units (id, tenant_id, kind, name, description, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING `+unitColumns, id, tenantID, kind, f.Name, f.Description, now)
	return oneUnit(rows, err)
}

func listUnits(ctx context.Context, db *postgres.DB, tenantID uuid.UUID, kind UnitKind) ([]Unit, error) {
	var out []Unit
	err := db.TenantQuery(ctx, tenantID, func(rows pgx.Rows) (err error) {
		out, err = pgx.CollectRows(rows, scanUnit)
		return err
	}, `SELECT `+unitColumns+` FROM org_units WHERE tenant_id = $1 AND kind = $2 ORDER BY lower(name), id`, tenantID, kind)
	return out, err
}

func getUnit(ctx context.Context, db *postgres.DB, tenantID, id uuid.UUID) (*Unit, error) {
	var u *Unit
	err := db.TenantQuery(ctx, tenantID, func(rows pgx.Rows) (err error) {
		u, err = oneUnit(rows, nil)
		return err
	}, `SELECT `+unitColumns+` FROM org_units WHERE tenant_id = $1 AND id = $2`, tenantID, id)
	return u, err
}

func updateUnit(ctx context.Context, tx pgx.Tx, tenantID, id uuid.UUID, version int64, f UnitFields, now time.Time) (*Unit, error) {
	rows, err := tx.Query(ctx, `UPDATE org_units SET name = $4, description = $5, version = version + 1, updated_at = $6
		WHERE tenant_id = $1 AND id = $2 AND version = $3 RETURNING `+unitColumns, tenantID, id, version, f.Name, f.Description, now)
	u, err := oneUnit(rows, err)
	if errors.Is(err, errNotFound) {
		return nil, staleOrMissing(ctx, tx, "org_units", tenantID, id)
	}
	return u, err
}
