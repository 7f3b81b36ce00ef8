// Package mailtpl holds the tenant's own email templates (area
// E-Mail-Vorlagen) and its sender name (area Individualisierung, SPEC §3.1).
// A tenant's template replaces the built-in one of its name and language
// when the outbox renders the mail at delivery (outbox.Outbox loads a
// tenant's templates once per delivery batch); resetting it deletes the
// row, so the built-in one is used again. The checks a template must pass
// are package outbox's (outbox.CheckCustom): plain text with the
// template's placeholders only, the required link present, a one-line
// subject, size limits — verified by rendering it with sample data before
// it is saved.
package mailtpl

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/zeugo/zeugo/backend/internal/apperr"
	"github.com/zeugo/zeugo/backend/internal/mailtpl/dbsqlc"
	"github.com/zeugo/zeugo/backend/internal/outbox"
	"github.com/zeugo/zeugo/backend/internal/ratelimit"
	"github.com/zeugo/zeugo/backend/internal/uow"
	"github.com/zeugo/zeugo/backend/internal/users"
)

// Audit actions; details name the template and language, never contents.
const (
	ActionTemplateUpdated = "mail.template.updated"
	ActionTemplateReset   = "mail.template.reset"
	ActionSenderUpdated   = "mail.sender.updated"
)

const (
	targetTemplate = "mail_template"
	targetTenant   = "tenant"
)

// Template is one template in one language.
type Template struct {
	Name, Language string
	Default        outbox.Custom
	// Custom is the tenant's own content if Overridden.
	Custom     outbox.Custom
	Overridden bool
	// Version of the own content, 0 without one.
	Version   int64
	UpdatedAt time.Time
	// Placeholders the template may use, Required the ones its text must
	// contain.
	Placeholders, Required []string
}

// Sender is the tenant's sender name.
type Sender struct {
	Name string
	// Custom: a name is set; else Name is the tenant's name.
	Custom bool
}

// Service implements the use cases, each one unit of work.
type Service struct {
	work    *uow.Runner
	q       *dbsqlc.Queries
	tmpl    *outbox.Templates
	outbox  *outbox.Outbox
	limiter *ratelimit.Limiter
}

// NewService returns a Service over the built-in templates; test mails go
// through ob, limited by lim.
func NewService(work *uow.Runner, ob *outbox.Outbox, lim *ratelimit.Limiter) *Service {
	return &Service{work: work, q: dbsqlc.New(), tmpl: outbox.Defaults(), outbox: ob, limiter: lim}
}

// TestMailsPerUser bounds the test mails one user can send.
var TestMailsPerUser = ratelimit.Rule{Name: "mail-test-user", Limit: 5, Window: 15 * time.Minute}

// ActionTestSent is the audit action of a test mail.
const ActionTestSent = "mail.template.test_sent"

// SendTest renders content c of template name in lang with sample data, as
// Preview does, and queues it with "[Test]" before the subject for the
// caller's own address. It returns that address.
func (s *Service) SendTest(ctx context.Context, name, lang string, c outbox.Custom) (string, error) {
	_, r, err := s.Preview(ctx, name, lang, c)
	if err != nil {
		return "", err
	}
	var to string
	err = s.work.Write(ctx, func(tx *uow.Tx) error {
		if tx.P.UserID == uuid.Nil {
			return apperr.New(apperr.PermissionDenied, "only a user has an address to send a test to")
		}
		if err := s.limiter.AllowIn(ctx, tx, TestMailsPerUser, tx.P.UserID.String()); err != nil {
			return err
		}
		ci, err := tx.Cipher()
		if err != nil {
			return err
		}
		contact, ok, err := users.ContactOf(ctx, tx, ci, tx.P.TenantID, tx.P.UserID)
		if err != nil {
			return err
		}
		if !ok {
			return apperr.New(apperr.PermissionDenied, "the caller is not an active user")
		}
		to = contact.Email
		if _, err := s.outbox.Enqueue(ctx, tx.Tx, tx.P.TenantID, outbox.Message{Kind: outbox.Email, To: to,
			Subject: "[Test] " + r.Subject, Plain: r.Plain, HTML: r.HTML}); err != nil {
			return err
		}
		return tx.Record(ActionTestSent, uow.Target{Type: targetTemplate, ID: tx.P.TenantID},
			map[string]string{"template": name, "language": lang})
	})
	return to, err
}

func (s *Service) base(name, lang string) (Template, error) {
	def, ok := s.tmpl.DefaultSource(name, lang)
	if !ok || !slices.Contains(outbox.TemplateNames, name) {
		return Template{}, apperr.Field(apperr.InvalidArgument, "name", "zeugo.mail.unknown_template", "unknown template")
	}
	return Template{Name: name, Language: lang, Default: def, Placeholders: outbox.Placeholders(name),
		Required: outbox.RequiredPlaceholders(name)}, nil
}

// List returns every template in every language, the tenant's own
// content where it has one.
func (s *Service) List(ctx context.Context) ([]Template, error) {
	var out []Template
	err := s.work.Read(ctx, func(rd *uow.Reader) error {
		rows, err := s.q.ListTemplates(ctx, rd.DB, rd.P.TenantID)
		if err != nil {
			return err
		}
		for _, name := range outbox.TemplateNames {
			for _, lang := range outbox.Languages {
				t, err := s.base(name, lang)
				if err != nil {
					return err
				}
				for _, r := range rows {
					if r.Name == name && r.Language == lang {
						t.Custom, t.Overridden, t.Version, t.UpdatedAt = outbox.Custom{Subject: r.Subject, Text: r.Body}, true, r.Version, r.UpdatedAt
					}
				}
				out = append(out, t)
			}
		}
		return nil
	})
	return out, err
}

// Update saves the tenant's own content of template name in lang. version
// is the one read (0: none yet); a mismatch is Aborted.
func (s *Service) Update(ctx context.Context, name, lang string, version int64, c outbox.Custom) (*Template, error) {
	t, err := s.base(name, lang)
	if err != nil {
		return nil, err
	}
	if err := check(name, c); err != nil {
		return nil, err
	}
	err = s.work.Write(ctx, func(tx *uow.Tx) error {
		now := s.work.Now()
		by := pgtype.UUID{Bytes: tx.P.UserID, Valid: tx.P.UserID != uuid.Nil}
		var (
			v  int64
			at time.Time
		)
		if version == 0 {
			r, err := s.q.InsertTemplate(ctx, tx, dbsqlc.InsertTemplateParams{TenantID: tx.P.TenantID, Name: name, Language: lang,
				Subject: c.Subject, Body: c.Text, Now: now, UpdatedBy: by, FirstVersion: max(now.UnixMicro(), 1)})
			if errors.Is(err, pgx.ErrNoRows) {
				return apperr.ErrConcurrentChange
			}
			if err != nil {
				return err
			}
			v, at = r.Version, r.UpdatedAt
		} else {
			r, err := s.q.UpdateTemplate(ctx, tx, dbsqlc.UpdateTemplateParams{TenantID: tx.P.TenantID, Name: name, Language: lang,
				Subject: c.Subject, Body: c.Text, Now: now, UpdatedBy: by, Version: version})
			if errors.Is(err, pgx.ErrNoRows) {
				return apperr.ErrConcurrentChange
			}
			if err != nil {
				return err
			}
			v, at = r.Version, r.UpdatedAt
		}
		t.Custom, t.Overridden, t.Version, t.UpdatedAt = c, true, v, at
		return tx.Record(ActionTemplateUpdated, uow.Target{Type: targetTemplate, ID: tx.P.TenantID},
			map[string]string{"template": name, "language": lang})
	})
	if err != nil {
		return nil, err
	}
	return &t, nil
}

// Reset deletes the tenant's own content of template name in lang, so the
// built-in one is used again. version must be the own content's (else
// Aborted, also when there is none).
func (s *Service) Reset(ctx context.Context, name, lang string, version int64) (*Template, error) {
	t, err := s.base(name, lang)
	if err != nil {
		return nil, err
	}
	err = s.work.Write(ctx, func(tx *uow.Tx) error {
		n, err := s.q.DeleteTemplate(ctx, tx, dbsqlc.DeleteTemplateParams{TenantID: tx.P.TenantID, Name: name, Language: lang,
			Version: version})
		if err != nil {
			return err
		}
		if n == 0 {
			return apperr.ErrConcurrentChange
		}
		return tx.Record(ActionTemplateReset, uow.Target{Type: targetTemplate, ID: tx.P.TenantID},
			map[string]string{"template": name, "language": lang})
	})
	if err != nil {
		return nil, err
	}
	return &t, nil
}

// Preview renders content c of template name in lang with sample data and
// the tenant's sender name, after the same checks as Update.
func (s *Service) Preview(ctx context.Context, name, lang string, c outbox.Custom) (sender string, r outbox.Rendered, err error) {
	if _, err := s.base(name, lang); err != nil {
		return "", r, err
	}
	if err := check(name, c); err != nil {
		return "", r, err
	}
	snd, err := s.Sender(ctx)
	if err != nil {
		return "", r, err
	}
	r, err = outbox.RenderCustom(name, lang, c, outbox.SampleData(name, lang), snd.Name)
	if err != nil {
		return "", r, apperr.Field(apperr.InvalidArgument, "fields.text", "zeugo.mail.syntax", "the template cannot be rendered")
	}
	return snd.Name, r, nil
}

// Sender returns the tenant's sender name.
func (s *Service) Sender(ctx context.Context) (*Sender, error) {
	var out *Sender
	err := s.work.Read(ctx, func(rd *uow.Reader) error {
		r, err := s.q.GetSender(ctx, rd.DB, rd.P.TenantID)
		if err != nil {
			return err
		}
		out = senderOf(r.MailSenderName, r.Name)
		return nil
	})
	return out, err
}

func senderOf(set pgtype.Text, tenantName string) *Sender {
	if set.Valid {
		return &Sender{Name: set.String, Custom: true}
	}
	return &Sender{Name: tenantName}
}

// MaxSenderName is the longest sender name (the CHECK of migration 00009).
const MaxSenderName = 200

// UpdateSender sets the tenant's sender name: 1–200 characters, one line
// (it becomes the display name of a From header).
func (s *Service) UpdateSender(ctx context.Context, name string) (*Sender, error) {
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		return nil, apperr.Field(apperr.InvalidArgument, "fields.sender_name", "zeugo.mail.required", "the sender name is required")
	case len([]rune(name)) > MaxSenderName:
		return nil, apperr.Field(apperr.InvalidArgument, "fields.sender_name", "zeugo.mail.too_long", "the sender name may have at most 200 characters")
	case strings.ContainsAny(name, "\r\n\u2028\u2029\u0085"):
		return nil, apperr.Field(apperr.InvalidArgument, "fields.sender_name", "zeugo.mail.subject_line_break", "the sender name must be a single line")
	}
	var out *Sender
	err := s.work.Write(ctx, func(tx *uow.Tx) error {
		if _, err := s.q.LockSender(ctx, tx, tx.P.TenantID); err != nil {
			return err
		}
		if err := s.q.UpdateSender(ctx, tx, dbsqlc.UpdateSenderParams{TenantID: tx.P.TenantID,
			SenderName: pgtype.Text{String: name, Valid: true}}); err != nil {
			return err
		}
		out = &Sender{Name: name, Custom: true}
		return tx.Record(ActionSenderUpdated, uow.Target{Type: targetTenant, ID: tx.P.TenantID}, nil)
	})
	return out, err
}

// check applies outbox.CheckCustom, its fields named as in the requests
// (fields.subject, fields.text).
func check(name string, c outbox.Custom) error {
	err := outbox.CheckCustom(name, c)
	var e *apperr.Error
	if errors.As(err, &e) {
		for i := range e.Violations {
			if e.Violations[i].Field == "subject" || e.Violations[i].Field == "text" {
				e.Violations[i].Field = "fields." + e.Violations[i].Field
			}
		}
	}
	return err
}
