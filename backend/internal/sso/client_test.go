package sso

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// In production the client never dials loopback or link-local addresses,
// whatever name the issuer uses; in development it may (a local provider).
func TestProductionClientRefusesInternalAddresses(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte(strings.Repeat("x", maxIdPResponse+10)))
	}))
	defer srv.Close()
	for _, u := range []string{srv.URL, "http://169.254.169.254/latest/meta-data/", "http://[::1]:1/"} {
		_, err := newOIDCClient(false).http.Get(u)
		if !errors.Is(err, errForbiddenAddress) {
			t.Errorf("production GET %s: %v, want the address refused", u, err)
		}
	}
	res, err := newOIDCClient(true).http.Get(srv.URL)
	if err != nil {
		t.Fatalf("development GET: %v", err)
	}
	defer res.Body.Close()
	buf := make([]byte, 64<<10)
	n := 0
	for {
		m, err := res.Body.Read(buf)
		n += m
		if err != nil {
			if n != maxIdPResponse || err.Error() != "identity provider answer too large" {
				t.Errorf("read %d bytes, then %v; want the cap at %d", n, err, maxIdPResponse)
			}
			break
		}
	}
}

func TestIssuerRules(t *testing.T) {
	dev, prod := &Service{dev: true}, &Service{}
	for _, c := range []struct {
		issuer    string
		dev, prod bool
	}{
		{"https://login.microsoftonline.com/0b0e5a37-4b4e-4a11-9a77-4e3e5c0a7e11/v2.0", true, true},
		{"https://idp.example/realms/zeugo", true, true},
		{"http://127.0.0.1:5556/dex", true, false},
		{"http://localhost:8080/realms/x", true, false},
		{"http://idp.example", false, false},
		{"https://login.microsoftonline.com/common/v2.0", false, false},
		{"https://login.microsoftonline.com/Organizations/v2.0", false, false},
		{"https://idp.example/?x=1", false, false},
		{"https://idp.example/#f", false, false},
		{"https://user@idp.example", false, false},
		{"idp.example", false, false},
	} {
		if got := dev.checkIssuer(c.issuer) == nil; got != c.dev {
			t.Errorf("development %s: accepted %v", c.issuer, got)
		}
		if got := prod.checkIssuer(c.issuer) == nil; got != c.prod {
			t.Errorf("production %s: accepted %v", c.issuer, got)
		}
	}
}

func TestEntraEmail(t *testing.T) {
	const iss = "https://login.microsoftonline.com/0b0e5a37-4b4e-4a11-9a77-4e3e5c0a7e11/v2.0"
	const tid = "0b0e5a37-4b4e-4a11-9a77-4e3e5c0a7e11"
	for _, c := range []struct {
		cl     claims
		reason string
	}{
		{claims{Email: "A@Firma.example", TID: tid, EDOV: true}, ""},
		{claims{Email: "a@firma.example", TID: tid, EmailVerified: "true"}, ""},
		{claims{Email: "a@firma.example", TID: tid}, "email_unverified"},
		{claims{Email: "a@firma.example", TID: "11111111-2222-3333-4444-555555555555", EDOV: true}, "entra_tenant_mismatch"},
		{claims{TID: tid, EDOV: true}, "email_missing"},
	} {
		email, reason := c.cl.verifiedEmail(iss)
		if reason != c.reason || (reason == "" && email != "a@firma.example") {
			t.Errorf("%+v: %q %q, want reason %q", c.cl, email, reason, c.reason)
		}
	}
	if _, reason := (&claims{Email: "a@firma.example", EDOV: true}).verifiedEmail("https://idp.example"); reason != "email_unverified" {
		t.Errorf("xms_edov outside Entra ID: %q", reason)
	}
}
