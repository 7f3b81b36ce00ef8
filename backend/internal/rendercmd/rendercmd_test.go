package rendercmd_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zeugo/zeugo/backend/internal/generator"
	"github.com/zeugo/zeugo/backend/internal/rendercmd"
)

const examples = "../../../examples/"

func render(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = rendercmd.Run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestExamplesRender(t *testing.T) {
	t.Parallel()
	for _, f := range []string{"facts-final-de.json", "facts-interim-en.json", "facts-apprenticeship-de.json"} {
		code, out, errs := render(t, "--facts", examples+f)
		if code != 0 || errs != "" {
			t.Fatalf("%s: exit %d: %s", f, code, errs)
		}
		if !strings.Contains(out, "•") || strings.ContainsAny(out, "{}") {
			t.Errorf("%s: output\n%s", f, out)
		}
	}
	code, out, _ := render(t, "--facts", examples+"facts-final-de.json", "--lang", "en")
	if code != 0 || !strings.HasPrefix(out, "Employment Reference\n") || !strings.Contains(out, "Dr. Friedrich Weißenfels, Managing Director") {
		t.Fatalf("en: %d\n%s", code, out)
	}
}

func TestPDF(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	out := filepath.Join(dir, "zeugnis.pdf")
	code, stdout, errs := render(t, "--facts", examples+"facts-final-de.json", "--layout", examples+"layout.json", "--pdf", out)
	if code != 0 || stdout != "" {
		t.Fatalf("exit %d: %s", code, errs)
	}
	b, err := os.ReadFile(out)
	if err != nil || !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Fatalf("%v", err)
	}
}

func TestJSON(t *testing.T) {
	t.Parallel()
	code, out, errs := render(t, "--facts", examples+"facts-interim-en.json", "--json")
	if code != 0 {
		t.Fatal(errs)
	}
	var d generator.Document
	if err := json.Unmarshal([]byte(out), &d); err != nil || d.Kind != generator.Interim || len(d.Paragraphs) < 5 {
		t.Fatalf("%v %+v", err, d)
	}
}

// TestBadFacts: missing facts give exit 1, the list of problems, no text
// and no PDF.
func TestBadFacts(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	facts := filepath.Join(dir, "facts.json")
	os.WriteFile(facts, []byte(`{"kind":"final","language":"de","person":{"salutation":"frau","firstName":"Anna","lastName":"Weiß"},"company":{"name":"X GmbH"},"ratings":{"wissen":2,"verhaltenIntern":2},"exitReason":"own_wish"}`), 0o644)
	out := filepath.Join(dir, "out.pdf")
	code, stdout, errs := render(t, "--facts", facts, "--pdf", out)
	if code != rendercmd.ExitInvalid || stdout != "" {
		t.Fatalf("exit %d, stdout %q", code, stdout)
	}
	for _, p := range []string{"jobTitle:", "entryDate:", "exitDate:", "tasks:"} {
		if !strings.Contains(errs, p) {
			t.Errorf("stderr lacks %s:\n%s", p, errs)
		}
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Error("a PDF was written for invalid facts")
	}
	os.WriteFile(facts, []byte(`{"kind":"final","jobtitel":"x"}`), 0o644)
	if code, _, errs := render(t, "--facts", facts); code != rendercmd.ExitInvalid || !strings.Contains(errs, "jobtitel") {
		t.Errorf("unknown field: %d %s", code, errs)
	}
	if code, _, _ := render(t, "--facts", filepath.Join(dir, "missing.json")); code != rendercmd.ExitInvalid {
		t.Errorf("missing file: %d", code)
	}
}

func TestBadLogo(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "logo.png"), []byte("this is a text file, not an image"), 0o644)
	layout := filepath.Join(dir, "layout.json")
	os.WriteFile(layout, []byte(`{"logoFile":"logo.png","place":"Köln"}`), 0o644)
	out := filepath.Join(dir, "out.pdf")
	code, _, errs := render(t, "--facts", examples+"facts-final-de.json", "--layout", layout, "--pdf", out)
	if code != rendercmd.ExitInvalid || !strings.Contains(errs, "logo") || !strings.Contains(errs, "PNG") {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Error("a PDF was written for an invalid logo")
	}
}

func TestUsage(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{}, {"--lang", "fr", "--facts", "x"}, {"--facts", "x", "extra"}, {"--bogus"}, {"--facts", "x", "--layout", "y"}} {
		if code, _, errs := render(t, args...); code != rendercmd.ExitUsage || errs == "" {
			t.Errorf("%v: exit %d", args, code)
		}
	}
	if code, out, _ := render(t, "-h"); code != 0 || !strings.Contains(out, "usage: zeugo render") {
		t.Errorf("help: %d", code)
	}
}

func TestCheckEdited(t *testing.T) {
	t.Parallel()
	code, text, _ := render(t, "--facts", examples+"facts-final-de.json")
	if code != 0 {
		t.Fatal(code)
	}
	dir := t.TempDir()
	same := filepath.Join(dir, "same.txt")
	os.WriteFile(same, []byte(text), 0o644)
	if code, out, errs := render(t, "--facts", examples+"facts-final-de.json", "--check", same); code != 0 {
		t.Fatalf("unchanged text: exit %d\n%s%s", code, out, errs)
	}
	edited := strings.Replace(text, "stets zu unserer vollsten Zufriedenheit", "zu unserer Zufriedenheit", 1)
	edited = strings.Replace(edited, "Im Team bewies sie Fairness und Hilfsbereitschaft.", "Durch ihre Geselligkeit trug sie zu einem guten Betriebsklima bei.", 1)
	p := filepath.Join(dir, "edited.txt")
	os.WriteFile(p, []byte(edited), 0o644)
	code, out, _ := render(t, "--facts", examples+"facts-final-de.json", "--check", p)
	if code != rendercmd.ExitInvalid || !strings.Contains(out, "Gesamtbeurteilung") || !strings.Contains(out, "Geselligkeit") {
		t.Fatalf("exit %d\n%s", code, out)
	}
}

// factsWith writes the example facts file with some fields replaced and
// returns its path.
func factsWith(t *testing.T, example string, set map[string]any) string {
	t.Helper()
	b, err := os.ReadFile(examples + example)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for k, v := range set {
		if v == nil {
			delete(m, k)
			continue
		}
		m[k] = v
	}
	out, _ := json.Marshal(m)
	p := filepath.Join(t.TempDir(), "facts.json")
	if err := os.WriteFile(p, out, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestParentalLeaveReason: by default the printed text keeps parental leave
// to itself and nothing is said on stderr; with discloseReason the text names
// it and stderr carries the warning in the language of the text.
func TestParentalLeaveReason(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ lang, word, warn string }{
		{"de", "Elternzeit", "Bitte vor dem Ausstellen prüfen"},
		{"en", "parental leave", "Please confirm before issuing"},
	} {
		quiet := factsWith(t, "facts-interim-en.json", map[string]any{"interimReason": "parental_leave"})
		code, out, errs := render(t, "--facts", quiet, "--lang", c.lang)
		if code != 0 || errs != "" || strings.Contains(out, c.word) {
			t.Errorf("%s default: exit %d, stderr %q, text discloses the leave: %v\n%s", c.lang, code, errs, strings.Contains(out, c.word), out)
		}
		loud := factsWith(t, "facts-interim-en.json", map[string]any{"interimReason": "parental_leave", "discloseReason": true})
		code, out, errs = render(t, "--facts", loud, "--lang", c.lang)
		if code != 0 || !strings.Contains(out, c.word) || !strings.Contains(errs, c.warn) || !strings.Contains(errs, "discloseReason: ") {
			t.Errorf("%s disclosed: exit %d\nstderr %s\n%s", c.lang, code, errs, out)
		}
	}
}

// TestPlaceFallback: without a company city the text and the PDF both end
// with the location's city before the date; with neither, the command
// refuses and names the field in the language of the text.
func TestPlaceFallback(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile(examples + "facts-final-de.json")
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	company := m["company"].(map[string]any)
	delete(company, "city")
	withLocation := factsWith(t, "facts-final-de.json", map[string]any{"company": company, "location": map[string]any{"city": "Leverkusen"}})
	code, out, errs := render(t, "--facts", withLocation)
	if code != 0 || !strings.Contains(out, "\nLeverkusen, 30. Juni 2025\n") {
		t.Fatalf("exit %d %s\n%s", code, errs, out)
	}
	pdfPath := filepath.Join(t.TempDir(), "z.pdf")
	if code, _, errs := render(t, "--facts", withLocation, "--pdf", pdfPath); code != 0 {
		t.Fatalf("pdf: exit %d %s", code, errs)
	}
	if _, err := exec.LookPath("pdftotext"); err == nil {
		txt, err := exec.Command("pdftotext", "-enc", "UTF-8", pdfPath, "-").Output()
		if err != nil || !strings.Contains(string(txt), "Leverkusen, 30. Juni 2025") {
			t.Errorf("PDF date line differs from the text: %v\n%s", err, txt)
		}
	}

	nowhere := factsWith(t, "facts-final-de.json", map[string]any{"company": company})
	for lang, want := range map[string]string{"de": "company.city: Der Ort für die Datumszeile fehlt", "en": "company.city: the place for the date line is missing"} {
		code, out, errs := render(t, "--facts", nowhere, "--lang", lang)
		if code != rendercmd.ExitInvalid || out != "" || !strings.Contains(errs, want) || !strings.Contains(errs, "location.city") {
			t.Errorf("%s: exit %d, stdout %q, stderr %s", lang, code, out, errs)
		}
	}
}

// editedWithout renders the example, removes part of the generated text and
// returns the path of the edited text.
func editedWithout(t *testing.T, lang, what string) string {
	t.Helper()
	code, text, errs := render(t, "--facts", examples+"facts-final-de.json", "--lang", lang)
	if code != 0 {
		t.Fatal(errs)
	}
	code, js, errs := render(t, "--facts", examples+"facts-final-de.json", "--lang", lang, "--json")
	if code != 0 {
		t.Fatal(errs)
	}
	var d generator.Document
	if err := json.Unmarshal([]byte(js), &d); err != nil {
		t.Fatal(err)
	}
	var cut string
	switch what {
	case "overall":
		p, _ := d.Paragraph(generator.SecPerformance)
		for _, s := range p.Sentences {
			if s.Category == generator.CatOverall {
				cut = " " + s.Text
			}
		}
	case "conduct", "closing":
		p, _ := d.Paragraph(generator.Section(what))
		cut = p.Text + "\n\n"
	}
	if cut == "" || !strings.Contains(text, cut) {
		t.Fatalf("%s: %q not in the text", what, cut)
	}
	p := filepath.Join(t.TempDir(), what+".txt")
	if err := os.WriteFile(p, []byte(strings.Replace(text, cut, "", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestCheckPrintsDocumentFindings: a text without overall statement,
// conduct statement or closing exits 1 and says why — the finding's code
// and its reason in the language of the text — instead of failing silently.
func TestCheckPrintsDocumentFindings(t *testing.T) {
	t.Parallel()
	cases := []struct{ what, code, de, en string }{
		{"overall", "overall_missing", "Die zusammenfassende Leistungsbeurteilung", "the overall performance statement"},
		{"conduct", "conduct_missing", "Eine bewertende Aussage zum Verhalten fehlt", "a graded statement on conduct is missing"},
		{"closing", "closing_missing", "Die Schlussformel fehlt", "the closing formula is missing"},
	}
	for _, c := range cases {
		for _, lang := range []string{"de", "en"} {
			p := editedWithout(t, lang, c.what)
			code, out, errs := render(t, "--facts", examples+"facts-final-de.json", "--lang", lang, "--check", p)
			reason := c.de
			if lang == "en" {
				reason = c.en
			}
			if code != rendercmd.ExitInvalid || !strings.Contains(out, c.code) || !strings.Contains(out, reason) {
				t.Errorf("%s/%s: exit %d, want the finding %s with %q:\n%s%s", c.what, lang, code, c.code, reason, out, errs)
			}
		}
	}
}

// TestCheckJSON: --check with --json prints a CheckResult — every finding
// in one list with its paragraph (0 for the whole document), code and both
// messages — with the same exit code as the text output.
func TestCheckJSON(t *testing.T) {
	t.Parallel()
	code, text, _ := render(t, "--facts", examples+"facts-final-de.json")
	if code != 0 {
		t.Fatal(code)
	}
	dir := t.TempDir()
	same := filepath.Join(dir, "same.txt")
	os.WriteFile(same, []byte(text), 0o644)
	code, out, errs := render(t, "--facts", examples+"facts-final-de.json", "--check", same, "--json")
	var res rendercmd.CheckResult
	if err := json.Unmarshal([]byte(out), &res); err != nil || code != 0 || !res.OK || len(res.Findings) != 0 || res.Report == nil || res.Report.Overall != 1 {
		t.Fatalf("unchanged: exit %d, %v %s\n%s", code, err, errs, out)
	}
	if !strings.Contains(out, `"findings": []`) || !strings.Contains(out, `"changes": []`) {
		t.Errorf("empty lists should be [] for scripts:\n%s", out)
	}

	edited := strings.Replace(text, "Im Team bewies sie Fairness und Hilfsbereitschaft.", "Durch ihre Geselligkeit trug sie zu einem guten Betriebsklima bei.", 1)
	p := filepath.Join(dir, "edited.txt")
	os.WriteFile(p, []byte(edited), 0o644)
	code, out, _ = render(t, "--facts", examples+"facts-final-de.json", "--check", p, "--json")
	res = rendercmd.CheckResult{}
	if err := json.Unmarshal([]byte(out), &res); err != nil || code != rendercmd.ExitInvalid || res.OK {
		t.Fatalf("edited: exit %d %v\n%s", code, err, out)
	}
	found := false
	for _, f := range res.Findings {
		if f.Code == "sociability" && f.Paragraph > 0 && f.Section == "conduct" && f.De != "" && f.En != "" && f.Fragment != "" {
			found = true
		}
	}
	if !found {
		t.Errorf("no sociability finding with its paragraph:\n%s", out)
	}

	code, out, _ = render(t, "--facts", examples+"facts-final-de.json", "--check", editedWithout(t, "de", "closing"), "--json")
	res = rendercmd.CheckResult{}
	if err := json.Unmarshal([]byte(out), &res); err != nil || code != rendercmd.ExitInvalid || res.OK {
		t.Fatalf("no closing: exit %d %v\n%s", code, err, out)
	}
	if len(res.Findings) != 1 || res.Findings[0].Paragraph != 0 || res.Findings[0].Code != "closing_missing" || res.Findings[0].De == "" || res.Findings[0].En == "" {
		t.Errorf("want one document finding closing_missing, got %+v", res.Findings)
	}
}
