// Package rendercmd implements `zeugo render`: it turns a facts JSON file
// into the reference text or a PDF without a server or database, so that a
// person can try the engine and an HR-system integrator can see what their
// data produces. Bad input gives a non-zero exit code and the list of what
// is missing or wrong — never half a text.
package rendercmd

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/zeugo/zeugo/backend/internal/generator"
	"github.com/zeugo/zeugo/backend/internal/pdf"
	"github.com/zeugo/zeugo/backend/internal/textcheck"
)

// Exit codes.
const (
	ExitOK      = 0 // text printed or PDF written
	ExitInvalid = 1 // facts, layout or edited text are invalid or unreadable
	ExitUsage   = 2 // wrong command line
)

// maxInput bounds the files read (facts, layout with an inline logo, edited
// text).
const maxInput = 8 << 20

const usage = `usage: zeugo render --facts FILE.json [--lang de|en] [--layout FILE.json] [--pdf OUT.pdf] [--json] [--check EDITED.txt]

Writes the employment reference described by the facts file (see
docs/generator.md) as text to standard output, or as a PDF with --pdf.

  --facts FILE    facts JSON ("-" reads standard input)
  --lang de|en    language of the text; overrides the facts' "language"
  --layout FILE   layout JSON for the PDF (margins, letterhead, logo, footer,
                  place); "logoFile" is read relative to the layout file
  --pdf OUT.pdf   write the PDF to OUT.pdf instead of printing the text
  --json          print the structured document (paragraphs, sections) as JSON;
                  with --check, the check result (every finding, the changes
                  and the full reading) as JSON
  --check FILE    read a hand-edited text of this reference and report the
                  grades it conveys, coded phrases, gender and tense slips,
                  and what changed compared with the generated text
`

// layoutFile is the JSON of --layout: a pdf.Layout whose logo may also be
// given as a file path.
type layoutFile struct {
	pdf.Layout
	// LogoFile is a PNG or JPEG path, relative to the layout file.
	LogoFile string `json:"logoFile,omitempty"`
}

// Run executes `zeugo render` with args (without the command name) and
// returns the process exit code. Output goes to stdout, messages to stderr.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("zeugo render", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	factsPath := fs.String("facts", "", "")
	lang := fs.String("lang", "", "")
	layoutPath := fs.String("layout", "", "")
	pdfPath := fs.String("pdf", "", "")
	asJSON := fs.Bool("json", false, "")
	checkPath := fs.String("check", "", "")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, usage)
			return ExitOK
		}
		fmt.Fprintf(stderr, "zeugo render: %v\n\n%s", err, usage)
		return ExitUsage
	}
	switch {
	case fs.NArg() > 0:
		fmt.Fprintf(stderr, "zeugo render: unexpected argument %q\n\n%s", fs.Arg(0), usage)
		return ExitUsage
	case *factsPath == "":
		fmt.Fprintf(stderr, "zeugo render: --facts is required\n\n%s", usage)
		return ExitUsage
	case *lang != "" && *lang != "de" && *lang != "en":
		fmt.Fprintf(stderr, "zeugo render: --lang must be de or en, not %q\n", *lang)
		return ExitUsage
	case *layoutPath != "" && *pdfPath == "":
		fmt.Fprintf(stderr, "zeugo render: --layout only applies with --pdf\n")
		return ExitUsage
	case *pdfPath != "" && (*asJSON || *checkPath != ""):
		fmt.Fprintf(stderr, "zeugo render: --pdf cannot be combined with --json or --check\n")
		return ExitUsage
	}

	var facts generator.Facts
	if err := readJSON(*factsPath, &facts); err != nil {
		fmt.Fprintf(stderr, "zeugo render: facts: %v\n", err)
		return ExitInvalid
	}
	if *lang != "" {
		facts.Language = *lang
	}
	if facts.Language == "" {
		facts.Language = "de"
	}
	msgLang := facts.Language
	var layout pdf.Layout
	if *layoutPath != "" {
		l, err := readLayout(*layoutPath)
		if err != nil {
			fmt.Fprintf(stderr, "zeugo render: layout: %v\n", err)
			return ExitInvalid
		}
		layout = l
	}
	if err := ctx.Err(); err != nil {
		fmt.Fprintf(stderr, "zeugo render: %v\n", err)
		return ExitInvalid
	}
	doc, err := generator.Generate(facts, nil)
	var ve *generator.ValidationError
	if errors.As(err, &ve) {
		header := "Die Fakten sind unvollständig oder fehlerhaft:"
		if msgLang == "en" {
			header = "The facts are incomplete or wrong:"
		}
		fmt.Fprintln(stderr, header)
		for _, p := range ve.Problems {
			msg := p.De
			if msgLang == "en" {
				msg = p.En
			}
			fmt.Fprintf(stderr, "  - %s: %s\n", p.Path, msg)
		}
		return ExitInvalid
	}
	if err != nil {
		fmt.Fprintf(stderr, "zeugo render: %v\n", err)
		return ExitInvalid
	}
	// Warnings (a disclosed parental leave) do not stop the text, but the
	// person running the command must see them before issuing it.
	if len(doc.Warnings) > 0 {
		header := "Bitte vor dem Ausstellen prüfen:"
		if msgLang == "en" {
			header = "Please confirm before issuing:"
		}
		fmt.Fprintln(stderr, header)
		for _, p := range doc.Warnings {
			msg := p.De
			if msgLang == "en" {
				msg = p.En
			}
			fmt.Fprintf(stderr, "  - %s: %s\n", p.Path, msg)
		}
	}

	switch {
	case *pdfPath != "":
		b, err := pdf.Render(doc, layout)
		var le *pdf.ValidationError
		if errors.As(err, &le) {
			fmt.Fprintln(stderr, "Das Layout ist fehlerhaft / the layout is invalid:")
			for _, p := range le.Problems {
				msg := p.De
				if msgLang == "en" {
					msg = p.En
				}
				fmt.Fprintf(stderr, "  - %s: %s\n", p.Field, msg)
			}
			return ExitInvalid
		}
		if err != nil {
			fmt.Fprintf(stderr, "zeugo render: %v\n", err)
			return ExitInvalid
		}
		if err := writeAtomic(*pdfPath, b); err != nil {
			fmt.Fprintf(stderr, "zeugo render: %v\n", err)
			return ExitInvalid
		}
		return ExitOK
	case *checkPath != "":
		return runCheck(*checkPath, facts, doc, msgLang, *asJSON, stdout, stderr)
	case *asJSON:
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(doc); err != nil {
			fmt.Fprintf(stderr, "zeugo render: %v\n", err)
			return ExitInvalid
		}
		return ExitOK
	}
	if _, err := io.WriteString(stdout, Text(doc)); err != nil {
		fmt.Fprintf(stderr, "zeugo render: %v\n", err)
		return ExitInvalid
	}
	return ExitOK
}

// Text is the reference as `zeugo render` prints it: the plain text, the
// date line and the signature block. `zeugo check` must read it without a
// finding (textcheck's property test).
func Text(doc generator.Document) string {
	var out strings.Builder
	out.WriteString(doc.PlainText())
	out.WriteString("\n" + doc.DateLine("") + "\n")
	for _, s := range doc.Signatories {
		out.WriteString("\n" + s.Name)
		if s.Function != "" {
			out.WriteString(", " + s.Function)
		}
	}
	if len(doc.Signatories) > 0 {
		out.WriteString("\n")
	}
	return out.String()
}

func readFile(path string) ([]byte, error) {
	var r io.Reader
	if path == "-" {
		r = os.Stdin
	} else {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r = f
	}
	b, err := io.ReadAll(io.LimitReader(r, maxInput+1))
	if err != nil {
		return nil, err
	}
	if len(b) > maxInput {
		return nil, fmt.Errorf("%s is larger than %d bytes", path, maxInput)
	}
	return b, nil
}

// readJSON decodes strictly: an unknown field is an error, so a typo in an
// integrator's field name does not silently drop data.
func readJSON(path string, v any) error {
	b, err := readFile(path)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if dec.More() {
		return fmt.Errorf("%s: more than one JSON value", path)
	}
	return nil
}

func readLayout(path string) (pdf.Layout, error) {
	var lf layoutFile
	if err := readJSON(path, &lf); err != nil {
		return pdf.Layout{}, err
	}
	if lf.LogoFile != "" {
		if len(lf.Logo) > 0 {
			return pdf.Layout{}, fmt.Errorf("give either logo (base64) or logoFile, not both")
		}
		p := lf.LogoFile
		if !filepath.IsAbs(p) {
			p = filepath.Join(filepath.Dir(path), p)
		}
		b, err := readFile(p)
		if err != nil {
			return pdf.Layout{}, fmt.Errorf("logoFile: %w", err)
		}
		lf.Logo = b
	}
	return lf.Layout, nil
}

// writeAtomic writes the file under a temporary name and renames it, so a
// failed run never leaves a half-written PDF.
func writeAtomic(path string, b []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".zeugo-render-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// CheckResult is what `zeugo render --check FILE --json` prints: the edited
// text as the checker read it, every finding in one flat list (the SPA and
// scripts need not walk paragraphs to find the document-level ones), and
// what changed compared with the generated text.
type CheckResult struct {
	// OK is true when the edited text has no finding and says the same as
	// the generated one (exit code 0).
	OK bool `json:"ok"`
	// Findings lists every finding: per paragraph, then those about the text
	// as a whole (overall statement, conduct statement or closing missing).
	Findings []CheckFinding `json:"findings"`
	// Changes are the differences in what the text conveys (grades, closing,
	// new findings) against the generated text.
	Changes []textcheck.Change `json:"changes"`
	// Report is the full reading of the edited text.
	Report *textcheck.Report `json:"report"`
}

// CheckFinding is a finding with the paragraph it was found in.
type CheckFinding struct {
	// Paragraph is the 1-based paragraph number; 0 for a finding about the
	// document as a whole.
	Paragraph int `json:"paragraph"`
	// Section is the paragraph's section as read ("" for the document).
	Section string `json:"section,omitempty"`
	textcheck.Finding
}

// runCheck reads a hand-edited text and reports what it conveys and what
// changed compared with the generated text: every finding with its reason,
// including those about the whole document, as text or (asJSON) as a
// CheckResult. Exit code 1 when it has findings or conveys something else.
func runCheck(path string, facts generator.Facts, doc generator.Document, lang string, asJSON bool, stdout, stderr io.Writer) int {
	b, err := readFile(path)
	if err != nil {
		fmt.Fprintf(stderr, "zeugo render: check: %v\n", err)
		return ExitInvalid
	}
	names := []string{facts.Person.FirstName, facts.Person.LastName, facts.Company.Name}
	for _, s := range facts.Signatories {
		names = append(names, s.Name)
	}
	opt := textcheck.Options{Language: doc.Language, Gender: string(facts.Person.Salutation.Gender()), Kind: string(facts.Kind), Names: names, Whole: true}
	var orig []textcheck.Paragraph
	for _, p := range doc.Paragraphs {
		orig = append(orig, textcheck.Paragraph{Section: string(p.Section), Text: p.Text, Items: p.Items})
	}
	before, err := textcheck.Check(orig, opt)
	if err != nil {
		fmt.Fprintf(stderr, "zeugo render: check: %v\n", err)
		return ExitInvalid
	}
	after, err := textcheck.Check(textcheck.FromText(string(b)), opt)
	if err != nil {
		fmt.Fprintf(stderr, "zeugo render: check: %v\n", err)
		return ExitInvalid
	}
	changes := textcheck.Compare(before, after)
	res := CheckResult{OK: len(changes) == 0 && after.Clean(), Findings: []CheckFinding{}, Changes: changes, Report: after}
	if res.Changes == nil {
		res.Changes = []textcheck.Change{}
	}
	for _, p := range after.Paragraphs {
		for _, f := range p.Findings {
			res.Findings = append(res.Findings, CheckFinding{Paragraph: p.Index + 1, Section: p.Section, Finding: f})
		}
	}
	for _, f := range after.Document {
		res.Findings = append(res.Findings, CheckFinding{Finding: f})
	}
	code := ExitInvalid
	if res.OK {
		code = ExitOK
	}
	if asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(res); err != nil {
			fmt.Fprintf(stderr, "zeugo render: %v\n", err)
			return ExitInvalid
		}
		return code
	}

	pick := func(de, en string) string {
		if lang == "en" {
			return en
		}
		return de
	}
	printFinding := func(f textcheck.Finding) {
		what := f.Kind
		if f.Code != "" {
			what += " " + f.Code
		}
		if f.Fragment != "" {
			what += fmt.Sprintf(" %q", f.Fragment)
		}
		fmt.Fprintf(stdout, "  ! %s – %s\n", what, pick(f.De, f.En))
	}
	for _, p := range after.Paragraphs {
		if p.Grade == 0 && len(p.Findings) == 0 {
			continue
		}
		fmt.Fprintf(stdout, "%s %d (%s)", pick("Absatz", "Paragraph"), p.Index+1, p.Section)
		if p.Grade > 0 {
			fmt.Fprintf(stdout, ": %s %d", pick("Note", "grade"), p.Grade)
		}
		fmt.Fprintln(stdout)
		for _, f := range p.Findings {
			printFinding(f)
		}
	}
	if len(after.Document) > 0 {
		fmt.Fprintln(stdout, pick("Gesamter Text:", "Whole text:"))
		for _, f := range after.Document {
			printFinding(f)
		}
	}
	for _, c := range changes {
		if c.Section == "" {
			continue // a new finding, already listed above
		}
		line := pick(c.De, c.En)
		if c.Before != 0 || c.After != 0 {
			line += fmt.Sprintf(" (%d → %d)", c.Before, c.After)
		}
		fmt.Fprintf(stdout, "* %s%s\n", sectionPrefix(c.Section), line)
	}
	if res.OK {
		fmt.Fprintln(stdout, pick("Keine Auffälligkeiten: der Text sagt dasselbe wie der erzeugte.", "No findings: the text says the same as the generated one."))
	}
	return code
}

func sectionPrefix(s string) string {
	if s == "" {
		return ""
	}
	return strings.ReplaceAll(s, "_", " ") + ": "
}
