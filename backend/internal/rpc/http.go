package rpc

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"connectrpc.com/connect"
	"github.com/rs/zerolog"

	"github.com/zeugo/zeugo/backend/internal/config"
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

// DocumentCSP is the policy of the SPA's page (index.html): CSP with the
// style nonce, and frames limited to blob: URLs. The certificate editor's
// PDF preview shows the PDF it fetched through the API as a blob: URL in an
// iframe; a blob: URL can only be created by a page of this origin, so
// nothing from elsewhere can be framed, and without it frames fall back to
// default-src 'self', which the SPA never uses. object-src stays 'none'.
func DocumentCSP(styleNonce string) string {
	return CSP(styleNonce) + "; frame-src blob:"
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
// data: method, path (procedure or asset), status, size, duration, ids and the
// client's network (requestinfo.Info.ClientNetwork), never its full address.
// limits are the request size limits of single paths (mount.Service.Limits);
// every other path gets MaxRequestBytes.
func middleware(next http.Handler, log zerolog.Logger, trusted []netip.Prefix, al config.AccessLog, limits map[string]int64) http.Handler {
	return withMiddleware(next, trusted, newAccessLog(log, al, time.Now), limits)
}

func withMiddleware(next http.Handler, trusted []netip.Prefix, acc *accessLog, limits map[string]int64) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := acc.now()
		rid := newRequestID()
		info := requestinfo.Info{IP: clientIP(r, trusted), UserAgent: truncate(r.UserAgent(), 256), RequestID: rid}
		securityHeaders(w.Header())
		w.Header().Set("X-Request-Id", rid)
		out := &outcome{}
		ctx := context.WithValue(requestinfo.With(r.Context(), info), outcomeKey{}, out)
		rec := &statusRecorder{ResponseWriter: w}
		limit := int64(MaxRequestBytes)
		if n, ok := limits[r.URL.Path]; ok {
			limit = n
		}
		if r.ContentLength > limit {
			tooLarge(rec, limit)
		} else {
			r.Body = http.MaxBytesReader(w, r.Body, limit)
			next.ServeHTTP(rec, r.WithContext(ctx))
		}
		if r.URL.Path == "/healthz" || r.URL.Path == "/readyz" || r.URL.Path == "/metrics" {
			return
		}
		acc.record(r, info, rec, out.code(rec), acc.now().Sub(start))
	})
}

// tooLarge refuses a request whose announced body exceeds limit before
// reading it: 413 with a Connect error body (resource_exhausted), which
// Connect clients (the SPA) show as such and every other client reads as
// text.
func tooLarge(w http.ResponseWriter, limit int64) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusRequestEntityTooLarge)
	_, _ = w.Write([]byte(`{"code":"resource_exhausted","message":"the request is larger than ` +
		strconv.FormatInt(limit>>20, 10) + ` MiB"}`))
}

// accessLog decides which requests are logged (config.AccessLog): failed
// and slow ones always, the others sampled.
type accessLog struct {
	log   zerolog.Logger
	every uint64
	slow  time.Duration
	n     atomic.Uint64
	now   func() time.Time
}

func newAccessLog(log zerolog.Logger, c config.AccessLog, now func() time.Time) *accessLog {
	a := &accessLog{log: log, slow: c.Slow, now: now}
	if c.Every > 0 {
		a.every = uint64(c.Every)
	}
	if a.slow <= 0 {
		a.slow = config.DefaultSlowRequest
	}
	return a
}

// record writes the access log line of one request, if it is to be logged.
// code is the RPC error code ("" when the request succeeded).
func (a *accessLog) record(r *http.Request, info requestinfo.Info, rec *statusRecorder, code string, d time.Duration) {
	failed := rec.status >= http.StatusBadRequest || code != ""
	slow := d > a.slow
	if !failed && !slow && (a.every == 0 || a.n.Add(1)%a.every != 0) {
		return
	}
	status := rec.status
	if status == 0 { // nothing written: net/http answers 200
		status = http.StatusOK
	}
	e := a.log.Info().Str("request_id", info.RequestID).Str("client_net", info.ClientNetwork()).
		Str("method", r.Method).Str("path", r.URL.Path).Str("proto", r.Proto).Int("status", status)
	if code != "" {
		e = e.Str("code", code)
	}
	if slow {
		e = e.Bool("slow", true)
	}
	e.Int64("bytes", rec.bytes).Dur("duration", d).Msg("request")
}

// outcome carries the RPC result from the error mapping (toConnect) to the
// access log. The HTTP status alone does not tell: gRPC answers errors with
// 200 and a grpc-status trailer, gRPC-Web may put that trailer into the
// body, and Connect streams end with an error message in the body.
type outcome struct {
	mu     sync.Mutex
	failed string
}

type outcomeKey struct{}

// noteRPCError records the code of a failed RPC for the access log.
func noteRPCError(ctx context.Context, code connect.Code) {
	if o, ok := ctx.Value(outcomeKey{}).(*outcome); ok {
		o.mu.Lock()
		o.failed = code.String()
		o.mu.Unlock()
	}
}

// code is the RPC error code of the request: what toConnect recorded, or —
// for errors connect-go answers itself before any interceptor (a body that
// does not decode, an oversized message) — the grpc-status of a gRPC or
// gRPC-Web answer (sent as a trailer or, trailers-only, as a header).
func (o *outcome) code(rec *statusRecorder) string {
	o.mu.Lock()
	c := o.failed
	o.mu.Unlock()
	if c != "" {
		return c
	}
	h := rec.Header()
	for _, k := range []string{"Grpc-Status", http.TrailerPrefix + "Grpc-Status"} {
		if v := h.Get(k); v != "" && v != "0" {
			if n, err := strconv.Atoi(v); err == nil {
				return connect.Code(n).String()
			}
			return v
		}
	}
	return ""
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
//
// Every X-Forwarded-For header line counts, in order, as one comma-separated
// list (RFC 9110 §5.3): a proxy that adds its own line instead of appending
// to the client's must not let the client's forged first line decide. The
// list is walked from the right, because only the entries written by trusted
// hops are believable; the first untrusted one is the client.
//
// An entry that does not parse is where the trustworthy part of the chain
// ends: the answer is the trusted hop that wrote it (the nearest proxy when
// it is the last entry). We neither refuse the request (a proxy writing
// "unknown" would lock everybody out) nor skip the entry (the next one to the
// left would be client-controlled, so a client could choose its address).
// The address of that hop is the most precise address we know; for the usual
// single proxy it is the proxy's own, as with no X-Forwarded-For at all.
// Entries may carry a port ("198.51.100.7:1234", "[2001:db8::1]:443", as
// Azure and some load balancers write them); empty list elements are
// ignored, as HTTP lists require.
func clientIP(r *http.Request, trusted []netip.Prefix) netip.Addr {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	peer, err := netip.ParseAddr(host)
	if err != nil {
		return netip.Addr{}
	}
	peer = peer.Unmap().WithZone("")
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
	lines := r.Header.Values("X-Forwarded-For")
	last := peer // the nearest trusted hop seen so far
	for l := len(lines) - 1; l >= 0; l-- {
		hops := strings.Split(lines[l], ",")
		for i := len(hops) - 1; i >= 0; i-- {
			entry := strings.TrimSpace(hops[i])
			if entry == "" {
				continue
			}
			a, ok := parseForwarded(entry)
			if !ok {
				return last
			}
			if !isTrusted(a) {
				return a
			}
			last = a
		}
	}
	// Every hop is trusted: the left-most is the client (an internal one).
	return last
}

// parseForwarded parses one X-Forwarded-For entry: an address, optionally
// with a port.
func parseForwarded(s string) (netip.Addr, bool) {
	a, err := netip.ParseAddr(s)
	if err != nil {
		ap, perr := netip.ParseAddrPort(s)
		if perr != nil {
			return netip.Addr{}, false
		}
		a = ap.Addr()
	}
	return a.Unmap().WithZone(""), true
}
