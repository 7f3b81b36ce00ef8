package pdf_test

import (
	"bytes"
	"testing"
	"unicode/utf8"

	"github.com/zeugo/zeugo/backend/internal/generator"
	"github.com/zeugo/zeugo/backend/internal/pdf"
)

// FuzzRender renders references with arbitrary names, task texts and
// footer lines: the result is a PDF or a validation error, never a panic.
func FuzzRender(f *testing.F) {
	f.Add("Zoë", "O'Connor-Bäumer", "Prüfung & Überwachung „aller“ Verträge – 100 %", "HRB 1 · Köln")
	f.Add("Łukasz", "Żółć", "🚀 emoji and \u0000 control \u00ad soft hyphen", "")
	f.Add("A", "B", string(bytes.Repeat([]byte("Donaudampfschifffahrtsgesellschaft"), 20)), "x")
	f.Fuzz(func(t *testing.T, first, last, task, footer string) {
		if !utf8.ValidString(first + last + task + footer) {
			return
		}
		facts := exampleFacts(t)
		facts.Person.FirstName, facts.Person.LastName = first, last
		facts.Tasks = []generator.Text{generator.Text{"*": task}}
		doc, err := generator.Generate(facts, nil)
		if err != nil {
			return // invalid names are refused by validation
		}
		l := layout(t)
		l.Footer = []string{footer}
		b, err := pdf.Render(doc, l)
		if err == nil && !bytes.HasPrefix(b, []byte("%PDF-")) {
			t.Fatal("not a PDF")
		}
	})
}
