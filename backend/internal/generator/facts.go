package generator

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/zeugo/zeugo/backend/internal/catalog"
)

// Text is a free text in one or more languages; see catalog.Text. In JSON it
// is a plain string (valid for every language) or {"de": "…", "en": "…"}.
type Text = catalog.Text

// Kind is the kind of reference.
type Kind string

// The four kinds of SPEC §5.1.
const (
	// Final is the Endzeugnis, written in the past tense and dated on the last
	// day of employment.
	Final Kind = "final"
	// Interim is the Zwischenzeugnis, written in the present tense, with a
	// reason and a forward-looking close instead of an exit sentence.
	Interim Kind = "interim"
	// Apprenticeship is the Ausbildungszeugnis (past tense, with the exam).
	Apprenticeship Kind = "apprenticeship"
	// Simple is the einfaches Zeugnis: type and duration of employment only,
	// no rating vocabulary at all.
	Simple Kind = "simple"
)

// Qualified reports whether the kind carries an assessment of performance
// and conduct.
func (k Kind) Qualified() bool { return k == Final || k == Interim || k == Apprenticeship }

// Salutation is how the person is addressed; it decides pronouns, forms of
// address and the job title's grammatical gender.
type Salutation string

// Salutations. Divers and None lead to wording with the name and without
// gendered pronouns, Herr or Frau.
const (
	Herr    Salutation = "herr"
	Frau    Salutation = "frau"
	Divers  Salutation = "divers"
	NoneSal Salutation = "none"
)

// Gender maps the salutation to the grammatical form used in the text.
func (s Salutation) Gender() catalog.Gender {
	switch s {
	case Herr:
		return catalog.Masculine
	case Frau:
		return catalog.Feminine
	}
	return catalog.Neutral
}

// ExitReason is why the employment ends. Only own wish, mutual agreement,
// end of a fixed term, end of training and retirement are ever named in the
// text; the employer's decision and "other" lead to a sentence without a
// reason.
type ExitReason string

// Exit reasons.
const (
	ExitOwnWish     ExitReason = "own_wish"
	ExitMutual      ExitReason = "mutual"
	ExitFixedTerm   ExitReason = "end_of_fixed_term"
	ExitEmployer    ExitReason = "employer"
	ExitEndTraining ExitReason = "end_of_training"
	ExitRetirement  ExitReason = "retirement"
	ExitOther       ExitReason = "other"
)

// InterimReason is why an interim reference is issued; the text states it,
// unless the reason is sensitive (see Sensitive).
type InterimReason string

// Interim reasons.
const (
	InterimOwnRequest       InterimReason = "own_request"
	InterimSupervisorChange InterimReason = "supervisor_change"
	InterimReorganisation   InterimReason = "reorganisation"
	InterimTransfer         InterimReason = "transfer"
	InterimParentalLeave    InterimReason = "parental_leave"
	InterimPromotion        InterimReason = "promotion"
	InterimOther            InterimReason = "other"
)

// Sensitive reports whether naming the reason would disclose a protected
// part of the employee's private life. A reference must not mention parental
// leave (nor illness, pregnancy or works-council membership, which the
// library has no reason for) unless the employee asks for it (BAG case law on
// Elternzeit, AGG), so Generate writes a neutral reason instead unless
// Facts.DiscloseReason is set.
func (r InterimReason) Sensitive() bool { return r == InterimParentalLeave }

// Grade is a rating on the German 1–5 scale (1 sehr gut … 5 mangelhaft);
// 0 means "not rated" and is what an absent JSON field decodes to.
type Grade int

// NotRated is the zero Grade.
const NotRated Grade = 0

// Rated reports whether g is a grade from 1 to 5.
func (g Grade) Rated() bool { return g >= 1 && g <= 5 }

// Date is a calendar date without time of day; JSON "YYYY-MM-DD".
type Date struct{ time.Time }

// NewDate returns the date y-m-d.
func NewDate(y int, m time.Month, d int) Date { return Date{time.Date(y, m, d, 0, 0, 0, 0, time.UTC)} }

// ParseDate parses "YYYY-MM-DD".
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("date %q: want YYYY-MM-DD", s)
	}
	return Date{t}, nil
}

// UnmarshalJSON reads "YYYY-MM-DD"; null or "" is the zero date.
func (d *Date) UnmarshalJSON(b []byte) error {
	var s string
	if string(b) == "null" {
		*d = Date{}
		return nil
	}
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("date: want a string YYYY-MM-DD")
	}
	if strings.TrimSpace(s) == "" {
		*d = Date{}
		return nil
	}
	p, err := ParseDate(strings.TrimSpace(s))
	if err != nil {
		return err
	}
	*d = p
	return nil
}

// MarshalJSON writes "YYYY-MM-DD", or null for the zero date.
func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(d.Format(time.DateOnly))
}

// Person holds the personal data of the employee (section Persönliche Daten).
type Person struct {
	Salutation Salutation `json:"salutation"` // herr, frau, divers or none
	// Title is an academic title such as "Dr." or "Prof. Dr.".
	Title     string `json:"title,omitempty"`
	FirstName string `json:"firstName"`          // required
	LastName  string `json:"lastName"`           // required; double names with a hyphen
	BirthDate Date   `json:"birthDate,omitzero"` // printed only with PrintBirth
	// BirthPlace is printed together with the birth date.
	BirthPlace string `json:"birthPlace,omitempty"`
	// PrintBirth prints birth date and place; only when the employee wants it.
	PrintBirth bool `json:"printBirth,omitempty"`
}

// Company describes the employer (section Unternehmen).
type Company struct {
	Name string `json:"name"` // legal name, e.g. "Muster GmbH"
	// Description is a complete sentence (or several) written by HR that
	// introduces the company. When empty, a sentence is composed from
	// Industry, City and Employees.
	Description Text `json:"description,omitempty"`
	Industry    Text `json:"industry,omitempty"`  // e.g. "Maschinenbau"; used without a description
	City        Text `json:"city,omitempty"`      // seat of the company
	Employees   int  `json:"employees,omitempty"` // approximate head count; 0 leaves it out
}

// Location is the site the employee worked at (Standort) when it is not the
// company's seat.
type Location struct {
	// City is the location's town. The date line ("Hamburg, 31. März 2025")
	// uses it when the company has no city.
	City Text `json:"city,omitempty"`
}

// Station is one position held during the employment (Werdegang/Stationen).
type Station struct {
	From       Date `json:"from"`                 // first day in the position
	To         Date `json:"to,omitzero"`          // zero: still held
	Title      Text `json:"title"`                // position held
	Department Text `json:"department,omitempty"` // optional department
}

// Training is one further-training course (Weiterbildung).
type Training struct {
	Title    Text   `json:"title"`              // course or certificate
	Provider string `json:"provider,omitempty"` // optional training provider
	Year     int    `json:"year,omitempty"`     // optional year of completion
}

// Authority is a power the employee held (Vollmacht).
type Authority struct {
	// Kind is "prokura", "handlungsvollmacht", "bankvollmacht" or "other".
	Kind string `json:"kind"`
	// Name names an "other" authority as a noun phrase ("Einkaufsvollmacht").
	Name  Text `json:"name,omitempty"`
	Since Date `json:"since,omitzero"` // optional date it was granted
}

// Signatory signs the reference (section Unterschriften).
type Signatory struct {
	Name     string `json:"name"`               // full name with title
	Function Text   `json:"function,omitempty"` // e.g. "Geschäftsführerin"
}

// Ratings are the graded categories of SPEC §5.1; each is 1–5 or 0 (not
// rated, then the sentence is left out).
type Ratings struct {
	Bereitschaft    Grade `json:"bereitschaft,omitempty"`    // willingness, commitment
	Befaehigung     Grade `json:"befaehigung,omitempty"`     // abilities, grasp, judgement
	Wissen          Grade `json:"wissen,omitempty"`          // specialist knowledge
	Weiterbildung   Grade `json:"weiterbildung,omitempty"`   // willingness to learn
	Arbeitsweise    Grade `json:"arbeitsweise,omitempty"`    // way of working
	Arbeitserfolg   Grade `json:"arbeitserfolg,omitempty"`   // work results
	Fuehrungserfolg Grade `json:"fuehrungserfolg,omitempty"` // leadership success; leaders only
	VerhaltenIntern Grade `json:"verhaltenIntern,omitempty"` // conduct towards superiors and colleagues
	VerhaltenExtern Grade `json:"verhaltenExtern,omitempty"` // conduct towards customers and partners
	// Abschlusspruefung is the final exam result; apprenticeship only. Its
	// text names the grade literally (1 "sehr gut" … 5 "mangelhaft").
	Abschlusspruefung Grade `json:"abschlusspruefung,omitempty"`
}

// Facts is everything the generator needs to write one reference. It is the
// shape a stored certificate is mapped onto and the JSON read by
// `zeugo render --facts`. Free texts are Text values (one string for all
// languages, or per language).
type Facts struct {
	// Seed makes the choice among equivalent phrasings differ between
	// certificates: use the certificate id. Same seed and facts → same text.
	Seed     string `json:"seed,omitempty"`
	Kind     Kind   `json:"kind"`     // final, interim, apprenticeship or simple
	Language string `json:"language"` // "de" or "en"

	Person  Person  `json:"person"`  // the employee
	Company Company `json:"company"` // the employer
	// Location is the employee's work location; its city stands in the date
	// line when the company has none.
	Location Location `json:"location,omitzero"`

	EntryDate Date `json:"entryDate"` // first day of employment or training
	// ExitDate is the last day of employment (final, apprenticeship, simple).
	ExitDate Date `json:"exitDate,omitzero"`
	// IssueDate dates an interim reference; final references are dated on
	// ExitDate regardless.
	IssueDate Date `json:"issueDate,omitzero"`

	// JobTitle overrides the title from JobProfile; write it in the form that
	// matches the salutation.
	JobTitle Text `json:"jobTitle,omitempty"`
	// JobProfile is the id of a catalogue job profile (Berufsbild).
	JobProfile string `json:"jobProfile,omitempty"`
	// ProfileTasks selects task ids of JobProfile; empty selects all of them.
	ProfileTasks []string `json:"profileTasks,omitempty"`
	// Tasks are further task descriptions, written as noun phrases
	// ("Betreuung der Schlüsselkunden im Raum Nord").
	Tasks           []Text      `json:"tasks,omitempty"`
	AdditionalTasks []Text      `json:"additionalTasks,omitempty"` // Zusatztätigkeiten, noun phrases
	Stations        []Station   `json:"stations,omitempty"`        // Werdegang, in order
	Trainings       []Training  `json:"trainings,omitempty"`       // Weiterbildungen
	Authorities     []Authority `json:"authorities,omitempty"`     // Vollmachten
	// Successes are noun phrases, listed as particular achievements.
	Successes []Text `json:"successes,omitempty"`

	Ratings Ratings `json:"ratings"` // the graded categories
	// Overall is the overall performance grade; 0 derives it from the rated
	// categories (see DeriveOverall).
	Overall Grade `json:"overall,omitempty"`
	// PersonalAttributes and ProfessionalAttributes are catalogue attribute
	// ids that the text names.
	PersonalAttributes     []string `json:"personalAttributes,omitempty"`
	ProfessionalAttributes []string `json:"professionalAttributes,omitempty"` // named after the way of working

	// Leader marks a person with staff responsibility; only then may
	// Führungserfolg be rated.
	Leader   bool `json:"leader,omitempty"`
	TeamSize int  `json:"teamSize,omitempty"` // number of people led; 0 leaves it out
	// ExternalParties replaces "customers and business partners" in the
	// external-conduct sentence (e.g. "Patientinnen, Patienten und Angehörigen"),
	// in the dative plural for German.
	ExternalParties Text `json:"externalParties,omitempty"`

	ExitReason    ExitReason    `json:"exitReason,omitempty"`    // final and apprenticeship (optional in simple)
	InterimReason InterimReason `json:"interimReason,omitempty"` // interim only
	// DiscloseReason prints a sensitive interim reason (parental leave) as it
	// is. Without it the text gives a neutral reason, because a reference may
	// name parental leave only at the employee's express request; with it,
	// Warnings asks HR to make sure of that request.
	DiscloseReason bool `json:"discloseReason,omitempty"`

	// ExamChamber names the examining body ("Industrie- und Handelskammer
	// zu Köln"); apprenticeship only.
	ExamChamber Text `json:"examChamber,omitempty"`
	// TakenOn marks an apprentice who stays on as an employee.
	TakenOn bool `json:"takenOn,omitempty"`

	Signatories []Signatory `json:"signatories,omitempty"` // printed under the text
}

// DocumentDate is the date the reference carries: the last day of
// employment for final, apprenticeship and simple references, the issue date
// for an interim one.
func (f *Facts) DocumentDate() Date {
	if f.Kind == Interim {
		return f.IssueDate
	}
	return f.ExitDate
}

// Place is the town printed before the date: the company's city, else the
// location's city, in the language lang; empty when neither is known, which
// Validate refuses.
func (f *Facts) Place(lang string) string {
	for _, t := range []Text{f.Company.City, f.Location.City} {
		if s, ok := t.In(lang); ok && strings.TrimSpace(s) != "" {
			return strings.TrimSpace(s)
		}
	}
	return ""
}

// performanceCategories are the categories that make up the overall grade.
func (r Ratings) performance() []Grade {
	return []Grade{r.Bereitschaft, r.Befaehigung, r.Wissen, r.Weiterbildung, r.Arbeitsweise, r.Arbeitserfolg, r.Fuehrungserfolg}
}

// DeriveOverall computes the overall performance grade from the rated
// performance categories (Bereitschaft, Befähigung, Wissen, Weiterbildung,
// Arbeitsweise, Arbeitserfolg, Führungserfolg; conduct and exam do not
// count): the arithmetic mean rounded to the nearest grade, a tie (x.5)
// rounding to the better grade, as §109 GewO asks for benevolence. It returns
// NotRated when no category is rated.
func (r Ratings) DeriveOverall() Grade {
	sum, n := 0, 0
	for _, g := range r.performance() {
		if g.Rated() {
			sum += int(g)
			n++
		}
	}
	if n == 0 {
		return NotRated
	}
	// round half down (toward the better grade): floor((2*sum + n - 1) / (2n))
	// equals round-half-down of sum/n for positive values.
	return Grade((2*sum + n - 1) / (2 * n))
}

// OverallGrade is the explicit overall grade or, if absent, the derived one.
func (f *Facts) OverallGrade() Grade {
	if f.Overall.Rated() {
		return f.Overall
	}
	return f.Ratings.DeriveOverall()
}
