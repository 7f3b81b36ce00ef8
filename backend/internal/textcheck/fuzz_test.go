package textcheck

import (
	"testing"
	"unicode/utf8"
)

// FuzzCheck feeds arbitrary text to the checker: it must never panic, and
// every grade it reports is 0–5.
func FuzzCheck(f *testing.F) {
	for _, s := range []string{
		"Arbeitszeugnis\n\nFrau Anna Weiß war vom 1. März 2018 bis zum 31. Mai 2024 tätig.\n\nSie erledigte die Aufgaben stets zu unserer vollsten Zufriedenheit.",
		"He tried hard. His conduct gave no cause for complaint.",
		"• a\n- b\n\n\n„Note gut“ … Dr. . . ! ?",
		"",
	} {
		f.Add(s, "de", "f")
	}
	f.Fuzz(func(t *testing.T, text, lang, gender string) {
		if lang != "en" {
			lang = "de"
		}
		if !utf8.ValidString(text) {
			return
		}
		r, err := Check(FromText(text), Options{Language: lang, Gender: gender, Kind: "final", Names: []string{text[:min(len(text), 12)]}})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range r.Paragraphs {
			if p.Grade < 0 || p.Grade > 5 {
				t.Fatalf("grade %d", p.Grade)
			}
		}
	})
}

// FuzzCheckText feeds arbitrary text to CheckText with nothing given: it
// must never panic; grades are 0–5 and the confidence is within 0–1.
func FuzzCheckText(f *testing.F) {
	for _, s := range []string{
		"Arbeitszeugnis\n\nHerr Jan Gut war vom 1. März 2018 bis zum 31. Mai 2024 tätig.\n\nMit seinen Leistungen waren wir stets außerordentlich zufrieden.\n\nSein Verhalten gegenüber Vorgesetzten und Kollegen war stets vorbildlich.",
		"Mr\nMs. \n\nFrau\nHerr Dr.",
		"Employment Reference\nHe always tried hard.\n• x\nWe were satisfied.",
		"Zwischenzeugnis\nSie ist seit dem 1. 2. 2020 bei uns.\n\n\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		if !utf8.ValidString(text) {
			return
		}
		rd, err := CheckText(text, Options{})
		if err != nil {
			return // empty text
		}
		if rd.Overall < 0 || rd.Overall > 5 || rd.Conduct < 0 || rd.Conduct > 5 || rd.Confidence < 0 || rd.Confidence > 1 {
			t.Fatalf("reading %+v", rd)
		}
	})
}
