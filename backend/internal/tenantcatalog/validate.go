package tenantcatalog

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/zeugo/zeugo/backend/internal/catalog"
)

// band is the worst grade at which an attribute is named.
func band(a catalog.Attribute) int {
	if a.MaxGrade == 0 {
		return catalog.DefaultMaxGrade
	}
	return a.MaxGrade
}

// paths names the fields of a problem: in a request (proto field names,
// "fields.title_de.neutral") or in an imported JSON
// ("json.jobProfiles[2].title.de.n").
type paths struct {
	proto  bool
	prefix string
}

var protoForm = map[string]string{"m": "masculine", "f": "feminine", "n": "neutral"}

func (p paths) title(lang, form string) string {
	if p.proto {
		return p.prefix + ".title_" + lang + "." + protoForm[form]
	}
	return p.prefix + ".title." + lang + "." + form
}

func (p paths) task(i int, field string) string {
	if p.proto {
		return fmt.Sprintf("%s.tasks[%d].%s", p.prefix, i, field)
	}
	if field == "de" || field == "en" {
		field = "text." + field
	}
	return fmt.Sprintf("%s.tasks[%d].%s", p.prefix, i, field)
}

func (p paths) name(lang string) string {
	if p.proto {
		return p.prefix + ".name_" + lang
	}
	return p.prefix + ".name." + lang
}

func (p paths) field(proto, js string) string {
	if p.proto {
		return p.prefix + "." + proto
	}
	return p.prefix + "." + js
}

func oneLine(s string) bool { return !strings.ContainsAny(s, "{}\r\n") }

// checkProfile checks a job profile; the checker reads every task text
// that differs from the shipped profile's (def, nil for an added one).
func checkProfile(ps *problems, at paths, p catalog.JobProfile, def *catalog.JobProfile) {
	if !idRe.MatchString(p.ID) {
		ps.add(at.field("id", "id"), ruleID, "Die Kennung besteht aus 2 bis 40 Kleinbuchstaben, Ziffern, - oder _.", "the id has 2 to 40 lower-case letters, digits, - or _.")
	}
	if utf8.RuneCountInString(p.Area) > MaxArea || !oneLine(p.Area) {
		ps.add(at.field("area", "area"), ruleTooLong, "Der Bereich hat höchstens %d Zeichen in einer Zeile.", "the area has at most %d characters on one line.", MaxArea)
	}
	for lang := range p.Title {
		if !slices.Contains(catalog.Languages, lang) {
			ps.add(at.field("title_"+lang, "title."+lang), ruleUnknownLang, "Unbekannte Sprache „%s“.", "unknown language “%s”.", lang)
		}
	}
	for _, lang := range catalog.Languages {
		t := p.Title[lang]
		for form, v := range map[string]string{"m": t.M, "f": t.F, "n": t.N} {
			switch {
			case utf8.RuneCountInString(v) > MaxTitle:
				ps.add(at.title(lang, form), ruleTooLong, "Höchstens %d Zeichen.", "at most %d characters.", MaxTitle)
			case !oneLine(v):
				ps.add(at.title(lang, form), ruleTemplate, "Ein Titel ist eine Zeile ohne Platzhalter.", "a title is one line without placeholders.")
			}
		}
		if lang == "de" && strings.TrimSpace(t.N) == "" {
			ps.add(at.title("de", "n"), ruleRequired, "Der deutsche Titel (neutrale Form) fehlt.", "the German title (neutral form) is missing.")
		}
		if lang != "de" && strings.TrimSpace(t.N) == "" && (t.M != "" || t.F != "") {
			ps.add(at.title(lang, "n"), ruleRequired, "Die neutrale Form fehlt.", "the neutral form is missing.")
		}
	}
	if len(p.Tasks) == 0 {
		ps.add(at.field("tasks", "tasks"), ruleRequired, "Ein Berufsbild braucht mindestens eine Aufgabe.", "a job profile needs at least one task.")
	}
	if len(p.Tasks) > MaxTasks {
		ps.add(at.field("tasks", "tasks"), ruleTooMany, "Höchstens %d Aufgaben.", "at most %d tasks.", MaxTasks)
	}
	seen := map[string]bool{}
	for i, t := range p.Tasks {
		if !idRe.MatchString(t.ID) {
			ps.add(at.task(i, "id"), ruleID, "Die Kennung besteht aus 2 bis 40 Kleinbuchstaben, Ziffern, - oder _.", "the id has 2 to 40 lower-case letters, digits, - or _.")
		} else if seen[t.ID] {
			ps.add(at.task(i, "id"), ruleDuplicate, "Die Kennung „%s“ kommt zweimal vor.", "the id “%s” occurs twice.", t.ID)
		}
		seen[t.ID] = true
		for lang := range t.Text {
			if lang != catalog.AnyLanguage && !slices.Contains(catalog.Languages, lang) {
				ps.add(at.task(i, lang), ruleUnknownLang, "Unbekannte Sprache „%s“.", "unknown language “%s”.", lang)
			}
		}
		var shipped catalog.Task
		if def != nil {
			shipped, _ = def.Task(t.ID)
		}
		for _, lang := range catalog.Languages {
			text, ok := t.Text.In(lang)
			if !ok {
				if lang == "de" {
					ps.add(at.task(i, "de"), ruleRequired, "Der deutsche Text fehlt.", "the German text is missing.")
				}
				continue
			}
			if old, _ := shipped.Text.In(lang); old == text {
				continue
			}
			checkTask(ps, at.task(i, lang), lang, text)
		}
	}
}

// checkAttribute checks an attribute; the checker reads its name in the
// sentence that names it (cat: the catalogue it is saved into) unless name
// and band are the shipped ones.
func checkAttribute(ps *problems, at paths, a catalog.Attribute, def *catalog.Attribute, cat *catalog.Catalog) {
	if !idRe.MatchString(a.ID) {
		ps.add(at.field("id", "id"), ruleID, "Die Kennung besteht aus 2 bis 40 Kleinbuchstaben, Ziffern, - oder _.", "the id has 2 to 40 lower-case letters, digits, - or _.")
	}
	if a.Kind != catalog.AttributePersonal && a.Kind != catalog.AttributeProfessional {
		ps.add(at.field("kind", "kind"), ruleKind, "Die Art ist „personal“ oder „professional“.", "the kind is “personal” or “professional”.")
		return
	}
	if a.MaxGrade < 0 || a.MaxGrade > 5 {
		ps.add(at.field("max_grade", "maxGrade"), ruleBand, "Die schlechteste Note liegt zwischen 1 und 5.", "the worst grade lies between 1 and 5.")
		return
	}
	for lang := range a.Name {
		if lang != catalog.AnyLanguage && !slices.Contains(catalog.Languages, lang) {
			ps.add(at.name(lang), ruleUnknownLang, "Unbekannte Sprache „%s“.", "unknown language “%s”.", lang)
		}
	}
	for _, lang := range catalog.Languages {
		name, ok := a.Name.In(lang)
		if !ok {
			if lang == "de" {
				ps.add(at.name("de"), ruleRequired, "Der deutsche Name fehlt.", "the German name is missing.")
			}
			continue
		}
		if def != nil && def.Kind == a.Kind && band(*def) == band(a) {
			if old, _ := def.Name.In(lang); old == name {
				continue
			}
		}
		checkAttributeName(ps, at.name(lang), lang, a.Kind, name, band(a), cat)
	}
}

// importKeys are the fields an imported catalogue may have, per level.
var (
	topKeys       = []string{"format", "jobProfiles", "attributes", "letters", "hiddenJobProfiles", "hiddenAttributes"}
	profileKeys   = []string{"id", "area", "title", "tasks"}
	titleKeys     = []string{"m", "f", "n"}
	taskKeys      = []string{"id", "text"}
	attributeKeys = []string{"id", "kind", "name", "maxGrade"}
)

// unknownFields lists every field of v (the decoded JSON) that an overlay
// does not have, with its path.
func unknownFields(ps *problems, v any) {
	obj := func(path string, x any, allowed []string) map[string]any {
		m, ok := x.(map[string]any)
		if !ok {
			if x != nil {
				ps.add(path, ruleJSON, "Hier wird ein Objekt erwartet.", "an object is expected here.")
			}
			return nil
		}
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if allowed != nil && !slices.Contains(allowed, k) {
				ps.add(path+"."+k, ruleJSON, "Unbekanntes Feld „%s“.", "unknown field “%s”.", k)
			}
		}
		return m
	}
	list := func(path string, x any) []any {
		l, ok := x.([]any)
		if !ok && x != nil {
			ps.add(path, ruleJSON, "Hier wird eine Liste erwartet.", "a list is expected here.")
		}
		return l
	}
	top := obj("json", v, topKeys)
	for i, p := range list("json.jobProfiles", top["jobProfiles"]) {
		pp := fmt.Sprintf("json.jobProfiles[%d]", i)
		m := obj(pp, p, profileKeys)
		if t, ok := m["title"].(map[string]any); ok {
			for lang, forms := range t {
				obj(pp+".title."+lang, forms, titleKeys)
			}
		}
		for j, t := range list(pp+".tasks", m["tasks"]) {
			obj(fmt.Sprintf("%s.tasks[%d]", pp, j), t, taskKeys)
		}
	}
	for i, a := range list("json.attributes", top["attributes"]) {
		obj(fmt.Sprintf("json.attributes[%d]", i), a, attributeKeys)
	}
}

// checkImport reads and checks an exported catalogue completely: unknown
// fields, types, structure, and the checker on every text that differs
// from the shipped one. It returns every problem at once.
func (s *Service) checkImport(body []byte) (*catalog.Overlay, error) {
	var ps problems
	var raw any
	if err := json.Unmarshal(body, &raw); err != nil {
		ps.add("json", ruleJSON, "Kein gültiges JSON: %s.", "not valid JSON: %s.", err.Error())
		return nil, ps.err("the catalogue cannot be imported")
	}
	unknownFields(&ps, raw)
	if len(ps) > 0 {
		return nil, ps.err("the catalogue cannot be imported")
	}
	o, err := catalog.ParseOverlay(bytes.TrimSpace(body))
	if err != nil {
		field := "json"
		if te, ok := err.(*json.UnmarshalTypeError); ok && te.Field != "" {
			field += "." + te.Field
		}
		ps.add(field, ruleJSON, "Falscher Typ oder Wert: %s.", "wrong type or value: %s.", err.Error())
		return nil, ps.err("the catalogue cannot be imported")
	}
	if o.Format != catalog.OverlayFormat {
		ps.add("json.format", ruleFormat, "Unbekanntes Format %d (erwartet %d).", "unknown format %d (expected %d).", o.Format, catalog.OverlayFormat)
	}
	def := s.base.Catalog
	if len(o.JobProfiles) > MaxJobProfiles {
		ps.add("json.jobProfiles", ruleTooMany, "Höchstens %d Berufsbilder.", "at most %d job profiles.", MaxJobProfiles)
	}
	if len(o.Attributes) > MaxAttributes {
		ps.add("json.attributes", ruleTooMany, "Höchstens %d Eigenschaften.", "at most %d attributes.", MaxAttributes)
	}
	seen := map[string]bool{}
	for i, p := range o.JobProfiles {
		at := paths{prefix: fmt.Sprintf("json.jobProfiles[%d]", i)}
		if seen[p.ID] {
			ps.add(at.prefix+".id", ruleDuplicate, "Die Kennung „%s“ kommt zweimal vor.", "the id “%s” occurs twice.", p.ID)
		}
		seen[p.ID] = true
		d, _ := def.Profile(p.ID)
		checkProfile(&ps, at, p, d)
	}
	// Attribute names are read in the imported letter texts' sentences.
	var cat *catalog.Catalog
	if len(ps) == 0 {
		if c, err := catalog.Apply(def, &catalog.Overlay{Letters: o.Letters}, "import"); err == nil {
			cat = c
		}
	}
	if cat == nil {
		cat = def
	}
	seen = map[string]bool{}
	for i, a := range o.Attributes {
		at := paths{prefix: fmt.Sprintf("json.attributes[%d]", i)}
		if seen[a.ID] {
			ps.add(at.prefix+".id", ruleDuplicate, "Die Kennung „%s“ kommt zweimal vor.", "the id “%s” occurs twice.", a.ID)
		}
		seen[a.ID] = true
		d, _ := def.Attribute(a.ID)
		checkAttribute(&ps, at, a, d, cat)
	}
	for _, lang := range sortedKeys(o.Letters) {
		if !slices.Contains(catalog.Languages, lang) {
			ps.add("json.letters."+lang, ruleUnknownLang, "Unbekannte Sprache „%s“.", "unknown language “%s”.", lang)
			continue
		}
		for _, key := range sortedKeys(o.Letters[lang]) {
			field := "json.letters." + lang + "." + key
			if def.Letter(lang, key) == nil {
				ps.add(field, ruleUnknownKey, "Unbekannter Brieftext „%s“.", "unknown letter text “%s”.", key)
				continue
			}
			vs := o.Letters[lang][key]
			if len(vs) == 0 {
				ps.add(field, ruleRequired, "Mindestens eine Variante.", "at least one variant.")
				continue
			}
			if !slices.Equal(vs, def.Letter(lang, key)) {
				checkLetter(&ps, field, key, lang, vs)
			}
		}
	}
	hidden := func(field string, ids []string, exists func(string) bool) {
		for i, id := range ids {
			if !exists(id) {
				ps.add(fmt.Sprintf("%s[%d]", field, i), ruleUnknownKey, "Unbekannter Eintrag „%s“.", "unknown entry “%s”.", id)
			}
		}
	}
	hidden("json.hiddenJobProfiles", o.HiddenJobProfiles, func(id string) bool {
		_, a := def.Profile(id)
		_, b := o.Profile(id)
		return a || b
	})
	hidden("json.hiddenAttributes", o.HiddenAttributes, func(id string) bool {
		_, a := def.Attribute(id)
		_, b := o.Attribute(id)
		return a || b
	})
	if err := ps.err("the catalogue cannot be imported"); err != nil {
		return nil, err
	}
	return o, nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
