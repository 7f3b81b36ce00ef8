package generator_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/zeugo/zeugo/backend/internal/catalog"
	"github.com/zeugo/zeugo/backend/internal/generator"
)

// FuzzGenerate writes references for arbitrary names, titles and task
// texts: the result is a validation error or a text without any template
// syntax, never a panic.
func FuzzGenerate(f *testing.F) {
	f.Add("Zoë", "O'Connor-Bäumer", "Prof. Dr.", "Prüfung {Name} | {t:a|b}", uint8(1))
	f.Add("", "x", "", "", uint8(3))
	f.Add("Jörg", "Weiß", "Dr.", "\xff\xfe", uint8(2))
	f.Fuzz(func(t *testing.T, first, last, title, task string, k uint8) {
		facts := sample(kinds[int(k)%len(kinds)], []string{"de", "en"}[int(k)%2], persons[int(k)%len(persons)], generator.Grade(1+int(k)%5))
		if facts.Kind == generator.Simple {
			facts.Ratings, facts.Overall = generator.Ratings{}, 0
		}
		facts.Person.FirstName, facts.Person.LastName, facts.Person.Title = first, last, title
		facts.Tasks = append(facts.Tasks, catalog.T(task))
		d, err := generator.Generate(facts, nil)
		var ve *generator.ValidationError
		if errors.As(err, &ve) {
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range d.Paragraphs {
			if strings.TrimSpace(p.Text) == "" {
				t.Fatalf("empty %s", p.Section)
			}
			if p.Section != generator.SecTasks && strings.ContainsAny(p.Text, "{}") {
				t.Fatalf("template syntax in %q", p.Text)
			}
		}
	})
}
