package password_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/zeugo/zeugo/backend/internal/apperr"
	"github.com/zeugo/zeugo/backend/internal/password"
)

func rules(vs []password.Violation) []string {
	var out []string
	for _, v := range vs {
		out = append(out, v.Rule)
		if v.EN == "" || v.DE == "" {
			panic("violation without text: " + v.Rule)
		}
	}
	return out
}

var anna = password.Person{FirstName: "Anna-Lena", LastName: "Schmidt", Email: "a.lena.schmidt+hr@example.com", Tenant: "Kranich Logistik GmbH"}

func TestPolicyCheck(t *testing.T) {
	def := password.DefaultPolicy
	long := password.Policy{MinLength: 16, Composition: true}
	free := password.Policy{MinLength: 8, Composition: false}
	cases := []struct {
		name string
		p    password.Policy
		pw   string
		who  password.Person
		want []string
	}{
		{"good", def, "Tx9#kq2Lm!", anna, nil},
		{"too short", def, "Tx9#kq2", anna, []string{password.RuleMinLen}},
		{"raised minimum", long, "Tx9#kq2Lm!", anna, []string{password.RuleMinLen}},
		{"no upper", def, "tx9#kq2lm!", anna, []string{password.RuleComposition}},
		{"no digit", def, "Txz#kqyLm!", anna, []string{password.RuleComposition}},
		{"no special", def, "Tx9zkq2Lmw", anna, []string{password.RuleComposition}},
		{"composition off", free, "kornblumenblau fliegt", anna, nil},
		// meets the composition rule, but is on the list
		{"breached exact", def, "P@ssw0rd", anna, []string{password.RuleBreached}},
		{"breached with digits", def, "Passwort2024!", anna, []string{password.RuleBreached}},
		{"german word", def, "Sommer2024!", anna, []string{password.RuleBreached}},
		{"german leet", def, "$Ommer2024!", anna, []string{password.RuleBreached}},
		{"german password", def, "Schalke04!", anna, []string{password.RuleBreached}},
		{"keyboard", def, "Qwertz123!", anna, []string{password.RuleBreached}},
		{"first name", def, "Tx9#Lena-kq2", anna, []string{password.RuleContainsName}},
		{"last name case", def, "xX9#SCHMIDTqq", anna, []string{password.RuleContainsName}},
		{"email part", def, "Tx9#kq2-HR-zz", anna, nil}, // "hr" is shorter than 3
		{"email local part leet", def, "Tx9#5chmidt!", anna, []string{password.RuleContainsName}},
		{"short names ignored", def, "Tx9#bo-Li-q2", password.Person{FirstName: "Bo", LastName: "Li", Email: "bo@li.de"}, nil},
		{"tenant name", def, "Tx9#KRANICH!q", anna, []string{password.RuleContainsName}},
		{"legal form is no context", def, "Tx9#gmbh-kq2L", anna, nil},
		{"passphrase", def, "Korrekt Pferd Batterie 9 Heftklammer", anna, nil},
		{"unicode", def, "Ünïcødé-Päßwört-9", anna, nil},
		{"64 characters", def, strings.Repeat("aB3$", 16), anna, nil},
		{"max bytes", def, strings.Repeat("aB3$", 257), anna, []string{password.RuleMaxBytes}},
		{"several", def, "anna", password.Person{FirstName: "Anna"}, []string{password.RuleMinLen, password.RuleComposition, password.RuleBreached, password.RuleContainsName}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := rules(c.p.Check(c.pw, c.who)); !slices.Equal(got, c.want) {
				t.Errorf("Check(%q) = %v, want %v", c.pw, got, c.want)
			}
		})
	}
}

// Length counts code points of the NFKC form: a decomposed "é" (e + U+0301)
// is one character, as is an emoji outside the BMP.
func TestPolicyCountsCharacters(t *testing.T) {
	p := password.Policy{MinLength: 10, Composition: false}
	nine := "Tx9#kq2L" + "e\u0301"
	if got := rules(p.Check(nine+"", password.Person{})); !slices.Equal(got, []string{password.RuleMinLen}) {
		t.Errorf("decomposed é counted twice: %v", got)
	}
	if got := rules(p.Check(nine+"😀", password.Person{})); len(got) != 0 {
		t.Errorf("emoji: %v", got)
	}
}

func TestErrorHasOneViolationPerRule(t *testing.T) {
	err := password.Error("password", password.DefaultPolicy.Check("abc", password.Person{}))
	var e *apperr.Error
	if !asErr(err, &e) || e.Code != apperr.InvalidArgument || len(e.Violations) != 2 {
		t.Fatalf("err = %#v", err)
	}
	for _, v := range e.Violations {
		if v.Field != "password" || !strings.HasPrefix(v.RuleID, "password.") || v.Message == "" {
			t.Errorf("violation %+v", v)
		}
	}
	if password.Error("password", nil) != nil {
		t.Error("no violations must be no error")
	}
}

func asErr(err error, e **apperr.Error) bool {
	x, ok := err.(*apperr.Error)
	*e = x
	return ok
}

func TestCommonListIsLarge(t *testing.T) {
	if n := password.CommonSize(); n < 100_000 {
		t.Fatalf("common list has %d entries, want at least 100,000", n)
	}
	for _, w := range []string{"password", "passwort", "hallo123", "schatz", "michael", "müller", "fußball"} {
		if !password.Common(w) {
			t.Errorf("%q not on the list", w)
		}
	}
}

func BenchmarkCheck(b *testing.B) {
	password.CommonSize() // load outside the timing
	b.ReportAllocs()
	for b.Loop() {
		password.DefaultPolicy.Check("Korrekt Pferd Batterie 9 Heftklammer", anna)
	}
}

func BenchmarkCheckBreached(b *testing.B) {
	password.CommonSize()
	b.ReportAllocs()
	for b.Loop() {
		password.DefaultPolicy.Check("P@ssw0rd2024!", anna)
	}
}

func BenchmarkLoadList(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		password.LoadCommonForBenchmark()
	}
}
