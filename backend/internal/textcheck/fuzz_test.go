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
