package layout_test

import (
	"slices"
	"testing"
	"time"

	"connectrpc.com/connect"

	"github.com/zeugo/zeugo/backend/internal/apptest"
	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
)

// BenchmarkLayoutPreview measures the round trip of the layout editor's
// live preview (issue 18: p95 < 300 ms): a PreviewDocumentLayout call with
// changed settings — the sample certificate written and printed as a PDF
// with the company's logo — over TLS through the whole server, as the SPA
// sends it after each pause in typing. The baseline of the same run is
// GetDocumentLayout, the same path without writing or printing; calls
// alternate, so drift of the machine hits both alike.
//
//	go test ./internal/layout -run '^$' -bench LayoutPreview -benchtime 1x
func BenchmarkLayoutPreview(b *testing.B) {
	const calls = 200
	f := setup(b, apptest.Connect)
	l, err := f.logo(0, pngOf(1600, 600))
	if err != nil {
		b.Fatal(err)
	}
	settings := l.GetSettings()
	var preview, get []time.Duration
	b.ResetTimer()
	for range b.N {
		for i := range calls {
			settings.MarginLeftMm = float64(20 + i%10)
			settings.Font = []zeugov1.DocumentFont{zeugov1.DocumentFont_DOCUMENT_FONT_SERIF, zeugov1.DocumentFont_DOCUMENT_FONT_SANS}[i%2]
			t0 := time.Now()
			r, err := f.layouts.PreviewDocumentLayout(ctx(), connect.NewRequest(&zeugov1.PreviewDocumentLayoutRequest{
				CompanyId: f.company, Settings: settings, Language: "de", Signatories: 2}))
			if err != nil || len(r.Msg.GetPdf()) == 0 {
				b.Fatalf("preview: %v", err)
			}
			preview = append(preview, time.Since(t0))
			t0 = time.Now()
			if _, err := f.layouts.GetDocumentLayout(ctx(), connect.NewRequest(&zeugov1.GetDocumentLayoutRequest{CompanyId: f.company})); err != nil {
				b.Fatal(err)
			}
			get = append(get, time.Since(t0))
		}
	}
	b.StopTimer()
	p95 := func(d []time.Duration) time.Duration {
		s := slices.Clone(d)
		slices.Sort(s)
		return s[len(s)*95/100]
	}
	b.ReportMetric(float64(p95(preview).Microseconds())/1000, "preview_p95_ms")
	b.ReportMetric(float64(p95(get).Microseconds())/1000, "get_p95_ms")
	b.ReportMetric(float64(p95(preview))/float64(p95(get)), "p95_ratio")
}
