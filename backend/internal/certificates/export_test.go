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
	"github.com/zeugo/zeugo/backend/internal/keyring"
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

// world is a tenant with two companies, a user restricted to the first,
// and certificates around them.
type world struct {
	env             *apptest.Env
	ten             *apptest.Tenant
	admin           *client
	companyA, compB string
	passwords       map[string]string
}

func newWorld(t testing.TB, p apptest.Protocol) *world {
	t.Helper()
	env := apptest.New(t)
	ten := env.CreateTenant("Export GmbH", "admin@export.example")
	w := &world{env: env, ten: ten, admin: signIn(t, env, ten.Email, ten.Password, p), passwords: map[string]string{}}
	for _, dst := range []*string{&w.companyA, &w.compB} {
		co, err := w.admin.Org.CreateCompany(ctx(), connect.NewRequest(&zeugov1.CreateCompanyRequest{Fields: &zeugov1.CompanyFields{
			Name: "Hafen " + uuid.NewString()[:6] + " GmbH", City: "Hamburg"}}))
		if err != nil {
			t.Fatal(err)
		}
		*dst = co.Msg.GetCompany().GetId()
	}
	return w
}

// user adds a user with the Mitarbeiter area restricted to company (all
// when company is "") and signs them in.
func (w *world) user(t testing.TB, email, company string, p apptest.Protocol) *client {
	t.Helper()
	pw := "Export-Passwort-" + uuid.NewString()[:8]
	w.passwords[email] = pw
	hash, err := w.env.App.Hasher.Hash(ctx(), pw)
	if err != nil {
		t.Fatal(err)
	}
	companies := []uuid.UUID{}
	if company != "" {
		companies = append(companies, uuid.MustParse(company))
	}
	w.env.AsOwner(w.ten.TenantID, func(tx pgx.Tx) error {
		c, err := w.env.App.Keys.Tenant(ctx(), tx, w.ten.TenantID)
		if err != nil {
			return err
		}
		roleID, userID := uuid.New(), uuid.New()
		if _, err := tx.Exec(ctx(), `INSERT INTO roles (id, tenant_id, name, areas, created_at, updated_at) VALUES ($1, $2, $3, $4, now(), now())`,
			roleID, w.ten.TenantID, "Rolle "+email, []string{"employees"}); err != nil {
			return err
		}
		_, err = tx.Exec(ctx(), `INSERT INTO users (id, tenant_id, email_index, email_enc, first_name_enc, last_name_enc, role_id, status,
				password_hash, password_changed_at, created_at, updated_at, access_all, access_companies)
			VALUES ($1, $2, $3, $4, $5, $6, $7, 'active', $8, now(), now(), now(), $9, $10)`,
			userID, w.ten.TenantID, w.env.App.Index.Email(email), c.SealString(userID, "users.email", keyring.NormalizeEmail(email)),
			c.SealString(userID, "users.first_name", "Erika"), c.SealString(userID, "users.last_name", "Muster"), roleID, hash,
			company == "", companies)
		return err
	})
	return signIn(t, w.env, email, pw, p)
}

// certificate creates an employee of company and a certificate about them
// with ratings, so that its text can be written (issued when issue).
func certificate(t testing.TB, c *client, company, pn string, issue bool) *zeugov1.Certificate {
	t.Helper()
	emp, err := c.Emp.CreateEmployee(ctx(), connect.NewRequest(&zeugov1.CreateEmployeeRequest{Fields: &zeugov1.EmployeeFields{
		Salutation: zeugov1.Salutation_SALUTATION_HERR, FirstName: "Jonas", LastName: "Brandt " + pn, PersonnelNumber: pn,
		EntryDate: "2017-01-01", ExitDate: "2024-03-31", ExitReason: zeugov1.ExitReason_EXIT_REASON_OWN_WISH,
		JobTitle: "Lagerist", CompanyId: company, Tasks: []string{"Wareneingang", "Kommissionierung"}}}))
	if err != nil {
		t.Fatal(err)
	}
	cr, err := c.Cert.CreateCertificate(ctx(), connect.NewRequest(&zeugov1.CreateCertificateRequest{
		EmployeeId: emp.Msg.GetEmployee().GetId(), Kind: zeugov1.CertificateKind_CERTIFICATE_KIND_FINAL}))
	if err != nil {
		t.Fatal(err)
	}
	cert := cr.Msg.GetCertificate()
	sectionVersion := func(s zeugov1.CertificateSection) int64 {
		for _, si := range cert.GetSections() {
			if si.GetSection() == s {
				return si.GetVersion()
			}
		}
		return 0
	}
	for _, req := range []*zeugov1.UpdateCertificateSectionRequest{
		{Section: &zeugov1.UpdateCertificateSectionRequest_Performance{Performance: &zeugov1.PerformanceSection{
			Willingness: 3, Ability: 3, Knowledge: 3, Learning: 3, WorkingStyle: 3, Results: 3}}},
		{Section: &zeugov1.UpdateCertificateSectionRequest_Conduct{Conduct: &zeugov1.ConductSection{Internal: 3, External: 3}}},
	} {
		sec := zeugov1.CertificateSection_CERTIFICATE_SECTION_PERFORMANCE
		if req.GetConduct() != nil {
			sec = zeugov1.CertificateSection_CERTIFICATE_SECTION_CONDUCT
		}
		req.Id, req.Version = cert.GetId(), sectionVersion(sec)
		up, err := c.Cert.UpdateCertificateSection(ctx(), connect.NewRequest(req))
		if err != nil {
			t.Fatal(err)
		}
		cert = up.Msg.GetCertificate()
	}
	if !issue {
		return cert
	}
	gen, err := c.Cert.GenerateCertificateText(ctx(), connect.NewRequest(&zeugov1.GenerateCertificateTextRequest{Id: cert.GetId(),
		Version: sectionVersion(zeugov1.CertificateSection_CERTIFICATE_SECTION_RESULT)}))
	if err != nil {
		t.Fatal(err)
	}
	cert = gen.Msg.GetCertificate()
	for _, to := range []zeugov1.CertificateStatus{zeugov1.CertificateStatus_CERTIFICATE_STATUS_REVIEW,
		zeugov1.CertificateStatus_CERTIFICATE_STATUS_COMPLETED, zeugov1.CertificateStatus_CERTIFICATE_STATUS_ISSUED} {
		tr, err := c.Cert.TransitionCertificate(ctx(), connect.NewRequest(&zeugov1.TransitionCertificateRequest{Id: cert.GetId(),
			Version: cert.GetVersion(), Status: to}))
		if err != nil {
			t.Fatalf("to %v: %v", to, err)
		}
		cert = tr.Msg.GetCertificate()
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

// another adds a certificate of kind about the same employee as cert.
func another(t testing.TB, c *client, cert *zeugov1.Certificate, kind zeugov1.CertificateKind) *zeugov1.Certificate {
	t.Helper()
	res, err := c.Cert.CreateCertificate(ctx(), connect.NewRequest(&zeugov1.CreateCertificateRequest{EmployeeId: cert.GetEmployeeId(), Kind: kind}))
	if err != nil {
		t.Fatal(err)
	}
	return res.Msg.GetCertificate()
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

func (w *world) count(t testing.TB, sql string, args ...any) int {
	t.Helper()
	var n int
	w.env.AsOwner(w.ten.TenantID, func(tx pgx.Tx) error { return tx.QueryRow(ctx(), sql, args...).Scan(&n) })
	return n
}

func TestCertificateExport(t *testing.T) {
	eachProtocol(t, func(t *testing.T, w *world, p apptest.Protocol) {
		hrEmail := "hr-" + p.String() + "@export.example"
		hr := w.user(t, hrEmail, w.companyA, p)
		drafts := []*zeugov1.Certificate{certificate(t, hr, w.companyA, "E-1", false), certificate(t, hr, w.companyA, "E-2", false)}
		issued := certificate(t, hr, w.companyA, "E-3", true)
		outOfScope := certificate(t, w.admin, w.compB, "B-1", false)
		private := certificate(t, w.admin, w.companyA, "A-9", false)
		if _, err := w.admin.Cert.SetCertificatePrivate(ctx(), connect.NewRequest(&zeugov1.SetCertificatePrivateRequest{
			Id: private.GetId(), Version: private.GetVersion(), Private: true})); err != nil {
			t.Fatal(err)
		}
		other := w.env.CreateTenant("Andere AG", "admin@andere.example")
		otherAdmin := signIn(t, w.env, other.Email, other.Password, p)
		oc, err := otherAdmin.Org.CreateCompany(ctx(), connect.NewRequest(&zeugov1.CreateCompanyRequest{Fields: &zeugov1.CompanyFields{Name: "Andere AG", City: "Köln"}}))
		if err != nil {
			t.Fatal(err)
		}
		foreign := certificate(t, otherAdmin, oc.Msg.GetCompany().GetId(), "X-1", false)

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

		// After 24 hours the export is gone, chunks and all.
		w.env.Clock.Advance(25 * time.Hour)
		hr = signIn(t, w.env, hrEmail, w.passwords[hrEmail], p)
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
