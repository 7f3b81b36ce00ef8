// Package textcheck reads a German or English employment reference —
// generated or edited by hand — the way an experienced HR reader would: it
// reports for every paragraph the grade the wording conveys, every coded
// phrase (§109 GewO forbids hidden codes), and pronouns, forms of address or
// verb tenses that do not fit the person and the kind of reference.
//
// It is the oracle of the generator's round-trip tests and warns HR users
// when a hand edit changed what the certificate says (see Compare). Its
// knowledge lives in embedded data files (lexicon/*.json), independent of
// the generator's phrase library.
package textcheck

import (
	"regexp"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Section names, the same strings as the generator's sections. An empty
// section means "unknown": the checker then guesses from the wording.
const (
	SecTitle         = "title"
	SecIntro         = "intro"
	SecCompany       = "company"
	SecStations      = "stations"
	SecTasks         = "tasks"
	SecAdditional    = "additional_tasks"
	SecAuthorities   = "authorities"
	SecTraining      = "training"
	SecPerformance   = "performance"
	SecSuccesses     = "successes"
	SecLeadership    = "leadership"
	SecConduct       = "conduct"
	SecExam          = "exam"
	SecExit          = "exit"
	SecInterimReason = "interim_reason"
	SecClosing       = "closing"
	SecOther         = "other"
	// SecSignature is the date line and signature block under a pasted text.
	SecSignature = "signature"
)

// Paragraph is one paragraph of the text to check. Items are list entries
// (tasks, achievements) that follow the paragraph's lead-in text.
type Paragraph struct {
	Section string   `json:"section,omitempty"`
	Text    string   `json:"text"`
	Items   []string `json:"items,omitempty"`
}

// Options say what the text should be: its language, the person's
// grammatical gender ("m" for Herr, "f" for Frau, "n" for divers or no
// salutation) and the kind of reference ("final", "interim",
// "apprenticeship", "simple"), which decides the expected tense.
type Options struct {
	Language string `json:"language"`
	Gender   string `json:"gender"`
	Kind     string `json:"kind"`
	// Names are the person's (and signatories') names. Their words are
	// masked before reading, so that a Herr Weiß is no present-tense "weiß"
	// and a Frau Gut no grade 3.
	Names []string `json:"names,omitempty"`
	// Whole says the paragraphs are a complete reference, so that what is
	// missing counts too (a qualified reference without overall formula or
	// conduct statement reads as a poor one).
	Whole bool `json:"whole,omitempty"`
}

// masker replaces the letters of name words by "X", keeping every other
// byte, so that the masked text has the same length and punctuation as the
// original: the checker reads the masked text and quotes the original.
type masker []nameRe

type nameRe struct {
	part string
	re   *regexp.Regexp
	with byte // 'X' for a person, 'Q' for the employer
}

var nameRes sync.Map // name part → *regexp.Regexp, compiled once

// notNames are the words of a name that are not the person's: titles and
// legal forms ("Dr.", "GmbH"), which the checker needs to see.
var notNames = map[string]bool{
	"dr": true, "prof": true, "med": true, "dipl": true, "ing": true, "rer": true, "nat": true, "phil": true,
	"gmbh": true, "ag": true, "kg": true, "co": true, "se": true, "ohg": true, "ug": true, "gbr": true, "ev": true,
	"ltd": true, "inc": true, "llc": true, "plc": true, "und": true, "and": true,
	"mr": true, "ms": true, "mrs": true, "herr": true, "frau": true, "von": true, "van": true, "de": true, "der": true,
}

func newMasker(names []string) masker {
	var m masker
	seen := map[string]bool{}
	for _, n := range names {
		n = strings.ToValidUTF8(n, " ")
		with := byte('X')
		if isCompanyName(n) {
			with = 'Q'
		}
		for _, part := range strings.FieldsFunc(n, func(r rune) bool { return !unicode.IsLetter(r) }) {
			if utf8.RuneCountInString(part) < 2 || seen[part] || notNames[strings.ToLower(part)] {
				continue
			}
			seen[part] = true
			re, ok := nameRes.Load(part)
			if !ok {
				re, _ = nameRes.LoadOrStore(part, regexp.MustCompile(`(?:^|[^\p{L}])(`+regexp.QuoteMeta(part)+`)(?:$|[^\p{L}])`))
			}
			m = append(m, nameRe{part, re.(*regexp.Regexp), with})
		}
	}
	return m
}

// isCompanyName reports whether a name is an employer's: it has a legal
// form or an ampersand ("Brückner & Söhne GmbH").
func isCompanyName(n string) bool {
	if strings.Contains(n, "&") {
		return true
	}
	for _, w := range strings.FieldsFunc(strings.ToLower(n), func(r rune) bool { return !unicode.IsLetter(r) }) {
		switch w {
		case "gmbh", "ag", "kg", "se", "ohg", "ug", "gbr", "ev", "ltd", "inc", "llc", "plc", "kgaa", "mbh", "corp", "group", "gruppe", "holding":
			return true
		}
	}
	return false
}

func (m masker) mask(s string) string {
	var b []byte
	for _, n := range m {
		if !strings.Contains(s, n.part) {
			continue
		}
		if b == nil {
			b = []byte(s)
		}
		// twice: adjacent matches share a boundary character
		for range 2 {
			for _, loc := range n.re.FindAllSubmatchIndex(b, -1) {
				for i := loc[2]; i < loc[3]; i++ {
					b[i] = n.with
				}
			}
		}
	}
	if b == nil {
		return s
	}
	return string(b)
}

// Finding kinds.
const (
	KindCode   = "code"
	KindGender = "gender"
	KindTense  = "tense"
)

// Finding is one problem in the text: a coded phrase, a wrong-gender or a
// wrong-tense fragment.
type Finding struct {
	Kind string `json:"kind"`
	// Code names the kind of coded phrase (effort, minimum, negation,
	// sociability, works_council, superficial, health, self_interest,
	// dismissal, intensity, order, superiors_missing, rating_in_simple).
	Code     string `json:"code,omitempty"`
	Fragment string `json:"fragment"`
	Sentence string `json:"sentence"`
	De       string `json:"de"`
	En       string `json:"en"`
}

// SentenceReport is the grade one sentence conveys and the grade words that
// carry it.
type SentenceReport struct {
	Text    string   `json:"text"`
	Grade   int      `json:"grade,omitempty"`
	Markers []string `json:"markers,omitempty"`
	// Overall marks the overall-performance formula ("… zu unserer vollsten
	// Zufriedenheit").
	Overall bool `json:"overall,omitempty"`
	// Exam marks a literal exam grade („Note gut“).
	Exam bool `json:"exam,omitempty"`
	// stets: the sentence says "stets"; lifted: a marker's grade is the
	// better one because of it ("stets gut" is grade 2).
	stets, lifted bool
}

// ParagraphReport is what the checker read in one paragraph.
type ParagraphReport struct {
	Index   int    `json:"index"`
	Section string `json:"section"`
	// Grade is the grade the paragraph conveys: the overall formula if it has
	// one, else the mean of its graded sentences (0: no grading language).
	Grade     int              `json:"grade,omitempty"`
	Sentences []SentenceReport `json:"sentences,omitempty"`
	Findings  []Finding        `json:"findings,omitempty"`
}

// Closing describes the closing formula.
type Closing struct {
	Present bool `json:"present"`
	Regret  bool `json:"regret"`
	Thanks  bool `json:"thanks"`
	Wishes  bool `json:"wishes"`
}

// Report is the result of reading a whole reference.
type Report struct {
	Language   string            `json:"language"`
	Paragraphs []ParagraphReport `json:"paragraphs"`
	// Overall is the grade of the overall-performance formula (0 if none).
	Overall int     `json:"overall,omitempty"`
	Closing Closing `json:"closing"`
	// Document holds findings about the text as a whole (set when
	// Options.Whole is true): a qualified reference without overall
	// formula, conduct statement or closing formula.
	Document []Finding `json:"document,omitempty"`
}

// Findings returns all findings of all paragraphs.
func (r *Report) Findings() []Finding {
	var out []Finding
	for _, p := range r.Paragraphs {
		out = append(out, p.Findings...)
	}
	return append(out, r.Document...)
}

// Clean reports whether the text has no finding at all.
func (r *Report) Clean() bool { return len(r.Findings()) == 0 }

// Section returns the report of the first paragraph of a section.
func (r *Report) Section(s string) (ParagraphReport, bool) {
	for _, p := range r.Paragraphs {
		if p.Section == s {
			return p, true
		}
	}
	return ParagraphReport{}, false
}

var gradedSections = map[string]bool{SecPerformance: true, SecLeadership: true, SecConduct: true, SecExam: true, SecOther: true}

var tenseSections = map[string]bool{
	SecIntro: true, SecStations: true, SecTasks: true, SecAdditional: true, SecAuthorities: true,
	SecTraining: true, SecPerformance: true, SecSuccesses: true, SecLeadership: true, SecConduct: true,
	SecExam: true, SecOther: true,
}

// Check reads the paragraphs and reports what they convey. It is safe for
// concurrent use.
func Check(paras []Paragraph, opt Options) (*Report, error) {
	lx, err := lexiconFor(opt.Language)
	if err != nil {
		return nil, err
	}
	return lx.withMemo().check(paras, opt), nil
}

func (lx *lexicon) check(paras []Paragraph, opt Options) *Report {
	rep := &Report{Language: opt.Language}
	names := newMasker(opt.Names)
	masked := make([]string, len(paras))
	for i, p := range paras {
		if masked[i] = names.mask(p.Text); len(masked[i]) != len(p.Text) {
			masked[i] = p.Text
		}
	}
	secs := lx.sectionsOf(paras, masked)
	othersSeen, superiorsSeen, overallClean := false, false, false
	for i, p := range paras {
		sec := secs[i]
		pr := ParagraphReport{Index: i, Section: sec}
		if sec == SecClosing || ((sec == SecExit || sec == SecInterimReason) && lx.cues["closing"].MatchString(p.Text)) {
			rep.Closing = Closing{Present: true,
				Regret: lx.cues["regret"].MatchString(p.Text),
				Thanks: lx.cues["thanks"].MatchString(p.Text),
				Wishes: lx.cues["wishes"].MatchString(p.Text)}
		}
		text := masked[i]
		for _, sp := range lx.spans(text) {
			s, orig := text[sp[0]:sp[1]], p.Text[sp[0]:sp[1]]
			// A sentence about the employer (its seat, size, business) is in
			// the present tense in every kind of reference and its "seinen
			// Sitz" is the company's.
			company := sec == SecCompany || lx.aboutCompany(s)
			var sr SentenceReport
			graded := (gradedSections[sec] || opt.Kind == "simple") && !company && sec != SecSignature
			codes := lx.codes1(s, orig, sec)
			if company {
				codes = nil
			}
			if graded {
				sr = lx.grade(s)
				sr.Text = orig
				for _, c := range codes {
					if c.grade > 0 && !sr.Exam {
						sr.Grade = max(sr.Grade, c.grade)
					}
				}
				if sr.Grade > 0 && opt.Kind == "simple" && !sr.Exam {
					pr.Findings = append(pr.Findings, Finding{Kind: KindCode, Code: "rating_in_simple", Fragment: strings.Join(sr.Markers, ", "), Sentence: orig,
						De: "Ein einfaches Zeugnis darf keine Bewertung enthalten.", En: "a simple reference must not contain any rating."})
				}
				if sr.Grade >= 3 && sr.stets && !sr.lifted && !sr.Exam && len(codes) == 0 {
					pr.Findings = append(pr.Findings, Finding{Kind: KindCode, Code: "intensity", Fragment: orig, Sentence: orig,
						De: "„stets“ bei einer Aussage der Note 3 bis 5 verwischt die Bewertung.", En: "\"always\" in a statement of grade 3 to 5 blurs the rating."})
				}
				// The overall statement is the last one; a coded sentence
				// in the satisfaction form ("war stets bestrebt, … zu
				// unserer Zufriedenheit zu erledigen") counts only when
				// there is no other.
				if sr.Grade > 0 && sr.Overall && (len(codes) == 0 || !overallClean) {
					rep.Overall = sr.Grade
					overallClean = len(codes) == 0
				}
			} else {
				sr = SentenceReport{Text: orig}
			}
			pr.Sentences = append(pr.Sentences, sr)
			for _, c := range codes {
				pr.Findings = append(pr.Findings, c.Finding)
			}
			if sec != SecTitle && sec != SecSignature && !company {
				pr.Findings = append(pr.Findings, lx.genderSlips(s, orig, opt.Gender)...)
			}
			if tenseSections[sec] && !company {
				pr.Findings = append(pr.Findings, lx.tenseSlips(s, orig, opt.Kind)...)
			}
			if sec == SecConduct || (gradedSections[sec] && !company && lx.cues["conductCore"].MatchString(s)) {
				ranks := lx.partiesIn(s)
				for _, r := range ranks {
					if r.rank == 0 {
						superiorsSeen = true
					} else {
						othersSeen = true
					}
				}
				pr.Findings = append(pr.Findings, lx.orderSlips(ranks, orig)...)
			}
		}
		for _, it := range p.Items {
			mit := names.mask(it)
			if len(mit) != len(it) {
				mit = it
			}
			if sec != SecTitle && sec != SecCompany && sec != SecTasks && sec != SecAdditional {
				for _, c := range lx.codes1(mit, it, sec) {
					pr.Findings = append(pr.Findings, c.Finding)
				}
			}
		}
		pr.Grade = paragraphGrade(pr.Sentences)
		rep.Paragraphs = append(rep.Paragraphs, pr)
	}
	// Naming colleagues or customers but not the superiors is the code;
	// a conduct statement naming no one ("Sein persönliches Verhalten war
	// stets vorbildlich") is not.
	if opt.Kind != "simple" && othersSeen && !superiorsSeen {
		for i := range rep.Paragraphs {
			if rep.Paragraphs[i].Section == SecConduct || i == len(rep.Paragraphs)-1 {
				rep.Paragraphs[i].Findings = append(rep.Paragraphs[i].Findings, Finding{Kind: KindCode, Code: "superiors_missing",
					De: "Die Vorgesetzten fehlen in der Verhaltensbeurteilung; das gilt als Hinweis auf Konflikte.",
					En: "superiors are missing from the conduct assessment, which hints at conflicts."})
				break
			}
		}
	}
	if opt.Whole && opt.Kind != "simple" {
		rep.Document = lx.missing(rep)
	}
	return rep
}

// aboutCompany reports whether a sentence describes the employer rather
// than the person (its seat, size or business).
func (lx *lexicon) aboutCompany(s string) bool {
	if v, ok := lx.memo.get(s); ok && v.companySet {
		return v.company
	}
	v := lx.aboutCompany1(s)
	lx.memo.put(s, func(e *memoEntry) { e.company, e.companySet = v, true })
	return v
}

func (lx *lexicon) aboutCompany1(s string) bool {
	// most sentences name the person: that test is the cheaper one
	if p := lx.cues["person"]; p != nil && p.MatchString(s) {
		return false
	}
	re := lx.cues["company"]
	return re != nil && re.MatchString(s)
}

// missing reports what a complete qualified reference lacks.
func (lx *lexicon) missing(rep *Report) []Finding {
	var out []Finding
	add := func(code, de, en string) {
		out = append(out, Finding{Kind: KindCode, Code: code, De: de, En: en})
	}
	if rep.Overall == 0 {
		add("overall_missing", "Die zusammenfassende Leistungsbeurteilung („… zu unserer … Zufriedenheit“) fehlt; ein Leser wertet das als schlechte Note.",
			"the overall performance statement (\"… to our … satisfaction\") is missing, which a reader takes as a poor grade.")
	}
	if lx.conductGrade(rep) == 0 {
		add("conduct_missing", "Eine bewertende Aussage zum Verhalten fehlt; ein Leser wertet das als Hinweis auf Probleme.",
			"a graded statement on conduct is missing, which a reader takes as a hint at problems.")
	}
	if rep.Overall > 0 && rep.Overall <= 4 && !rep.Closing.Present {
		add("closing_missing", "Die Schlussformel fehlt, obwohl die Leistung nicht mangelhaft ist; das wirkt wie eine Abwertung.",
			"the closing formula is missing although performance is not poor, which reads as a downgrade.")
	}
	return out
}

// paragraphGrade is the last overall formula's grade if present, else the mean
// of the graded sentences rounded half toward the better grade.
func paragraphGrade(ss []SentenceReport) int {
	for i := len(ss) - 1; i >= 0; i-- {
		if ss[i].Overall && ss[i].Grade > 0 {
			return ss[i].Grade // the last overall statement, as for the report
		}
	}
	sum, n := 0, 0
	for _, s := range ss {
		if s.Grade > 0 {
			sum += s.Grade
			n++
		}
	}
	if n == 0 {
		return 0
	}
	return (2*sum + n - 1) / (2 * n)
}

// FromText splits a plain-text reference into paragraphs at blank lines;
// lines starting with a bullet become items of the paragraph before. A text
// without any blank line (pasted from a word processor or an e-mail, one
// line per paragraph) is split at line ends instead, joining lines that
// look hard-wrapped (a long line not ending a sentence). The sections are
// left empty for Check to guess.
func FromText(text string) []Paragraph {
	text = strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\r", "\n")
	lines := strings.Split(text, "\n")
	for i := range lines {
		lines[i] = strings.TrimSpace(lines[i])
	}
	blank, seen := false, false
	for _, ln := range lines {
		if ln != "" {
			seen = true
		} else if seen {
			blank = true
		}
	}
	var out []Paragraph
	var p *Paragraph
	var cur []string
	flush := func() {
		if p != nil {
			p.Text = strings.Join(cur, " ")
			out = append(out, *p)
		}
		p, cur = nil, nil
	}
	for _, ln := range lines {
		if ln == "" {
			if blank {
				flush()
			}
			continue
		}
		if t, ok := cutBullet(ln); ok {
			if p == nil {
				p = &Paragraph{}
			}
			p.Items = append(p.Items, t)
			continue
		}
		if p != nil && !blank && (len(p.Items) > 0 || !hardWrapped(cur[len(cur)-1])) {
			flush()
		}
		if p != nil && len(p.Items) > 0 {
			flush() // text after a list starts a new paragraph
		}
		if p == nil {
			p = &Paragraph{}
		}
		cur = append(cur, ln)
	}
	flush()
	return out
}

// hardWrapped reports whether a line looks cut by a line wrap rather than
// ending a paragraph: long, and not ending a sentence or a lead-in.
func hardWrapped(ln string) bool {
	if utf8.RuneCountInString(ln) < 50 {
		return false
	}
	r, _ := utf8.DecodeLastRuneInString(ln)
	return !strings.ContainsRune(".!?:“”\"", r)
}

func cutBullet(ln string) (string, bool) {
	for _, b := range []string{"•", "-", "–", "*"} {
		if strings.HasPrefix(ln, b+" ") {
			return strings.TrimSpace(ln[len(b):]), true
		}
	}
	return ln, false
}

// sectionsOf returns the section of every paragraph: the given one, or a
// guess from wording and position for a pasted plain text (masked holds the
// texts with names masked).
func (lx *lexicon) sectionsOf(paras []Paragraph, masked []string) []string {
	out := make([]string, len(paras))
	closing, intro := -1, false
	for i, p := range paras {
		if p.Section != "" {
			out[i] = p.Section
			if p.Section == SecIntro {
				intro = true
			}
			continue
		}
		out[i] = lx.guessSection(p, masked[i], i, len(paras), intro, closing >= 0)
		switch out[i] {
		case SecIntro:
			intro = true
		case SecClosing:
			closing = i
		}
	}
	return out
}

// hasOverall reports whether a paragraph has an overall statement.
func (lx *lexicon) hasOverall(text string) bool {
	for _, s := range lx.sentences(text) {
		if lx.grade(s).Overall {
			return true
		}
	}
	return false
}

// dateLine matches a date line ("Köln, 31. Mai 2024", "Cologne, 31 May
// 2024") and a signature ("Dr. Friederike Weiß, Geschäftsführerin").
var dateLine = regexp.MustCompile(`^[\p{L} .()/-]*,?\s*(den\s+)?(\d{1,2}\.?\s*\p{L}+\.?\s+\d{4}|\d{1,2}\.\d{1,2}\.\d{2,4}|\p{L}+\s+\d{1,2},\s+\d{4})$`)

// guessSection classifies a paragraph without a section by its position
// and wording, so that a pasted plain text is read like a generated one.
func (lx *lexicon) guessSection(p Paragraph, text string, i, n int, introSeen, closingSeen bool) string {
	late := i >= n/2
	trimmed := strings.TrimSpace(text)
	words := len(strings.Fields(trimmed))
	endsSentence := strings.HasSuffix(trimmed, ".") || strings.HasSuffix(trimmed, "!") || strings.HasSuffix(trimmed, ":")
	switch {
	case trimmed == "":
		return SecOther
	case i == 0 && !strings.ContainsAny(trimmed, ".:") && words <= 6:
		return SecTitle
	case dateLine.MatchString(trimmed):
		return SecSignature
	case closingSeen && !endsSentence && words <= 12:
		return SecSignature
	case !introSeen && lx.hasOverall(text):
		// a reference written as one or two long paragraphs: the one with
		// the overall statement is read as performance
		return SecPerformance
	case !introSeen && lx.cues["intro"] != nil && lx.cues["intro"].MatchString(text):
		return SecIntro
	case !introSeen && i <= 1:
		return SecIntro
	case lx.cues["interimReason"].MatchString(text):
		return SecInterimReason
	case lx.cues["exam"].MatchString(text) && lx.examRe.MatchString(text):
		return SecExam
	}
	sents := lx.sentences(text)
	company := len(sents) > 0
	for _, s := range sents {
		if lx.grade(s).Overall {
			return SecPerformance
		}
		if !lx.aboutCompany(s) {
			company = false
		}
	}
	switch {
	case company:
		return SecCompany
	case len(p.Items) > 0 && strings.HasSuffix(trimmed, ":") && len(sents) <= 1:
		if lx.cues["training"] != nil && lx.cues["training"].MatchString(text) {
			return SecTraining
		}
		return SecTasks
	case late && lx.cues["closing"].MatchString(text) && !lx.cues["conduct"].MatchString(text):
		return SecClosing
	case late && lx.cues["exit"].MatchString(text):
		return SecExit
	case lx.cues["conduct"].MatchString(text):
		return SecConduct
	case lx.cues["leadership"].MatchString(text):
		return SecLeadership
	case lx.parties[0].MatchString(text) || lx.parties[1].MatchString(text):
		return SecConduct
	case late && lx.cues["closing"].MatchString(text):
		return SecClosing
	}
	return SecOther
}

// sentences splits a paragraph into sentences at . ! ? followed by a space
// and a capital letter or opening quote, except after numbers ("1. März"),
// single letters and known abbreviations ("Dr.").
func (lx *lexicon) sentences(text string) []string {
	var out []string
	for _, sp := range lx.spans(text) {
		out = append(out, text[sp[0]:sp[1]])
	}
	return out
}

// spans returns the byte ranges of the sentences of text (see sentences).
func (lx *lexicon) spans(text string) [][2]int {
	var out [][2]int
	add := func(a, b int) {
		for a < b && (text[a] == ' ' || text[a] == '\t' || text[a] == '\n') {
			a++
		}
		for b > a && (text[b-1] == ' ' || text[b-1] == '\t' || text[b-1] == '\n') {
			b--
		}
		if a < b {
			out = append(out, [2]int{a, b})
		}
	}
	start := 0
	for i := 0; i < len(text); i++ {
		c := text[i]
		if c != '.' && c != '!' && c != '?' {
			continue
		}
		if i+2 >= len(text) || text[i+1] != ' ' {
			continue
		}
		next, _ := utf8.DecodeRuneInString(text[i+2:])
		if !unicode.IsUpper(next) && next != '„' && next != '"' && next != '“' {
			continue
		}
		if c == '.' {
			w := lastWord(text[start:i])
			if w == "" || lx.abbrev[strings.ToLower(w)] || isNumber(w) || utf8.RuneCountInString(w) == 1 {
				continue
			}
		}
		add(start, i+1)
		start = i + 2
	}
	add(start, len(text))
	return out
}

func lastWord(s string) string {
	i := strings.LastIndexFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	return s[i+1:]
}

func isNumber(s string) bool {
	for _, r := range s {
		if !unicode.IsDigit(r) {
			return false
		}
	}
	return s != ""
}

// tokens lower-cases s and splits it into words.
func tokens(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// rawTokens splits s into words keeping case.
func rawTokens(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// normalise replaces intensifier synonyms ("jederzeit", "at all times") by
// the single token "stets" and reports whether there was one.
func (lx *lexicon) normalise(ts []string) ([]string, bool) {
	out := make([]string, 0, len(ts))
	found := false
	for i := 0; i < len(ts); {
		matched := false
		for _, in := range lx.intensifiers {
			if i+len(in) <= len(ts) && equalSeq(ts[i:i+len(in)], in) {
				out = append(out, "stets")
				i += len(in)
				matched, found = true, true
				break
			}
		}
		if !matched {
			out = append(out, ts[i])
			i++
		}
	}
	return out, found
}

func equalSeq(a, b []string) bool {
	for i := range b {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// grade decodes the grade one sentence conveys. A literal exam grade wins;
// otherwise restricting qualifiers ("im Großen und Ganzen", "korrekt") set
// the grade to the worst of them, and without any the best positive marker
// counts. Markers such as "vorbildlich" or "zu unserer vollen Zufriedenheit"
// are one grade better when the sentence says "stets".
func (lx *lexicon) grade(s string) SentenceReport {
	if v, ok := lx.memo.get(s); ok && v.graded {
		sr := v.grade
		sr.Markers = slices.Clone(sr.Markers)
		return sr
	}
	sr := lx.grade1(s)
	lx.memo.put(s, func(e *memoEntry) { e.grade, e.graded = sr, true })
	sr.Markers = slices.Clone(sr.Markers)
	return sr
}

func (lx *lexicon) grade1(s string) SentenceReport {
	sr := SentenceReport{Text: s}
	if m := lx.examRe.FindStringSubmatch(s); m != nil {
		if g, ok := lx.examGrades[strings.ToLower(m[1])]; ok {
			sr.Grade, sr.Exam, sr.Markers = g, true, []string{m[0]}
			return sr
		}
	}
	ts, stets := lx.normalise(tokens(s))
	sr.stets = stets
	best, worst := 0, 0
	bestLifted, worstLifted := false, false
	// "Mit seinen Leistungen waren wir stets außerordentlich zufrieden",
	// "Seine Leistungen fanden stets unsere volle Anerkennung": the overall
	// statement in its other common forms. Its degree word decides, not the
	// single words around it.
	for _, st := range lx.statements {
		if !st.re.MatchString(s) {
			continue
		}
		g, sg, m := st.grade, st.stets, ""
		for _, d := range st.degrees {
			if loc := d.re.FindStringIndex(s); loc != nil {
				g, sg, m = d.grade, d.stets, strings.TrimFunc(s[loc[0]:loc[1]], notLetter)
				break
			}
		}
		if stets {
			sr.lifted = sg < g
			g = sg
		}
		sr.Overall = true
		if m != "" {
			sr.Markers = append(sr.Markers, m)
		}
		for _, w := range lx.restrictIn(ts, stets) {
			worst = max(worst, w)
		}
		sr.Grade = max(g, worst)
		return sr
	}
	for i := 0; i < len(ts); {
		hit := false
		for _, m := range lx.markers {
			if i+len(m.tokens) > len(ts) || !strings.HasPrefix(ts[i], m.prefix) {
				continue
			}
			ok := true
			for k, re := range m.tokens {
				if !re.MatchString(ts[i+k]) {
					ok = false
					break
				}
			}
			if !ok {
				continue
			}
			g := m.grade
			if stets {
				g = m.stets
			}
			sr.Markers = append(sr.Markers, strings.Join(ts[i:i+len(m.tokens)], " "))
			if m.overall {
				sr.Overall = true
			}
			if m.restrict {
				if g > worst || (g == worst && g < m.grade) {
					worstLifted = g < m.grade
				}
				worst = max(worst, g)
			} else if best == 0 || g < best || (g == best && g < m.grade) {
				best, bestLifted = g, g < m.grade
			}
			i += len(m.tokens)
			hit = true
			break
		}
		if !hit {
			i++
		}
	}
	switch {
	case worst > 0:
		sr.Grade, sr.lifted = worst, worstLifted
	default:
		sr.Grade, sr.lifted = best, bestLifted
	}
	return sr
}

// restrictIn returns the grades of the restricting markers in ts.
func (lx *lexicon) restrictIn(ts []string, stets bool) []int {
	var out []int
	for i := 0; i < len(ts); i++ {
		for _, m := range lx.markers {
			if !m.restrict || m.overall || i+len(m.tokens) > len(ts) || !strings.HasPrefix(ts[i], m.prefix) {
				continue
			}
			ok := true
			for k, re := range m.tokens {
				if !re.MatchString(ts[i+k]) {
					ok = false
					break
				}
			}
			if ok {
				g := m.grade
				if stets {
					g = m.stets
				}
				out = append(out, g)
				i += len(m.tokens) - 1
				break
			}
		}
	}
	return out
}

// codeHit is a coded phrase found in a sentence and the grade it conveys
// (0: none of its own).
type codeHit struct {
	Finding
	grade int
}

func (lx *lexicon) codes1(s, orig, sec string) []codeHit {
	var out []codeHit
	ls := strings.ToLower(s)
	seen := map[string]bool{}
	for _, c := range lx.codes {
		if c.stems != nil && !containsAny(ls, c.stems) {
			continue
		}
		if c.sections != nil && !c.sections[sec] {
			continue
		}
		if c.needs != "" && (lx.cues[c.needs] == nil || !lx.cues[c.needs].MatchString(s)) {
			continue
		}
		if c.unless != "" && lx.cues[c.unless] != nil && lx.cues[c.unless].MatchString(s) {
			continue
		}
		if loc := c.re.FindStringIndex(s); loc != nil {
			frag := strings.TrimFunc(orig[loc[0]:loc[1]], notLetter)
			if seen[c.kind+frag] {
				continue
			}
			seen[c.kind+frag] = true
			out = append(out, codeHit{Finding{Kind: KindCode, Code: c.kind, Fragment: frag, Sentence: orig, De: c.de, En: c.en}, c.grade})
		}
	}
	return out
}

func notLetter(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }

// genderSlips finds pronouns, forms of address and job titles that
// contradict the expected gender. German "sie" and "ihr…" are also the
// plural ("die Auszubildenden … förderte sie", "ihre Kenntnisse"): they
// count as a slip only where they can only mean one person — "sie" next to
// a singular verb in a sentence without the person as subject, "ihr"
// standing alone (dative: "danken ihr"), a possessive opening the sentence
// or following a singular "sie".
func (lx *lexicon) genderSlips(s, orig, gender string) []Finding {
	bad := lx.gender[gender]
	if bad == nil {
		return nil
	}
	var out []Finding
	raw := rawTokens(s)
	low := make([]string, len(raw))
	for i, t := range raw {
		low[i] = strings.ToLower(t)
	}
	ambiguous := lx.lang == "de" && gender != "f"
	subject := false // the person appears as subject in the sentence
	for _, t := range low {
		if (gender == "m" && t == "er") || strings.HasPrefix(t, "xx") {
			subject = true
		}
	}
	singularSie := false
	for i, lt := range low {
		t := raw[i]
		if !bad[lt] {
			goto title
		}
		if ambiguous && lt == "sie" {
			if !lx.singularNear(low, i) || (subject && i > 0 && lx.isVerb(low[i-1])) {
				goto title
			}
			singularSie = true
		}
		if ambiguous && strings.HasPrefix(lt, "ihr") {
			pronoun := lt == "ihr" && (i+1 == len(raw) || !unicode.IsUpper([]rune(raw[i+1])[0]))
			if !pronoun && i != 0 && !singularSie {
				goto title
			}
		}
		out = append(out, Finding{Kind: KindGender, Fragment: t, Sentence: orig,
			De: "„" + t + "“ passt nicht zur Anrede der Person.", En: "\"" + t + "\" does not match the person's salutation."})
	title:
		if lx.titleAfter != "" && lt == lx.titleAfter && i+1 < len(raw) && gender != "n" {
			next := raw[i+1]
			nl := strings.ToLower(next)
			if !unicode.IsUpper([]rune(next)[0]) {
				continue
			}
			if (gender == "m" && lx.femTitle.MatchString(nl)) || (gender == "f" && lx.mascTitle.MatchString(nl) && !lx.femTitle.MatchString(nl)) {
				out = append(out, Finding{Kind: KindGender, Fragment: t + " " + next, Sentence: orig,
					De: "Die Berufsbezeichnung „" + next + "“ passt nicht zur Anrede.", En: "the job title \"" + next + "\" does not match the salutation."})
			}
		}
	}
	return out
}

// isVerb reports whether t is a finite verb form the lexicon knows.
func (lx *lexicon) isVerb(t string) bool { return lx.past[t] || lx.present[t] }

// singularNear reports whether the word before or after position i is a
// singular finite verb ("sie arbeitete", "erfasste sie").
func (lx *lexicon) singularNear(low []string, i int) bool {
	for _, k := range []int{i + 1, i - 1} {
		if k < 0 || k >= len(low) {
			continue
		}
		t := low[k]
		if lx.isVerb(t) && !strings.HasSuffix(t, "en") && !strings.HasSuffix(t, "nd") {
			return true
		}
	}
	return false
}

// tenseSlips finds verb forms of the wrong tense: present forms in a final
// or apprenticeship reference, past forms in an interim one. English past
// participles after an auxiliary ("has completed") are not past tense, and
// the writer's own present ("Besonders hervorzuheben ist", "wir bestätigen
// gern") is no statement about the person's time with the company.
func (lx *lexicon) tenseSlips(s, orig, kind string) []Finding {
	wrong, what, whatEn := lx.present, "Präsens", "present tense"
	if kind == "interim" {
		wrong, what, whatEn = lx.past, "Vergangenheitsform", "past tense"
	}
	if re := lx.cues["writer"]; re != nil && kind != "interim" {
		for _, loc := range re.FindAllStringIndex(s) {
			s = s[:loc[0]] + strings.Repeat(" ", loc[1]-loc[0]) + s[loc[1]:]
		}
	}
	var out []Finding
	ts := tokens(s)
	raw := rawTokens(s)
	perfect := false // an auxiliary: "erledigt" is then a participle
	for _, t := range ts {
		if germanAux[t] {
			perfect = true
		}
	}
	for i, t := range ts {
		if !wrong[t] && !(kind != "interim" && !perfect && lx.derived[t]) {
			continue
		}
		// a capitalised word inside a German sentence is a noun ("Waren")
		if lx.lang == "de" && i > 0 && len(raw) == len(ts) && unicode.IsUpper([]rune(raw[i])[0]) {
			continue
		}
		if kind == "interim" && i > 0 && lx.aux[ts[i-1]] {
			continue
		}
		if kind == "interim" && lx.lang == "en" && auxBefore(ts, i, lx.aux) {
			continue
		}
		out = append(out, Finding{Kind: KindTense, Fragment: t, Sentence: orig,
			De: "„" + t + "“ ist " + what + "; ein " + kindDe(kind) + " braucht eine andere Zeitform.",
			En: "\"" + t + "\" is " + whatEn + ", which does not fit a " + kindEn(kind) + " reference."})
	}
	return out
}

// germanAux are the auxiliaries of the German perfect and passive.
var germanAux = map[string]bool{"hat": true, "haben": true, "hatte": true, "hatten": true, "wurde": true, "wurden": true, "worden": true, "wird": true, "werden": true, "ist": true, "sind": true, "war": true, "waren": true}

func kindDe(k string) string {
	switch k {
	case "interim":
		return "Zwischenzeugnis"
	case "apprenticeship":
		return "Ausbildungszeugnis"
	}
	return "Endzeugnis"
}

func kindEn(k string) string {
	switch k {
	case "interim", "apprenticeship", "simple":
		return k
	}
	return "final"
}

// orderSlips checks that a conduct sentence names superiors before
// colleagues, colleagues before staff and all of them before customers.
func (lx *lexicon) orderSlips(hits []partyHit, orig string) []Finding {
	prev := -1
	for _, h := range hits {
		if h.rank < prev {
			return []Finding{{Kind: KindCode, Code: "order", Fragment: orig, Sentence: orig,
				De: "Die Reihenfolge Vorgesetzte – Kollegen – Kunden ist vertauscht; das gilt als Hinweis auf Probleme mit Vorgesetzten.",
				En: "the order superiors – colleagues – customers is reversed, which hints at problems with superiors."}}
		}
		prev = h.rank
	}
	return nil
}

// partyHit is a party named in a conduct sentence: its rank (0 superiors,
// 1 colleagues, 2 staff, 3 customers) and where it is first named.
type partyHit struct{ rank, pos int }

// partiesIn returns the parties a sentence names, in the order named.
// Customers are matched first and blanked, so that the "partners" of
// "business partners" are not also read as a law firm's partners.
func (lx *lexicon) partiesIn(s string) []partyHit {
	var hits []partyHit
	for _, loc := range lx.parties[3].FindAllStringIndex(s) {
		if len(hits) == 0 {
			hits = append(hits, partyHit{3, loc[0]})
		}
		s = s[:loc[0]] + strings.Repeat(" ", loc[1]-loc[0]) + s[loc[1]:]
	}
	for r, re := range lx.parties[:3] {
		if loc := re.FindStringIndex(s); loc != nil {
			hits = append(hits, partyHit{r, loc[0]})
		}
	}
	slices.SortStableFunc(hits, func(a, b partyHit) int { return a.pos - b.pos })
	return hits
}

// Change is a difference in what two versions of a text convey.
type Change struct {
	Section string `json:"section"`
	Before  int    `json:"before"`
	After   int    `json:"after"`
	De      string `json:"de"`
	En      string `json:"en"`
}

// Compare reports how an edited text differs in what it conveys from the
// original: changed paragraph grades, a changed overall grade, a changed
// closing formula and findings that are new.
func Compare(before, after *Report) []Change {
	var out []Change
	grades := func(r *Report) map[string]int {
		m := map[string]int{}
		for _, p := range r.Paragraphs {
			if p.Grade > 0 {
				m[p.Section] = p.Grade
			}
		}
		return m
	}
	gb, ga := grades(before), grades(after)
	for _, sec := range []string{SecPerformance, SecLeadership, SecConduct, SecExam, SecOther} {
		if gb[sec] != ga[sec] {
			out = append(out, Change{Section: sec, Before: gb[sec], After: ga[sec],
				De: "Die Bewertung dieses Abschnitts hat sich geändert.", En: "the grade conveyed by this section changed."})
		}
	}
	if before.Overall != after.Overall {
		out = append(out, Change{Section: SecPerformance, Before: before.Overall, After: after.Overall,
			De: "Die Gesamtbeurteilung hat sich geändert.", En: "the overall grade changed."})
	}
	if before.Closing != after.Closing {
		out = append(out, Change{Section: SecClosing, De: "Die Schlussformel hat sich geändert (Bedauern, Dank oder Wünsche).", En: "the closing formula changed (regret, thanks or wishes)."})
	}
	seen := map[string]bool{}
	for _, f := range before.Findings() {
		seen[f.Kind+f.Code+f.Fragment] = true
	}
	for _, f := range after.Findings() {
		if !seen[f.Kind+f.Code+f.Fragment] {
			out = append(out, Change{Section: "", De: "Neu: " + f.De, En: "new: " + f.En})
		}
	}
	return out
}

// auxBefore reports whether one of the three words before i is an English
// auxiliary ("has so far comprised", "has been granted").
func auxBefore(ts []string, i int, aux map[string]bool) bool {
	for k := i - 1; k >= 0 && k >= i-3; k-- {
		if aux[ts[k]] {
			return true
		}
	}
	return false
}

func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}
