package generator

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/zeugo/zeugo/backend/internal/catalog"
)

// Problem is one thing wrong or missing in the facts: the JSON path of the
// field and a message for a person, in German and English.
type Problem struct {
	Path string `json:"path"` // JSON path of the field, e.g. "ratings.wissen"
	De   string `json:"de"`   // message in German
	En   string `json:"en"`   // message in English
}

// ValidationError lists every problem found in the facts; Generate returns
// it instead of a partial text.
type ValidationError struct {
	Problems []Problem `json:"problems"` // every problem found
}

// Error joins the English messages.
func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		parts[i] = p.Path + ": " + p.En
	}
	return "invalid facts: " + strings.Join(parts, "; ")
}

type problems []Problem

func (ps *problems) add(path, de, en string, args ...any) {
	*ps = append(*ps, Problem{Path: path, De: fmt.Sprintf(de, args...), En: fmt.Sprintf(en, args...)})
}

// has reports whether a problem was already recorded for one of the paths,
// so that one missing value is not reported twice.
func (ps problems) has(paths ...string) bool {
	for _, p := range ps {
		for _, q := range paths {
			if p.Path == q {
				return true
			}
		}
	}
	return false
}

var validExit = map[ExitReason]bool{ExitOwnWish: true, ExitMutual: true, ExitFixedTerm: true, ExitEmployer: true, ExitEndTraining: true, ExitRetirement: true, ExitOther: true}

var validInterim = map[InterimReason]bool{InterimOwnRequest: true, InterimSupervisorChange: true, InterimReorganisation: true, InterimTransfer: true, InterimParentalLeave: true, InterimPromotion: true, InterimOther: true}

var validAuthority = map[string]bool{"prokura": true, "handlungsvollmacht": true, "bankvollmacht": true, "other": true}

// Validate checks the facts against the library and returns a
// *ValidationError listing every problem, or nil.
func Validate(f *Facts, lib *Library) error {
	var ps problems
	lang := f.Language
	if _, ok := lib.Phrases[lang]; !ok || lib.Catalog.Letters[lang] == nil {
		ps.add("language", "Sprache %q wird nicht unterstützt (de oder en).", "language %q is not supported (de or en).", lang)
		lang = "" // text checks below are skipped
	}
	switch f.Kind {
	case Final, Interim, Apprenticeship, Simple:
	case "":
		ps.add("kind", "Die Zeugnisart fehlt.", "the kind of reference is missing.")
	default:
		ps.add("kind", "Unbekannte Zeugnisart %q (final, interim, apprenticeship, simple).", "unknown kind %q (final, interim, apprenticeship, simple).", f.Kind)
	}
	needText := func(path string, t Text, whatDe, whatEn string) {
		if lang == "" {
			return
		}
		if t.IsZero() {
			ps = append(ps, Problem{Path: path, De: whatDe + " fehlt.", En: whatEn + " is missing."})
			return
		}
		if _, ok := t.In(lang); !ok {
			ps = append(ps, Problem{Path: path,
				De: fmt.Sprintf("%s fehlt in der Sprache %q.", whatDe, lang),
				En: fmt.Sprintf("%s is missing in language %q.", whatEn, lang)})
		}
	}
	optText := func(path string, t Text, whatDe, whatEn string) {
		if !t.IsZero() {
			needText(path, t, whatDe, whatEn)
		}
	}

	// person
	switch f.Person.Salutation {
	case Herr, Frau, Divers, NoneSal:
	case "":
		ps.add("person.salutation", "Die Anrede fehlt (herr, frau, divers oder none).", "the salutation is missing (herr, frau, divers or none).")
	default:
		ps.add("person.salutation", "Unbekannte Anrede %q (herr, frau, divers oder none).", "unknown salutation %q (herr, frau, divers or none).", f.Person.Salutation)
	}
	if strings.TrimSpace(f.Person.FirstName) == "" {
		ps.add("person.firstName", "Der Vorname fehlt.", "the first name is missing.")
	}
	if strings.TrimSpace(f.Person.LastName) == "" {
		ps.add("person.lastName", "Der Nachname fehlt.", "the last name is missing.")
	}
	for _, fld := range []struct{ path, v string }{{"person.firstName", f.Person.FirstName}, {"person.lastName", f.Person.LastName}, {"person.title", f.Person.Title}, {"person.birthPlace", f.Person.BirthPlace}, {"company.name", f.Company.Name}, {"company.city", f.Company.City[catalog.AnyLanguage]}, {"location.city", f.Location.City[catalog.AnyLanguage]}} {
		if strings.ContainsAny(fld.v, "{}\n\r\t") || !utf8.ValidString(fld.v) {
			ps.add(fld.path, "Enthält unzulässige Zeichen ({, }, Zeilenumbruch oder Tabulator).", "contains characters that are not allowed ({, }, line break or tab).")
		}
	}
	if f.Person.PrintBirth && f.Person.BirthDate.IsZero() {
		ps.add("person.birthDate", "Das Geburtsdatum soll gedruckt werden, fehlt aber.", "the birth date is to be printed but is missing.")
	}
	if !f.Person.BirthDate.IsZero() && !f.EntryDate.IsZero() && !f.Person.BirthDate.Before(f.EntryDate.Time) {
		ps.add("person.birthDate", "Das Geburtsdatum liegt nicht vor dem Eintrittsdatum.", "the birth date is not before the entry date.")
	}
	if strings.TrimSpace(f.Company.Name) == "" {
		ps.add("company.name", "Der Name des Unternehmens fehlt.", "the company name is missing.")
	}
	if f.Company.Employees < 0 {
		ps.add("company.employees", "Die Zahl der Beschäftigten darf nicht negativ sein.", "the number of employees must not be negative.")
	}
	optText("company.description", f.Company.Description, "Die Unternehmensbeschreibung", "the company description")
	optText("company.industry", f.Company.Industry, "Die Branche", "the industry")
	optText("company.city", f.Company.City, "Der Sitz des Unternehmens", "the company's city")
	optText("location.city", f.Location.City, "Der Ort des Standorts", "the location's city")
	if lang != "" && f.Place(lang) == "" && !ps.has("company.city", "location.city") {
		// A reference is dated with its place ("Köln, 30. Juni 2025"); a bare
		// date looks unfinished, so refuse rather than print one.
		ps.add("company.city", "Der Ort für die Datumszeile fehlt: company.city (Sitz des Unternehmens) oder location.city (Standort) angeben.",
			"the place for the date line is missing: give company.city (the company's seat) or location.city (the work location).")
	}

	// dates
	if f.EntryDate.IsZero() {
		ps.add("entryDate", "Das Eintrittsdatum fehlt.", "the entry date is missing.")
	}
	switch f.Kind {
	case Interim:
		if !f.ExitDate.IsZero() {
			ps.add("exitDate", "Ein Zwischenzeugnis hat kein Austrittsdatum.", "an interim reference has no exit date.")
		}
		if f.IssueDate.IsZero() {
			ps.add("issueDate", "Das Ausstellungsdatum des Zwischenzeugnisses fehlt.", "the issue date of the interim reference is missing.")
		} else if !f.EntryDate.IsZero() && f.IssueDate.Before(f.EntryDate.Time) {
			ps.add("issueDate", "Das Ausstellungsdatum liegt vor dem Eintrittsdatum.", "the issue date is before the entry date.")
		}
		if f.ExitReason != "" {
			ps.add("exitReason", "Ein Zwischenzeugnis hat keinen Austrittsgrund.", "an interim reference has no exit reason.")
		}
		if f.InterimReason == "" {
			ps.add("interimReason", "Der Anlass des Zwischenzeugnisses fehlt.", "the reason for the interim reference is missing.")
		} else if !validInterim[f.InterimReason] {
			ps.add("interimReason", "Unbekannter Anlass %q.", "unknown interim reason %q.", f.InterimReason)
		}
	case Final, Apprenticeship, Simple:
		if f.ExitDate.IsZero() {
			ps.add("exitDate", "Das Austrittsdatum fehlt.", "the exit date is missing.")
		} else if !f.EntryDate.IsZero() && f.ExitDate.Before(f.EntryDate.Time) {
			ps.add("exitDate", "Das Austrittsdatum liegt vor dem Eintrittsdatum.", "the exit date is before the entry date.")
		}
		if f.InterimReason != "" {
			ps.add("interimReason", "Nur ein Zwischenzeugnis hat einen Anlass.", "only an interim reference has an interim reason.")
		}
		if f.DiscloseReason {
			ps.add("discloseReason", "discloseReason gilt nur für den Anlass eines Zwischenzeugnisses.", "discloseReason applies to the reason of an interim reference only.")
		}
		switch {
		case f.ExitReason == "" && f.Kind != Simple:
			ps.add("exitReason", "Der Austrittsgrund fehlt.", "the exit reason is missing.")
		case f.ExitReason == "":
		case !validExit[f.ExitReason]:
			ps.add("exitReason", "Unbekannter Austrittsgrund %q.", "unknown exit reason %q.", f.ExitReason)
		case f.ExitReason == ExitEndTraining && f.Kind != Apprenticeship:
			ps.add("exitReason", "„Ende der Ausbildung“ gibt es nur beim Ausbildungszeugnis.", "\"end of training\" applies to an apprenticeship reference only.")
		case f.ExitReason == ExitRetirement && f.Kind == Apprenticeship:
			ps.add("exitReason", "Ein Ausbildungsverhältnis endet nicht durch Ruhestand.", "an apprenticeship does not end with retirement.")
		case f.ExitReason == ExitFixedTerm && f.Kind == Apprenticeship:
			ps.add("exitReason", "Ein Ausbildungsverhältnis endet mit der Ausbildung, nicht durch Befristung: end_of_training verwenden.", "an apprenticeship ends with the training, not a fixed term: use end_of_training.")
		}
	}

	// job and tasks
	if f.JobTitle.IsZero() && f.JobProfile == "" {
		ps.add("jobTitle", "Die Tätigkeitsbezeichnung fehlt (jobTitle oder jobProfile).", "the job title is missing (jobTitle or jobProfile).")
	}
	optText("jobTitle", f.JobTitle, "Die Tätigkeitsbezeichnung", "the job title")
	nTasks := len(f.Tasks)
	if f.JobProfile != "" {
		p, ok := lib.Catalog.Profile(f.JobProfile)
		if !ok {
			ps.add("jobProfile", "Unbekanntes Berufsbild %q.", "unknown job profile %q.", f.JobProfile)
		} else {
			// A tenant's own profile may lack the text of a language
			// (the catalogue warns of it); a reference in that language
			// names what is missing instead of printing a gap.
			if lang != "" && f.JobTitle.IsZero() && p.Title[lang].N == "" {
				ps.add("jobProfile", "Das Berufsbild %q hat keinen Titel in der Sprache %s.", "job profile %q has no title in language %s.", f.JobProfile, lang)
			}
			for _, t := range p.Tasks {
				if _, ok := t.Text.In(lang); lang != "" && !ok && (len(f.ProfileTasks) == 0 || slices.Contains(f.ProfileTasks, t.ID)) {
					ps.add("profileTasks", "Die Aufgabe %q des Berufsbilds %q hat keinen Text in der Sprache %s.", "task %q of job profile %q has no text in language %s.", t.ID, f.JobProfile, lang)
				}
			}
			if len(f.ProfileTasks) == 0 {
				nTasks += len(p.Tasks)
			}
			for i, id := range f.ProfileTasks {
				if _, ok := p.Task(id); !ok {
					ps.add(fmt.Sprintf("profileTasks[%d]", i), "Das Berufsbild %q hat keine Aufgabe %q.", "job profile %q has no task %q.", f.JobProfile, id)
				} else {
					nTasks++
				}
			}
		}
	} else if len(f.ProfileTasks) > 0 {
		ps.add("profileTasks", "Aufgaben aus einem Berufsbild setzen jobProfile voraus.", "profile tasks need a jobProfile.")
	}
	if nTasks == 0 {
		ps.add("tasks", "Es ist keine Aufgabe angegeben (tasks oder jobProfile).", "no task is given (tasks or jobProfile).")
	}
	for i, t := range f.Tasks {
		needText(fmt.Sprintf("tasks[%d]", i), t, "Der Aufgabentext", "the task text")
	}
	for i, t := range f.AdditionalTasks {
		needText(fmt.Sprintf("additionalTasks[%d]", i), t, "Der Aufgabentext", "the task text")
	}
	for i, s := range f.Stations {
		p := fmt.Sprintf("stations[%d]", i)
		if s.From.IsZero() {
			ps.add(p+".from", "Der Beginn der Station fehlt.", "the start of the position is missing.")
		} else if !s.To.IsZero() && s.To.Before(s.From.Time) {
			ps.add(p+".to", "Das Ende der Station liegt vor ihrem Beginn.", "the position ends before it starts.")
		}
		needText(p+".title", s.Title, "Die Bezeichnung der Station", "the title of the position")
		optText(p+".department", s.Department, "Die Abteilung", "the department")
	}
	for i, t := range f.Trainings {
		needText(fmt.Sprintf("trainings[%d].title", i), t.Title, "Der Titel der Weiterbildung", "the title of the training")
	}
	for i, a := range f.Authorities {
		p := fmt.Sprintf("authorities[%d]", i)
		if !validAuthority[a.Kind] {
			ps.add(p+".kind", "Unbekannte Vollmacht %q (prokura, handlungsvollmacht, bankvollmacht, other).", "unknown authority %q (prokura, handlungsvollmacht, bankvollmacht, other).", a.Kind)
		}
		if a.Kind == "other" {
			needText(p+".name", a.Name, "Die Bezeichnung der Vollmacht", "the name of the authority")
		}
	}
	for i, s := range f.Successes {
		needText(fmt.Sprintf("successes[%d]", i), s, "Der Erfolg", "the achievement")
	}
	for i, s := range f.Signatories {
		if strings.TrimSpace(s.Name) == "" {
			ps.add(fmt.Sprintf("signatories[%d].name", i), "Der Name des Unterzeichnenden fehlt.", "the signatory's name is missing.")
		}
		optText(fmt.Sprintf("signatories[%d].function", i), s.Function, "Die Funktion", "the function")
	}
	optText("externalParties", f.ExternalParties, "Die Bezeichnung der externen Partner", "the external parties")
	if f.TeamSize < 0 {
		ps.add("teamSize", "Die Teamgröße darf nicht negativ sein.", "the team size must not be negative.")
	}
	if f.TeamSize > 0 && !f.Leader {
		ps.add("teamSize", "Eine Teamgröße setzt leader = true voraus.", "a team size needs leader = true.")
	}

	// ratings
	r := f.Ratings
	all := []struct {
		path string
		g    Grade
	}{
		{"ratings.bereitschaft", r.Bereitschaft}, {"ratings.befaehigung", r.Befaehigung}, {"ratings.wissen", r.Wissen},
		{"ratings.weiterbildung", r.Weiterbildung}, {"ratings.arbeitsweise", r.Arbeitsweise}, {"ratings.arbeitserfolg", r.Arbeitserfolg},
		{"ratings.fuehrungserfolg", r.Fuehrungserfolg}, {"ratings.verhaltenIntern", r.VerhaltenIntern}, {"ratings.verhaltenExtern", r.VerhaltenExtern},
		{"ratings.abschlusspruefung", r.Abschlusspruefung}, {"overall", f.Overall},
	}
	anyRated := false
	for _, c := range all {
		if c.g != NotRated && !c.g.Rated() {
			ps.add(c.path, "Die Note %d liegt nicht zwischen 1 und 5 (0 = nicht bewertet).", "grade %d is not between 1 and 5 (0 = not rated).", int(c.g))
		}
		if c.g.Rated() {
			anyRated = true
		}
	}
	if f.Kind == Simple {
		if anyRated {
			ps.add("ratings", "Ein einfaches Zeugnis enthält keine Bewertung.", "a simple reference contains no rating.")
		}
		if len(f.PersonalAttributes)+len(f.ProfessionalAttributes) > 0 {
			ps.add("personalAttributes", "Ein einfaches Zeugnis nennt keine Eigenschaften.", "a simple reference names no attributes.")
		}
		if len(f.Successes) > 0 {
			ps.add("successes", "Ein einfaches Zeugnis nennt keine Erfolge.", "a simple reference names no achievements.")
		}
		if len(f.Trainings) > 0 {
			ps.add("trainings", "Ein einfaches Zeugnis nennt keine Weiterbildungen.", "a simple reference names no further training.")
		}
	}
	if r.Fuehrungserfolg != NotRated && !f.Leader {
		ps.add("ratings.fuehrungserfolg", "Führungserfolg kann nur bei einer Führungskraft (leader = true) bewertet werden.", "leadership success can only be rated for a leader (leader = true).")
	}
	if r.Abschlusspruefung != NotRated && f.Kind != Apprenticeship {
		ps.add("ratings.abschlusspruefung", "Das Ergebnis der Abschlussprüfung gehört nur in ein Ausbildungszeugnis.", "the final exam result belongs in an apprenticeship reference only.")
	}
	if !f.ExamChamber.IsZero() && f.Kind != Apprenticeship {
		ps.add("examChamber", "Eine prüfende Kammer gibt es nur beim Ausbildungszeugnis.", "an examining chamber applies to an apprenticeship reference only.")
	}
	optText("examChamber", f.ExamChamber, "Die prüfende Kammer", "the examining chamber")
	if f.TakenOn && f.Kind != Apprenticeship {
		ps.add("takenOn", "Eine Übernahme nach der Ausbildung gibt es nur beim Ausbildungszeugnis.", "being taken on after training applies to an apprenticeship reference only.")
	}
	if f.Kind.Qualified() {
		if f.OverallGrade() == NotRated {
			ps.add("overall", "Ein qualifiziertes Zeugnis braucht eine Gesamtnote oder mindestens eine bewertete Leistungskategorie; ohne Bewertung die Zeugnisart simple wählen.", "a qualified reference needs an overall grade or at least one rated performance category; without any rating use kind simple.")
		}
		if !r.VerhaltenIntern.Rated() {
			ps.add("ratings.verhaltenIntern", "Das Verhalten gegenüber Vorgesetzten und Kollegen muss bewertet sein; ein qualifiziertes Zeugnis ohne diese Aussage wäre selbst eine versteckte Wertung.", "conduct towards superiors and colleagues must be rated; a qualified reference without it would itself send a hidden signal.")
		}
	}
	for i, id := range f.PersonalAttributes {
		if a, ok := lib.Catalog.Attribute(id); !ok || a.Kind != "personal" {
			ps.add(fmt.Sprintf("personalAttributes[%d]", i), "Unbekannte persönliche Eigenschaft %q.", "unknown personal attribute %q.", id)
		} else if _, ok := a.Name.In(lang); lang != "" && !ok {
			ps.add(fmt.Sprintf("personalAttributes[%d]", i), "Die Eigenschaft %q hat keinen Namen in der Sprache %s.", "attribute %q has no name in language %s.", id, lang)
		}
	}
	for i, id := range f.ProfessionalAttributes {
		if a, ok := lib.Catalog.Attribute(id); !ok || a.Kind != "professional" {
			ps.add(fmt.Sprintf("professionalAttributes[%d]", i), "Unbekannte fachliche Eigenschaft %q.", "unknown professional attribute %q.", id)
		} else if _, ok := a.Name.In(lang); lang != "" && !ok {
			ps.add(fmt.Sprintf("professionalAttributes[%d]", i), "Die Eigenschaft %q hat keinen Namen in der Sprache %s.", "attribute %q has no name in language %s.", id, lang)
		}
	}
	if len(ps) > 0 {
		return &ValidationError{Problems: ps}
	}
	return nil
}

// sensitiveNames names the sensitive interim reasons in the warning.
var sensitiveNames = map[InterimReason][2]string{
	InterimParentalLeave: {"Elternzeit", "parental leave"},
}

// Warnings lists what valid facts make the text say that HR should confirm
// before issuing it: today a sensitive interim reason printed because
// DiscloseReason is set. They are not errors — the employee may well have
// asked for it — so Generate writes the text and copies them into
// Document.Warnings, and `zeugo render` prints them on stderr.
func Warnings(f *Facts) []Problem {
	var ps problems
	if f.Kind == Interim && f.DiscloseReason && f.InterimReason.Sensitive() {
		n := sensitiveNames[f.InterimReason]
		ps = append(ps, Problem{Path: "discloseReason",
			De: "Das Zeugnis nennt als Anlass „" + n[0] + "“. Das ist nur zulässig, wenn die Person es ausdrücklich wünscht; ohne discloseReason steht dort ein neutraler Anlass.",
			En: "the reference names \"" + n[1] + "\" as its reason. This is only allowed when the employee expressly asks for it; without discloseReason a neutral reason is printed."})
	}
	return ps
}
