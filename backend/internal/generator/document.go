package generator

import "strings"

// Section identifies a paragraph of the reference. Sections are the unit the
// checker reads and a hand edit replaces.
type Section string

// The sections in document order.
const (
	SecTitle         Section = "title"
	SecIntro         Section = "intro"
	SecCompany       Section = "company"
	SecStations      Section = "stations"
	SecTasks         Section = "tasks"
	SecAdditional    Section = "additional_tasks"
	SecAuthorities   Section = "authorities"
	SecTraining      Section = "training"
	SecPerformance   Section = "performance"
	SecSuccesses     Section = "successes"
	SecLeadership    Section = "leadership"
	SecConduct       Section = "conduct"
	SecExam          Section = "exam"
	SecExit          Section = "exit"
	SecInterimReason Section = "interim_reason"
	SecClosing       Section = "closing"
)

// AllSections lists every section in document order (title excluded).
var AllSections = []Section{
	SecIntro, SecCompany, SecStations, SecTasks, SecAdditional, SecAuthorities, SecTraining,
	SecPerformance, SecSuccesses, SecLeadership, SecConduct, SecExam, SecExit, SecInterimReason, SecClosing,
}

// Sentence is one generated sentence with the category and grade it was
// written for (zero for ungraded sentences).
type Sentence struct {
	Text     string   `json:"text"`               // the sentence as printed
	Category Category `json:"category,omitempty"` // graded category, if any
	Grade    Grade    `json:"grade,omitempty"`    // grade it was written for, if any
}

// Paragraph is one titled paragraph of the reference. Text is the running
// text; for a list paragraph it is the lead-in line and Items are the list
// entries.
type Paragraph struct {
	Section   Section    `json:"section"`             // what the paragraph is about
	Heading   string     `json:"heading"`             // section title in the document language
	Text      string     `json:"text"`                // running text or list lead-in
	Items     []string   `json:"items,omitempty"`     // list entries
	Sentences []Sentence `json:"sentences,omitempty"` // the sentences of Text
}

// SignatureLine is a signatory as printed under the text.
type SignatureLine struct {
	Name     string `json:"name"`               // as typed under the signature line
	Function string `json:"function,omitempty"` // in the document language
}

// Document is a generated reference: title, paragraphs in order, the date it
// carries and who signs it. The PDF renderer and the checker both read it.
type Document struct {
	Kind     Kind   `json:"kind"`     // kind of reference
	Language string `json:"language"` // "de" or "en"
	Title    string `json:"title"`    // "Arbeitszeugnis", "Zwischenzeugnis", …
	// Date is the date the reference carries (see Facts.DocumentDate).
	Date Date `json:"date"`
	// DateText is Date written out in the document's language.
	DateText string `json:"dateText"`
	// Place is the town before the date: the company's city, else the
	// location's (see Facts.Place).
	Place string `json:"place,omitempty"`
	// Subject is the employee's full name; Company the employer's name.
	Subject     string          `json:"subject"`
	Company     string          `json:"company"`               // employer, for metadata and letterhead
	Paragraphs  []Paragraph     `json:"paragraphs"`            // in document order
	Signatories []SignatureLine `json:"signatories,omitempty"` // for the signature block
	// Overall is the overall grade the text conveys (0 for a simple reference).
	Overall Grade `json:"overall,omitempty"`
	// Version names the catalogue and phrase data the text was written with
	// (see Library.Version).
	Version string `json:"version"`
	// Warnings are what HR should confirm before issuing the text (see
	// Warnings), in German and English; they never stop the text.
	Warnings []Problem `json:"warnings,omitempty"`
}

// Paragraph returns the paragraph of a section.
func (d *Document) Paragraph(s Section) (Paragraph, bool) {
	for _, p := range d.Paragraphs {
		if p.Section == s {
			return p, true
		}
	}
	return Paragraph{}, false
}

// DateLine is the line under the text, place and date ("Köln, 30. Juni
// 2025"). place, when not empty, replaces Document.Place (a PDF layout may
// name another one); the PDF and `zeugo render` both print this line.
func (d *Document) DateLine(place string) string {
	if strings.TrimSpace(place) == "" {
		place = d.Place
	}
	if place = strings.TrimSpace(place); place == "" {
		return d.DateText
	}
	return place + ", " + d.DateText
}

// Bullet is the list marker of list items in text and PDF.
const Bullet = "•"

// PlainText is the reference as plain text: the title, then the paragraphs
// separated by blank lines, list items one per line after a bullet. It is
// exactly the body the PDF prints.
func (d *Document) PlainText() string {
	var b strings.Builder
	b.WriteString(d.Title)
	for _, p := range d.Paragraphs {
		b.WriteString("\n\n")
		b.WriteString(p.Text)
		for _, it := range p.Items {
			b.WriteString("\n")
			b.WriteString(Bullet + " " + it)
		}
	}
	b.WriteString("\n")
	return b.String()
}
