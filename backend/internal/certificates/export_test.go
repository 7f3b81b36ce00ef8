package certificates_test

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"connectrpc.com/connect"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/rs/zerolog"

	"github.com/zeugo/zeugo/backend/internal/apptest"
	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
	"github.com/zeugo/zeugo/backend/internal/jobs"
)

// startJobs runs the background pool as serve does (the on-demand export
// queue included) until the test ends.
func startJobs(t testing.TB, env *apptest.Env) {
	t.Helper()
	cleanup := &jobs.CleanupWorker{DB: env.App.DB, Now: env.Clock.Now, Log: zerolog.Nop()}
	pool, err := jobs.Start(context.Background(), env.Pool, cleanup, time.Hour, nil, env.App.OnDemand...)
	if err != nil {
		t.Fatalf("start jobs: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := pool.Stop(ctx); err != nil {
			t.Errorf("stop jobs: %v", err)
		}
	})
}

// world is a tenant with two companies, its administrator signed in over
// one protocol.
type world struct {
	*fixture
	companyA, compB string
}

func newWorld(t testing.TB, p apptest.Protocol) *world {
	t.Helper()
	f := setup(t, "export")
	f.admin = signIn(t, f.env, f.ten.Email, f.ten.Password, p)
	return &world{fixture: f, companyA: f.company(t, "Hafen A GmbH"), compB: f.company(t, "Hafen B GmbH")}
}

// user adds a user with the Mitarbeiter area restricted to company, signed
// in over p.
func (w *world) user(t testing.TB, email, company string, p apptest.Protocol) *client {
	t.Helper()
	s := apptest.AddUser(t, w.env, w.ten, email, []string{"employees"}, apptest.Restriction{Companies: []string{company}})
	s.Protocol = p
	return clientOf(s)
}

// certificate creates an employee of company and a rated final
// certificate about them (issued when issue) as c.
func certificate(t testing.TB, f *fixture, c *client, company, pn string, issue bool) *zeugov1.Certificate {
	t.Helper()
	cert := rated(t, c, create(t, c, f.employee(t, c, pn, "Brandt "+pn, company).GetId(), final, false))
	if issue {
		cert = transition(t, c, generate(t, c, cert), stReview, stCompleted, stIssued)
	}
	return cert
}

// waitExport polls the export (bounded) until it leaves pending and running.
func waitExport(t testing.TB, c *client, id string) *zeugov1.CertificateExport {
	t.Helper()
	deadline := time.Now().Add(3 * time.Minute)
	for {
		res, err := c.Cert.GetCertificateExport(ctx(), connect.NewRequest(&zeugov1.GetCertificateExportRequest{Id: id}))
		if err != nil {
			t.Fatal(err)
		}
		x := res.Msg.GetExport()
		st := x.GetState()
		if st == zeugov1.CertificateExportState_CERTIFICATE_EXPORT_STATE_DONE || st == zeugov1.CertificateExportState_CERTIFICATE_EXPORT_STATE_FAILED || time.Now().After(deadline) {
			return x
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// downloadExport streams an export; it returns the file name of the first
// message and the ZIP.
func downloadExport(c *client, id string) (string, []byte, error) {
	stream, err := c.Cert.DownloadCertificateExport(ctx(), connect.NewRequest(&zeugov1.DownloadCertificateExportRequest{Id: id}))
	if err != nil {
		return "", nil, err
	}
	defer stream.Close()
	var name string
	var b bytes.Buffer
	first := true
	for stream.Receive() {
		if first {
			name, first = stream.Msg().GetFileName(), false
		} else if stream.Msg().GetFileName() != "" {
			return "", nil, errors.New("file name after the first message")
		}
		b.Write(stream.Msg().GetChunk())
	}
	return name, b.Bytes(), stream.Err()
}

// eachProtocol runs fn in a world of its own for Connect and for gRPC, in
// parallel.
func eachProtocol(t *testing.T, fn func(t *testing.T, w *world, p apptest.Protocol)) {
	t.Parallel()
	for _, p := range []apptest.Protocol{apptest.Connect, apptest.GRPC} {
		t.Run(p.String(), func(t *testing.T) {
			t.Parallel()
			fn(t, newWorld(t, p), p)
		})
	}
}

// unzipped are a ZIP's entry names in order and their contents.
func unzipped(t testing.TB, b []byte) ([]string, map[string][]byte) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	entries := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		names, entries[f.Name] = append(names, f.Name), data
	}
	return names, entries
}

func TestCertificateExport(t *testing.T) {
	eachProtocol(t, func(t *testing.T, w *world, p apptest.Protocol) {
		hr := w.user(t, "hr@export.example", w.companyA, p)
		drafts := []*zeugov1.Certificate{certificate(t, w.fixture, hr, w.companyA, "E-1", false), certificate(t, w.fixture, hr, w.companyA, "E-2", false)}
		issued := certificate(t, w.fixture, hr, w.companyA, "E-3", true)
		outOfScope := certificate(t, w.fixture, w.admin, w.compB, "B-1", false)
		private := certificate(t, w.fixture, w.admin, w.companyA, "A-9", false)
		if _, err := w.admin.Cert.SetCertificatePrivate(ctx(), connect.NewRequest(&zeugov1.SetCertificatePrivateRequest{
			Id: private.GetId(), Version: private.GetVersion(), Private: true})); err != nil {
			t.Fatal(err)
		}
		other := fixtureIn(t, w.env, "andere")
		foreign := certificate(t, other, other.admin, other.company(t, "Andere AG"), "X-1", false)

		ids := []string{drafts[0].GetId(), issued.GetId(), drafts[1].GetId()}
		for name, bad := range map[string]string{"out of scope": outOfScope.GetId(), "private of another user": private.GetId(),
			"other tenant": foreign.GetId(), "unknown": uuid.NewString()} {
			_, err := hr.Cert.StartCertificateExport(ctx(), connect.NewRequest(&zeugov1.StartCertificateExportRequest{Ids: append([]string{bad}, ids...)}))
			if connect.CodeOf(err) != connect.CodeNotFound {
				t.Fatalf("%s: %v", name, err)
			}
		}
		if n := w.count(t, "SELECT count(*) FROM certificate_exports") + w.count(t, "SELECT count(*) FROM river_job"); n != 0 {
			t.Fatalf("a refused export left %d rows", n)
		}

		res, err := hr.Cert.StartCertificateExport(ctx(), connect.NewRequest(&zeugov1.StartCertificateExportRequest{Ids: ids}))
		if err != nil {
			t.Fatal(err)
		}
		x := res.Msg.GetExport()
		if x.GetState() != zeugov1.CertificateExportState_CERTIFICATE_EXPORT_STATE_PENDING || x.GetTotal() != 3 ||
			!x.GetExpireTime().AsTime().Equal(x.GetCreateTime().AsTime().Add(24*time.Hour)) {
			t.Fatalf("started: %v", x)
		}
		if _, _, err := downloadExport(hr, x.GetId()); connect.CodeOf(err) != connect.CodeFailedPrecondition {
			t.Fatalf("download before done: %v", err)
		}
		startJobs(t, w.env)
		x = waitExport(t, hr, x.GetId())
		if x.GetState() != zeugov1.CertificateExportState_CERTIFICATE_EXPORT_STATE_DONE || x.GetDone() != 3 || x.GetSizeBytes() == 0 {
			t.Fatalf("finished: %v", x)
		}

		// Another user of the tenant, even one who sees everything,
		// cannot see or download it.
		if _, err := w.admin.Cert.GetCertificateExport(ctx(), connect.NewRequest(&zeugov1.GetCertificateExportRequest{Id: x.GetId()})); connect.CodeOf(err) != connect.CodeNotFound {
			t.Fatalf("another user's get: %v", err)
		}
		if _, _, err := downloadExport(w.admin, x.GetId()); connect.CodeOf(err) != connect.CodeNotFound {
			t.Fatalf("another user's download: %v", err)
		}

		name, zb, err := downloadExport(hr, x.GetId())
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(name, "Zeugnisse_") || !strings.HasSuffix(name, ".zip") || int64(len(zb)) != x.GetSizeBytes() {
			t.Fatalf("download: %q, %d bytes of %d", name, len(zb), x.GetSizeBytes())
		}
		names, entries := unzipped(t, zb)
		if len(names) != 3 {
			t.Fatalf("%d entries", len(names))
		}
		single, err := hr.Cert.DownloadCertificate(ctx(), connect.NewRequest(&zeugov1.DownloadCertificateRequest{Id: issued.GetId()}))
		if err != nil {
			t.Fatal(err)
		}
		for i, name := range names {
			b := entries[name]
			if !bytes.HasPrefix(b, []byte("%PDF-")) || !strings.HasSuffix(name, ".pdf") {
				t.Fatalf("entry %s is not a PDF", name)
			}
			// The archive keeps the order asked for; the issued
			// certificate is the stored document, byte for byte.
			if i == 1 && (!bytes.Equal(b, single.Msg.GetPdf()) || !strings.Contains(name, "E-3")) {
				t.Fatalf("entry %d (%s) is not the issued document", i, name)
			}
			if i != 1 && strings.Contains(name, "E-3") {
				t.Fatalf("entry %d is %s", i, name)
			}
		}

		// One download event per certificate, naming the export.
		downloaded := w.count(t, `SELECT count(*) FROM (SELECT action, target_id, details FROM audit_events
				UNION ALL SELECT action, target_id, details FROM audit_pending) e
				WHERE action = 'certificate.downloaded' AND details LIKE '%' || $1 || '%' AND target_id = ANY($2)`, x.GetId(), ids)
		if downloaded != 3 {
			t.Fatalf("%d download events for the export", downloaded)
		}

		// Once expired the export is gone, and the sweeper deletes it
		// with its chunks.
		w.env.AsOwner(w.ten.TenantID, func(tx pgx.Tx) error {
			_, err := tx.Exec(ctx(), "UPDATE certificate_exports SET expires_at = $1", w.env.Clock.Now())
			return err
		})
		if _, err := hr.Cert.GetCertificateExport(ctx(), connect.NewRequest(&zeugov1.GetCertificateExportRequest{Id: x.GetId()})); connect.CodeOf(err) != connect.CodeNotFound {
			t.Fatalf("expired get before the sweep: %v", err)
		}
		sweep := &jobs.CleanupWorker{DB: w.env.App.DB, Now: w.env.Clock.Now, Sweepers: w.env.App.Sweepers, Log: zerolog.Nop()}
		out, err := sweep.Run(ctx())
		if err != nil || out.Swept["certificate_exports_deleted"] != 1 {
			t.Fatalf("sweep: %v %v", out.Swept, err)
		}
		if n := w.count(t, "SELECT count(*) FROM certificate_exports") + w.count(t, "SELECT count(*) FROM certificate_export_chunks"); n != 0 {
			t.Fatalf("%d rows left after expiry", n)
		}
		if _, err := hr.Cert.GetCertificateExport(ctx(), connect.NewRequest(&zeugov1.GetCertificateExportRequest{Id: x.GetId()})); connect.CodeOf(err) != connect.CodeNotFound {
			t.Fatalf("expired get: %v", err)
		}
		if _, _, err := downloadExport(hr, x.GetId()); connect.CodeOf(err) != connect.CodeNotFound {
			t.Fatalf("expired download: %v", err)
		}
	})
}
