package selfservice

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/zeugo/zeugo/backend/internal/access"
	"github.com/zeugo/zeugo/backend/internal/generator"
	"github.com/zeugo/zeugo/backend/internal/keyring"
	"github.com/zeugo/zeugo/backend/internal/postgres"
)

// Who may see a form or a request: a request is not yet an employee, so of
// the certificate-access dimensions (SPEC §3.3) only the company can be
// compared. A caller restricted by company sees the forms and requests of
// those companies; a caller restricted in any other dimension sees none
// (deny by default — its restriction cannot be checked on an unmatched
// request); Administrator or unrestricted access sees all.
var scopeColumns = postgres.ScopeColumns{Company: "company_id"}

func scope(p *access.Principal) postgres.Cond { return postgres.ScopeCond(p.Scope, scopeColumns) }

// newPublicID is 128 bits from crypto/rand as 32 hex characters.
func newPublicID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return hex.EncodeToString(b[:])
}

const formColumns = `f.id, f.public_id, f.company_id, c.name, f.enabled, f.intro, f.version, f.created_at`

const formFrom = ` FROM selfservice_forms f JOIN companies c ON c.tenant_id = f.tenant_id AND c.id = f.company_id
	WHERE f.tenant_id = $1`

// formScope is scope over the forms' alias.
func formScope(p *access.Principal) postgres.Cond {
	return postgres.ScopeCond(p.Scope, postgres.ScopeColumns{Company: "f.company_id"})
}

func scanForm(r pgx.CollectableRow) (Form, error) {
	var f Form
	err := r.Scan(&f.ID, &f.PublicID, &f.CompanyID, &f.CompanyName, &f.Enabled, &f.Intro, &f.Version, &f.CreatedAt)
	return f, err
}

// forms reads the forms in p's scope by company name.
func forms(ctx context.Context, db postgres.DBTX, p *access.Principal) ([]Form, error) {
	sql, args := postgres.And("SELECT "+formColumns+formFrom, []any{p.TenantID}, formScope(p))
	rows, err := db.Query(ctx, sql+" ORDER BY lower(c.name), f.id", args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, scanForm)
}

// form reads one form in p's scope (forUpdate locks it).
func form(ctx context.Context, db postgres.DBTX, p *access.Principal, id uuid.UUID, forUpdate bool) (*Form, error) {
	f, err := postgres.One(ctx, db, "SELECT "+formColumns+formFrom+" AND f.id = $2", []any{p.TenantID, id},
		lockIf(forUpdate, "FOR UPDATE OF f"), scanForm, formScope(p))
	if err != nil {
		return nil, err
	}
	return &f, nil
}

func lockIf(lock bool, clause string) string {
	if lock {
		return clause
	}
	return ""
}

// Company is a company a form can be created for.
type Company struct {
	ID   uuid.UUID
	Name string
}

// companiesWithoutForm reads the companies in p's scope that have no form.
func companiesWithoutForm(ctx context.Context, db postgres.DBTX, p *access.Principal) ([]Company, error) {
	sql, args := postgres.And(`SELECT c.id, c.name FROM companies c WHERE c.tenant_id = $1
		AND NOT EXISTS (SELECT FROM selfservice_forms f WHERE f.tenant_id = c.tenant_id AND f.company_id = c.id)`,
		[]any{p.TenantID}, postgres.ScopeCond(p.Scope, postgres.ScopeColumns{Company: "c.id"}))
	rows, err := db.Query(ctx, sql+" ORDER BY lower(c.name), c.id", args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Company, error) {
		var c Company
		err := r.Scan(&c.ID, &c.Name)
		return c, err
	})
}

const requestColumns = `id, company_id, kind, language, wished_date, first_name_enc, last_name_enc, email_enc,
	personnel_number_enc, reason_enc, state, certificate_id, decline_message_enc, decided_at, created_at, version`

// row is a request as read, before decryption.
type row struct {
	id, company                                 uuid.UUID
	kind, language, state                       string
	wished                                      pgtype.Date
	first, last, email, pn, reason, declinedWhy []byte
	certificate                                 pgtype.UUID
	decided                                     pgtype.Timestamptz
	created                                     time.Time
	version                                     int64
}

func scanRow(r pgx.CollectableRow) (row, error) {
	var x row
	err := r.Scan(&x.id, &x.company, &x.kind, &x.language, &x.wished, &x.first, &x.last, &x.email, &x.pn, &x.reason,
		&x.state, &x.certificate, &x.declinedWhy, &x.decided, &x.created, &x.version)
	return x, err
}

// request decrypts a row.
func (x *row) request(ctx context.Context, c *keyring.TenantCipher) (*Request, error) {
	r := &Request{ID: x.id, CompanyID: x.company, State: State(x.state), CreatedAt: x.created, Version: x.version,
		Fields: Fields{Kind: generator.Kind(x.kind), Language: x.language}}
	if x.wished.Valid {
		r.Fields.WishedDate = x.wished.Time
	}
	if x.certificate.Valid {
		r.CertificateID = x.certificate.Bytes
	}
	if x.decided.Valid {
		r.DecidedAt = x.decided.Time
	}
	for _, f := range []struct {
		dst    *string
		column string
		ct     []byte
	}{{&r.Fields.FirstName, colFirstName, x.first}, {&r.Fields.LastName, colLastName, x.last}, {&r.Fields.Email, colEmail, x.email},
		{&r.Fields.PersonnelNumber, colPersonnelNumber, x.pn}, {&r.Fields.Reason, colReason, x.reason},
		{&r.DeclineMessage, colDeclineMessage, x.declinedWhy}} {
		var err error
		if *f.dst, err = c.OpenString(ctx, x.id, f.column, f.ct); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// readRequest reads one request in p's scope (forUpdate locks it).
func readRequest(ctx context.Context, db postgres.DBTX, c *keyring.TenantCipher, p *access.Principal, id uuid.UUID, forUpdate bool) (*Request, error) {
	x, err := postgres.One(ctx, db, "SELECT "+requestColumns+" FROM selfservice_requests WHERE tenant_id = $1 AND id = $2",
		[]any{p.TenantID, id}, lockIf(forUpdate, "FOR UPDATE"), scanRow, scope(p))
	if err != nil {
		return nil, err
	}
	r, err := x.request(ctx, c)
	if err != nil {
		return nil, err
	}
	names, err := companyNames(ctx, db, p.TenantID, []uuid.UUID{r.CompanyID})
	r.CompanyName = names[r.CompanyID]
	return r, err
}

// companyNames reads the names of companies (a request lists its company
// by name).
func companyNames(ctx context.Context, db postgres.DBTX, tenantID uuid.UUID, ids []uuid.UUID) (map[uuid.UUID]string, error) {
	out := map[uuid.UUID]string{}
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := db.Query(ctx, `SELECT id, name FROM companies WHERE tenant_id = $1 AND id = ANY($2)`, tenantID, ids)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id uuid.UUID
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, err
		}
		out[id] = name
	}
	return out, rows.Err()
}
