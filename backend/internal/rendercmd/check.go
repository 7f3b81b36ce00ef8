package rendercmd

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/zeugo/zeugo/backend/internal/textcheck"
)

const checkUsage = `usage: zeugo check FILE.txt [--lang de|en] [--kind final|interim|apprenticeship|simple] [--salutation herr|frau|divers|none] [--name "First Last"] [--json]

Reads an employment reference that did not come from Zeugo (plain text,
paragraphs separated by blank lines; "-" reads standard input) and reports
the grade of every paragraph, coded phrases, gender and tense slips, and one
overall reading with its confidence. What is not given is read from the text.

  --lang de|en        language of the text
  --kind K            final, interim, apprenticeship or simple
  --salutation S      herr, frau, divers or none (decides which pronouns are slips)
  --name "N"          the person's name (masked before reading); read from the
                      introduction when not given
  --json              print the reading as JSON (textcheck.Reading)

Exit codes: 0 read without any finding; 1 findings (codes or slips), or an
unreadable or empty file; 2 wrong command line.
`

var salutationGender = map[string]string{"herr": "m", "frau": "f", "divers": "n", "none": "n"}

var kindNames = map[string][2]string{
	"final":          {"Endzeugnis", "final reference"},
	"interim":        {"Zwischenzeugnis", "interim reference"},
	"apprenticeship": {"Ausbildungszeugnis", "apprenticeship reference"},
	"simple":         {"einfaches Zeugnis", "simple reference"},
}

// RunCheck executes `zeugo check` with args (without the command name) and
// returns the process exit code. It needs no facts, configuration or
// database: the text is read with textcheck.CheckText, the function the
// CertificateService uses for uploaded or pasted references.
func RunCheck(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("zeugo check", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	lang := fs.String("lang", "", "")
	kind := fs.String("kind", "", "")
	sal := fs.String("salutation", "", "")
	name := fs.String("name", "", "")
	asJSON := fs.Bool("json", false, "")
	// flags may follow the file name
	var files []string
	rest := args
	for {
		if err := fs.Parse(rest); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				fmt.Fprint(stdout, checkUsage)
				return ExitOK
			}
			fmt.Fprintf(stderr, "zeugo check: %v\n\n%s", err, checkUsage)
			return ExitUsage
		}
		if fs.NArg() == 0 {
			break
		}
		files = append(files, fs.Arg(0))
		rest = fs.Args()[1:]
	}
	switch {
	case len(files) != 1:
		fmt.Fprintf(stderr, "zeugo check: give exactly one text file\n\n%s", checkUsage)
		return ExitUsage
	case *lang != "" && *lang != "de" && *lang != "en":
		fmt.Fprintf(stderr, "zeugo check: --lang must be de or en, not %q\n", *lang)
		return ExitUsage
	case *kind != "" && kindNames[*kind] == [2]string{}:
		fmt.Fprintf(stderr, "zeugo check: --kind must be final, interim, apprenticeship or simple, not %q\n", *kind)
		return ExitUsage
	case *sal != "" && salutationGender[*sal] == "":
		fmt.Fprintf(stderr, "zeugo check: --salutation must be herr, frau, divers or none, not %q\n", *sal)
		return ExitUsage
	}
	if err := ctx.Err(); err != nil {
		fmt.Fprintf(stderr, "zeugo check: %v\n", err)
		return ExitInvalid
	}
	b, err := readFile(files[0])
	if err != nil {
		fmt.Fprintf(stderr, "zeugo check: %v\n", err)
		return ExitInvalid
	}
	opt := textcheck.Options{Language: *lang, Kind: *kind, Gender: salutationGender[*sal]}
	if strings.TrimSpace(*name) != "" {
		opt.Names = []string{*name}
	}
	rd, err := textcheck.CheckText(string(b), opt)
	if err != nil {
		fmt.Fprintf(stderr, "zeugo check: %s: %v\n", files[0], err)
		return ExitInvalid
	}
	code := ExitOK
	if len(rd.Codes)+len(rd.Slips) > 0 {
		code = ExitInvalid
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(rd); err != nil {
			fmt.Fprintf(stderr, "zeugo check: %v\n", err)
			return ExitInvalid
		}
		return code
	}
	printReading(stdout, rd)
	return code
}

func printReading(w io.Writer, rd *textcheck.Reading) {
	en := rd.Language == "en"
	pick := func(de, e string) string {
		if en {
			return e
		}
		return de
	}
	guessed := map[string]bool{}
	for _, g := range rd.Guessed {
		guessed[g] = true
	}
	mark := func(k string) string {
		if guessed[k] {
			return pick(" (aus dem Text)", " (read from the text)")
		}
		return ""
	}
	k := kindNames[rd.Kind]
	sal := map[string][2]string{"m": {"Herr", "Mr"}, "f": {"Frau", "Ms"}, "n": {"ohne/divers", "none/divers"}}[rd.Gender]
	langName := map[string]string{"de": pick("Deutsch", "German"), "en": pick("Englisch", "English")}[rd.Language]
	fmt.Fprintf(w, "%s: %s%s, %s %s%s, %s%s\n", pick("Gelesen als", "Read as"), pick(k[0], k[1]), mark("kind"), pick("Anrede", "salutation"), pick(sal[0], sal[1]), mark("gender"), langName, mark("language"))
	switch rd.OverallFrom {
	case "statement":
		fmt.Fprintf(w, "%s: %d (%s)", pick("Gesamtnote", "Overall grade"), rd.Overall, pick("aus der Gesamtbeurteilung", "from the overall statement"))
	case "paragraphs":
		fmt.Fprintf(w, "%s: %d (%s)", pick("Gesamtnote", "Overall grade"), rd.Overall, pick("keine Gesamtbeurteilung; Mittel der Leistungssätze", "no overall statement; mean of the performance sentences"))
	default:
		fmt.Fprintf(w, "%s: %s", pick("Gesamtnote", "Overall grade"), pick("keine", "none"))
	}
	if rd.Conduct > 0 {
		fmt.Fprintf(w, ", %s: %d", pick("Verhalten", "conduct"), rd.Conduct)
	} else {
		fmt.Fprintf(w, ", %s", pick("Verhalten: keine Bewertung", "conduct: not rated"))
	}
	fmt.Fprintf(w, "; %s %.0f %%\n", pick("Sicherheit", "confidence"), rd.Confidence*100)
	printFinding := func(f textcheck.Finding) {
		what := f.Kind
		if f.Code != "" {
			what += " " + f.Code
		}
		if f.Fragment != "" {
			what += fmt.Sprintf(" %q", f.Fragment)
		}
		fmt.Fprintf(w, "  ! %s – %s\n", what, pick(f.De, f.En))
	}
	for _, p := range rd.Report.Paragraphs {
		if p.Grade == 0 && len(p.Findings) == 0 {
			continue
		}
		fmt.Fprintf(w, "%s %d (%s)", pick("Absatz", "Paragraph"), p.Index+1, strings.ReplaceAll(p.Section, "_", " "))
		if p.Grade > 0 {
			fmt.Fprintf(w, ": %s %d", pick("Note", "grade"), p.Grade)
		}
		fmt.Fprintln(w)
		for _, f := range p.Findings {
			printFinding(f)
		}
	}
	if len(rd.Report.Document) > 0 {
		fmt.Fprintln(w, pick("Gesamter Text:", "Whole text:"))
		for _, f := range rd.Report.Document {
			printFinding(f)
		}
	}
	if len(rd.Codes)+len(rd.Slips) == 0 {
		fmt.Fprintln(w, pick("Keine Auffälligkeiten.", "No findings."))
	} else {
		fmt.Fprintf(w, "%s: %d, %s: %d\n", pick("Codes", "Codes"), len(rd.Codes), pick("Fehler bei Anrede oder Zeitform", "gender or tense slips"), len(rd.Slips))
	}
}
