// Package layout holds the document layout of each company (SPEC §3.2 area
// Zeugnisformatierung): logo, letterhead, margins, typeface and size,
// footer, signature block, date format and place. Package certificates
// prints every PDF of a company's certificates in its layout (For); a
// company without its own layout prints in Defaults with letterhead and
// footer from the company's data. The settings live as JSON in
// document_layouts (migration 00026), the logo beside them as the PNG
// pdf.ReencodeLogo wrote.
package layout

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/zeugo/zeugo/backend/internal/layout/dbsqlc"
	"github.com/zeugo/zeugo/backend/internal/organization"
	"github.com/zeugo/zeugo/backend/internal/pdf"
	"github.com/zeugo/zeugo/backend/internal/postgres"
)

// Settings are the editable settings of a layout, stored as JSON.
type Settings struct {
	MarginTop    float64 `json:"marginTop"`
	MarginBottom float64 `json:"marginBottom"`
	MarginLeft   float64 `json:"marginLeft"`
	MarginRight  float64 `json:"marginRight"`
	// Font is pdf.FontSerif or pdf.FontSans.
	Font     string  `json:"font"`
	FontSize float64 `json:"fontSize"`
	// LogoWidth is the printed width of the logo in mm.
	LogoWidth float64 `json:"logoWidth"`
	// CustomLetterhead uses LetterheadName and LetterheadLines instead of
	// the company's name and address.
	CustomLetterhead bool     `json:"customLetterhead"`
	LetterheadName   string   `json:"letterheadName,omitempty"`
	LetterheadLines  []string `json:"letterheadLines,omitempty"`
	// CustomFooter uses FooterLines instead of the company's register data.
	CustomFooter bool     `json:"customFooter"`
	FooterLines  []string `json:"footerLines,omitempty"`
	// Place replaces the company's city before the date when not empty.
	Place string `json:"place,omitempty"`
	// DateFormat is pdf.DateLong or pdf.DateNumeric.
	DateFormat         string  `json:"dateFormat"`
	SignatureSpace     float64 `json:"signatureSpace"`
	SignatureStacked   bool    `json:"signatureStacked"`
	SignatureFunctions bool    `json:"signatureFunctions"`
	ShowHeadings       bool    `json:"showHeadings"`
}

// Defaults is the layout of a company without its own: DIN 5008 margins,
// the serif face at 11 pt, letterhead and footer from the company.
func Defaults() Settings {
	return Settings{MarginTop: 18, MarginBottom: 30, MarginLeft: 25, MarginRight: 20, Font: pdf.FontSerif, FontSize: 11,
		LogoWidth: 40, DateFormat: pdf.DateLong, SignatureSpace: 22, SignatureFunctions: true}
}

// Layout is a company's layout as stored (or its default).
type Layout struct {
	CompanyID uuid.UUID
	Settings  Settings
	// Customized: the company has its own layout (Version > 0).
	Customized bool
	Version    int64
	UpdatedAt  time.Time
	// Logo is the stored PNG (nil: none) and its size in pixels.
	Logo                  []byte
	LogoWidth, LogoHeight int
	// Company is the company the layout belongs to.
	Company *organization.Company
}

// PDF is the layout as the renderer takes it, for a document in lang.
func (l *Layout) PDF(lang string) pdf.Layout {
	s := l.Settings
	out := pdf.Layout{MarginTop: s.MarginTop, MarginBottom: s.MarginBottom, MarginLeft: s.MarginLeft,
		MarginRight: s.MarginRight, FontSize: s.FontSize, Font: s.Font, Logo: l.Logo, LogoWidth: s.LogoWidth,
		Place: s.Place, ShowHeadings: s.ShowHeadings, DateFormat: s.DateFormat,
		Signature: pdf.SignatureBlock{Space: s.SignatureSpace, Stacked: s.SignatureStacked, HideFunctions: !s.SignatureFunctions}}
	if s.CustomLetterhead {
		out.Letterhead = pdf.Letterhead{Name: s.LetterheadName, Lines: s.LetterheadLines}
	} else if l.Company != nil {
		out.Letterhead = pdf.Letterhead{Name: l.Company.Fields.Name, Lines: CompanyLetterhead(l.Company)}
	}
	if s.CustomFooter {
		out.Footer = s.FooterLines
	} else if l.Company != nil {
		out.Footer = CompanyFooter(l.Company, lang)
	}
	return out
}

func join(sep string, parts ...string) string {
	var out []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, sep)
}

// CompanyLetterhead is the letterhead the company's data gives: street,
// postcode and city, phone · email · web.
func CompanyLetterhead(co *organization.Company) []string {
	f := co.Fields
	var out []string
	for _, line := range []string{f.Street, join(" ", f.Postcode, f.City), join(" · ", f.Phone, f.Email, f.Website)} {
		if line != "" {
			out = append(out, line)
		}
	}
	return out
}

// CompanyFooter is the footer the company's register data gives, labelled
// in lang (German for anything but English).
func CompanyFooter(co *organization.Company, lang string) []string {
	f := co.Fields
	labels := [3]string{"Registergericht", "USt-IdNr.", "Geschäftsführung"}
	if lang == "en" {
		labels = [3]string{"Register court", "VAT ID", "Managing directors"}
	}
	var out []string
	if reg := join(" ", f.RegisterCourt, f.RegisterNumber); reg != "" {
		out = append(out, labels[0]+": "+reg)
	}
	if f.VATID != "" {
		out = append(out, labels[1]+": "+f.VATID)
	}
	if f.ManagingDirectors != "" {
		out = append(out, labels[2]+": "+f.ManagingDirectors)
	}
	return out
}

// load reads the layout of company co (nil: a certificate without a
// company, which prints in the defaults without letterhead).
func load(ctx context.Context, q *dbsqlc.Queries, db postgres.DBTX, tenantID uuid.UUID, co *organization.Company) (*Layout, error) {
	l := &Layout{Settings: Defaults(), Company: co}
	if co == nil {
		return l, nil
	}
	l.CompanyID = co.ID
	r, err := q.GetLayout(ctx, db, dbsqlc.GetLayoutParams{TenantID: tenantID, CompanyID: co.ID})
	if errors.Is(err, pgx.ErrNoRows) {
		return l, nil
	}
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(r.Settings, &l.Settings); err != nil {
		return nil, fmt.Errorf("layout: stored settings of company %s: %w", co.ID, err)
	}
	l.Customized, l.Version, l.UpdatedAt = true, r.Version, r.UpdatedAt
	l.Logo, l.LogoWidth, l.LogoHeight = r.LogoPng, int(r.LogoWidth), int(r.LogoHeight)
	return l, nil
}

// For is the layout a document of company co in lang prints in: the
// company's own or the default one. co nil gives the defaults without
// letterhead and footer.
func For(ctx context.Context, db postgres.DBTX, tenantID uuid.UUID, co *organization.Company, lang string) (pdf.Layout, error) {
	l, err := load(ctx, dbsqlc.New(), db, tenantID, co)
	if err != nil {
		return pdf.Layout{}, err
	}
	if co == nil {
		return pdf.Layout{}, nil
	}
	return l.PDF(lang), nil
}
