package rpc

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"

	"connectrpc.com/connect"
	"github.com/rs/zerolog"

	"github.com/zeugo/zeugo/backend/internal/apperr"
	"github.com/zeugo/zeugo/backend/internal/requestinfo"
)

func TestInternalErrorsRevealOnlyARequestID(t *testing.T) {
	t.Parallel()
	var log strings.Builder
	ctx := requestinfo.With(context.Background(), requestinfo.Info{RequestID: "rid-123"})
	err := toConnect(ctx, zerolog.New(&log), "/p", errors.New(`pq: relation "users" password=hunter2`))
	var ce *connect.Error
	if !errors.As(err, &ce) || ce.Code() != connect.CodeInternal || ce.Message() != "internal error (id rid-123)" {
		t.Fatalf("got %v", err)
	}
	if !strings.Contains(log.String(), "rid-123") {
		t.Fatalf("log lacks the request id: %s", log.String())
	}
	wrapped := toConnect(ctx, zerolog.Nop(), "/p", apperr.Wrap(apperr.Internal, "db details here", errors.New("x")))
	if connect.CodeOf(wrapped) != connect.CodeInternal || strings.Contains(wrapped.Error(), "db details") {
		t.Fatalf("internal apperr leaked: %v", wrapped)
	}
	nf := toConnect(ctx, zerolog.Nop(), "/p", apperr.Wrap(apperr.NotFound, "not found", errors.New("sql: no rows in table users")))
	if connect.CodeOf(nf) != connect.CodeNotFound || strings.Contains(nf.Error(), "users") {
		t.Fatalf("cause leaked: %v", nf)
	}
}

func TestClientIPTrustsOnlyConfiguredProxies(t *testing.T) {
	t.Parallel()
	proxy := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
	for _, c := range []struct {
		remote, xff string
		trusted     []netip.Prefix
		want        string
	}{
		{"203.0.113.5:1234", "1.2.3.4", nil, "203.0.113.5"},
		{"10.1.2.3:1234", "198.51.100.7, 10.9.9.9", proxy, "198.51.100.7"},
		{"10.1.2.3:1234", "spoofed, 198.51.100.7", proxy, "198.51.100.7"},
		{"203.0.113.5:1234", "198.51.100.7", proxy, "203.0.113.5"},
	} {
		r := httptestRequest(c.remote, c.xff)
		if got := clientIP(r, c.trusted).String(); got != c.want {
			t.Errorf("clientIP(%s, %s) = %s, want %s", c.remote, c.xff, got, c.want)
		}
	}
}

func TestMetricsNeedTheTokenOrALocalDevelopmentClient(t *testing.T) {
	t.Parallel()
	ok := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusOK) })
	loopback := requestinfo.Info{IP: netip.MustParseAddr("127.0.0.1")}
	remote := requestinfo.Info{IP: netip.MustParseAddr("203.0.113.9")}
	token := strings.Repeat("t", 32)
	for _, c := range []struct {
		name       string
		token      string
		dev        bool
		info       requestinfo.Info
		auth       string
		wantStatus int
	}{
		{"production without token: nobody", "", false, loopback, "", http.StatusNotFound},
		{"development, loopback", "", true, loopback, "", http.StatusOK},
		{"development, remote", "", true, remote, "", http.StatusNotFound},
		{"token, right", token, false, remote, "Bearer " + token, http.StatusOK},
		{"token, wrong", token, false, loopback, "Bearer " + strings.Repeat("x", 32), http.StatusNotFound},
		{"token, missing", token, true, loopback, "", http.StatusNotFound},
	} {
		r := httptestRequest("127.0.0.1:1", "")
		r = r.WithContext(requestinfo.With(r.Context(), c.info))
		if c.auth != "" {
			r.Header.Set("Authorization", c.auth)
		}
		rec := httptest.NewRecorder()
		metricsGuard(c.token, c.dev, ok).ServeHTTP(rec, r)
		if rec.Code != c.wantStatus {
			t.Errorf("%s: status %d, want %d", c.name, rec.Code, c.wantStatus)
		}
	}
}
