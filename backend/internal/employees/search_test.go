package employees

import (
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/google/uuid"

	"github.com/zeugo/zeugo/backend/internal/keyring"
)

func TestNormalizeNameFoldsGermanSpelling(t *testing.T) {
	for in, want := range map[string][]string{
		"Müller":                  {"mueller"},
		"MUELLER":                 {"mueller"},
		"Weiß":                    {"weiss"},
		"Straßer-Größe":           {"strasser", "groesse"},
		"Zoë Lefèvre":             {"zoe", "lefevre"},
		"Yılmaz":                  {"yılmaz"},
		"O'Brien":                 {"o", "brien"},
		"  Anna   Lena  ":         {"anna", "lena"},
		"Mu\u0308ller":            {"mueller"}, // u + combining diaeresis
		"Æsa Øberg":               {"aesa", "oberg"},
		"van der Berg, Jan-Peter": {"van", "der", "berg", "jan", "peter"},
		"शर्मा":                   {"शरम"}, // spacing vowel signs are marks, not separators
		"ᬈ":                       {"ᬇ"},   // decomposes into a letter and a spacing mark
		"":                        nil,
		"--":                      nil,
	} {
		if got := NormalizeName(in); !slices.Equal(got, want) {
			t.Errorf("NormalizeName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestQueryTokensMatchNamePrefixes(t *testing.T) {
	idx := keyring.NewIndexKey(keyring.NewKey())
	tenant, other := uuid.New(), uuid.New()
	stored := nameTokens(idx, tenant, "Jürgen", "Müller-Lüdenscheidt")
	has := func(q string) bool {
		qt := queryTokens(idx, tenant, q)
		if len(qt) == 0 {
			return false
		}
		for _, tk := range qt {
			if !slices.Contains(stored, tk) {
				return false
			}
		}
		return true
	}
	for _, q := range []string{"mü", "Mueller", "lüdensch", "jürgen mül", "JUERGEN", "müller-lüdenscheidt"} {
		if !has(q) {
			t.Errorf("%q does not match", q)
		}
	}
	for _, q := range []string{"m", "üller", "muellerx", "jürgen meier", "lüdenscheidtt"} {
		if has(q) {
			t.Errorf("%q matches", q)
		}
	}
	// Another tenant's tokens of the same name share nothing.
	for _, tk := range nameTokens(idx, other, "Jürgen", "Müller-Lüdenscheidt") {
		if slices.Contains(stored, tk) {
			t.Fatal("a token is equal across tenants")
		}
	}
	// Long words are cut at maxPrefix, on both sides.
	long := strings.Repeat("a", 40)
	if !slices.Contains(nameTokens(idx, tenant, long), queryTokens(idx, tenant, long)[0]) {
		t.Error("a long word does not find itself")
	}
}

// FuzzNormalizeName: the words are non-empty, hold only lower-case
// letters and digits without combining marks, and normalising them again
// changes nothing.
func FuzzNormalizeName(f *testing.F) {
	for _, s := range []string{"Müller-Lüdenscheidt", "Straße", "Zoë", "ǅ", "İstanbul", "\u0308", "ß\u0301"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		words := NormalizeName(s)
		for _, w := range words {
			if w == "" {
				t.Fatalf("empty word from %q", s)
			}
			for _, r := range w {
				if !unicode.IsLetter(r) && !unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) {
					t.Fatalf("%q from %q holds %q", w, s, r)
				}
			}
		}
		if again := NormalizeName(strings.Join(words, " ")); !slices.Equal(again, words) {
			t.Fatalf("not idempotent: %q → %q → %q", s, words, again)
		}
	})
}
