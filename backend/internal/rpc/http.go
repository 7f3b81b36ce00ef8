package rpc

import (
	"crypto/rand"
	"encoding/base64"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/zeugo/zeugo/backend/internal/requestinfo"
)

// MaxRequestBytes bounds every request body (DESIGN §5: request size limits).
const MaxRequestBytes = 1 << 20

// securityHeaders are sent on every response. The CSP's style nonce is
// added by the SPA handler for index.html; everything else gets the
// strictest policy.
func securityHeaders(h http.Header) {
	h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
	h.Set("Cross-Origin-Embedder-Policy", "require-corp")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Permissions-Policy", "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=(), interest-cohort=()")
	h.Set("Content-Security-Policy", CSP(""))
	// API answers carry personal data: no cache may keep them. The SPA
	// handler overrides this for its content-hashed assets.
	h.Set("Cache-Control", "no-store")
}

// CSP returns the Content-Security-Policy; styleNonce allows the SPA's
// style elements (Mantine injects its CSS variables) and nothing else inline.
func CSP(styleNonce string) string {
	style := "style-src 'self'"
	if styleNonce != "" {
		style += " 'nonce-" + styleNonce + "'"
	}
	return "default-src 'self'; script-src 'self'; " + style + "; img-src 'self' data:; font-src 'self'; " +
		"connect-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
}

// statusRecorder remembers the status for the access log.
type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (r *statusRecorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	n, err := r.ResponseWriter.Write(b)
	r.bytes += int64(n)
	return n, err
}

// Flush keeps streaming responses working through the recorder.
func (r *statusRecorder) Flush() {
	if f, ok := r.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// middleware wraps the whole server: request id, client address, security
// headers, body limit and the access log. The access log carries no personal
// data: method, path (procedure or asset), status, size, duration, ids.
func middleware(next http.Handler, log zerolog.Logger, trusted []netip.Prefix) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rid := newRequestID()
		info := requestinfo.Info{IP: clientIP(r, trusted), UserAgent: truncate(r.UserAgent(), 256), RequestID: rid}
		securityHeaders(w.Header())
		w.Header().Set("X-Request-Id", rid)
		if r.ContentLength > MaxRequestBytes {
			http.Error(w, "request too large", http.StatusRequestEntityTooLarge)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, MaxRequestBytes)
		rec := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r.WithContext(requestinfo.With(r.Context(), info)))
		if r.URL.Path == "/healthz" || r.URL.Path == "/readyz" || r.URL.Path == "/metrics" {
			return
		}
		log.Info().Str("request_id", rid).Str("method", r.Method).Str("path", r.URL.Path).
			Str("proto", r.Proto).Int("status", rec.status).Int64("bytes", rec.bytes).
			Dur("duration", time.Since(start)).Msg("request")
	})
}

func newRequestID() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// clientIP is the peer address, or — when the peer is a trusted proxy — the
// right-most untrusted address of X-Forwarded-For.
func clientIP(r *http.Request, trusted []netip.Prefix) netip.Addr {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	peer, err := netip.ParseAddr(host)
	if err != nil {
		return netip.Addr{}
	}
	peer = peer.Unmap()
	isTrusted := func(a netip.Addr) bool {
		for _, p := range trusted {
			if p.Contains(a) {
				return true
			}
		}
		return false
	}
	if !isTrusted(peer) {
		return peer
	}
	hops := strings.Split(r.Header.Get("X-Forwarded-For"), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			return peer
		}
		a = a.Unmap()
		if !isTrusted(a) {
			return a
		}
	}
	return peer
}
