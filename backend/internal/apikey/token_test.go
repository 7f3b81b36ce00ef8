package apikey

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/uuid"
)

func TestTokenRoundTripAndTampering(t *testing.T) {
	t.Parallel()
	tenant := uuid.New()
	tok, prefix, hash := newToken(tenant)
	if len(tok) != tokenLen || !strings.HasPrefix(tok, TokenPrefix) {
		t.Fatalf("token %q", tok)
	}
	got, ok := parseToken(tok)
	if !ok || got.TenantID != tenant || got.Prefix != prefix || !bytes.Equal(got.Hash, hash) {
		t.Fatalf("parse = %+v %v", got, ok)
	}
	bad := []string{
		"", tok[:len(tok)-1], tok + "A", "zz" + tok[2:],
		strings.Replace(tok, "_", "-", 1),                         // separator
		tok[:3] + strings.Repeat("0", 32) + tok[35:],              // nil tenant
		tok[:3] + "g" + tok[4:],                                   // not hex
		tok[:36] + "ABCDEFGHIJKL" + tok[48:],                      // prefix outside the alphabet
		tok[:len(tok)-43] + strings.Repeat("*", 43),               // not base64url
		tok[:len(tok)-1] + string("BCDEFGHIJKLMNOPQ"[len(tok)%3]), // trailing bits set (strict decoding)
	}
	for i, b := range bad {
		if _, ok := parseToken(b); ok && b != tok {
			t.Errorf("case %d accepted: %q", i, b)
		}
	}
	tok2, prefix2, _ := newToken(tenant)
	if tok2 == tok || prefix2 == prefix {
		t.Fatal("two keys alike")
	}
}
