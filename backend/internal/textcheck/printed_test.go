package textcheck_test

import (
	"fmt"
	"testing"

	"github.com/zeugo/zeugo/backend/internal/catalog"
	"github.com/zeugo/zeugo/backend/internal/generator"
	"github.com/zeugo/zeugo/backend/internal/rendercmd"
	"github.com/zeugo/zeugo/backend/internal/textcheck"
)

var printedPeople = []generator.Person{
	{Salutation: generator.Herr, Title: "Dr.", FirstName: "Jörg", LastName: "Weiß-Öztürk"},
	{Salutation: generator.Frau, FirstName: "Zoë", LastName: "Gut", BirthDate: generator.NewDate(1990, 2, 28), BirthPlace: "Saint-Étienne", PrintBirth: true},
	{Salutation: generator.Divers, FirstName: "Kim", LastName: "Nguyễn"},
	{Salutation: generator.NoneSal, FirstName: "Sascha", LastName: "Groß"},
}

var printedExits = []generator.ExitReason{generator.ExitOwnWish, generator.ExitFixedTerm, generator.ExitMutual, generator.ExitEmployer, generator.ExitOther, generator.ExitRetirement}

var printedInterims = []generator.InterimReason{generator.InterimOwnRequest, generator.InterimSupervisorChange, generator.InterimReorganisation, generator.InterimTransfer, generator.InterimParentalLeave, generator.InterimPromotion, generator.InterimOther}

// printedFacts builds facts for one combination; n varies the job profile,
// the exit or interim reason and the optional parts, so that the whole
// catalogue passes through the checker.
func printedFacts(kind generator.Kind, lang string, p generator.Person, g generator.Grade, n int, profiles []string) generator.Facts {
	f := generator.Facts{
		Seed:        fmt.Sprintf("printed-%s-%s-%s-%d-%d", kind, lang, p.Salutation, g, n),
		Kind:        kind,
		Language:    lang,
		Person:      p,
		Company:     generator.Company{Name: "Brückner & Söhne GmbH", Industry: catalog.Text{"de": "Maschinenbau", "en": "mechanical engineering"}, City: catalog.Text{"de": "Köln", "en": "Cologne"}, Employees: 480},
		EntryDate:   generator.NewDate(2016, 3, 1),
		ExitDate:    generator.NewDate(2024, 5, 31),
		JobProfile:  profiles[n%len(profiles)],
		Signatories: []generator.Signatory{{Name: "Dr. Friederike Weiß", Function: catalog.Text{"de": "Geschäftsführerin", "en": "Managing Director"}}},
	}
	if n%3 == 1 {
		f.Company.Description = catalog.Text{"de": "Die Brückner & Söhne GmbH entwickelt seit 1952 Präzisionswerkzeuge und beschäftigt rund 480 Menschen.", "en": "Brückner & Söhne GmbH has been developing precision tools since 1952 and employs around 480 people."}
	}
	if n%2 == 0 {
		f.Tasks = []catalog.Text{{"de": "Einführung eines Lieferantenportals", "en": "introducing a supplier portal"}}
		f.AdditionalTasks = []catalog.Text{{"de": "Betreuung der Auszubildenden", "en": "supervising the trainees"}}
		f.Trainings = []generator.Training{{Title: catalog.Text{"de": "Projektmanagement", "en": "Project management"}, Provider: "IHK Köln", Year: 2020}}
		f.Stations = []generator.Station{{From: generator.NewDate(2016, 3, 1), To: generator.NewDate(2019, 2, 28), Title: catalog.T("Junior")}, {From: generator.NewDate(2019, 3, 1), Title: catalog.T("Senior")}}
		f.Authorities = []generator.Authority{{Kind: []string{"prokura", "handlungsvollmacht", "bankvollmacht"}[n%3], Since: generator.NewDate(2019, 7, 1)}}
		f.Successes = []catalog.Text{{"de": "die Senkung der Reklamationsquote um ein Drittel", "en": "cutting the complaint rate by a third"}}
	}
	switch kind {
	case generator.Interim:
		f.ExitDate = generator.Date{}
		f.IssueDate = generator.NewDate(2024, 5, 31)
		f.InterimReason = printedInterims[n%len(printedInterims)]
		f.DiscloseReason = n%5 == 0
	case generator.Apprenticeship:
		f.EntryDate = generator.NewDate(2021, 8, 1)
		f.ExitDate = generator.NewDate(2024, 7, 15)
		f.JobProfile = "industriekaufmann"
		f.Stations, f.Authorities = nil, nil
		f.ExitReason = generator.ExitEndTraining
		f.ExamChamber = catalog.Text{"de": "Industrie- und Handelskammer zu Köln", "en": "Cologne Chamber of Industry and Commerce"}
		f.TakenOn = n%2 == 0
	case generator.Simple:
		f.ExitReason = printedExits[n%len(printedExits)]
		f.Successes, f.Trainings = nil, nil
		return f
	default:
		f.ExitReason = printedExits[n%len(printedExits)]
	}
	f.Ratings = generator.Ratings{
		Bereitschaft: g, Befaehigung: g, Wissen: g, Weiterbildung: g, Arbeitsweise: g, Arbeitserfolg: g,
		VerhaltenIntern: g, VerhaltenExtern: g,
	}
	if n%4 == 3 {
		// mixed ratings around g: the overall grade is derived from them,
		// conduct may differ from performance
		near := func(k int) generator.Grade { return generator.Grade(min(5, max(1, int(g)+(n+k)%3-1))) }
		f.Ratings = generator.Ratings{
			Bereitschaft: near(0), Befaehigung: near(1), Wissen: near(2), Weiterbildung: near(3), Arbeitsweise: near(4), Arbeitserfolg: near(5),
			VerhaltenIntern: near(6), VerhaltenExtern: near(7),
		}
	}
	if kind == generator.Apprenticeship {
		f.Ratings.Abschlusspruefung = g
	}
	if kind != generator.Apprenticeship && n%2 == 1 {
		f.Leader = true
		f.TeamSize = 4 + n%5
		f.Ratings.Fuehrungserfolg = g
	}
	if g <= 3 {
		f.ProfessionalAttributes = []string{"verhandlung", "kostenbewusstsein"}
		f.PersonalAttributes = []string{"hilfsbereitschaft"}
	}
	return f
}

// TestPrintedTextReadsClean is the checker's property test on its own
// output: for every kind × salutation × grade × language (and, across the
// runs, every job profile, exit and interim reason, and mixed ratings), the
// unedited text as `zeugo render` prints it, read back by CheckText with
// language, salutation and kind given and with nothing given, has no
// finding and conveys the overall and conduct grades the facts asked for.
func TestPrintedTextReadsClean(t *testing.T) {
	t.Parallel()
	lib := generator.MustDefaultLibrary()
	profiles := catalog.MustDefault().ProfileIDs()
	runs, bad := 0, 0
	for _, lang := range []string{"de", "en"} {
		for _, kind := range []generator.Kind{generator.Final, generator.Interim, generator.Apprenticeship, generator.Simple} {
			for _, p := range printedPeople {
				grades := []generator.Grade{1, 2, 3, 4, 5}
				if kind == generator.Simple {
					grades = []generator.Grade{0}
				}
				for _, g := range grades {
					for n := range 12 {
						if raceEnabled && (n+int(g))%12 != 0 { // one run of each kind × language × salutation × grade
							continue
						}
						f := printedFacts(kind, lang, p, g, n+int(g)*3, profiles)
						d, err := generator.Generate(f, lib)
						if err != nil {
							t.Fatalf("%s: %v", f.Seed, err)
						}
						text := rendercmd.Text(d)
						names := []string{p.FirstName, p.LastName, f.Company.Name}
						for _, s := range f.Signatories {
							names = append(names, s.Name)
						}
						rd, err := textcheck.CheckText(text, textcheck.Options{Language: lang, Gender: string(p.Salutation.Gender()), Kind: string(kind), Names: names})
						if err != nil {
							t.Fatal(err)
						}
						runs++
						failed := false
						for _, fd := range rd.Report.Findings() {
							failed = true
							t.Errorf("%s: %s %s %q in %q: %s", f.Seed, fd.Kind, fd.Code, fd.Fragment, fd.Sentence, fd.En)
						}
						if kind != generator.Simple {
							if rd.Overall != int(d.Overall) {
								failed = true
								t.Errorf("%s: overall read %d, written %d", f.Seed, rd.Overall, d.Overall)
							}
							if rd.Conduct != int(f.Ratings.VerhaltenIntern) {
								failed = true
								t.Errorf("%s: conduct read %d, written %d", f.Seed, rd.Conduct, f.Ratings.VerhaltenIntern)
							}
						} else if rd.Overall != 0 {
							failed = true
							t.Errorf("%s: simple reference read as overall %d", f.Seed, rd.Overall)
						}
						// and as `zeugo check FILE` reads it without any flag
						gd, err := textcheck.CheckText(text, textcheck.Options{})
						if err != nil {
							t.Fatal(err)
						}
						// a simple reference may name the person without any
						// pronoun or form of address ("Dr. Weiß-Öztürk"): then
						// no salutation can be read, and none is needed
						genderOK := gd.Gender == string(p.Salutation.Gender()) || (kind == generator.Simple && gd.Gender == "n")
						if gd.Language != lang || gd.Kind != string(kind) || !genderOK || !gd.Report.Clean() || gd.Overall != rd.Overall || gd.Conduct != rd.Conduct {
							failed = true
							t.Errorf("%s: without flags read as %s/%s/%s, overall %d conduct %d, findings %+v", f.Seed, gd.Language, gd.Kind, gd.Gender, gd.Overall, gd.Conduct, gd.Report.Findings())
						}
						if failed {
							bad++
							if bad <= 3 {
								t.Logf("%s\n%s", f.Seed, text)
							}
						}
					}
				}
			}
		}
	}
	t.Logf("%d printed references read back, %d with a problem", runs, bad)
}
