package certificates

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/zeugo/zeugo/backend/internal/access"
	"github.com/zeugo/zeugo/backend/internal/certificates/dbsqlc"
	"github.com/zeugo/zeugo/backend/internal/employees"
	"github.com/zeugo/zeugo/backend/internal/generator"
	"github.com/zeugo/zeugo/backend/internal/keyring"
	"github.com/zeugo/zeugo/backend/internal/paging"
	"github.com/zeugo/zeugo/backend/internal/postgres"
	"github.com/zeugo/zeugo/backend/internal/uow"
	"github.com/zeugo/zeugo/backend/internal/users"
)

// sectionColumn is the associated-data name of a section's ciphertext.
func sectionColumn(s Section) string { return "certificate_sections." + string(s) }

// Associated-data names of the other encrypted columns.
const (
	colHistoryReason = "certificate_history.reason"
	colChangeBefore  = "certificate_changes.before"
	colChangeAfter   = "certificate_changes.after"
	colDocument      = "certificate_documents.pdf"
)

// reach is who may reach a certificate, as conditions over the view
// certificate_rows (SPEC §3.3): the caller's scope over the employee's
// organisation, and for a private certificate being its creator or having
// Administrator access. Every read path includes it; nothing is filtered
// in memory.
func reach(p *access.Principal) []postgres.Cond {
	conds := []postgres.Cond{postgres.ScopeCond(p.Scope, postgres.ScopeColumns{Company: "employee_company_id",
		Location: "employee_location_id", Department: "employee_department_id", OrgUnit: "employee_org_unit_id",
		EmployeeType: "employee_type_id", Employee: "employee_id"})}
	if !p.Scope.All {
		conds = append(conds, postgres.Where("NOT private OR created_by = ?", p.UserID))
	}
	return conds
}

// rowColumns are the columns of certificate_rows a certificate is read
// with, in scanRow's order.
const rowColumns = `id, employee_id, company_id, kind, language, status, private, created_by, created_at, updated_at,
	version, corrects_id, issued_at, employee_first_name_enc, employee_last_name_enc, employee_personnel_number_enc`

type row struct {
	id, employee                     uuid.UUID
	company, createdBy, corrects     pgtype.UUID
	kind, language, status           string
	private                          bool
	created, updated                 time.Time
	version                          int64
	issued                           pgtype.Timestamptz
	firstEnc, lastEnc, pnEnc         []byte
}

func scanRow(r pgx.CollectableRow) (row, error) {
	var x row
	err := r.Scan(&x.id, &x.employee, &x.company, &x.kind, &x.language, &x.status, &x.private, &x.createdBy,
		&x.created, &x.updated, &x.version, &x.corrects, &x.issued, &x.firstEnc, &x.lastEnc, &x.pnEnc)
	return x, err
}

func fromUUID(u pgtype.UUID) uuid.UUID {
	if !u.Valid {
		return uuid.Nil
	}
	return u.Bytes
}

func toUUID(u uuid.UUID) pgtype.UUID { return pgtype.UUID{Bytes: u, Valid: u != uuid.Nil} }

func pgDate(d Date) pgtype.Date { return pgtype.Date{Time: d.Time, Valid: !d.IsZero()} }

// certificate turns a row into a Certificate without content.
func (x *row) certificate(ctx context.Context, c *keyring.TenantCipher) (*Certificate, error) {
	first, last, pn, err := employees.OpenName(ctx, c, x.employee, x.firstEnc, x.lastEnc, x.pnEnc)
	if err != nil {
		return nil, err
	}
	cert := &Certificate{ID: x.id, EmployeeID: x.employee, EmployeeName: first + " " + last, PersonnelNumber: pn,
		CompanyID: fromUUID(x.company), Kind: generator.Kind(x.kind), Language: x.language, Status: Status(x.status),
		Private: x.private, Version: x.version, CreatedBy: fromUUID(x.createdBy), CreatedAt: x.created,
		UpdatedAt: x.updated, CorrectsID: fromUUID(x.corrects), Sections: map[Section]SectionInfo{}}
	if x.issued.Valid {
		cert.IssuedAt = x.issued.Time
	}
	return cert, nil
}

// load reads one certificate in the caller's reach, without content.
// forUpdate locks the certificate row (not the employee's) until the
// transaction ends: every write to a certificate takes it first, so
// writes to one certificate run one after the other.
func load(ctx context.Context, db postgres.DBTX, c *keyring.TenantCipher, p *access.Principal, id uuid.UUID, forUpdate bool) (*Certificate, error) {
	base := "SELECT " + rowColumns + " FROM certificate_rows WHERE tenant_id = $1 AND id = $2"
	if forUpdate {
		// certificate_rows joins employees: lock only the certificate (a
		// row out of reach is locked until the failed request ends, and
		// read by no one).
		base += " AND id IN (SELECT id FROM certificates WHERE tenant_id = $1 AND id = $2 FOR UPDATE)"
	}
	sql, args := postgres.And(base, []any{p.TenantID, id}, reach(p)...)
	rows, err := db.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	x, err := pgx.CollectExactlyOneRow(rows, scanRow)
	if err != nil {
		return nil, postgres.NotFoundOr(err)
	}
	return x.certificate(ctx, c)
}

// sections reads and decrypts every section of cert into its content.
func (s *Service) sections(ctx context.Context, db postgres.DBTX, c *keyring.TenantCipher, tenantID uuid.UUID, cert *Certificate) error {
	rows, err := s.q.Sections(ctx, db, dbsqlc.SectionsParams{TenantID: tenantID, CertificateID: cert.ID})
	if err != nil {
		return err
	}
	for _, r := range rows {
		sec := Section(r.Section)
		b, err := c.Open(ctx, cert.ID, sectionColumn(sec), r.ContentEnc)
		if err != nil {
			return err
		}
		if err := cert.Content.decode(sec, b); err != nil {
			return fmt.Errorf("certificates: section %s of %s: %w", sec, cert.ID, err)
		}
		cert.Sections[sec] = SectionInfo{Version: r.Version, UpdatedByKind: r.UpdatedByKind, UpdatedBy: r.UpdatedBy, UpdatedAt: r.UpdatedAt}
	}
	return nil
}

// names fills the names of the creator, the last savers and the
// signatories.
func (s *Service) names(ctx context.Context, db postgres.DBTX, c *keyring.TenantCipher, p *access.Principal, cert *Certificate) error {
	var actors []actor
	if cert.CreatedBy != uuid.Nil {
		actors = append(actors, actor{string(access.KindUser), cert.CreatedBy})
	}
	for _, si := range cert.Sections {
		actors = append(actors, actor{si.UpdatedByKind, si.UpdatedBy})
	}
	names, err := s.actorNames(ctx, db, c, p.TenantID, actors)
	if err != nil {
		return err
	}
	cert.CreatedByName = names[actor{string(access.KindUser), cert.CreatedBy}]
	for sec, si := range cert.Sections {
		si.UpdatedByName = names[actor{si.UpdatedByKind, si.UpdatedBy}]
		cert.Sections[sec] = si
	}
	return signatoryNames(ctx, db, c, p, &cert.Content)
}

// signatoryNames fills the signatories' names from the employees. A
// signatory outside the caller's scope still signs (the scope limits whose
// certificates a user sees, not who may sign them), so this reads by id
// within the tenant.
func signatoryNames(ctx context.Context, db postgres.DBTX, c *keyring.TenantCipher, p *access.Principal, content *Content) error {
	if content.Signatures == nil {
		return nil
	}
	all := *p
	all.Scope = access.Scope{All: true}
	for i, sg := range content.Signatures.Signatories {
		e, err := employees.Lookup(ctx, db, c, &all, sg.EmployeeID)
		if err != nil {
			return err
		}
		content.Signatures.Signatories[i].Name = e.Fields.FullName()
	}
	return nil
}

// actor is who did something: an access.Kind and its id.
type actor struct {
	kind string
	id   uuid.UUID
}

// actorNames names users and API keys; other kinds (a handover recipient,
// a support person) are named by their own domains' records.
func (s *Service) actorNames(ctx context.Context, db postgres.DBTX, c *keyring.TenantCipher, tenantID uuid.UUID, actors []actor) (map[actor]string, error) {
	var userIDs, keyIDs []uuid.UUID
	for _, a := range actors {
		switch access.Kind(a.kind) {
		case access.KindUser:
			userIDs = append(userIDs, a.id)
		case access.KindAPIKey:
			keyIDs = append(keyIDs, a.id)
		}
	}
	out := map[actor]string{}
	un, err := users.Names(ctx, db, c, tenantID, userIDs)
	if err != nil {
		return nil, err
	}
	for id, n := range un {
		out[actor{string(access.KindUser), id}] = n
	}
	if len(keyIDs) > 0 {
		rows, err := s.q.APIKeyNames(ctx, db, dbsqlc.APIKeyNamesParams{TenantID: tenantID, Ids: keyIDs})
		if err != nil {
			return nil, err
		}
		for _, r := range rows {
			out[actor{string(access.KindAPIKey), r.ID}] = r.Name
		}
	}
	return out, nil
}

// read loads a certificate with its content and names.
func (s *Service) read(ctx context.Context, db postgres.DBTX, c *keyring.TenantCipher, p *access.Principal, id uuid.UUID, forUpdate bool) (*Certificate, error) {
	cert, err := load(ctx, db, c, p, id, forUpdate)
	if err != nil {
		return nil, err
	}
	if err := s.sections(ctx, db, c, p.TenantID, cert); err != nil {
		return nil, err
	}
	if !forUpdate {
		if err := s.names(ctx, db, c, p, cert); err != nil {
			return nil, err
		}
	} else if err := signatoryNames(ctx, db, c, p, &cert.Content); err != nil {
		return nil, err
	}
	return cert, nil
}

// document reads the stored PDF's hash (nil before issue).
func (s *Service) documentHash(ctx context.Context, db postgres.DBTX, tenantID uuid.UUID, cert *Certificate) error {
	if cert.Status != Issued {
		return nil
	}
	d, err := s.q.Document(ctx, db, dbsqlc.DocumentParams{TenantID: tenantID, CertificateID: cert.ID})
	if err != nil {
		return postgres.NotFoundOr(err)
	}
	cert.DocumentSHA256 = d.Sha256
	return nil
}

// sealSection encrypts a section's JSON for storage.
func sealSection(c *keyring.TenantCipher, id uuid.UUID, sec Section, content *Content) ([]byte, error) {
	b, err := content.encode(sec)
	if err != nil {
		return nil, err
	}
	return c.Seal(id, sectionColumn(sec), b), nil
}

// conditions are the filter of a list, the reach included.
func (s *Service) conditions(p *access.Principal, f Filter) []postgres.Cond {
	conds := reach(p)
	if len(f.Statuses) > 0 {
		st := make([]string, len(f.Statuses))
		for i, v := range f.Statuses {
			st[i] = string(v)
		}
		conds = append(conds, postgres.Where("status = ANY(?)", st))
	}
	if len(f.Kinds) > 0 {
		ks := make([]string, len(f.Kinds))
		for i, v := range f.Kinds {
			ks[i] = string(v)
		}
		conds = append(conds, postgres.Where("kind = ANY(?)", ks))
	}
	if f.Company != uuid.Nil {
		conds = append(conds, postgres.Where("company_id = ?", f.Company))
	}
	if f.Employee != uuid.Nil {
		conds = append(conds, postgres.Where("employee_id = ?", f.Employee))
	}
	if f.PrivateOnly {
		conds = append(conds, postgres.Where("private"))
	}
	if c, ok := employees.SearchCond(s.index, p.TenantID, f.Search); ok {
		conds = append(conds, c)
	}
	return conds
}

// list reads one page in the reader's reach.
func (s *Service) list(rd *uow.Reader, q Query) (paging.Page[Summary], error) {
	l := postgres.List{Table: "certificate_rows", Columns: rowColumns, Desc: q.Desc, Where: s.conditions(rd.P, q.Filter)}
	var keyOf func(*Summary) (string, uuid.UUID)
	switch q.Order {
	case ByCreateTime:
		l.Key, l.KeyArg = "created_at", "?::timestamptz"
		keyOf = func(x *Summary) (string, uuid.UUID) { return x.CreatedAt.UTC().Format(time.RFC3339Nano), x.ID }
	default:
		l.Key, l.KeyArg = "updated_at", "?::timestamptz"
		keyOf = func(x *Summary) (string, uuid.UUID) { return x.UpdatedAt.UTC().Format(time.RFC3339Nano), x.ID }
	}
	c, err := rd.Cipher()
	if err != nil {
		return paging.Page[Summary]{}, err
	}
	ctx := rd.Context()
	return uow.ListPage(rd, l, q.Page, func(r pgx.CollectableRow) (Summary, error) {
		x, err := scanRow(r)
		if err != nil {
			return Summary{}, err
		}
		cert, err := x.certificate(ctx, c)
		if err != nil {
			return Summary{}, err
		}
		return Summary{ID: cert.ID, EmployeeID: cert.EmployeeID, EmployeeName: cert.EmployeeName,
			PersonnelNumber: cert.PersonnelNumber, CompanyID: cert.CompanyID, Kind: cert.Kind, Language: cert.Language,
			Status: cert.Status, Private: cert.Private, CreatedAt: cert.CreatedAt, UpdatedAt: cert.UpdatedAt}, nil
	}, keyOf)
}

// jsonString renders a change-log value: strings as they are, everything
// else as JSON.
func jsonString(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	b, _ := json.Marshal(v)
	return string(b)
}
