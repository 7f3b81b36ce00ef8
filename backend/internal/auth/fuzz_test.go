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
	// Fixed ids: every process of the fuzzer derives the same expectation.
	want := tokenIDs{TenantID: uuid.MustParse("01a20718-4133-747a-a308-edde7283193b"),
		UserID: uuid.MustParse("01a20718-4133-747d-9188-c410b7238438"), SessionID: uuid.MustParse("01a20718-912c-76b8-85d4-c8b7599251df")}
	good, _, _ := s.Issue(want.TenantID, want.UserID, want.SessionID)
	f.Add(good)
	f.Add("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.")
	f.Add("a.b.c")
	f.Fuzz(func(t *testing.T, tok string) {
		// Only our key signs; anything accepted must carry the ids we signed.
		if ids, err := s.Verify(tok); err == nil && ids != want {
			t.Fatalf("accepted a token it did not issue: %q → %+v", tok, ids)
		}
	})
}
