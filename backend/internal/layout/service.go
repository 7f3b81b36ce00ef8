package layout

import (
	"context"
	"encoding/json"
	"errors"
	"regexp"
	"strings"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/zeugo/zeugo/backend/internal/apperr"
	"github.com/zeugo/zeugo/backend/internal/generator"
	"github.com/zeugo/zeugo/backend/internal/keyring"
	"github.com/zeugo/zeugo/backend/internal/layout/dbsqlc"
	"github.com/zeugo/zeugo/backend/internal/organization"
	"github.com/zeugo/zeugo/backend/internal/pdf"
	"github.com/zeugo/zeugo/backend/internal/postgres"
	"github.com/zeugo/zeugo/backend/internal/uow"
)

// Audit actions; details never carry the settings themselves.
const (
	ActionUpdated     = "layout.updated"
	ActionLogoSet     = "layout.logo_set"
	ActionLogoRemoved = "layout.logo_removed"
	ActionReset       = "layout.reset"
	targetCompany     = "company"
)

// Rule ids of the checks the proto rules cannot express.
const (
	RuleInvalid       = "zeugo.layout.invalid"
	RuleFooterMargin  = "zeugo.layout.footer_margin"
	RuleLine          = "zeugo.layout.line"
	RuleLogo          = "zeugo.layout.logo"
	RuleLogoTooLarge  = "zeugo.layout.logo_too_large"
	RuleLogoTooManyPx = "zeugo.layout.logo_pixels"
)

// Service implements the use cases, each one unit of work.
type Service struct {
	work *uow.Runner
	q    *dbsqlc.Queries
	lib  *generator.Library
}

// NewService returns a Service; samples are written with the default
// phrase library.
func NewService(work *uow.Runner) *Service {
	return &Service{work: work, q: dbsqlc.New(), lib: generator.MustDefaultLibrary()}
}

func (s *Service) company(ctx context.Context, db postgres.DBTX, c *keyring.TenantCipher, tenantID, id uuid.UUID) (*organization.Company, error) {
	return organization.CompanyFor(ctx, db, c, tenantID, id)
}

// Get returns the layout of company id (its defaults if it has none).
func (s *Service) Get(ctx context.Context, id uuid.UUID) (*Layout, error) {
	var out *Layout
	err := s.work.Read(ctx, func(rd *uow.Reader) error {
		c, err := rd.Cipher()
		if err != nil {
			return err
		}
		co, err := s.company(ctx, rd.DB, c, rd.P.TenantID, id)
		if err != nil {
			return err
		}
		out, err = load(ctx, s.q, rd.DB, rd.P.TenantID, co)
		return err
	})
	return out, err
}

// Update saves settings for company id; version is the one read (0: the
// company has no own layout yet), a mismatch is Aborted.
func (s *Service) Update(ctx context.Context, id uuid.UUID, version int64, settings Settings) (*Layout, error) {
	settings = normalize(settings)
	if err := check(settings); err != nil {
		return nil, err
	}
	return s.change(ctx, id, version, ActionUpdated, func(l *Layout) error {
		l.Settings = settings
		return nil
	})
}

// SetLogo stores image (PNG or JPEG) as company id's logo, re-encoded by
// pdf.ReencodeLogo.
func (s *Service) SetLogo(ctx context.Context, id uuid.UUID, version int64, image []byte) (*Layout, error) {
	png, w, h, err := pdf.ReencodeLogo(image)
	if err != nil {
		return nil, layoutError(err, "image")
	}
	return s.change(ctx, id, version, ActionLogoSet, func(l *Layout) error {
		l.Logo, l.LogoWidth, l.LogoHeight = png, w, h
		return nil
	})
}

// RemoveLogo removes company id's logo.
func (s *Service) RemoveLogo(ctx context.Context, id uuid.UUID, version int64) (*Layout, error) {
	return s.change(ctx, id, version, ActionLogoRemoved, func(l *Layout) error {
		if !l.Customized {
			return apperr.ErrConcurrentChange
		}
		l.Logo, l.LogoWidth, l.LogoHeight = nil, 0, 0
		return nil
	})
}

// Reset returns company id to the default layout; version must be its own
// layout's.
func (s *Service) Reset(ctx context.Context, id uuid.UUID, version int64) (*Layout, error) {
	var out *Layout
	err := s.work.Write(ctx, func(tx *uow.Tx) error {
		c, err := tx.Cipher()
		if err != nil {
			return err
		}
		co, err := s.company(ctx, tx, c, tx.P.TenantID, id)
		if err != nil {
			return err
		}
		n, err := s.q.DeleteLayout(ctx, tx, dbsqlc.DeleteLayoutParams{TenantID: tx.P.TenantID, CompanyID: id, Version: version})
		if err != nil {
			return err
		}
		if n == 0 {
			return apperr.ErrConcurrentChange
		}
		out = &Layout{CompanyID: id, Settings: Defaults(), Company: co}
		return tx.Record(ActionReset, uow.Target{Type: targetCompany, ID: id}, nil)
	})
	return out, err
}

// change applies edit to company id's layout at version and stores it.
func (s *Service) change(ctx context.Context, id uuid.UUID, version int64, action string, edit func(*Layout) error) (*Layout, error) {
	var out *Layout
	err := s.work.Write(ctx, func(tx *uow.Tx) error {
		c, err := tx.Cipher()
		if err != nil {
			return err
		}
		co, err := s.company(ctx, tx, c, tx.P.TenantID, id)
		if err != nil {
			return err
		}
		l, err := load(ctx, s.q, tx, tx.P.TenantID, co)
		if err != nil {
			return err
		}
		if l.Version != version {
			return apperr.ErrConcurrentChange
		}
		if err := edit(l); err != nil {
			return err
		}
		js, err := json.Marshal(l.Settings)
		if err != nil {
			return err
		}
		now := s.work.Now()
		by := pgtype.UUID{Bytes: tx.P.UserID, Valid: tx.P.UserID != uuid.Nil}
		var r *dbsqlc.InsertLayoutRow
		if version == 0 {
			r, err = s.q.InsertLayout(ctx, tx, dbsqlc.InsertLayoutParams{TenantID: tx.P.TenantID, CompanyID: id, Settings: js,
				LogoPng: l.Logo, LogoWidth: int32(l.LogoWidth), LogoHeight: int32(l.LogoHeight), FirstVersion: max(now.UnixMicro(), 1),
				Now: now, UpdatedBy: by})
		} else {
			var u *dbsqlc.UpdateLayoutRow
			u, err = s.q.UpdateLayout(ctx, tx, dbsqlc.UpdateLayoutParams{TenantID: tx.P.TenantID, CompanyID: id, Settings: js,
				LogoPng: l.Logo, LogoWidth: int32(l.LogoWidth), LogoHeight: int32(l.LogoHeight), Now: now, UpdatedBy: by,
				Version: version})
			if u != nil {
				r = &dbsqlc.InsertLayoutRow{Version: u.Version, UpdatedAt: u.UpdatedAt}
			}
		}
		if errors.Is(err, pgx.ErrNoRows) {
			return apperr.ErrConcurrentChange
		}
		if err != nil {
			return err
		}
		l.Customized, l.Version, l.UpdatedAt = true, r.Version, r.UpdatedAt
		out = l
		return tx.Record(action, uow.Target{Type: targetCompany, ID: id}, nil)
	})
	return out, err
}

// Preview prints the sample certificate in lang with n signatories (1 or
// 2) for company id in settings and the stored logo. It stores nothing.
func (s *Service) Preview(ctx context.Context, id uuid.UUID, settings Settings, lang string, n int) ([]byte, int, error) {
	settings = normalize(settings)
	if err := check(settings); err != nil {
		return nil, 0, err
	}
	var l *Layout
	err := s.work.Read(ctx, func(rd *uow.Reader) error {
		c, err := rd.Cipher()
		if err != nil {
			return err
		}
		co, err := s.company(ctx, rd.DB, c, rd.P.TenantID, id)
		if err != nil {
			return err
		}
		l, err = load(ctx, s.q, rd.DB, rd.P.TenantID, co)
		return err
	})
	if err != nil {
		return nil, 0, err
	}
	l.Settings = settings
	doc, err := sample(s.lib, l.Company, lang, n)
	if err != nil {
		return nil, 0, err
	}
	b, err := pdf.Render(doc, l.PDF(lang))
	if err != nil {
		return nil, 0, layoutError(err, "")
	}
	return b, pageCount(b), nil
}

// normalize trims every text and drops blank lines.
func normalize(s Settings) Settings {
	s.LetterheadName, s.Place = strings.TrimSpace(s.LetterheadName), strings.TrimSpace(s.Place)
	lines := func(in []string) []string {
		var out []string
		for _, l := range in {
			if l = strings.TrimSpace(l); l != "" {
				out = append(out, l)
			}
		}
		return out
	}
	s.LetterheadLines, s.FooterLines = lines(s.LetterheadLines), lines(s.FooterLines)
	return s
}

// check validates settings as the renderer will read them (with a
// footer, as a company's register data usually gives one).
func check(s Settings) error {
	l := (&Layout{Settings: s}).PDF("de")
	if !s.CustomFooter {
		l.Footer = []string{"-"}
	}
	return layoutError(l.Validate(), "")
}

// protoField maps the renderer's field names to the request's.
var protoField = map[string]string{
	"marginTop": "settings.margin_top_mm", "marginBottom": "settings.margin_bottom_mm",
	"marginLeft": "settings.margin_left_mm", "marginRight": "settings.margin_right_mm",
	"fontSize": "settings.font_size_pt", "font": "settings.font", "logoWidth": "settings.logo_width_mm",
	"signature.space": "settings.signature_space_mm", "dateFormat": "settings.date_format",
	"letterhead.lines": "settings.letterhead_lines", "footer": "settings.footer_lines",
	"letterhead.name[0]": "settings.letterhead_name", "place[0]": "settings.place", "place": "settings.place",
}

var indexed = regexp.MustCompile(`^(.+)\[(\d+)\]$`)

// layoutError turns a *pdf.ValidationError into field violations; logo
// problems land on logoField. Anything else passes unchanged.
func layoutError(err error, logoField string) error {
	var ve *pdf.ValidationError
	if !errors.As(err, &ve) {
		return err
	}
	out := &apperr.Error{Code: apperr.InvalidArgument, Message: "the layout is invalid"}
	for _, p := range ve.Problems {
		field, rule := protoField[p.Field], RuleInvalid
		if m := indexed.FindStringSubmatch(p.Field); field == "" && m != nil {
			if f, ok := protoField[m[1]]; ok {
				field, rule = f+"["+m[2]+"]", RuleLine
			}
		}
		switch {
		case p.Field == "logo":
			field, rule = logoField, RuleLogo
			if strings.Contains(p.En, "bytes") {
				rule = RuleLogoTooLarge
			} else if strings.Contains(p.En, "pixels") {
				rule = RuleLogoTooManyPx
			}
		case p.Field == "marginBottom" && strings.Contains(p.En, "footer"):
			rule = RuleFooterMargin
		case field == "settings.letterhead_name" || field == "settings.place":
			rule = RuleLine
		}
		out.Violations = append(out.Violations, apperr.FieldViolation{Field: field, RuleID: rule, Message: p.En})
	}
	return out
}

var pageObject = regexp.MustCompile(`/Type\s*/Page[^s]`)

// pageCount counts the page objects of a PDF the renderer wrote.
func pageCount(b []byte) int { return len(pageObject.FindAll(b, -1)) }
