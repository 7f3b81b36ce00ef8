package textcheck_test

import (
	"fmt"
	"testing"

	"github.com/zeugo/zeugo/backend/internal/generator"
	"github.com/zeugo/zeugo/backend/internal/textcheck"
)

var people = map[generator.Salutation]generator.Person{
	generator.Herr:    {Salutation: generator.Herr, Title: "Dr.", FirstName: "Jörg", LastName: "Weiß-Öztürk"},
	generator.Frau:    {Salutation: generator.Frau, FirstName: "Zoë", LastName: "O'Connor"},
	generator.Divers:  {Salutation: generator.Divers, FirstName: "Kim", LastName: "Nguyễn"},
	generator.NoneSal: {Salutation: generator.NoneSal, FirstName: "Sascha", LastName: "Brückner"},
}

func sectionOf(c generator.Category) string {
	switch c {
	case generator.CatVerhaltenIntern, generator.CatVerhaltenExtern:
		return textcheck.SecConduct
	case generator.CatFuehrungserfolg:
		return textcheck.SecLeadership
	case generator.CatAbschlusspruefung:
		return textcheck.SecExam
	}
	return textcheck.SecPerformance
}

// TestRoundTrip writes every category × grade × salutation × tense ×
// variant of the phrase library and reads it back with the checker: the
// grade must be the one that produced the sentence, with no coded phrase
// and no wrong-gender or wrong-tense fragment.
func TestRoundTrip(t *testing.T) {
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
							req := generator.PhraseRequest{Language: lang, Category: c, Grade: g, Variant: v, Person: person, Kind: kind, Leader: c == generator.CatFuehrungserfolg}
							name := fmt.Sprintf("%s/%s/%d/%s/%s/%d", lang, c, g, sal, kind, v)
							text, err := generator.Phrase(lib, req)
							if err != nil {
								t.Fatalf("%s: %v", name, err)
							}
							paraText := text
							if c == generator.CatVerhaltenExtern {
								// external conduct follows the internal sentence in a real text
								intern, err := generator.Phrase(lib, generator.PhraseRequest{Language: lang, Category: generator.CatVerhaltenIntern, Grade: 1, Person: person, Kind: kind})
								if err != nil {
									t.Fatal(err)
								}
								paraText = intern + " " + text
							}
							rep, err := textcheck.Check([]textcheck.Paragraph{{Section: sectionOf(c), Text: paraText}},
								textcheck.Options{Language: lang, Gender: string(person.Salutation.Gender()), Kind: string(kind), Names: []string{person.FirstName, person.LastName}})
							if err != nil {
								t.Fatal(err)
							}
							p := rep.Paragraphs[0]
							got := p.Sentences[len(p.Sentences)-1]
							if got.Grade != int(g) {
								t.Errorf("%s: %q decoded as grade %d (markers %v), want %d", name, text, got.Grade, got.Markers, g)
							}
							for _, f := range p.Findings {
								t.Errorf("%s: %q: %s %s %q: %s", name, text, f.Kind, f.Code, f.Fragment, f.En)
							}
							n++
						}
					}
				}
			}
		}
	}
	if n < 1000 {
		t.Fatalf("only %d combinations checked", n)
	}
	t.Logf("%d combinations read back", n)
}
