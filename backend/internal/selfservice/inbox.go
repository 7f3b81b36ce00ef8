package selfservice

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/zeugo/zeugo/backend/internal/apperr"
	"github.com/zeugo/zeugo/backend/internal/certificates"
	"github.com/zeugo/zeugo/backend/internal/employees"
	"github.com/zeugo/zeugo/backend/internal/keyring"
	"github.com/zeugo/zeugo/backend/internal/outbox"
	"github.com/zeugo/zeugo/backend/internal/paging"
	"github.com/zeugo/zeugo/backend/internal/postgres"
	"github.com/zeugo/zeugo/backend/internal/selfservice/dbsqlc"
	"github.com/zeugo/zeugo/backend/internal/uow"
)

// maxCandidates bounds the employees a request is matched to.
const maxCandidates = 10

// errNotOpen is a request already converted or declined.
var errNotOpen = apperr.Field(apperr.FailedPrecondition, "id", "zeugo.selfservice.decided",
	"the request has already been converted or declined")

// List returns one page of the inbox by the time received, newest first
// unless oldestFirst; state "" lists all. Every row listed is a recorded
// read.
func (s *Service) List(ctx context.Context, state State, oldestFirst bool, page paging.Request) (paging.Page[Request], error) {
	var out paging.Page[Request]
	err := s.Work.Read(ctx, func(rd *uow.Reader) error {
		c, err := rd.Cipher()
		if err != nil {
			return err
		}
		l := postgres.List{Table: "selfservice_requests", Columns: requestColumns, Desc: !oldestFirst,
			Where: []postgres.Cond{scope(rd.P)}}
		if state != "" {
			l.Where = append(l.Where, postgres.Where("state = ?", string(state)))
		}
		keyOf := postgres.TimeKey(&l, "created_at", func(r *Request) time.Time { return r.CreatedAt },
			func(r *Request) uuid.UUID { return r.ID })
		if out, err = uow.ListPage(rd, l, page, func(r pgx.CollectableRow) (Request, error) {
			x, err := scanRow(r)
			if err != nil {
				return Request{}, err
			}
			req, err := x.request(ctx, c)
			if err != nil {
				return Request{}, err
			}
			return *req, nil
		}, keyOf); err != nil {
			return err
		}
		var ids []uuid.UUID
		for _, r := range out.Items {
			ids = append(ids, r.CompanyID)
		}
		names, err := companyNames(ctx, rd.DB, rd.P.TenantID, ids)
		if err != nil {
			return err
		}
		for i := range out.Items {
			out.Items[i].CompanyName = names[out.Items[i].CompanyID]
			rd.Audit(ActionRequestListed, requestTarget(out.Items[i].ID))
		}
		return nil
	})
	return out, err
}

// Get returns one request in the caller's scope with the employees it may
// be about (employees.FindMatches, in the caller's certificate access).
// The request and each candidate shown are recorded reads.
func (s *Service) Get(ctx context.Context, id uuid.UUID) (*Request, []Candidate, error) {
	var req *Request
	var cands []Candidate
	err := s.Work.Read(ctx, func(rd *uow.Reader) error {
		c, err := rd.Cipher()
		if err != nil {
			return err
		}
		if req, err = readRequest(ctx, rd.DB, c, rd.P, id, false); err != nil {
			return err
		}
		if cands, err = s.candidates(rd, c, req); err != nil {
			return err
		}
		rd.Audit(ActionRequestRead, requestTarget(id))
		for _, m := range cands {
			rd.Audit(employees.ActionListed, uow.Target{Type: "employee", ID: m.EmployeeID})
		}
		return nil
	})
	return req, cands, err
}

// candidates are the employees req may be about, in the reader's scope.
func (s *Service) candidates(rd *uow.Reader, c *keyring.TenantCipher, req *Request) ([]Candidate, error) {
	ms, err := employees.FindMatches(rd.Context(), rd.DB, c, s.Index, rd.P, req.Fields.PersonnelNumber, req.Fields.Name(), maxCandidates)
	if err != nil {
		return nil, err
	}
	out := make([]Candidate, len(ms))
	for i, m := range ms {
		out[i] = Candidate{EmployeeID: m.ID, FirstName: m.Fields.FirstName, LastName: m.Fields.LastName,
			PersonnelNumber: m.Fields.PersonnelNumber, ByPersonnelNumber: m.ByPersonnelNumber}
	}
	return out, nil
}

// decide runs a decision on an open request in the caller's scope at
// version (locked for the transaction) and returns the request after it.
func (s *Service) decide(ctx context.Context, id uuid.UUID, version int64,
	fn func(tx *uow.Tx, c *keyring.TenantCipher, req *Request) error) (*Request, error) {
	var out *Request
	err := s.Work.Write(ctx, func(tx *uow.Tx) error {
		c, err := tx.Cipher()
		if err != nil {
			return err
		}
		req, err := readRequest(ctx, tx, c, tx.P, id, true)
		if err != nil {
			return err
		}
		if req.State != Open {
			return errNotOpen
		}
		if req.Version != version {
			return apperr.ErrConcurrentChange
		}
		if err := fn(tx, c, req); err != nil {
			return err
		}
		out, err = readRequest(ctx, tx, c, tx.P, id, false)
		return err
	})
	return out, err
}

// Convert starts a draft certificate of the request's kind and language
// for employeeID (in the caller's certificate access, else NotFound on
// "employee_id") and marks the request converted — one transaction, so
// there is never a draft without its request marked, nor the reverse.
func (s *Service) Convert(ctx context.Context, id uuid.UUID, version int64, employeeID uuid.UUID) (*Request, error) {
	return s.decide(ctx, id, version, func(tx *uow.Tx, _ *keyring.TenantCipher, req *Request) error {
		cert, err := s.Certificates.CreateIn(tx, certificates.NewCertificate{EmployeeID: employeeID, Kind: req.Fields.Kind,
			Language: req.Fields.Language})
		if err != nil {
			return err
		}
		if err := postgres.Affected(s.q.MarkConverted(ctx, tx, dbsqlc.MarkConvertedParams{TenantID: tx.P.TenantID, ID: id,
			Version: version, CertificateID: cert.ID, DecidedByKind: string(tx.P.Kind), DecidedBy: tx.P.ActorID,
			Now: s.Work.Now()})); err != nil {
			return err
		}
		return tx.Record(ActionRequestConverted, requestTarget(id), map[string]string{"certificate_id": cert.ID.String()})
	})
}

// Decline mails message to the requester and marks the request declined,
// in one transaction (the mail goes through the outbox once it commits).
func (s *Service) Decline(ctx context.Context, id uuid.UUID, version int64, message string) (*Request, error) {
	return s.decide(ctx, id, version, func(tx *uow.Tx, c *keyring.TenantCipher, req *Request) error {
		if err := postgres.Affected(s.q.MarkDeclined(ctx, tx, dbsqlc.MarkDeclinedParams{TenantID: tx.P.TenantID, ID: id,
			Version: version, DeclineMessageEnc: c.SealString(id, colDeclineMessage, message),
			DecidedByKind: string(tx.P.Kind), DecidedBy: tx.P.ActorID, Now: s.Work.Now()})); err != nil {
			return err
		}
		lang := req.Fields.Language
		if _, err := s.Outbox.Enqueue(ctx, tx, tx.P.TenantID, outbox.Message{Kind: outbox.Email, To: req.Fields.Email,
			Template: templateDeclined, Language: lang, Data: map[string]string{"Name": req.Fields.Name(), "Message": message,
				"RequestedAt": outbox.Date(req.CreatedAt, lang)}}); err != nil {
			return err
		}
		return tx.Record(ActionRequestDeclined, requestTarget(id), nil)
	})
}
