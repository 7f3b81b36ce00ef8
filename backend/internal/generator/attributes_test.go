package generator_test

import (
	"strings"
	"testing"

	"github.com/zeugo/zeugo/backend/internal/generator"
)

// TestAttributeGradeBands: personal and professional attributes are named
// only within their grade band. At grades 4–5 none is named (praise of
// helpfulness or friendliness next to "korrekt" is the "nice but weak"
// signal), humour and friendliness only at 1–2; what is left out is reported
// as a warning, and the rest of the reference is unchanged.
func TestAttributeGradeBands(t *testing.T) {
	t.Parallel()
	lib := generator.MustDefaultLibrary()
	personal := []string{"hilfsbereitschaft", "teamgeist", "freundlichkeit", "humor"}
	professional := []string{"zuverlaessigkeit", "analytik"}
	names := map[string]map[string]string{
		"de": {"hilfsbereitschaft": "Hilfsbereitschaft", "teamgeist": "Teamgeist", "freundlichkeit": "Freundlichkeit", "humor": "Humor", "zuverlaessigkeit": "Zuverlässigkeit", "analytik": "Analysestärke"},
		"en": {"hilfsbereitschaft": "helpfulness", "teamgeist": "team spirit", "freundlichkeit": "friendliness", "humor": "good humour", "zuverlaessigkeit": "reliability", "analytik": "analytical strength"},
	}
	band := map[string]generator.Grade{"hilfsbereitschaft": 3, "teamgeist": 3, "freundlichkeit": 2, "humor": 2, "zuverlaessigkeit": 3, "analytik": 3}
	for _, lang := range []string{"de", "en"} {
		for _, p := range persons {
			for _, kind := range []generator.Kind{generator.Final, generator.Interim, generator.Apprenticeship} {
				for g := generator.Grade(1); g <= 5; g++ {
					f := sample(kind, lang, p, g)
					f.PersonalAttributes = personal
					f.ProfessionalAttributes = professional
					d, err := generator.Generate(f, lib)
					if err != nil {
						t.Fatalf("%s: %v", f.Seed, err)
					}
					text := d.PlainText()
					warned := map[string]bool{}
					for _, w := range d.Warnings {
						warned[w.Path] = true
					}
					for i, id := range append(append([]string{}, professional...), personal...) {
						named := strings.Contains(text, names[lang][id])
						path := "professionalAttributes[" + string(rune('0'+i)) + "]"
						if i >= len(professional) {
							path = "personalAttributes[" + string(rune('0'+i-len(professional))) + "]"
						}
						if want := g <= band[id]; named != want {
							t.Errorf("%s: %s named=%v at grade %d, want %v", f.Seed, id, named, g, want)
						}
						if warned[path] == named {
							t.Errorf("%s: %s named=%v but warning %s=%v", f.Seed, id, named, path, warned[path])
						}
					}
					checkDocument(t, f, d)
				}
			}
		}
	}
	// The worse of overall and conduct decides for personal attributes:
	// very good work with merely correct conduct names no social trait.
	f := sample(generator.Final, "de", persons[1], 2)
	f.Ratings.VerhaltenIntern, f.Ratings.VerhaltenExtern = 4, 4
	f.PersonalAttributes = []string{"hilfsbereitschaft"}
	f.ProfessionalAttributes = []string{"analytik"}
	d, err := generator.Generate(f, lib)
	if err != nil {
		t.Fatal(err)
	}
	if text := d.PlainText(); strings.Contains(text, "Hilfsbereitschaft") || !strings.Contains(text, "Analysestärke") {
		t.Errorf("conduct 4, overall 2: want Analysestärke but no Hilfsbereitschaft:\n%s", text)
	}
}
