// Package paging is the one list contract of the API: a page size with a
// server maximum and an opaque page token that names the last row of the
// previous page (keyset pagination, never OFFSET). Tokens are sealed with
// AES-256-GCM: a client can neither read the sort value inside (which may
// be personal data, e.g. a name) nor forge one, and a token only opens for
// the very list, order and filters it was issued for.
package paging

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"

	"github.com/google/uuid"

	"github.com/zeugo/zeugo/backend/internal/apperr"
)

// Page sizes: a request of 0 gets DefaultSize; larger requests than
// MaxSize are lowered to it (AIP-158), so no call returns "all rows".
const (
	DefaultSize = 50
	MaxSize     = 200
)

// Request is one page request as the domain sees it.
type Request struct {
	Size  int
	Token string
}

// Limit is the number of rows to return for r.
func (r Request) Limit() int {
	switch {
	case r.Size <= 0:
		return DefaultSize
	case r.Size > MaxSize:
		return MaxSize
	}
	return r.Size
}

// Cursor is the position after the last row of a page: its sort key and id.
type Cursor struct {
	Key string    `json:"k"`
	ID  uuid.UUID `json:"i"`
}

// Codec seals and opens page tokens.
type Codec struct {
	aead cipher.AEAD
}

// NewCodec returns a codec over a 32-byte key (derived from a platform key,
// so every replica opens every other replica's tokens).
func NewCodec(key []byte) (*Codec, error) {
	if len(key) != 32 {
		return nil, fmt.Errorf("paging: key of %d bytes, want 32", len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &Codec{aead: aead}, nil
}

// errToken is the one answer to every bad token: malformed, forged, from
// another list, or for other filters.
var errToken = apperr.Field(apperr.InvalidArgument, "page.page_token", "zeugo.page_token",
	"the page token is invalid or belongs to another order or filter; start from the first page")

// Encode seals c for the list described by scope (a string naming the list,
// its order and its filters).
func (k *Codec) Encode(scope string, c Cursor) string {
	plain, _ := json.Marshal(c) // a string and a UUID: cannot fail
	nonce := make([]byte, k.aead.NonceSize())
	_, _ = rand.Read(nonce) // crypto/rand.Read never fails (Go ≥ 1.24)
	return base64.RawURLEncoding.EncodeToString(k.aead.Seal(nonce, nonce, plain, []byte(scope)))
}

// Decode opens token for scope; nil, nil for the empty token (first page).
func (k *Codec) Decode(scope, token string) (*Cursor, error) {
	if token == "" {
		return nil, nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(raw) < k.aead.NonceSize()+k.aead.Overhead() {
		return nil, errToken
	}
	ns := k.aead.NonceSize()
	plain, err := k.aead.Open(nil, raw[:ns], raw[ns:], []byte(scope))
	if err != nil {
		return nil, errToken
	}
	var c Cursor
	if err := json.Unmarshal(plain, &c); err != nil {
		return nil, errToken
	}
	return &c, nil
}

// Page is one page of a list.
type Page[T any] struct {
	Items []T
	// Next is the token of the following page; empty on the last page.
	Next string
	// Total counts the rows matching the filters across all pages.
	Total int64
}
