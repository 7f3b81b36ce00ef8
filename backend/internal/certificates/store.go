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

// reach is who may reach a certificate (SPEC §3.3), as conditions over
// the table certificates: the caller's scope over the employee's
// organisation (an EXISTS over the employee, left out for an unrestricted
// caller — every certificate has its employee), and for a private
// certificate being its creator or having Administrator access. Every read
// path includes them; nothing is filtered in memory.
func reach(p *access.Principal) []postgres.Cond {
	if g := grantOf(p); g != nil {
		return recipientReach(g)
	}
	var conds []postgres.Cond
	if !p.Scope.Unrestricted() {
		conds = append(conds, employeeCond(postgres.ScopeCond(p.Scope, postgres.ScopeColumns{Company: "e.company_id",
			Location: "e.location_id", Department: "e.department_id", OrgUnit: "e.org_unit_id",
			EmployeeType: "e.employee_type_id", Employee: "e.id"})))
	}
	if !p.Scope.All {
		conds = append(conds, postgres.Where("NOT certificates.private OR certificates.created_by = ?", p.UserID))
	}
	return conds
}

// employeeCond is a condition on the certificate's employee (scope, name
// search) as a semi-join.
func employeeCond(c postgres.Cond) postgres.Cond {
	return postgres.Cond{SQL: "EXISTS (SELECT 1 FROM employees e WHERE e.tenant_id = certificates.tenant_id AND " +
		"e.id = certificates.employee_id AND (" + c.SQL + "))", Args: c.Args}
}

// rowColumns are the columns a certificate is read with, in scanRow's
// order: the certificate's own and its employee's name and personnel
// number (one correlated lookup by primary key, evaluated only for the
// rows returned, never for a list's count).
const rowColumns = `certificates.id, certificates.employee_id, certificates.company_id, certificates.kind,
	certificates.language, certificates.status, certificates.private, certificates.created_by, certificates.created_at,
	certificates.updated_at, certificates.version, certificates.corrects_id, certificates.issued_at,
	(SELECT ARRAY[e.first_name_enc, e.last_name_enc, e.personnel_number_enc] FROM employees e
		WHERE e.tenant_id = certificates.tenant_id AND e.id = certificates.employee_id)`

type row struct {
	id, employee                 uuid.UUID
	company, createdBy, corrects pgtype.UUID
	kind, language, status       string
	private                      bool
	created, updated             time.Time
	version                      int64
	issued                       pgtype.Timestamptz
	names                        [][]byte // first name, last name, personnel number (ciphertexts)
	tracking                     bool     // the tenant's change tracking (read with a lock only)
}

func scanRow(r pgx.CollectableRow) (row, error) {
	var x row
	dst := []any{&x.id, &x.employee, &x.company, &x.kind, &x.language, &x.status, &x.private, &x.createdBy,
		&x.created, &x.updated, &x.version, &x.corrects, &x.issued, &x.names}
	if len(r.FieldDescriptions()) > len(dst) {
		dst = append(dst, &x.tracking)
	}
	err := r.Scan(dst...)
	if err == nil && len(x.names) != 3 {
		err = fmt.Errorf("certificates: the employee of %s has no name row", x.id)
	}
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
	first, last, pn, err := employees.OpenName(ctx, c, x.employee, x.names[0], x.names[1], x.names[2])
	if err != nil {
		return nil, err
	}
	cert := &Certificate{ID: x.id, EmployeeID: x.employee, EmployeeName: first + " " + last, PersonnelNumber: pn,
		CompanyID: fromUUID(x.company), Kind: generator.Kind(x.kind), Language: x.language, Status: Status(x.status),
		Private: x.private, Version: x.version, CreatedBy: fromUUID(x.createdBy), CreatedAt: x.created,
		UpdatedAt: x.updated, CorrectsID: fromUUID(x.corrects), Sections: map[Section]SectionInfo{}, tracking: x.tracking}
	if x.issued.Valid {
		cert.IssuedAt = x.issued.Time
	}
	return cert, nil
}

// load reads one certificate in the caller's reach, without content.
// forUpdate locks the certificate row (never the employee's) until the
// transaction ends: every write to a certificate takes it first, so
// writes to one certificate run one after the other. A locked read also
// brings the tenant's change-tracking setting, which the write obeys.
func load(ctx context.Context, db postgres.DBTX, c *keyring.TenantCipher, p *access.Principal, id uuid.UUID, forUpdate bool) (*Certificate, error) {
	cols := rowColumns
	if forUpdate {
		cols += ", (SELECT certificate_change_tracking FROM tenants WHERE id = certificates.tenant_id)"
	}
	sql, args := postgres.And("SELECT "+cols+" FROM certificates WHERE certificates.tenant_id = $1 AND certificates.id = $2",
		[]any{p.TenantID, id}, reach(p)...)
	if forUpdate {
		sql += " FOR UPDATE OF certificates"
	}
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
	others := map[access.Kind][]uuid.UUID{}
	for _, a := range actors {
		switch k := access.Kind(a.kind); k {
		case access.KindUser:
			userIDs = append(userIDs, a.id)
		case access.KindAPIKey:
			keyIDs = append(keyIDs, a.id)
		default:
			if s.namers[k] != nil {
				others[k] = append(others[k], a.id)
			}
		}
	}
	out := map[actor]string{}
	for k, ids := range others {
		names, err := s.namers[k](ctx, db, c, tenantID, ids)
		if err != nil {
			return nil, err
		}
		for id, n := range names {
			out[actor{string(k), id}] = n
		}
	}
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
		conds = append(conds, employeeCond(c))
	}
	return conds
}

// list reads one page in the reader's reach.
func (s *Service) list(rd *uow.Reader, q Query) (paging.Page[Summary], error) {
	l := postgres.List{Table: "certificates", Columns: rowColumns, Desc: q.Desc, Where: s.conditions(rd.P, q.Filter)}
	id := func(x *Summary) uuid.UUID { return x.ID }
	keyOf := postgres.TimeKey(&l, "updated_at", func(x *Summary) time.Time { return x.UpdatedAt }, id)
	if q.Order == ByCreateTime {
		keyOf = postgres.TimeKey(&l, "created_at", func(x *Summary) time.Time { return x.CreatedAt }, id)
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
