// Package branding holds how the SPA looks for a tenant's users (SPEC §3.2
// area Individualisierung): an accent colour and a logo. Every signed-in
// user reads it; the SPA applies the colour as its primary colour and shows
// the logo in its header. The colour must keep the SPA readable: white
// text on it and it as text on white both need a contrast of 4.5:1 (WCAG
// 2.2 AA, 1.4.3), so a tenant cannot brand its users into an inaccessible
// application. The logo is stored as package logo re-encoded it.
package branding

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/zeugo/zeugo/backend/internal/apperr"
	"github.com/zeugo/zeugo/backend/internal/branding/dbsqlc"
	"github.com/zeugo/zeugo/backend/internal/logo"
	"github.com/zeugo/zeugo/backend/internal/uow"
)

// Audit actions; the details name what changed, never the image.
const (
	ActionUpdated     = "branding.updated"
	ActionLogoSet     = "branding.logo_set"
	ActionLogoRemoved = "branding.logo_removed"
	targetTenant      = "tenant"
)

// Rule ids of the checks the proto rules cannot express.
const (
	RuleContrast      = "zeugo.branding.contrast"
	RuleLogo          = "zeugo.layout.logo"
	RuleLogoTooLarge  = "zeugo.layout.logo_too_large"
	RuleLogoTooManyPx = "zeugo.layout.logo_pixels"
)

// MaxLogoPixels is the longest side of the stored logo: the header shows it
// at most 40 px high, 512 px serve any screen.
const MaxLogoPixels = 512

// MaxLogoBytes is the largest stored logo (the CHECK of migration 00028
// allows 1 MiB).
const MaxLogoBytes = 768 << 10

// MinContrast is the contrast the accent needs against white (WCAG AA for
// normal text).
const MinContrast = 4.5

// Branding is a tenant's look.
type Branding struct {
	// Accent is "#rrggbb" in lower case; empty: Zeugo's own colour.
	Accent                string
	Logo                  []byte
	LogoWidth, LogoHeight int
	// Version 0: nothing set yet.
	Version   int64
	UpdatedAt time.Time
}

// Service implements the use cases, each one unit of work.
type Service struct {
	work *uow.Runner
	q    *dbsqlc.Queries
}

// NewService returns a Service.
func NewService(work *uow.Runner) *Service { return &Service{work: work, q: dbsqlc.New()} }

func (s *Service) load(ctx context.Context, db dbsqlc.DBTX, tenantID uuid.UUID) (*Branding, error) {
	r, err := s.q.GetBranding(ctx, db, tenantID)
	if errors.Is(err, pgx.ErrNoRows) {
		return &Branding{}, nil
	}
	if err != nil {
		return nil, err
	}
	return &Branding{Accent: r.Accent.String, Logo: r.LogoPng, LogoWidth: int(r.LogoWidth), LogoHeight: int(r.LogoHeight),
		Version: r.Version, UpdatedAt: r.UpdatedAt}, nil
}

// Get returns the caller's tenant's branding.
func (s *Service) Get(ctx context.Context) (*Branding, error) {
	var out *Branding
	err := s.work.Read(ctx, func(rd *uow.Reader) (err error) {
		out, err = s.load(ctx, rd.DB, rd.P.TenantID)
		return err
	})
	return out, err
}

// UpdateAccent sets the accent colour ("#rrggbb"; "" returns to Zeugo's).
func (s *Service) UpdateAccent(ctx context.Context, version int64, accent string) (*Branding, error) {
	accent = strings.ToLower(strings.TrimSpace(accent))
	if accent != "" {
		c, err := contrastWithWhite(accent)
		if err != nil {
			return nil, apperr.Field(apperr.InvalidArgument, "accent_color", "string.pattern", "the colour must be #rrggbb")
		}
		if c < MinContrast {
			return nil, apperr.Field(apperr.InvalidArgument, "accent_color", RuleContrast,
				fmt.Sprintf("white text on this colour has a contrast of %.1f:1; at least %.1f:1 is needed", c, MinContrast))
		}
	}
	return s.change(ctx, version, ActionUpdated, func(b *Branding) { b.Accent = accent })
}

// SetLogo stores image as the logo (re-encoded, at most MaxLogoPixels).
func (s *Service) SetLogo(ctx context.Context, version int64, image []byte) (*Branding, error) {
	png, w, h, err := logo.Reencode(image, MaxLogoPixels, MaxLogoBytes)
	var le *logo.Error
	if errors.As(err, &le) {
		rule := map[logo.Problem]string{logo.TooLarge: RuleLogoTooLarge, logo.TooManyPixels: RuleLogoTooManyPx}[le.Problem]
		if rule == "" {
			rule = RuleLogo
		}
		return nil, apperr.Field(apperr.InvalidArgument, "image", rule, le.Error())
	}
	if err != nil {
		return nil, err
	}
	return s.change(ctx, version, ActionLogoSet, func(b *Branding) { b.Logo, b.LogoWidth, b.LogoHeight = png, w, h })
}

// RemoveLogo removes the logo.
func (s *Service) RemoveLogo(ctx context.Context, version int64) (*Branding, error) {
	return s.change(ctx, version, ActionLogoRemoved, func(b *Branding) { b.Logo, b.LogoWidth, b.LogoHeight = nil, 0, 0 })
}

func (s *Service) change(ctx context.Context, version int64, action string, edit func(*Branding)) (*Branding, error) {
	var out *Branding
	err := s.work.Write(ctx, func(tx *uow.Tx) error {
		b, err := s.load(ctx, tx, tx.P.TenantID)
		if err != nil {
			return err
		}
		if b.Version != version {
			return apperr.ErrConcurrentChange
		}
		edit(b)
		now := s.work.Now()
		by := pgtype.UUID{Bytes: tx.P.UserID, Valid: tx.P.UserID != uuid.Nil}
		accent := pgtype.Text{String: b.Accent, Valid: b.Accent != ""}
		var v int64
		var at time.Time
		if version == 0 {
			r, e := s.q.InsertBranding(ctx, tx, dbsqlc.InsertBrandingParams{TenantID: tx.P.TenantID, Accent: accent, LogoPng: b.Logo,
				LogoWidth: int32(b.LogoWidth), LogoHeight: int32(b.LogoHeight), FirstVersion: max(now.UnixMicro(), 1), Now: now, UpdatedBy: by})
			if err = e; e == nil {
				v, at = r.Version, r.UpdatedAt
			}
		} else {
			r, e := s.q.UpdateBranding(ctx, tx, dbsqlc.UpdateBrandingParams{TenantID: tx.P.TenantID, Accent: accent, LogoPng: b.Logo,
				LogoWidth: int32(b.LogoWidth), LogoHeight: int32(b.LogoHeight), Now: now, UpdatedBy: by, Version: version})
			if err = e; e == nil {
				v, at = r.Version, r.UpdatedAt
			}
		}
		if errors.Is(err, pgx.ErrNoRows) {
			return apperr.ErrConcurrentChange
		}
		if err != nil {
			return err
		}
		b.Version, b.UpdatedAt, out = v, at, b
		details := map[string]string{}
		if action == ActionUpdated {
			details["accent"] = b.Accent
		}
		return tx.Record(action, uow.Target{Type: targetTenant, ID: tx.P.TenantID}, details)
	})
	return out, err
}

// contrastWithWhite is the WCAG 2.2 contrast ratio of colour "#rrggbb"
// against white: (1.05) / (L + 0.05) with L its relative luminance. The
// same ratio holds for white text on the colour and the colour as text on
// white.
func contrastWithWhite(hex string) (float64, error) {
	if len(hex) != 7 || hex[0] != '#' {
		return 0, fmt.Errorf("not #rrggbb: %q", hex)
	}
	v, err := strconv.ParseUint(hex[1:], 16, 32)
	if err != nil {
		return 0, err
	}
	lin := func(c uint64) float64 {
		s := float64(c) / 255
		if s <= 0.04045 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	l := 0.2126*lin(v>>16&0xff) + 0.7152*lin(v>>8&0xff) + 0.0722*lin(v&0xff)
	return 1.05 / (l + 0.05), nil
}
