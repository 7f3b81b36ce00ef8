package catalog

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
)

// OverlayFormat is the format version of an Overlay as stored and
// exported; an import of another format is refused.
const OverlayFormat = 1

// Overlay is a tenant's changes to the default catalogue: job profiles and
// attributes it replaced (same id as a default entry) or added (a new id),
// letter texts it replaced per language and key, and the entries it hid.
// Hidden entries stay in the merged catalogue, so certificates that use
// them keep working, but are not offered for new picks. Overlays are
// small: they hold only what the tenant changed.
type Overlay struct {
	Format      int          `json:"format"`
	JobProfiles []JobProfile `json:"jobProfiles,omitempty"`
	Attributes  []Attribute  `json:"attributes,omitempty"`
	// Letters maps language → key → variants.
	Letters           map[string]map[string][]string `json:"letters,omitempty"`
	HiddenJobProfiles []string                       `json:"hiddenJobProfiles,omitempty"`
	HiddenAttributes  []string                       `json:"hiddenAttributes,omitempty"`
}

// ParseOverlay reads an overlay strictly: unknown fields and trailing data
// are errors.
func ParseOverlay(b []byte) (*Overlay, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var o Overlay
	if err := dec.Decode(&o); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, fmt.Errorf("data after the catalogue")
	}
	return &o, nil
}

// Clone returns a deep copy, so a change can be prepared without touching
// the overlay a cached catalogue was built from.
func (o *Overlay) Clone() *Overlay {
	b, err := json.Marshal(o)
	if err != nil {
		panic(err) // only plain data
	}
	var c Overlay
	if err := json.Unmarshal(b, &c); err != nil {
		panic(err)
	}
	if c.Format == 0 {
		c.Format = OverlayFormat
	}
	return &c
}

// Profile returns the overlay's job profile with id.
func (o *Overlay) Profile(id string) (*JobProfile, bool) {
	for i := range o.JobProfiles {
		if o.JobProfiles[i].ID == id {
			return &o.JobProfiles[i], true
		}
	}
	return nil, false
}

// Attribute returns the overlay's attribute with id.
func (o *Overlay) Attribute(id string) (*Attribute, bool) {
	for i := range o.Attributes {
		if o.Attributes[i].ID == id {
			return &o.Attributes[i], true
		}
	}
	return nil, false
}

// SetProfile replaces or adds a job profile.
func (o *Overlay) SetProfile(p JobProfile) {
	if cur, ok := o.Profile(p.ID); ok {
		*cur = p
		return
	}
	o.JobProfiles = append(o.JobProfiles, p)
}

// SetAttribute replaces or adds an attribute.
func (o *Overlay) SetAttribute(a Attribute) {
	if cur, ok := o.Attribute(a.ID); ok {
		*cur = a
		return
	}
	o.Attributes = append(o.Attributes, a)
}

// SetLetter replaces the variants of a letter text in lang; nil removes the
// tenant's text, so the default one is used again.
func (o *Overlay) SetLetter(lang, key string, variants []string) {
	if len(variants) == 0 {
		if o.Letters[lang] != nil {
			delete(o.Letters[lang], key)
			if len(o.Letters[lang]) == 0 {
				delete(o.Letters, lang)
			}
		}
		return
	}
	if o.Letters == nil {
		o.Letters = map[string]map[string][]string{}
	}
	if o.Letters[lang] == nil {
		o.Letters[lang] = map[string][]string{}
	}
	o.Letters[lang][key] = slices.Clone(variants)
}

// Letter returns the tenant's variants of a letter text in lang, nil when
// it has none.
func (o *Overlay) Letter(lang, key string) []string { return o.Letters[lang][key] }

// RemoveProfile drops the tenant's version of a job profile.
func (o *Overlay) RemoveProfile(id string) {
	o.JobProfiles = slices.DeleteFunc(o.JobProfiles, func(p JobProfile) bool { return p.ID == id })
}

// RemoveAttribute drops the tenant's version of an attribute.
func (o *Overlay) RemoveAttribute(id string) {
	o.Attributes = slices.DeleteFunc(o.Attributes, func(a Attribute) bool { return a.ID == id })
}

// SetHidden hides or shows a job profile ("jobProfile") or an attribute
// ("attribute").
func (o *Overlay) SetHidden(kind, id string, hidden bool) {
	list := &o.HiddenJobProfiles
	if kind == EntryAttribute {
		list = &o.HiddenAttributes
	}
	*list = slices.DeleteFunc(*list, func(s string) bool { return s == id })
	if hidden {
		*list = append(*list, id)
		slices.Sort(*list)
	}
}

// Entry kinds, as overlays, audit records and the API name them.
const (
	EntryJobProfile = "jobProfile"
	EntryAttribute  = "attribute"
	EntryLetterText = "letterText"
)

// Apply returns base with the overlay laid over it, versioned version (the
// catalogue's Version becomes base.Version + "+" + version). Hidden entries
// stay resolvable by id (IsHidden reports them). Neither input is
// modified.
func Apply(base *Catalog, o *Overlay, version string) (*Catalog, error) {
	over := &Catalog{Version: version, JobProfiles: o.JobProfiles, Attributes: o.Attributes, Letters: map[string]*Letters{}}
	for lang, texts := range o.Letters {
		over.Letters[lang] = &Letters{Language: lang, Texts: texts}
	}
	out, err := Merge(base, over)
	if err != nil {
		return nil, err
	}
	out.hidden = map[string]bool{}
	for _, id := range o.HiddenJobProfiles {
		out.hidden[EntryJobProfile+":"+id] = true
	}
	for _, id := range o.HiddenAttributes {
		out.hidden[EntryAttribute+":"+id] = true
	}
	return out, nil
}

// IsHidden reports whether the tenant hid the job profile or attribute: it
// is not offered for new picks, but certificates that use it keep it.
func (c *Catalog) IsHidden(kind, id string) bool { return c.hidden[kind+":"+id] }

// LetterKeys returns the keys of the letter texts of lang, sorted.
func (c *Catalog) LetterKeys(lang string) []string {
	l := c.Letters[lang]
	if l == nil {
		return nil
	}
	return slices.Sorted(maps.Keys(l.Texts))
}
