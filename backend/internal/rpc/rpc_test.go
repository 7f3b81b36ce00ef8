package rpc_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"

	"connectrpc.com/connect"
	"connectrpc.com/grpcreflect"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/zeugo/zeugo/backend/internal/app"
	"github.com/zeugo/zeugo/backend/internal/apptest"
	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
	"github.com/zeugo/zeugo/backend/internal/rpc"
	"github.com/zeugo/zeugo/backend/internal/web"
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

// modes are the environments the security-relevant tests run in: what
// production serves must not depend on tests having run in development.
var modes = map[string]apptest.Options{"development": {}, "production": {Production: true}}

func TestSecurityHeadersOnEveryResponse(t *testing.T) {
	t.Parallel()
	for mode, opts := range modes {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			securityHeaders(t, apptest.New(t, opts))
		})
	}
}

func securityHeaders(t *testing.T, env *apptest.Env) {
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
		"metrics":  get(t, hc, env.Server.URL+"/metrics"),
	}
	for name, res := range responses {
		h := res.Header
		if res.ProtoMajor != 2 {
			t.Errorf("%s: protocol %s, want HTTP/2", name, res.Proto)
		}
		// Exactly: two years, and every subdomain (V3.4.1).
		if got := h.Values("Strict-Transport-Security"); len(got) != 1 || got[0] != "max-age=63072000; includeSubDomains" {
			t.Errorf("%s: Strict-Transport-Security %q, want exactly \"max-age=63072000; includeSubDomains\"", name, got)
		}
		for k, want := range map[string]string{
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
		// Only the SPA's page may frame, and only blob: URLs (the PDF
		// preview); every other response keeps the strict policy.
		if name == "spa" {
			if !strings.HasSuffix(csp, "; frame-src blob:") || strings.Count(csp, "blob:") != 1 {
				t.Errorf("%s: CSP %q should allow frames from blob: URLs and nothing more", name, csp)
			}
		} else if strings.Contains(csp, "frame-src") || strings.Contains(csp, "blob:") {
			t.Errorf("%s: CSP %q allows frames", name, csp)
		}
	}
	if cc := api.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("API answers must not be cached: Cache-Control %q", cc)
	}
}

// spaBuilt skips a test of the built SPA when the binary has none (a Go test
// run without `make build-web`), except in CI (CI=true, as CI services set
// it), where a missing build would make the test pass without testing
// anything: there it fails.
func spaBuilt(t *testing.T) {
	t.Helper()
	if _, built := web.New(rpc.CSP); built {
		return
	}
	if ci := os.Getenv("CI"); ci != "" && ci != "false" && ci != "0" {
		t.Fatal("the SPA is not embedded (backend/internal/web/dist is empty): CI must build it before the Go tests (make test-go does: it depends on build-web)")
	}
	t.Skip("the SPA is not built (make build-web); with CI=true this is a failure")
}

func TestSPADeepLinksGetIndexWithFreshNonce(t *testing.T) {
	t.Parallel()
	spaBuilt(t)
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
	// The page carries the very nonce its CSP allows (the SPA reads it from
	// the meta element for the style elements it injects).
	nonce, _, _ := strings.Cut(strings.SplitN(na, "'nonce-", 2)[1], "'")
	if !bytes.Contains(body, []byte(`<meta name="csp-nonce" content="`+nonce+`"`)) {
		t.Fatalf("the page does not carry its CSP nonce %q:\n%s", nonce, body)
	}
	if !bytes.Contains(body, []byte(`<script type="module" crossorigin src="/assets/`)) {
		t.Fatalf("the page is not the built SPA:\n%s", body)
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
	// Development: loopback clients read /metrics without a token.
	res := get(t, hc, env.Server.URL+"/metrics")
	body, _ := io.ReadAll(res.Body)
	for _, want := range []string{`zeugo_rpc_requests_total{code="unauthenticated",procedure="/zeugo.v1.AuthService/Login"} 1`,
		"zeugo_rpc_duration_seconds_bucket", "zeugo_db_pool_max_connections"} {
		if !bytes.Contains(body, []byte(want)) {
			t.Errorf("metrics lack %q", want)
		}
	}
	services := app.ServiceNames(env.App.Services)
	if len(services) == 0 {
		t.Fatal("the app mounts no service")
	}
	// gRPC reflection over a real gRPC stream lists our services.
	stream := grpcreflect.NewClient(hc, env.Server.URL).NewStream(context.Background())
	defer stream.Close()
	names, err := stream.ListServices()
	if err != nil {
		t.Fatalf("reflection: %v", err)
	}
	joined := fmt.Sprint(names)
	for _, want := range services {
		if !strings.Contains(joined, want) {
			t.Errorf("reflection lists %v, lacks %s", names, want)
		}
	}
	// grpc.health.v1.Health/Check over gRPC: every mounted service and the
	// server as a whole ("") are SERVING; a name the server does not serve
	// is NotFound.
	for _, name := range append([]string{""}, services...) {
		status, err := healthCheck(hc, env.Server.URL, name)
		if err != nil || status != servingStatusServing {
			t.Errorf("health of %q: status %d, %v; want SERVING (%d)", name, status, err, servingStatusServing)
		}
	}
	if _, err := healthCheck(hc, env.Server.URL, "zeugo.v1.NoSuchService"); connect.CodeOf(err) != connect.CodeNotFound {
		t.Errorf("health of an unknown service: %v, want NotFound", err)
	}
}

// servingStatusServing is grpc.health.v1.HealthCheckResponse.SERVING.
const servingStatusServing = 1

// healthCheck calls grpc.health.v1.Health/Check with a real gRPC client.
// The health messages are not importable (grpchealth keeps its generated
// code internal), but on the wire HealthCheckRequest{string service = 1} is
// a google.protobuf.StringValue and HealthCheckResponse{ServingStatus
// status = 1} an Int32Value, so the well-known wrappers carry them.
func healthCheck(hc *http.Client, baseURL, service string) (int32, error) {
	c := connect.NewClient[wrapperspb.StringValue, wrapperspb.Int32Value](hc, baseURL+"/grpc.health.v1.Health/Check", connect.WithGRPC())
	res, err := c.CallUnary(context.Background(), connect.NewRequest(wrapperspb.String(service)))
	if err != nil {
		return 0, err
	}
	return res.Msg.GetValue(), nil
}

// In production, /metrics without a configured token answers nobody, not
// even a loopback client (behind a local reverse proxy every client looks
// like loopback): it is a 404, as if it did not exist.
func TestMetricsClosedInProduction(t *testing.T) {
	t.Parallel()
	env := apptest.New(t, apptest.Options{Production: true})
	res := get(t, env.HTTPClient(), env.Server.URL+"/metrics")
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusNotFound || bytes.Contains(body, []byte("zeugo_")) {
		t.Fatalf("production /metrics from loopback: %d\n%s", res.StatusCode, body)
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
