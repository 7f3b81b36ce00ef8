// Package web serves the single-page app built by Vite and embedded into the
// binary. Files are served with long cache lifetimes (their names carry
// content hashes); every other GET path is a deep link and gets index.html,
// with a fresh CSP nonce for the style elements the UI library injects.
package web

import (
	"bytes"
	"compress/gzip"
	"crypto/rand"
	"embed"
	"encoding/base64"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
)

//go:embed all:dist
var dist embed.FS

// NoncePlaceholder is replaced in index.html by the per-response nonce.
const NoncePlaceholder = "__CSP_NONCE__"

// Handler serves the SPA. csp builds the Content-Security-Policy for a nonce.
type Handler struct {
	files fs.FS
	index []byte
	csp   func(nonce string) string
	// gz holds gzip-compressed copies of the compressible assets, made once
	// at start (they are content-hashed and public: no BREACH concern).
	gz map[string][]byte
}

// New returns the SPA handler; built is false when the binary was compiled
// without a front-end build (then a short page explains how to build it).
func New(csp func(string) string) (h *Handler, built bool) {
	files, _ := fs.Sub(dist, "dist")
	index, err := fs.ReadFile(files, "index.html")
	if err != nil {
		index = []byte(`<!doctype html><html lang="de"><head><meta charset="utf-8"><title>Zeugo</title></head>` +
			`<body><p>Die Oberfläche ist nicht gebaut. Bitte <code>make run</code> verwenden. ` +
			`(The web UI is not built; use <code>make run</code>.)</p></body></html>`)
		return &Handler{files: files, index: index, csp: csp}, false
	}
	return &Handler{files: files, index: index, csp: csp, gz: compressAssets(files)}, true
}

// compressible are the asset types worth compressing.
var compressible = map[string]bool{".js": true, ".css": true, ".svg": true, ".json": true, ".txt": true}

func compressAssets(files fs.FS) map[string][]byte {
	out := map[string][]byte{}
	_ = fs.WalkDir(files, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !compressible[path.Ext(p)] {
			return nil
		}
		b, err := fs.ReadFile(files, p)
		if err != nil || len(b) < 1024 {
			return nil
		}
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		_, _ = zw.Write(b)
		if zw.Close() == nil && buf.Len() < len(b) {
			out[p] = buf.Bytes()
		}
		return nil
	})
	return out
}

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	p := strings.TrimPrefix(path.Clean(r.URL.Path), "/")
	if p != "" && p != "index.html" {
		if f, err := h.files.Open(p); err == nil {
			st, err := f.Stat()
			f.Close()
			if err == nil && !st.IsDir() {
				if strings.HasPrefix(p, "assets/") {
					w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
				} else {
					w.Header().Set("Cache-Control", "public, max-age=86400")
				}
				w.Header().Add("Vary", "Accept-Encoding")
				if gz, ok := h.gz[p]; ok && acceptsGzip(r) {
					if ct := mime.TypeByExtension(path.Ext(p)); ct != "" {
						w.Header().Set("Content-Type", ct)
					}
					w.Header().Set("Content-Encoding", "gzip")
					http.ServeContent(w, r, p, st.ModTime(), bytes.NewReader(gz))
					return
				}
				http.ServeFileFS(w, r, h.files, p)
				return
			}
		}
		if path.Ext(p) != "" { // a missing asset is a 404, not the app
			http.NotFound(w, r)
			return
		}
	}
	nonce := newNonce()
	w.Header().Set("Content-Security-Policy", h.csp(nonce))
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(bytes.ReplaceAll(h.index, []byte(NoncePlaceholder), []byte(nonce)))
}

func newNonce() string {
	b := make([]byte, 18)
	_, _ = rand.Read(b)
	return base64.StdEncoding.EncodeToString(b)
}

func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		enc, q, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(enc), "gzip") && strings.ReplaceAll(q, " ", "") != "q=0" {
			return true
		}
	}
	return false
}
