package generator_test

import (
	"strings"
	"testing"

	"github.com/zeugo/zeugo/backend/internal/generator"
)

// disclosing are the words that would tell a reader about parental leave.
var disclosing = map[string][]string{
	"de": {"elternzeit", "eltern", "mutterschutz", "schwanger"},
	"en": {"parental", "maternity", "paternity", "pregnan"},
}

func mentionsLeave(lang, s string) string {
	ls := strings.ToLower(s)
	for _, w := range disclosing[lang] {
		if strings.Contains(ls, w) {
			return w
		}
	}
	return ""
}

// TestSensitiveInterimReason: an interim reference issued because of
// parental leave says nothing about the leave unless the facts ask for it
// (discloseReason); then it names the leave and carries a warning in German
// and English. Both languages, every salutation.
func TestSensitiveInterimReason(t *testing.T) {
	t.Parallel()
	for _, lang := range []string{"de", "en"} {
		for _, p := range persons {
			f := sample(generator.Interim, lang, p, 2)
			f.InterimReason = generator.InterimParentalLeave

			d, err := generator.Generate(f, nil)
			if err != nil {
				t.Fatalf("%s/%s: %v", lang, p.Salutation, err)
			}
			if w := mentionsLeave(lang, d.PlainText()); w != "" {
				t.Errorf("%s/%s: default text discloses %q:\n%s", lang, p.Salutation, w, d.PlainText())
			}
			if len(d.Warnings) != 0 {
				t.Errorf("%s/%s: default text has warnings %+v", lang, p.Salutation, d.Warnings)
			}
			para, ok := d.Paragraph(generator.SecInterimReason)
			if !ok || para.Text == "" {
				t.Fatalf("%s/%s: no interim reason paragraph", lang, p.Salutation)
			}
			checkDocument(t, f, d)

			f.DiscloseReason = true
			d, err = generator.Generate(f, nil)
			if err != nil {
				t.Fatalf("%s/%s disclosed: %v", lang, p.Salutation, err)
			}
			para, _ = d.Paragraph(generator.SecInterimReason)
			if mentionsLeave(lang, para.Text) == "" {
				t.Errorf("%s/%s: disclosed reason not printed: %q", lang, p.Salutation, para.Text)
			}
			if len(d.Warnings) != 1 || d.Warnings[0].Path != "discloseReason" ||
				!strings.Contains(d.Warnings[0].De, "Elternzeit") || !strings.Contains(d.Warnings[0].En, "parental leave") {
				t.Errorf("%s/%s: warnings %+v, want one on discloseReason in de and en", lang, p.Salutation, d.Warnings)
			}
			if ws := generator.Warnings(&f); len(ws) != 1 {
				t.Errorf("%s/%s: Warnings = %+v", lang, p.Salutation, ws)
			}
			checkDocument(t, f, d)
		}
	}
}

// TestDiscloseReasonOnlyWhereItMeansSomething: the option changes nothing
// for a reason that is not sensitive, and outside an interim reference it
// is refused like any other field that does not belong to the kind.
func TestDiscloseReasonOnlyWhereItMeansSomething(t *testing.T) {
	t.Parallel()
	f := sample(generator.Interim, "de", persons[1], 2)
	f.InterimReason = generator.InterimPromotion
	plain, err := generator.Generate(f, nil)
	if err != nil {
		t.Fatal(err)
	}
	f.DiscloseReason = true
	disclosed, err := generator.Generate(f, nil)
	if err != nil {
		t.Fatal(err)
	}
	if plain.PlainText() != disclosed.PlainText() || len(disclosed.Warnings) != 0 {
		t.Errorf("discloseReason changed a non-sensitive reason:\n%s\n%+v", disclosed.PlainText(), disclosed.Warnings)
	}
	final := sample(generator.Final, "en", persons[0], 2)
	final.DiscloseReason = true
	if ps := problems(t, final); !ps["discloseReason"] {
		t.Errorf("discloseReason on a final reference accepted: %v", ps)
	}
}
