package textcheck

import (
	"embed"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

//go:embed lexicon/*.json
var lexFS embed.FS

type markerSpec struct {
	P        string `json:"p"`
	G        int    `json:"g"`
	Stets    int    `json:"stets,omitempty"`
	Restrict bool   `json:"restrict,omitempty"`
	Overall  bool   `json:"overall,omitempty"`
}

type codeSpec struct {
	Kind string `json:"kind"`
	// Sections limits the code to these sections ("Kündigung" is a
	// dismissal hint in the exit sentence, but a task in customer service).
	Sections []string `json:"sections,omitempty"`
	P        string   `json:"p"`
	// G is the grade a coded phrase conveys whatever else the sentence
	// says ("war stets bestrebt, … zu unserer vollsten Zufriedenheit zu
	// erledigen" is grade 5); 0 leaves the sentence's grade alone.
	G int `json:"g,omitempty"`
	// Needs names a cue that the sentence must match too ("Kündigung" is a
	// dismissal hint only in a sentence about the end of the employment).
	Needs string `json:"needs,omitempty"`
	// Unless names a cue that rules the code out ("bei den Kollegen sehr
	// beliebt" is the code; "bei Vorgesetzten und Kollegen sehr beliebt"
	// is praise).
	Unless string `json:"unless,omitempty"`
	De     string `json:"de"`
	En     string `json:"en"`
}

// degreeSpec is one degree word of the satisfaction statement ("Mit seinen
// Leistungen waren wir stets außerordentlich zufrieden").
type degreeSpec struct {
	P     string `json:"p"`
	G     int    `json:"g"`
	Stets int    `json:"stets"`
}

type lexiconFile struct {
	Version      int          `json:"version"`
	Language     string       `json:"language"`
	Intensifiers []string     `json:"intensifiers"`
	Markers      []markerSpec `json:"markers"`
	Exam         struct {
		Pattern string         `json:"pattern"`
		Grades  map[string]int `json:"grades"`
	} `json:"exam"`
	Codes []codeSpec `json:"codes"`
	// Statements are the other forms of the overall statement ("Mit
	// seinen Leistungen waren wir … zufrieden", "Seine Leistungen fanden …
	// unsere volle Anerkennung"): P matches the sentence, the first degree
	// word found decides its grade, G/Stets is the grade without one.
	Statements []struct {
		P       string       `json:"p"`
		G       int          `json:"g"`
		Stets   int          `json:"stets"`
		Degrees []degreeSpec `json:"degrees"`
	} `json:"statements"`
	Tense struct {
		Past        []string `json:"past"`
		Present     []string `json:"present"`
		Auxiliaries []string `json:"auxiliaries"`
	} `json:"tense"`
	Gender struct {
		M              []string `json:"m"`
		F              []string `json:"f"`
		N              []string `json:"n"`
		TitleAfter     string   `json:"titleAfter"`
		FeminineTitle  string   `json:"feminineTitle"`
		MasculineTitle string   `json:"masculineTitle"`
	} `json:"gender"`
	Parties       map[string]string `json:"parties"`
	Cues          map[string]string `json:"cues"`
	Abbreviations []string          `json:"abbreviations"`
}

type marker struct {
	tokens []*regexp.Regexp
	// prefix is a literal every word matching the first token starts with,
	// so that most words are ruled out without running a regexp.
	prefix   string
	text     string
	grade    int
	stets    int
	restrict bool
	overall  bool
}

type code struct {
	// stems are literal lower-case substrings one of which every match
	// contains; nil when the pattern has none (then the regexp always runs).
	stems    []string
	kind     string
	sections map[string]bool
	re       *lowerRe
	de, en   string
	grade    int
	needs    string
	unless   string
}

type statement struct {
	re           *lowerRe
	grade, stets int
	degrees      []degree
}

type degree struct {
	re           *lowerRe
	grade, stets int
}

// lexicon is the compiled reading knowledge for one language.
type lexicon struct {
	lang         string
	intensifiers [][]string // token sequences meaning "stets"
	markers      []marker   // longest first
	examRe       *regexp.Regexp
	examGrades   map[string]int
	codes        []code
	statements   []statement
	past         map[string]bool
	present      map[string]bool
	aux          map[string]bool
	// derived are present forms read off weak past forms ("arbeitete" →
	// "arbeitet"); they are also past participles ("hat … erledigt"), so
	// they count only in a sentence without an auxiliary.
	derived    map[string]bool
	gender     map[string]map[string]bool // expected gender → words that contradict it
	titleAfter string
	femTitle   *regexp.Regexp
	mascTitle  *regexp.Regexp
	parties    [4]*lowerRe // superiors, colleagues, staff, customers
	cues       map[string]*lowerRe
	abbrev     map[string]bool
	memo       memo
}

// wordRe wraps a pattern so that it matches whole words in any script: Go's
// \b only knows ASCII, which would break on umlauts and ß. The patterns are
// lower case and matched against the lower-cased text, which is much
// cheaper than a case-insensitive regexp.
func wordRe(p string) (*lowerRe, error) {
	re, err := regexp.Compile(`(?:^|[^\p{L}\p{N}])(?:` + p + `)(?:$|[^\p{L}\p{N}])`)
	if err != nil {
		return nil, err
	}
	return &lowerRe{re, requiredStems(p)}, nil
}

// lowerRe is a regexp over lower-cased text; its indexes are those of the
// original text (lower keeps every rune's length). A text that contains
// none of its stems (see requiredStems) cannot match, so the regexp, which
// costs far more than a substring search, runs only for the few sentences
// that can.
type lowerRe struct {
	re    *regexp.Regexp
	stems []string
}

func (r *lowerRe) prepare(s string) (string, bool) {
	l := lower(s)
	return l, r.stems == nil || containsAny(l, r.stems)
}

func (r *lowerRe) MatchString(s string) bool {
	l, ok := r.prepare(s)
	return ok && r.re.MatchString(l)
}

func (r *lowerRe) FindStringIndex(s string) []int {
	if l, ok := r.prepare(s); ok {
		return r.re.FindStringIndex(l)
	}
	return nil
}

func (r *lowerRe) FindAllStringIndex(s string) [][]int {
	if l, ok := r.prepare(s); ok {
		return r.re.FindAllStringIndex(l, -1)
	}
	return nil
}

func (r *lowerRe) String() string { return r.re.String() }

// lower lower-cases s rune by rune where that keeps the rune's UTF-8
// length, so that byte offsets in the result are offsets in s.
func lower(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 0x80 || ('A' <= c && c <= 'Z') {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		l := unicode.ToLower(r)
		if utf8.RuneLen(l) != utf8.RuneLen(r) {
			l = r
		}
		b.WriteRune(l)
	}
	return b.String()
}

var (
	lexOnce sync.Once
	lexMap  map[string]*lexicon
	lexErr  error
)

func lexiconFor(lang string) (*lexicon, error) {
	lexOnce.Do(func() {
		lexMap = map[string]*lexicon{}
		for _, l := range []string{"de", "en"} {
			lx, err := loadLexicon(l)
			if err != nil {
				lexErr = err
				return
			}
			lexMap[l] = lx
		}
	})
	if lexErr != nil {
		return nil, lexErr
	}
	lx, ok := lexMap[lang]
	if !ok {
		return nil, fmt.Errorf("textcheck: language %q not supported", lang)
	}
	return lx, nil
}

func loadLexicon(lang string) (*lexicon, error) {
	b, err := lexFS.ReadFile("lexicon/" + lang + ".json")
	if err != nil {
		return nil, err
	}
	var f lexiconFile
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("textcheck: lexicon/%s.json: %w", lang, err)
	}
	lx := &lexicon{lang: lang, examGrades: f.Exam.Grades, titleAfter: f.Gender.TitleAfter,
		past: set(f.Tense.Past), present: set(f.Tense.Present), aux: set(f.Tense.Auxiliaries),
		cues: map[string]*lowerRe{}, abbrev: set(f.Abbreviations)}
	lx.derived = map[string]bool{}
	if lang == "de" {
		for w := range lx.past {
			if strings.HasSuffix(w, "te") && len(w) > 5 {
				if d := strings.TrimSuffix(w, "e"); !lx.past[d] {
					lx.derived[d] = true
				}
			}
		}
	}
	for _, in := range f.Intensifiers {
		lx.intensifiers = append(lx.intensifiers, strings.Fields(in))
	}
	sort.SliceStable(lx.intensifiers, func(i, j int) bool { return len(lx.intensifiers[i]) > len(lx.intensifiers[j]) })
	for _, m := range f.Markers {
		mk := marker{text: m.P, grade: m.G, stets: m.Stets, restrict: m.Restrict, overall: m.Overall}
		if mk.stets == 0 {
			mk.stets = m.G
		}
		for _, t := range strings.Fields(m.P) {
			re, err := regexp.Compile(`^(?:` + t + `)$`)
			if err != nil {
				return nil, fmt.Errorf("textcheck: marker %q: %w", m.P, err)
			}
			if len(mk.tokens) == 0 {
				mk.prefix, _ = regexp.MustCompile(`(?:` + t + `)`).LiteralPrefix()
			}
			mk.tokens = append(mk.tokens, re)
		}
		lx.markers = append(lx.markers, mk)
	}
	sort.SliceStable(lx.markers, func(i, j int) bool { return len(lx.markers[i].tokens) > len(lx.markers[j].tokens) })
	if lx.examRe, err = regexp.Compile(`(?i)` + f.Exam.Pattern); err != nil {
		return nil, err
	}
	for _, c := range f.Codes {
		re, err := wordRe(c.P)
		if err != nil {
			return nil, fmt.Errorf("textcheck: code %q: %w", c.P, err)
		}
		cd := code{kind: c.Kind, re: re, de: c.De, en: c.En, stems: requiredStems(c.P), grade: c.G, needs: c.Needs, unless: c.Unless}
		if len(c.Sections) > 0 {
			cd.sections = set(c.Sections)
		}
		lx.codes = append(lx.codes, cd)
	}
	for _, st := range f.Statements {
		re, err := wordRe(st.P)
		if err != nil {
			return nil, fmt.Errorf("textcheck: statement %q: %w", st.P, err)
		}
		x := statement{re: re, grade: st.G, stets: st.Stets}
		for _, d := range st.Degrees {
			re, err := wordRe(d.P)
			if err != nil {
				return nil, fmt.Errorf("textcheck: degree %q: %w", d.P, err)
			}
			x.degrees = append(x.degrees, degree{re, d.G, d.Stets})
		}
		lx.statements = append(lx.statements, x)
	}
	lx.gender = map[string]map[string]bool{"m": set(f.Gender.M), "f": set(f.Gender.F), "n": set(f.Gender.N)}
	if f.Gender.FeminineTitle != "" {
		lx.femTitle = regexp.MustCompile(`^(?:` + f.Gender.FeminineTitle + `)$`)
		lx.mascTitle = regexp.MustCompile(`^(?:` + f.Gender.MasculineTitle + `)$`)
	}
	for i, k := range []string{"superiors", "colleagues", "staff", "customers"} {
		if lx.parties[i], err = wordRe(f.Parties[k]); err != nil {
			return nil, err
		}
	}
	for k, p := range f.Cues {
		if lx.cues[k], err = wordRe(p); err != nil {
			return nil, err
		}
	}
	return lx, nil
}

func set(ws []string) map[string]bool {
	m := make(map[string]bool, len(ws))
	for _, w := range ws {
		m[strings.ToLower(w)] = true
	}
	return m
}

// requiredStems returns, for a pattern, one literal stem per top-level
// alternative (its longest run of letters outside groups that is not made
// optional by a quantifier). A text that contains none of them cannot
// match, so the costly word-boundary regexp is skipped for most sentences.
func requiredStems(p string) []string {
	var alts []string
	depth, start := 0, 0
	for i := 0; i < len(p); i++ {
		switch p[i] {
		case '\\':
			i++
		case '(':
			depth++
		case ')':
			depth--
		case '|':
			if depth == 0 {
				alts = append(alts, p[start:i])
				start = i + 1
			}
		}
	}
	alts = append(alts, p[start:])
	var stems []string
	for _, a := range alts {
		best := ""
		rs := []rune(a)
		cur := []rune{}
		flush := func() {
			if len(cur) > len([]rune(best)) {
				best = string(cur)
			}
			cur = cur[:0]
		}
		d := 0
		for i := 0; i < len(rs); i++ {
			r := rs[i]
			switch {
			case r == '\\':
				flush()
				i++
				// skip \p{L} style classes
				if i < len(rs) && (rs[i] == 'p' || rs[i] == 'P') && i+1 < len(rs) && rs[i+1] == '{' {
					for i < len(rs) && rs[i] != '}' {
						i++
					}
				}
			case r == '(':
				flush()
				d++
			case r == ')':
				d--
			case d > 0:
			case unicode.IsLetter(r) || r == ' ':
				if i+1 < len(rs) && (rs[i+1] == '?' || rs[i+1] == '*' || rs[i+1] == '{') {
					flush()
					continue
				}
				cur = append(cur, unicode.ToLower(r))
			default:
				flush()
			}
		}
		flush()
		if utf8.RuneCountInString(strings.TrimSpace(best)) < 3 {
			return nil
		}
		stems = append(stems, strings.TrimSpace(best))
	}
	return stems
}
