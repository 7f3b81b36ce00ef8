package generator_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/zeugo/zeugo/backend/internal/generator"
)

// literalGerman are English renderings of German reference idiom that no
// British or American HR department writes (issue 19): they must not occur in
// any English text the generator can produce.
var literalGerman = []string{
	"willingness to perform", "at his own wish", "at her own wish", "at their own wish", "own wish",
	"in the further career", "further career", "retires from working life", "working life",
	"training relationship", "thank them for the work", "success in the further",
	"professional and private future", "work results", "the occasion for this",
	"in the occupation of", "the work done", "before the cologne",
}

// TestEnglishIdiom writes every English template of the phrase library and the
// letter texts for every salutation and tense, and whole references of every
// kind and grade, and looks for the literal translations.
func TestEnglishIdiom(t *testing.T) {
	t.Parallel()
	lib := generator.MustDefaultLibrary()
	check := func(where, text string) {
		l := strings.ToLower(text)
		for _, bad := range literalGerman {
			if strings.Contains(l, bad) {
				t.Errorf("%s: %q in %q", where, bad, text)
			}
		}
	}
	for _, c := range generator.Categories {
		for g := generator.Grade(1); g <= 5; g++ {
			for _, p := range persons {
				for _, kind := range []generator.Kind{generator.Final, generator.Interim, generator.Apprenticeship} {
					for v := range lib.Phrases["en"].Variants(c, g) {
						s, err := generator.Phrase(lib, generator.PhraseRequest{Language: "en", Category: c, Grade: g, Variant: v, Person: p, Kind: kind})
						if err != nil {
							t.Fatal(err)
						}
						check(string(c), s)
					}
				}
			}
		}
	}
	for k, vs := range lib.Catalog.Letters["en"].Texts {
		for _, v := range vs {
			check(k, v)
		}
	}
	for _, kind := range kinds {
		for _, p := range persons {
			for g := generator.Grade(1); g <= 5; g++ {
				gg := g
				if kind == generator.Simple {
					gg = 0
				}
				for i := range 6 {
					f := full(kind, "en", p, gg)
					f.Seed += string(rune('a' + i))
					f.ExitReason = exitReasons[i%len(exitReasons)]
					if kind == generator.Apprenticeship {
						f.ExitReason = generator.ExitEndTraining
					}
					if kind == generator.Interim {
						f.ExitReason = ""
					}
					d, err := generator.Generate(f, lib)
					if err != nil {
						t.Fatalf("%s: %v", f.Seed, err)
					}
					check(f.Seed, d.PlainText())
				}
			}
		}
	}
}

// TestNoStiltedPossessives: Herr/Frau texts use sein/ihr where a native
// writer does; "das eigene Fachgebiet" is kept for persons without pronouns
// only, and even there the library now avoids it.
func TestNoStiltedPossessives(t *testing.T) {
	t.Parallel()
	lib := generator.MustDefaultLibrary()
	stilted := regexp.MustCompile(`(?i)\b(das|die|den|dem|der) eigenen?\b`)
	for _, kind := range kinds {
		for _, p := range persons[:2] {
			for g := generator.Grade(1); g <= 5; g++ {
				gg := g
				if kind == generator.Simple {
					gg = 0
				}
				for i := range 6 {
					f := full(kind, "de", p, gg)
					f.Seed += string(rune('a' + i))
					d, err := generator.Generate(f, lib)
					if err != nil {
						t.Fatalf("%s: %v", f.Seed, err)
					}
					if m := stilted.FindString(d.PlainText()); m != "" {
						t.Errorf("%s: %q in\n%s", f.Seed, m, d.PlainText())
					}
				}
			}
		}
	}
	// every variant of the phrase library, not only the ones a seed picks
	for _, c := range generator.Categories {
		for g := generator.Grade(1); g <= 5; g++ {
			for _, p := range persons[:2] {
				for v := range lib.Phrases["de"].Variants(c, g) {
					s, err := generator.Phrase(lib, generator.PhraseRequest{Language: "de", Category: c, Grade: g, Variant: v, Person: p, Kind: generator.Final})
					if err != nil {
						t.Fatal(err)
					}
					if m := stilted.FindString(s); m != "" {
						t.Errorf("%s.%d/%d %s: %q in %q", c, g, v, p.Salutation, m, s)
					}
				}
			}
		}
	}
}
