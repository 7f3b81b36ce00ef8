package auth

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"

	"github.com/zeugo/zeugo/backend/internal/keyring"
)

// tokenClock is a fixed clock for the signer tests.
var tokenClock = time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)

func testSigner(t *testing.T) *Signer {
	t.Helper()
	seed := make([]byte, ed25519.SeedSize)
	if _, err := rand.Read(seed); err != nil {
		t.Fatal(err)
	}
	s, err := NewSigner([]keyring.PlatformKey{{Version: 1, Key: seed}}, 10*time.Minute, func() time.Time { return tokenClock })
	if err != nil {
		t.Fatal(err)
	}
	return s
}

var testIDs = tokenIDs{TenantID: uuid.MustParse("01a20718-4133-747a-a308-edde7283193b"),
	UserID: uuid.MustParse("01a20718-4133-747d-9188-c410b7238438"), SessionID: uuid.MustParse("01a20718-912c-76b8-85d4-c8b7599251df")}

// goodClaims are the claims Issue would write at tokenClock.
func goodClaims() accessClaims {
	return accessClaims{TenantID: testIDs.TenantID.String(), SessionID: testIDs.SessionID.String(),
		RegisteredClaims: jwt.RegisteredClaims{Issuer: tokenIssuer, Subject: testIDs.UserID.String(),
			Audience: jwt.ClaimStrings{tokenAudience}, IssuedAt: jwt.NewNumericDate(tokenClock),
			NotBefore: jwt.NewNumericDate(tokenClock), ExpiresAt: jwt.NewNumericDate(tokenClock.Add(10 * time.Minute)), ID: "jti"}}
}

// sign makes a token with the right kid ("1") by method and key.
func sign(t *testing.T, method jwt.SigningMethod, key any, c accessClaims) string {
	t.Helper()
	tok := jwt.NewWithClaims(method, c)
	tok.Header["kid"] = "1"
	s, err := tok.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// anyMethod is a signing method that accepts every signature: a stand-in
// for any algorithm a library might register besides EdDSA. Only the
// algorithm allow-list (jwt.WithValidMethods) keeps it out.
type anyMethod struct{}

func (anyMethod) Verify(string, []byte, any) error { return nil }
func (anyMethod) Sign(string, any) ([]byte, error) { return []byte("sig"), nil }
func (anyMethod) Alg() string                      { return "ZG-TEST-ANY" }
func init() {
	jwt.RegisterSigningMethod("ZG-TEST-ANY", func() jwt.SigningMethod { return anyMethod{} })
}
func (s *Signer) publicKey() ed25519.PublicKey { return s.public[s.current] }
func b64(b []byte) string                      { return base64.RawURLEncoding.EncodeToString(b) }
func segments(tok string) (header, claims, signature string) {
	p := strings.Split(tok, ".")
	return p[0], p[1], p[2]
}

// A well-formed token — right kid, right algorithm, valid claims — whose
// signature is not ours is refused: signed by another Ed25519 key, or ours
// with one bit of the signature changed, or our signature moved onto other
// claims (V9.1.1). A verify that ignored jwt.ErrTokenSignatureInvalid would
// accept all of them.
func TestVerifyRefusesWrongSignatures(t *testing.T) {
	t.Parallel()
	s := testSigner(t)
	good := sign(t, jwt.SigningMethodEdDSA, s.private, goodClaims())
	if ids, err := s.Verify(good); err != nil || ids != testIDs {
		t.Fatalf("the control token: %v %+v", err, ids)
	}
	_, other, _ := ed25519.GenerateKey(rand.Reader)
	h, c, sig := segments(good)
	otherClaims := goodClaims()
	otherClaims.Subject = uuid.New().String()
	_, c2, _ := segments(sign(t, jwt.SigningMethodEdDSA, s.private, otherClaims))
	for name, tok := range map[string]string{
		"another key":            sign(t, jwt.SigningMethodEdDSA, other, goodClaims()),
		"one bit of signature":   h + "." + c + "." + b64(func() []byte { r, _ := base64.RawURLEncoding.DecodeString(sig); r[10] ^= 1; return r }()),
		"signature of other ids": h + "." + c2 + "." + sig,
		"empty signature":        h + "." + c + ".",
	} {
		_, err := s.Verify(tok)
		if !errors.Is(err, jwt.ErrTokenSignatureInvalid) {
			t.Errorf("%s: Verify = %v, want ErrTokenSignatureInvalid", name, err)
		}
	}
	// The cache of verified tokens is keyed by the whole token: verifying
	// the good token first does not let a forged one through.
	if _, err := s.Verify(h + "." + c + "." + b64(make([]byte, 64))); err == nil {
		t.Error("a zero signature was accepted after the good token was cached")
	}
}

// Tokens of any other algorithm are refused, whatever key they were signed
// with (V9.1.2): HS256 keyed with our public key (the classic confusion),
// RS256, ES256, "none", and an algorithm that would accept any signature if
// the allow-list did not stop it before the signature is checked.
func TestVerifyAcceptsOnlyEdDSA(t *testing.T) {
	t.Parallel()
	s := testSigner(t)
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	ecKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	for name, tok := range map[string]string{
		"HS256 keyed with the public key": sign(t, jwt.SigningMethodHS256, []byte(s.publicKey()), goodClaims()),
		"RS256":                           sign(t, jwt.SigningMethodRS256, rsaKey, goodClaims()),
		"ES256":                           sign(t, jwt.SigningMethodES256, ecKey, goodClaims()),
		"none":                            sign(t, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, goodClaims()),
		"an algorithm accepting anything": sign(t, anyMethod{}, nil, goodClaims()),
	} {
		if _, err := s.Verify(tok); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// The claims are checked (V9.2.1): a token not yet valid (nbf), expired
// (exp), issued in the future (iat), without an expiry, for another audience
// or from another issuer is refused, even with our signature — beyond the
// 5 s leeway for clock skew and not inside it.
func TestVerifyChecksTheClaims(t *testing.T) {
	t.Parallel()
	s := testSigner(t)
	at := func(d time.Duration) *jwt.NumericDate { return jwt.NewNumericDate(tokenClock.Add(d)) }
	for _, tc := range []struct {
		name   string
		edit   func(*accessClaims)
		accept bool
	}{
		{"nbf 6 s ahead", func(c *accessClaims) { c.NotBefore = at(6 * time.Second) }, false},
		{"nbf 1 h ahead", func(c *accessClaims) { c.NotBefore = at(time.Hour) }, false},
		{"nbf 4 s ahead (leeway)", func(c *accessClaims) { c.NotBefore = at(4 * time.Second) }, true},
		{"expired 6 s ago", func(c *accessClaims) { c.ExpiresAt = at(-6 * time.Second) }, false},
		{"expired 4 s ago (leeway)", func(c *accessClaims) { c.ExpiresAt = at(-4 * time.Second) }, true},
		{"no exp", func(c *accessClaims) { c.ExpiresAt = nil }, false},
		{"iat 1 h ahead", func(c *accessClaims) { c.IssuedAt = at(time.Hour) }, false},
		{"another audience", func(c *accessClaims) { c.Audience = jwt.ClaimStrings{"zeugo-other"} }, false},
		{"no audience", func(c *accessClaims) { c.Audience = nil }, false},
		{"another issuer", func(c *accessClaims) { c.Issuer = "evil" }, false},
		{"no issuer", func(c *accessClaims) { c.Issuer = "" }, false},
		{"subject not an id", func(c *accessClaims) { c.Subject = "admin" }, false},
	} {
		c := goodClaims()
		tc.edit(&c)
		_, err := s.Verify(sign(t, jwt.SigningMethodEdDSA, s.private, c))
		if tc.accept && err != nil {
			t.Errorf("%s: refused: %v", tc.name, err)
		}
		if !tc.accept && err == nil {
			t.Errorf("%s: accepted", tc.name)
		}
	}
	// Issue's own tokens expire with the clock, also out of the cache.
	now := tokenClock
	s.now = func() time.Time { return now }
	tok, exp, err := s.Issue(testIDs.TenantID, testIDs.UserID, testIDs.SessionID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Verify(tok); err != nil {
		t.Fatal(err)
	}
	now = exp.Add(6 * time.Second)
	if _, err := s.Verify(tok); err == nil {
		t.Error("an expired token was accepted from the cache")
	}
}

// Tokens name their key version: an unknown or malformed kid is refused, an
// older version still verifies (rotation without logging anybody out).
func TestVerifyKeyVersions(t *testing.T) {
	t.Parallel()
	v1, v2 := make([]byte, 32), make([]byte, 32)
	v2[0] = 1
	old, err := NewSigner([]keyring.PlatformKey{{Version: 1, Key: v1}}, time.Minute, func() time.Time { return tokenClock })
	if err != nil {
		t.Fatal(err)
	}
	s, err := NewSigner([]keyring.PlatformKey{{Version: 1, Key: v1}, {Version: 2, Key: v2}}, time.Minute, func() time.Time { return tokenClock })
	if err != nil {
		t.Fatal(err)
	}
	tok, _, err := old.Issue(testIDs.TenantID, testIDs.UserID, testIDs.SessionID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Verify(tok); err != nil {
		t.Fatalf("a token of key version 1 after rotation to 2: %v", err)
	}
	for _, kid := range []any{"3", "x", 1, nil} {
		tk := jwt.NewWithClaims(jwt.SigningMethodEdDSA, goodClaims())
		tk.Header["kid"] = kid
		signed, err := tk.SignedString(s.private)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Verify(signed); err == nil {
			t.Errorf("kid %v: accepted", kid)
		}
	}
}

// Refresh tokens carry 256 bits from crypto/rand (V7.2.3): the secret part
// decodes to 32 bytes, 1,000 tokens are distinct, and their bytes are
// uniform (chi-square over 32,000 bytes in 256 bins). A 16-bit secret fails
// the length, a 16-bit secret stretched by a hash fails distinctness (a
// collision among 1,000 draws from 65,536 is all but certain), and a
// counter or a low-entropy fill fails uniformity.
func TestRefreshTokensAreLongAndRandom(t *testing.T) {
	t.Parallel()
	tenant := uuid.New()
	const n = 1000
	seen := make(map[string]bool, n)
	var counts [256]int
	for i := 0; i < n; i++ {
		tok, hash := newRefreshToken(tenant)
		want := refreshPrefix + strings.ReplaceAll(tenant.String(), "-", "") + "."
		if !strings.HasPrefix(tok, want) {
			t.Fatalf("token %q does not start with %q", tok, want)
		}
		secret, err := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(tok, want))
		if err != nil || len(secret) < 32 {
			t.Fatalf("secret of %d bytes (%v), want ≥ 32", len(secret), err)
		}
		if sum := sha256.Sum256(secret); string(sum[:]) != string(hash) {
			t.Fatal("the stored hash is not the SHA-256 of the secret")
		}
		if tid, h, ok := parseRefreshToken(tok); !ok || tid != tenant || string(h) != string(hash) {
			t.Fatal("the token does not parse back")
		}
		if seen[string(secret)] {
			t.Fatalf("token %d repeats an earlier secret", i)
		}
		seen[string(secret)] = true
		for _, b := range secret {
			counts[b]++
		}
	}
	if chi := chiSquare(counts[:]); chi > 400 {
		t.Fatalf("chi-square of the secrets' bytes %.1f > 400 (255 degrees of freedom: mean 255; 400 happens by chance less than once in 10^7)", chi)
	}
	// The bound catches what it should: a counter and a 4-bit fill.
	var counter, nibble [256]int
	for i := 0; i < n; i++ {
		var b [32]byte
		copy(b[28:], []byte(strconv.Itoa(i)))
		for _, x := range b {
			counter[x]++
		}
		for j := range b {
			nibble[(i*7+j*13)%16]++
		}
	}
	if chiSquare(counter[:]) <= 400 || chiSquare(nibble[:]) <= 400 {
		t.Fatal("the uniformity bound does not tell low-entropy bytes from random ones")
	}
}

func chiSquare(counts []int) float64 {
	total := 0
	for _, c := range counts {
		total += c
	}
	expected := float64(total) / float64(len(counts))
	chi := 0.0
	for _, c := range counts {
		d := float64(c) - expected
		chi += d * d / expected
	}
	if math.IsNaN(chi) {
		return math.Inf(1)
	}
	return chi
}
