package catalog

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// AnyLanguage is the key under which a Text stores a value that was given as
// a plain JSON string: it applies to every language (names, places, or text
// an HR system only keeps in one language).
const AnyLanguage = "*"

// Text is a piece of text in one or more languages, keyed by language code
// ("de", "en"). In JSON it is either an object {"de": "…", "en": "…"} or a
// plain string, which then serves every language.
type Text map[string]string

// T builds a Text that serves every language.
func T(s string) Text { return Text{AnyLanguage: s} }

// In returns the text for lang, falling back to the language-neutral value.
// ok is false when neither exists or the value is blank.
func (t Text) In(lang string) (s string, ok bool) {
	if v, found := t[lang]; found && strings.TrimSpace(v) != "" {
		return strings.TrimSpace(v), true
	}
	if v, found := t[AnyLanguage]; found && strings.TrimSpace(v) != "" {
		return strings.TrimSpace(v), true
	}
	return "", false
}

// IsZero reports whether the text holds no non-blank value at all.
func (t Text) IsZero() bool {
	for _, v := range t {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}

// UnmarshalJSON accepts a string or an object of language → string.
func (t *Text) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if bytes.Equal(b, []byte("null")) {
		*t = nil
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*t = Text{AnyLanguage: s}
		return nil
	}
	var m map[string]string
	if err := json.Unmarshal(b, &m); err != nil {
		return fmt.Errorf("text must be a string or an object of language codes: %w", err)
	}
	*t = m
	return nil
}

// MarshalJSON writes a language-neutral text as a plain string and anything
// else as an object with sorted keys.
func (t Text) MarshalJSON() ([]byte, error) {
	if len(t) == 1 {
		if v, ok := t[AnyLanguage]; ok {
			return json.Marshal(v)
		}
	}
	keys := make([]string, 0, len(t))
	for k := range t {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var buf bytes.Buffer
	buf.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			buf.WriteByte(',')
		}
		kb, _ := json.Marshal(k)
		vb, _ := json.Marshal(t[k])
		buf.Write(kb)
		buf.WriteByte(':')
		buf.Write(vb)
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}
