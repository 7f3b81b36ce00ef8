package certificates

import (
	"encoding/json"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/google/uuid"

	"github.com/zeugo/zeugo/backend/internal/certificates/dbsqlc"
	"github.com/zeugo/zeugo/backend/internal/uow"
)

// derived are keys of a section's JSON that the server computes (the
// checker's reading, what was generated): they change with the text, and
// the text's own change is what the log records.
var derived = map[string]bool{"check": true, "generatedText": true, "generatedItems": true, "catalogVersion": true, "generatedAt": true}

// flatten turns a section's JSON into field paths ("positions[1].title",
// in proto field names) and values as text.
func flatten(b []byte) map[string]string {
	out := map[string]string{}
	var v any
	if err := json.Unmarshal(b, &v); err != nil || v == nil {
		return out
	}
	var walk func(prefix string, v any)
	walk = func(prefix string, v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, val := range x {
				if derived[k] {
					continue
				}
				name := snake(k)
				if prefix != "" {
					name = prefix + "." + name
				}
				walk(name, val)
			}
		case []any:
			for i, val := range x {
				walk(prefix+"["+strconv.Itoa(i)+"]", val)
			}
		case nil:
		default:
			out[prefix] = jsonString(x)
		}
	}
	walk("", v)
	return out
}

// snake turns a JSON name ("jobProfileId") into the proto field name
// ("job_profile_id").
func snake(s string) string {
	var b strings.Builder
	for i, r := range s {
		if unicode.IsUpper(r) {
			if i > 0 {
				b.WriteByte('_')
			}
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// fieldChange is one changed field before it is stored.
type fieldChange struct {
	field, before, after string
}

// diff lists the fields that differ between two versions of a section, in
// field order.
func diff(before, after []byte) []fieldChange {
	a, b := flatten(before), flatten(after)
	var out []fieldChange
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			out = append(out, fieldChange{k, v, b[k]})
		}
	}
	for k, w := range b {
		if _, ok := a[k]; !ok {
			out = append(out, fieldChange{k, "", w})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].field < out[j].field })
	return out
}

// recordChanges writes the change log of a section when the tenant's
// change tracking is on (SPEC §5.2, read with the certificate's lock): one
// row per changed field, the values encrypted with the row's id as
// associated data.
func (s *Service) recordChanges(tx *uow.Tx, cur *Certificate, sec Section, before, after []byte) error {
	if !cur.tracking {
		return nil
	}
	return s.insertChanges(tx, cur.ID, sec, diff(before, after))
}

// SecCertificate names, in the change log, what belongs to the
// certificate rather than to a section: its status and private flag.
const SecCertificate Section = "certificate"

// recordField writes one change of the certificate itself (status,
// private flag) to the change log when tracking is on.
func (s *Service) recordField(tx *uow.Tx, cur *Certificate, field, before, after string) error {
	if !cur.tracking || before == after {
		return nil
	}
	return s.insertChanges(tx, cur.ID, SecCertificate, []fieldChange{{field, before, after}})
}

// insertChanges stores change-log rows.
func (s *Service) insertChanges(tx *uow.Tx, certID uuid.UUID, sec Section, changes []fieldChange) error {
	if len(changes) == 0 {
		return nil
	}
	ctx := tx.Context()
	c, err := tx.Cipher()
	if err != nil {
		return err
	}
	now := s.work.Now()
	for _, ch := range changes {
		id := uuid.Must(uuid.NewV7())
		p := dbsqlc.InsertChangeParams{ID: id, TenantID: tx.P.TenantID, CertificateID: certID, Section: string(sec),
			Field: ch.field, ActorKind: string(tx.P.Kind), ActorID: tx.P.ActorID, At: now}
		if ch.before != "" {
			p.BeforeEnc = c.SealString(id, colChangeBefore, ch.before)
		}
		if ch.after != "" {
			p.AfterEnc = c.SealString(id, colChangeAfter, ch.after)
		}
		if err := s.q.InsertChange(ctx, tx, p); err != nil {
			return err
		}
	}
	return nil
}
