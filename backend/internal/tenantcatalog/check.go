package tenantcatalog

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/zeugo/zeugo/backend/internal/apperr"
	"github.com/zeugo/zeugo/backend/internal/catalog"
	"github.com/zeugo/zeugo/backend/internal/generator"
	"github.com/zeugo/zeugo/backend/internal/textcheck"
)

// Limits of tenant entries (the proto's rules say the same; an import is
// checked here only).
const (
	MaxTitle        = 120
	MaxTask         = 400
	MaxTasks        = 40
	MaxAttribute    = 80
	MaxArea         = 40
	MaxVariant      = 600
	MaxVariants     = 10
	MaxJobProfiles  = 500
	MaxAttributes   = 300
	maxSummaryRunes = 300
)

var idRe = regexp.MustCompile(`^[a-z][a-z0-9_-]{1,39}$`)

// problem is one thing wrong with a tenant entry: the field's path and the
// message in German and English.
type problem struct {
	Field, Rule, De, En string
}

type problems []problem

func (ps *problems) add(field, rule, de, en string, args ...any) {
	*ps = append(*ps, problem{Field: field, Rule: rule, De: fmt.Sprintf(de, args...), En: fmt.Sprintf(en, args...)})
}

// err turns the problems into one InvalidArgument with a violation per
// problem; the message of a violation is the German text, a line break and
// the English text (the SPA shows the one of the user's language).
func (ps problems) err(msg string) error {
	if len(ps) == 0 {
		return nil
	}
	e := &apperr.Error{Code: apperr.InvalidArgument, Message: msg}
	for _, p := range ps {
		e.Violations = append(e.Violations, apperr.FieldViolation{Field: p.Field, RuleID: p.Rule, Message: p.De + "\n" + p.En})
	}
	return e
}

// Rule ids of the violations.
const (
	ruleFinding     = "zeugo.catalog.finding"
	ruleGrade       = "zeugo.catalog.grade"
	ruleTemplate    = "zeugo.catalog.template"
	ruleRequired    = "zeugo.catalog.required"
	ruleTooLong     = "zeugo.catalog.too_long"
	ruleID          = "zeugo.catalog.id"
	ruleDuplicate   = "zeugo.catalog.duplicate"
	ruleUnknownKey  = "zeugo.catalog.unknown_key"
	ruleUnknownLang = "zeugo.catalog.unknown_language"
	ruleKind        = "zeugo.catalog.kind"
	ruleBand        = "zeugo.catalog.band"
	ruleJSON        = "zeugo.catalog.json"
	ruleFormat      = "zeugo.catalog.format"
	ruleTooMany     = "zeugo.catalog.too_many"
)

// letterUse says how the generator uses a letter text: the section the
// checker reads it as, the tenses it appears in, and the grade band of a
// closing formula (0: the text must carry no grade).
type letterUse struct {
	section       string
	past, present bool
	kind          string // the certificate kind for the checker's tense rules
	grade         int
	// words: a heading, title or single word the checker has nothing to
	// read in (only structure and placeholders are checked).
	words bool
	// codesOnly: a noun phrase (a task), read for coded phrases only: it
	// has no tense and its adjectives ("high-voltage") grade nothing.
	codesOnly bool
}

// useOf derives the use of a letter text from its key.
func useOf(key string) letterUse {
	parts := strings.Split(key, ".")
	head := parts[0]
	last := parts[len(parts)-1]
	u := letterUse{past: true, present: true, kind: "final"}
	switch {
	case last == "final" || last == "simple" || last == "apprenticeship":
		u.present, u.kind = false, last
	case last == "interim":
		u.past, u.kind = false, "interim"
	}
	switch head {
	case "title", "heading", "words", "authorityName":
		u.words = true
	case "intro":
		u.section = textcheck.SecIntro
	case "company":
		u.section = textcheck.SecCompany
	case "stationsLead":
		u.section = textcheck.SecStations
	case "tasksLead":
		u.section = textcheck.SecTasks
	case "additionalLead":
		u.section = textcheck.SecAdditional
	case "trainingLead":
		u.section = textcheck.SecTraining
	case "successesLead":
		u.section = textcheck.SecSuccesses
	case "authority":
		u.section = textcheck.SecAuthorities
	case "leaderScope":
		u.section = textcheck.SecLeadership
	case "attributes":
		u.section = textcheck.SecPerformance
		if last == catalog.AttributePersonal {
			u.section = textcheck.SecConduct
		}
	case "interimReason":
		u.section, u.past, u.present, u.kind = textcheck.SecInterimReason, false, true, "interim"
	case "exit":
		u.section, u.past, u.present = textcheck.SecExit, true, false
		if len(parts) > 1 && parts[1] == "apprenticeship" {
			u.kind = "apprenticeship"
		}
	case "closing":
		u.section = textcheck.SecClosing
		if g, err := strconv.Atoi(last); err == nil {
			u.grade = g
		}
		if len(parts) > 1 && parts[1] == "interim" {
			u.past, u.present, u.kind = false, true, "interim"
		} else {
			u.past, u.present = true, false
		}
		if len(parts) > 1 && parts[1] == "takenOn" {
			u.kind = "apprenticeship"
		}
	default:
		u.section = textcheck.SecOther
	}
	return u
}

// checkLetter checks the variants of one letter text in lang: placeholders
// the generator knows, balanced alternations, and what the checker reads
// in every sample expansion.
func checkLetter(ps *problems, field, key, lang string, variants []string) {
	if len(variants) > MaxVariants {
		ps.add(field, ruleTooMany, "Höchstens %d Varianten.", "at most %d variants.", MaxVariants)
	}
	u := useOf(key)
	for i, v := range variants {
		f := fmt.Sprintf("%s[%d]", field, i)
		switch {
		case strings.TrimSpace(v) == "":
			ps.add(f, ruleRequired, "Die Variante ist leer.", "the variant is empty.")
			continue
		case utf8.RuneCountInString(v) > MaxVariant:
			ps.add(f, ruleTooLong, "Höchstens %d Zeichen.", "at most %d characters.", MaxVariant)
			continue
		case strings.ContainsAny(v, "\r\n"):
			ps.add(f, ruleTemplate, "Eine Variante ist eine Zeile.", "a variant is a single line.")
			continue
		}
		samples, err := generator.ExpandSamples(v, lang, u.past, u.present, nil)
		if err != nil {
			ps.add(f, ruleTemplate, "Der Platzhalter oder die Verzweigung ist fehlerhaft: %s.", "a placeholder or alternation is wrong: %s.", templateError(err))
			continue
		}
		if u.words {
			continue
		}
		checkSamples(ps, f, lang, u, samples, 0, "")
	}
}

// templateError is the generator's template error without the template
// (the field already says which one).
func templateError(err error) string {
	s := err.Error()
	if i := strings.LastIndex(s, ": "); i >= 0 {
		return s[i+2:]
	}
	return s
}

// checkSamples reads every sample as the section of u and adds a problem
// for the first finding: a coded phrase, a tense or gender slip, or a
// grade the text must not carry. band is the worst grade an attribute may
// be named at (0 for letter texts: u.grade decides).
func checkSamples(ps *problems, field, lang string, u letterUse, samples []generator.Sample, band int, item string) {
	for _, s := range samples {
		opt := textcheck.Options{Language: lang, Gender: string(s.Gender), Kind: u.kind, Names: s.Names}
		if s.Present {
			opt.Kind = "interim"
		} else if opt.Kind == "interim" {
			opt.Kind = "final"
		}
		para := textcheck.Paragraph{Section: u.section, Text: s.Text}
		if item != "" {
			para = textcheck.Paragraph{Section: u.section, Items: []string{item}}
		}
		r, err := textcheck.Check([]textcheck.Paragraph{para}, opt)
		if err != nil {
			ps.add(field, ruleFinding, "Der Text kann nicht geprüft werden.", "the text cannot be checked.")
			return
		}
		var fs []textcheck.Finding
		for _, f := range r.Findings() {
			// An omission ("superiors missing") is a statement about a
			// whole paragraph; one sentence of it cannot be judged.
			if f.Code != "superiors_missing" && (!u.codesOnly || f.Kind == textcheck.KindCode) {
				fs = append(fs, f)
			}
		}
		if len(fs) > 0 {
			f := fs[0]
			*ps = append(*ps, problem{Field: field, Rule: ruleFinding,
				De: strings.TrimSuffix(f.De, ".") + " („" + f.Fragment + "“)", En: strings.TrimSuffix(f.En, ".") + " (“" + f.Fragment + "”)"})
			return
		}
		if u.codesOnly {
			continue
		}
		if u.section == textcheck.SecClosing {
			checkClosing(ps, field, u, r.Closing)
			return
		}
		if !gradedSection[u.section] {
			// The checker grades only the graded sections: read the text
			// once more as one of them, for its grade words alone.
			para.Section = textcheck.SecOther
			if r, err = textcheck.Check([]textcheck.Paragraph{para}, opt); err != nil {
				ps.add(field, ruleFinding, "Der Text kann nicht geprüft werden.", "the text cannot be checked.")
				return
			}
		}
		for _, p := range r.Paragraphs {
			for _, sr := range p.Sentences {
				if sr.Grade == 0 {
					continue
				}
				switch {
				case band > 0:
					// An attribute is named at every grade of 1 … band: a
					// wording that signals one grade fits only a band of
					// that one grade.
					if sr.Grade != 1 || band != 1 {
						ps.add(field, ruleGrade, "Der Text signalisiert die Note %d („%s“), wird aber bei den Noten 1 bis %d genannt; die Note ergibt sich aus der Bewertung.", "the text signals grade %d (“%s”) but is named at grades 1 to %d; the grade comes from the ratings.", sr.Grade, strings.Join(sr.Markers, ", "), band)
						return
					}
				case u.grade > 0:
					if sr.Grade != u.grade {
						ps.add(field, ruleGrade, "Der Text signalisiert die Note %d („%s“), gilt aber für die Note %d.", "the text signals grade %d (“%s”) but is used at grade %d.", sr.Grade, strings.Join(sr.Markers, ", "), u.grade)
						return
					}
				default:
					ps.add(field, ruleGrade, "Der Text signalisiert die Note %d („%s“); dieser Brieftext darf keine Note tragen, die Note ergibt sich aus der Bewertung.", "the text signals grade %d (“%s”); this letter text must carry no grade, the grade comes from the ratings.", sr.Grade, strings.Join(sr.Markers, ", "))
					return
				}
			}
		}
	}
}

// checkClosing reads a closing formula the way a reader grades it: at
// grades 1 and 2 it thanks and wishes well (leaving either out signals a
// worse grade), a sentence of regret regrets; at grades 4 and below it
// regrets nothing (regret there contradicts the grade).
func checkClosing(ps *problems, field string, u letterUse, c textcheck.Closing) {
	regret := strings.Contains(field, "regret")
	switch {
	case regret:
		// the generator puts the thanks and wishes after it
		if !c.Regret {
			ps.add(field, ruleGrade, "Eine Schlussformel des Bedauerns muss das Bedauern aussprechen.", "a closing formula of regret must express the regret.")
		}
	case u.grade > 0 && u.grade <= 2 && (!c.Thanks || !c.Wishes):
		ps.add(field, ruleGrade, "Bei der Note %d dankt die Schlussformel und wünscht alles Gute; fehlt eines davon, signalisiert sie eine schlechtere Note.", "at grade %d the closing formula thanks and wishes well; leaving either out signals a worse grade.", u.grade)
	case u.grade >= 4 && c.Regret:
		ps.add(field, ruleGrade, "Bei der Note %d passt kein Bedauern in die Schlussformel.", "at grade %d the closing formula expresses no regret.", u.grade)
	}
}

// gradedSection are the sections the checker reads grades in.
var gradedSection = map[string]bool{textcheck.SecPerformance: true, textcheck.SecLeadership: true, textcheck.SecConduct: true,
	textcheck.SecExam: true, textcheck.SecOther: true}

// checkTask checks one task sentence of a job profile in lang: the checker
// reads it as a list item of the tasks, in both tenses.
func checkTask(ps *problems, field, lang, text string) {
	if utf8.RuneCountInString(text) > MaxTask {
		ps.add(field, ruleTooLong, "Höchstens %d Zeichen.", "at most %d characters.", MaxTask)
		return
	}
	if strings.ContainsAny(text, "{}\r\n") {
		ps.add(field, ruleTemplate, "Eine Aufgabe ist eine Zeile ohne Platzhalter.", "a task is one line without placeholders.")
		return
	}
	// The checker reads the task lists of a reference as facts and looks
	// for no codes in them; a tenant's task sentence, which would stand in
	// every certificate of the profile, is read as prose instead.
	u := letterUse{section: textcheck.SecOther, past: true, present: true, kind: "final", codesOnly: true}
	samples := []generator.Sample{{Gender: catalog.Neutral, Text: text}}
	checkSamples(ps, field, lang, u, samples, 0, "")
}

// checkAttributeName checks an attribute's name in lang by reading the
// sentence the generator names it in, at every grade of its band.
func checkAttributeName(ps *problems, field, lang, kind, name string, band int, lib *catalog.Catalog) {
	if utf8.RuneCountInString(name) > MaxAttribute {
		ps.add(field, ruleTooLong, "Höchstens %d Zeichen.", "at most %d characters.", MaxAttribute)
		return
	}
	if strings.ContainsAny(name, "{}\r\n|") {
		ps.add(field, ruleTemplate, "Ein Name ist eine Zeile ohne Platzhalter.", "a name is one line without placeholders.")
		return
	}
	tpls := lib.Letter(lang, "attributes."+kind)
	if len(tpls) == 0 {
		return
	}
	u := useOf("attributes." + kind)
	samples, err := generator.ExpandSamples(tpls[0], lang, true, true, map[string]string{"list": name})
	if err != nil {
		ps.add(field, ruleTemplate, "Der Name kann nicht eingesetzt werden.", "the name cannot be inserted.")
		return
	}
	checkSamples(ps, field, lang, u, samples, band, "")
}
