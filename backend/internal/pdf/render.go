// Package pdf renders a generated reference into an A4 PDF in a company's
// layout: letterhead and logo, title, paragraphs flowing over pages without
// orphaned headings or single stray lines, place and date, a signature block
// with room for handwritten signatures, footer lines with the registration
// data and page numbers from page 2.
//
// The typeface is Liberation Serif, or Liberation Sans if the layout asks
// for it (SIL OFL 1.1, licence in fonts/LICENSE), embedded as UTF-8
// TrueType so every German character prints. The document
// carries no hidden content: everything in it is visible text, and its
// metadata is the title and the company only.
package pdf

import (
	"bytes"
	_ "embed"
	"fmt"
	"math"
	"strings"
	"unicode"

	"github.com/go-pdf/fpdf"

	"github.com/zeugo/zeugo/backend/internal/generator"
)

var (
	//go:embed fonts/LiberationSerif-Regular.ttf
	serifRegular []byte
	//go:embed fonts/LiberationSerif-Bold.ttf
	serifBold []byte
	//go:embed fonts/LiberationSans-Regular.ttf
	sansRegular []byte
	//go:embed fonts/LiberationSans-Bold.ttf
	sansBold []byte
)

const (
	pageW   = 210.0
	pageH   = 297.0
	ptToMM  = 25.4 / 72
	leading = 1.38 // line height as a multiple of the font size
)

// PageLabel returns "Seite 2 von 3" / "Page 2 of 3".
func PageLabel(lang string, page, total int) string {
	if lang == "en" {
		return fmt.Sprintf("Page %d of %d", page, total)
	}
	return fmt.Sprintf("Seite %d von %d", page, total)
}

// line is one laid-out line of body text.
type line struct {
	text   string
	style  string  // "", "B", "I"
	size   float64 // pt
	indent float64 // mm from the left margin
	bullet bool
	center bool
}

type renderer struct {
	f      *fpdf.Fpdf
	family string // the registered font family
	// footLines are the footer lines wrapped to the text width.
	footLines []string
	l         Layout
	doc       *generator.Document
	lineH     float64 // body line height in mm
	textW     float64
	y         float64
}

// nbAlias stands for the page count until the document is closed.
const nbAlias = "{nb}"

// Render lays out the document in the layout and returns the PDF bytes.
// An invalid layout gives a *ValidationError. It is safe for concurrent use
// (see WriteZip).
func Render(doc generator.Document, layout Layout) (out []byte, err error) {
	if err := layout.Validate(); err != nil {
		return nil, err
	}
	if strings.TrimSpace(layout.Place) == "" && strings.TrimSpace(doc.Place) == "" {
		// A document from Generate always has a place; one built otherwise
		// must not come out with a bare date.
		return nil, &ValidationError{Problems: []Problem{{Field: "place",
			De: "Der Ort für die Datumszeile fehlt: place im Layout oder den Sitz bzw. Standort des Unternehmens angeben.",
			En: "the place for the date line is missing: set place in the layout or the company's or location's city."}}}
	}
	// fpdf panics on some malformed input instead of returning an error;
	// a document request must never take the server down.
	defer func() {
		if p := recover(); p != nil {
			out, err = nil, fmt.Errorf("pdf: rendering failed: %v", p)
		}
	}()
	l := layout.withDefaults()
	r := &renderer{l: l, doc: &doc}
	if err := r.run(); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := r.f.Output(&buf); err != nil {
		return nil, fmt.Errorf("pdf: %w", err)
	}
	return buf.Bytes(), nil
}

func (r *renderer) run() error {
	f := fpdf.New("P", "mm", "A4", "")
	r.f = f
	f.SetCatalogSort(true)
	f.SetCompression(true)
	f.SetProducer("", false)
	f.SetCreator("", false)
	f.SetTitle(r.doc.Title, true)
	f.SetAuthor(r.companyName(), true)
	if !r.doc.Date.IsZero() {
		f.SetCreationDate(r.doc.Date.Time)
		f.SetModificationDate(r.doc.Date.Time)
	}
	// The family is named after the face, so a PDF says which one it is set
	// in (pdffonts, the golden tests).
	regular, bold := serifRegular, serifBold
	r.family = "LiberationSerif"
	if r.l.Font == FontSans {
		r.family, regular, bold = "LiberationSans", sansRegular, sansBold
	}
	f.AddUTF8FontFromBytes(r.family, "", regular)
	f.AddUTF8FontFromBytes(r.family, "B", bold)
	f.SetMargins(r.l.MarginLeft, r.l.MarginTop, r.l.MarginRight)
	f.SetCellMargin(0) // text starts exactly at the margin, like the signature lines
	f.SetAutoPageBreak(false, 0)
	f.SetFooterFunc(r.footer)
	// The page count is filled in when the document is closed.
	f.AliasNbPages(nbAlias)
	r.lineH = r.l.FontSize * ptToMM * leading
	r.textW = pageW - r.l.MarginLeft - r.l.MarginRight
	if err := r.fitFooter(); err != nil {
		return err
	}
	f.AddPage()
	r.y = r.l.MarginTop
	if err := r.letterhead(); err != nil {
		return err
	}
	r.body()
	r.signatures()
	return f.Error()
}

func (r *renderer) companyName() string {
	if r.l.Letterhead.Name != "" {
		return r.l.Letterhead.Name
	}
	return r.doc.Company
}

func (r *renderer) bottom() float64 { return pageH - r.l.MarginBottom }

func (r *renderer) newPage() {
	r.f.AddPage()
	r.y = r.l.MarginTop
}

// Footer metrics: 8 pt lines, starting 8 mm below the text area, and at
// least 6 mm of paper below the last one (most printers cannot print the
// outermost 4–5 mm).
const (
	footSize   = 8.0
	footLineH  = footSize * ptToMM * 1.3
	footTop    = 8.0
	footMargin = 6.0
	// maxLetterhead is how far down page 1 the letterhead may reach (mm).
	maxLetterhead = 100.0
)

// fitFooter wraps the footer lines to the text width and refuses a bottom
// margin they do not fit in: a register court or VAT id cut off a legal
// document must not happen silently.
func (r *renderer) fitFooter() error {
	r.f.SetFont(r.family, "", footSize)
	for _, s := range r.l.Footer {
		r.footLines = append(r.footLines, r.wrap(clean(s), r.textW)...)
	}
	if len(r.footLines) == 0 {
		return nil
	}
	need := math.Ceil(footTop + float64(len(r.footLines))*footLineH + footMargin)
	if r.l.MarginBottom < need {
		return &ValidationError{Problems: []Problem{{Field: "marginBottom",
			De: fmt.Sprintf("Die Fußzeilen brauchen einen unteren Rand von mindestens %.0f mm.", need),
			En: fmt.Sprintf("the footer lines need a bottom margin of at least %.0f mm", need)}}}
	}
	return nil
}

// footer draws the footer lines and, from page 2, the page number.
func (r *renderer) footer() {
	f := r.f
	size := footSize
	lh := footLineH
	y := r.bottom() + footTop
	if n := f.PageNo(); n > 1 {
		f.SetFont(r.family, "", 9)
		f.SetTextColor(0, 0, 0)
		// Right-align as if the total had one digit; the alias is replaced
		// by the page count when the document is closed.
		w := f.GetStringWidth(PageLabel(r.doc.Language, n, 9))
		label := fmt.Sprintf("Seite %d von %s", n, nbAlias)
		if r.doc.Language == "en" {
			label = fmt.Sprintf("Page %d of %s", n, nbAlias)
		}
		f.SetXY(pageW-r.l.MarginRight-w, r.bottom()+2)
		f.CellFormat(w+5, 9*ptToMM*1.3, label, "", 0, "L", false, 0, "")
	}
	if len(r.footLines) == 0 {
		return
	}
	f.SetDrawColor(150, 150, 150)
	f.SetLineWidth(0.2)
	f.Line(r.l.MarginLeft, y-1.5, pageW-r.l.MarginRight, y-1.5)
	f.SetFont(r.family, "", size)
	f.SetTextColor(70, 70, 70)
	for _, s := range r.footLines {
		f.SetXY(r.l.MarginLeft, y)
		f.CellFormat(r.textW, lh, s, "", 0, "C", false, 0, "")
		y += lh
	}
	f.SetTextColor(0, 0, 0)
}

func (r *renderer) letterhead() error {
	f := r.f
	top := r.y
	logoBottom := top
	textW := r.textW
	if len(r.l.Logo) > 0 {
		data, format, pw, ph, err := normalizedLogo(r.l.Logo)
		if err != nil {
			return err
		}
		w := r.l.LogoWidth
		h := w * float64(ph) / float64(pw)
		if h > 25 {
			h = 25
			w = h * float64(pw) / float64(ph)
		}
		opt := fpdf.ImageOptions{ImageType: strings.ToUpper(format), ReadDpi: false}
		f.RegisterImageOptionsReader("logo", opt, bytes.NewReader(data))
		if err := f.Error(); err != nil {
			return fmt.Errorf("pdf: logo: %w", err)
		}
		x := pageW - r.l.MarginRight - w
		f.ImageOptions("logo", x, top, w, h, false, opt, 0, "")
		logoBottom = top + h
		textW = r.textW - w - 5
	}
	y := top
	if name := r.companyName(); name != "" {
		f.SetFont(r.family, "B", 13)
		for _, ln := range r.wrap(name, textW) {
			f.SetXY(r.l.MarginLeft, y)
			f.CellFormat(textW, 13*ptToMM*1.25, ln, "", 0, "L", false, 0, "")
			y += 13 * ptToMM * 1.25
		}
	}
	f.SetFont(r.family, "", 9)
	f.SetTextColor(60, 60, 60)
	for _, s := range r.l.Letterhead.Lines {
		for _, ln := range r.wrap(s, textW) {
			f.SetXY(r.l.MarginLeft, y)
			f.CellFormat(textW, 9*ptToMM*1.35, ln, "", 0, "L", false, 0, "")
			y += 9 * ptToMM * 1.35
		}
	}
	f.SetTextColor(0, 0, 0)
	if bottom := max(y, logoBottom); bottom > maxLetterhead {
		return &ValidationError{Problems: []Problem{{Field: "letterhead.lines",
			De: fmt.Sprintf("Der Briefkopf ist zu hoch: Er reicht %.0f mm weit nach unten, höchstens %.0f mm sind möglich. Zeilen kürzen, das Logo schmaler oder die Ränder kleiner machen.", bottom, maxLetterhead),
			En: fmt.Sprintf("the letterhead is too tall: it reaches %.0f mm down the page, at most %.0f mm are possible", bottom, maxLetterhead)}}}
	}
	r.y = max(y, logoBottom) + 16
	return nil
}

// body lays out title and paragraphs with keep-together rules: a heading or
// a list's lead-in never ends a page, no paragraph leaves a single line at
// the bottom or top of a page, a list item of up to three lines is not
// split, and the closing paragraph moves with the signatures when they would
// otherwise stand alone on the last page.
func (r *renderer) body() {
	f := r.f
	titleSize := r.l.FontSize + 5
	f.SetFont(r.family, "B", titleSize)
	title := r.wrapLines(r.doc.Title, r.textW, "B", titleSize, 0, false)
	for i := range title {
		title[i].center = true
	}
	r.draw(title, titleSize*ptToMM*1.3)
	r.y += r.lineH * 1.2
	gap := r.lineH * 0.75
	paras := r.doc.Paragraphs
	for i, p := range paras {
		var heading []line
		if r.l.ShowHeadings && p.Heading != "" {
			heading = r.wrapLines(p.Heading, r.textW, "B", r.l.FontSize, 0, false)
		}
		text := r.wrapLines(p.Text, r.textW, "", r.l.FontSize, 0, false)
		var items [][]line
		for _, it := range p.Items {
			items = append(items, r.wrapLines(it, r.textW-6, "", r.l.FontSize, 6, true))
		}
		// Keep the heading, the lead-in and the first item (or two text
		// lines) together.
		need := len(heading) + len(text)
		if len(items) > 0 {
			need += len(items[0])
		} else if len(text) > 2 {
			need = len(heading) + 2
		}
		lastTravels := false
		if i == len(paras)-1 && len(items) == 0 {
			// The last paragraph travels with place, date and signatures if
			// both do not fit, so the signatures never stand alone.
			h := float64(len(heading)+len(text))*r.lineH + gap + r.closingHeight()
			lastTravels = r.y+h > r.bottom() && r.l.MarginTop+h <= r.bottom()
		}
		if (lastTravels || r.y+float64(need)*r.lineH > r.bottom()) && r.y > r.l.MarginTop+0.1 {
			r.newPage()
		}
		r.draw(heading, r.lineH)
		r.flow(text)
		for _, it := range items {
			if len(it) <= 3 && r.y+float64(len(it))*r.lineH > r.bottom() {
				r.newPage()
			}
			r.flow(it)
		}
		r.y += gap
	}
}

// flow draws lines, breaking the page so that neither page gets a single
// line of the paragraph.
func (r *renderer) flow(ls []line) {
	for len(ls) > 0 {
		fit := int((r.bottom() - r.y + 0.01) / r.lineH)
		if fit >= len(ls) {
			r.draw(ls, r.lineH)
			return
		}
		switch {
		case fit < 2:
			fit = 0
		case len(ls)-fit == 1:
			fit--
		}
		r.draw(ls[:fit], r.lineH)
		ls = ls[fit:]
		r.newPage()
	}
}

func (r *renderer) draw(ls []line, h float64) {
	f := r.f
	for _, ln := range ls {
		f.SetFont(r.family, ln.style, ln.size)
		if ln.bullet {
			f.SetXY(r.l.MarginLeft+ln.indent-4.5, r.y)
			f.CellFormat(4, h, generator.Bullet, "", 0, "L", false, 0, "")
		}
		f.SetXY(r.l.MarginLeft+ln.indent, r.y)
		align := "L"
		if ln.center {
			align = "C"
		}
		f.CellFormat(r.textW-ln.indent, h, ln.text, "", 0, align, false, 0, "")
		r.y += h
	}
}

func (r *renderer) dateLine() string {
	if r.l.DateFormat != DateNumeric || r.doc.Date.IsZero() {
		return r.doc.DateLine(r.l.Place)
	}
	d := *r.doc
	d.DateText = d.Date.Format("02.01.2006")
	if d.Language == "en" {
		d.DateText = d.Date.Format("02/01/2006")
	}
	return d.DateLine(r.l.Place)
}

func (r *renderer) closingHeight() float64 {
	h := r.lineH * float64(1+len(r.wrapLines(r.dateLine(), r.textW, "", r.l.FontSize, 0, false))) // date line(s) and gap
	if n := len(r.doc.Signatories); n > 0 {
		rows := (n + r.signatureColumns() - 1) / r.signatureColumns()
		h += float64(rows)*(r.l.Signature.Space+r.lineH*2.4) - r.lineH*0.2
	}
	return h
}

// signatureColumns is how many signatories stand next to each other: one
// when the layout stacks them, else up to three.
func (r *renderer) signatureColumns() int {
	if r.l.Signature.Stacked {
		return 1
	}
	return max(1, min(len(r.doc.Signatories), 3))
}

// signatures prints place and date and the signature block, kept together.
func (r *renderer) signatures() {
	f := r.f
	if r.y+r.closingHeight() > r.bottom() {
		r.newPage()
	}
	r.y += r.lineH * 0.5
	r.draw(r.wrapLines(r.dateLine(), r.textW, "", r.l.FontSize, 0, false), r.lineH)
	if len(r.doc.Signatories) == 0 {
		return
	}
	r.y += r.l.Signature.Space
	cols := r.signatureColumns()
	colW := min((r.textW-float64(cols-1)*10)/float64(cols), 75)
	rowY := r.y
	for i, s := range r.doc.Signatories {
		if i > 0 && i%cols == 0 {
			rowY += r.l.Signature.Space + r.lineH*2.4
			if rowY+r.lineH*2.2 > r.bottom() {
				r.newPage()
				rowY = r.y + r.l.Signature.Space
			}
		}
		x := r.l.MarginLeft + float64(i%cols)*(colW+10)
		f.SetDrawColor(0, 0, 0)
		f.SetLineWidth(0.25)
		f.Line(x, rowY-1, x+colW*0.85, rowY-1)
		f.SetFont(r.family, "", r.l.FontSize)
		f.SetXY(x, rowY)
		f.CellFormat(colW, r.lineH, clean(r.fitWidth(s.Name, colW)), "", 0, "L", false, 0, "")
		if s.Function != "" && !r.l.Signature.HideFunctions {
			f.SetFont(r.family, "", r.l.FontSize-1)
			f.SetXY(x, rowY+r.lineH)
			f.CellFormat(colW, r.lineH, clean(r.fitWidth(s.Function, colW)), "", 0, "L", false, 0, "")
		}
	}
	r.y = rowY + r.lineH*2.2
}

// fitWidth shortens a text to a column with an ellipsis; signature names and
// functions are one line each.
func (r *renderer) fitWidth(s string, w float64) string {
	if r.f.GetStringWidth(s) <= w {
		return s
	}
	rs := []rune(s)
	for len(rs) > 1 && r.f.GetStringWidth(string(rs)+"…") > w {
		rs = rs[:len(rs)-1]
	}
	return string(rs) + "…"
}

func (r *renderer) wrapLines(s string, w float64, style string, size float64, indent float64, bullet bool) []line {
	r.f.SetFont(r.family, style, size)
	var out []line
	for i, t := range r.wrap(s, w) {
		out = append(out, line{text: t, style: style, size: size, indent: indent, bullet: bullet && i == 0})
	}
	return out
}

// wrap breaks a text into lines no wider than w with the current font,
// breaking only at spaces (and inside a word only when it is wider than a
// line), so that the text extracts word for word.
func (r *renderer) wrap(s string, w float64) []string {
	words := joinSuspended(strings.Fields(clean(s)))
	var out []string
	cur := ""
	for _, wd := range words {
		for r.f.GetStringWidth(wd) > w {
			// an over-long word (URL, code) is split by characters
			rs := []rune(wd)
			k := len(rs)
			for k > 1 && r.f.GetStringWidth(string(rs[:k])) > w {
				k--
			}
			if cur != "" {
				out = append(out, cur)
				cur = ""
			}
			out = append(out, string(rs[:k]))
			wd = string(rs[k:])
		}
		switch {
		case cur == "":
			cur = wd
		case r.f.GetStringWidth(cur+" "+wd) <= w:
			cur += " " + wd
		default:
			out = append(out, cur)
			cur = wd
		}
	}
	if cur != "" {
		out = append(out, cur)
	}
	return out
}

// clean removes control characters and replaces characters outside the
// Basic Multilingual Plane, which the embedded font cannot carry.
func clean(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\n' || r == '\r':
			return ' '
		case unicode.IsControl(r) || r == '\u00ad' || r == '\u200b':
			return -1
		case r > 0xFFFF:
			return '?'
		}
		return r
	}, s)
}

// joinSuspended keeps words together that must not be split over two
// lines: a word ending in a hyphen ("Automobil- und Luftfahrtindustrie",
// which text extraction would also misread as a hyphenated break), a form
// of address or title and the name after it ("Frau Dr. Müller"), and a day
// and its month ("30. Juni").
func joinSuspended(words []string) []string {
	out := words[:0:0]
	for i := 0; i < len(words); i++ {
		w := words[i]
		for i+1 < len(words) && glues(words[i]) {
			i++
			w += " " + words[i]
		}
		out = append(out, w)
	}
	return out
}

var glueWords = map[string]bool{"Herr": true, "Herrn": true, "Frau": true, "Dr.": true, "Prof.": true, "Mr": true, "Ms": true, "Nr.": true}

func glues(w string) bool {
	if strings.HasSuffix(w, "-") || glueWords[w] {
		return true
	}
	// "1." … "31." before a month name
	if n := len(w); n >= 2 && n <= 3 && w[n-1] == '.' {
		for _, c := range w[:n-1] {
			if c < '0' || c > '9' {
				return false
			}
		}
		return true
	}
	return false
}
