package generator_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/zeugo/zeugo/backend/internal/catalog"
	"github.com/zeugo/zeugo/backend/internal/generator"
)

// TestPlace: the date line names the company's city, else the work
// location's city (in the language of the text), and facts with neither are
// refused with a message naming both fields — never a bare date.
func TestPlace(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, lang string
		company    catalog.Text
		location   catalog.Text
		want       string // place before the date; "" = refused
	}{
		{"company city", "de", catalog.Text{"de": "Köln", "en": "Cologne"}, catalog.T("Hamburg"), "Köln"},
		{"company city en", "en", catalog.Text{"de": "Köln", "en": "Cologne"}, nil, "Cologne"},
		{"location only", "de", nil, catalog.T("Hamburg"), "Hamburg"},
		{"location only en", "en", nil, catalog.Text{"de": "München", "en": "Munich"}, "Munich"},
		{"blank company city, location", "de", catalog.T("  "), catalog.T("Hamburg"), "Hamburg"},
		{"neither", "de", nil, nil, ""},
		{"neither en", "en", nil, nil, ""},
		{"blank company city", "de", catalog.T(" "), nil, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			for _, kind := range kinds {
				f := sample(kind, c.lang, persons[0], 2)
				f.Company.City = c.company
				f.Location.City = c.location
				d, err := generator.Generate(f, nil)
				if c.want == "" {
					var ve *generator.ValidationError
					if !errors.As(err, &ve) || len(ve.Problems) != 1 || ve.Problems[0].Path != "company.city" {
						t.Fatalf("%s: want one problem on company.city, got %v", kind, err)
					}
					p := ve.Problems[0]
					if !strings.Contains(p.De, "location.city") || !strings.Contains(p.En, "location.city") || !strings.Contains(p.De, "Datumszeile") || !strings.Contains(p.En, "date line") {
						t.Errorf("%s: message does not say what to fill in: %+v", kind, p)
					}
					continue
				}
				if err != nil {
					t.Fatalf("%s: %v", kind, err)
				}
				if got, want := d.DateLine(""), c.want+", "+d.DateText; got != want || d.Place != c.want || d.DateText == "" {
					t.Errorf("%s: date line %q, want %q", kind, got, want)
				}
				if got := d.DateLine("Bonn"); !strings.HasPrefix(got, "Bonn, ") {
					t.Errorf("%s: layout place not used: %q", kind, got)
				}
			}
		})
	}
}
