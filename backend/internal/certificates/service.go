package certificates

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/zeugo/zeugo/backend/internal/access"
	"github.com/zeugo/zeugo/backend/internal/apperr"
	"github.com/zeugo/zeugo/backend/internal/catalog"
	"github.com/zeugo/zeugo/backend/internal/certificates/dbsqlc"
	"github.com/zeugo/zeugo/backend/internal/employees"
	"github.com/zeugo/zeugo/backend/internal/generator"
	"github.com/zeugo/zeugo/backend/internal/keyring"
	"github.com/zeugo/zeugo/backend/internal/organization"
	"github.com/zeugo/zeugo/backend/internal/paging"
	"github.com/zeugo/zeugo/backend/internal/postgres"
	"github.com/zeugo/zeugo/backend/internal/uow"
)

// NewCertificate is what starts a certificate.
type NewCertificate struct {
	EmployeeID   uuid.UUID
	Kind         generator.Kind
	Language     string // "" is German
	JobProfileID string
	Private      bool
}

// Create starts a draft for an employee in the caller's scope, its
// sections filled from the employee and the job profile.
func (s *Service) Create(ctx context.Context, in NewCertificate) (*Certificate, error) {
	var cert *Certificate
	err := s.work.Write(ctx, func(tx *uow.Tx) error {
		var err error
		cert, err = s.CreateIn(tx, in)
		return err
	})
	return cert, err
}

// CreateIn is Create inside the caller's write, for a domain whose action
// starts a certificate together with a change of its own (self-service
// marks the request it came from in the same transaction).
func (s *Service) CreateIn(tx *uow.Tx, in NewCertificate) (*Certificate, error) {
	if in.Language == "" {
		in.Language = "de"
	}
	ctx := tx.Context()
	c, err := tx.Cipher()
	if err != nil {
		return nil, err
	}
	e, err := employees.Lookup(ctx, tx, c, tx.P, in.EmployeeID)
	if err != nil {
		if !apperr.Is(postgres.Classify(err), apperr.NotFound) {
			return nil, err // a failure, not an answer: logged with its id
		}
		return nil, apperr.Field(apperr.NotFound, "employee_id", RuleUnknown, "no such employee")
	}
	lib, _, err := s.libs.Current(ctx, tx, tx.P.TenantID)
	if err != nil {
		return nil, err
	}
	if in.JobProfileID != "" {
		// A hidden profile is kept for the certificates that use it, but
		// not offered for new ones.
		if _, ok := lib.Catalog.Profile(in.JobProfileID); !ok || lib.Catalog.IsHidden(catalog.EntryJobProfile, in.JobProfileID) {
			return nil, violations{{Field: "job_profile_id", RuleID: RuleUnknown, Message: "no such job profile"}}.err("unknown job profile")
		}
	}
	content := s.initialContent(e, in, s.work.Now(), lib.Catalog)
	id := uuid.Must(uuid.NewV7())
	if err := s.insert(tx, id, e.ID, in.Private, uuid.Nil, &content); err != nil {
		return nil, err
	}
	if err := tx.Record(ActionCreated, target(id), map[string]string{"kind": string(in.Kind)}); err != nil {
		return nil, err
	}
	return s.read(ctx, tx, c, tx.P, id, false)
}

// initialContent fills the sections from the employee (SPEC §5.1:
// "taken from the employee, overridable") and the job profile.
func (s *Service) initialContent(e *employees.Employee, in NewCertificate, now time.Time, cat *catalog.Catalog) Content {
	f := e.Fields
	title := f.JobTitle
	var profileTasks []string
	if p, ok := cat.Profile(in.JobProfileID); ok {
		if title == "" {
			title = p.Title[in.Language].For(salutationOf(f.Salutation).Gender())
		}
		for _, t := range p.Tasks {
			profileTasks = append(profileTasks, t.ID)
		}
	}
	c := Content{
		Data: &Data{Kind: in.Kind, Language: in.Language, JobProfileID: in.JobProfileID, JobTitle: title},
		Personal: &Personal{Salutation: f.Salutation, Title: f.Title, FirstName: f.FirstName, LastName: f.LastName,
			BirthDate: Date{Time: f.BirthDate}, Birthplace: f.Birthplace},
		Company:         &Company{CompanyID: f.CompanyID},
		CertificateData: &CertificateData{EntryDate: Date{Time: f.EntryDate}},
		Further:         &Further{}, Signatures: &Signatures{}, Career: &Career{}, Stations: &Stations{},
		Tasks:           &Tasks{ProfileTaskIDs: profileTasks, Tasks: append([]string(nil), f.Tasks...)},
		AdditionalTasks: &TextList{}, Trainings: &Trainings{}, Authorities: &Authorities{},
		Performance: &Performance{}, Conduct: &Conduct{}, Qualifications: &Qualifications{}, Successes: &TextList{},
		Result: &Result{},
	}
	if in.Kind == generator.Interim {
		c.CertificateData.IssueDate = Date{Time: employees.Today(now)}
	} else {
		c.CertificateData.ExitDate = Date{Time: f.ExitDate}
		c.CertificateData.ExitReason = f.ExitReason
		if in.Kind == generator.Apprenticeship && (f.ExitReason == "" || f.ExitReason == string(generator.ExitFixedTerm)) {
			c.CertificateData.ExitReason = string(generator.ExitEndTraining)
		} else if in.Kind != generator.Apprenticeship && f.ExitReason == string(generator.ExitEndTraining) {
			c.CertificateData.ExitReason = ""
		}
	}
	for _, a := range f.Authorities {
		c.Authorities.Authorities = append(c.Authorities.Authorities, Authority{Kind: a.Kind, Name: a.Name, Since: Date{Time: a.Since}})
	}
	fitKind(&c)
	return c
}

// insert stores a new certificate with every section and its creation
// in the history.
func (s *Service) insert(tx *uow.Tx, id, employeeID uuid.UUID, private bool, corrects uuid.UUID, content *Content) error {
	ctx := tx.Context()
	c, err := tx.Cipher()
	if err != nil {
		return err
	}
	now := s.work.Now()
	if err := s.q.InsertCertificate(ctx, tx, dbsqlc.InsertCertificateParams{ID: id, TenantID: tx.P.TenantID,
		EmployeeID: employeeID, CompanyID: toUUID(companyOf(content)), Kind: string(content.Kind()),
		Language: content.Data.Language, Private: private, CreatedBy: toUUID(tx.P.UserID), Now: now,
		CorrectsID: toUUID(corrects), DocumentDate: pgDate(documentDate(content))}); err != nil {
		return err
	}
	for _, sec := range Sections {
		enc, err := sealSection(c, id, sec, content)
		if err != nil {
			return err
		}
		if err := s.q.InsertSection(ctx, tx, dbsqlc.InsertSectionParams{TenantID: tx.P.TenantID, CertificateID: id,
			Section: string(sec), ContentEnc: enc, UpdatedByKind: string(tx.P.Kind), UpdatedBy: tx.P.ActorID, Now: now}); err != nil {
			return err
		}
	}
	if err := s.syncSignatories(tx, id, content); err != nil {
		return err
	}
	return s.history(tx, id, "", Draft, "")
}

func companyOf(c *Content) uuid.UUID {
	if c.Company == nil {
		return uuid.Nil
	}
	return c.Company.CompanyID
}

// documentDate is the date the certificate carries (retention counts
// from it).
func documentDate(c *Content) Date {
	if c.CertificateData == nil {
		return Date{}
	}
	if c.Kind() == generator.Interim {
		return c.CertificateData.IssueDate
	}
	return c.CertificateData.ExitDate
}

// syncSignatories keeps certificate_signatories equal to the signatures
// section (the employee deletion rule reads it).
func (s *Service) syncSignatories(tx *uow.Tx, id uuid.UUID, content *Content) error {
	ctx := tx.Context()
	if err := s.q.ClearSignatories(ctx, tx, dbsqlc.ClearSignatoriesParams{TenantID: tx.P.TenantID, CertificateID: id}); err != nil {
		return err
	}
	if content.Signatures == nil {
		return nil
	}
	for i, sg := range content.Signatures.Signatories {
		if err := s.q.InsertSignatory(ctx, tx, dbsqlc.InsertSignatoryParams{TenantID: tx.P.TenantID, CertificateID: id,
			Position: int16(i), EmployeeID: sg.EmployeeID}); err != nil {
			return err
		}
	}
	return nil
}

// history records a workflow step.
func (s *Service) history(tx *uow.Tx, id uuid.UUID, from, to Status, reason string) error {
	hid := uuid.Must(uuid.NewV7())
	p := dbsqlc.InsertHistoryParams{ID: hid, TenantID: tx.P.TenantID, CertificateID: id, ToStatus: string(to),
		ActorKind: string(tx.P.Kind), ActorID: tx.P.ActorID, At: s.work.Now()}
	if from != "" {
		p.FromStatus = pgtype.Text{String: string(from), Valid: true}
	}
	if reason != "" {
		c, err := tx.Cipher()
		if err != nil {
			return err
		}
		p.ReasonEnc = c.SealString(hid, colHistoryReason, reason)
	}
	return s.q.InsertHistory(tx.Context(), tx, p)
}

// Get returns one certificate in the caller's reach, with every section
// and the checker's reading of its text.
func (s *Service) Get(ctx context.Context, id uuid.UUID) (*Certificate, error) {
	var cert *Certificate
	err := s.work.Read(ctx, func(rd *uow.Reader) error {
		c, err := rd.Cipher()
		if err != nil {
			return err
		}
		if cert, err = s.read(ctx, rd.DB, c, rd.P, id, false); err != nil {
			return err
		}
		if err := s.documentHash(ctx, rd.DB, rd.P.TenantID, cert); err != nil {
			return err
		}
		rd.Audit(ActionRead, target(id))
		cert = cert.forCaller(rd.P)
		return nil
	})
	return cert, err
}

// List returns one page of the certificates in the caller's reach; each
// row listed is a recorded read.
func (s *Service) List(ctx context.Context, q Query) (paging.Page[Summary], error) {
	var page paging.Page[Summary]
	err := s.work.Read(ctx, func(rd *uow.Reader) error {
		var err error
		if page, err = s.list(rd, q); err != nil {
			return err
		}
		for _, x := range page.Items {
			rd.Audit(ActionListed, target(x.ID))
		}
		return nil
	})
	return page, err
}

// lockWritable locks a certificate in the caller's reach for a change of
// content, with its sections; an issued certificate is read-only.
func (s *Service) lockWritable(tx *uow.Tx, id uuid.UUID) (*Certificate, *keyring.TenantCipher, error) {
	c, err := tx.Cipher()
	if err != nil {
		return nil, nil, err
	}
	cert, err := s.read(tx.Context(), tx, c, tx.P, id, true)
	if err != nil {
		return nil, nil, err
	}
	if cert.Status == Issued {
		return nil, nil, apperr.Field(apperr.FailedPrecondition, "id", RuleReadOnly,
			"an issued certificate is read-only; start a correction")
	}
	if err := recipientWritable(tx.P, cert); err != nil {
		return nil, nil, err
	}
	return cert, c, nil
}

// UpdateSection replaces one section (the only one in next) when version
// is the section's current one (Aborted otherwise, and nothing changes).
func (s *Service) UpdateSection(ctx context.Context, id uuid.UUID, version int64, next Content) (*Certificate, error) {
	sec := next.Only()
	if sec == "" {
		return nil, apperr.Field(apperr.InvalidArgument, "section", RuleSectionMissing, "exactly one section")
	}
	var cert *Certificate
	err := s.work.Write(ctx, func(tx *uow.Tx) error {
		if err := mayWrite(tx.P, sec); err != nil {
			return err
		}
		cur, c, err := s.lockWritable(tx, id)
		if err != nil {
			return err
		}
		if cur.Sections[sec].Version != version {
			return apperr.ErrConcurrentChange
		}
		merged, err := cur.Content.clone()
		if err != nil {
			return err
		}
		if err := merged.copySection(&next, sec); err != nil {
			return err
		}
		normalizeSection(&merged, sec)
		employer, err := s.employer(ctx, tx, c, tx.P, &merged)
		if err != nil {
			return err
		}
		lib, _, err := s.libs.Current(ctx, tx, tx.P.TenantID)
		if err != nil {
			return err
		}
		ck := &checker{ctx: ctx, db: tx, c: c, p: tx.P, cat: lib.Catalog, prev: &cur.Content}
		if err := ck.validate(&merged, sec); err != nil {
			return err
		}
		changed := []Section{sec}
		if sec == SecData && merged.Data.Kind != cur.Content.Kind() {
			changed = append(changed, fitKind(&merged)...)
		}
		if sec == SecData && fitProfile(&merged, lib.Catalog) {
			changed = append(changed, SecTasks)
		}
		if err := mayWriteAll(tx.P, changed); err != nil {
			return err
		}
		if sec == SecResult {
			carryGenerated(cur.Content.Result, merged.Result)
		}
		if merged.Result != nil && len(merged.Result.Paragraphs) > 0 && framesCheck(changed) {
			if err := signatoryNames(ctx, tx, c, tx.P, &merged); err != nil {
				return err
			}
			check, err := checkText(&merged, employer, merged.Result.Paragraphs)
			if err != nil {
				return err
			}
			merged.Result.Check = check
			if sec != SecResult {
				changed = append(changed, SecResult) // a new reading of the same text
			}
		}
		for i, ch := range changed {
			v := cur.Sections[ch].Version
			if i > 0 && ch == SecResult && sec != SecResult {
				v = -1 // the reading only: keep the text's version
			}
			if err := s.store(tx, c, cur, &merged, ch, v); err != nil {
				return err
			}
		}
		if sec == SecSignatures {
			if err := s.syncSignatories(tx, id, &merged); err != nil {
				return err
			}
		}
		if err := s.touch(tx, id, &merged); err != nil {
			return err
		}
		if err := tx.Record(ActionSectionUpdated, target(id), map[string]string{"section": string(sec)}); err != nil {
			return err
		}
		cert, err = s.written(tx, c, cur, &merged, changed)
		cert = cert.forCaller(tx.P)
		return err
	})
	return cert, err
}

// written is the certificate after a write of the changed sections of
// next, built from what the write holds (no second read): the new
// versions with the caller as their last saver, and every name filled.
func (s *Service) written(tx *uow.Tx, c *keyring.TenantCipher, cur *Certificate, next *Content, changed []Section) (*Certificate, error) {
	out := *cur
	out.Content = *next
	out.Sections = make(map[Section]SectionInfo, len(cur.Sections))
	for sec, si := range cur.Sections {
		out.Sections[sec] = si
	}
	now := s.work.Now()
	for i, sec := range changed {
		if i > 0 && sec == SecResult && changed[0] != SecResult {
			continue // a new reading of the same text: same version
		}
		si := out.Sections[sec]
		si.Version++
		si.UpdatedByKind, si.UpdatedBy, si.UpdatedAt = string(tx.P.Kind), tx.P.ActorID, now
		out.Sections[sec] = si
	}
	out.UpdatedAt, out.CompanyID = now, companyOf(next)
	out.Kind, out.Language = next.Kind(), next.Data.Language
	if err := s.names(tx.Context(), tx, c, tx.P, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// framesCheck reports whether a change of these sections changes how the
// text reads (language, kind, person, ratings, names).
func framesCheck(changed []Section) bool {
	for _, s := range changed {
		switch s {
		case SecResult, SecData, SecPersonal, SecCompany, SecSignatures, SecPerformance, SecConduct, SecFurther:
			return true
		}
	}
	return false
}

// carryGenerated keeps, for every paragraph of an edited text, what was
// generated for the paragraph at the same place (so the editor can show
// the hand edit), and nothing for a paragraph that is new.
func carryGenerated(before, after *Result) {
	after.CatalogVersion, after.GeneratedAt = "", time.Time{}
	if before == nil {
		return
	}
	after.CatalogVersion, after.GeneratedAt = before.CatalogVersion, before.GeneratedAt
	for i := range after.Paragraphs {
		p := &after.Paragraphs[i]
		p.GeneratedText, p.GeneratedItems = "", nil
		if i < len(before.Paragraphs) && before.Paragraphs[i].Section == p.Section {
			p.GeneratedText, p.GeneratedItems = before.Paragraphs[i].GeneratedText, before.Paragraphs[i].GeneratedItems
		}
	}
}

// store writes section sec of next, records its changes and checks the
// version (version < 0: rewrite without a new version — the checker's
// reading of an unchanged text).
func (s *Service) store(tx *uow.Tx, c *keyring.TenantCipher, cur *Certificate, next *Content, sec Section, version int64) error {
	ctx := tx.Context()
	enc, err := sealSection(c, cur.ID, sec, next)
	if err != nil {
		return err
	}
	if version < 0 {
		return s.q.RewriteSection(ctx, tx, dbsqlc.RewriteSectionParams{TenantID: tx.P.TenantID, CertificateID: cur.ID,
			Section: string(sec), ContentEnc: enc})
	}
	n, err := s.q.UpdateSection(ctx, tx, dbsqlc.UpdateSectionParams{TenantID: tx.P.TenantID, CertificateID: cur.ID,
		Section: string(sec), ContentEnc: enc, UpdatedByKind: string(tx.P.Kind), UpdatedBy: tx.P.ActorID,
		Now: s.work.Now(), Version: version})
	if err != nil {
		return err
	}
	if n == 0 {
		return apperr.ErrConcurrentChange
	}
	before, err := cur.Content.encode(sec)
	if err != nil {
		return err
	}
	after, err := next.encode(sec)
	if err != nil {
		return err
	}
	return s.recordChanges(tx, cur, sec, before, after)
}

// touch records a change of content on the certificate row.
func (s *Service) touch(tx *uow.Tx, id uuid.UUID, c *Content) error {
	return s.q.TouchCertificate(tx.Context(), tx, dbsqlc.TouchCertificateParams{TenantID: tx.P.TenantID, ID: id,
		Now: s.work.Now(), CompanyID: toUUID(companyOf(c)), Kind: string(c.Kind()), Language: c.Data.Language,
		DocumentDate: pgDate(documentDate(c))})
}

// employer reads the company the certificate names (zero without one).
func (s *Service) employer(ctx context.Context, db postgres.DBTX, c *keyring.TenantCipher, p *access.Principal, content *Content) (Employer, error) {
	co, err := s.company(ctx, db, c, p, content)
	return employerOf(co), err
}

// employerOf is what the text needs of a company (zero for none).
func employerOf(co *organization.Company) Employer {
	if co == nil {
		return Employer{}
	}
	return Employer{Name: co.Fields.Name, City: co.Fields.City}
}

// company reads the company the certificate names (nil without one).
func (s *Service) company(ctx context.Context, db postgres.DBTX, c *keyring.TenantCipher, p *access.Principal, content *Content) (*organization.Company, error) {
	id := companyOf(content)
	if id == uuid.Nil {
		return nil, nil
	}
	co, err := organization.CompanyFor(ctx, db, c, p.TenantID, id)
	if err != nil && apperr.Is(postgres.Classify(err), apperr.NotFound) {
		return nil, nil
	}
	return co, err
}
