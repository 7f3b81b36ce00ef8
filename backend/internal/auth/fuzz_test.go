package auth

import (
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/zeugo/zeugo/backend/internal/keyring"
)

// FuzzParseRefreshToken: any cookie or body value is parsed without panic,
// and whatever parses names a tenant and a 32-byte hash.
func FuzzParseRefreshToken(f *testing.F) {
	tok, _ := newRefreshToken(uuid.New())
	f.Add(tok)
	f.Add("zr1.")
	f.Add("zr1.00000000000000000000000000000000.")
	f.Fuzz(func(t *testing.T, s string) {
		tenant, hash, ok := parseRefreshToken(s)
		if ok && (tenant == uuid.Nil && len(hash) != 32 || len(hash) != 32) {
			t.Fatalf("parsed %q into %v/%x", s, tenant, hash)
		}
	})
}

// FuzzVerifyAccessToken: no bearer string makes Verify panic or accept a
// token it did not sign.
func FuzzVerifyAccessToken(f *testing.F) {
	s, err := NewSigner([]keyring.PlatformKey{{Version: 1, Key: make([]byte, 32)}}, 10*time.Minute, time.Now)
	if err != nil {
		f.Fatal(err)
	}
	good, _, _ := s.Issue(uuid.New(), uuid.New(), uuid.New())
	f.Add(good)
	f.Add("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.")
	f.Add("a.b.c")
	f.Fuzz(func(t *testing.T, tok string) {
		if _, err := s.Verify(tok); err == nil && tok != good {
			t.Fatalf("accepted a token it did not issue: %q", tok)
		}
	})
}
