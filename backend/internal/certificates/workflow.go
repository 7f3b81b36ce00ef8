package certificates

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strconv"
	"strings"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/zeugo/zeugo/backend/internal/access"
	"github.com/zeugo/zeugo/backend/internal/apperr"
	"github.com/zeugo/zeugo/backend/internal/certificates/dbsqlc"
	"github.com/zeugo/zeugo/backend/internal/generator"
	"github.com/zeugo/zeugo/backend/internal/keyring"
	"github.com/zeugo/zeugo/backend/internal/layout"
	"github.com/zeugo/zeugo/backend/internal/pdf"
	"github.com/zeugo/zeugo/backend/internal/postgres"
	"github.com/zeugo/zeugo/backend/internal/uow"
)

// transitions are the moves of SPEC §5.2: forward, and back where a
// review sends the work back (review → in progress, completed → review).
// An issued certificate moves no more; a correction is a new certificate.
var transitions = map[Status][]Status{
	Draft:      {InProgress, Review},
	InProgress: {Review},
	Review:     {InProgress, Completed},
	Completed:  {Review, Issued},
}

// Next lists the statuses a certificate in status st may move to.
func Next(st Status) []Status { return transitions[st] }

// Transition moves a certificate in the workflow when version is current.
// Issuing needs a text; a text whose reading needs confirmation (a coded
// phrase, a grade other than the ratings') needs reason, which the
// history keeps (encrypted) and the audit event marks. Issuing renders the
// PDF and stores it with its SHA-256.
func (s *Service) Transition(ctx context.Context, id uuid.UUID, version int64, to Status, reason string) (*Certificate, error) {
	reason = strings.TrimSpace(reason)
	var cert *Certificate
	err := s.work.Write(ctx, func(tx *uow.Tx) error {
		c, err := tx.Cipher()
		if err != nil {
			return err
		}
		cur, err := s.read(ctx, tx, c, tx.P, id, true)
		if err != nil {
			return err
		}
		if cur.Version != version {
			return apperr.ErrConcurrentChange
		}
		allowed := transitions[cur.Status]
		if !slices.Contains(allowed, to) {
			names := make([]string, len(allowed))
			for i, a := range allowed {
				names[i] = string(a)
			}
			msg := "not allowed from " + string(cur.Status)
			if len(names) > 0 {
				msg += "; allowed: " + strings.Join(names, ", ")
			}
			return apperr.Field(apperr.FailedPrecondition, "status", RuleTransition, msg)
		}
		details := map[string]string{"from": string(cur.Status), "to": string(to)}
		var issuedAt pgtype.Timestamptz
		if to == Issued {
			sum, confirmed, err := s.issue(tx, c, cur, reason)
			if err != nil {
				return err
			}
			issuedAt = pgtype.Timestamptz{Time: s.work.Now(), Valid: true}
			details["sha256"] = sum
			details["confirmed"] = strconv.FormatBool(confirmed)
		} else {
			reason = ""
		}
		if err := s.setStatus(tx, cur, to, reason, issuedAt); err != nil {
			return err
		}
		action := ActionTransitioned
		if to == Issued {
			action = ActionIssued
		}
		if err := tx.Record(action, target(id), details); err != nil {
			return err
		}
		if cert, err = s.read(ctx, tx, c, tx.P, id, false); err != nil {
			return err
		}
		return s.documentHash(ctx, tx, tx.P.TenantID, cert)
	})
	return cert, err
}

// setStatus moves a locked certificate to status to, with its history
// entry (reason kept encrypted) and its change log.
func (s *Service) setStatus(tx *uow.Tx, cur *Certificate, to Status, reason string, issuedAt pgtype.Timestamptz) error {
	if err := postgres.Affected(s.q.SetStatus(tx.Context(), tx, dbsqlc.SetStatusParams{TenantID: tx.P.TenantID, ID: cur.ID,
		Status: string(to), IssuedAt: issuedAt, Version: cur.Version, Now: s.work.Now()})); err != nil {
		return err
	}
	if err := s.history(tx, cur.ID, cur.Status, to, reason); err != nil {
		return err
	}
	return s.recordField(tx, cur, "status", string(cur.Status), string(to))
}

// issue reads the text once more against the current ratings, demands a
// reason where it needs confirmation, renders the PDF and stores it. It
// returns the PDF's SHA-256 (hex) and whether a confirmation was given.
func (s *Service) issue(tx *uow.Tx, c *keyring.TenantCipher, cur *Certificate, reason string) (string, bool, error) {
	ctx := tx.Context()
	res := cur.Content.Result
	if res == nil || len(res.Paragraphs) == 0 {
		return "", false, apperr.Field(apperr.FailedPrecondition, "status", RuleTextRequired, "the certificate has no text yet")
	}
	co, err := s.company(ctx, tx, c, tx.P, &cur.Content)
	if err != nil {
		return "", false, err
	}
	employer := employerOf(co)
	check, err := checkText(&cur.Content, employer, res.Paragraphs)
	if err != nil {
		return "", false, err
	}
	if check.NeedsConfirmation && reason == "" {
		return "", false, apperr.Field(apperr.FailedPrecondition, "confirmation_reason", RuleConfirmation,
			"the text has findings: confirm with a reason to issue it")
	}
	doc, problems, err := s.document(ctx, tx, tx.P.TenantID, cur.ID.String(), &cur.Content, employer)
	if err != nil {
		return "", false, err
	}
	if len(problems) > 0 {
		return "", false, problemsError(problems)
	}
	l, err := layout.For(ctx, tx, tx.P.TenantID, co, cur.Language)
	if err != nil {
		return "", false, err
	}
	b, err := pdf.Render(doc, l)
	if err != nil {
		return "", false, err
	}
	sum := sha256.Sum256(b)
	if err := s.q.InsertDocument(ctx, tx, dbsqlc.InsertDocumentParams{TenantID: tx.P.TenantID, CertificateID: cur.ID,
		PdfEnc: c.Seal(cur.ID, colDocument, b), Sha256: sum[:], SizeBytes: int32(len(b)), Now: s.work.Now()}); err != nil {
		return "", false, err
	}
	return hex.EncodeToString(sum[:]), check.NeedsConfirmation, nil
}

// SetPrivate marks a certificate private or public again: its creator and
// callers with Administrator access only.
func (s *Service) SetPrivate(ctx context.Context, id uuid.UUID, version int64, private bool) (*Certificate, error) {
	var cert *Certificate
	err := s.work.Write(ctx, func(tx *uow.Tx) error {
		c, err := tx.Cipher()
		if err != nil {
			return err
		}
		cur, err := load(ctx, tx, c, tx.P, id, true)
		if err != nil {
			return err
		}
		if !tx.P.Scope.All && (cur.CreatedBy == uuid.Nil || cur.CreatedBy != tx.P.UserID) {
			return apperr.Field(apperr.PermissionDenied, "private", RuleCreatorOnly,
				"only its creator and Administrator access change this")
		}
		if cur.Version != version {
			return apperr.ErrConcurrentChange
		}
		if err := postgres.Affected(s.q.SetPrivate(ctx, tx, dbsqlc.SetPrivateParams{TenantID: tx.P.TenantID, ID: id,
			Private: private, Version: version, Now: s.work.Now()})); err != nil {
			return err
		}
		if err := s.recordField(tx, cur, "private", strconv.FormatBool(cur.Private), strconv.FormatBool(private)); err != nil {
			return err
		}
		if err := tx.Record(ActionPrivateSet, target(id), map[string]string{"private": strconv.FormatBool(private)}); err != nil {
			return err
		}
		if cert, err = s.read(ctx, tx, c, tx.P, id, false); err != nil {
			return err
		}
		return s.documentHash(ctx, tx, tx.P.TenantID, cert)
	})
	return cert, err
}

// Correct starts a correction of an issued certificate: a new draft with
// the same content that references it; the issued one stays as it is.
func (s *Service) Correct(ctx context.Context, id uuid.UUID) (*Certificate, error) {
	var cert *Certificate
	err := s.work.Write(ctx, func(tx *uow.Tx) error {
		c, err := tx.Cipher()
		if err != nil {
			return err
		}
		cur, err := s.read(ctx, tx, c, tx.P, id, true)
		if err != nil {
			return err
		}
		if cur.Status != Issued {
			return apperr.Field(apperr.FailedPrecondition, "id", RuleIssuedOnly, "only an issued certificate is corrected; edit this one")
		}
		content, err := cur.Content.clone()
		if err != nil {
			return err
		}
		nid := uuid.Must(uuid.NewV7())
		if err := s.insert(tx, nid, cur.EmployeeID, cur.Private, id, &content); err != nil {
			return err
		}
		if err := tx.Record(ActionCorrected, target(nid), map[string]string{"corrects": id.String()}); err != nil {
			return err
		}
		cert, err = s.read(ctx, tx, c, tx.P, nid, false)
		return err
	})
	return cert, err
}

// Delete removes a certificate with its sections, history, change log and
// stored PDF.
func (s *Service) Delete(ctx context.Context, id uuid.UUID) error {
	return s.work.Write(ctx, func(tx *uow.Tx) error {
		c, err := tx.Cipher()
		if err != nil {
			return err
		}
		if _, err := load(ctx, tx, c, tx.P, id, true); err != nil {
			return err
		}
		if err := s.q.DeleteCertificate(ctx, tx, dbsqlc.DeleteCertificateParams{TenantID: tx.P.TenantID, ID: id}); err != nil {
			return err
		}
		return tx.Record(ActionDeleted, target(id), nil)
	})
}

// Download is a certificate's PDF.
type Download struct {
	PDF      []byte
	FileName string
	SHA256   string
	// Issued: the stored document; else a preview of the current text.
	Issued bool
}

// Download returns the stored PDF of an issued certificate (the same bytes
// every time) or a preview rendered from the current text; either way an
// audited access with the PDF's SHA-256.
func (s *Service) Download(ctx context.Context, id uuid.UUID) (*Download, error) {
	var d *Download
	err := s.work.Read(ctx, func(rd *uow.Reader) error {
		if err := mayDownload(rd.P); err != nil {
			return err
		}
		c, err := rd.Cipher()
		if err != nil {
			return err
		}
		cert, err := s.read(ctx, rd.DB, c, rd.P, id, false)
		if err != nil {
			return err
		}
		pr, err := s.printable(ctx, rd.DB, c, rd.P, cert, nil)
		if err != nil {
			return err
		}
		d = &Download{FileName: pr.name, Issued: pr.stored != nil}
		if d.PDF, err = pr.bytes(); err != nil {
			return err
		}
		sum := sha256.Sum256(d.PDF)
		d.SHA256 = hex.EncodeToString(sum[:])
		rd.AuditWith(ActionDownloaded, target(id), map[string]string{"sha256": d.SHA256, "issued": strconv.FormatBool(d.Issued)})
		return nil
	})
	return d, err
}

// printable is what a certificate's PDF is made of: the stored document of
// an issued certificate, else the document and layout to render a preview
// from. Download, the bulk export and the data subject's export share it.
type printable struct {
	doc    generator.Document
	layout pdf.Layout
	// stored is the issued PDF (nil before issue).
	stored []byte
	name   string
}

// bytes is the PDF: the stored one, else the preview rendered now.
func (pr *printable) bytes() ([]byte, error) {
	if pr.stored != nil {
		return pr.stored, nil
	}
	return pdf.Render(pr.doc, pr.layout)
}

// printable reads what cert's PDF is made of (cert read with its content
// in the caller's reach); a certificate not issued whose sections do not
// say enough for a document is refused (problemsError).
//
// layouts, when not nil, keeps the layouts read so far by company and
// language: an export of many drafts of one company reads its layout (and
// logo) once.
func (s *Service) printable(ctx context.Context, db postgres.DBTX, c *keyring.TenantCipher, p *access.Principal, cert *Certificate, layouts map[string]pdf.Layout) (*printable, error) {
	co, err := s.company(ctx, db, c, p, &cert.Content)
	if err != nil {
		return nil, err
	}
	employer := employerOf(co)
	doc, problems, err := s.document(ctx, db, p.TenantID, cert.ID.String(), &cert.Content, employer)
	if err != nil {
		return nil, err
	}
	title := doc.Title
	if title == "" {
		title = "Zeugnis"
	}
	pr := &printable{doc: doc, name: fileName(title, &cert.Content)}
	if cert.Status != Issued {
		if len(problems) > 0 {
			return nil, problemsError(problems)
		}
		// Only a preview is printed now; an issued certificate has its
		// stored PDF and needs no layout (nor its logo read again).
		key := cert.Language
		if co != nil {
			key = co.ID.String() + "/" + key
		}
		l, ok := layouts[key]
		if !ok {
			if l, err = layout.For(ctx, db, p.TenantID, co, cert.Language); err != nil {
				return nil, err
			}
			if layouts != nil {
				layouts[key] = l
			}
		}
		pr.layout = l
		return pr, nil
	}
	row, err := s.q.Document(ctx, db, dbsqlc.DocumentParams{TenantID: p.TenantID, CertificateID: cert.ID})
	if err != nil {
		return nil, postgres.NotFoundOr(err)
	}
	if pr.stored, err = c.Open(ctx, cert.ID, colDocument, row.PdfEnc); err != nil {
		return nil, err
	}
	return pr, nil
}
