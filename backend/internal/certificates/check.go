package certificates

import (
	"fmt"
	"math"

	"github.com/zeugo/zeugo/backend/internal/generator"
	"github.com/zeugo/zeugo/backend/internal/textcheck"
)

// Finding kinds beyond the checker's own (textcheck.KindCode, KindGender,
// KindTense): a grade the text conveys other than the ratings', and what a
// whole qualified reference lacks.
const (
	FindingGrade   = "grade"
	FindingMissing = "missing"
)

// TextFinding is one thing the checker found; Paragraph is the index in
// Result.Paragraphs, -1 for the text as a whole.
type TextFinding struct {
	Kind      string `json:"kind"`
	Code      string `json:"code,omitempty"`
	Fragment  string `json:"fragment,omitempty"`
	Sentence  string `json:"sentence,omitempty"`
	De        string `json:"de"`
	En        string `json:"en"`
	Paragraph int    `json:"paragraph"`
}

// ParagraphCheck is the grade a paragraph conveys and the grade its
// ratings call for (0: none).
type ParagraphCheck struct {
	Index    int    `json:"index"`
	Section  string `json:"section"`
	Grade    int    `json:"grade,omitempty"`
	Expected int    `json:"expected,omitempty"`
}

// TextCheck is the checker's reading of a text against the certificate's
// ratings (SPEC §5.1 "Checker").
type TextCheck struct {
	Paragraphs      []ParagraphCheck `json:"paragraphs,omitempty"`
	Findings        []TextFinding    `json:"findings,omitempty"`
	Overall         int              `json:"overall,omitempty"`
	ExpectedOverall int              `json:"expectedOverall,omitempty"`
	// NeedsConfirmation: a coded phrase, or a grade other than the
	// ratings'; issuing then needs a reason (SPEC §5.1).
	NeedsConfirmation bool `json:"needsConfirmation,omitempty"`
}

// expectations are the grades the ratings call for, per checked section
// (textcheck section names), as means: a paragraph reads right when its
// grade rounds from them.
func expectations(c *Content) (overall int, per map[string]float64) {
	per = map[string]float64{}
	if c.Kind() == generator.Simple {
		return 0, per
	}
	f := facts("", c, Employer{})
	overall = int(f.OverallGrade())
	if overall > 0 {
		per[textcheck.SecPerformance] = float64(overall)
	}
	mean := func(gs ...generator.Grade) float64 {
		sum, n := 0, 0
		for _, g := range gs {
			if g.Rated() {
				sum += int(g)
				n++
			}
		}
		if n == 0 {
			return 0
		}
		return float64(sum) / float64(n)
	}
	if m := mean(f.Ratings.VerhaltenIntern, f.Ratings.VerhaltenExtern); m > 0 {
		per[textcheck.SecConduct] = m
	}
	if g := f.Ratings.Fuehrungserfolg; g.Rated() {
		per[textcheck.SecLeadership] = float64(g)
	}
	if g := f.Ratings.Abschlusspruefung; g.Rated() {
		per[textcheck.SecExam] = float64(g)
	}
	return overall, per
}

// gradeNames are the German and English school grades.
var gradeNames = [6][2]string{{}, {"sehr gut", "very good"}, {"gut", "good"}, {"befriedigend", "satisfactory"},
	{"ausreichend", "sufficient"}, {"mangelhaft", "poor"}}

// checkText reads paragraphs as the certificate's text: its language,
// gender, tense (kind) and names frame the reading, its ratings say what
// each graded paragraph should convey.
func checkText(c *Content, employer Employer, paras []Paragraph) (*TextCheck, error) {
	lang, kind, gender := "de", c.Kind(), "n"
	if c.Data != nil {
		lang = c.Data.Language
	}
	var names []string
	if p := c.Personal; p != nil {
		gender = string(salutationOf(p.Salutation).Gender())
		names = append(names, p.FirstName, p.LastName)
	}
	if employer.Name != "" {
		names = append(names, employer.Name)
	}
	if s := c.Signatures; s != nil {
		for _, sg := range s.Signatories {
			names = append(names, sg.Name)
		}
	}
	in := make([]textcheck.Paragraph, len(paras))
	for i, p := range paras {
		in[i] = textcheck.Paragraph{Section: p.Section, Text: p.Text, Items: p.Items}
	}
	rep, err := textcheck.Check(in, textcheck.Options{Language: lang, Gender: gender, Kind: string(kind), Names: names, Whole: len(paras) > 0})
	if err != nil {
		return nil, err
	}
	overall, per := expectations(c)
	out := &TextCheck{Overall: rep.Overall, ExpectedOverall: overall}
	add := func(f textcheck.Finding, para int) {
		out.Findings = append(out.Findings, TextFinding{Kind: f.Kind, Code: f.Code, Fragment: f.Fragment, Sentence: f.Sentence,
			De: f.De, En: f.En, Paragraph: para})
		if f.Kind == textcheck.KindCode {
			out.NeedsConfirmation = true
		}
	}
	for i, pr := range rep.Paragraphs {
		idx := pr.Index
		if idx < 0 || idx >= len(paras) {
			idx = i
		}
		pc := ParagraphCheck{Index: idx, Section: pr.Section, Grade: pr.Grade}
		if want, ok := per[pr.Section]; ok {
			pc.Expected = int(math.Round(want))
			if pr.Grade > 0 && math.Abs(float64(pr.Grade)-want) > 0.5 {
				out.NeedsConfirmation = true
				out.Findings = append(out.Findings, TextFinding{Kind: FindingGrade, Paragraph: idx,
					De: fmt.Sprintf("Der Absatz liest sich wie die Note „%s“, die Bewertung ergibt „%s“.", gradeNames[clampGrade(pr.Grade)][0], gradeNames[clampGrade(pc.Expected)][0]),
					En: fmt.Sprintf("the paragraph reads as grade \"%s\"; the ratings call for \"%s\".", gradeNames[clampGrade(pr.Grade)][1], gradeNames[clampGrade(pc.Expected)][1])})
			}
		}
		out.Paragraphs = append(out.Paragraphs, pc)
		for _, f := range pr.Findings {
			add(f, idx)
		}
	}
	for _, f := range rep.Document {
		if f.Kind == "" {
			f.Kind = FindingMissing
		}
		add(f, -1)
	}
	if overall > 0 && rep.Overall > 0 && rep.Overall != overall && !hasGradeFinding(out, textcheck.SecPerformance) {
		out.NeedsConfirmation = true
		out.Findings = append(out.Findings, TextFinding{Kind: FindingGrade, Paragraph: -1,
			De: fmt.Sprintf("Die Gesamtbewertung im Text entspricht „%s“, die Bewertung ergibt „%s“.", gradeNames[clampGrade(rep.Overall)][0], gradeNames[overall][0]),
			En: fmt.Sprintf("the overall statement reads as \"%s\"; the ratings call for \"%s\".", gradeNames[clampGrade(rep.Overall)][1], gradeNames[overall][1])})
	}
	return out, nil
}

func hasGradeFinding(c *TextCheck, section string) bool {
	for _, f := range c.Findings {
		if f.Kind == FindingGrade && f.Paragraph >= 0 && f.Paragraph < len(c.Paragraphs) {
			for _, p := range c.Paragraphs {
				if p.Index == f.Paragraph && p.Section == section {
					return true
				}
			}
		}
	}
	return false
}

func clampGrade(g int) int { return min(max(g, 0), 5) }
