// Package generator writes German and English employment references
// (Arbeitszeugnisse) from structured facts. It is pure and deterministic: no
// database, no clock, no randomness beyond a hash of the facts, so the same
// facts always give the same text and different certificates read
// differently.
//
// The grading language follows the established conventions of German
// references (overall performance 1 "stets zu unserer vollsten
// Zufriedenheit" … 5 "im Großen und Ganzen zu unserer Zufriedenheit",
// conduct 1 "stets vorbildlich" … 4 "korrekt"); every sentence of the phrase
// library (phrases/*.json) and of the catalogue was written for Zeugo. The
// text never contains the coded phrases the textcheck package looks for.
package generator

import (
	"fmt"
	"hash/fnv"
	"strconv"
	"strings"

	"github.com/zeugo/zeugo/backend/internal/catalog"
)

// Generate validates the facts and writes the reference. lib may be nil for
// the default library. Invalid facts give a *ValidationError and no text.
// It is safe for concurrent use; the library is only read.
func Generate(f Facts, lib *Library) (Document, error) {
	if lib == nil {
		var err error
		if lib, err = DefaultLibrary(); err != nil {
			return Document{}, err
		}
	}
	if err := Validate(&f, lib); err != nil {
		return Document{}, err
	}
	w := newWriter(&f, lib)
	return w.write()
}

type writer struct {
	f    *Facts
	lib  *Library
	lang string
	book *PhraseBook
	exp  expander
	seed string
	prev string // first word of the previous sentence in the paragraph
	// prevHadName is whether the previous sentence named the person.
	prevHadName bool
	// prevTri holds the previous sentence's word trigrams, to avoid
	// repeating its frame.
	prevTri map[string]struct{}
	// paraBigrams holds the word pairs used so far in the paragraph.
	paraBigrams map[string]struct{}
}

func newWriter(f *Facts, lib *Library) *writer {
	w := &writer{f: f, lib: lib, lang: f.Language, book: lib.Phrases[f.Language]}
	t := past
	if f.Kind == Interim {
		t = present
	}
	g := map[catalog.Gender]int{catalog.Masculine: 0, catalog.Feminine: 1, catalog.Neutral: 2}[f.Person.Salutation.Gender()]
	vars := nameForms(f.Person, w.lang)
	for _, p := range placeholders {
		if _, ok := vars[p]; !ok {
			vars[p] = ""
		}
	}
	w.exp = expander{vars: vars, tense: t, gender: g}
	// The seed combines the certificate id with facts that do not change when
	// HR corrects a grade or a task, so editing one rating rewrites only the
	// sentence concerned instead of reshuffling the whole text.
	w.seed = strings.Join([]string{f.Seed, string(f.Kind), f.Language, f.Person.FirstName, f.Person.LastName, f.EntryDate.Format("20060102")}, "\x1f")
	return w
}

// pick chooses a variant index for a slot deterministically from the seed.
func (w *writer) pick(slot string, n int) int {
	h := fnv.New64a()
	h.Write([]byte(w.seed))
	h.Write([]byte{0})
	h.Write([]byte(slot))
	return int(h.Sum64() % uint64(n))
}

func (w *writer) letter(key string) []string {
	return w.lib.Catalog.Letter(w.lang, key)
}

// sentence expands one variant of the templates for slot. The hashed index
// is where the search starts; it prefers a variant that does not start with
// the same word as the previous sentence and, for Herr/Frau, does not repeat
// the name right after a sentence that used it, so a paragraph neither opens
// every sentence with "Sie" nor says "Frau Dr. Müller-Lüdenscheidt" five
// times in a row.
func (w *writer) sentence(slot string, variants []string) (string, error) {
	if len(variants) == 0 {
		return "", fmt.Errorf("generator: no text for %q in %s", slot, w.lang)
	}
	start := w.pick(slot, len(variants))
	name := w.exp.vars["Name"]
	nameD := w.exp.vars["NameD"]
	pronounsAvailable := w.exp.vars["er"] != name
	best, bestScore := "", 1<<30
	for i := 0; i < len(variants); i++ {
		s, err := w.exp.expand(variants[(start+i)%len(variants)])
		if err != nil {
			return "", err
		}
		s = tidy(s)
		score := i // prefer the hashed choice
		switch fw := firstWord(s); {
		case fw == w.prev:
			score += 10
		case pronounFamily[fw] != "" && pronounFamily[fw] == pronounFamily[w.prev]:
			// "They … Their … They …" reads as monotonously as "They … They"
			score += 4
		}
		if sharedTrigrams(s, w.prevTri) >= 2 {
			score += 5
		}
		// prefer wording not yet used in this paragraph ("im Allgemeinen"
		// four times in a row reads like a form)
		score += 2 * min(3, sharedBigrams(s, w.paraBigrams, name))
		hasName := strings.Contains(s, name) || strings.Contains(s, nameD)
		if pronounsAvailable && w.prevHadName && hasName {
			score += 10
		}
		if !pronounsAvailable && hasName && !nameWanted(slot) {
			// Without pronouns the name is kept for the sentences a reader
			// needs it in (introduction, overall statement, exit,
			// closing); elsewhere a frame without it wins.
			score += 40
		}
		if score < bestScore {
			best, bestScore = s, score
		}
	}
	w.prev = firstWord(best)
	w.prevTri = trigrams(best)
	addBigrams(best, w.paraBigrams, name)
	w.prevHadName = strings.Contains(best, name) || strings.Contains(best, nameD)
	return best, nil
}

// trigrams returns the lower-cased word trigrams of a sentence.
func trigrams(s string) map[string]struct{} {
	ws := strings.Fields(strings.ToLower(s))
	m := make(map[string]struct{}, len(ws))
	for i := 0; i+2 < len(ws); i++ {
		m[ws[i]+" "+ws[i+1]+" "+ws[i+2]] = struct{}{}
	}
	return m
}

// sharedTrigrams counts the word trigrams of a that occur in the previous
// sentence's set, so that "Im Umgang mit … Auch im Umgang mit …" is not
// chosen twice in a row.
func sharedTrigrams(a string, prev map[string]struct{}) int {
	if len(prev) == 0 {
		return 0
	}
	ws := strings.Fields(strings.ToLower(a))
	n := 0
	for i := 0; i+2 < len(ws); i++ {
		if _, ok := prev[ws[i]+" "+ws[i+1]+" "+ws[i+2]]; ok {
			n++
		}
	}
	return n
}

// bigramStop are word pairs too common to count as repeated wording.
var bigramStop = map[string]bool{"von herrn": true, "von frau": true, "die arbeit": true, "in die": true, "und kollegen": true, "kolleginnen und": true}

func bigrams(s, name string) []string {
	ws := strings.Fields(strings.ToLower(strings.ReplaceAll(s, name, " ")))
	out := make([]string, 0, len(ws))
	for i := 0; i+1 < len(ws); i++ {
		b := ws[i] + " " + ws[i+1]
		if !bigramStop[b] {
			out = append(out, b)
		}
	}
	return out
}

// sharedBigrams counts word pairs of s already used in the paragraph.
func sharedBigrams(s string, used map[string]struct{}, name string) int {
	n := 0
	for _, b := range bigrams(s, name) {
		if _, ok := used[b]; ok {
			n++
		}
	}
	return n
}

func addBigrams(s string, used map[string]struct{}, name string) {
	if used == nil {
		return
	}
	for _, b := range bigrams(s, name) {
		used[b] = struct{}{}
	}
}

// pronounFamily groups sentence openings that sound alike.
var pronounFamily = map[string]string{
	"He": "he", "His": "he", "She": "she", "Her": "she", "They": "they", "Their": "they",
	"Er": "er", "Sein": "er", "Seine": "er", "Sie": "sie", "Ihr": "sie", "Ihre": "sie",
}

// nameWanted says whether a sentence of this slot may name a person the
// text has no pronoun for: the introduction, the overall statement, the exit
// sentence or interim reason and the closing formula.
func nameWanted(slot string) bool {
	if strings.HasPrefix(slot, "closing.regret") {
		return false
	}
	for _, p := range []string{"intro", "overall", "exit", "interimReason", "closing."} {
		if strings.HasPrefix(slot, p) {
			return true
		}
	}
	return false
}

func firstWord(s string) string {
	if i := strings.IndexAny(s, " ,"); i > 0 {
		return s[:i]
	}
	return s
}

// word expands a one-variant letter text such as "words.and".
func (w *writer) word(key string) (string, error) {
	vs := w.letter(key)
	if len(vs) == 0 {
		return "", fmt.Errorf("generator: no text for %q in %s", key, w.lang)
	}
	return w.exp.expand(vs[0])
}

func (w *writer) text(t Text) string {
	s, _ := t.In(w.lang)
	return s
}

func (w *writer) heading(s Section) string {
	if vs := w.letter("heading." + string(s)); len(vs) > 0 {
		return vs[0]
	}
	return string(s)
}

func (w *writer) setVar(k, v string) { w.exp.vars[k] = v }

func (w *writer) write() (Document, error) {
	f := w.f
	d := Document{
		Kind: f.Kind, Language: w.lang, Date: f.DocumentDate(),
		DateText: FormatDate(f.DocumentDate(), w.lang),
		Subject:  w.exp.vars["FullName"], Company: strings.TrimSpace(f.Company.Name),
		Place: f.Place(w.lang), Version: w.lib.Version(w.lang),
		Warnings: Warnings(f),
	}
	if err := w.setup(); err != nil {
		return Document{}, err
	}
	title, err := w.word("title." + string(f.Kind))
	if err != nil {
		return Document{}, err
	}
	d.Title = title
	if f.Kind.Qualified() {
		d.Overall = f.OverallGrade()
	}
	steps := []func() (*Paragraph, error){
		w.intro, w.company, w.stations, w.tasks, w.additional, w.authorities, w.training,
		w.performance, w.successes, w.leadership, w.conduct, w.exam, w.ending, w.closing,
	}
	for _, step := range steps {
		w.prev, w.prevTri, w.prevHadName = "", nil, false
		w.paraBigrams = map[string]struct{}{}
		p, err := step()
		if err != nil {
			return Document{}, err
		}
		if p == nil {
			continue
		}
		p.Heading = w.heading(p.Section)
		if len(p.Sentences) > 0 {
			parts := make([]string, len(p.Sentences))
			for i, s := range p.Sentences {
				parts[i] = s.Text
			}
			p.Text = strings.Join(parts, " ")
		}
		d.Paragraphs = append(d.Paragraphs, *p)
	}
	d.Warnings = append(d.Warnings, attributeWarnings(f, w.lib)...)
	for _, s := range f.Signatories {
		d.Signatories = append(d.Signatories, SignatureLine{Name: strings.TrimSpace(s.Name), Function: w.text(s.Function)})
	}
	return d, nil
}

// setup fills the variables every template may use.
func (w *writer) setup() error {
	f := w.f
	w.setVar("entry", FormatDate(f.EntryDate, w.lang))
	w.setVar("exit", FormatDate(f.ExitDate, w.lang))
	w.setVar("job", w.jobTitle())
	w.setVar("city", strings.TrimSpace(w.text(f.Company.City)))
	w.setVar("aJob", withArticle(w.exp.vars["job"], w.lang))
	w.setVar("industry", w.text(f.Company.Industry))
	w.setVar("employees", formatCount(f.Company.Employees, w.lang))
	w.setVar("teamSize", numberWord(f.TeamSize, w.lang))
	if f.Person.PrintBirth {
		w.setVar("birthDate", FormatDate(f.Person.BirthDate, w.lang))
		w.setVar("birthPlace", strings.TrimSpace(f.Person.BirthPlace))
		key := "words.born"
		if strings.TrimSpace(f.Person.BirthPlace) == "" {
			key = "words.bornNoPlace"
		}
		b, err := w.word(key)
		if err != nil {
			return err
		}
		w.setVar("birth", b)
	}
	internKey := "words.intern"
	switch {
	case f.Leader:
		internKey = "words.internLeader"
	case f.Kind == Apprenticeship:
		internKey = "words.internApprentice"
	}
	in, err := w.word(internKey)
	if err != nil {
		return err
	}
	w.setVar("intern", in)
	ext := w.text(f.ExternalParties)
	if ext == "" {
		if ext, err = w.word("words.extern"); err != nil {
			return err
		}
	}
	w.setVar("extern", ext)
	if ch := w.text(f.ExamChamber); ch != "" {
		w.setVar("chamber", ch)
		c, err := w.word("words.chamber")
		if err != nil {
			return err
		}
		w.setVar("chamber", c)
	}
	return nil
}

func formatCount(n int, lang string) string {
	s := strconv.Itoa(n)
	sep := "."
	if lang == "en" {
		sep = ","
	}
	// German writes four-digit numbers without a separator (2500), five and
	// more with one (12.500); English uses a comma from 1,000.
	if len(s) <= 3 || (lang != "en" && len(s) == 4) {
		return s
	}
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(r)
	}
	return b.String()
}

func (w *writer) jobTitle() string {
	if t := w.text(w.f.JobTitle); t != "" {
		return t
	}
	p, _ := w.lib.Catalog.Profile(w.f.JobProfile)
	return p.Title[w.lang].For(w.f.Person.Salutation.Gender())
}

func (w *writer) para(sec Section, slot string, variants []string) (*Paragraph, error) {
	s, err := w.sentence(slot, variants)
	if err != nil {
		return nil, err
	}
	return &Paragraph{Section: sec, Sentences: []Sentence{{Text: s}}}, nil
}

func (w *writer) intro() (*Paragraph, error) {
	return w.para(SecIntro, "intro", w.letter("intro."+string(w.f.Kind)))
}

func (w *writer) company() (*Paragraph, error) {
	f := w.f
	if !f.Kind.Qualified() {
		return nil, nil
	}
	if desc := w.text(f.Company.Description); desc != "" {
		return &Paragraph{Section: SecCompany, Sentences: []Sentence{{Text: desc}}}, nil
	}
	if w.exp.vars["industry"] == "" || w.exp.vars["city"] == "" {
		return nil, nil
	}
	p, err := w.para(SecCompany, "company", w.letter("company.generic"))
	if err != nil || f.Company.Employees <= 0 {
		return p, err
	}
	s, err := w.sentence("company.size", w.letter("company.size"))
	if err != nil {
		return nil, err
	}
	p.Sentences = append(p.Sentences, Sentence{Text: s})
	return p, nil
}

// leadKind maps the kind to the letter-text variant of list lead-ins.
func (w *writer) leadKind() string {
	switch w.f.Kind {
	case Interim, Apprenticeship:
		return string(w.f.Kind)
	}
	return "final"
}

func (w *writer) listPara(sec Section, leadKey string, items []string) (*Paragraph, error) {
	if len(items) == 0 {
		return nil, nil
	}
	lead, err := w.sentence(leadKey, w.letter(leadKey))
	if err != nil {
		return nil, err
	}
	for i := range items {
		items[i] = upperFirst(strings.TrimSpace(items[i]))
	}
	return &Paragraph{Section: sec, Text: lead, Items: items}, nil
}

func (w *writer) stations() (*Paragraph, error) {
	var items []string
	until, _ := w.word("words.until")
	since, _ := w.word("words.since")
	for _, s := range w.f.Stations {
		period := formatMonth(s.From, w.lang) + until + formatMonth(s.To, w.lang)
		switch {
		case s.To.IsZero() && w.f.Kind == Interim:
			period = upperFirst(since + formatMonth(s.From, w.lang))
		case s.To.IsZero():
			// A final reference closes an open position with the exit date.
			period = formatMonth(s.From, w.lang) + until + formatMonth(w.f.ExitDate, w.lang)
		}
		item := period + ": " + w.text(s.Title)
		if dep := w.text(s.Department); dep != "" {
			item += ", " + dep
		}
		items = append(items, item)
	}
	return w.listPara(SecStations, "stationsLead."+w.leadKind(), items)
}

func (w *writer) tasks() (*Paragraph, error) {
	var items []string
	if w.f.JobProfile != "" {
		p, _ := w.lib.Catalog.Profile(w.f.JobProfile)
		if len(w.f.ProfileTasks) == 0 {
			for _, t := range p.Tasks {
				items = append(items, w.text(t.Text))
			}
		} else {
			for _, id := range w.f.ProfileTasks {
				t, _ := p.Task(id)
				items = append(items, w.text(t.Text))
			}
		}
	}
	for _, t := range w.f.Tasks {
		items = append(items, w.text(t))
	}
	return w.listPara(SecTasks, "tasksLead."+w.leadKind(), items)
}

func (w *writer) additional() (*Paragraph, error) {
	var items []string
	for _, t := range w.f.AdditionalTasks {
		items = append(items, w.text(t))
	}
	return w.listPara(SecAdditional, "additionalLead", items)
}

func (w *writer) authorities() (*Paragraph, error) {
	if len(w.f.Authorities) == 0 {
		return nil, nil
	}
	p := &Paragraph{Section: SecAuthorities}
	for i, a := range w.f.Authorities {
		name := w.text(a.Name)
		if a.Kind != "other" {
			n, err := w.word("authorityName." + a.Kind)
			if err != nil {
				return nil, err
			}
			name = n
		}
		w.setVar("authority", name)
		key := "authority.plain"
		if !a.Since.IsZero() {
			key = "authority.since"
			w.setVar("since", FormatDate(a.Since, w.lang))
		}
		s, err := w.sentence(fmt.Sprintf("%s.%d", key, i), w.letter(key))
		if err != nil {
			return nil, err
		}
		p.Sentences = append(p.Sentences, Sentence{Text: s})
	}
	return p, nil
}

func (w *writer) training() (*Paragraph, error) {
	var items []string
	for _, t := range w.f.Trainings {
		item := w.text(t.Title)
		var extra []string
		if t.Provider != "" {
			extra = append(extra, strings.TrimSpace(t.Provider))
		}
		if t.Year > 0 {
			extra = append(extra, strconv.Itoa(t.Year))
		}
		if len(extra) > 0 {
			item += " (" + strings.Join(extra, ", ") + ")"
		}
		items = append(items, item)
	}
	return w.listPara(SecTraining, "trainingLead", items)
}

func (w *writer) graded(c Category, g Grade) (Sentence, error) {
	s, err := w.sentence(string(c), w.book.Variants(c, g))
	return Sentence{Text: s, Category: c, Grade: g}, err
}

// attributeGrade is the grade an attribute's band is compared with: the
// overall grade, for personal attributes the worse of it and the internal
// conduct grade.
func attributeGrade(f *Facts, kind string) Grade {
	g := f.OverallGrade()
	if kind == catalog.AttributePersonal && f.Ratings.VerhaltenIntern > g {
		g = f.Ratings.VerhaltenIntern
	}
	return g
}

func (w *writer) attributes(kind string, ids []string) (Sentence, bool, error) {
	g := attributeGrade(w.f, kind)
	names := make([]string, 0, len(ids))
	for _, id := range ids {
		a, _ := w.lib.Catalog.Attribute(id)
		if !a.NamedAt(int(g)) {
			continue // outside its grade band: see attributeWarnings
		}
		n, _ := a.Name.In(w.lang)
		names = append(names, n)
	}
	if len(names) == 0 {
		return Sentence{}, false, nil
	}
	and, err := w.word("words.and")
	if err != nil {
		return Sentence{}, false, err
	}
	w.setVar("list", joinList(names, and))
	s, err := w.sentence("attributes."+kind, w.letter("attributes."+kind))
	return Sentence{Text: s}, true, err
}

func (w *writer) performance() (*Paragraph, error) {
	f := w.f
	if !f.Kind.Qualified() {
		return nil, nil
	}
	p := &Paragraph{Section: SecPerformance}
	r := f.Ratings
	cats := []struct {
		c Category
		g Grade
	}{
		{CatBereitschaft, r.Bereitschaft}, {CatBefaehigung, r.Befaehigung}, {CatWissen, r.Wissen},
		{CatWeiterbildung, r.Weiterbildung}, {CatArbeitsweise, r.Arbeitsweise}, {CatArbeitserfolg, r.Arbeitserfolg},
	}
	attrDone := false
	addAttr := func() error {
		s, ok, err := w.attributes("professional", f.ProfessionalAttributes)
		if ok {
			p.Sentences = append(p.Sentences, s)
		}
		attrDone = true
		return err
	}
	for _, c := range cats {
		if !c.g.Rated() {
			continue
		}
		s, err := w.graded(c.c, c.g)
		if err != nil {
			return nil, err
		}
		p.Sentences = append(p.Sentences, s)
		if c.c == CatArbeitsweise {
			if err := addAttr(); err != nil {
				return nil, err
			}
		}
	}
	if !attrDone {
		if err := addAttr(); err != nil {
			return nil, err
		}
	}
	s, err := w.graded(CatOverall, f.OverallGrade())
	if err != nil {
		return nil, err
	}
	p.Sentences = append(p.Sentences, s)
	return p, nil
}

func (w *writer) successes() (*Paragraph, error) {
	var items []string
	for _, s := range w.f.Successes {
		items = append(items, w.text(s))
	}
	return w.listPara(SecSuccesses, "successesLead", items)
}

func (w *writer) leadership() (*Paragraph, error) {
	f := w.f
	if !f.Leader || !f.Kind.Qualified() {
		return nil, nil
	}
	p := &Paragraph{Section: SecLeadership}
	if f.TeamSize > 0 {
		s, err := w.sentence("leaderScope", w.letter("leaderScope"))
		if err != nil {
			return nil, err
		}
		p.Sentences = append(p.Sentences, Sentence{Text: s})
	}
	if f.Ratings.Fuehrungserfolg.Rated() {
		s, err := w.graded(CatFuehrungserfolg, f.Ratings.Fuehrungserfolg)
		if err != nil {
			return nil, err
		}
		p.Sentences = append(p.Sentences, s)
	}
	if len(p.Sentences) == 0 {
		return nil, nil
	}
	return p, nil
}

func (w *writer) conduct() (*Paragraph, error) {
	f := w.f
	if !f.Kind.Qualified() {
		return nil, nil
	}
	p := &Paragraph{Section: SecConduct}
	s, err := w.graded(CatVerhaltenIntern, f.Ratings.VerhaltenIntern)
	if err != nil {
		return nil, err
	}
	p.Sentences = append(p.Sentences, s)
	if f.Ratings.VerhaltenExtern.Rated() {
		s, err := w.graded(CatVerhaltenExtern, f.Ratings.VerhaltenExtern)
		if err != nil {
			return nil, err
		}
		p.Sentences = append(p.Sentences, s)
	}
	a, ok, err := w.attributes("personal", f.PersonalAttributes)
	if err != nil {
		return nil, err
	}
	if ok {
		p.Sentences = append(p.Sentences, a)
	}
	return p, nil
}

func (w *writer) exam() (*Paragraph, error) {
	g := w.f.Ratings.Abschlusspruefung
	if w.f.Kind != Apprenticeship || !g.Rated() {
		return nil, nil
	}
	s, err := w.graded(CatAbschlusspruefung, g)
	if err != nil {
		return nil, err
	}
	return &Paragraph{Section: SecExam, Sentences: []Sentence{s}}, nil
}

func (w *writer) ending() (*Paragraph, error) {
	f := w.f
	if f.Kind == Interim {
		key := "interimReason." + string(f.InterimReason)
		if f.InterimReason.Sensitive() && !f.DiscloseReason {
			// Parental leave is not the reader's business unless the
			// employee wants it said: a neutral reason stands in its place.
			key = "interimReason.neutral"
		}
		return w.para(SecInterimReason, "interimReason", w.letter(key))
	}
	reason := f.ExitReason
	if reason == "" {
		reason = ExitOther
	}
	key := "exit." + string(reason)
	if f.Kind == Apprenticeship {
		key = "exit.apprenticeship." + string(reason)
		if f.TakenOn {
			key = "exit.apprenticeship.taken_on"
		}
	}
	return w.para(SecExit, "exit", w.letter(key))
}

// closing chooses the closing formula from kind, exit reason and overall
// grade: regret (only when the employee's side ended the employment),
// thanks and good wishes at grades 1–2, a reduced formula at 3–4, none at 5
// and none in a simple reference. An interim reference looks ahead instead.
func (w *writer) closing() (*Paragraph, error) {
	f := w.f
	g := f.OverallGrade()
	if !f.Kind.Qualified() || g >= 5 || !g.Rated() {
		return nil, nil
	}
	p := &Paragraph{Section: SecClosing}
	add := func(key string) error {
		s, err := w.sentence(key, w.letter(key))
		p.Sentences = append(p.Sentences, Sentence{Text: s})
		return err
	}
	var err error
	switch {
	case f.Kind == Interim:
		err = add(fmt.Sprintf("closing.interim.%d", g))
	case f.Kind == Apprenticeship && f.TakenOn:
		err = add(fmt.Sprintf("closing.takenOn.%d", g))
	default:
		if g <= 2 && regretAllowed(f.ExitReason) {
			if err := add(fmt.Sprintf("closing.regret.%d", g)); err != nil {
				return nil, err
			}
		}
		key := "closing.thanks.%d"
		if f.ExitReason == ExitRetirement {
			// no "weiterer Berufsweg" for someone entering retirement
			key = "closing.retirement.%d"
		}
		err = add(fmt.Sprintf(key, g))
	}
	if err != nil {
		return nil, err
	}
	return p, nil
}

func regretAllowed(r ExitReason) bool {
	switch r {
	case ExitOwnWish, ExitMutual, ExitFixedTerm, ExitEndTraining, ExitRetirement:
		return true
	}
	return false
}

// PhraseRequest names one sentence of the phrase library: a category, a
// grade, one of its variants, for a person and kind of reference.
type PhraseRequest struct {
	Language string
	Category Category
	Grade    Grade
	Variant  int
	Person   Person
	Kind     Kind
	Leader   bool
}

// Phrase writes a single graded sentence exactly as Generate would inside a
// reference. It lets a UI preview the wording of a grade and the tests read
// every variant back.
func Phrase(lib *Library, r PhraseRequest) (string, error) {
	if lib == nil {
		var err error
		if lib, err = DefaultLibrary(); err != nil {
			return "", err
		}
	}
	book, ok := lib.Phrases[r.Language]
	if !ok {
		return "", fmt.Errorf("generator: language %q not supported", r.Language)
	}
	vs := book.Variants(r.Category, r.Grade)
	if r.Variant < 0 || r.Variant >= len(vs) {
		return "", fmt.Errorf("generator: %s.%d has no variant %d", r.Category, r.Grade, r.Variant)
	}
	f := &Facts{Kind: r.Kind, Language: r.Language, Person: r.Person, Leader: r.Leader, JobTitle: catalog.T("x")}
	w := newWriter(f, lib)
	if err := w.setup(); err != nil {
		return "", err
	}
	s, err := w.exp.expand(vs[r.Variant])
	if err != nil {
		return "", err
	}
	return tidy(s), nil
}

// attributeWarnings names every chosen attribute the text leaves out because
// the grade is outside its band, so HR learns why it is missing.
func attributeWarnings(f *Facts, lib *Library) []Problem {
	var ps []Problem
	for _, list := range []struct {
		path, kind string
		ids        []string
	}{{"professionalAttributes", catalog.AttributeProfessional, f.ProfessionalAttributes}, {"personalAttributes", catalog.AttributePersonal, f.PersonalAttributes}} {
		g := attributeGrade(f, list.kind)
		for i, id := range list.ids {
			a, ok := lib.Catalog.Attribute(id)
			if !ok || a.NamedAt(int(g)) {
				continue
			}
			de, _ := a.Name.In("de")
			en, _ := a.Name.In("en")
			ps = append(ps, Problem{Path: fmt.Sprintf("%s[%d]", list.path, i),
				De: fmt.Sprintf("„%s“ wird bei Note %d nicht genannt: Lob dieser Eigenschaft neben einer schwächeren Note liest sich als verdeckte Kritik („nett, aber schwach“).", de, g),
				En: fmt.Sprintf("\"%s\" is not named at grade %d: praising it next to a weaker grade reads as hidden criticism (\"nice but weak\").", en, g)})
		}
	}
	return ps
}
