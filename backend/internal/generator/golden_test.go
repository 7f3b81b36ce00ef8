package generator_test

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zeugo/zeugo/backend/internal/generator"
	"github.com/zeugo/zeugo/backend/internal/textcheck"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// checkDocument reads a generated document back with the checker: no
// finding, and the grades it conveys are the ones it was written with.
func checkDocument(t *testing.T, f generator.Facts, d generator.Document) {
	t.Helper()
	var paras []textcheck.Paragraph
	for _, p := range d.Paragraphs {
		paras = append(paras, textcheck.Paragraph{Section: string(p.Section), Text: p.Text, Items: p.Items})
	}
	names := []string{f.Person.FirstName, f.Person.LastName, f.Company.Name}
	for _, s := range f.Signatories {
		names = append(names, s.Name)
	}
	rep, err := textcheck.Check(paras, textcheck.Options{Language: d.Language, Gender: string(f.Person.Salutation.Gender()), Kind: string(f.Kind), Names: names, Whole: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, fd := range rep.Findings() {
		t.Errorf("%s: %s %s %q in %q: %s", f.Seed, fd.Kind, fd.Code, fd.Fragment, fd.Sentence, fd.En)
	}
	if int(d.Overall) != rep.Overall {
		t.Errorf("%s: overall written %d, read %d", f.Seed, d.Overall, rep.Overall)
	}
	if f.Kind.Qualified() {
		if c, ok := rep.Section(textcheck.SecConduct); !ok || c.Sentences[0].Grade != int(f.Ratings.VerhaltenIntern) {
			t.Errorf("%s: conduct grade read %+v, want %d", f.Seed, c, f.Ratings.VerhaltenIntern)
		}
	}
	// Every sentence written for a grade reads back as that grade wherever
	// the checker reads one from it.
	for i, p := range d.Paragraphs {
		if i >= len(rep.Paragraphs) {
			t.Errorf("%s: paragraph %d (%s) not read back", f.Seed, i, p.Section)
			continue
		}
		read := map[string]int{}
		for _, sr := range rep.Paragraphs[i].Sentences {
			read[strings.TrimSpace(sr.Text)] = sr.Grade
		}
		for _, s := range p.Sentences {
			if s.Grade == 0 {
				continue
			}
			if g, ok := read[strings.TrimSpace(s.Text)]; ok && g != 0 && g != int(s.Grade) {
				t.Errorf("%s: %q written for grade %d, read as %d", f.Seed, s.Text, s.Grade, g)
			}
		}
	}
}

// TestGolden renders every kind × salutation × grade in both languages,
// compares with testdata/golden and reads every document back.
func TestGolden(t *testing.T) {
	t.Parallel()
	lib := generator.MustDefaultLibrary()
	for _, lang := range []string{"de", "en"} {
		for _, kind := range kinds {
			var b strings.Builder
			for _, p := range persons {
				grades := []generator.Grade{1, 2, 3, 4, 5}
				if kind == generator.Simple {
					grades = []generator.Grade{0}
				}
				for _, g := range grades {
					f := sample(kind, lang, p, g)
					d, err := generator.Generate(f, lib)
					if err != nil {
						t.Fatalf("%s: %v", f.Seed, err)
					}
					checkDocument(t, f, d)
					fmt.Fprintf(&b, "=== %s · %s · %s · grade %d ===\n\n", kind, lang, p.Salutation, g)
					b.WriteString(d.PlainText())
					fmt.Fprintf(&b, "\n[%s]\n\n", d.DateText)
				}
			}
			path := filepath.Join("testdata", "golden", fmt.Sprintf("%s-%s.txt", kind, lang))
			if *update {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
					t.Fatal(err)
				}
				continue
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update)", err)
			}
			if string(want) != b.String() {
				t.Errorf("%s differs from the generated text; review and run go test ./internal/generator -update", path)
			}
		}
	}
}
