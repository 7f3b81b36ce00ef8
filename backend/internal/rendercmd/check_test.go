package rendercmd_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zeugo/zeugo/backend/internal/rendercmd"
)

const cleanText = `Arbeitszeugnis

Frau Julia Neumann war vom 1. Februar 2020 bis zum 30. Juni 2024 als Buchhalterin in unserer Finanzabteilung beschäftigt.

Die Nordwind Energie AG hat ihren Sitz in Hannover und beschäftigt rund 2.300 Menschen.

Frau Neumann verfügte über ein fundiertes Fachwissen, das sie stets aktuell hielt. Sie arbeitete stets sehr sorgfältig. Mit ihren Leistungen waren wir stets voll und ganz zufrieden.

Ihr Verhalten gegenüber Vorgesetzten und Kollegen war stets einwandfrei.

Frau Neumann verlässt uns auf eigenen Wunsch. Wir bedauern ihr Ausscheiden, danken ihr für die sehr gute Zusammenarbeit und wünschen ihr weiterhin viel Erfolg.

Hannover, 30. Juni 2024
`

const codedText = `Arbeitszeugnis

Herr Florian Haas war vom 1. Januar 2021 bis zum 30. September 2023 als Projektassistent in unserem Unternehmen tätig.

Herr Haas war stets bestrebt, die ihm übertragenen Aufgaben zu unserer vollen Zufriedenheit zu erledigen.

Sein Verhalten gegenüber Vorgesetzten und Kollegen gab keinen Anlass zu Beanstandungen.

Herr Haas verlässt uns zum 30. September 2023. Wir wünschen ihm für die Zukunft alles Gute.
`

func runCheck(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := rendercmd.RunCheck(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

func writeText(t *testing.T, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "zeugnis.txt")
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestCheckExitCodes: 0 for a clean text, 1 for findings or an unreadable
// file (with the reason on stderr and nothing on stdout), 2 for a wrong
// command line.
func TestCheckExitCodes(t *testing.T) {
	t.Parallel()
	clean, coded := writeText(t, cleanText), writeText(t, codedText)
	if code, out, errs := runCheck(t, clean); code != rendercmd.ExitOK || errs != "" || !strings.Contains(out, "Gesamtnote: 2") || !strings.Contains(out, "Keine Auffälligkeiten") {
		t.Fatalf("clean: exit %d\n%s\n%s", code, out, errs)
	}
	code, out, _ := runCheck(t, coded, "--salutation", "herr", "--kind", "final", "--lang", "de")
	if code != rendercmd.ExitInvalid || !strings.Contains(out, "effort") || !strings.Contains(out, "negation") || !strings.Contains(out, "Verhalten: 4") {
		t.Fatalf("coded: exit %d\n%s", code, out)
	}
	if code, out, errs := runCheck(t, filepath.Join(t.TempDir(), "missing.txt")); code != rendercmd.ExitInvalid || out != "" || errs == "" {
		t.Fatalf("missing file: exit %d %q %q", code, out, errs)
	}
	if code, out, errs := runCheck(t, writeText(t, "\n\n  \n")); code != rendercmd.ExitInvalid || out != "" || !strings.Contains(errs, "empty") {
		t.Fatalf("empty file: exit %d %q %q", code, out, errs)
	}
	for _, args := range [][]string{
		{},
		{clean, coded},
		{clean, "--lang", "fr"},
		{clean, "--kind", "temporary"},
		{clean, "--salutation", "sir"},
		{clean, "--nonsense"},
	} {
		if code, _, errs := runCheck(t, args...); code != rendercmd.ExitUsage || !strings.Contains(errs, "usage:") && !strings.Contains(errs, "must be") {
			t.Errorf("%q: exit %d, stderr %q", args, code, errs)
		}
	}
	if code, out, _ := runCheck(t, "--help"); code != rendercmd.ExitOK || !strings.HasPrefix(out, "usage: zeugo check") {
		t.Errorf("--help: %d %q", code, out)
	}
}

// TestCheckCommandJSON: --json prints the reading with the documented fields and
// the same exit code; empty lists are [].
func TestCheckCommandJSON(t *testing.T) {
	t.Parallel()
	code, out, errs := runCheck(t, "--json", writeText(t, codedText))
	if code != rendercmd.ExitInvalid {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	for _, k := range []string{"language", "gender", "kind", "names", "guessed", "overall", "overallFrom", "conduct", "confidence", "codes", "slips", "report"} {
		if _, ok := m[k]; !ok {
			t.Errorf("no %q in %s", k, out)
		}
	}
	var rd struct {
		Language, Gender, Kind, OverallFrom string
		Overall, Conduct                    int
		Confidence                          float64
		Guessed                             []string
		Codes                               []struct{ Kind, Code, Fragment, Sentence, De, En string }
		Slips                               []any
		Report                              struct {
			Paragraphs []struct {
				Section string
				Grade   int
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &rd); err != nil {
		t.Fatal(err)
	}
	if rd.Language != "de" || rd.Gender != "m" || rd.Kind != "final" || rd.Overall != 5 || rd.OverallFrom != "statement" || rd.Conduct != 4 {
		t.Errorf("reading %+v", rd)
	}
	if rd.Confidence <= 0 || rd.Confidence > 1 || len(rd.Guessed) != 4 || len(rd.Report.Paragraphs) < 4 {
		t.Errorf("confidence %v guessed %v paragraphs %d", rd.Confidence, rd.Guessed, len(rd.Report.Paragraphs))
	}
	codes := map[string]bool{}
	for _, c := range rd.Codes {
		codes[c.Code] = true
		if c.Kind != "code" || c.De == "" || c.En == "" || strings.Contains(c.Sentence, "XX") {
			t.Errorf("finding %+v", c)
		}
	}
	if !codes["effort"] || !codes["negation"] {
		t.Errorf("codes %v", codes)
	}
	if !strings.Contains(out, `"slips": []`) {
		t.Errorf("empty slips not []: %s", out)
	}
	// clean text, flags given: exit 0, nothing guessed but the name
	code, out, _ = runCheck(t, writeText(t, cleanText), "--json", "--lang", "de", "--kind", "final", "--salutation", "frau", "--name", "Julia Neumann")
	if code != rendercmd.ExitOK || !strings.Contains(out, `"guessed": []`) || !strings.Contains(out, `"codes": []`) {
		t.Fatalf("clean json: exit %d\n%s", code, out)
	}
}

// TestCheckReadsRenderedText: what `zeugo render` prints, `zeugo check`
// reads without a finding and with the grades of the facts.
func TestCheckReadsRenderedText(t *testing.T) {
	t.Parallel()
	for _, f := range []string{"facts-final-de.json", "facts-interim-en.json", "facts-apprenticeship-de.json"} {
		code, text, errs := render(t, "--facts", examples+f)
		if code != 0 {
			t.Fatalf("%s: %s", f, errs)
		}
		code, out, errs := runCheck(t, writeText(t, text))
		if code != rendercmd.ExitOK {
			t.Errorf("%s: exit %d\n%s%s\n%s", f, code, out, errs, text)
		}
	}
}
