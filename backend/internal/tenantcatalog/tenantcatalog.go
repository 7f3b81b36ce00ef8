// Package tenantcatalog is the tenant's catalogue (SPEC §5.1; areas
// Berufsbilder, Brieftexte, Qualifikationen): the shipped default catalogue
// (package catalog) with the tenant's changes laid over it (catalog.Overlay:
// changed, added and hidden job profiles and attributes, changed letter
// texts per language).
//
// Every change stores a new version holding the complete overlay
// (catalog_versions); version 0 is the shipped catalogue alone. A change
// carries the version the client read: if the entry it changes was changed
// since, it is refused as a concurrent change (two administrators editing
// the same entry); a change of another entry in between is applied on top.
// Every text a tenant writes goes through the checker before it is saved
// (see check.go), so a tenant cannot put a coded phrase into every
// certificate through its catalogue.
//
// The Service is also the certificates' source of libraries (Current, At):
// a certificate records the version its text was generated with, and the
// library of a version is built once and cached.
package tenantcatalog

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/zeugo/zeugo/backend/internal/access"
	"github.com/zeugo/zeugo/backend/internal/apperr"
	"github.com/zeugo/zeugo/backend/internal/catalog"
	"github.com/zeugo/zeugo/backend/internal/generator"
	"github.com/zeugo/zeugo/backend/internal/postgres"
	"github.com/zeugo/zeugo/backend/internal/tenantcatalog/dbsqlc"
	"github.com/zeugo/zeugo/backend/internal/uow"
)

// Audit actions; details name the entry and the new version, never texts.
const (
	ActionUpdated  = "catalog.updated"
	ActionHidden   = "catalog.hidden"
	ActionShown    = "catalog.shown"
	ActionReset    = "catalog.reset"
	ActionImported = "catalog.imported"
	ActionExported = "catalog.exported"
)

// TargetCatalog is the audit target type; the id is the tenant's.
const TargetCatalog = "catalog"

// State says where an entry comes from.
type State int

// The states of an entry.
const (
	StateDefault State = iota + 1
	StateChanged
	StateAdded
)

// ProfileEntry is a job profile as the tenant's catalogue holds it.
type ProfileEntry struct {
	Profile catalog.JobProfile
	// Default is the shipped profile (nil for an added one).
	Default *catalog.JobProfile
	State   State
	Hidden  bool
	Missing []string
}

// AttributeEntry is an attribute as the tenant's catalogue holds it.
type AttributeEntry struct {
	Attribute catalog.Attribute
	Default   *catalog.Attribute
	State     State
	Hidden    bool
	Missing   []string
}

// LetterEntry is a letter text in every language.
type LetterEntry struct {
	Key string
	// Texts and Default map language → variants.
	Texts, Default map[string][]string
	State          State
	Changed        []string
}

// View is the tenant's catalogue as the administration shows it.
type View struct {
	Version        int64
	DefaultVersion string
	Profiles       []ProfileEntry
	Attributes     []AttributeEntry
	Letters        []LetterEntry
}

// VersionInfo is one entry of the history.
type VersionInfo struct {
	Version       int64
	Summary       string
	CreatedByName string
	CreatedAt     time.Time
}

// Service implements the use cases, each one unit of work, and gives the
// certificates their library.
type Service struct {
	work  *uow.Runner
	q     *dbsqlc.Queries
	base  *generator.Library
	cache *libCache
}

// NewService returns a Service over the shipped default library.
func NewService(work *uow.Runner) *Service {
	return &Service{work: work, q: dbsqlc.New(), base: generator.MustDefaultLibrary(), cache: newLibCache(512)}
}

// Current returns the library of the tenant's current catalogue and its
// version, read in db (a transaction or reader bound to the tenant).
func (s *Service) Current(ctx context.Context, db postgres.DBTX, tenantID uuid.UUID) (*generator.Library, int64, error) {
	v, err := s.q.LatestVersion(ctx, db, tenantID)
	if err != nil {
		return nil, 0, err
	}
	lib, err := s.At(ctx, db, tenantID, v)
	return lib, v, err
}

// At returns the library of version v of the tenant's catalogue (0: the
// shipped default), so an old certificate is regenerated word for word.
func (s *Service) At(ctx context.Context, db postgres.DBTX, tenantID uuid.UUID, v int64) (*generator.Library, error) {
	if v == 0 {
		return s.base, nil
	}
	if lib, ok := s.cache.get(tenantID, v); ok {
		return lib, nil
	}
	o, err := s.overlay(ctx, db, tenantID, v)
	if err != nil {
		return nil, err
	}
	lib, err := s.library(o, v)
	if err != nil {
		return nil, err
	}
	s.cache.put(tenantID, v, lib)
	return lib, nil
}

// library builds the library of an overlay.
func (s *Service) library(o *catalog.Overlay, v int64) (*generator.Library, error) {
	if v == 0 {
		return s.base, nil
	}
	cat, err := catalog.Apply(s.base.Catalog, o, versionLabel(v))
	if err != nil {
		return nil, err
	}
	return &generator.Library{Phrases: s.base.Phrases, Catalog: cat}, nil
}

// versionLabel is the tenant part of a catalogue's version string: the
// certificate's catalogue version reads "catalog 2026.11-1+t7, letters de
// 3, phrases de 1" for the tenant's version 7 over the shipped 2026.11-1.
func versionLabel(v int64) string { return "t" + strconv.FormatInt(v, 10) }

func (s *Service) overlay(ctx context.Context, db postgres.DBTX, tenantID uuid.UUID, v int64) (*catalog.Overlay, error) {
	if v == 0 {
		return &catalog.Overlay{Format: catalog.OverlayFormat}, nil
	}
	r, err := s.q.GetVersion(ctx, db, dbsqlc.GetVersionParams{TenantID: tenantID, Version: v})
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, apperr.New(apperr.NotFound, "catalogue version not found")
	}
	if err != nil {
		return nil, err
	}
	o, err := catalog.ParseOverlay(r.Overlay)
	if err != nil {
		return nil, fmt.Errorf("tenantcatalog: stored version %d: %w", v, err)
	}
	return o, nil
}

// Get returns the tenant's current catalogue with every entry's state.
func (s *Service) Get(ctx context.Context) (*View, error) {
	var out *View
	err := s.work.Read(ctx, func(rd *uow.Reader) error {
		v, err := s.q.LatestVersion(ctx, rd.DB, rd.P.TenantID)
		if err != nil {
			return err
		}
		o, err := s.overlay(ctx, rd.DB, rd.P.TenantID, v)
		if err != nil {
			return err
		}
		lib, err := s.At(ctx, rd.DB, rd.P.TenantID, v)
		if err != nil {
			return err
		}
		out = s.view(v, o, lib.Catalog)
		return nil
	})
	return out, err
}

func missing(t map[string]bool) []string {
	var out []string
	for _, lang := range catalog.Languages {
		if !t[lang] {
			out = append(out, lang)
		}
	}
	return out
}

func (s *Service) view(v int64, o *catalog.Overlay, cat *catalog.Catalog) *View {
	def := s.base.Catalog
	out := &View{Version: v, DefaultVersion: def.Version}
	for _, id := range cat.ProfileIDs() {
		p, _ := cat.Profile(id)
		e := ProfileEntry{Profile: *p, State: StateDefault, Hidden: cat.IsHidden(catalog.EntryJobProfile, id)}
		if d, ok := def.Profile(id); ok {
			e.Default = d
			if _, changed := o.Profile(id); changed {
				e.State = StateChanged
			}
		} else {
			e.State = StateAdded
		}
		has := map[string]bool{}
		for _, lang := range catalog.Languages {
			ok := p.Title[lang].N != ""
			for _, t := range p.Tasks {
				if _, in := t.Text.In(lang); !in {
					ok = false
				}
			}
			has[lang] = ok
		}
		e.Missing = missing(has)
		out.Profiles = append(out.Profiles, e)
	}
	for _, a := range cat.Attributes {
		e := AttributeEntry{Attribute: a, State: StateDefault, Hidden: cat.IsHidden(catalog.EntryAttribute, a.ID)}
		if d, ok := def.Attribute(a.ID); ok {
			e.Default = d
			if _, changed := o.Attribute(a.ID); changed {
				e.State = StateChanged
			}
		} else {
			e.State = StateAdded
		}
		has := map[string]bool{}
		for _, lang := range catalog.Languages {
			_, has[lang] = a.Name.In(lang)
		}
		e.Missing = missing(has)
		out.Attributes = append(out.Attributes, e)
	}
	for _, key := range def.LetterKeys("de") {
		e := LetterEntry{Key: key, Texts: map[string][]string{}, Default: map[string][]string{}, State: StateDefault}
		for _, lang := range catalog.Languages {
			e.Texts[lang] = cat.Letter(lang, key)
			e.Default[lang] = def.Letter(lang, key)
			if o.Letter(lang, key) != nil {
				e.State = StateChanged
				e.Changed = append(e.Changed, lang)
			}
		}
		out.Letters = append(out.Letters, e)
	}
	return out
}

// change is one change of the catalogue: it loads the current overlay,
// refuses the change when entry (kind:id, or "" for the whole catalogue)
// changed since the version read, lets edit change a copy, checks the
// result and stores it as the next version. An edit that changes nothing
// stores nothing and returns the current version.
func (s *Service) change(ctx context.Context, read int64, entry, action, summary string,
	edit func(o *catalog.Overlay) error) (int64, error) {
	var next int64
	err := s.work.Write(ctx, func(tx *uow.Tx) error {
		latest, err := s.q.LatestVersion(ctx, tx, tx.P.TenantID)
		if err != nil {
			return err
		}
		if read > latest {
			return apperr.ErrConcurrentChange
		}
		cur, err := s.overlay(ctx, tx, tx.P.TenantID, latest)
		if err != nil {
			return err
		}
		if read != latest {
			if entry == "" {
				return apperr.ErrConcurrentChange
			}
			old, err := s.overlay(ctx, tx, tx.P.TenantID, read)
			if err != nil {
				return err
			}
			if snapshot(old, entry) != snapshot(cur, entry) {
				return apperr.ErrConcurrentChange
			}
		}
		o := cur.Clone()
		if err := edit(o); err != nil {
			return err
		}
		o.Format = catalog.OverlayFormat
		body, err := json.Marshal(o)
		if err != nil {
			return err
		}
		if prev, _ := json.Marshal(cur); string(prev) == string(body) && latest > 0 {
			next = latest
			return nil
		}
		if _, err := s.library(o, latest+1); err != nil {
			return apperr.Wrap(apperr.InvalidArgument, "the catalogue is inconsistent", err)
		}
		next = latest + 1
		by := pgtype.UUID{Bytes: tx.P.UserID, Valid: tx.P.UserID != uuid.Nil}
		err = s.q.InsertVersion(ctx, tx, dbsqlc.InsertVersionParams{TenantID: tx.P.TenantID, Version: next, Overlay: body,
			Summary: clip(summary), CreatedBy: by, CreatedAt: s.work.Now()})
		if _, dup := postgres.UniqueViolation(err); dup {
			return apperr.ErrConcurrentChange
		}
		if err != nil {
			return err
		}
		details := map[string]string{"version": strconv.FormatInt(next, 10)}
		if entry != "" {
			details["entry"] = entry
		}
		return tx.Record(action, uow.Target{Type: TargetCatalog, ID: tx.P.TenantID}, details)
	})
	return next, err
}

func clip(s string) string {
	r := []rune(s)
	if len(r) > maxSummaryRunes {
		return string(r[:maxSummaryRunes-1]) + "…"
	}
	return s
}

// snapshot is what an overlay says about one entry, to compare two
// versions.
func snapshot(o *catalog.Overlay, entry string) string {
	kind, id, _ := cut(entry)
	var v any
	switch kind {
	case catalog.EntryJobProfile:
		p, _ := o.Profile(id)
		v = []any{p, slices.Contains(o.HiddenJobProfiles, id)}
	case catalog.EntryAttribute:
		a, _ := o.Attribute(id)
		v = []any{a, slices.Contains(o.HiddenAttributes, id)}
	case catalog.EntryLetterText:
		v = []any{o.Letter("de", id), o.Letter("en", id)}
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func cut(entry string) (kind, id string, ok bool) {
	for i := range entry {
		if entry[i] == ':' {
			return entry[:i], entry[i+1:], true
		}
	}
	return entry, "", false
}

// areaOf is the area a kind of entry belongs to.
func areaOf(kind string) access.Area {
	switch kind {
	case catalog.EntryJobProfile:
		return access.AreaJobProfiles
	case catalog.EntryAttribute:
		return access.AreaQualifications
	}
	return access.AreaLetterTexts
}

// mayChange refuses a caller whose role lacks the area of kind (the rpc's
// rule admits any of the catalogue's areas).
func mayChange(ctx context.Context, kinds ...string) error {
	p, err := access.From(ctx)
	if err != nil {
		return err
	}
	for _, k := range kinds {
		if !p.Has(areaOf(k)) {
			return apperr.New(apperr.PermissionDenied, "your role does not grant this catalogue area")
		}
	}
	return nil
}

// UpdateProfile changes the job profile id or, for a new id, adds it.
func (s *Service) UpdateProfile(ctx context.Context, read int64, p catalog.JobProfile) (int64, error) {
	entry := catalog.EntryJobProfile + ":" + p.ID
	return s.change(ctx, read, entry, ActionUpdated, entry+" updated", func(o *catalog.Overlay) error {
		def, isDefault := s.base.Catalog.Profile(p.ID)
		var ps problems
		checkProfile(&ps, paths{proto: true, prefix: "fields"}, p, def)
		if err := ps.err("the job profile is not valid"); err != nil {
			return err
		}
		if isDefault && sameJSON(*def, p) {
			o.RemoveProfile(p.ID)
			return nil
		}
		if _, exists := o.Profile(p.ID); !exists && !isDefault && len(o.JobProfiles) >= MaxJobProfiles {
			return apperr.Field(apperr.ResourceExhausted, "id", ruleTooMany, fmt.Sprintf("at most %d job profiles", MaxJobProfiles))
		}
		o.SetProfile(p)
		return nil
	})
}

// UpdateAttribute changes the attribute id or, for a new id, adds it.
func (s *Service) UpdateAttribute(ctx context.Context, read int64, a catalog.Attribute) (int64, error) {
	entry := catalog.EntryAttribute + ":" + a.ID
	return s.change(ctx, read, entry, ActionUpdated, entry+" updated", func(o *catalog.Overlay) error {
		def, isDefault := s.base.Catalog.Attribute(a.ID)
		cur, err := s.library(o, 1)
		if err != nil {
			return err
		}
		var ps problems
		checkAttribute(&ps, paths{proto: true, prefix: "fields"}, a, def, cur.Catalog)
		if err := ps.err("the attribute is not valid"); err != nil {
			return err
		}
		if isDefault && sameJSON(normal(*def), normal(a)) {
			o.RemoveAttribute(a.ID)
			return nil
		}
		if _, exists := o.Attribute(a.ID); !exists && !isDefault && len(o.Attributes) >= MaxAttributes {
			return apperr.Field(apperr.ResourceExhausted, "id", ruleTooMany, fmt.Sprintf("at most %d attributes", MaxAttributes))
		}
		o.SetAttribute(a)
		return nil
	})
}

// normal writes the default grade band out, so 0 and 3 compare equal.
func normal(a catalog.Attribute) catalog.Attribute {
	a.MaxGrade = band(a)
	return a
}

// UpdateLetter changes the variants of the letter text key; a language
// without variants (or with the shipped ones) uses the shipped text.
func (s *Service) UpdateLetter(ctx context.Context, read int64, key string, texts map[string][]string) (int64, error) {
	entry := catalog.EntryLetterText + ":" + key
	if s.base.Catalog.Letter("de", key) == nil {
		return 0, apperr.Field(apperr.InvalidArgument, "key", ruleUnknownKey, "unknown letter text")
	}
	var ps problems
	for lang, vs := range texts {
		if !slices.Contains(catalog.Languages, lang) {
			ps.add("fields."+lang, ruleUnknownLang, "Unbekannte Sprache „%s“.", "unknown language “%s”.", lang)
			continue
		}
		if len(vs) > 0 && !slices.Equal(vs, s.base.Catalog.Letter(lang, key)) {
			checkLetter(&ps, "fields."+lang, key, lang, vs)
		}
	}
	if err := ps.err("the letter text is not valid"); err != nil {
		return 0, err
	}
	return s.change(ctx, read, entry, ActionUpdated, entry+" updated", func(o *catalog.Overlay) error {
		for _, lang := range catalog.Languages {
			vs := texts[lang]
			if slices.Equal(vs, s.base.Catalog.Letter(lang, key)) {
				vs = nil
			}
			o.SetLetter(lang, key, vs)
		}
		return nil
	})
}

// Hide hides (or shows again) a job profile or attribute.
func (s *Service) Hide(ctx context.Context, read int64, kind, id string, hidden bool) (int64, error) {
	if err := mayChange(ctx, kind); err != nil {
		return 0, err
	}
	entry := kind + ":" + id
	action, summary := ActionHidden, entry+" hidden"
	if !hidden {
		action, summary = ActionShown, entry+" shown"
	}
	return s.change(ctx, read, entry, action, summary, func(o *catalog.Overlay) error {
		cat, err := s.library(o, 1)
		if err != nil {
			return err
		}
		exists := false
		if kind == catalog.EntryJobProfile {
			_, exists = cat.Catalog.Profile(id)
		} else {
			_, exists = cat.Catalog.Attribute(id)
		}
		if !exists {
			return apperr.New(apperr.NotFound, "catalogue entry not found")
		}
		o.SetHidden(kind, id, hidden)
		return nil
	})
}

// Reset returns a shipped entry to the shipped text and shows it again.
func (s *Service) Reset(ctx context.Context, read int64, kind, id string) (int64, error) {
	if err := mayChange(ctx, kind); err != nil {
		return 0, err
	}
	def := s.base.Catalog
	shipped := false
	switch kind {
	case catalog.EntryJobProfile:
		_, shipped = def.Profile(id)
	case catalog.EntryAttribute:
		_, shipped = def.Attribute(id)
	case catalog.EntryLetterText:
		shipped = def.Letter("de", id) != nil
	}
	if !shipped {
		return 0, apperr.Field(apperr.FailedPrecondition, "id", "zeugo.catalog.not_shipped",
			"only a shipped entry can be reset; hide an added one instead")
	}
	entry := kind + ":" + id
	return s.change(ctx, read, entry, ActionReset, entry+" reset", func(o *catalog.Overlay) error {
		switch kind {
		case catalog.EntryJobProfile:
			o.RemoveProfile(id)
			o.SetHidden(kind, id, false)
		case catalog.EntryAttribute:
			o.RemoveAttribute(id)
			o.SetHidden(kind, id, false)
		default:
			for _, lang := range catalog.Languages {
				o.SetLetter(lang, id, nil)
			}
		}
		return nil
	})
}

// Versions returns up to size versions older than before (0: the newest),
// newest first.
func (s *Service) Versions(ctx context.Context, before int64, size int) ([]VersionInfo, error) {
	if size <= 0 || size > 100 {
		size = 50
	}
	if before <= 0 {
		before = 1 << 62
	}
	var out []VersionInfo
	err := s.work.Read(ctx, func(rd *uow.Reader) error {
		rows, err := s.q.ListVersions(ctx, rd.DB, dbsqlc.ListVersionsParams{TenantID: rd.P.TenantID, Before: before, PageSize: int32(size)})
		if err != nil {
			return err
		}
		c, err := rd.Cipher()
		if err != nil {
			return err
		}
		for _, r := range rows {
			vi := VersionInfo{Version: r.Version, Summary: r.Summary, CreatedAt: r.CreatedAt}
			if r.CreatedBy.Valid && r.FirstNameEnc != nil {
				id := uuid.UUID(r.CreatedBy.Bytes)
				first, err := c.OpenString(ctx, id, "users.first_name", r.FirstNameEnc)
				if err != nil {
					return err
				}
				last, err := c.OpenString(ctx, id, "users.last_name", r.LastNameEnc)
				if err != nil {
					return err
				}
				vi.CreatedByName = first + " " + last
			}
			out = append(out, vi)
		}
		return nil
	})
	return out, err
}

// Export returns the tenant's overlay as indented JSON and its version;
// any of the catalogue's areas may read it (GetCatalog shows the same).
// The export is recorded (it is the tenant's whole catalogue leaving).
func (s *Service) Export(ctx context.Context) ([]byte, int64, error) {
	var (
		body []byte
		v    int64
	)
	err := s.work.Read(ctx, func(rd *uow.Reader) error {
		var err error
		if v, err = s.q.LatestVersion(ctx, rd.DB, rd.P.TenantID); err != nil {
			return err
		}
		o, err := s.overlay(ctx, rd.DB, rd.P.TenantID, v)
		if err != nil {
			return err
		}
		o.Format = catalog.OverlayFormat
		if body, err = json.MarshalIndent(o, "", "  "); err != nil {
			return err
		}
		rd.AuditWith(ActionExported, uow.Target{Type: TargetCatalog, ID: rd.P.TenantID}, map[string]string{"version": strconv.FormatInt(v, 10)})
		return nil
	})
	return body, v, err
}

// Import replaces the tenant's overlay by an exported one, after checking
// all of it; every problem comes back with its path ("json.jobProfiles[2]
// .tasks[0].text.de").
func (s *Service) Import(ctx context.Context, read int64, body []byte) (int64, error) {
	if err := mayChange(ctx, catalog.EntryJobProfile, catalog.EntryAttribute, catalog.EntryLetterText); err != nil {
		return 0, err
	}
	o, err := s.checkImport(body)
	if err != nil {
		return 0, err
	}
	return s.change(ctx, read, "", ActionImported, "catalogue imported", func(cur *catalog.Overlay) error {
		// An added entry the import lacks stays, hidden: certificates that
		// use it keep working (the same as hiding it by hand).
		def := s.base.Catalog
		for _, p := range cur.JobProfiles {
			if _, shipped := def.Profile(p.ID); !shipped {
				if _, kept := o.Profile(p.ID); !kept {
					o.SetProfile(p)
					o.SetHidden(catalog.EntryJobProfile, p.ID, true)
				}
			}
		}
		for _, a := range cur.Attributes {
			if _, shipped := def.Attribute(a.ID); !shipped {
				if _, kept := o.Attribute(a.ID); !kept {
					o.SetAttribute(a)
					o.SetHidden(catalog.EntryAttribute, a.ID, true)
				}
			}
		}
		*cur = *o
		return nil
	})
}

func sameJSON(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}

// libCache holds the libraries of recently used (tenant, version) pairs;
// versions never change, so entries never go stale. When full, it starts
// over (a rebuild costs one read and a merge).
type libCache struct {
	mu  sync.Mutex
	max int
	m   map[libKey]*generator.Library
}

type libKey struct {
	tenant  uuid.UUID
	version int64
}

func newLibCache(max int) *libCache { return &libCache{max: max, m: map[libKey]*generator.Library{}} }

func (c *libCache) get(t uuid.UUID, v int64) (*generator.Library, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	l, ok := c.m[libKey{t, v}]
	return l, ok
}

func (c *libCache) put(t uuid.UUID, v int64, l *generator.Library) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= c.max {
		clear(c.m)
	}
	c.m[libKey{t, v}] = l
}
