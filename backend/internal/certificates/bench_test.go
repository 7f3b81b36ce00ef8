package certificates_test

import (
	"slices"
	"testing"
	"time"

	"connectrpc.com/connect"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/zeugo/zeugo/backend/internal/apptest"
	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
)

func benchP(d []time.Duration, q int) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[min(len(s)-1, len(s)*q/100)]
}

// copies inserts n copies of certificate tpl of tenant (each section
// sealed again for its copy's id) in one transaction, and returns their
// ids: a fast bulk seed that reads like certificates made through the
// API.
func copies(b *testing.B, env *apptest.Env, tenant uuid.UUID, tpl string, n int) []string {
	b.Helper()
	ids := make([]string, n)
	env.AsOwner(tenant, func(tx pgx.Tx) error {
		c, err := env.App.Keys.Tenant(ctx(), tx, tenant)
		if err != nil {
			return err
		}
		rows, err := tx.Query(ctx(), `SELECT section, content_enc FROM certificate_sections WHERE certificate_id = $1`, tpl)
		if err != nil {
			return err
		}
		type sec struct {
			name  string
			plain []byte
		}
		var secs []sec
		var name string
		var enc []byte
		if _, err := pgx.ForEachRow(rows, []any{&name, &enc}, func() error {
			p, err := c.Open(ctx(), uuid.MustParse(tpl), "certificate_sections."+name, enc)
			secs = append(secs, sec{name, p})
			return err
		}); err != nil {
			return err
		}
		batch := &pgx.Batch{}
		for i := range ids {
			id := uuid.Must(uuid.NewV7())
			ids[i] = id.String()
			batch.Queue(`INSERT INTO certificates SELECT (jsonb_populate_record(NULL::certificates,
				to_jsonb(c) || jsonb_build_object('id', $1::uuid))).* FROM certificates c WHERE id = $2`, id, tpl)
			for _, s := range secs {
				batch.Queue(`INSERT INTO certificate_sections (tenant_id, certificate_id, section, content_enc, updated_by_kind, updated_by, updated_at)
					SELECT tenant_id, $1, section, $2, updated_by_kind, updated_by, updated_at FROM certificate_sections
					WHERE certificate_id = $3 AND section = $4`, id, c.Seal(id, "certificate_sections."+s.name, s.plain), tpl, s.name)
			}
		}
		return tx.SendBatch(ctx(), batch).Close()
	})
	return ids
}

// BenchmarkDownloadDuringExport compares the p99 latency of a certificate's
// PDF download (a preview, rendered per request) while a bulk export of
// 1,000 certificates runs against the same downloads on an idle server
// (issue 15: ratio ≤ 3). The export renders on one worker of its own
// queue (export.go); run with GOGC=400 like serve (make bench).
func BenchmarkDownloadDuringExport(b *testing.B) {
	const total = 1000
	w := newWorld(b, apptest.Connect)
	c := w.admin
	tpl := certificate(b, w.fixture, c, w.companyA, "T-1", false)
	ids := append([]string{tpl.GetId()}, copies(b, w.env, w.ten.TenantID, tpl.GetId(), total-1)...)
	if _, err := w.env.DB.Owner.Exec(ctx(), "VACUUM ANALYZE certificates, certificate_sections"); err != nil {
		b.Fatal(err)
	}
	startJobs(b, w.env)
	download := func() time.Duration {
		start := time.Now()
		if _, err := c.Cert.DownloadCertificate(ctx(), connect.NewRequest(&zeugov1.DownloadCertificateRequest{Id: tpl.GetId()})); err != nil {
			b.Fatal(err)
		}
		return time.Since(start)
	}
	b.ResetTimer()
	for range b.N {
		for range 10 { // warm up
			download()
		}
		var idle []time.Duration
		for range 200 {
			idle = append(idle, download())
		}
		res, err := c.Cert.StartCertificateExport(ctx(), connect.NewRequest(&zeugov1.StartCertificateExportRequest{Ids: ids}))
		if err != nil {
			b.Fatal(err)
		}
		started := time.Now()
		var busy []time.Duration
		var x *zeugov1.CertificateExport
		for {
			g, err := c.Cert.GetCertificateExport(ctx(), connect.NewRequest(&zeugov1.GetCertificateExportRequest{Id: res.Msg.GetExport().GetId()}))
			if err != nil {
				b.Fatal(err)
			}
			x = g.Msg.GetExport()
			if st := x.GetState(); st == zeugov1.CertificateExportState_CERTIFICATE_EXPORT_STATE_DONE ||
				st == zeugov1.CertificateExportState_CERTIFICATE_EXPORT_STATE_FAILED {
				break
			}
			if x.GetState() == zeugov1.CertificateExportState_CERTIFICATE_EXPORT_STATE_RUNNING {
				busy = append(busy, download())
			} else {
				time.Sleep(10 * time.Millisecond)
			}
		}
		took := time.Since(started)
		if x.GetState() != zeugov1.CertificateExportState_CERTIFICATE_EXPORT_STATE_DONE || len(busy) < 10 {
			b.Fatalf("export %v after %v with %d downloads during it", x.GetState(), took, len(busy))
		}
		ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
		b.ReportMetric(ms(benchP(idle, 99)), "idle-p99-ms")
		b.ReportMetric(ms(benchP(busy, 99)), "export-p99-ms")
		b.ReportMetric(ms(benchP(idle, 50)), "idle-p50-ms")
		b.ReportMetric(ms(benchP(busy, 50)), "export-p50-ms")
		b.ReportMetric(float64(benchP(busy, 99))/float64(benchP(idle, 99)), "export/idle-p99")
		b.ReportMetric(float64(total)/took.Seconds(), "export-pdf/s")
		b.Logf("export of %d certificates: %v, %.1f MB, %d downloads during it", total, took.Round(time.Millisecond),
			float64(x.GetSizeBytes())/1e6, len(busy))
	}
}
