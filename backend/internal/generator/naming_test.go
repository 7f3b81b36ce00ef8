package generator_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/zeugo/zeugo/backend/internal/catalog"
	"github.com/zeugo/zeugo/backend/internal/generator"
)

// full adds every optional part that names the person in a list lead-in or
// a sentence of its own: stations, additional tasks, trainings, successes,
// authorities, attributes and, for final references, leadership.
func full(kind generator.Kind, lang string, p generator.Person, g generator.Grade) generator.Facts {
	f := sample(kind, lang, p, g)
	f.Seed += "-full"
	f.Stations = []generator.Station{
		{From: f.EntryDate, To: generator.NewDate(f.EntryDate.Year()+1, 12, 31), Title: catalog.Text{"de": "Sachbearbeitung Einkauf", "en": "Purchasing Clerk"}},
		{From: generator.NewDate(f.EntryDate.Year()+2, 1, 1), Title: catalog.Text{"de": "Fachkraft Einkauf", "en": "Purchasing Administrator"}},
	}
	if kind == generator.Simple {
		return f
	}
	f.Trainings = []generator.Training{{Title: catalog.Text{"de": "Verhandlungstraining", "en": "Negotiation training"}, Year: 2021}}
	f.AdditionalTasks = []catalog.Text{{"de": "Betreuung der Auszubildenden im Einkauf", "en": "supervising the purchasing trainees"}}
	f.Successes = []catalog.Text{{"de": "Senkung der Einkaufskosten um 8 %", "en": "cutting purchasing costs by 8%"}}
	if kind != generator.Apprenticeship {
		f.Authorities = []generator.Authority{{Kind: "handlungsvollmacht", Since: generator.NewDate(2020, 1, 1)}}
	}
	f.ProfessionalAttributes = []string{"verhandlung", "zuverlaessigkeit"}
	f.PersonalAttributes = []string{"hilfsbereitschaft", "diskretion"}
	return f
}

// nameCount counts how often the person's full name (first and last name)
// stands in the text.
func nameCount(p generator.Person, text string) int {
	return strings.Count(text, p.FirstName+" "+p.LastName)
}

// TestNameMentionsWithoutPronouns: a reference for a person addressed
// without Herr or Frau names them where a reader needs it — introduction,
// overall statement, exit and closing — and not in every sentence.
func TestNameMentionsWithoutPronouns(t *testing.T) {
	t.Parallel()
	lib := generator.MustDefaultLibrary()
	worst := map[string]int{}
	for _, lang := range []string{"de", "en"} {
		for _, p := range persons {
			if p.Salutation != generator.Divers && p.Salutation != generator.NoneSal {
				continue
			}
			for _, kind := range kinds {
				for g := generator.Grade(1); g <= 5; g++ {
					if kind == generator.Simple && g > 1 {
						continue
					}
					for i, build := range []func(generator.Kind, string, generator.Person, generator.Grade) generator.Facts{sample, full} {
						gg := g
						if kind == generator.Simple {
							gg = 0
						}
						for seed := 0; seed < 6; seed++ {
							f := build(kind, lang, p, gg)
							f.Seed += fmt.Sprint("-", seed)
							d, err := generator.Generate(f, lib)
							if err != nil {
								t.Fatalf("%s: %v", f.Seed, err)
							}
							n := nameCount(p, d.PlainText())
							key := fmt.Sprintf("%s/%s", lang, kind)
							worst[key] = max(worst[key], n)
							if n > 5 {
								t.Errorf("%s (full=%v): the name stands %d times, want ≤ 5:\n%s", f.Seed, i == 1, n, d.PlainText())
							}
						}
					}
				}
			}
		}
	}
	t.Logf("most full-name mentions per language/kind: %v", worst)
}

// withPronounBranch rewrites {n:A|B} to A, i.e. the template as a Herr/Frau
// text reads it.
func withPronounBranch(tpl string) string {
	for {
		i := strings.Index(tpl, "{n:")
		if i < 0 {
			return tpl
		}
		depth, bar, end := 0, -1, -1
		for j := i; j < len(tpl) && end < 0; j++ {
			switch tpl[j] {
			case '{':
				depth++
			case '}':
				depth--
				if depth == 0 {
					end = j
				}
			case '|':
				if depth == 1 && bar < 0 {
					bar = j
				}
			}
		}
		tpl = tpl[:i] + tpl[i+3:bar] + tpl[end+1:]
	}
}

// TestHerrFrauUnaffectedByNeutralFrames: the frames written for persons
// without pronouns never reach a Herr/Frau text — a library without them
// writes exactly the same Herr/Frau references.
func TestHerrFrauUnaffectedByNeutralFrames(t *testing.T) {
	t.Parallel()
	lib := generator.MustDefaultLibrary()
	cat := *lib.Catalog
	cat.Letters = map[string]*catalog.Letters{}
	plain := &generator.Library{Phrases: map[string]*generator.PhraseBook{}, Catalog: &cat}
	n := 0
	for lang, pb := range lib.Phrases {
		cp := &generator.PhraseBook{Version: pb.Version, Language: pb.Language, Phrases: map[string][]string{}}
		for k, vs := range pb.Phrases {
			for _, v := range vs {
				cp.Phrases[k] = append(cp.Phrases[k], withPronounBranch(v))
				n += strings.Count(v, "{n:")
			}
		}
		plain.Phrases[lang] = cp
		l := lib.Catalog.Letters[lang]
		cl := &catalog.Letters{Version: l.Version, Language: l.Language, Texts: map[string][]string{}}
		for k, vs := range l.Texts {
			for _, v := range vs {
				cl.Texts[k] = append(cl.Texts[k], withPronounBranch(v))
				n += strings.Count(v, "{n:")
			}
		}
		cat.Letters[lang] = cl
	}
	if n < 100 {
		t.Fatalf("only %d {n:…} frames in the library", n)
	}
	if err := plain.Check(); err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"de", "en"} {
		for _, p := range persons[:2] {
			for _, kind := range kinds {
				for g := generator.Grade(1); g <= 5; g++ {
					gg := g
					if kind == generator.Simple {
						gg = 0
					}
					f := full(kind, lang, p, gg)
					a, err := generator.Generate(f, lib)
					if err != nil {
						t.Fatal(err)
					}
					b, err := generator.Generate(f, plain)
					if err != nil {
						t.Fatal(err)
					}
					if a.PlainText() != b.PlainText() {
						t.Errorf("%s: the Herr/Frau text depends on the frames for divers/none", f.Seed)
					}
				}
			}
		}
	}
}
