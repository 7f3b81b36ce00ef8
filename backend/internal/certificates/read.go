package certificates

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/zeugo/zeugo/backend/internal/catalog"
	"github.com/zeugo/zeugo/backend/internal/certificates/dbsqlc"
	"github.com/zeugo/zeugo/backend/internal/paging"
	"github.com/zeugo/zeugo/backend/internal/postgres"
	"github.com/zeugo/zeugo/backend/internal/uow"
)

// History returns the workflow history of a certificate in the caller's
// reach, oldest first.
func (s *Service) History(ctx context.Context, id uuid.UUID) ([]HistoryEntry, error) {
	var out []HistoryEntry
	err := s.work.Read(ctx, func(rd *uow.Reader) error {
		c, err := rd.Cipher()
		if err != nil {
			return err
		}
		if _, err := load(ctx, rd.DB, c, rd.P, id, false); err != nil {
			return err
		}
		rows, err := s.q.History(ctx, rd.DB, dbsqlc.HistoryParams{TenantID: rd.P.TenantID, CertificateID: id})
		if err != nil {
			return err
		}
		actors := make([]actor, len(rows))
		for i, r := range rows {
			actors[i] = actor{r.ActorKind, r.ActorID}
		}
		names, err := s.actorNames(ctx, rd.DB, c, rd.P.TenantID, actors)
		if err != nil {
			return err
		}
		for _, r := range rows {
			h := HistoryEntry{From: Status(r.FromStatus.String), To: Status(r.ToStatus), ActorKind: r.ActorKind,
				ActorID: r.ActorID, ActorName: names[actor{r.ActorKind, r.ActorID}], At: r.At}
			if h.Reason, err = c.OpenString(ctx, r.ID, colHistoryReason, r.ReasonEnc); err != nil {
				return err
			}
			out = append(out, h)
		}
		rd.Audit(ActionHistoryRead, target(id))
		return nil
	})
	return out, err
}

// Changes returns one page of a certificate's change log, newest first.
func (s *Service) Changes(ctx context.Context, id uuid.UUID, page paging.Request) (paging.Page[Change], error) {
	var out paging.Page[Change]
	err := s.work.Read(ctx, func(rd *uow.Reader) error {
		c, err := rd.Cipher()
		if err != nil {
			return err
		}
		if _, err := load(ctx, rd.DB, c, rd.P, id, false); err != nil {
			return err
		}
		l := postgres.List{Table: "certificate_changes", Desc: true, Key: "at", KeyArg: "?::timestamptz",
			Columns: "id, section, field, before_enc, after_enc, actor_kind, actor_id, at",
			Where:   []postgres.Cond{postgres.Where("certificate_id = ?", id)}}
		if out, err = uow.ListPage(rd, l, page, func(r pgx.CollectableRow) (Change, error) {
			var ch Change
			var before, after []byte
			if err := r.Scan(&ch.ID, &ch.Section, &ch.Field, &before, &after, &ch.ActorKind, &ch.ActorID, &ch.At); err != nil {
				return ch, err
			}
			if ch.Before, err = c.OpenString(ctx, ch.ID, colChangeBefore, before); err != nil {
				return ch, err
			}
			ch.After, err = c.OpenString(ctx, ch.ID, colChangeAfter, after)
			return ch, err
		}, func(ch *Change) (string, uuid.UUID) { return ch.At.UTC().Format(time.RFC3339Nano), ch.ID }); err != nil {
			return err
		}
		actors := make([]actor, len(out.Items))
		for i, ch := range out.Items {
			actors[i] = actor{ch.ActorKind, ch.ActorID}
		}
		names, err := s.actorNames(ctx, rd.DB, c, rd.P.TenantID, actors)
		if err != nil {
			return err
		}
		for i := range out.Items {
			out.Items[i].ActorName = names[actors[i]]
		}
		rd.Audit(ActionChangesRead, target(id))
		return nil
	})
	return out, err
}

// Catalog is what the editor offers in one language.
type Catalog struct {
	Version                string
	Profiles               []CatalogProfile
	Personal, Professional []CatalogAttribute
}

// CatalogProfile is a job profile with its task templates.
type CatalogProfile struct {
	ID, Title string
	Tasks     []CatalogTask
}

// CatalogTask is a task template.
type CatalogTask struct{ ID, Text string }

// CatalogAttribute is an attribute with the grades it may be named at.
type CatalogAttribute struct {
	ID, Text string
	Grades   []int
}

// Catalog returns the job profiles and attributes of the tenant's
// catalogue in lang that can be picked: hidden entries are left out (a
// certificate that already uses one keeps it).
func (s *Service) Catalog(ctx context.Context, lang string) (Catalog, error) {
	var out Catalog
	err := s.work.Read(ctx, func(rd *uow.Reader) error {
		lib, _, err := s.libs.Current(ctx, rd.DB, rd.P.TenantID)
		if err != nil {
			return err
		}
		out = catalogIn(lib.Catalog, lang)
		return nil
	})
	return out, err
}

func catalogIn(cat *catalog.Catalog, lang string) Catalog {
	out := Catalog{Version: cat.Version}
	text := func(t catalog.Text) string {
		v, _ := t.In(lang)
		return v
	}
	for _, id := range cat.ProfileIDs() {
		p, _ := cat.Profile(id)
		if cat.IsHidden(catalog.EntryJobProfile, id) {
			continue
		}
		cp := CatalogProfile{ID: p.ID, Title: p.Title[lang].N}
		for _, t := range p.Tasks {
			cp.Tasks = append(cp.Tasks, CatalogTask{ID: t.ID, Text: text(t.Text)})
		}
		out.Profiles = append(out.Profiles, cp)
	}
	for _, a := range cat.Attributes {
		if cat.IsHidden(catalog.EntryAttribute, a.ID) {
			continue
		}
		ca := CatalogAttribute{ID: a.ID, Text: text(a.Name)}
		for g := 1; g <= 5; g++ {
			if a.NamedAt(g) {
				ca.Grades = append(ca.Grades, g)
			}
		}
		if a.Kind == catalog.AttributePersonal {
			out.Personal = append(out.Personal, ca)
		} else {
			out.Professional = append(out.Professional, ca)
		}
	}
	return out
}
