package pdf_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/zeugo/zeugo/backend/internal/catalog"
	"github.com/zeugo/zeugo/backend/internal/generator"
	"github.com/zeugo/zeugo/backend/internal/pdf"
)

func logoPNG(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := color.RGBA{20, 60, 120, 255}
			if (x/20+y/20)%2 == 0 || y > h*3/4 {
				c = color.RGBA{200, 160, 40, 255}
			}
			img.Set(x, y, c)
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func exampleFacts(t testing.TB) generator.Facts {
	t.Helper()
	b, err := os.ReadFile("../../../examples/facts-final-de.json")
	if err != nil {
		t.Fatal(err)
	}
	var f generator.Facts
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	return f
}

func layout(t testing.TB) pdf.Layout {
	return pdf.Layout{
		Logo:       logoPNG(t, 400, 140),
		Letterhead: pdf.Letterhead{Name: "Weißenfels & Söhne GmbH", Lines: []string{"Gießereistraße 12 · 50667 Köln", "Telefon 0221 98765-0 · www.weissenfels-soehne.de"}},
		Footer:     []string{"Weißenfels & Söhne GmbH · Sitz Köln · Amtsgericht Köln HRB 12345", "Geschäftsführer: Dr. Friedrich Weißenfels, Ömer Yılmaz · USt-IdNr. DE123456789"},
		Place:      "Köln",
	}
}

// artifacts is where rendered PDFs and page images go: ZEUGO_TEST_ARTIFACTS
// if set (to look at them), else the test's temporary directory.
func artifacts(t *testing.T) string {
	if d := os.Getenv("ZEUGO_TEST_ARTIFACTS"); d != "" {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		return d
	}
	return t.TempDir()
}

func needTool(t *testing.T, name string) {
	if _, err := exec.LookPath(name); err != nil {
		t.Skipf("%s not installed (apt-get install poppler-utils)", name)
	}
}

func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
	return string(out)
}

var space = regexp.MustCompile(`\s+`)

func norm(s string) string { return strings.TrimSpace(space.ReplaceAllString(s, " ")) }

// extracted returns the text of the PDF without footer lines and page labels.
func extracted(t *testing.T, path string, l pdf.Layout) string {
	t.Helper()
	txt := run(t, "pdftotext", "-enc", "UTF-8", path, "-")
	for _, f := range l.Footer {
		txt = strings.ReplaceAll(txt, f, " ")
	}
	txt = regexp.MustCompile(`(Seite|Page) \d+ (von|of) \d+`).ReplaceAllString(txt, " ")
	return norm(strings.ReplaceAll(txt, "\f", " "))
}

func write(t *testing.T, dir, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestTextRoundTrip renders the example in German and English and checks
// that pdftotext gives back exactly the generated text, umlauts included,
// and renders page 1 to PNG for a person to look at.
func TestTextRoundTrip(t *testing.T) {
	t.Parallel()
	needTool(t, "pdftotext")
	needTool(t, "pdftoppm")
	needTool(t, "pdfinfo")
	dir := artifacts(t)
	for _, lang := range []string{"de", "en"} {
		f := exampleFacts(t)
		f.Language = lang
		doc, err := generator.Generate(f, nil)
		if err != nil {
			t.Fatal(err)
		}
		l := layout(t)
		if lang == "en" {
			l.Place = "Cologne"
			l.Font = pdf.FontSans
		}
		b, err := pdf.Render(doc, l)
		if err != nil {
			t.Fatal(err)
		}
		path := write(t, dir, "example-"+lang+".pdf", b)
		got := extracted(t, path, l)
		want := norm(strings.Join(append([]string{l.Letterhead.Name}, l.Letterhead.Lines...), " ") + " " + doc.PlainText() + " " + l.Place + ", " + doc.DateText)
		if !strings.HasPrefix(got, want) {
			i := 0
			for i < len(got) && i < len(want) && got[i] == want[i] {
				i++
			}
			t.Fatalf("%s: extracted text differs at byte %d:\n got: …%s\nwant: …%s", lang, i, got[max(0, i-60):min(len(got), i+80)], want[max(0, i-60):min(len(want), i+80)])
		}
		// after the body only the signatures remain: nothing else, nothing hidden
		rest := got[len(want):]
		for _, s := range doc.Signatories {
			if !strings.Contains(rest, s.Name) || !strings.Contains(rest, s.Function) {
				t.Errorf("%s: signature %q / %q missing from %q", lang, s.Name, s.Function, rest)
			}
			rest = strings.Replace(strings.Replace(rest, s.Name, "", 1), s.Function, "", 1)
		}
		if strings.TrimSpace(rest) != "" {
			t.Errorf("%s: unexpected text in the PDF: %q", lang, rest)
		}
		if lang == "de" && !strings.Contains(got, "Müller-Lüdenscheidt") {
			t.Error("umlauts lost")
		}
		info := run(t, "pdfinfo", path)
		if !strings.Contains(info, "Title:") || !strings.Contains(info, "Author:          Weißenfels & Söhne GmbH") {
			t.Errorf("metadata:\n%s", info)
		}
		for _, k := range []string{"Creator:", "Producer:", "Subject:", "Keywords:"} {
			if strings.Contains(info, k) {
				t.Errorf("unexpected metadata %s in\n%s", k, info)
			}
		}
		if !strings.Contains(info, "(A4)") {
			t.Errorf("not A4:\n%s", info)
		}
		run(t, "pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "1", "-singlefile", path, filepath.Join(dir, "example-"+lang+"-page1"))
		if _, err := os.Stat(filepath.Join(dir, "example-"+lang+"-page1.png")); err != nil {
			t.Fatal(err)
		}
	}
}

// TestMultiPage renders a long task list: the text flows over pages, pages
// from 2 on carry "Seite n von N", page 1 none, and no page ends with a
// lead-in line or heading.
func TestMultiPage(t *testing.T) {
	t.Parallel()
	needTool(t, "pdftotext")
	dir := artifacts(t)
	for _, n := range []int{18, 25, 31, 38, 52} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			t.Parallel()
			f := exampleFacts(t)
			f.Tasks = nil
			for i := 0; i < n; i++ {
				f.Tasks = append(f.Tasks, catalog.T("Steuerung des Teilprojekts Nummer "+strings.Repeat("I", 1+i%4)+" mit den Fachbereichen Vertrieb, Einkauf und Produktion an den Standorten Köln, Görlitz und Straßburg"))
			}
			doc, err := generator.Generate(f, nil)
			if err != nil {
				t.Fatal(err)
			}
			l := layout(t)
			l.ShowHeadings = true
			b, err := pdf.Render(doc, l)
			if err != nil {
				t.Fatal(err)
			}
			path := write(t, dir, fmt.Sprintf("long-%d.pdf", n), b)
			pages := strings.Split(strings.TrimRight(run(t, "pdftotext", "-enc", "UTF-8", path, "-"), "\f"), "\f")
			if len(pages) < 2 {
				t.Fatalf("%d tasks: %d page(s)", n, len(pages))
			}
			headings := map[string]bool{}
			for _, p := range doc.Paragraphs {
				headings[p.Heading] = true
			}
			for i, page := range pages {
				label := pdf.PageLabel("de", i+1, len(pages))
				if (i == 0) == strings.Contains(page, label) {
					t.Errorf("%d tasks, page %d: label %q present=%v", n, i+1, label, strings.Contains(page, label))
				}
				var body []string
				for _, ln := range strings.Split(page, "\n") {
					ln = strings.TrimSpace(ln)
					if ln == "" || ln == label || strings.HasPrefix(ln, "Weißenfels & Söhne GmbH · Sitz") || strings.HasPrefix(ln, "Geschäftsführer:") {
						continue
					}
					body = append(body, ln)
				}
				if i < len(pages)-1 && len(body) > 0 {
					last := body[len(body)-1]
					if strings.HasSuffix(last, ":") || headings[last] {
						t.Errorf("%d tasks: page %d ends with %q", n, i+1, last)
					}
				}
			}
			// the signatures never stand alone: the last page also carries the
			// end of the closing paragraph
			last := doc.Paragraphs[len(doc.Paragraphs)-1].Text
			words := strings.Fields(last)
			tail := strings.Join(words[max(0, len(words)-3):], " ")
			if !strings.Contains(norm(pages[len(pages)-1]), tail) {
				t.Errorf("%d tasks: last page lacks the end of the closing %q", n, tail)
			}
			got := extracted(t, path, l)
			if !strings.Contains(got, norm(doc.PlainText()[len(doc.Title):])) {
				// headings are printed in this layout; compare without them
				var want []string
				for _, p := range doc.Paragraphs {
					want = append(want, p.Heading, p.Text)
					for _, it := range p.Items {
						want = append(want, generator.Bullet+" "+it)
					}
				}
				if !strings.Contains(got, norm(strings.Join(want, " "))) {
					t.Errorf("%d tasks: body text lost in extraction", n)
				}
			}
		})
	}
}

func TestLogoValidation(t *testing.T) {
	t.Parallel()
	doc, err := generator.Generate(exampleFacts(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	var jpg bytes.Buffer
	if err := jpeg.Encode(&jpg, image.NewGray(image.Rect(0, 0, 300, 100)), nil); err != nil {
		t.Fatal(err)
	}
	if _, err := pdf.Render(doc, pdf.Layout{Logo: jpg.Bytes()}); err != nil {
		t.Fatalf("JPEG logo: %v", err)
	}
	big := make([]byte, pdf.MaxLogoBytes+1)
	copy(big, logoPNG(t, 10, 10))
	gif := []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;")
	for name, logo := range map[string][]byte{
		"text":      []byte("%PDF-1.4 this is not an image"),
		"gif":       gif,
		"too large": big,
		"too wide":  logoPNG(t, 4001, 2),
		"truncated": logoPNG(t, 50, 50)[:40],
	} {
		_, err := pdf.Render(doc, pdf.Layout{Logo: logo})
		var ve *pdf.ValidationError
		if !errors.As(err, &ve) || ve.Problems[0].Field != "logo" || ve.Problems[0].De == "" {
			t.Errorf("%s: want a logo validation error, got %v", name, err)
		}
	}
}

func TestLayoutValidation(t *testing.T) {
	t.Parallel()
	doc, _ := generator.Generate(exampleFacts(t), nil)
	_, err := pdf.Render(doc, pdf.Layout{MarginLeft: 3, FontSize: 30, Footer: []string{"a\nb"}})
	var ve *pdf.ValidationError
	if !errors.As(err, &ve) || len(ve.Problems) != 3 {
		t.Fatalf("got %v", err)
	}
}

func TestDeterministic(t *testing.T) {
	t.Parallel()
	doc, _ := generator.Generate(exampleFacts(t), nil)
	a, err := pdf.Render(doc, layout(t))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := pdf.Render(doc, layout(t))
	if !bytes.Equal(a, b) {
		t.Fatal("same input rendered to different bytes")
	}
}

func TestNoLayoutAtAll(t *testing.T) {
	t.Parallel()
	f := exampleFacts(t)
	f.Signatories = nil
	doc, _ := generator.Generate(f, nil)
	b, err := pdf.Render(doc, pdf.Layout{})
	if err != nil || !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Fatalf("%v", err)
	}
}

func TestWriteZip(t *testing.T) {
	t.Parallel()
	f := exampleFacts(t)
	var docs []pdf.NamedDocument
	for i, lang := range []string{"de", "en", "de"} {
		f.Language = lang
		f.Seed = string(rune('a' + i))
		d, err := generator.Generate(f, nil)
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, pdf.NamedDocument{Name: "z" + string(rune('0'+i)) + ".pdf", Doc: d})
	}
	var a, b bytes.Buffer
	if err := pdf.WriteZip(t.Context(), &a, docs, layout(t), 1); err != nil {
		t.Fatal(err)
	}
	if err := pdf.WriteZip(t.Context(), &b, docs, layout(t), 3); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Fatal("archive depends on the number of workers")
	}
	zr, err := zip.NewReader(bytes.NewReader(a.Bytes()), int64(a.Len()))
	if err != nil || len(zr.File) != 3 || zr.File[1].Name != "z1.pdf" {
		t.Fatalf("%v %d", err, len(zr.File))
	}
	bad := pdf.Layout{Logo: []byte("no image")}
	docs[1].Layout = &bad
	if err := pdf.WriteZip(t.Context(), io.Discard, docs, layout(t), 2); err == nil || !strings.Contains(err.Error(), "z1.pdf") {
		t.Fatalf("want error naming z1.pdf, got %v", err)
	}
	// An early error with many documents still queued must not hang.
	many := make([]pdf.NamedDocument, 40)
	for i := range many {
		many[i] = docs[0]
	}
	many[2].Layout = &bad
	if err := pdf.WriteZip(t.Context(), io.Discard, many, layout(t), 2); err == nil {
		t.Fatal("want error")
	}
}

// TestPlaceInDateLine: the PDF prints the same date line as the generated
// document — the location's city when the company has none, the layout's
// place when it names one — and refuses a document without any place
// rather than print a bare date.
func TestPlaceInDateLine(t *testing.T) {
	t.Parallel()
	needTool(t, "pdftotext")
	f := exampleFacts(t)
	f.Company.City = nil
	f.Location.City = generator.Text{"de": "Leverkusen"}
	doc, err := generator.Generate(f, nil)
	if err != nil {
		t.Fatal(err)
	}
	dir := artifacts(t)
	for _, c := range []struct{ layoutPlace, want string }{
		{"", "Leverkusen, " + doc.DateText},
		{"Köln", "Köln, " + doc.DateText},
	} {
		if doc.DateLine(c.layoutPlace) != c.want {
			t.Errorf("DateLine(%q) = %q, want %q", c.layoutPlace, doc.DateLine(c.layoutPlace), c.want)
		}
		b, err := pdf.Render(doc, pdf.Layout{Place: c.layoutPlace})
		if err != nil {
			t.Fatal(err)
		}
		txt := norm(run(t, "pdftotext", "-enc", "UTF-8", write(t, dir, "place-"+c.layoutPlace+".pdf", b), "-"))
		if !strings.Contains(txt, c.want) {
			t.Errorf("PDF lacks %q:\n%s", c.want, txt)
		}
	}

	doc.Place = ""
	_, err = pdf.Render(doc, pdf.Layout{})
	var ve *pdf.ValidationError
	if !errors.As(err, &ve) || len(ve.Problems) != 1 || ve.Problems[0].Field != "place" || ve.Problems[0].De == "" || ve.Problems[0].En == "" {
		t.Fatalf("document without place: %v", err)
	}
	if _, err := pdf.Render(doc, pdf.Layout{Place: "Bonn"}); err != nil {
		t.Fatalf("layout place should do: %v", err)
	}
}
