package certificates

// The certificates' part of a data subject's export (GDPR Art. 15, 20;
// employees.ExportData): every certificate about the employee in the
// caller's reach as JSON (sections, status, history) and its PDF beside
// the document. Registered with employees.Service.AddDataSection, so that
// employees does not import this package.

import (
	"context"
	"encoding/json"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/zeugo/zeugo/backend/internal/apperr"
	"github.com/zeugo/zeugo/backend/internal/certificates/dbsqlc"
	"github.com/zeugo/zeugo/backend/internal/employees"
	"github.com/zeugo/zeugo/backend/internal/keyring"
	"github.com/zeugo/zeugo/backend/internal/postgres"
	"github.com/zeugo/zeugo/backend/internal/uow"
)

// subjectCertificateJSON is one certificate in the Art. 15 document.
type subjectCertificateJSON struct {
	ID         string                     `json:"id"`
	Kind       string                     `json:"kind"`
	Language   string                     `json:"language"`
	Status     string                     `json:"status"`
	Private    bool                       `json:"private"`
	CreatedAt  string                     `json:"createdAt"`
	UpdatedAt  string                     `json:"updatedAt"`
	IssuedAt   string                     `json:"issuedAt,omitempty"`
	CorrectsID string                     `json:"correctsId,omitempty"`
	Sections   map[string]json.RawMessage `json:"sections"`
	History    []subjectHistoryJSON       `json:"history"`
	// PDF is the file's path in the archive; PDFMissing says why there is
	// none (a draft whose sections do not yet say enough for a text).
	PDF        string `json:"pdf,omitempty"`
	PDFMissing string `json:"pdfMissing,omitempty"`
}

// subjectHistoryJSON is a workflow step. The actor is named by kind and id
// only: their name is the personal data of the tenant's staff (Art. 15(4),
// as for the audit events).
type subjectHistoryJSON struct {
	From   string            `json:"from,omitempty"`
	To     string            `json:"to"`
	Actor  map[string]string `json:"actor"`
	At     string            `json:"at"`
	Reason string            `json:"reason,omitempty"`
}

// SubjectData is the certificates' section ("certificates") of the data
// subject's export. Each certificate read is recorded as a read for the
// export.
func (s *Service) SubjectData() employees.DataSection {
	return employees.DataSection{Key: "certificates", Collect: s.subjectData}
}

func (s *Service) subjectData(ctx context.Context, tx *uow.Tx, employeeID uuid.UUID) (any, []employees.DataFile, error) {
	sql, args := postgres.And("SELECT certificates.id FROM certificates WHERE certificates.tenant_id = $1 AND certificates.employee_id = $2",
		[]any{tx.P.TenantID, employeeID}, reach(tx.P)...)
	rows, err := tx.Query(ctx, sql+" ORDER BY certificates.created_at, certificates.id", args...)
	if err != nil {
		return nil, nil, err
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[uuid.UUID])
	if err != nil {
		return nil, nil, err
	}
	c, err := tx.Cipher()
	if err != nil {
		return nil, nil, err
	}
	out := make([]subjectCertificateJSON, 0, len(ids))
	var files []employees.DataFile
	names := map[string]int{}
	targets := make([]uow.Target, len(ids))
	for i, id := range ids {
		targets[i] = target(id)
		cert, err := s.read(ctx, tx, c, tx.P, id, false)
		if err != nil {
			return nil, nil, err
		}
		x, err := s.subjectJSON(ctx, tx, c, cert)
		if err != nil {
			return nil, nil, err
		}
		b, name, missing, err := s.renderPDF(ctx, tx, c, cert)
		if err != nil {
			return nil, nil, err
		}
		if b != nil {
			x.PDF = "zeugnisse/" + uniqueName(names, name)
			files = append(files, employees.DataFile{Name: x.PDF, Data: b})
		}
		x.PDFMissing = missing
		out = append(out, *x)
	}
	if len(targets) > 0 {
		if err := tx.RecordEach(ActionRead, targets, map[string]string{"purpose": "employee_data_export"}); err != nil {
			return nil, nil, err
		}
	}
	return out, files, nil
}

// renderPDF is a certificate's PDF and its file name (issued: the stored
// document; else a preview), or no PDF and why not (missing).
func (s *Service) renderPDF(ctx context.Context, tx *uow.Tx, c *keyring.TenantCipher, cert *Certificate) (b []byte, name, missing string, err error) {
	pr, err := s.printable(ctx, tx, c, tx.P, cert, nil)
	if apperr.Is(err, apperr.FailedPrecondition) {
		return nil, "", "the sections do not yet say enough for a text", nil
	}
	if err != nil {
		return nil, "", "", err
	}
	b, err = pr.bytes()
	return b, pr.name, "", err
}

func (s *Service) subjectJSON(ctx context.Context, tx *uow.Tx, c *keyring.TenantCipher, cert *Certificate) (*subjectCertificateJSON, error) {
	ts := func(t time.Time) string { return t.UTC().Format(time.RFC3339) }
	x := &subjectCertificateJSON{ID: cert.ID.String(), Kind: string(cert.Kind), Language: cert.Language, Status: string(cert.Status),
		Private: cert.Private, CreatedAt: ts(cert.CreatedAt), UpdatedAt: ts(cert.UpdatedAt), Sections: map[string]json.RawMessage{},
		History: []subjectHistoryJSON{}}
	if !cert.IssuedAt.IsZero() {
		x.IssuedAt = ts(cert.IssuedAt)
	}
	if cert.CorrectsID != uuid.Nil {
		x.CorrectsID = cert.CorrectsID.String()
	}
	for _, sec := range Sections {
		if !cert.Content.Has(sec) {
			continue
		}
		b, err := cert.Content.encode(sec)
		if err != nil {
			return nil, err
		}
		x.Sections[string(sec)] = b
	}
	rows, err := s.q.History(ctx, tx, dbsqlc.HistoryParams{TenantID: tx.P.TenantID, CertificateID: cert.ID})
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		reason, err := c.OpenString(ctx, r.ID, colHistoryReason, r.ReasonEnc)
		if err != nil {
			return nil, err
		}
		x.History = append(x.History, subjectHistoryJSON{From: r.FromStatus.String, To: r.ToStatus,
			Actor: map[string]string{"type": r.ActorKind, "id": r.ActorID.String()}, At: r.At.UTC().Format(time.RFC3339Nano),
			Reason: reason})
	}
	return x, nil
}
