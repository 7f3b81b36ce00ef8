package generator_test

import (
	"fmt"

	"github.com/zeugo/zeugo/backend/internal/catalog"
	"github.com/zeugo/zeugo/backend/internal/generator"
)

var persons = []generator.Person{
	{Salutation: generator.Herr, Title: "Dr.", FirstName: "Jörg", LastName: "Weiß-Öztürk"},
	{Salutation: generator.Frau, FirstName: "Zoë", LastName: "O'Connor-Bäumer", BirthDate: generator.NewDate(1990, 2, 28), BirthPlace: "Saint-Étienne", PrintBirth: true},
	{Salutation: generator.Divers, FirstName: "Kim", LastName: "Nguyễn"},
	{Salutation: generator.NoneSal, FirstName: "Sascha", LastName: "Groß"},
}

var kinds = []generator.Kind{generator.Final, generator.Interim, generator.Apprenticeship, generator.Simple}

var exitReasons = []generator.ExitReason{generator.ExitOwnWish, generator.ExitFixedTerm, generator.ExitMutual, generator.ExitEmployer, generator.ExitOther, generator.ExitRetirement}

var interimReasons = []generator.InterimReason{generator.InterimOwnRequest, generator.InterimSupervisorChange, generator.InterimReorganisation, generator.InterimTransfer, generator.InterimParentalLeave, generator.InterimPromotion, generator.InterimOther}

// sample builds facts of a kind for a person with every category rated g.
func sample(kind generator.Kind, lang string, p generator.Person, g generator.Grade) generator.Facts {
	f := generator.Facts{
		Seed:        fmt.Sprintf("cert-%s-%s-%s-%d", kind, lang, p.LastName, g),
		Kind:        kind,
		Language:    lang,
		Person:      p,
		Company:     generator.Company{Name: "Brückner & Söhne GmbH", Industry: catalog.Text{"de": "Maschinenbau", "en": "mechanical engineering"}, City: catalog.Text{"de": "Köln", "en": "Cologne"}, Employees: 480},
		EntryDate:   generator.NewDate(2016, 3, 1),
		ExitDate:    generator.NewDate(2024, 5, 31),
		JobProfile:  "einkauf",
		Tasks:       []catalog.Text{{"de": "Einführung eines Lieferantenportals", "en": "introducing a supplier portal"}},
		Signatories: []generator.Signatory{{Name: "Dr. Friederike Groß", Function: catalog.Text{"de": "Geschäftsführerin", "en": "Managing Director"}}},
	}
	switch kind {
	case generator.Interim:
		f.ExitDate = generator.Date{}
		f.IssueDate = generator.NewDate(2024, 5, 31)
		f.InterimReason = interimReasons[int(g)%len(interimReasons)]
	case generator.Apprenticeship:
		f.EntryDate = generator.NewDate(2021, 8, 1)
		f.ExitDate = generator.NewDate(2024, 7, 15)
		f.JobProfile = "industriekaufmann"
		f.Tasks = nil
		f.ExitReason = generator.ExitEndTraining
		f.ExamChamber = catalog.Text{"de": "Industrie- und Handelskammer zu Köln", "en": "Cologne Chamber of Industry and Commerce"}
		f.TakenOn = g == 2
	case generator.Simple:
		f.ExitReason = exitReasons[int(g)%len(exitReasons)]
		return f
	default:
		f.ExitReason = exitReasons[int(g-1)%len(exitReasons)]
		if p.Salutation == generator.Frau && g == 2 {
			f.ExitReason = generator.ExitRetirement
		}
	}
	f.Ratings = generator.Ratings{
		Bereitschaft: g, Befaehigung: g, Wissen: g, Weiterbildung: g, Arbeitsweise: g, Arbeitserfolg: g,
		VerhaltenIntern: g, VerhaltenExtern: g,
	}
	if kind == generator.Apprenticeship {
		f.Ratings.Abschlusspruefung = g
	}
	if kind == generator.Final && g <= 3 {
		f.Leader = true
		f.TeamSize = 4 + int(g)
		f.Ratings.Fuehrungserfolg = g
		f.ProfessionalAttributes = []string{"verhandlung", "kostenbewusstsein"}
		f.PersonalAttributes = []string{"hilfsbereitschaft"}
	}
	return f
}
