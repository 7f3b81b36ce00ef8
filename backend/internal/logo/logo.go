// Package logo reads the images tenants upload — the letterhead logo of a
// document layout (package layout, printed by package pdf) and the logo of
// the SPA (package branding). An image is judged by its content, never its
// name: at most MaxBytes, a PNG or JPEG whose header claims at most
// MaxPixels per side (checked before a single pixel is decoded, so a
// decompression bomb costs nothing), decoded completely. Reencode then
// writes the pixels anew as PNG, so nothing else of the upload — metadata,
// a polyglot's tail, a parser quirk — reaches a PDF or a browser.
package logo

import (
	"bytes"
	"fmt"
	"image"
	"image/draw"
	_ "image/jpeg" // register the JPEG decoder
	"image/png"
	"math"
)

// Limits of an uploaded image.
const (
	MaxBytes  = 2 << 20 // 2 MiB
	MaxPixels = 4000    // per side
	// MaxArea bounds width × height: decoding costs memory by area (up to
	// 8 bytes a pixel for a 16-bit PNG, more for the coefficients of a
	// progressive CMYK JPEG), so a small file must not claim 4000 × 4000.
	MaxArea = 4_000_000
)

// decoding admits two decodes at a time in the whole process: with
// MaxArea each takes at most about 64 MB, so a burst of uploads cannot
// exhaust the server's memory.
var decoding = make(chan struct{}, 2)

// Problem says what is wrong with an image.
type Problem int

// The problems Decode finds.
const (
	// TooLarge: more than MaxBytes.
	TooLarge Problem = iota + 1
	// TooManyPixels: a side longer than MaxPixels (or empty).
	TooManyPixels
	// NotAnImage: not a complete PNG or JPEG.
	NotAnImage
)

// Error is a refused image.
type Error struct {
	Problem Problem
	msg     string
}

func (e *Error) Error() string { return e.msg }

// German is the message for a person, in German.
func (e *Error) German() string {
	switch e.Problem {
	case TooLarge:
		return "Die Datei ist größer als 2 MiB."
	case TooManyPixels:
		return fmt.Sprintf("Das Bild ist größer als %d Pixel je Seite oder %d Millionen Pixel insgesamt.", MaxPixels, MaxArea/1_000_000)
	}
	return "Die Datei ist kein vollständiges PNG- oder JPEG-Bild."
}

// Decode checks b and decodes it, holding one of the process's decode
// slots; the error is an *Error.
func Decode(b []byte) (img image.Image, format string, err error) {
	decoding <- struct{}{}
	defer func() { <-decoding }()
	return decode(b)
}

// decode is Decode without taking a slot: the caller holds one.
func decode(b []byte) (img image.Image, format string, err error) {
	if len(b) > MaxBytes {
		return nil, "", &Error{TooLarge, fmt.Sprintf("logo is %d bytes, more than the %d allowed", len(b), MaxBytes)}
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		return nil, "", &Error{NotAnImage, "logo is not a PNG or JPEG image"}
	}
	if format != "png" && format != "jpeg" {
		return nil, "", &Error{NotAnImage, fmt.Sprintf("logo is %s, not PNG or JPEG", format)}
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width > MaxPixels || cfg.Height > MaxPixels || cfg.Width*cfg.Height > MaxArea {
		return nil, "", &Error{TooManyPixels, fmt.Sprintf("logo is %d×%d pixels; at most %d per side and %d in all", cfg.Width, cfg.Height, MaxPixels, MaxArea)}
	}
	// Decode completely: a valid header on a truncated or corrupt file is
	// refused here, not met later by a PDF writer or a browser.
	img, _, err = image.Decode(bytes.NewReader(b))
	if err != nil {
		return nil, "", &Error{NotAnImage, "logo is not a complete PNG or JPEG image"}
	}
	return img, format, nil
}

// Reencode decodes b (see Decode), scales it down to at most limit pixels
// per side (box filter, aspect kept) and writes it anew as 8-bit RGBA PNG of
// at most maxBytes, scaling down further where the pixels do not compress
// that far.
func Reencode(b []byte, limit, maxBytes int) (pngBytes []byte, w, h int, err error) {
	// One slot for the whole of it: the decoded image, its copy and the
	// scaled result are all alive until the PNG is written.
	decoding <- struct{}{}
	defer func() { <-decoding }()
	img, _, err := decode(b)
	if err != nil {
		return nil, 0, 0, err
	}
	src := image.NewNRGBA(image.Rect(0, 0, img.Bounds().Dx(), img.Bounds().Dy()))
	draw.Draw(src, src.Bounds(), img, img.Bounds().Min, draw.Src)
	for {
		out := downscale(src, limit)
		var buf bytes.Buffer
		if err := png.Encode(&buf, out); err != nil {
			return nil, 0, 0, fmt.Errorf("logo: %w", err)
		}
		if buf.Len() <= maxBytes {
			return buf.Bytes(), out.Bounds().Dx(), out.Bounds().Dy(), nil
		}
		side := max(out.Bounds().Dx(), out.Bounds().Dy())
		next := int(float64(side) * math.Sqrt(float64(maxBytes)/float64(buf.Len())) * 0.9)
		if next < 16 {
			return nil, 0, 0, &Error{TooLarge, "logo does not compress to a stored size"}
		}
		limit = next
	}
}

// downscale shrinks img (origin 0,0) so that neither side exceeds limit,
// averaging the source pixels each target pixel covers (weighted by alpha,
// so a transparent edge does not darken); a smaller image comes back as is.
func downscale(img *image.NRGBA, limit int) *image.NRGBA {
	sw, sh := img.Bounds().Dx(), img.Bounds().Dy()
	if sw <= limit && sh <= limit {
		return img
	}
	scale := float64(limit) / float64(max(sw, sh))
	dw, dh := max(1, int(float64(sw)*scale+0.5)), max(1, int(float64(sh)*scale+0.5))
	dst := image.NewNRGBA(image.Rect(0, 0, dw, dh))
	for y := 0; y < dh; y++ {
		y0, y1 := y*sh/dh, max((y+1)*sh/dh, y*sh/dh+1)
		for x := 0; x < dw; x++ {
			x0, x1 := x*sw/dw, max((x+1)*sw/dw, x*sw/dw+1)
			var r, g, b, a, n uint64
			for sy := y0; sy < y1; sy++ {
				row := img.Pix[sy*img.Stride:]
				for sx := x0; sx < x1; sx++ {
					p := row[sx*4 : sx*4+4]
					pa := uint64(p[3])
					r += uint64(p[0]) * pa
					g += uint64(p[1]) * pa
					b += uint64(p[2]) * pa
					a += pa
					n++
				}
			}
			o := dst.Pix[y*dst.Stride+x*4:]
			if a > 0 {
				o[0], o[1], o[2] = uint8(r/a), uint8(g/a), uint8(b/a)
			}
			o[3] = uint8(a / n)
		}
	}
	return dst
}
