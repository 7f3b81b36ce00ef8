package textcheck

import (
	"errors"
	"math"
	"strings"
	"unicode"
)

// Reading is what the checker makes of a reference that came without
// facts — pasted, uploaded, or received from another employer: the grade of
// every paragraph, coded phrases and slips (in Report), and one overall
// reading with its confidence. CheckText returns it; `zeugo check` prints
// it and the CertificateService uses it for uploaded or pasted texts.
type Reading struct {
	// Language, Gender ("m", "f", "n") and Kind ("final", "interim",
	// "apprenticeship", "simple") as given, or as read from the text.
	Language string `json:"language"`
	Gender   string `json:"gender"`
	Kind     string `json:"kind"`
	// Names are the person's name words the checker masked (given or read
	// from the introduction).
	Names []string `json:"names,omitempty"`
	// Guessed lists which of "language", "gender", "kind", "names" were read
	// from the text rather than given.
	Guessed []string `json:"guessed"`
	// Overall is the overall performance grade the text conveys (0: none
	// readable, e.g. a simple reference).
	Overall int `json:"overall"`
	// OverallFrom says where Overall comes from: "statement" (the overall
	// satisfaction statement), "paragraphs" (no statement: the mean of the
	// graded performance sentences) or "" (none).
	OverallFrom string `json:"overallFrom"`
	// Conduct is the grade of the conduct towards superiors and colleagues
	// (0: none stated).
	Conduct int `json:"conduct"`
	// Confidence (0–1) is how sure the reading is: lower without an overall
	// statement, when the performance sentences disagree with it, when codes
	// contradict the wording, or when the structure had to be guessed.
	Confidence float64 `json:"confidence"`
	// Codes are the coded phrases and structural signals (including a
	// missing overall statement, conduct statement or closing); Slips the
	// gender and tense slips.
	Codes []Finding `json:"codes"`
	Slips []Finding `json:"slips"`
	// Report is the full reading, paragraph by paragraph.
	Report *Report `json:"report"`
}

// CheckText reads a plain-text reference (paragraphs separated by blank
// lines, as `zeugo render` prints it or as pasted from a PDF) without
// facts. Options may leave Language, Gender, Kind and Names empty: they are
// then read from the text. The text is read as a complete reference
// (Options.Whole).
func CheckText(text string, opt Options) (*Reading, error) {
	if strings.TrimSpace(text) == "" {
		return nil, errors.New("textcheck: empty text")
	}
	rd := &Reading{Guessed: []string{}}
	if opt.Language == "" {
		opt.Language = GuessLanguage(text)
		rd.Guessed = append(rd.Guessed, "language")
	}
	base, err := lexiconFor(opt.Language)
	if err != nil {
		return nil, err
	}
	lx := base.withMemo()
	paras := FromText(text)
	if len(opt.Names) == 0 {
		opt.Names = lx.guessNames(paras)
		if len(opt.Names) > 0 {
			rd.Guessed = append(rd.Guessed, "names")
		}
	}
	masked := names(opt.Names).maskAll(paras)
	if opt.Gender == "" {
		opt.Gender = lx.guessGender(masked)
		rd.Guessed = append(rd.Guessed, "gender")
	}
	if opt.Kind == "" {
		opt.Kind = lx.guessKind(masked)
		rd.Guessed = append(rd.Guessed, "kind")
	}
	opt.Whole = true
	rep := lx.check(paras, opt)
	rd.Language, rd.Gender, rd.Kind, rd.Names, rd.Report = opt.Language, opt.Gender, opt.Kind, opt.Names, rep
	rd.Codes, rd.Slips = []Finding{}, []Finding{}
	for _, f := range rep.Findings() {
		if f.Kind == KindCode {
			rd.Codes = append(rd.Codes, f)
		} else {
			rd.Slips = append(rd.Slips, f)
		}
	}
	rd.Conduct = lx.conductGrade(rep)
	conf := 1.0
	perf := performanceMean(rep)
	switch {
	case rep.Overall > 0:
		rd.Overall, rd.OverallFrom = rep.Overall, "statement"
		if perf > 0 {
			conf -= 0.15 * math.Max(0, math.Abs(perf-float64(rep.Overall))-0.5)
		}
	case perf > 0 && opt.Kind != "simple":
		rd.Overall, rd.OverallFrom = int(math.Round(perf)), "paragraphs"
		conf -= 0.35
	default:
		conf -= 0.5
	}
	codes := 0
	for _, f := range rd.Codes {
		if !strings.HasSuffix(f.Code, "_missing") {
			codes++
		}
	}
	conf -= 0.05 * float64(min(codes, 4))
	if rd.Conduct == 0 && opt.Kind != "simple" {
		conf -= 0.1
	}
	for _, g := range rd.Guessed {
		if g == "kind" || g == "gender" {
			conf -= 0.05
		}
	}
	rd.Confidence = math.Round(math.Max(0.1, math.Min(1, conf))*100) / 100
	return rd, nil
}

// performanceMean is the mean grade of the graded sentences of the
// performance paragraphs other than the overall statement (0: none).
func performanceMean(rep *Report) float64 {
	sum, n := 0, 0
	for _, p := range rep.Paragraphs {
		if p.Section != SecPerformance && p.Section != SecOther {
			continue
		}
		for _, s := range p.Sentences {
			if s.Grade > 0 && !s.Overall && !s.Exam {
				sum += s.Grade
				n++
			}
		}
	}
	if n == 0 {
		return 0
	}
	return float64(sum) / float64(n)
}

// conductGrade is the grade of the conduct statement: the first graded
// sentence of a conduct paragraph that speaks of conduct or names superiors
// or colleagues, else the first graded sentence of a conduct paragraph, else
// such a sentence anywhere in a graded paragraph.
func (lx *lexicon) conductGrade(rep *Report) int {
	// the conduct statement proper ("Sein Verhalten … war stets
	// vorbildlich") first, then a sentence naming superiors or colleagues
	// ("bei Vorgesetzten und Kollegen sehr geschätzt"), then any.
	core, party, fallback := 0, 0, 0
	for _, p := range rep.Paragraphs {
		if p.Section != SecConduct {
			continue
		}
		for _, s := range p.Sentences {
			if s.Grade == 0 {
				continue
			}
			switch {
			case core == 0 && lx.cues["conductCore"] != nil && lx.cues["conductCore"].MatchString(s.Text):
				core = s.Grade
			case party == 0 && (lx.parties[0].MatchString(s.Text) || lx.parties[1].MatchString(s.Text)):
				party = s.Grade
			case fallback == 0:
				fallback = s.Grade
			}
		}
	}
	for _, g := range []int{core, party, fallback} {
		if g > 0 {
			return g
		}
	}
	for _, p := range rep.Paragraphs {
		if !gradedSections[p.Section] {
			continue
		}
		for _, s := range p.Sentences {
			if s.Grade > 0 && !s.Overall && lx.cues["conduct"].MatchString(s.Text) && (lx.parties[0].MatchString(s.Text) || lx.parties[1].MatchString(s.Text)) {
				return s.Grade
			}
		}
	}
	return 0
}

type names []string

func (n names) maskAll(paras []Paragraph) []string {
	m := newMasker(n)
	out := make([]string, len(paras))
	for i, p := range paras {
		out[i] = m.mask(p.Text)
	}
	return out
}

var (
	deWords = map[string]bool{"der": true, "die": true, "das": true, "und": true, "mit": true, "wir": true, "war": true, "ist": true, "für": true, "seine": true, "ihre": true, "unserer": true, "bei": true, "uns": true, "zu": true, "den": true, "sich": true, "stets": true}
	enWords = map[string]bool{"the": true, "and": true, "with": true, "we": true, "was": true, "is": true, "for": true, "his": true, "her": true, "our": true, "to": true, "of": true, "at": true, "always": true, "their": true, "has": true}
)

// GuessLanguage tells German from English by their commonest words.
func GuessLanguage(text string) string {
	de, en := 0, 0
	for _, t := range tokens(text) {
		if deWords[t] {
			de++
		}
		if enWords[t] {
			en++
		}
	}
	if en > de {
		return "en"
	}
	return "de"
}

var nameTitles = map[string]bool{"dr": true, "prof": true, "dipl": true, "ing": true, "med": true}

// guessNames reads the person's name from the introduction: the capitalised
// words after Herr/Frau/Mr/Ms (and titles), or else the first run of two or
// three capitalised words that are not at a sentence start nor month names.
func (lx *lexicon) guessNames(paras []Paragraph) []string {
	for i, p := range paras {
		if i > 2 {
			break
		}
		raw := strings.FieldsFunc(p.Text, func(r rune) bool {
			return unicode.IsSpace(r) || r == ',' || r == ';' || r == ':' || r == '(' || r == ')'
		})
		for k := 0; k < len(raw); k++ {
			w := strings.TrimRight(strings.TrimSuffix(strings.TrimSuffix(raw[k], "'s"), "’s"), ".")
			switch strings.ToLower(w) {
			case "herr", "herrn", "frau", "mr", "ms", "mrs", "mx":
				var out []string
				for j := k + 1; j < len(raw) && len(out) < 4; j++ {
					t := strings.TrimRight(raw[j], ".,;:")
					if nameTitles[strings.ToLower(t)] {
						continue
					}
					if t == "" || !unicode.IsUpper([]rune(t)[0]) || strings.HasSuffix(raw[j], ".") && len(out) > 0 {
						if t != "" && unicode.IsUpper([]rune(t)[0]) {
							out = append(out, strings.TrimSuffix(strings.TrimSuffix(t, "’s"), "'s"))
						}
						break
					}
					out = append(out, strings.TrimSuffix(strings.TrimSuffix(t, "’s"), "'s"))
				}
				if len(out) > 0 {
					return []string{strings.Join(out, " ")}
				}
			}
		}
	}
	// no form of address: a run of capitalised words in the introduction
	for i, p := range paras {
		if i > 2 || len(p.Items) > 0 {
			continue
		}
		if !strings.ContainsAny(p.Text, "0123456789") {
			continue // the introduction carries the dates
		}
		raw := strings.Fields(p.Text)
		for k := 0; k < len(raw); k++ {
			var run []string
			j := k
			for ; j < len(raw) && len(run) < 3; j++ {
				t := strings.Trim(raw[j], ".,;:()")
				t = strings.TrimSuffix(strings.TrimSuffix(t, "’s"), "'s")
				if t == "" || !unicode.IsUpper([]rune(t)[0]) || commonCapital[strings.ToLower(t)] || isNumber(t) {
					break
				}
				run = append(run, t)
				if strings.ContainsAny(raw[j], ".,;:") {
					j++
					break
				}
			}
			if len(run) >= 2 && !(k == 0 && commonCapital[strings.ToLower(run[0])]) {
				return []string{strings.Join(run, " ")}
			}
			if j > k {
				k = j - 1
			}
		}
	}
	return nil
}

// commonCapital are capitalised words of introductions that are no names.
var commonCapital = map[string]bool{
	"vom": true, "seit": true, "am": true, "im": true, "in": true, "bei": true, "als": true, "zum": true, "bis": true, "unser": true, "unsere": true, "unserem": true, "unserer": true, "wir": true, "die": true, "der": true, "das": true, "dem": true, "den": true,
	"januar": true, "februar": true, "märz": true, "april": true, "mai": true, "juni": true, "juli": true, "august": true, "september": true, "oktober": true, "november": true, "dezember": true,
	"january": true, "february": true, "march": true, "may": true, "june": true, "july": true, "october": true, "december": true,
	"from": true, "since": true, "on": true, "at": true, "as": true, "our": true, "we": true, "the": true, "until": true, "between": true, "after": true,
	"arbeitszeugnis": true, "zwischenzeugnis": true, "zeugnis": true, "ausbildungszeugnis": true, "employment": true, "reference": true, "interim": true, "unternehmen": true, "firma": true, "gmbh": true, "company": true, "ltd": true,
}

var (
	deMasc = map[string]bool{"er": true, "ihm": true, "ihn": true, "sein": true, "seine": true, "seinem": true, "seinen": true, "seiner": true, "seines": true, "herr": true, "herrn": true}
	deFem  = map[string]bool{"sie": true, "ihr": true, "ihre": true, "ihrem": true, "ihren": true, "ihrer": true, "ihres": true, "frau": true}
	enMasc = map[string]bool{"he": true, "him": true, "his": true, "himself": true, "mr": true}
	enFem  = map[string]bool{"she": true, "her": true, "hers": true, "herself": true, "ms": true, "mrs": true}
)

// guessGender reads the salutation: Herr/Frau (Mr/Ms) decide; without
// them, the majority of the person's pronouns; none gives "n".
func (lx *lexicon) guessGender(masked []string) string {
	m, f := 0, 0
	masc, fem := deMasc, deFem
	if lx.lang == "en" {
		masc, fem = enMasc, enFem
	}
	for _, t := range masked {
		for _, sen := range lx.sentences(t) {
			if lx.aboutCompany(sen) {
				continue // "Unser Haus hat seinen Sitz …"
			}
			ws := tokens(sen)
			named := false // the person is named in the sentence: a "sie" after a verb is its object
			for _, w := range ws {
				if strings.HasPrefix(w, "xx") {
					named = true
				}
			}
			for i, w := range ws {
				switch w {
				case "herr", "herrn", "mr":
					m += 100
				case "frau", "ms", "mrs":
					f += 100
				}
				if masc[w] {
					m++
				}
				// German "sie"/"ihre" are also plural: count them only
				// where they can only mean one person
				if fem[w] && (lx.lang != "de" || w == "frau" ||
					(w == "sie" && lx.singularNear(ws, i) && !(named && i > 0 && lx.isVerb(ws[i-1]))) ||
					(strings.HasPrefix(w, "ihr") && i == 0)) {
					f++
				}
			}
		}
	}
	switch {
	case m > 0 && (f == 0 || m > 2*f && m >= 2):
		return "m"
	case f > 0 && (m == 0 || f > 2*m && f >= 2):
		return "f"
	}
	return "n"
}

var (
	interimWords = []string{"zwischenzeugnis", "interim reference", "interim testimonial"}
	apprWords    = []string{"ausbildungszeugnis", "abschlussprüfung", "berufsausbildung", "ausbildung zu", "ausbildung als", "apprenticeship", "final examination"}
)

// guessKind reads the kind: the title or the exam says interim or
// apprenticeship; a text without any grading language is a simple
// reference; otherwise the tense decides between interim and final.
func (lx *lexicon) guessKind(masked []string) string {
	all := strings.Join(strings.Fields(lower(strings.Join(masked, "\n"))), " ")
	switch {
	case containsAny(all, interimWords):
		return "interim"
	case containsAny(all, apprWords):
		return "apprenticeship"
	}
	// a qualified reference has an overall or a conduct statement; a few
	// graded words alone ("arbeitete stets sehr zuverlässig") are a rating
	// slipped into a simple one
	graded, past, present := false, 0, 0
	for _, t := range masked {
		for _, s := range lx.sentences(t) {
			if g := lx.grade(s); g.Grade > 0 && (g.Overall || lx.cues["conductCore"].MatchString(s)) {
				graded = true
			}
			if lx.aboutCompany(s) {
				continue
			}
			for _, w := range tokens(s) {
				if lx.past[w] {
					past++
				}
				if lx.present[w] {
					present++
				}
			}
		}
	}
	switch {
	case !graded:
		return "simple"
	case present > 2*past:
		return "interim"
	}
	return "final"
}
