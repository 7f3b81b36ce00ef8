package layout_test

import (
	"bytes"
	"context"
	"flag"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"connectrpc.com/connect"
	"github.com/jackc/pgx/v5"

	"github.com/zeugo/zeugo/backend/internal/apptest"
	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
	"github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1/zeugov1connect"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func ctx() context.Context { return context.Background() }

type fixture struct {
	env     *apptest.Env
	ten     *apptest.Tenant
	s       *apptest.Session
	layouts zeugov1connect.DocumentLayoutServiceClient
	company string
}

// setup starts a server with a tenant and one company with letterhead and
// register data, signed in over p.
func setup(t testing.TB, p apptest.Protocol) *fixture {
	t.Helper()
	env := apptest.New(t)
	ten := env.CreateTenant("Layout GmbH", "admin@layout.example")
	s := apptest.SignIn(t, env, ten.Email, ten.Password, p)
	co, err := s.Org().CreateCompany(ctx(), connect.NewRequest(&zeugov1.CreateCompanyRequest{Fields: &zeugov1.CompanyFields{
		Name: "Brunnenbau Sommer GmbH", Street: "Quellweg 3", Postcode: "50667", City: "Köln", Phone: "0221 1234-0",
		RegisterCourt: "Amtsgericht Köln", RegisterNumber: "HRB 4711", VatId: "DE123456789"}}))
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{env: env, ten: ten, s: s, company: co.Msg.GetCompany().GetId(),
		layouts: zeugov1connect.NewDocumentLayoutServiceClient(s.HTTP, s.URL, s.Options()...)}
}

func (f *fixture) get(t testing.TB) *zeugov1.DocumentLayout {
	t.Helper()
	r, err := f.layouts.GetDocumentLayout(ctx(), connect.NewRequest(&zeugov1.GetDocumentLayoutRequest{CompanyId: f.company}))
	if err != nil {
		t.Fatal(err)
	}
	return r.Msg.GetLayout()
}

func (f *fixture) save(version int64, s *zeugov1.DocumentLayoutSettings) (*zeugov1.DocumentLayout, error) {
	r, err := f.layouts.UpdateDocumentLayout(ctx(), connect.NewRequest(&zeugov1.UpdateDocumentLayoutRequest{CompanyId: f.company,
		Version: version, Settings: s}))
	if err != nil {
		return nil, err
	}
	return r.Msg.GetLayout(), nil
}

func (f *fixture) preview(t *testing.T, s *zeugov1.DocumentLayoutSettings, lang string, n int32) ([]byte, int32) {
	t.Helper()
	r, err := f.layouts.PreviewDocumentLayout(ctx(), connect.NewRequest(&zeugov1.PreviewDocumentLayoutRequest{CompanyId: f.company,
		Settings: s, Language: lang, Signatories: n}))
	if err != nil {
		t.Fatal(err)
	}
	return r.Msg.GetPdf(), r.Msg.GetPages()
}

func (f *fixture) logo(version int64, img []byte) (*zeugov1.DocumentLayout, error) {
	r, err := f.layouts.SetDocumentLayoutLogo(ctx(), connect.NewRequest(&zeugov1.SetDocumentLayoutLogoRequest{CompanyId: f.company,
		Version: version, Image: img}))
	if err != nil {
		return nil, err
	}
	return r.Msg.GetLayout(), nil
}

// text is what pdftotext reads from a PDF.
func text(t *testing.T, pdf []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

// sans is a changed layout: sans face, other margins, own letterhead and
// footer, stacked signatures without functions, numeric date, headings.
func sans() *zeugov1.DocumentLayoutSettings {
	return &zeugov1.DocumentLayoutSettings{MarginTopMm: 25, MarginBottomMm: 35, MarginLeftMm: 30, MarginRightMm: 25,
		Font: zeugov1.DocumentFont_DOCUMENT_FONT_SANS, FontSizePt: 10, LogoWidthMm: 30, CustomLetterhead: true,
		LetterheadName: "Sommer Brunnenbau", LetterheadLines: []string{"Quellweg 3 · 50667 Köln", "  ", "www.sommer-brunnen.example"},
		CustomFooter: true, FooterLines: []string{"Sitz Köln · HRB 4711 · Geschäftsführer: Peter Sommer"}, Place: "Köln-Ehrenfeld",
		DateFormat: zeugov1.DocumentDateFormat_DOCUMENT_DATE_FORMAT_NUMERIC, SignatureSpaceMm: 18,
		SignatureArrangement: zeugov1.SignatureArrangement_SIGNATURE_ARRANGEMENT_STACKED, SignatureFunctions: false, ShowHeadings: true}
}

func TestLayoutIsSavedVersionedAndReset(t *testing.T) {
	t.Parallel()
	for _, p := range []apptest.Protocol{apptest.Connect, apptest.GRPC} {
		t.Run(p.String(), func(t *testing.T) {
			t.Parallel()
			f := setup(t, p)
			def := f.get(t)
			if def.GetCustomized() || def.GetVersion() != 0 || def.GetSettings().GetFont() != zeugov1.DocumentFont_DOCUMENT_FONT_SERIF ||
				def.GetSettings().GetMarginLeftMm() != 25 || def.GetCompanyPlace() != "Köln" ||
				len(def.GetCompanyLetterheadLines()) != 3 || len(def.GetCompanyFooterLines()) != 2 {
				t.Fatalf("default layout: %+v", def)
			}
			saved, err := f.save(0, sans())
			if err != nil {
				t.Fatal(err)
			}
			if !saved.GetCustomized() || saved.GetVersion() <= 0 || saved.GetSettings().GetFont() != zeugov1.DocumentFont_DOCUMENT_FONT_SANS {
				t.Fatalf("saved: %+v", saved)
			}
			// Blank lines are dropped, the rest kept in order.
			if got := saved.GetSettings().GetLetterheadLines(); len(got) != 2 || got[1] != "www.sommer-brunnen.example" {
				t.Fatalf("letterhead lines: %q", got)
			}
			if got := f.get(t); got.GetVersion() != saved.GetVersion() || got.GetSettings().GetPlace() != "Köln-Ehrenfeld" {
				t.Fatalf("read back: %+v", got)
			}
			// A second administrator still holding version 0, or the old
			// version after a save, loses.
			_, err = f.save(0, sans())
			apptest.WantCode(t, err, connect.CodeAborted, "first save again")
			next := sans()
			next.FontSizePt = 12
			again, err := f.save(saved.GetVersion(), next)
			if err != nil || again.GetVersion() <= saved.GetVersion() {
				t.Fatalf("second save: %v, %+v", err, again)
			}
			_, err = f.save(saved.GetVersion(), sans())
			apptest.WantCode(t, err, connect.CodeAborted, "stale save")
			if got := f.get(t); got.GetSettings().GetFontSizePt() != 12 {
				t.Fatalf("the stale save changed the layout: %+v", got)
			}
			_, err = f.layouts.ResetDocumentLayout(ctx(), connect.NewRequest(&zeugov1.ResetDocumentLayoutRequest{CompanyId: f.company, Version: saved.GetVersion()}))
			apptest.WantCode(t, err, connect.CodeAborted, "stale reset")
			r, err := f.layouts.ResetDocumentLayout(ctx(), connect.NewRequest(&zeugov1.ResetDocumentLayoutRequest{CompanyId: f.company, Version: again.GetVersion()}))
			if err != nil || r.Msg.GetLayout().GetCustomized() {
				t.Fatalf("reset: %v %+v", err, r.Msg.GetLayout())
			}
			if got := f.get(t); got.GetCustomized() || got.GetSettings().GetFont() != zeugov1.DocumentFont_DOCUMENT_FONT_SERIF {
				t.Fatalf("after reset: %+v", got)
			}
			var actions []string
			f.env.AsOwner(f.ten.TenantID, func(tx pgx.Tx) error {
				rows, err := tx.Query(ctx(), `SELECT action FROM audit_events WHERE target_id = $1 AND action LIKE 'layout.%' ORDER BY seq`, f.company)
				if err != nil {
					return err
				}
				actions, err = pgx.CollectRows(rows, pgx.RowTo[string])
				return err
			})
			if strings.Join(actions, " ") != "layout.updated layout.updated layout.reset" {
				t.Fatalf("audit: %q", actions)
			}
		})
	}
}

func TestInvalidSettingsAreRefusedByFieldAndChangeNothing(t *testing.T) {
	t.Parallel()
	f := setup(t, apptest.Connect)
	saved, err := f.save(0, sans())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name  string
		edit  func(s *zeugov1.DocumentLayoutSettings)
		field string
		rule  string
	}{
		{"margin too small", func(s *zeugov1.DocumentLayoutSettings) { s.MarginTopMm = 5 }, "settings.margin_top_mm", "double.gte_lte"},
		{"font size too large", func(s *zeugov1.DocumentLayoutSettings) { s.FontSizePt = 20 }, "settings.font_size_pt", "double.gte_lte"},
		{"no font", func(s *zeugov1.DocumentLayoutSettings) { s.Font = 0 }, "settings.font", "enum.not_in"},
		{"footer needs room", func(s *zeugov1.DocumentLayoutSettings) { s.MarginBottomMm = 15 }, "settings.margin_bottom_mm", "zeugo.layout.footer_margin"},
		{"line break in a line", func(s *zeugov1.DocumentLayoutSettings) { s.FooterLines = []string{"eins\nzwei"} }, "settings.footer_lines[0]", "zeugo.layout.line"},
		{"seven letterhead lines", func(s *zeugov1.DocumentLayoutSettings) {
			s.LetterheadLines = []string{"1", "2", "3", "4", "5", "6", "7"}
		}, "settings.letterhead_lines", "repeated.max_items"},
		{"bidi override in a line", func(s *zeugov1.DocumentLayoutSettings) { s.LetterheadLines = []string{"Köln \u202eHRB"} },
			"settings.letterhead_lines[0]", "zeugo.layout.line"},
		{"footer lines that wrap need more room", func(s *zeugov1.DocumentLayoutSettings) {
			s.MarginBottomMm = 30
			s.FooterLines = []string{strings.Repeat("Registergericht Köln ", 9), strings.Repeat("Geschäftsführung ", 11), strings.Repeat("USt-IdNr. DE123456789 ", 9)}
		}, "settings.margin_bottom_mm", "zeugo.layout.footer_margin"},
		{"letterhead too tall", func(s *zeugov1.DocumentLayoutSettings) {
			s.MarginLeftMm, s.MarginRightMm, s.LogoWidthMm = 50, 50, 80
			s.LetterheadLines = slices.Repeat([]string{strings.Repeat("Straße ", 27)}, 6)
		}, "settings.letterhead_lines", "zeugo.layout.letterhead_height"},
	} {
		s := sans()
		c.edit(s)
		_, err := f.save(saved.GetVersion(), s)
		apptest.WantCode(t, err, connect.CodeInvalidArgument, c.name)
		if got := apptest.Violations(t, err); got[c.field] != c.rule {
			t.Errorf("%s: violations %v, want %s on %s", c.name, got, c.rule, c.field)
		}
	}
	if got := f.get(t); got.GetVersion() != saved.GetVersion() {
		t.Fatalf("a refused save changed the layout: %d → %d", saved.GetVersion(), got.GetVersion())
	}
}

func pngOf(w, h int) []byte {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.NRGBA{R: uint8(x), G: uint8(y), B: 120, A: 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		panic(err)
	}
	return b.Bytes()
}

func TestLogoIsReencodedAndHostileImagesAreRefused(t *testing.T) {
	t.Parallel()
	f := setup(t, apptest.Connect)
	// A PNG with a script and a ZIP glued on (a polyglot) and a JPEG with a
	// comment: what is stored is a fresh PNG of the pixels only.
	payload := []byte("<script>alert(1)</script>PK\x03\x04polyglot")
	poly := append(pngOf(2400, 800), payload...)
	l, err := f.logo(0, poly)
	if err != nil {
		t.Fatal(err)
	}
	if l.GetLogoWidthPx() != 1200 || l.GetLogoHeightPx() != 400 || bytes.Contains(l.GetLogoPng(), payload) {
		t.Fatalf("stored logo: %dx%d, payload kept: %v", l.GetLogoWidthPx(), l.GetLogoHeightPx(), bytes.Contains(l.GetLogoPng(), payload))
	}
	if cfg, format, err := image.DecodeConfig(bytes.NewReader(l.GetLogoPng())); err != nil || format != "png" || cfg.Width != 1200 {
		t.Fatalf("stored logo decodes as %s %v: %v", format, cfg, err)
	}
	var jb bytes.Buffer
	if err := jpeg.Encode(&jb, image.NewRGBA(image.Rect(0, 0, 300, 100)), nil); err != nil {
		t.Fatal(err)
	}
	comment := []byte("\xff\xfe\x00\x12GEHEIMER-KOMMENTAR")
	withComment := append(append(append([]byte{}, jb.Bytes()[:2]...), comment...), jb.Bytes()[2:]...)
	l2, err := f.logo(l.GetVersion(), withComment)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(l2.GetLogoPng(), []byte("GEHEIMER")) || !bytes.HasPrefix(l2.GetLogoPng(), []byte("\x89PNG")) || l2.GetLogoWidthPx() != 300 {
		t.Fatalf("JPEG logo stored as %q… %dx%d", l2.GetLogoPng()[:8], l2.GetLogoWidthPx(), l2.GetLogoHeightPx())
	}
	// A decompression bomb: a few kilobytes of PNG that claim 20000×20000
	// pixels. Its header is refused before any pixel is decoded.
	bomb := pngHeader(20000, 20000)
	full := pngOf(300, 300)
	truncated := full[:len(full)/2]
	big := make([]byte, 2<<20+1)
	copy(big, pngOf(10, 10))
	for _, c := range []struct {
		name  string
		img   []byte
		field string
		rule  string
	}{
		{"decompression bomb", bomb, "image", "zeugo.layout.logo_pixels"},
		{"4000×4000 is within each side but too much in all", pngHeader(4000, 4000), "image", "zeugo.layout.logo_pixels"},
		{"truncated PNG", truncated, "image", "zeugo.layout.logo"},
		{"not an image", []byte("%PDF-1.4 not a logo"), "image", "zeugo.layout.logo"},
		{"GIF", []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;"), "image", "zeugo.layout.logo"},
		{"oversized file", big, "image", "bytes.max_len"},
	} {
		_, err := f.logo(l2.GetVersion(), c.img)
		apptest.WantCode(t, err, connect.CodeInvalidArgument, c.name)
		if got := apptest.Violations(t, err); got[c.field] != c.rule {
			t.Errorf("%s: violations %v, want %s on %s", c.name, got, c.rule, c.field)
		}
	}
	if got := f.get(t); got.GetVersion() != l2.GetVersion() || got.GetLogoWidthPx() != 300 {
		t.Fatalf("a refused logo changed the layout")
	}
	// The logo is printed: the preview PDF carries an image.
	pdf, _ := f.preview(t, f.get(t).GetSettings(), "de", 2)
	if !bytes.Contains(pdf, []byte("/Subtype /Image")) {
		t.Fatal("the preview has no logo image")
	}
	r, err := f.layouts.RemoveDocumentLayoutLogo(ctx(), connect.NewRequest(&zeugov1.RemoveDocumentLayoutLogoRequest{CompanyId: f.company, Version: l2.GetVersion()}))
	if err != nil || len(r.Msg.GetLayout().GetLogoPng()) != 0 || !r.Msg.GetLayout().GetCustomized() {
		t.Fatalf("remove: %v", err)
	}
}

// pngHeader is the signature and IHDR chunk of a w×h RGBA PNG, followed by
// an empty IDAT and IEND: enough for image.DecodeConfig.
func pngHeader(w, h uint32) []byte {
	var full bytes.Buffer
	if err := png.Encode(&full, image.NewNRGBA(image.Rect(0, 0, 1, 1))); err != nil {
		panic(err)
	}
	b := append([]byte{}, full.Bytes()...)
	// IHDR data starts at 16: width, height (big endian); fix the CRC.
	put := func(off int, v uint32) {
		b[off], b[off+1], b[off+2], b[off+3] = byte(v>>24), byte(v>>16), byte(v>>8), byte(v)
	}
	put(16, w)
	put(20, h)
	put(29, crc32.ChecksumIEEE(b[12:29]))
	return b
}

func TestPreviewPrintsTheSettingsWithoutSavingThem(t *testing.T) {
	t.Parallel()
	f := setup(t, apptest.Connect)
	serif, pages := f.preview(t, f.get(t).GetSettings(), "de", 2)
	if pages < 1 || !bytes.Contains(serif, []byte("liberationserif")) || bytes.Contains(serif, []byte("liberationsans")) {
		t.Fatalf("default preview: %d pages, serif %v", pages, bytes.Contains(serif, []byte("liberationserif")))
	}
	st := text(t, serif)
	for _, want := range []string{"Brunnenbau Sommer GmbH", "Quellweg 3", "Erika Mustermann", "Amtsgericht Köln HRB 4711",
		"Dr. Maria Beispiel", "Geschäftsführerin", "Köln, 30. Juni 2025"} {
		if !strings.Contains(st, want) {
			t.Errorf("default preview lacks %q:\n%s", want, st)
		}
	}
	sansPDF, _ := f.preview(t, sans(), "en", 1)
	if !bytes.Contains(sansPDF, []byte("liberationsans")) {
		t.Fatal("the sans preview is not set in the sans face")
	}
	ss := text(t, sansPDF)
	for _, want := range []string{"Sommer Brunnenbau", "www.sommer-brunnen.example", "Sitz Köln · HRB 4711", "Köln-Ehrenfeld, 30/06/2025", "Dr. Maria Beispiel"} {
		if !strings.Contains(ss, want) {
			t.Errorf("sans preview lacks %q:\n%s", want, ss)
		}
	}
	for _, gone := range []string{"Thomas Muster", "Managing Director", "Amtsgericht"} {
		if strings.Contains(ss, gone) {
			t.Errorf("sans preview (one signatory, no functions, own footer) prints %q", gone)
		}
	}
	if got := f.get(t); got.GetCustomized() {
		t.Fatal("a preview saved the layout")
	}
}

// TestGoldenLayouts prints the sample in two layouts and compares what
// pdftotext reads, and the page count, with testdata (go test -update
// rewrites them).
func TestGoldenLayouts(t *testing.T) {
	t.Parallel()
	f := setup(t, apptest.Connect)
	for name, s := range map[string]*zeugov1.DocumentLayoutSettings{"default": f.get(t).GetSettings(), "sans": sans()} {
		pdf, pages := f.preview(t, s, "de", 2)
		got := text(t, pdf)
		path := filepath.Join("testdata", name+".txt")
		if *update {
			if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if got != string(want) {
			t.Errorf("%s: the text differs from %s (go test -update rewrites it):\n%s", name, path, got)
		}
		if pages != 2 || strings.Count(got, "\f") != int(pages) {
			t.Errorf("%s: %d pages, pdftotext read %d", name, pages, strings.Count(got, "\f"))
		}
	}
}

func TestOtherTenantsCompaniesAreNotFound(t *testing.T) {
	t.Parallel()
	f := setup(t, apptest.Connect)
	other := f.env.CreateTenant("Fremd GmbH", "admin@fremd.example")
	s := apptest.SignIn(t, f.env, other.Email, other.Password, apptest.Connect)
	c := zeugov1connect.NewDocumentLayoutServiceClient(s.HTTP, s.URL, s.Options()...)
	_, err := c.GetDocumentLayout(ctx(), connect.NewRequest(&zeugov1.GetDocumentLayoutRequest{CompanyId: f.company}))
	apptest.WantCode(t, err, connect.CodeNotFound, "get")
	_, err = c.UpdateDocumentLayout(ctx(), connect.NewRequest(&zeugov1.UpdateDocumentLayoutRequest{CompanyId: f.company, Settings: sans()}))
	apptest.WantCode(t, err, connect.CodeNotFound, "update")
	_, err = c.PreviewDocumentLayout(ctx(), connect.NewRequest(&zeugov1.PreviewDocumentLayoutRequest{CompanyId: f.company, Settings: sans(), Language: "de", Signatories: 1}))
	apptest.WantCode(t, err, connect.CodeNotFound, "preview")
	if got := f.get(t); got.GetCustomized() {
		t.Fatal("another tenant changed the layout")
	}
	// A user without the area Zeugnisformatierung may not read it either.
	u := apptest.AddUser(t, f.env, f.ten, "hr@layout.example", []string{"employees"}, apptest.Restriction{All: true})
	uc := zeugov1connect.NewDocumentLayoutServiceClient(u.HTTP, u.URL, u.Options()...)
	_, err = uc.GetDocumentLayout(ctx(), connect.NewRequest(&zeugov1.GetDocumentLayoutRequest{CompanyId: f.company}))
	apptest.WantCode(t, err, connect.CodePermissionDenied, "get without the area")
}

// TestTenantFilterWithoutRLS: with row-level security bypassed, the
// service's own tenant filter still keeps every rpc on the caller's tenant
// (the second of the two walls, SPEC §11).
func TestTenantFilterWithoutRLS(t *testing.T) {
	t.Parallel()
	env := apptest.New(t, apptest.Options{BypassRLS: true})
	a := env.CreateTenant("A GmbH", "admin@a-layout.example")
	b := env.CreateTenant("B GmbH", "admin@b-layout.example")
	sa := apptest.SignIn(t, env, a.Email, a.Password, apptest.Connect)
	co, err := sa.Org().CreateCompany(ctx(), connect.NewRequest(&zeugov1.CreateCompanyRequest{Fields: &zeugov1.CompanyFields{Name: "A GmbH", City: "Köln"}}))
	if err != nil {
		t.Fatal(err)
	}
	id := co.Msg.GetCompany().GetId()
	la := zeugov1connect.NewDocumentLayoutServiceClient(sa.HTTP, sa.URL, sa.Options()...)
	saved, err := la.SetDocumentLayoutLogo(ctx(), connect.NewRequest(&zeugov1.SetDocumentLayoutLogoRequest{CompanyId: id, Image: pngOf(40, 20)}))
	if err != nil {
		t.Fatal(err)
	}
	v := saved.Msg.GetLayout().GetVersion()
	sb := apptest.SignIn(t, env, b.Email, b.Password, apptest.Connect)
	lb := zeugov1connect.NewDocumentLayoutServiceClient(sb.HTTP, sb.URL, sb.Options()...)
	for name, call := range map[string]func() error{
		"get": func() error {
			_, err := lb.GetDocumentLayout(ctx(), connect.NewRequest(&zeugov1.GetDocumentLayoutRequest{CompanyId: id}))
			return err
		},
		"update": func() error {
			_, err := lb.UpdateDocumentLayout(ctx(), connect.NewRequest(&zeugov1.UpdateDocumentLayoutRequest{CompanyId: id, Version: v, Settings: sans()}))
			return err
		},
		"set logo": func() error {
			_, err := lb.SetDocumentLayoutLogo(ctx(), connect.NewRequest(&zeugov1.SetDocumentLayoutLogoRequest{CompanyId: id, Version: v, Image: pngOf(10, 10)}))
			return err
		},
		"remove logo": func() error {
			_, err := lb.RemoveDocumentLayoutLogo(ctx(), connect.NewRequest(&zeugov1.RemoveDocumentLayoutLogoRequest{CompanyId: id, Version: v}))
			return err
		},
		"reset": func() error {
			_, err := lb.ResetDocumentLayout(ctx(), connect.NewRequest(&zeugov1.ResetDocumentLayoutRequest{CompanyId: id, Version: v}))
			return err
		},
		"preview": func() error {
			_, err := lb.PreviewDocumentLayout(ctx(), connect.NewRequest(&zeugov1.PreviewDocumentLayoutRequest{CompanyId: id, Settings: sans(), Language: "de", Signatories: 1}))
			return err
		},
	} {
		apptest.WantCode(t, call(), connect.CodeNotFound, name)
	}
	g, err := la.GetDocumentLayout(ctx(), connect.NewRequest(&zeugov1.GetDocumentLayoutRequest{CompanyId: id}))
	if err != nil || g.Msg.GetLayout().GetVersion() != v || len(g.Msg.GetLayout().GetLogoPng()) == 0 {
		t.Fatalf("tenant B changed A's layout: %v", err)
	}
}
