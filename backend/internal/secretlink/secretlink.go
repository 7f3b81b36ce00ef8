// Package secretlink makes and reads the secrets of single-use links
// (registration, password reset): 32 random bytes, named together with
// their tenant so the public endpoint that redeems them can open a
// transaction bound to that tenant before it knows anything else. Only the
// SHA-256 of the secret is stored (table user_links); the link carries the
// token in its fragment (https://…/register#<token>), which browsers send
// neither to a server nor in a Referer (ASVS V14.2.1).
package secretlink

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"

	"github.com/google/uuid"
)

// MaxLen bounds a token (32 hex + "." + 43 base64url characters).
const MaxLen = 76

// New returns a fresh token for tenantID and the hash to store.
func New(tenantID uuid.UUID) (token string, hash []byte) {
	secret := make([]byte, 32)
	if _, err := rand.Read(secret); err != nil {
		panic("secretlink: crypto/rand failed: " + err.Error())
	}
	h := sha256.Sum256(secret)
	return hex.EncodeToString(tenantID[:]) + "." + base64.RawURLEncoding.EncodeToString(secret), h[:]
}

// Parse splits a token into its tenant and the hash of its secret; ok is
// false for anything that is not a well-formed token.
func Parse(token string) (tenantID uuid.UUID, hash []byte, ok bool) {
	tid, sec, found := strings.Cut(token, ".")
	if !found || len(tid) != 32 || len(sec) != 43 {
		return uuid.Nil, nil, false
	}
	raw, err := hex.DecodeString(tid)
	if err != nil {
		return uuid.Nil, nil, false
	}
	copy(tenantID[:], raw)
	secret, err := base64.RawURLEncoding.Strict().DecodeString(sec)
	if err != nil || len(secret) != 32 {
		return uuid.Nil, nil, false
	}
	h := sha256.Sum256(secret)
	return tenantID, h[:], true
}
