package generator

import (
	"embed"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/zeugo/zeugo/backend/internal/catalog"
)

//go:embed phrases/*.json
var phraseFS embed.FS

// Category is a graded category of the phrase library.
type Category string

// The graded categories, in the order the performance paragraph uses them.
const (
	CatBereitschaft      Category = "bereitschaft"
	CatBefaehigung       Category = "befaehigung"
	CatWissen            Category = "wissen"
	CatWeiterbildung     Category = "weiterbildung"
	CatArbeitsweise      Category = "arbeitsweise"
	CatArbeitserfolg     Category = "arbeitserfolg"
	CatFuehrungserfolg   Category = "fuehrungserfolg"
	CatOverall           Category = "overall"
	CatVerhaltenIntern   Category = "verhalten_intern"
	CatVerhaltenExtern   Category = "verhalten_extern"
	CatAbschlusspruefung Category = "abschlusspruefung"
)

// Categories lists every graded category.
var Categories = []Category{
	CatBereitschaft, CatBefaehigung, CatWissen, CatWeiterbildung, CatArbeitsweise,
	CatArbeitserfolg, CatFuehrungserfolg, CatOverall, CatVerhaltenIntern,
	CatVerhaltenExtern, CatAbschlusspruefung,
}

// MinVariants is the number of interchangeable phrasings the library must
// offer for every category, grade and language.
const MinVariants = 3

// PhraseBook is the grading language of one language: for every category
// and grade ("wissen.2") a list of interchangeable sentence templates.
type PhraseBook struct {
	Version  int                 `json:"version"`  // data version
	Language string              `json:"language"` // "de" or "en"
	Phrases  map[string][]string `json:"phrases"`  // "category.grade" → variants
}

// Variants returns the templates for a category and grade.
func (p *PhraseBook) Variants(c Category, g Grade) []string {
	return p.Phrases[fmt.Sprintf("%s.%d", c, g)]
}

// Library is everything Generate writes with: the grading phrases per
// language and the catalogue (job profiles, letter texts, attributes). A
// tenant's library is the default one with its overrides merged in.
type Library struct {
	Phrases map[string]*PhraseBook
	Catalog *catalog.Catalog
}

// Version identifies the data a text was written with, e.g.
// "catalog 2026.11-1, letters de 1, phrases de 1", so that a stored
// certificate records which wording version produced it.
func (l *Library) Version(lang string) string {
	v := "catalog " + l.Catalog.Version
	if lt := l.Catalog.Letters[lang]; lt != nil {
		v += fmt.Sprintf(", letters %s %d", lang, lt.Version)
	}
	if pb := l.Phrases[lang]; pb != nil {
		v += fmt.Sprintf(", phrases %s %d", lang, pb.Version)
	}
	return v
}

// Languages returns the languages the library can write, sorted.
func (l *Library) Languages() []string {
	var out []string
	for k := range l.Phrases {
		if l.Catalog.Letters[k] != nil {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

var (
	defaultLibOnce sync.Once
	defaultLib     *Library
	defaultLibErr  error
)

// DefaultLibrary returns the embedded phrase library with the default
// catalogue, checked once. Treat it as read-only.
func DefaultLibrary() (*Library, error) {
	defaultLibOnce.Do(func() {
		cat, err := catalog.Default()
		if err != nil {
			defaultLibErr = err
			return
		}
		books := map[string]*PhraseBook{}
		for _, lang := range catalog.Languages {
			b, err := phraseFS.ReadFile("phrases/" + lang + ".json")
			if err != nil {
				defaultLibErr = err
				return
			}
			var pb PhraseBook
			dec := json.NewDecoder(strings.NewReader(string(b)))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&pb); err != nil {
				defaultLibErr = fmt.Errorf("generator: phrases/%s.json: %w", lang, err)
				return
			}
			books[lang] = &pb
		}
		lib := &Library{Phrases: books, Catalog: cat}
		if err := lib.Check(); err != nil {
			defaultLibErr = err
			return
		}
		defaultLib = lib
	})
	return defaultLib, defaultLibErr
}

// MustDefaultLibrary is DefaultLibrary for program start and tests.
func MustDefaultLibrary() *Library {
	l, err := DefaultLibrary()
	if err != nil {
		panic(err)
	}
	return l
}

// placeholders are the variables a template may use.
var placeholders = []string{
	"Er", "er", "ihn", "ihm", "Name", "NameD", "FullName",
	"He", "he", "him", "his", "His",
	"birth", "birthDate", "birthPlace", "entry", "exit", "job", "aJob", "intern", "extern",
	"chamber", "teamSize", "since", "authority", "list", "city", "industry", "employees",
}

// requiredLetters are the letter-text keys Generate uses in every language.
func requiredLetters() []string {
	keys := []string{
		"company.generic", "company.size", "additionalLead", "trainingLead", "successesLead",
		"authority.since", "authority.plain", "authorityName.prokura", "authorityName.handlungsvollmacht",
		"authorityName.bankvollmacht", "leaderScope", "attributes.professional", "attributes.personal",
		"exit.apprenticeship.taken_on", "words.intern", "words.internLeader", "words.internApprentice",
		"words.extern", "words.and", "words.until", "words.since", "words.chamber", "words.born", "words.bornNoPlace",
		"interimReason.neutral",
	}
	for _, k := range []Kind{Final, Interim, Apprenticeship, Simple} {
		keys = append(keys, "title."+string(k), "intro."+string(k))
	}
	for _, k := range []string{"final", "interim", "apprenticeship"} {
		keys = append(keys, "stationsLead."+k, "tasksLead."+k)
	}
	for _, s := range AllSections {
		keys = append(keys, "heading."+string(s))
	}
	for _, r := range []InterimReason{InterimOwnRequest, InterimSupervisorChange, InterimReorganisation, InterimTransfer, InterimParentalLeave, InterimPromotion, InterimOther} {
		keys = append(keys, "interimReason."+string(r))
	}
	for _, r := range []ExitReason{ExitOwnWish, ExitMutual, ExitFixedTerm, ExitEmployer, ExitRetirement, ExitOther} {
		keys = append(keys, "exit."+string(r))
	}
	for _, r := range []ExitReason{ExitEndTraining, ExitOwnWish, ExitMutual, ExitEmployer, ExitOther} {
		keys = append(keys, "exit.apprenticeship."+string(r))
	}
	for g := 1; g <= 4; g++ {
		keys = append(keys, fmt.Sprintf("closing.thanks.%d", g), fmt.Sprintf("closing.interim.%d", g), fmt.Sprintf("closing.takenOn.%d", g), fmt.Sprintf("closing.retirement.%d", g))
	}
	return append(keys, "closing.regret.1", "closing.regret.2")
}

// Check verifies that the library is complete and well-formed: every
// category and grade has at least MinVariants phrasings in every language,
// every letter text exists, and every template expands for every tense and
// gender without an unknown placeholder.
func (l *Library) Check() error {
	known := map[string]string{}
	for _, p := range placeholders {
		known[p] = "x"
	}
	if l.Catalog == nil {
		return fmt.Errorf("generator: library without catalogue")
	}
	for lang, pb := range l.Phrases {
		for _, c := range Categories {
			for g := Grade(1); g <= 5; g++ {
				vs := pb.Variants(c, g)
				if len(vs) < MinVariants {
					return fmt.Errorf("generator: phrases %s: %s.%d has %d variants, want ≥ %d", lang, c, g, len(vs), MinVariants)
				}
				for _, v := range vs {
					if err := checkTemplate(v, known); err != nil {
						return fmt.Errorf("generator: phrases %s: %s.%d: %w", lang, c, g, err)
					}
				}
			}
		}
		letters := l.Catalog.Letters[lang]
		if letters == nil {
			return fmt.Errorf("generator: no letter texts for language %q", lang)
		}
		for _, k := range requiredLetters() {
			if len(letters.Texts[k]) == 0 {
				return fmt.Errorf("generator: letters %s: missing %q", lang, k)
			}
		}
		for k, vs := range letters.Texts {
			for _, v := range vs {
				if err := checkTemplate(v, known); err != nil {
					return fmt.Errorf("generator: letters %s: %s: %w", lang, k, err)
				}
			}
		}
		for _, p := range l.Catalog.JobProfiles {
			if _, ok := p.Title[lang]; !ok {
				return fmt.Errorf("generator: job profile %q has no %s title", p.ID, lang)
			}
			for _, t := range p.Tasks {
				if _, ok := t.Text.In(lang); !ok {
					return fmt.Errorf("generator: job profile %q task %q has no %s text", p.ID, t.ID, lang)
				}
			}
		}
		for _, a := range l.Catalog.Attributes {
			if _, ok := a.Name.In(lang); !ok {
				return fmt.Errorf("generator: attribute %q has no %s name", a.ID, lang)
			}
		}
	}
	return nil
}
