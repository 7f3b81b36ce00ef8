package certificates

import (
	"encoding/json"
	"fmt"
	"reflect"
	"time"

	"github.com/google/uuid"

	"github.com/zeugo/zeugo/backend/internal/generator"
)

// Section names a section of SPEC §5.1 as stored: the unit of reading,
// writing, versions, change tracking and handover grants.
type Section string

// The sections in the order of SPEC §5.1.
const (
	SecData            Section = "data"
	SecPersonal        Section = "personal"
	SecCompany         Section = "company"
	SecCertificateData Section = "certificate_data"
	SecFurther         Section = "further"
	SecSignatures      Section = "signatures"
	SecCareer          Section = "career"
	SecStations        Section = "stations"
	SecTasks           Section = "tasks"
	SecAdditionalTasks Section = "additional_tasks"
	SecTrainings       Section = "trainings"
	SecAuthorities     Section = "authorities"
	SecPerformance     Section = "performance"
	SecConduct         Section = "conduct"
	SecQualifications  Section = "qualifications"
	SecSuccesses       Section = "successes"
	SecResult          Section = "result"
)

// Sections lists every section in order.
var Sections = []Section{SecData, SecPersonal, SecCompany, SecCertificateData, SecFurther, SecSignatures, SecCareer,
	SecStations, SecTasks, SecAdditionalTasks, SecTrainings, SecAuthorities, SecPerformance, SecConduct,
	SecQualifications, SecSuccesses, SecResult}

// Date is a calendar date (zero: not given); JSON "YYYY-MM-DD" or null.
type Date = generator.Date

// Data (Daten) is what kind of certificate this is.
type Data struct {
	Kind         generator.Kind `json:"kind"`
	Language     string         `json:"language"`
	JobProfileID string         `json:"jobProfileId,omitempty"`
	JobTitle     string         `json:"jobTitle,omitempty"`
}

// Personal (Persönliche Daten) is the person as the certificate names them.
type Personal struct {
	Salutation string `json:"salutation,omitempty"` // herr, frau, divers or "" (none)
	Title      string `json:"title,omitempty"`
	FirstName  string `json:"firstName"`
	LastName   string `json:"lastName"`
	BirthDate  Date   `json:"birthDate,omitzero"`
	Birthplace string `json:"birthplace,omitempty"`
	PrintBirth bool   `json:"printBirth,omitempty"`
}

// Company (Unternehmen) is the employer as the text describes it.
type Company struct {
	CompanyID   uuid.UUID `json:"companyId,omitzero"`
	Description string    `json:"description,omitempty"`
	Industry    string    `json:"industry,omitempty"`
	City        string    `json:"city,omitempty"`
	HeadCount   int       `json:"headCount,omitempty"`
}

// CertificateData (Zeugnisdaten) are the dates and reasons.
type CertificateData struct {
	EntryDate      Date   `json:"entryDate,omitzero"`
	ExitDate       Date   `json:"exitDate,omitzero"`
	IssueDate      Date   `json:"issueDate,omitzero"`
	ExitReason     string `json:"exitReason,omitempty"`    // generator.ExitReason values
	InterimReason  string `json:"interimReason,omitempty"` // generator.InterimReason values
	DiscloseReason bool   `json:"discloseReason,omitempty"`
}

// Further (Weitere Angaben).
type Further struct {
	Leader          bool   `json:"leader,omitempty"`
	TeamSize        int    `json:"teamSize,omitempty"`
	ExternalParties string `json:"externalParties,omitempty"`
	ExamChamber     string `json:"examChamber,omitempty"`
	TakenOn         bool   `json:"takenOn,omitempty"`
}

// Signatory is one person who signs: an employee of the tenant.
type Signatory struct {
	EmployeeID uuid.UUID `json:"employeeId"`
	Function   string    `json:"function,omitempty"`
	// Name is filled from the employee when read (never stored).
	Name string `json:"-"`
}

// Signatures (Unterschriften).
type Signatures struct {
	Signatories []Signatory `json:"signatories,omitempty"`
}

// Position is one position held.
type Position struct {
	From       Date   `json:"from"`
	To         Date   `json:"to,omitzero"`
	Title      string `json:"title"`
	Department string `json:"department,omitempty"`
}

// Career (Werdegang).
type Career struct {
	Positions []Position `json:"positions,omitempty"`
}

// Station is one department passed through.
type Station struct {
	From       Date   `json:"from"`
	To         Date   `json:"to,omitzero"`
	Department string `json:"department"`
}

// Stations (Stationen).
type Stations struct {
	Stations []Station `json:"stations,omitempty"`
}

// Tasks (Tätigkeiten): templates of the job profile and free text.
type Tasks struct {
	ProfileTaskIDs []string `json:"profileTaskIds,omitempty"`
	Tasks          []string `json:"tasks,omitempty"`
}

// TextList is a list of short texts (Zusatztätigkeiten, Erfolge).
type TextList struct {
	Items []string `json:"items,omitempty"`
}

// Training is one course or certificate.
type Training struct {
	Title    string `json:"title"`
	Provider string `json:"provider,omitempty"`
	Year     int    `json:"year,omitempty"`
}

// Trainings (Weiterbildungen).
type Trainings struct {
	Trainings []Training `json:"trainings,omitempty"`
}

// Authority is a power held (prokura, handlungsvollmacht, bankvollmacht,
// other with Name).
type Authority struct {
	Kind  string `json:"kind"`
	Name  string `json:"name,omitempty"`
	Since Date   `json:"since,omitzero"`
}

// Authorities (Vollmachten).
type Authorities struct {
	Authorities []Authority `json:"authorities,omitempty"`
}

// Performance (Bewertung Leistung): grades 1–5, 0 not rated.
type Performance struct {
	Willingness  int `json:"willingness,omitempty"`
	Ability      int `json:"ability,omitempty"`
	Knowledge    int `json:"knowledge,omitempty"`
	Learning     int `json:"learning,omitempty"`
	WorkingStyle int `json:"workingStyle,omitempty"`
	Results      int `json:"results,omitempty"`
	Leadership   int `json:"leadership,omitempty"`
	Exam         int `json:"exam,omitempty"`
	Overall      int `json:"overall,omitempty"`
}

// Conduct (Bewertung Verhalten).
type Conduct struct {
	Internal int `json:"internal,omitempty"`
	External int `json:"external,omitempty"`
}

// Qualifications (Qualifikationen): attribute ids of the catalogue.
type Qualifications struct {
	Personal     []string `json:"personal,omitempty"`
	Professional []string `json:"professional,omitempty"`
}

// Paragraph is one paragraph of the text with what was generated for it.
type Paragraph struct {
	Section string   `json:"section"`
	Heading string   `json:"heading,omitempty"`
	Text    string   `json:"text"`
	Items   []string `json:"items,omitempty"`
	// GeneratedText and GeneratedItems are the paragraph as last generated
	// ("" and nil for a paragraph a person added).
	GeneratedText  string   `json:"generatedText,omitempty"`
	GeneratedItems []string `json:"generatedItems,omitempty"`
}

// Edited reports whether the paragraph differs from what was generated.
func (p *Paragraph) Edited() bool {
	if p.Text != p.GeneratedText || len(p.Items) != len(p.GeneratedItems) {
		return true
	}
	for i := range p.Items {
		if p.Items[i] != p.GeneratedItems[i] {
			return true
		}
	}
	return false
}

// Result (Ergebnis) is the text and the checker's reading of it.
type Result struct {
	Paragraphs     []Paragraph `json:"paragraphs,omitempty"`
	CatalogVersion string      `json:"catalogVersion,omitempty"`
	// TenantCatalogVersion is the tenant's catalogue version the text was
	// generated with (0: the shipped default alone).
	TenantCatalogVersion int64     `json:"tenantCatalogVersion,omitempty"`
	GeneratedAt          time.Time `json:"generatedAt,omitzero"`
	// Check is the checker's reading, stored with every save.
	Check *TextCheck `json:"check,omitempty"`
}

// Content holds the sections; nil is a section not read (or not
// readable).
type Content struct {
	Data            *Data            `json:"data,omitempty"`
	Personal        *Personal        `json:"personal,omitempty"`
	Company         *Company         `json:"company,omitempty"`
	CertificateData *CertificateData `json:"certificateData,omitempty"`
	Further         *Further         `json:"further,omitempty"`
	Signatures      *Signatures      `json:"signatures,omitempty"`
	Career          *Career          `json:"career,omitempty"`
	Stations        *Stations        `json:"stations,omitempty"`
	Tasks           *Tasks           `json:"tasks,omitempty"`
	AdditionalTasks *TextList        `json:"additionalTasks,omitempty"`
	Trainings       *Trainings       `json:"trainings,omitempty"`
	Authorities     *Authorities     `json:"authorities,omitempty"`
	Performance     *Performance     `json:"performance,omitempty"`
	Conduct         *Conduct         `json:"conduct,omitempty"`
	Qualifications  *Qualifications  `json:"qualifications,omitempty"`
	Successes       *TextList        `json:"successes,omitempty"`
	Result          *Result          `json:"result,omitempty"`
}

// slot returns a pointer to the content's field of section s (a pointer
// to a pointer), so that storage can decode into and encode from it
// without a switch per use.
func (c *Content) slot(s Section) any {
	switch s {
	case SecData:
		return &c.Data
	case SecPersonal:
		return &c.Personal
	case SecCompany:
		return &c.Company
	case SecCertificateData:
		return &c.CertificateData
	case SecFurther:
		return &c.Further
	case SecSignatures:
		return &c.Signatures
	case SecCareer:
		return &c.Career
	case SecStations:
		return &c.Stations
	case SecTasks:
		return &c.Tasks
	case SecAdditionalTasks:
		return &c.AdditionalTasks
	case SecTrainings:
		return &c.Trainings
	case SecAuthorities:
		return &c.Authorities
	case SecPerformance:
		return &c.Performance
	case SecConduct:
		return &c.Conduct
	case SecQualifications:
		return &c.Qualifications
	case SecSuccesses:
		return &c.Successes
	case SecResult:
		return &c.Result
	}
	panic(fmt.Sprintf("certificates: unknown section %q", s))
}

// decode sets section s from its stored JSON.
func (c *Content) decode(s Section, b []byte) error {
	return json.Unmarshal(b, c.slot(s))
}

// encode returns section s as stored JSON ("null" when absent).
func (c *Content) encode(s Section) ([]byte, error) {
	return json.Marshal(c.slot(s))
}

// value is the content's field of section s (a pointer, nil when absent).
func (c *Content) value(s Section) reflect.Value { return reflect.ValueOf(c.slot(s)).Elem() }

// Has reports whether section s is present.
func (c *Content) Has(s Section) bool { return !c.value(s).IsNil() }

// clone is a deep copy (signatory names, which are not stored, are left
// out).
func (c *Content) clone() (Content, error) {
	var out Content
	b, err := json.Marshal(c)
	if err != nil {
		return out, err
	}
	err = json.Unmarshal(b, &out)
	return out, err
}

// copySection sets section s of c to a deep copy of src's.
func (c *Content) copySection(src *Content, s Section) error {
	b, err := src.encode(s)
	if err != nil {
		return err
	}
	var fresh Content
	if err := fresh.decode(s, b); err != nil {
		return err
	}
	c.value(s).Set(fresh.value(s))
	return nil
}

// Only returns the one section the content holds (an update carries
// exactly one), or "" when it holds none or several.
func (c *Content) Only() Section {
	var only Section
	for _, s := range Sections {
		if c.Has(s) {
			if only != "" {
				return ""
			}
			only = s
		}
	}
	return only
}

// Kind is the certificate's kind (final when the data section is absent).
func (c *Content) Kind() generator.Kind {
	if c.Data == nil {
		return generator.Final
	}
	return c.Data.Kind
}
