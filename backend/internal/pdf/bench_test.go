package pdf_test

import (
	"testing"

	"github.com/zeugo/zeugo/backend/internal/generator"
	"github.com/zeugo/zeugo/backend/internal/pdf"
)

// BenchmarkRenderPDF renders the two-page example reference with logo,
// letterhead and footer.
func BenchmarkRenderPDF(b *testing.B) {
	doc, err := generator.Generate(exampleFacts(b), nil)
	if err != nil {
		b.Fatal(err)
	}
	l := layout(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := pdf.Render(doc, l); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRenderPDFOnePage renders a one-page reference (no second pass
// for the page count).
func BenchmarkRenderPDFOnePage(b *testing.B) {
	f := exampleFacts(b)
	f.Stations, f.Trainings, f.Successes, f.AdditionalTasks = nil, nil, nil, nil
	f.ProfileTasks = []string{"planung", "reporting"}
	f.Tasks = nil
	doc, err := generator.Generate(f, nil)
	if err != nil {
		b.Fatal(err)
	}
	l := layout(b)
	for b.Loop() {
		if _, err := pdf.Render(doc, l); err != nil {
			b.Fatal(err)
		}
	}
}
