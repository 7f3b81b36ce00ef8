package textcheck_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/zeugo/zeugo/backend/internal/generator"
	"github.com/zeugo/zeugo/backend/internal/textcheck"
)

// hedges are the qualifiers that weaken a satisfaction formula. An overall
// statement carries at most one of them: two ("insgesamt weitgehend") leave
// a reader guessing which grade is meant, and a reader assumes the worse.
var hedges = map[string][]string{
	"de": {"insgesamt", "weitgehend", "im großen und ganzen", "im allgemeinen", "überwiegend", "zumeist", "teilweise", "mit einschränkungen", "alles in allem"},
	"en": {"on the whole", "largely", "overall", "all in all", "generally", "by and large", "mostly", "in part", "with some reservations"},
}

func countHedges(lang, s string) []string {
	ls := " " + strings.Join(strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return r == ' ' || r == ',' || r == '.' }), " ") + " "
	var out []string
	for _, h := range hedges[lang] {
		if strings.Contains(ls, " "+h+" ") {
			out = append(out, h)
		}
	}
	return out
}

// TestOverallPhrasesAgree walks every overall-performance phrase of the
// library (every grade, variant, language, salutation and tense) and reads
// it back the two ways the checker meets it: as the performance paragraph of
// a generated document and inside a pasted plain text whose sections the
// checker has to guess. Both must give exactly the grade the phrase was
// written for, as the overall grade of the report, with at most one
// weakening qualifier in the sentence (exactly one at grade 5, none above).
// Every other category's phrases must never be taken for the overall
// statement.
func TestOverallPhrasesAgree(t *testing.T) {
	t.Parallel()
	lib := generator.MustDefaultLibrary()
	n := 0
	for _, lang := range []string{"de", "en"} {
		for _, c := range generator.Categories {
			for g := generator.Grade(1); g <= 5; g++ {
				for sal, person := range people {
					kinds := []generator.Kind{generator.Final, generator.Interim}
					if c == generator.CatAbschlusspruefung {
						kinds = []generator.Kind{generator.Apprenticeship}
					}
					for _, kind := range kinds {
						for v := range lib.Phrases[lang].Variants(c, g) {
							name := fmt.Sprintf("%s/%s/%d/%s/%s/%d", lang, c, g, sal, kind, v)
							text, err := generator.Phrase(lib, generator.PhraseRequest{Language: lang, Category: c, Grade: g, Variant: v, Person: person, Kind: kind, Leader: c == generator.CatFuehrungserfolg})
							if err != nil {
								t.Fatalf("%s: %v", name, err)
							}
							opt := textcheck.Options{Language: lang, Gender: string(person.Salutation.Gender()), Kind: string(kind), Names: []string{person.FirstName, person.LastName}}
							given, err := textcheck.Check([]textcheck.Paragraph{{Section: sectionOf(c), Text: text}}, opt)
							if err != nil {
								t.Fatal(err)
							}
							sr := given.Paragraphs[0].Sentences[0]
							if c != generator.CatOverall {
								if sr.Overall || given.Overall != 0 {
									t.Errorf("%s: %q is read as an overall statement (markers %v)", name, text, sr.Markers)
								}
								continue
							}
							n++
							if hs := countHedges(lang, text); len(hs) > 1 || (g == 5) != (len(hs) == 1) {
								t.Errorf("%s: %q carries the qualifiers %v; want exactly one at grade 5 and none above", name, text, hs)
							}
							if !sr.Overall || sr.Grade != int(g) || given.Overall != int(g) {
								t.Errorf("%s: %q read as overall=%v grade %d (report %d, markers %v), want grade %d", name, text, sr.Overall, sr.Grade, given.Overall, sr.Markers, g)
							}
							for _, f := range given.Findings() {
								t.Errorf("%s: %q: %s %s %q", name, text, f.Kind, f.Code, f.Fragment)
							}
							// The same sentence in a pasted text: the checker finds
							// the performance paragraph by the formula alone.
							plain := fmt.Sprintf("Zeugnis\n\n%s %s.\n\n%s\n\nKöln, 31. Mai 2024", person.FirstName, person.LastName, text)
							guessed, err := textcheck.Check(textcheck.FromText(plain), opt)
							if err != nil {
								t.Fatal(err)
							}
							if guessed.Overall != int(g) {
								t.Errorf("%s: %q in plain text read as overall %d, want %d", name, text, guessed.Overall, g)
							}
						}
					}
				}
			}
		}
	}
	if want := 2 * 5 * len(people) * 2 * generator.MinVariants; n < want {
		t.Fatalf("only %d overall phrases read, want ≥ %d", n, want)
	}
	t.Logf("%d overall phrases read back", n)
}
