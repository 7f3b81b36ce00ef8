package apikey

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/base64"
	"encoding/hex"
	"strings"

	"github.com/google/uuid"
)

// TokenPrefix starts every API-key token; the composite authenticator
// sends bearer tokens with it down the key path and all others to the
// session authenticator.
const TokenPrefix = "zk_"

// Token layout: "zk_" + tenant (32 hex) + "_" + prefix (12 base32) + "_" +
// secret (43 base64url, 32 bytes). The tenant comes first so that the check
// can bind its transaction to the tenant (row-level security) before it
// looks anything up; the prefix names the key (and is shown in lists); the
// secret is what only the key's holder knows. Fixed positions, because the
// base64url alphabet contains "_".
const (
	tenantLen = 32
	prefixLen = 12
	secretLen = 43
	tokenLen  = len(TokenPrefix) + tenantLen + 1 + prefixLen + 1 + secretLen
)

var prefixEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// token is a parsed API-key token.
type token struct {
	TenantID uuid.UUID
	Prefix   string
	// Hash is the SHA-256 of the secret, as stored.
	Hash []byte
}

func (t token) key() cacheKey { return cacheKey{tenant: t.TenantID, prefix: t.Prefix} }

// newToken returns a fresh key's token, its prefix and the hash to store.
func newToken(tenantID uuid.UUID) (tok, prefix string, hash []byte) {
	raw := make([]byte, 8+32)
	if _, err := rand.Read(raw); err != nil {
		panic("apikey: crypto/rand failed: " + err.Error())
	}
	prefix = prefixEncoding.EncodeToString(raw[:8])[:prefixLen]
	secret := raw[8:]
	h := sha256.Sum256(secret)
	return TokenPrefix + hex.EncodeToString(tenantID[:]) + "_" + prefix + "_" + base64.RawURLEncoding.EncodeToString(secret), prefix, h[:]
}

// parseToken reads a token; ok is false for anything that is not a
// well-formed API-key token.
func parseToken(s string) (t token, ok bool) {
	if len(s) != tokenLen || !strings.HasPrefix(s, TokenPrefix) {
		return t, false
	}
	rest := s[len(TokenPrefix):]
	if rest[tenantLen] != '_' || rest[tenantLen+1+prefixLen] != '_' {
		return t, false
	}
	raw, err := hex.DecodeString(rest[:tenantLen])
	if err != nil {
		return t, false
	}
	copy(t.TenantID[:], raw)
	t.Prefix = rest[tenantLen+1 : tenantLen+1+prefixLen]
	for _, c := range t.Prefix {
		if !(c >= 'a' && c <= 'z' || c >= '2' && c <= '7') {
			return token{}, false
		}
	}
	secret, err := base64.RawURLEncoding.Strict().DecodeString(rest[tenantLen+1+prefixLen+1:])
	if err != nil || len(secret) != 32 || t.TenantID == uuid.Nil {
		return token{}, false
	}
	h := sha256.Sum256(secret)
	t.Hash = h[:]
	return t, true
}
