package pdf

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"image"
	"image/draw"
	"image/png"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/zeugo/zeugo/backend/internal/logo"
)

// Limits for a layout; they keep a tenant's settings from producing an
// unreadable or oversized document.
const (
	MaxLogoBytes  = logo.MaxBytes
	MaxLogoPixels = logo.MaxPixels
	maxLines      = 6
	maxLineRunes  = 200
)

// Letterhead is the sender block at the top of page 1.
type Letterhead struct {
	// Name is the company name; empty uses the document's company.
	Name  string   `json:"name,omitempty"`
	Lines []string `json:"lines,omitempty"` // address, phone, web
}

// SignatureBlock configures the signatures under the text.
type SignatureBlock struct {
	// Space is the room for the handwritten signature in mm (default 22).
	Space float64 `json:"space,omitempty"`
	// Stacked prints the signatories one under the other instead of next
	// to each other.
	Stacked bool `json:"stacked,omitempty"`
	// HideFunctions leaves out the function line under each name.
	HideFunctions bool `json:"hideFunctions,omitempty"`
}

// Layout is a tenant's document layout (Zeugnisformatierung). Zero values
// take the defaults noted per field. In JSON the logo is base64.
type Layout struct {
	MarginTop    float64 `json:"marginTop,omitempty"`    // mm, default 18
	MarginBottom float64 `json:"marginBottom,omitempty"` // mm, default 30 (footer inside)
	MarginLeft   float64 `json:"marginLeft,omitempty"`   // mm, default 25 (DIN 5008)
	MarginRight  float64 `json:"marginRight,omitempty"`  // mm, default 20
	FontSize     float64 `json:"fontSize,omitempty"`     // pt, default 11
	// Font is FontSerif (default, Liberation Serif) or FontSans (Liberation
	// Sans).
	Font string `json:"font,omitempty"`
	// Logo is a PNG or JPEG image, at most 2 MiB and 4000 px per side.
	Logo []byte `json:"logo,omitempty"`
	// LogoWidth is the printed logo width in mm (default 40); the height
	// follows the aspect ratio and is capped at 25 mm.
	LogoWidth  float64    `json:"logoWidth,omitempty"`
	Letterhead Letterhead `json:"letterhead"`
	// Footer lines carry the registration data (Amtsgericht, HRB, USt-IdNr.,
	// managing directors); printed small on every page.
	Footer []string `json:"footer,omitempty"`
	// Place is printed before the date ("Köln, 31. Mai 2024"); empty uses
	// the document's place (the company's city).
	Place     string         `json:"place,omitempty"`
	Signature SignatureBlock `json:"signature"`
	// ShowHeadings prints the section headings above the paragraphs; by
	// default the text runs as a letter without headings.
	ShowHeadings bool `json:"showHeadings,omitempty"`
	// DateFormat is DateLong (default: "30. Juni 2025") or DateNumeric
	// ("30.06.2025").
	DateFormat string `json:"dateFormat,omitempty"`
}

// Date formats a layout can choose.
const (
	DateLong    = "long"
	DateNumeric = "numeric"
)

// Typefaces a layout can choose.
const (
	FontSerif = "serif"
	FontSans  = "sans"
)

// Problem is one invalid layout setting.
type Problem struct {
	Field string `json:"field"`
	De    string `json:"de"`
	En    string `json:"en"`
}

// ValidationError lists every invalid setting of a layout.
type ValidationError struct {
	Problems []Problem `json:"problems"`
}

// Error joins the English messages.
func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		parts[i] = p.Field + ": " + p.En
	}
	return "invalid layout: " + strings.Join(parts, "; ")
}

// withDefaults fills zero values.
func (l Layout) withDefaults() Layout {
	def := func(v *float64, d float64) {
		if *v == 0 {
			*v = d
		}
	}
	def(&l.MarginTop, 18)
	def(&l.MarginBottom, 30)
	def(&l.MarginLeft, 25)
	def(&l.MarginRight, 20)
	def(&l.FontSize, 11)
	def(&l.LogoWidth, 40)
	def(&l.Signature.Space, 22)
	return l
}

// CheckLogo validates a logo by content and size: it must be at most
// MaxLogoBytes, decode completely as PNG or JPEG (whatever its file name
// says) and be at most MaxLogoPixels wide and high. It returns the image
// format and dimensions.
func CheckLogo(b []byte) (format string, w, h int, err error) {
	_, format, w, h, err = decodeLogo(b)
	return format, w, h, err
}

func decodeLogo(b []byte) (img image.Image, format string, w, h int, err error) {
	img, format, err = logo.Decode(b)
	if err != nil {
		return nil, "", 0, 0, err
	}
	return img, format, img.Bounds().Dx(), img.Bounds().Dy(), nil
}

type logoEntry struct {
	data   []byte
	format string
	w, h   int
}

var (
	logoMu    sync.Mutex
	logoCache = map[[32]byte]logoEntry{}
	// logoCacheBytes is the size of the cached logos, at most
	// maxLogoCacheBytes: tenants' logos are rendered often, but the cache
	// must not hold hundreds of megabytes.
	logoCacheBytes int
)

const maxLogoCacheBytes = 32 << 20

// normalizedLogo returns the logo in a form the PDF writer always accepts:
// JPEG unchanged, PNG re-encoded as 8-bit, non-interlaced RGB(A). Results
// are cached by content hash, as the same tenant logo is rendered often.
func normalizedLogo(b []byte) (data []byte, format string, w, h int, err error) {
	key := sha256.Sum256(b)
	logoMu.Lock()
	e, ok := logoCache[key]
	logoMu.Unlock()
	if ok {
		return e.data, e.format, e.w, e.h, nil
	}
	img, format, w, h, err := decodeLogo(b)
	if err != nil {
		return nil, "", 0, 0, err
	}
	e = logoEntry{data: b, format: format, w: w, h: h}
	if format == "png" {
		nrgba := image.NewNRGBA(img.Bounds())
		draw.Draw(nrgba, nrgba.Bounds(), img, img.Bounds().Min, draw.Src)
		var buf bytes.Buffer
		if err := png.Encode(&buf, nrgba); err != nil {
			return nil, "", 0, 0, fmt.Errorf("logo: %w", err)
		}
		e.data = buf.Bytes()
	}
	logoMu.Lock()
	if len(logoCache) >= 64 || logoCacheBytes+len(e.data) > maxLogoCacheBytes {
		clear(logoCache)
		logoCacheBytes = 0
	}
	logoCache[key] = e
	logoCacheBytes += len(e.data)
	logoMu.Unlock()
	return e.data, e.format, e.w, e.h, nil
}

// Validate checks every setting and returns a *ValidationError or nil.
func (l Layout) Validate() error {
	var ps []Problem
	add := func(field, de, en string) { ps = append(ps, Problem{Field: field, De: de, En: en}) }
	for _, m := range []struct {
		name string
		v    float64
	}{{"marginTop", l.MarginTop}, {"marginBottom", l.MarginBottom}, {"marginLeft", l.MarginLeft}, {"marginRight", l.MarginRight}} {
		if m.v != 0 && (m.v < 10 || m.v > 50) {
			add(m.name, fmt.Sprintf("Der Rand muss zwischen 10 und 50 mm liegen (%.1f).", m.v), fmt.Sprintf("the margin must be between 10 and 50 mm (%.1f).", m.v))
		}
	}
	if l.MarginBottom != 0 && l.MarginBottom < 22 && len(l.Footer) > 0 {
		add("marginBottom", "Mit Fußzeilen muss der untere Rand mindestens 22 mm betragen.", "with footer lines the bottom margin must be at least 22 mm.")
	}
	if l.FontSize != 0 && (l.FontSize < 9 || l.FontSize > 14) {
		add("fontSize", "Die Schriftgröße muss zwischen 9 und 14 pt liegen.", "the font size must be between 9 and 14 pt.")
	}
	if l.DateFormat != "" && l.DateFormat != DateLong && l.DateFormat != DateNumeric {
		add("dateFormat", "Das Datumsformat muss long oder numeric sein.", "the date format must be long or numeric.")
	}
	if l.Font != "" && l.Font != FontSerif && l.Font != FontSans {
		add("font", "Die Schrift muss serif oder sans sein.", "the font must be serif or sans.")
	}
	if l.LogoWidth != 0 && (l.LogoWidth < 10 || l.LogoWidth > 80) {
		add("logoWidth", "Die Logobreite muss zwischen 10 und 80 mm liegen.", "the logo width must be between 10 and 80 mm.")
	}
	if l.Signature.Space != 0 && (l.Signature.Space < 10 || l.Signature.Space > 50) {
		add("signature.space", "Der Platz für die Unterschrift muss zwischen 10 und 50 mm liegen.", "the signature space must be between 10 and 50 mm.")
	}
	if len(l.Logo) > 0 {
		if _, _, _, _, err := normalizedLogo(l.Logo); err != nil {
			add("logo", "Das Logo ist ungültig: "+logoDe(err), err.Error()+".")
		}
	}
	lines := func(field string, ls []string) {
		if len(ls) > maxLines {
			add(field, fmt.Sprintf("Höchstens %d Zeilen.", maxLines), fmt.Sprintf("at most %d lines.", maxLines))
		}
		for i, s := range ls {
			if utf8.RuneCountInString(s) > maxLineRunes || !utf8.ValidString(s) || strings.IndexFunc(s, invisible) >= 0 {
				add(fmt.Sprintf("%s[%d]", field, i), fmt.Sprintf("Die Zeile ist zu lang (höchstens %d Zeichen) oder enthält Steuerzeichen.", maxLineRunes), fmt.Sprintf("the line is longer than %d characters or contains control characters.", maxLineRunes))
			}
		}
	}
	lines("letterhead.lines", l.Letterhead.Lines)
	lines("footer", l.Footer)
	lines("letterhead.name", []string{l.Letterhead.Name})
	lines("place", []string{l.Place})
	if len(ps) > 0 {
		return &ValidationError{Problems: ps}
	}
	return nil
}

// invisible reports the runes a line of a letterhead, footer or place may
// not hold: control characters, line and paragraph separators, and format
// characters such as bidi overrides (U+202E) that would make the printed
// text read differently from what was typed.
func invisible(r rune) bool {
	return unicode.IsControl(r) || unicode.In(r, unicode.Cf, unicode.Zl, unicode.Zp)
}

func logoDe(err error) string {
	if e, ok := err.(*logo.Error); ok {
		return e.German()
	}
	return "Die Datei ist kein vollständiges PNG- oder JPEG-Bild."
}

// MaxStoredLogoPixels is the longest side of a logo as ReencodeLogo stores
// it: printed at most 80 mm wide, 1200 pixels are still about 380 dpi.
const MaxStoredLogoPixels = 1200

// MaxStoredLogoBytes is the largest stored logo (the CHECK of migration
// 00026 allows 4 MiB).
const MaxStoredLogoBytes = 3 << 20

// ReencodeLogo turns an uploaded logo into the form a tenant's layout
// stores (logo.Reencode with MaxStoredLogoPixels). An error is a
// *ValidationError on field "logo".
func ReencodeLogo(b []byte) (pngBytes []byte, w, h int, err error) {
	pngBytes, w, h, err = logo.Reencode(b, MaxStoredLogoPixels, MaxStoredLogoBytes)
	var le *logo.Error
	if errors.As(err, &le) {
		return nil, 0, 0, &ValidationError{Problems: []Problem{{Field: "logo", De: "Das Logo ist ungültig: " + le.German(), En: err.Error() + "."}}}
	}
	return pngBytes, w, h, err
}
