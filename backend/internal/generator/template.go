package generator

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The template language of the phrase library and letter texts:
//
//	{Name}        a variable (see vars); an unknown name is an error
//	{t:past|pres} the past-tense or present-tense alternative
//	{g:m|f|n}     the masculine, feminine or neutral alternative
//	{n:p|n}       the alternative for a person with pronouns (Herr/Frau) or
//	              without (divers, no salutation): the neutral branch is a
//	              frame that needs no name ("Die Arbeitsweise war …"), so a
//	              reference names the person only where a reader needs it
//
// Alternatives may themselves contain variables and alternations.

// tense selects the {t:…} branch.
type tense int

const (
	past tense = iota
	present
)

type expander struct {
	vars   map[string]string
	tense  tense
	gender int // 0 m, 1 f, 2 n
}

// expand fills in tpl. It fails on an unknown variable or a malformed
// alternation, so a template can never leave a placeholder in the text.
func (e *expander) expand(tpl string) (string, error) {
	var b strings.Builder
	b.Grow(len(tpl) + 32)
	if err := e.expandInto(&b, tpl); err != nil {
		return "", err
	}
	return b.String(), nil
}

func (e *expander) expandInto(b *strings.Builder, tpl string) error {
	for i := 0; i < len(tpl); {
		c := tpl[i]
		if c == '}' {
			return fmt.Errorf("template %q: unbalanced '}'", tpl)
		}
		if c != '{' {
			j := strings.IndexAny(tpl[i:], "{}")
			if j < 0 {
				b.WriteString(tpl[i:])
				return nil
			}
			b.WriteString(tpl[i : i+j])
			i += j
			continue
		}
		end, err := matchBrace(tpl, i)
		if err != nil {
			return err
		}
		inner := tpl[i+1 : end]
		i = end + 1
		switch {
		case strings.HasPrefix(inner, "t:"):
			alts := splitTop(inner[2:])
			if len(alts) != 2 {
				return fmt.Errorf("template %q: {t:…} needs 2 alternatives, has %d", tpl, len(alts))
			}
			if err := e.expandInto(b, alts[int(e.tense)]); err != nil {
				return err
			}
		case strings.HasPrefix(inner, "n:"):
			alts := splitTop(inner[2:])
			if len(alts) != 2 {
				return fmt.Errorf("template %q: {n:…} needs 2 alternatives, has %d", tpl, len(alts))
			}
			i := 0
			if e.gender == 2 {
				i = 1
			}
			if err := e.expandInto(b, alts[i]); err != nil {
				return err
			}
		case strings.HasPrefix(inner, "g:"):
			alts := splitTop(inner[2:])
			if len(alts) != 3 {
				return fmt.Errorf("template %q: {g:…} needs 3 alternatives, has %d", tpl, len(alts))
			}
			if err := e.expandInto(b, alts[e.gender]); err != nil {
				return err
			}
		default:
			v, ok := e.vars[inner]
			if !ok {
				return fmt.Errorf("template %q: unknown placeholder {%s}", tpl, inner)
			}
			b.WriteString(v)
		}
	}
	return nil
}

func matchBrace(s string, open int) (int, error) {
	depth := 0
	for i := open; i < len(s); i++ {
		switch s[i] {
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 {
				return i, nil
			}
		}
	}
	return 0, fmt.Errorf("template %q: unbalanced '{'", s)
}

// splitTop splits s at '|' outside nested braces.
func splitTop(s string) []string {
	var out []string
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '{':
			depth++
		case '}':
			depth--
		case '|':
			if depth == 0 {
				out = append(out, s[start:i])
				start = i + 1
			}
		}
	}
	return append(out, s[start:])
}

// tidy normalises spacing and capitalises the first letter of the sentence
// (a name or pronoun may have been substituted at its start).
func tidy(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	for _, p := range []string{" ,", " .", " ;", " :"} {
		s = strings.ReplaceAll(s, p, p[1:])
	}
	s = strings.ReplaceAll(s, ",,", ",")
	return upperFirst(s)
}

func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError || unicode.IsUpper(r) {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// checkTemplate expands tpl with every tense and gender against a variable
// set in which every known name is defined, to find defects at load time.
func checkTemplate(tpl string, known map[string]string) error {
	for t := past; t <= present; t++ {
		for g := 0; g < 3; g++ {
			e := expander{vars: known, tense: t, gender: g}
			if _, err := e.expand(tpl); err != nil {
				return err
			}
		}
	}
	return nil
}
