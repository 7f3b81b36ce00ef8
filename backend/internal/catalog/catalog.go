// Package catalog holds the default catalogue a new tenant starts with: job
// profiles with their task sentences, letter texts (introductions, company
// descriptions, interim reasons, exit sentences, closing formulas) and the
// personal and professional attributes HR can pick. Everything lives in
// embedded, versioned JSON files under data/, not in Go literals, so that a
// tenant's own catalogue later is a data merge (see Merge), not new code.
package catalog

import (
	"embed"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"
)

//go:embed data/*.json
var dataFS embed.FS

// Languages lists the languages the default catalogue is written in.
var Languages = []string{"de", "en"}

// Gender selects the grammatical form of a job title or phrase.
type Gender string

// The three forms: masculine (Herr), feminine (Frau), and neutral wording for
// "divers" or no salutation.
const (
	Masculine Gender = "m"
	Feminine  Gender = "f"
	Neutral   Gender = "n"
)

// GenderedTitle is a job title in its masculine, feminine and neutral forms.
// A missing form falls back to the neutral one.
type GenderedTitle struct {
	M string `json:"m,omitempty"`
	F string `json:"f,omitempty"`
	N string `json:"n"`
}

// For returns the title form for g.
func (t GenderedTitle) For(g Gender) string {
	switch {
	case g == Masculine && t.M != "":
		return t.M
	case g == Feminine && t.F != "":
		return t.F
	}
	return t.N
}

// Task is one task sentence of a job profile, written as a noun phrase so it
// reads correctly in any tense and for any gender.
type Task struct {
	ID   string `json:"id"`
	Text Text   `json:"text"`
}

// JobProfile (Berufsbild) is a job with its title and typical tasks.
type JobProfile struct {
	ID    string                   `json:"id"`
	Area  string                   `json:"area"`
	Title map[string]GenderedTitle `json:"title"`
	Tasks []Task                   `json:"tasks"`
}

// Task returns the task with the given id.
func (p *JobProfile) Task(id string) (Task, bool) {
	for _, t := range p.Tasks {
		if t.ID == id {
			return t, true
		}
	}
	return Task{}, false
}

// Attribute is a personal or professional quality HR can pick to be named
// in the reference (e.g. Zuverlässigkeit). It is written as a noun that reads
// correctly without an article after "durch" or "für".
type Attribute struct {
	ID   string `json:"id"`
	Kind string `json:"kind"` // "personal" or "professional"
	Name Text   `json:"name"`
	// MaxGrade is the worst grade at which the reference still names the
	// attribute (its grade band is 1 … MaxGrade); 0 means DefaultMaxGrade.
	// The grade compared is the overall grade, for a personal attribute the
	// worse of the overall and the internal conduct grade: praise of
	// friendliness or humour next to a weak grade is the classic "nice but
	// weak" signal, so it is left out there.
	MaxGrade int `json:"maxGrade,omitempty"`
}

// DefaultMaxGrade is the grade band of an attribute without MaxGrade: named
// at grades 1 to 3.
const DefaultMaxGrade = 3

// NamedAt reports whether the attribute is named in a reference of grade g
// (1–5).
func (a Attribute) NamedAt(g int) bool {
	m := a.MaxGrade
	if m == 0 {
		m = DefaultMaxGrade
	}
	return g <= m
}

// Attribute kinds.
const (
	AttributePersonal     = "personal"
	AttributeProfessional = "professional"
)

// Letters holds the letter texts of one language: a flat map from a key such
// as "intro.final" or "exit.own_wish" to a list of interchangeable variants.
type Letters struct {
	Version  int                 `json:"version"`
	Language string              `json:"language"`
	Texts    map[string][]string `json:"texts"`
}

// Catalog is the complete catalogue: job profiles, attributes and the letter
// texts per language.
type Catalog struct {
	Version     string              `json:"version"`
	JobProfiles []JobProfile        `json:"jobProfiles"`
	Attributes  []Attribute         `json:"attributes"`
	Letters     map[string]*Letters `json:"letters"`
	profiles    map[string]*JobProfile
	attributes  map[string]*Attribute
	// hidden holds the "kind:id" of the entries a tenant hid (Apply).
	hidden map[string]bool
}

// Profile returns the job profile with the given id.
func (c *Catalog) Profile(id string) (*JobProfile, bool) {
	p, ok := c.profiles[id]
	return p, ok
}

// Attribute returns the attribute with the given id.
func (c *Catalog) Attribute(id string) (*Attribute, bool) {
	a, ok := c.attributes[id]
	return a, ok
}

// Letter returns the variants of a letter text in lang; nil when the key is
// unknown.
func (c *Catalog) Letter(lang, key string) []string {
	l, ok := c.Letters[lang]
	if !ok {
		return nil
	}
	return l.Texts[key]
}

type profilesFile struct {
	Version     string       `json:"version"`
	JobProfiles []JobProfile `json:"jobProfiles"`
}

type attributesFile struct {
	Version    string      `json:"version"`
	Attributes []Attribute `json:"attributes"`
}

var (
	defaultOnce sync.Once
	defaultCat  *Catalog
	defaultErr  error
)

// Default returns the embedded default catalogue. It is parsed once and must
// be treated as read-only; use Merge to derive a tenant's catalogue.
func Default() (*Catalog, error) {
	defaultOnce.Do(func() { defaultCat, defaultErr = load() })
	return defaultCat, defaultErr
}

// MustDefault is Default for program start and tests: the embedded data is
// part of the binary, so an error is a build defect.
func MustDefault() *Catalog {
	c, err := Default()
	if err != nil {
		panic(err)
	}
	return c
}

func load() (*Catalog, error) {
	var pf profilesFile
	if err := readJSON("data/jobprofiles.json", &pf); err != nil {
		return nil, err
	}
	var af attributesFile
	if err := readJSON("data/attributes.json", &af); err != nil {
		return nil, err
	}
	c := &Catalog{Version: pf.Version, JobProfiles: pf.JobProfiles, Attributes: af.Attributes, Letters: map[string]*Letters{}}
	for _, lang := range Languages {
		var l Letters
		if err := readJSON("data/letters."+lang+".json", &l); err != nil {
			return nil, err
		}
		c.Letters[lang] = &l
	}
	if err := c.index(); err != nil {
		return nil, err
	}
	return c, nil
}

func readJSON(name string, v any) error {
	b, err := dataFS.ReadFile(name)
	if err != nil {
		return fmt.Errorf("catalog: %w", err)
	}
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("catalog: %s: %w", name, err)
	}
	return nil
}

// index builds the lookup maps and checks the catalogue for structural
// defects: duplicate ids, missing languages, empty variant lists.
func (c *Catalog) index() error {
	c.profiles = make(map[string]*JobProfile, len(c.JobProfiles))
	for i := range c.JobProfiles {
		p := &c.JobProfiles[i]
		if p.ID == "" {
			return fmt.Errorf("catalog: job profile %d has no id", i)
		}
		if _, dup := c.profiles[p.ID]; dup {
			return fmt.Errorf("catalog: duplicate job profile %q", p.ID)
		}
		c.profiles[p.ID] = p
		seen := map[string]bool{}
		for _, t := range p.Tasks {
			if t.ID == "" || seen[t.ID] {
				return fmt.Errorf("catalog: job profile %q: task id %q missing or duplicate", p.ID, t.ID)
			}
			seen[t.ID] = true
		}
	}
	c.attributes = make(map[string]*Attribute, len(c.Attributes))
	for i := range c.Attributes {
		a := &c.Attributes[i]
		if _, dup := c.attributes[a.ID]; dup || a.ID == "" {
			return fmt.Errorf("catalog: attribute id %q missing or duplicate", a.ID)
		}
		if a.Kind != AttributePersonal && a.Kind != AttributeProfessional {
			return fmt.Errorf("catalog: attribute %q: kind %q", a.ID, a.Kind)
		}
		if a.MaxGrade < 0 || a.MaxGrade > 5 {
			return fmt.Errorf("catalog: attribute %q: maxGrade %d outside 1–5", a.ID, a.MaxGrade)
		}
		c.attributes[a.ID] = a
	}
	for lang, l := range c.Letters {
		for k, v := range l.Texts {
			if len(v) == 0 {
				return fmt.Errorf("catalog: letters.%s: %q has no variant", lang, k)
			}
		}
	}
	return nil
}

// Merge returns a new catalogue: base with the job profiles, attributes and
// letter texts of override laid over it. Entries of override replace those of
// base with the same id or key; everything else is kept. Neither input is
// modified. This is how a tenant's own catalogue is combined with the
// default one.
func Merge(base, override *Catalog) (*Catalog, error) {
	out := &Catalog{Version: base.Version, Letters: map[string]*Letters{}}
	if override.Version != "" {
		out.Version = base.Version + "+" + override.Version
	}
	out.JobProfiles = mergeByID(base.JobProfiles, override.JobProfiles, func(p JobProfile) string { return p.ID })
	out.Attributes = mergeByID(base.Attributes, override.Attributes, func(a Attribute) string { return a.ID })
	langs := map[string]bool{}
	for l := range base.Letters {
		langs[l] = true
	}
	for l := range override.Letters {
		langs[l] = true
	}
	for lang := range langs {
		m := &Letters{Language: lang, Texts: map[string][]string{}}
		if b := base.Letters[lang]; b != nil {
			m.Version = b.Version
			for k, v := range b.Texts {
				m.Texts[k] = v
			}
		}
		if o := override.Letters[lang]; o != nil {
			for k, v := range o.Texts {
				m.Texts[k] = v
			}
		}
		out.Letters[lang] = m
	}
	if err := out.index(); err != nil {
		return nil, err
	}
	return out, nil
}

func mergeByID[T any](base, over []T, id func(T) string) []T {
	pos := map[string]int{}
	out := make([]T, 0, len(base)+len(over))
	for _, v := range base {
		pos[id(v)] = len(out)
		out = append(out, v)
	}
	for _, v := range over {
		if i, ok := pos[id(v)]; ok {
			out[i] = v
			continue
		}
		pos[id(v)] = len(out)
		out = append(out, v)
	}
	return out
}

// ProfileIDs returns the ids of all job profiles, sorted.
func (c *Catalog) ProfileIDs() []string {
	ids := make([]string, 0, len(c.profiles))
	for id := range c.profiles {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}
