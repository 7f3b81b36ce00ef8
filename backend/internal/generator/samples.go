package generator

import (
	"github.com/zeugo/zeugo/backend/internal/catalog"
)

// Sample is one expansion of a template with sample data: what a reader
// would see in a reference for a person of Gender, in the past tense
// (final reference) or the present tense (interim reference).
type Sample struct {
	Present bool
	Gender  catalog.Gender
	Text    string
	// Names are the sample names used, for the checker's name masking.
	Names []string
}

// Placeholders returns the variables a template may use ({Name}, {entry} …).
func Placeholders() []string { return append([]string(nil), placeholders...) }

// ExpandSamples expands a tenant's template (a letter text) with sample
// values for every gender, in the past tense, the present tense or both,
// so that a tenant text can be read by the checker before it is saved.
// An unknown placeholder or a malformed alternation is an error.
func ExpandSamples(tpl, lang string, pastTense, presentTense bool, extra map[string]string) ([]Sample, error) {
	var out []Sample
	sals := []struct {
		s Salutation
		g catalog.Gender
	}{{Herr, catalog.Masculine}, {Frau, catalog.Feminine}, {Divers, catalog.Neutral}}
	for _, sal := range sals {
		p := Person{Salutation: sal.s, FirstName: "Alex", LastName: "Beispiel"}
		vars := nameForms(p, lang)
		for k, v := range sampleVars(lang) {
			vars[k] = v
		}
		for k, v := range extra {
			vars[k] = v
		}
		for _, ph := range placeholders {
			if _, ok := vars[ph]; !ok {
				vars[ph] = ""
			}
		}
		g := map[catalog.Gender]int{catalog.Masculine: 0, catalog.Feminine: 1, catalog.Neutral: 2}[sal.g]
		for _, t := range []tense{past, present} {
			if (t == past && !pastTense) || (t == present && !presentTense) {
				continue
			}
			e := expander{vars: vars, tense: t, gender: g}
			s, err := e.expand(tpl)
			if err != nil {
				return nil, err
			}
			out = append(out, Sample{Present: t == present, Gender: sal.g, Text: tidy(s), Names: []string{"Alex Beispiel"}})
		}
	}
	return out, nil
}

func sampleVars(lang string) map[string]string {
	if lang == "en" {
		return map[string]string{"birth": ", born on 4 May 1990 in Bremen,", "birthDate": "4 May 1990", "birthPlace": "Bremen",
			"entry": "1 March 2020", "exit": "31 August 2025", "job": "Purchasing Administrator", "aJob": "a Purchasing Administrator",
			"intern": "superiors and colleagues", "extern": "customers", "chamber": "the Chamber of Industry and Commerce",
			"teamSize": "eight", "since": "since 1 March 2021", "authority": "general commercial power of attorney",
			"list": "reliability and accuracy", "city": "Bremen", "industry": "wholesale trade", "employees": "250"}
	}
	return map[string]string{"birth": ", geboren am 4. Mai 1990 in Bremen,", "birthDate": "4. Mai 1990", "birthPlace": "Bremen",
		"entry": "1. März 2020", "exit": "31. August 2025", "job": "Fachkraft Einkauf", "aJob": "Fachkraft Einkauf",
		"intern": "Vorgesetzten und Kollegen", "extern": "Kunden", "chamber": "der Industrie- und Handelskammer",
		"teamSize": "acht", "since": "seit dem 1. März 2021", "authority": "Handlungsvollmacht",
		"list": "Zuverlässigkeit und Genauigkeit", "city": "Bremen", "industry": "Großhandel", "employees": "250"}
}
