package textcheck

import (
	"strings"
	"testing"
)

func check(t *testing.T, lang, gender, kind string, paras ...Paragraph) *Report {
	t.Helper()
	r, err := Check(paras, Options{Language: lang, Gender: gender, Kind: kind, Names: []string{"Anna Weiß", "Jan Gut"}})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func hasFinding(r *Report, kind, code string) bool {
	for _, f := range r.Findings() {
		if f.Kind == kind && (code == "" || f.Code == code) {
			return true
		}
	}
	return false
}

func TestCodedPhrases(t *testing.T) {
	t.Parallel()
	cases := []struct {
		lang, text, code string
	}{
		{"de", "Er bemühte sich, die Aufgaben zu erledigen.", "effort"},
		{"de", "Sie war stets bemüht, den Anforderungen gerecht zu werden.", "effort"},
		{"de", "Er erledigte die Aufgaben im Rahmen seiner Fähigkeiten.", "effort"},
		{"de", "Sie erledigte alle Aufgaben ordnungsgemäß.", "minimum"},
		{"de", "Er zeigte die erforderliche Sorgfalt.", "minimum"},
		{"de", "Sie war stets pünktlich.", "minimum"},
		{"de", "Sein Verhalten gab keinen Anlass zu Beanstandungen.", "negation"},
		{"de", "Ihr Verhalten war ohne Tadel.", "negation"},
		{"de", "Durch seine Geselligkeit trug er zur Verbesserung des Betriebsklimas bei.", "sociability"},
		{"de", "Sie zeigte Verständnis für die Belange der Belegschaft.", "works_council"},
		{"de", "Wir haben ihn als zuverlässigen Mitarbeiter kennengelernt.", "superficial"},
		{"de", "Wir wünschen ihr für die Zukunft vor allem Gesundheit.", "health"},
		{"de", "Das Arbeitsverhältnis endete durch fristgerechte Kündigung.", "dismissal"},
		{"en", "He tried to complete the tasks assigned.", "effort"},
		{"en", "She performed the tasks properly.", "minimum"},
		{"en", "His conduct gave no cause for complaint.", "negation"},
		{"en", "Her sociability improved the working atmosphere.", "sociability"},
		{"en", "We came to know him as a reliable employee.", "superficial"},
	}
	for _, c := range cases {
		r := check(t, c.lang, "m", "final", Paragraph{Section: SecOther, Text: c.text})
		if !hasFinding(r, KindCode, c.code) {
			t.Errorf("%q: no %s finding; got %+v", c.text, c.code, r.Findings())
		}
	}
}

func TestGrades(t *testing.T) {
	t.Parallel()
	cases := []struct {
		lang, text string
		grade      int
	}{
		{"de", "Sie erledigte alle Aufgaben stets zu unserer vollsten Zufriedenheit.", 1},
		{"de", "Sie erledigte alle Aufgaben zu unserer vollsten Zufriedenheit.", 2},
		{"de", "Er erledigte die Aufgaben jederzeit zu unserer vollen Zufriedenheit.", 2},
		{"de", "Er erledigte die Aufgaben zu unserer vollen Zufriedenheit.", 3},
		{"de", "Er erledigte die Aufgaben zu unserer Zufriedenheit.", 4},
		{"de", "Er erledigte die Aufgaben im Großen und Ganzen zu unserer Zufriedenheit.", 5},
		// "insgesamt" in front of the plain formula is the conventional
		// grade 5, not the grade 4 of the bare formula.
		{"de", "Er erledigte die Aufgaben insgesamt zu unserer Zufriedenheit.", 5},
		{"de", "Seine Leistungen fanden insgesamt unsere Zufriedenheit.", 5},
		{"de", "Insgesamt erledigte sie die Aufgaben stets zu unserer vollsten Zufriedenheit.", 1},
		{"de", "Sein Verhalten gegenüber Vorgesetzten und Kollegen war stets vorbildlich.", 1},
		{"de", "Sein Verhalten gegenüber Vorgesetzten und Kollegen war einwandfrei.", 3},
		{"de", "Die Abschlussprüfung bestand er mit der Note „gut“.", 2},
		{"en", "She always performed her tasks to our fullest satisfaction.", 1},
		{"en", "He performed his tasks to our satisfaction.", 4},
		{"en", "His conduct towards superiors and colleagues was always impeccable.", 2},
	}
	for _, c := range cases {
		r := check(t, c.lang, "m", "final", Paragraph{Section: SecPerformance, Text: c.text})
		if g := r.Paragraphs[0].Sentences[0].Grade; g != c.grade {
			t.Errorf("%q: grade %d, want %d (%v)", c.text, g, c.grade, r.Paragraphs[0].Sentences[0].Markers)
		}
	}
}

func TestIntensifierAtLowGrade(t *testing.T) {
	t.Parallel()
	// "stets zu unserer Zufriedenheit" is the established grade 3, and
	// "stets" lifts "gut" to grade 2: neither is "too strong".
	for text, want := range map[string]int{
		"Er erledigte die Aufgaben stets zu unserer Zufriedenheit.":                 3,
		"Seine Arbeitsergebnisse waren stets von guter Qualität.":                   2,
		"Er verfügte über ein fundiertes Fachwissen, das er stets aktuell hielt.":   2,
		"Sein Verhalten gegenüber Vorgesetzten und Kollegen war stets einwandfrei.": 2,
	} {
		r := check(t, "de", "m", "final", Paragraph{Section: SecPerformance, Text: text})
		if r.Paragraphs[0].Grade != want || hasFinding(r, KindCode, "intensity") {
			t.Errorf("%q: want grade %d without finding, got %d %+v", text, want, r.Paragraphs[0].Grade, r.Findings())
		}
	}
	r := check(t, "de", "m", "final", Paragraph{Section: SecPerformance, Text: "Er erledigte die Aufgaben stets im Großen und Ganzen zu unserer Zufriedenheit."})
	if r.Paragraphs[0].Grade != 5 || !hasFinding(r, KindCode, "intensity") {
		t.Fatalf("want grade 5 with intensity finding, got %d %+v", r.Paragraphs[0].Grade, r.Findings())
	}
}

func TestConductOrder(t *testing.T) {
	t.Parallel()
	r := check(t, "de", "f", "final", Paragraph{Section: SecConduct, Text: "Ihr Verhalten gegenüber Kollegen und Vorgesetzten war stets vorbildlich."})
	if !hasFinding(r, KindCode, "order") {
		t.Errorf("colleagues before superiors not found: %+v", r.Findings())
	}
	r = check(t, "de", "f", "final", Paragraph{Section: SecConduct, Text: "Gegenüber Kunden sowie Vorgesetzten trat sie stets vorbildlich auf."})
	if !hasFinding(r, KindCode, "order") {
		t.Errorf("customers before superiors not found: %+v", r.Findings())
	}
	r = check(t, "de", "f", "final", Paragraph{Section: SecConduct, Text: "Ihr Verhalten gegenüber Kolleginnen und Kollegen war stets vorbildlich."})
	if !hasFinding(r, KindCode, "superiors_missing") {
		t.Errorf("missing superiors not found: %+v", r.Findings())
	}
	r = check(t, "en", "m", "final", Paragraph{Section: SecConduct, Text: "His conduct towards colleagues and superiors was always exemplary."})
	if !hasFinding(r, KindCode, "order") {
		t.Errorf("en order not found: %+v", r.Findings())
	}
}

func TestGenderAndTense(t *testing.T) {
	t.Parallel()
	r := check(t, "de", "m", "final", Paragraph{Section: SecPerformance, Text: "Herr Gut arbeitete stets sehr sorgfältig. Sie erzielte stets sehr gute Ergebnisse."})
	if !hasFinding(r, KindGender, "") {
		t.Errorf("wrong pronoun not found: %+v", r.Findings())
	}
	r = check(t, "de", "f", "final", Paragraph{Section: SecIntro, Text: "Frau Anna Weiß war vom 1. März 2018 bis zum 31. Mai 2024 als Teamleiter tätig."})
	if !hasFinding(r, KindGender, "") {
		t.Errorf("masculine title for Frau not found: %+v", r.Findings())
	}
	if hasFinding(r, KindTense, "") {
		t.Errorf("name Weiß read as a verb: %+v", r.Findings())
	}
	r = check(t, "de", "n", "final", Paragraph{Section: SecConduct, Text: "Gegenüber Vorgesetzten und Kollegen verhielt er sich stets vorbildlich."})
	if !hasFinding(r, KindGender, "") {
		t.Errorf("gendered pronoun for divers not found: %+v", r.Findings())
	}
	r = check(t, "de", "f", "interim", Paragraph{Section: SecPerformance, Text: "Sie arbeitet stets sehr sorgfältig und erzielte stets sehr gute Ergebnisse."})
	if !hasFinding(r, KindTense, "") {
		t.Errorf("past tense in interim not found: %+v", r.Findings())
	}
	r = check(t, "de", "f", "final", Paragraph{Section: SecPerformance, Text: "Sie arbeitete stets sehr sorgfältig und zeigt stets großes Engagement."})
	if !hasFinding(r, KindTense, "") {
		t.Errorf("present tense in final not found: %+v", r.Findings())
	}
	r = check(t, "en", "f", "interim", Paragraph{Section: SecTraining, Text: "She has completed the following courses:"})
	if hasFinding(r, KindTense, "") {
		t.Errorf("present perfect flagged as past: %+v", r.Findings())
	}
	r = check(t, "en", "f", "final", Paragraph{Section: SecPerformance, Text: "He always worked very carefully."})
	if !hasFinding(r, KindGender, "") {
		t.Errorf("en wrong pronoun not found: %+v", r.Findings())
	}
}

func TestSimpleHasNoRating(t *testing.T) {
	t.Parallel()
	r := check(t, "de", "m", "simple", Paragraph{Section: SecIntro, Text: "Herr Jan Gut war vom 1. März 2018 bis zum 31. Mai 2024 bei uns als Lagerist tätig."},
		Paragraph{Section: SecExit, Text: "Er verließ uns mit sehr guten Leistungen."})
	if !hasFinding(r, KindCode, "rating_in_simple") {
		t.Fatalf("rating in simple reference not found: %+v", r.Findings())
	}
}

func TestFromTextAndCompare(t *testing.T) {
	t.Parallel()
	orig := "Arbeitszeugnis\n\nFrau Anna Weiß war vom 1. März 2018 bis zum 31. Mai 2024 bei uns tätig.\n\nSie erledigte die übertragenen Aufgaben stets zu unserer vollsten Zufriedenheit.\n\nIhr Verhalten gegenüber Vorgesetzten und Kollegen war stets vorbildlich.\n\nSie verlässt unser Unternehmen auf eigenen Wunsch.\n\nWir bedauern ihr Ausscheiden sehr, danken ihr und wünschen ihr alles Gute."
	edited := strings.Replace(orig, "stets zu unserer vollsten", "zu unserer", 1)
	edited = strings.Replace(edited, "Wir bedauern ihr Ausscheiden sehr, danken ihr und wünschen ihr alles Gute.", "Wir wünschen ihr alles Gute.", 1)
	opt := Options{Language: "de", Gender: "f", Kind: "final", Names: []string{"Anna Weiß"}}
	before, err := Check(FromText(orig), opt)
	if err != nil {
		t.Fatal(err)
	}
	after, _ := Check(FromText(edited), opt)
	if before.Overall != 1 || after.Overall != 4 {
		t.Fatalf("overall before %d after %d, want 1 and 4", before.Overall, after.Overall)
	}
	if !before.Closing.Regret || after.Closing.Regret {
		t.Errorf("closing before %+v after %+v", before.Closing, after.Closing)
	}
	ch := Compare(before, after)
	if len(ch) < 2 {
		t.Fatalf("changes %+v", ch)
	}
	if !before.Clean() {
		t.Errorf("original not clean: %+v", before.Findings())
	}
	if sec := FromText(orig); len(sec) != 6 {
		t.Errorf("FromText: %d paragraphs", len(sec))
	}
}

func TestSentenceSplitting(t *testing.T) {
	t.Parallel()
	lx, _ := lexiconFor("de")
	got := lx.sentences("Frau Dr. Weiß war vom 1. März 2018 bis zum 2. Mai 2020 tätig. Sie arbeitete z. B. im Einkauf. Danach ging sie.")
	if len(got) != 3 {
		t.Fatalf("%d sentences: %q", len(got), got)
	}
}

func TestUnknownLanguage(t *testing.T) {
	t.Parallel()
	if _, err := Check(nil, Options{Language: "fr"}); err == nil {
		t.Fatal("want error")
	}
}

func TestWholeDocumentMissing(t *testing.T) {
	t.Parallel()
	text := "Zwischenzeugnis\n\nFrau Anna Weiß ist seit dem 1. März 2018 bei uns tätig.\n\nSie arbeitet sorgfältig und verfügt über gute Fachkenntnisse.\n\nDieses Zwischenzeugnis wird auf Wunsch von Frau Weiß ausgestellt."
	r, err := Check(FromText(text), Options{Language: "de", Gender: "f", Kind: "interim", Names: []string{"Anna Weiß"}, Whole: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, code := range []string{"overall_missing", "conduct_missing"} {
		if !hasFinding(r, KindCode, code) {
			t.Errorf("no %s: %+v", code, r.Document)
		}
	}
	r, _ = Check(FromText(text), Options{Language: "de", Gender: "f", Kind: "interim", Names: []string{"Anna Weiß"}})
	if len(r.Document) != 0 {
		t.Errorf("document findings without Whole: %+v", r.Document)
	}
}

// TestIssue19Recall: coded phrases of texts written by others (issue 19,
// checker item 2) are found, and the grade they convey is read.
func TestIssue19Recall(t *testing.T) {
	t.Parallel()
	cases := []struct {
		lang, sec, text, code string
		grade                 int
	}{
		{"de", SecPerformance, "Er war stets bestrebt, die ihm übertragenen Aufgaben zu unserer vollen Zufriedenheit zu erledigen.", "effort", 5},
		{"de", SecPerformance, "Sie war immer bestrebt, alle Arbeiten termingerecht zu erledigen.", "effort", 5},
		{"de", SecPerformance, "Er zeigte Verständnis für seine Arbeit.", "effort", 5},
		{"de", SecPerformance, "Für seine Aufgaben zeigte er stets großes Verständnis.", "effort", 0},
		{"de", SecConduct, "Im Kollegenkreis galt er als toleranter Mitarbeiter.", "conflict", 0},
		{"de", SecConduct, "Bei den Kollegen war er sehr beliebt.", "sociability", 4},
		{"de", SecConduct, "Sein Verhalten gegenüber Vorgesetzten und Kollegen war insgesamt einwandfrei.", "restriction", 4},
		{"de", SecConduct, "Sein Verhalten gegenüber Vorgesetzten und Kollegen gab keinen Anlass zu Beanstandungen.", "negation", 4},
		{"de", SecOther, "Er verstand es, Aufgaben erfolgreich zu delegieren.", "delegation", 0},
		{"en", SecPerformance, "He always tried to complete his tasks to our full satisfaction.", "effort", 5},
		{"en", SecConduct, "She was very popular with her colleagues.", "sociability", 4},
		{"en", SecConduct, "His conduct towards superiors and colleagues gave no cause for complaint.", "negation", 4},
	}
	for _, c := range cases {
		r := check(t, c.lang, "m", "final", Paragraph{Section: c.sec, Text: c.text})
		if !hasFinding(r, KindCode, c.code) {
			t.Errorf("%q: no %s finding: %+v", c.text, c.code, r.Findings())
		}
		if g := r.Paragraphs[0].Grade; c.grade != 0 && g != c.grade {
			t.Errorf("%q: grade %d, want %d", c.text, g, c.grade)
		}
	}
}

// TestSatisfactionStatement: "Mit seinen Leistungen waren wir (stets) (voll
// und ganz / außerordentlich) zufrieden" is the overall statement, in every
// grade.
func TestSatisfactionStatement(t *testing.T) {
	t.Parallel()
	for text, want := range map[string]int{
		"Mit seinen Leistungen waren wir stets außerordentlich zufrieden.":    1,
		"Wir waren mit ihren Leistungen jederzeit außerordentlich zufrieden.": 1,
		"Mit seinen Leistungen waren wir außerordentlich zufrieden.":          2,
		"Mit seinen Leistungen waren wir stets voll und ganz zufrieden.":      2,
		"Mit seinen Leistungen waren wir voll und ganz zufrieden.":            3,
		"Mit seinen Leistungen waren wir stets zufrieden.":                    3,
		"Mit seinen Leistungen waren wir zufrieden.":                          4,
		"Mit seinen Leistungen waren wir im Großen und Ganzen zufrieden.":     5,
		"Mit seinen Leistungen waren wir insgesamt zufrieden.":                5,
		"We were always extremely satisfied with his performance.":            1,
		"We were always fully satisfied with her work.":                       2,
		"We were satisfied with his performance.":                             4,
		"Die Kunden waren mit seiner Beratung stets sehr zufrieden.":          0,
	} {
		lang := "de"
		if strings.HasPrefix(text, "We ") {
			lang = "en"
		}
		r := check(t, lang, "m", "final", Paragraph{Section: SecPerformance, Text: text})
		if r.Overall != want {
			t.Errorf("%q: overall %d, want %d (%+v)", text, r.Overall, want, r.Paragraphs[0].Sentences)
		}
	}
}

// TestHonestNotFlagged: honest wording that an earlier version reported
// (issue 19, checker item 3).
func TestHonestNotFlagged(t *testing.T) {
	t.Parallel()
	cases := []struct{ gender, kind, sec, text string }{
		{"m", "final", SecPerformance, "Seine Arbeitsergebnisse waren stets von guter Qualität."},
		{"f", "final", SecPerformance, "Sie verfügte über ein fundiertes Fachwissen, das sie stets aktuell hielt."},
		{"n", "final", SecPerformance, "Kim Nguyễn betreute die Auszubildenden und förderte sie gezielt; ihre Fragen wurden stets geduldig beantwortet."},
		{"n", "final", SecPerformance, "Die erworbenen Kenntnisse setzte Kim Nguyễn sicher ein, da sie stets aktuell waren."},
		{"m", "final", SecPerformance, "Er leitete die Auszubildenden an und förderte sie gezielt."},
		{"f", "final", SecPerformance, "Besonders hervorzuheben ist ihr Einsatz bei der Einführung des neuen ERP-Systems."},
		{"m", "final", SecCompany, "Unser Haus hat seinen Sitz in Köln und beschäftigt rund 480 Menschen."},
		{"f", "final", SecOther, "Die Brückner GmbH ist ein Hersteller von Präzisionswerkzeugen und hat ihren Sitz in Ulm."},
		{"m", "final", SecTasks, "Er bearbeitete Kündigungen und Vertragsänderungen."},
		{"m", "interim", SecPerformance, "Er nimmt Waren an und lagert sie ein."},
	}
	for _, c := range cases {
		r, err := Check([]Paragraph{{Section: c.sec, Text: c.text}}, Options{Language: "de", Gender: c.gender, Kind: c.kind, Names: []string{"Kim Nguyễn", "Anna Weiß"}})
		if err != nil {
			t.Fatal(err)
		}
		if !r.Clean() {
			t.Errorf("%q (%s, %s): %+v", c.text, c.gender, c.kind, r.Findings())
		}
	}
	// and the slips they resemble are still found
	for _, c := range []struct{ gender, kind, text string }{
		{"n", "final", "Sie arbeitete stets sehr sorgfältig."},
		{"n", "final", "Neue Sachverhalte erfasste sie sehr schnell."},
		{"m", "final", "Wir danken ihr für die Zusammenarbeit."},
		{"f", "final", "Besonders hervorzuheben ist, dass sie stets sorgfältig arbeitet."},
	} {
		r := check(t, "de", c.gender, c.kind, Paragraph{Section: SecPerformance, Text: c.text})
		if r.Clean() {
			t.Errorf("%q (%s): slip not found", c.text, c.gender)
		}
	}
}

// TestFindingsQuoteTheText: findings quote the sentence as written, names
// included, never the masked form.
func TestFindingsQuoteTheText(t *testing.T) {
	t.Parallel()
	r := check(t, "de", "f", "final", Paragraph{Section: SecPerformance, Text: "Frau Anna Weiß bemühte sich, die Aufgaben zu erledigen. Er war pünktlich."})
	if len(r.Findings()) < 2 {
		t.Fatalf("%+v", r.Findings())
	}
	for _, f := range r.Findings() {
		if strings.Contains(f.Sentence, "X") || strings.Contains(f.Fragment, "X") {
			t.Errorf("masked text quoted: %+v", f)
		}
	}
	if r.Findings()[0].Sentence != "Frau Anna Weiß bemühte sich, die Aufgaben zu erledigen." {
		t.Errorf("sentence %q", r.Findings()[0].Sentence)
	}
}

// TestPopularWithSuperiors: "beliebt" is the code only without the
// superiors.
func TestPopularWithSuperiors(t *testing.T) {
	t.Parallel()
	r := check(t, "de", "m", "final", Paragraph{Section: SecConduct, Text: "Bei Vorgesetzten, Kollegen und Kunden war er gleichermaßen sehr beliebt."})
	if hasFinding(r, KindCode, "sociability") {
		t.Errorf("%+v", r.Findings())
	}
	r = check(t, "en", "f", "final", Paragraph{Section: SecConduct, Text: "She was very popular with superiors and colleagues alike."})
	if hasFinding(r, KindCode, "sociability") {
		t.Errorf("%+v", r.Findings())
	}
}

// TestRecognitionStatement: "Seine Leistungen fanden … unsere volle
// Anerkennung" is an overall statement too.
func TestRecognitionStatement(t *testing.T) {
	t.Parallel()
	for text, want := range map[string]int{
		"Seine Leistungen fanden stets und in jeder Hinsicht unsere volle Anerkennung.": 1,
		"Ihre Leistungen fanden stets unsere volle Anerkennung.":                        2,
		"Seine Leistungen fanden unsere volle Anerkennung.":                             3,
		"Seine Leistungen fanden unsere Anerkennung.":                                   4,
		"Als Führungskraft genoss er große Anerkennung.":                                0,
	} {
		r := check(t, "de", "m", "final", Paragraph{Section: SecPerformance, Text: text})
		if r.Overall != want {
			t.Errorf("%q: overall %d, want %d (%+v)", text, r.Overall, want, r.Paragraphs[0].Sentences)
		}
	}
}

// TestExpectationsStatement: "Er hat unsere Erwartungen in jeder Hinsicht
// und in allerbester Weise erfüllt" is an overall statement; results that
// exceeded expectations are not.
func TestExpectationsStatement(t *testing.T) {
	t.Parallel()
	for text, want := range map[string]int{
		"Er hat unsere Erwartungen in jeder Hinsicht und in allerbester Weise erfüllt.":           1,
		"Er hat unsere Erwartungen in jeder Hinsicht und in bester Weise erfüllt.":                2,
		"Er hat unsere Erwartungen in jeder Hinsicht erfüllt.":                                    3,
		"Er hat unsere Erwartungen erfüllt.":                                                      4,
		"Er hat unsere Erwartungen größtenteils erfüllt.":                                         5,
		"Er erzielte stets hervorragende Ergebnisse, die unsere Erwartungen deutlich übertrafen.": 0,
	} {
		r := check(t, "de", "m", "final", Paragraph{Section: SecPerformance, Text: text})
		if r.Overall != want {
			t.Errorf("%q: overall %d, want %d (%+v)", text, r.Overall, want, r.Paragraphs[0].Sentences)
		}
	}
}

// TestCodesNeedTheirContext: code words in an honest sense are not codes
// (health outside a wish, punctuality of deliveries, a task noun
// "ordnungsgemäße", getting to know departments).
func TestCodesNeedTheirContext(t *testing.T) {
	t.Parallel()
	for _, text := range []string{
		"Er verantwortete Arbeitssicherheit und Gesundheit am Standort Köln.",
		"Er lieferte alle Projekte pünktlich und im Budget.",
		"Er verantwortete die ordnungsgemäße Buchführung der Tochtergesellschaften.",
		"Während der Ausbildung hat er alle Abteilungen kennengelernt.",
	} {
		r := check(t, "de", "m", "final", Paragraph{Section: SecPerformance, Text: text})
		if !r.Clean() {
			t.Errorf("%q: %+v", text, r.Findings())
		}
	}
	for text, code := range map[string]string{
		"Wir wünschen ihm für die Zukunft vor allem Gesundheit.":   "health",
		"Er war stets pünktlich.":                                  "minimum",
		"Er erledigte die Aufgaben ordnungsgemäß.":                 "minimum",
		"Wir haben ihn als engagierten Mitarbeiter kennengelernt.": "superficial",
		"Er verfügte über ein gesundes Selbstvertrauen.":           "health",
	} {
		r := check(t, "de", "m", "final", Paragraph{Section: SecOther, Text: text})
		if !hasFinding(r, KindCode, code) {
			t.Errorf("%q: no %s: %+v", text, code, r.Findings())
		}
	}
}
