package certificates

// The bulk export (SPEC §5.1, issue 15 §7): selected certificates into one
// ZIP of PDFs, written by a River job so that a request never renders a
// thousand PDFs. Start checks every id against the caller's reach in one
// query and inserts the export row and its job in one transaction; the job
// runs as the requester (their reach as it was at the start), reads the
// certificates batch by batch, renders them with one worker (bounded
// memory and one core, docs/performance.md) and streams the ZIP into
// encrypted chunks of at most 1 MiB, so no ZIP is ever held whole in
// memory. The download streams the chunks back to the requester only, and
// is an audited access of every certificate in it.

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/zeugo/zeugo/backend/internal/access"
	"github.com/zeugo/zeugo/backend/internal/apperr"
	"github.com/zeugo/zeugo/backend/internal/certificates/dbsqlc"
	"github.com/zeugo/zeugo/backend/internal/employees"
	"github.com/zeugo/zeugo/backend/internal/jobs"
	"github.com/zeugo/zeugo/backend/internal/pdf"
	"github.com/zeugo/zeugo/backend/internal/postgres"
	"github.com/zeugo/zeugo/backend/internal/uow"
)

// Limits and timing of the bulk export.
const (
	// ExportQueue is the River queue of the export job (one worker per
	// replica: an export takes at most one core of a replica).
	ExportQueue = "certificate_export"
	// ExportBatch is how many certificates the job reads per transaction.
	ExportBatch = 100
	// ExportChunkSize is the largest stored chunk of a ZIP.
	ExportChunkSize = 1 << 20
	// ExportTTL is how long a finished ZIP can be downloaded.
	ExportTTL = 24 * time.Hour
	// exportRenderWorkers renders the previews of an export one at a time:
	// a single rendering goroutine leaves the other cores to requests (a
	// PDF download while an export runs stays within 3× its idle latency,
	// BenchmarkDownloadDuringExport) and keeps at most two rendered PDFs
	// in memory.
	exportRenderWorkers = 1
	// colExportChunk is the associated-data name of a chunk; the chunk's
	// sequence number is appended, so a chunk cannot change place.
	colExportChunk = "certificate_export_chunks.data_enc"
)

// Audit actions and target type of exports.
const (
	ActionExportStarted = "certificate.export_started"
	TargetExport        = "certificate_export"
)

// ExportState is where an export stands.
type ExportState string

// Export states as stored.
const (
	ExportPending ExportState = "pending"
	ExportRunning ExportState = "running"
	ExportDone    ExportState = "done"
	ExportFailed  ExportState = "failed"
)

// Export is a bulk export's progress.
type Export struct {
	ID          uuid.UUID
	State       ExportState
	Total, Done int
	SizeBytes   int64
	CreatedAt   time.Time
	ExpiresAt   time.Time
}

func exportOf(r *dbsqlc.ExportRow) *Export {
	return &Export{ID: r.ID, State: ExportState(r.State), Total: int(r.Total), Done: int(r.Done), SizeBytes: r.SizeBytes,
		CreatedAt: r.CreatedAt, ExpiresAt: r.ExpiresAt}
}

// ExportArgs is the export job. It carries the requester as the job acts
// for them: kind, ids and their certificate-access scope at the start
// (organisation ids only, no personal data).
type ExportArgs struct {
	TenantID  uuid.UUID    `json:"tenant_id"`
	ExportID  uuid.UUID    `json:"export_id"`
	ActorKind access.Kind  `json:"actor_kind"`
	ActorID   uuid.UUID    `json:"actor_id"`
	UserID    uuid.UUID    `json:"user_id"`
	Scope     access.Scope `json:"scope"`
}

// Kind implements river.JobArgs.
func (ExportArgs) Kind() string { return "certificate_export" }

func (a ExportArgs) principal() *access.Principal {
	return &access.Principal{Kind: a.ActorKind, ActorID: a.ActorID, UserID: a.UserID, TenantID: a.TenantID, Scope: a.Scope}
}

// UseJobs lets the service start exports: it inserts their jobs through
// ins. Without it StartExport is Unavailable (operator commands build the
// service without jobs).
func (s *Service) UseJobs(ins *jobs.Inserter) { s.jobs = ins }

// ExportJob is the export's on-demand job for jobs.Start.
func (s *Service) ExportJob() jobs.Periodic {
	return jobs.OnDemand(ExportQueue, func(w *river.Workers) { river.AddWorker(w, &exportWorker{s: s}) })
}

// exportWorker runs export jobs.
type exportWorker struct {
	river.WorkerDefaults[ExportArgs]
	s *Service
}

// Timeout allows a thousand PDFs on a slow, busy machine.
func (w *exportWorker) Timeout(*river.Job[ExportArgs]) time.Duration { return 30 * time.Minute }

// Work implements river.Worker: a failure River will retry leaves the
// export running (the retry starts over); the last failure, or one no
// retry can mend (a certificate gone or out of reach, or lacking what its
// text needs), marks it failed.
func (w *exportWorker) Work(ctx context.Context, job *river.Job[ExportArgs]) error {
	err := w.s.RunExport(ctx, job.Args)
	if err == nil {
		return nil
	}
	final := apperr.Is(err, apperr.NotFound) || apperr.Is(err, apperr.FailedPrecondition) || apperr.Is(err, apperr.InvalidArgument)
	if final || job.Attempt >= job.MaxAttempts {
		if ferr := w.s.failExport(ctx, job.Args); ferr != nil {
			return errors.Join(err, ferr)
		}
	}
	if final {
		return river.JobCancel(err)
	}
	return err
}

// StartExport starts the export of ids (each once, at most 1,000): every
// id must be in the caller's reach, else NotFound and nothing starts. The
// export row and its job are inserted in one transaction.
func (s *Service) StartExport(ctx context.Context, ids []uuid.UUID) (*Export, error) {
	if s.jobs == nil {
		return nil, apperr.New(apperr.Unavailable, "exports are not available in this process")
	}
	var out *Export
	err := s.work.Write(ctx, func(tx *uow.Tx) error {
		if err := allInReach(ctx, tx, tx.P, ids); err != nil {
			return err
		}
		now := s.work.Now()
		id := uuid.Must(uuid.NewV7())
		if err := s.q.InsertExport(ctx, tx, dbsqlc.InsertExportParams{TenantID: tx.P.TenantID, ID: id,
			RequestedByKind: string(tx.P.Kind), RequestedBy: tx.P.ActorID, CertificateIds: ids, Total: int32(len(ids)),
			Now: now, ExpiresAt: now.Add(ExportTTL)}); err != nil {
			return err
		}
		p := tx.P
		if err := s.jobs.InsertTx(ctx, tx.Tx, ExportArgs{TenantID: p.TenantID, ExportID: id, ActorKind: p.Kind,
			ActorID: p.ActorID, UserID: p.UserID, Scope: p.Scope}, &river.InsertOpts{Queue: ExportQueue, MaxAttempts: 3}); err != nil {
			return err
		}
		out = &Export{ID: id, State: ExportPending, Total: len(ids), CreatedAt: now, ExpiresAt: now.Add(ExportTTL)}
		return tx.Record(ActionExportStarted, uow.Target{Type: TargetExport, ID: id},
			map[string]string{"certificates": strconv.Itoa(len(ids))})
	})
	return out, err
}

// GetExport is the progress of the caller's own export (anyone else's, or
// an expired one, is NotFound).
func (s *Service) GetExport(ctx context.Context, id uuid.UUID) (*Export, error) {
	var out *Export
	err := s.work.Read(ctx, func(rd *uow.Reader) error {
		r, err := s.ownExport(ctx, rd.DB, rd.P, id)
		if err != nil {
			return err
		}
		out = exportOf(r)
		return nil
	})
	return out, err
}

// allInReach is NotFound unless every one of ids (each once) is a
// certificate in p's reach: one query, whatever the number.
func allInReach(ctx context.Context, db postgres.DBTX, p *access.Principal, ids []uuid.UUID) error {
	sql, args := postgres.And("SELECT count(*) FROM certificates WHERE certificates.tenant_id = $1 AND certificates.id = ANY($2)",
		[]any{p.TenantID, ids}, reach(p)...)
	var n int
	if err := db.QueryRow(ctx, sql, args...).Scan(&n); err != nil {
		return err
	}
	if n != len(ids) {
		return apperr.New(apperr.NotFound, "not found")
	}
	return nil
}

func (s *Service) ownExport(ctx context.Context, db postgres.DBTX, p *access.Principal, id uuid.UUID) (*dbsqlc.ExportRow, error) {
	r, err := s.q.Export(ctx, db, dbsqlc.ExportParams{TenantID: p.TenantID, ID: id, RequestedByKind: string(p.Kind),
		RequestedBy: p.ActorID, Now: s.work.Now()})
	return r, postgres.NotFoundOr(err)
}

// DownloadExport streams the caller's finished export: send gets the
// file name with the first chunk, then the following chunks, decrypted one
// at a time. Before the first byte, one certificate.downloaded event per
// certificate (details: the export id) is recorded, and every certificate
// must still be in the caller's reach (else NotFound).
func (s *Service) DownloadExport(ctx context.Context, id uuid.UUID, send func(chunk []byte, fileName string) error) error {
	var r *dbsqlc.ExportRow
	err := s.work.Read(ctx, func(rd *uow.Reader) error {
		var err error
		if r, err = s.ownExport(ctx, rd.DB, rd.P, id); err != nil {
			return err
		}
		if ExportState(r.State) != ExportDone {
			return apperr.New(apperr.FailedPrecondition, "the export is not finished ("+r.State+")")
		}
		if err := allInReach(ctx, rd.DB, rd.P, r.CertificateIds); err != nil {
			return err
		}
		for _, cid := range r.CertificateIds {
			rd.AuditWith(ActionDownloaded, target(cid), map[string]string{"export": id.String()})
		}
		return nil
	})
	if err != nil {
		return err
	}
	name := "Zeugnisse_" + employees.FormatDate(employees.Today(r.CreatedAt)) + ".zip"
	chunks := int((r.SizeBytes + ExportChunkSize - 1) / ExportChunkSize)
	for seq := range chunks {
		var b []byte
		err := s.work.Read(ctx, func(rd *uow.Reader) error {
			c, err := rd.Cipher()
			if err != nil {
				return err
			}
			enc, err := s.q.ExportChunk(ctx, rd.DB, dbsqlc.ExportChunkParams{TenantID: rd.P.TenantID, ExportID: id, Seq: int32(seq)})
			if err != nil {
				return postgres.NotFoundOr(err)
			}
			b, err = c.Open(ctx, id, chunkColumn(seq), enc)
			return err
		})
		if err != nil {
			return err
		}
		if seq > 0 {
			name = ""
		}
		if err := send(b, name); err != nil {
			return err
		}
	}
	return nil
}

func chunkColumn(seq int) string { return colExportChunk + "/" + strconv.Itoa(seq) }

// RunExport writes the ZIP of an export (the job's work, public so that an
// operator or a test can run it in the foreground). It is idempotent: a
// run deletes what an earlier, interrupted run stored and starts over. An
// export that is gone (expired) or finished is left alone.
func (s *Service) RunExport(ctx context.Context, a ExportArgs) error {
	ctx = access.WithPrincipal(ctx, a.principal())
	var ids []uuid.UUID
	err := s.work.Write(ctx, func(tx *uow.Tx) error {
		r, err := s.q.ExportForJob(ctx, tx, dbsqlc.ExportForJobParams{TenantID: a.TenantID, ID: a.ExportID})
		if errors.Is(err, pgx.ErrNoRows) || (err == nil && ExportState(r.State) == ExportDone) {
			return nil
		}
		if err != nil {
			return err
		}
		if err := s.q.DeleteExportChunks(ctx, tx, dbsqlc.DeleteExportChunksParams{TenantID: a.TenantID, ExportID: a.ExportID}); err != nil {
			return err
		}
		ids = r.CertificateIds
		return s.q.StartExportRun(ctx, tx, dbsqlc.StartExportRunParams{TenantID: a.TenantID, ID: a.ExportID})
	})
	if err != nil || ids == nil {
		return err
	}
	out := &chunkWriter{s: s, export: a.ExportID}
	zip := pdf.NewArchive(out, pdf.Layout{}, exportRenderWorkers)
	names := map[string]int{}
	for start := 0; start < len(ids); start += ExportBatch {
		batch := ids[start:min(start+ExportBatch, len(ids))]
		var docs []pdf.NamedDocument
		err := s.work.Write(ctx, func(tx *uow.Tx) error {
			var err error
			docs, err = s.exportDocuments(ctx, tx, batch, names)
			return err
		})
		if err != nil {
			return err
		}
		if err := zip.Write(ctx, docs); err != nil {
			return err
		}
		if err := out.flush(ctx, false, func(tx *uow.Tx) error {
			return s.q.SetExportProgress(ctx, tx, dbsqlc.SetExportProgressParams{TenantID: a.TenantID, ID: a.ExportID,
				Done: int32(start + len(batch))})
		}); err != nil {
			return err
		}
	}
	if err := zip.Close(); err != nil {
		return err
	}
	return out.flush(ctx, true, func(tx *uow.Tx) error {
		return s.q.FinishExport(ctx, tx, dbsqlc.FinishExportParams{TenantID: a.TenantID, ID: a.ExportID,
			State: string(ExportDone), SizeBytes: out.size, Now: s.work.Now()})
	})
}

// exportDocuments reads a batch of certificates in the requester's reach
// (the read path of Get and Download) as archive entries: an issued one
// with its stored PDF, any other as a preview to render. Entry names are
// made unique across the archive ("…_2.pdf").
func (s *Service) exportDocuments(ctx context.Context, tx *uow.Tx, ids []uuid.UUID, names map[string]int) ([]pdf.NamedDocument, error) {
	c, err := tx.Cipher()
	if err != nil {
		return nil, err
	}
	docs := make([]pdf.NamedDocument, 0, len(ids))
	layouts := map[string]pdf.Layout{}
	for _, id := range ids {
		cert, err := s.read(ctx, tx, c, tx.P, id, false)
		if err != nil {
			return nil, err
		}
		pr, err := s.printable(ctx, tx, c, tx.P, cert, layouts)
		if err != nil {
			return nil, err
		}
		layout := pr.layout
		docs = append(docs, pdf.NamedDocument{Name: uniqueName(names, pr.name), Doc: pr.doc, Layout: &layout, PDF: pr.stored})
	}
	return docs, nil
}

// uniqueName returns name, or name with "_2", "_3"… before its extension
// when an earlier entry has it.
func uniqueName(seen map[string]int, name string) string {
	seen[name]++
	n := seen[name]
	if n == 1 {
		return name
	}
	base, ext := name, ""
	if i := strings.LastIndexByte(name, '.'); i > 0 {
		base, ext = name[:i], name[i:]
	}
	return uniqueName(seen, fmt.Sprintf("%s_%d%s", base, n, ext))
}

// failExport marks an export failed (the SPA offers to start it again).
func (s *Service) failExport(ctx context.Context, a ExportArgs) error {
	ctx = access.WithPrincipal(ctx, a.principal())
	return s.work.Write(ctx, func(tx *uow.Tx) error {
		return s.q.FinishExport(ctx, tx, dbsqlc.FinishExportParams{TenantID: a.TenantID, ID: a.ExportID,
			State: string(ExportFailed), Now: s.work.Now()})
	})
}

// chunkWriter collects the ZIP's bytes and stores them in sealed chunks of
// ExportChunkSize: full chunks at each flush, the rest at the last. At
// most one batch of PDFs waits in memory.
type chunkWriter struct {
	s      *Service
	export uuid.UUID
	buf    []byte
	seq    int
	size   int64
}

// Write implements io.Writer.
func (w *chunkWriter) Write(p []byte) (int, error) {
	w.buf = append(w.buf, p...)
	w.size += int64(len(p))
	return len(p), nil
}

// flush stores the full chunks (every byte when last) and runs also in
// the same transaction, so progress and stored bytes move together.
func (w *chunkWriter) flush(ctx context.Context, last bool, also func(tx *uow.Tx) error) error {
	seq, rest := w.seq, w.buf
	err := w.s.work.Write(ctx, func(tx *uow.Tx) error {
		c, err := tx.Cipher()
		if err != nil {
			return err
		}
		seq, rest = w.seq, w.buf
		for len(rest) >= ExportChunkSize || (last && len(rest) > 0) {
			n := min(len(rest), ExportChunkSize)
			if err := w.s.q.InsertExportChunk(ctx, tx, dbsqlc.InsertExportChunkParams{TenantID: tx.P.TenantID,
				ExportID: w.export, Seq: int32(seq), DataEnc: c.Seal(w.export, chunkColumn(seq), rest[:n])}); err != nil {
				return err
			}
			seq, rest = seq+1, rest[n:]
		}
		return also(tx)
	})
	if err != nil {
		return err
	}
	w.seq, w.buf = seq, append(w.buf[:0], rest...)
	return nil
}

// ExportSweeper deletes expired exports with their chunks, at most batch
// exports per transaction.
func ExportSweeper() jobs.Sweeper {
	q := dbsqlc.New()
	return jobs.Sweeper{Name: "certificate_exports_deleted", Sweep: func(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID, now time.Time, batch int) (int64, error) {
		return q.DeleteExpiredExports(ctx, tx, dbsqlc.DeleteExpiredExportsParams{TenantID: tenantID, Now: now, Batch: int32(batch)})
	}}
}
