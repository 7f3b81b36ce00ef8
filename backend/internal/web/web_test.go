package web

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"testing/fstest"
)

func TestAssetsAreServedGzippedWhenAccepted(t *testing.T) {
	t.Parallel()
	js := bytes.Repeat([]byte("console.log('zeugo');\n"), 200)
	files := fstest.MapFS{"index.html": {Data: []byte("<html>" + NoncePlaceholder + "</html>")}, "assets/app-1.js": {Data: js}}
	h := &Handler{files: files, index: files["index.html"].Data, csp: func(string) string { return "" }, gz: compressAssets(files)}

	req := httptest.NewRequest(http.MethodGet, "/assets/app-1.js", nil)
	req.Header.Set("Accept-Encoding", "br, gzip;q=0.8")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Header().Get("Content-Encoding") != "gzip" || rec.Header().Get("Content-Type") != "text/javascript; charset=utf-8" {
		t.Fatalf("headers %v", rec.Header())
	}
	zr, err := gzip.NewReader(rec.Body)
	if err != nil {
		t.Fatal(err)
	}
	plain, _ := io.ReadAll(zr)
	if !bytes.Equal(plain, js) {
		t.Fatal("gzip body does not decompress to the asset")
	}

	req = httptest.NewRequest(http.MethodGet, "/assets/app-1.js", nil)
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Header().Get("Content-Encoding") != "" || !bytes.Equal(rec.Body.Bytes(), js) {
		t.Fatal("a client without gzip must get the plain asset")
	}
}
