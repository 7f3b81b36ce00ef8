package handover_test

import (
	"fmt"
	"os"
	"testing"
	"time"

	"connectrpc.com/connect"

	"github.com/zeugo/zeugo/backend/internal/apptest"
	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
	"github.com/zeugo/zeugo/backend/internal/handover"
)

// BenchmarkRecipientRead is issue 16's target "recipient open + read of
// the granted sections vs HR's read of the same certificate: ≥ 0.7", as
// throughput ratios against HR's GetCertificate of the same certificate
// in the same run (medians of six alternating pairs of rounds, 8
// clients, Connect over TLS):
//
//   - read: the recipient's GetCertificate with an open session (the
//     certificate cut to the granted sections) vs HR's;
//   - open+read: a whole visit — OpenHandover (no code: checks the link,
//     starts a session, records the opening), GetMyHandover and
//     GetCertificate — vs one GetCertificate of HR.
//
// A supervisor's usual grant: Daten, Persönliche Daten, Zeugnisdaten,
// Tätigkeiten and Ergebnis to read, both ratings to write. The opening
// limits (handover.OpensPerIP, OpensPerHandover) are raised for the run,
// since every call comes from one address: the limiter still counts every
// opening, so its cost is in the figure.
//
// Run with -benchtime 1x. ZEUGO_BENCH_ROUND sets a round's length
// (default 2s).
func BenchmarkRecipientRead(b *testing.B) {
	round := 2 * time.Second
	if v := os.Getenv("ZEUGO_BENCH_ROUND"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			b.Fatal(err)
		}
		round = d
	}
	ip, per := handover.OpensPerIP, handover.OpensPerHandover
	handover.OpensPerIP.Limit, handover.OpensPerHandover.Limit = 1<<30, 1<<30
	b.Cleanup(func() { handover.OpensPerIP, handover.OpensPerHandover = ip, per })

	f := fillAll(b, setup(b)).fixture
	f.handOver(b, "bench@kunde.example", noCode, false, grant(secData, false), grant(secPersonal, false),
		grant(zeugov1.CertificateSection_CERTIFICATE_SECTION_CERTIFICATE_DATA, false),
		grant(zeugov1.CertificateSection_CERTIFICATE_SECTION_TASKS, false), grant(secPerformance, true), grant(secConduct, true),
		grant(secResult, false))
	id, secret := f.link(b, "bench@kunde.example")
	r := f.open(b, id, secret, apptest.Connect)
	if got := getCert(b, r, f.cert.GetId()); len(got.GetSections()) != 7 {
		b.Fatalf("the recipient reads %d sections", len(got.GetSections()))
	}
	const clients = 8
	read := func(c *hr) func() error {
		return func() error {
			_, err := c.Cert.GetCertificate(ctx(), connect.NewRequest(&zeugov1.GetCertificateRequest{Id: f.cert.GetId()}))
			return err
		}
	}
	// A visit opens over one client (one browser's connection) and sends
	// the new token by hand.
	pub := anon(f.env, apptest.Connect)
	visit := func() error {
		o, err := pub.Rcpt.OpenHandover(ctx(), connect.NewRequest(&zeugov1.OpenHandoverRequest{HandoverId: id, Secret: secret}))
		if err != nil {
			return err
		}
		tok := o.Msg.GetSession().GetToken()
		if tok == "" {
			return fmt.Errorf("no session: %v", o.Msg)
		}
		mine := connect.NewRequest(&zeugov1.GetMyHandoverRequest{})
		mine.Header().Set("Authorization", "Bearer "+tok)
		if _, err := pub.Rcpt.GetMyHandover(ctx(), mine); err != nil {
			return err
		}
		get := connect.NewRequest(&zeugov1.GetCertificateRequest{Id: f.cert.GetId()})
		get.Header().Set("Authorization", "Bearer "+tok)
		_, err = pub.Cert.GetCertificate(ctx(), get)
		return err
	}
	rate := func(fn func() error) func() float64 {
		return func() float64 { return apptest.Rate(b, clients, round, fn) }
	}
	b.ResetTimer()
	for range b.N {
		rate(read(r))() // warm up
		rate(read(f.hr))()
		x, y, ratio := apptest.Paired(rate(read(r)), rate(read(f.hr)))
		b.ReportMetric(x, "recipient-reads/s")
		b.ReportMetric(y, "hr-reads/s")
		b.ReportMetric(ratio, "read/hr")

		rate(visit)()
		x, y, ratio = apptest.Paired(rate(visit), rate(read(f.hr)))
		b.ReportMetric(x, "visits/s")
		b.ReportMetric(y, "hr-reads/s(2)")
		b.ReportMetric(ratio, "open+read/hr")
	}
}
