package rpc_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"connectrpc.com/connect"
	"connectrpc.com/grpcreflect"

	"github.com/zeugo/zeugo/backend/internal/apptest"
	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
)

func get(t *testing.T, hc *http.Client, url string) *http.Response {
	t.Helper()
	res, err := hc.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { res.Body.Close() })
	return res
}

func TestSecurityHeadersOnEveryResponse(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	hc := env.HTTPClient()
	api, err := hc.Post(env.Server.URL+"/zeugo.v1.AuthService/Login", "application/json", strings.NewReader(`{"email":"a@b.de","password":"x"}`))
	if err != nil {
		t.Fatal(err)
	}
	api.Body.Close()
	responses := map[string]*http.Response{
		"api":      api,
		"spa":      get(t, hc, env.Server.URL+"/organisation/companies/123"),
		"healthz":  get(t, hc, env.Server.URL+"/healthz"),
		"notfound": get(t, hc, env.Server.URL+"/assets/missing.js"),
	}
	for name, res := range responses {
		h := res.Header
		if res.ProtoMajor != 2 {
			t.Errorf("%s: protocol %s, want HTTP/2", name, res.Proto)
		}
		for k, want := range map[string]string{
			"Strict-Transport-Security":    "max-age=63072000",
			"X-Content-Type-Options":       "nosniff",
			"Referrer-Policy":              "no-referrer",
			"Cross-Origin-Opener-Policy":   "same-origin",
			"Cross-Origin-Resource-Policy": "same-origin",
			"X-Frame-Options":              "DENY",
			"Permissions-Policy":           "camera=()",
		} {
			if !strings.Contains(h.Get(k), want) {
				t.Errorf("%s: %s = %q, want it to contain %q", name, k, h.Get(k), want)
			}
		}
		csp := h.Get("Content-Security-Policy")
		for _, want := range []string{"default-src 'self'", "script-src 'self';", "object-src 'none'", "frame-ancestors 'none'", "base-uri 'none'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("%s: CSP %q lacks %q", name, csp, want)
			}
		}
		if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
			t.Errorf("%s: CSP allows unsafe code: %q", name, csp)
		}
	}
	if cc := api.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("API answers must not be cached: Cache-Control %q", cc)
	}
}

func TestSPADeepLinksGetIndexWithFreshNonce(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	hc := env.HTTPClient()
	a := get(t, hc, env.Server.URL+"/organisation/standorte")
	b := get(t, hc, env.Server.URL+"/")
	if a.StatusCode != 200 || !strings.HasPrefix(a.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("deep link: %d %s", a.StatusCode, a.Header.Get("Content-Type"))
	}
	na, nb := a.Header.Get("Content-Security-Policy"), b.Header.Get("Content-Security-Policy")
	if !strings.Contains(na, "'nonce-") || na == nb {
		t.Fatalf("index CSP should carry a fresh style nonce per response: %q / %q", na, nb)
	}
	body, _ := io.ReadAll(a.Body)
	if bytes.Contains(body, []byte("__CSP_NONCE__")) {
		t.Fatal("nonce placeholder left in the page")
	}
	if res := get(t, hc, env.Server.URL+"/favicon-missing.png"); res.StatusCode != http.StatusNotFound {
		t.Fatalf("missing asset: %d", res.StatusCode)
	}
}

func TestTLS12IsRefused(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	tr := &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true, MaxVersion: tls.VersionTLS12}} //nolint:gosec // the point of the test
	_, err := (&http.Client{Transport: tr}).Get(env.Server.URL + "/healthz")
	if err == nil {
		t.Fatal("a TLS 1.2 client was served")
	}
}

func TestHealthReadinessMetricsAndGRPCHealth(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	hc := env.HTTPClient()
	if res := get(t, hc, env.Server.URL+"/healthz"); res.StatusCode != 200 {
		t.Fatalf("healthz %d", res.StatusCode)
	}
	if res := get(t, hc, env.Server.URL+"/readyz"); res.StatusCode != 200 {
		b, _ := io.ReadAll(res.Body)
		t.Fatalf("readyz %d %s", res.StatusCode, b)
	}
	// One call so that per-procedure metrics exist.
	_, _ = env.AuthClient(hc, apptest.Connect).Login(context.Background(), connect.NewRequest(&zeugov1.LoginRequest{Email: "x@y.de", Password: "z"}))
	res := get(t, hc, env.Server.URL+"/metrics")
	body, _ := io.ReadAll(res.Body)
	for _, want := range []string{`zeugo_rpc_requests_total{code="unauthenticated",procedure="/zeugo.v1.AuthService/Login"} 1`,
		"zeugo_rpc_duration_seconds_bucket", "zeugo_db_pool_max_connections"} {
		if !bytes.Contains(body, []byte(want)) {
			t.Errorf("metrics lack %q", want)
		}
	}
	// gRPC reflection over a real gRPC stream lists our services.
	stream := grpcreflect.NewClient(hc, env.Server.URL).NewStream(context.Background())
	defer stream.Close()
	names, err := stream.ListServices()
	if err != nil {
		t.Fatalf("reflection: %v", err)
	}
	joined := fmt.Sprint(names)
	for _, want := range []string{"zeugo.v1.AuthService", "zeugo.v1.OrganizationService"} {
		if !strings.Contains(joined, want) {
			t.Errorf("reflection lists %v, lacks %s", names, want)
		}
	}
}

func TestOversizedRequestsAreRefused(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	big := `{"email":"a@b.de","password":"` + strings.Repeat("x", 2<<20) + `"}`
	res, err := env.HTTPClient().Post(env.Server.URL+"/zeugo.v1.AuthService/Login", "application/json", strings.NewReader(big))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatalf("status %d, want 413", res.StatusCode)
	}
}

func TestPasswordByteLimitIsValidated(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	_, err := env.AuthClient(env.HTTPClient(), apptest.GRPC).Login(context.Background(),
		connect.NewRequest(&zeugov1.LoginRequest{Email: "a@b.de", Password: strings.Repeat("ä", 600)}))
	if connect.CodeOf(err) != connect.CodeInvalidArgument {
		t.Fatalf("got %v", err)
	}
}
