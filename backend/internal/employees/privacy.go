package employees

// The data subject's rights (GDPR Art. 15, 17, 20) and the refusals that
// protect data the law or a hold keeps (docs/security.md §1.12).

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"connectrpc.com/connect"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/zeugo/zeugo/backend/internal/apperr"
	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
	"github.com/zeugo/zeugo/backend/internal/uow"
)

// Rule ids of the refusals of delete and erase (a violation on "id"), which
// clients translate; the message says the same in English.
const (
	RuleLegalHold  = "zeugo.legal_hold"
	RuleReferenced = "zeugo.employee_referenced"
	// RuleConfirmation: the typed personnel number is not the employee's.
	RuleConfirmation = "zeugo.confirmation"
)

// errLegalHold refuses removing an employee under a legal hold.
func errLegalHold() error {
	return apperr.Field(apperr.FailedPrecondition, "id", RuleLegalHold,
		"a legal hold stands on this employee; lift it first")
}

// errReferenced refuses removing an employee something references: one
// violation per kind of reference, its message "<kind>: <count>", so a
// client can name what references the employee and how often; the error's
// message says it in words ("referenced by 2 certificates as subject, 1
// as signatory").
func errReferenced(refs []Reference) error {
	refs = slices.Clone(refs)
	slices.SortStableFunc(refs, func(a, b Reference) int { return referenceRank(a.Kind) - referenceRank(b.Kind) })
	parts := make([]string, len(refs))
	v := make([]apperr.FieldViolation, len(refs))
	for i, r := range refs {
		v[i] = apperr.FieldViolation{Field: "id", RuleID: RuleReferenced, Message: fmt.Sprintf("%s: %d", r.Kind, r.Count)}
		parts[i] = referenceWords(r, i == 0)
	}
	return &apperr.Error{Code: apperr.FailedPrecondition, Violations: v,
		Message: "the employee is referenced by " + strings.Join(parts, ", ") + " and must be kept"}
}

// referenceRank orders the kinds of reference: the certificates about
// the employee first, those they sign next, anything else after.
func referenceRank(kind string) int {
	switch kind {
	case "certificate_subject":
		return 0
	case "certificate_signatory":
		return 1
	}
	return 2
}

// referenceWords says one kind of reference: "2 certificates as subject",
// after the first only "1 as signatory"; a kind it does not know as
// "<kind>: <count>".
func referenceWords(r Reference, first bool) string {
	role, ok := map[string]string{"certificate_subject": "as subject", "certificate_signatory": "as signatory"}[r.Kind]
	if !ok {
		return fmt.Sprintf("%s: %d", r.Kind, r.Count)
	}
	if !first {
		return fmt.Sprintf("%d %s", r.Count, role)
	}
	noun := "certificates"
	if r.Count == 1 {
		noun = "certificate"
	}
	return fmt.Sprintf("%d %s %s", r.Count, noun, role)
}

// DataDocumentFormat names the layout of the Art. 15 document; its version
// grows when a section changes meaning (adding a section does not).
const (
	DataDocumentFormat  = "zeugo.employee-data"
	DataDocumentVersion = 1
)

// subjectData is what the sections of one document are built from.
type subjectData struct {
	e     *Employee
	names map[uuid.UUID]string
	// files are what the sections put beside the document.
	files []DataFile
}

// section is one part of the Art. 15 document after its metadata, under
// key; each is collected in the export's transaction, in the caller's
// scope.
type section struct {
	key     string
	collect func(ctx context.Context, tx *uow.Tx, d *subjectData) (any, error)
}

// DataFile is a file beside the Art. 15 document (a certificate's PDF);
// Name is its path in the archive.
type DataFile struct {
	Name string
	Data []byte
}

// DataSection is a part of the Art. 15 document that a domain building on
// employees contributes (the certificates about the employee), registered
// with AddDataSection so that employees need not know that domain. Collect
// runs in the export's transaction as the caller (reading only what their
// reach allows) and returns the section's JSON value and the files that go
// beside the document.
type DataSection struct {
	Key     string
	Collect func(ctx context.Context, tx *uow.Tx, employeeID uuid.UUID) (any, []DataFile, error)
}

// AddDataSection adds a section to every Art. 15 document, after the
// references and before the audit events (app.Build wires it once, before
// serving).
func (s *Service) AddDataSection(d DataSection) { s.more = append(s.more, d) }

func (s *Service) dataSections() []section {
	out := []section{
		{"employee", func(_ context.Context, _ *uow.Tx, d *subjectData) (any, error) { return employeeJSON(d), nil }},
		{"legalHold", func(_ context.Context, _ *uow.Tx, d *subjectData) (any, error) { return holdJSON(d.e.Hold), nil }},
		{"references", s.referencesJSON},
	}
	for _, m := range s.more {
		out = append(out, section{m.Key, func(ctx context.Context, tx *uow.Tx, d *subjectData) (any, error) {
			v, files, err := m.Collect(ctx, tx, d.e.ID)
			d.files = append(d.files, files...)
			return v, err
		}})
	}
	return append(out, section{"auditEvents", s.auditEventsJSON})
}

// DataExport is an Art. 15 document, alone and as an archive with the
// files beside it.
type DataExport struct {
	Document []byte // UTF-8 JSON
	FileName string
	// Archive is a ZIP of the document and the files (ArchiveName).
	Archive     []byte
	ArchiveName string
}

// ExportData answers a data subject's request for access and portability
// (GDPR Art. 15, 20) about one employee in the caller's scope: one JSON
// document with every field, the legal hold, what references them, the
// sections other domains add (the certificates about them) and the audit
// events about them, and a ZIP of the document with the files those
// sections give (the certificates' PDFs). The export is recorded (and
// chained at once); nothing of it is kept anywhere.
func (s *Service) ExportData(ctx context.Context, id uuid.UUID) (*DataExport, error) {
	var out *DataExport
	err := s.work.Write(ctx, func(tx *uow.Tx) error {
		e, err := s.getInTx(ctx, tx, id)
		if err != nil {
			return err
		}
		companies, units := e.Fields.orgIDs(nil, nil)
		o, err := s.orgNames(ctx, tx, tx.P.TenantID, companies, units)
		if err != nil {
			return err
		}
		var controller string
		if err := tx.QueryRow(ctx, "SELECT name FROM tenants WHERE id = $1", tx.P.TenantID).Scan(&controller); err != nil {
			return err
		}
		now := s.work.Now()
		sections := s.dataSections()
		keys := make([]string, len(sections))
		for i, sec := range sections {
			keys[i] = sec.key
		}
		doc := &orderedJSON{}
		doc.add("format", map[string]any{"name": DataDocumentFormat, "version": DataDocumentVersion})
		doc.add("generatedAt", now.UTC().Format(time.RFC3339))
		doc.add("controller", map[string]string{"name": controller})
		doc.add("subject", map[string]string{"employeeId": e.ID.String()})
		doc.add("sections", keys)
		d := &subjectData{e: e, names: o.names}
		for _, sec := range sections {
			v, err := sec.collect(ctx, tx, d)
			if err != nil {
				return err
			}
			doc.add(sec.key, v)
		}
		b, err := doc.bytes()
		if err != nil {
			return err
		}
		if err := tx.Record(ActionDataExported, target(id), nil); err != nil {
			return err
		}
		out = &DataExport{Document: b, FileName: dataFileName(e.Fields.PersonnelNumber, now)}
		out.ArchiveName = strings.TrimSuffix(out.FileName, ".json") + ".zip"
		out.Archive, err = dataArchive(out.FileName, b, d.files, now)
		return err
	})
	return out, err
}

// dataArchive is the ZIP of the document (deflated) and the files (stored:
// PDFs are compressed already), in the order the sections gave them.
func dataArchive(name string, doc []byte, files []DataFile, now time.Time) ([]byte, error) {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	add := func(name string, data []byte, method uint16) error {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: method, Modified: now})
		if err != nil {
			return err
		}
		_, err = w.Write(data)
		return err
	}
	if err := add(name, doc, zip.Deflate); err != nil {
		return nil, err
	}
	for _, f := range files {
		if err := add(f.Name, f.Data, zip.Store); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// dataFileName is "auskunft-<personnel number>-<date>.json" with the
// personnel number reduced to characters every file system and header
// takes.
func dataFileName(pn string, now time.Time) string {
	var b strings.Builder
	for _, r := range pn {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
		if b.Len() >= 40 {
			break
		}
	}
	name := strings.Trim(b.String(), "_")
	if name == "" {
		name = "mitarbeiter"
	}
	return "auskunft-" + name + "-" + FormatDate(today(now)) + ".json"
}

// employeeJSON is every field of the employee (exportJSON: ISO dates,
// organisation ids with their names) and when the record was made and last
// changed.
func employeeJSON(d *subjectData) map[string]any {
	m := exportJSON(d.e, d.names)
	m["createdAt"] = d.e.CreatedAt.UTC().Format(time.RFC3339)
	m["updatedAt"] = d.e.UpdatedAt.UTC().Format(time.RFC3339)
	return m
}

func holdJSON(h *LegalHold) any {
	if h == nil {
		return nil
	}
	m := map[string]any{"since": h.At.UTC().Format(time.RFC3339), "reason": h.Reason}
	if h.By != uuid.Nil {
		m["setByUserId"] = h.By.String()
	}
	return m
}

type referenceJSON struct {
	Kind  string `json:"kind"`
	RefID string `json:"refId"`
}

// referencesJSON lists what references the employee (view
// employee_references): kind and id of each.
func (s *Service) referencesJSON(ctx context.Context, tx *uow.Tx, d *subjectData) (any, error) {
	rows, err := tx.Query(ctx, `SELECT kind, ref_id::text FROM employee_references
		WHERE tenant_id = $1 AND employee_id = $2 ORDER BY kind, ref_id`, tx.P.TenantID, d.e.ID)
	if err != nil {
		return nil, err
	}
	refs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (referenceJSON, error) {
		var x referenceJSON
		return x, r.Scan(&x.Kind, &x.RefID)
	})
	if refs == nil {
		refs = []referenceJSON{}
	}
	return refs, err
}

// auditEventJSON is one audit event about the employee. The actor is named
// by type and id (and an API key, a system, by its name), never by the
// person's name, IP address or browser: those are the personal data of the
// tenant's staff (Art. 15(4); docs/security.md §1.12).
type auditEventJSON struct {
	ID      string            `json:"id"`
	Time    string            `json:"time"`
	Action  string            `json:"action"`
	Outcome string            `json:"outcome"`
	Actor   actorJSON         `json:"actor"`
	Details map[string]string `json:"details,omitempty"`
	// Chained is false for a read recorded moments ago that the sweeper
	// has not yet appended to the tamper-evident chain.
	Chained bool `json:"chained"`
	at      time.Time
}

type actorJSON struct {
	Type string `json:"type"`
	ID   string `json:"id,omitempty"`
	Name string `json:"name,omitempty"`
}

// auditEventsJSON lists the audit events about the employee, chained and
// pending, oldest first. A chained read's time is the read's ("read_at").
func (s *Service) auditEventsJSON(ctx context.Context, tx *uow.Tx, d *subjectData) (any, error) {
	rows, err := tx.Query(ctx, `SELECT id, occurred_at, action, outcome, actor_type, actor_id, details, true
			FROM audit_events WHERE tenant_id = $1 AND target_type = $2 AND target_id = $3
		UNION ALL
		SELECT id, occurred_at, action, outcome, actor_type, actor_id, details, false
			FROM audit_pending WHERE tenant_id = $1 AND target_type = $2 AND target_id = $3`,
		tx.P.TenantID, TargetEmployee, d.e.ID.String())
	if err != nil {
		return nil, err
	}
	keys := map[string]bool{}
	events, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (auditEventJSON, error) {
		var x auditEventJSON
		var at time.Time
		var details string
		if err := r.Scan(&x.ID, &at, &x.Action, &x.Outcome, &x.Actor.Type, &x.Actor.ID, &details, &x.Chained); err != nil {
			return x, err
		}
		if details != "" && details != "{}" {
			if json.Unmarshal([]byte(details), &x.Details) != nil {
				x.Details = nil // details are flat strings; anything else is not shown
			}
		}
		if t, err := time.Parse(time.RFC3339Nano, x.Details["read_at"]); err == nil {
			at = t
			delete(x.Details, "read_at")
		}
		if len(x.Details) == 0 {
			x.Details = nil
		}
		x.at, x.Time = at, at.UTC().Format(time.RFC3339Nano)
		if x.Actor.Type == "api_key" {
			keys[x.Actor.ID] = true
		}
		return x, nil
	})
	if err != nil {
		return nil, err
	}
	if len(keys) > 0 {
		ids := make([]string, 0, len(keys))
		for k := range keys {
			ids = append(ids, k)
		}
		rows, err := tx.Query(ctx, `SELECT id::text, name FROM api_keys WHERE tenant_id = $1 AND id::text = ANY($2)`,
			tx.P.TenantID, ids)
		if err != nil {
			return nil, err
		}
		names := map[string]string{}
		var id, name string
		if _, err := pgx.ForEachRow(rows, []any{&id, &name}, func() error { names[id] = name; return nil }); err != nil {
			return nil, err
		}
		for i := range events {
			if events[i].Actor.Type == "api_key" {
				events[i].Actor.Name = names[events[i].Actor.ID]
			}
		}
	}
	slices.SortStableFunc(events, func(a, b auditEventJSON) int {
		if c := a.at.Compare(b.at); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	if events == nil {
		events = []auditEventJSON{}
	}
	return events, nil
}

// orderedJSON writes an object whose keys keep the order they were added
// in (the sections in the order the document lists them).
type orderedJSON struct {
	keys []string
	vals []any
}

func (o *orderedJSON) add(key string, v any) {
	o.keys, o.vals = append(o.keys, key), append(o.vals, v)
}

func (o *orderedJSON) bytes() ([]byte, error) {
	var b bytes.Buffer
	b.WriteString("{")
	for i, k := range o.keys {
		if i > 0 {
			b.WriteString(",")
		}
		kb, _ := json.Marshal(k)
		vb, err := json.Marshal(o.vals[i])
		if err != nil {
			return nil, err
		}
		b.Write(kb)
		b.WriteString(":")
		b.Write(vb)
	}
	b.WriteString("}")
	var out bytes.Buffer
	if err := json.Indent(&out, b.Bytes(), "", "  "); err != nil {
		return nil, err
	}
	out.WriteString("\n")
	return out.Bytes(), nil
}

// Erase erases an employee in the caller's scope and everything stored
// about them (GDPR Art. 17) once confirm is their personnel number
// (compared as the index compares it). It is refused like Delete under a
// legal hold or while anything references the employee (a certificate must
// be kept). The audit log keeps the employee's id only: the erasure is
// recorded without personal data, and past events about them stay
// (docs/security.md §1.12).
func (s *Service) Erase(ctx context.Context, id uuid.UUID, confirm string) error {
	return s.work.Write(ctx, func(tx *uow.Tx) error {
		c, err := tx.Cipher()
		if err != nil {
			return err
		}
		e, err := getScoped(ctx, tx, c, tx.P, id, true)
		if err != nil {
			return err
		}
		if NormalizePersonnelNumber(confirm) != NormalizePersonnelNumber(e.Fields.PersonnelNumber) {
			return apperr.Field(apperr.InvalidArgument, "confirm_personnel_number", RuleConfirmation,
				"the personnel number does not match the employee's")
		}
		if err := s.removable(ctx, tx, id); err != nil {
			return err
		}
		// Nothing else holds personal data of an employee: the import
		// mapping is the tenant's, and the view employee_references (empty
		// here, or removable refused) names what would.
		if err := s.delete(ctx, tx, id); err != nil {
			return err
		}
		return tx.Record(ActionErased, target(id), nil)
	})
}

// ExportEmployeeData implements zeugov1connect.EmployeeServiceHandler.
func (h *Handler) ExportEmployeeData(ctx context.Context, req *connect.Request[zeugov1.ExportEmployeeDataRequest]) (*connect.Response[zeugov1.ExportEmployeeDataResponse], error) {
	x, err := h.svc.ExportData(ctx, uuid.MustParse(req.Msg.GetId()))
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.ExportEmployeeDataResponse{Document: x.Document, FileName: x.FileName,
		Archive: x.Archive, ArchiveFileName: x.ArchiveName}), nil
}

// EraseEmployee implements zeugov1connect.EmployeeServiceHandler.
func (h *Handler) EraseEmployee(ctx context.Context, req *connect.Request[zeugov1.EraseEmployeeRequest]) (*connect.Response[zeugov1.EraseEmployeeResponse], error) {
	if err := h.svc.Erase(ctx, uuid.MustParse(req.Msg.GetId()), req.Msg.GetConfirmPersonnelNumber()); err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.EraseEmployeeResponse{}), nil
}
