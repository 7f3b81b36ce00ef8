package textcheck

import (
	"slices"
	"testing"
)

func TestRequiredStems(t *testing.T) {
	t.Parallel()
	cases := map[string][]string{
		`bemüh(t|te|ten|en)?\s+sich`:                   {"bemüh"},
		`fleiß|fleißig\p{L}*`:                          {"fleiß", "fleißig"},
		`(genügte|genügt|genügten)`:                    nil,
		`endeavou?r(ed|s)?|strove`:                     {"endeavo", "strove"},
		`im\s+rahmen\s+(seiner|ihrer)\s+(fähigkeiten)`: {"rahmen"},
	}
	for p, want := range cases {
		if got := requiredStems(p); !slices.Equal(got, want) {
			t.Errorf("%s: %q, want %q", p, got, want)
		}
	}
	// every code still finds its own examples (TestCodedPhrases) and no
	// stem is longer than what its pattern can match
	for _, l := range []string{"de", "en"} {
		lx, err := lexiconFor(l)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range lx.codes {
			for _, s := range c.stems {
				if s == "" {
					t.Errorf("%s: empty stem", c.re)
				}
			}
		}
	}
}
