package selfservice

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/zeugo/zeugo/backend/internal/apperr"
	"github.com/zeugo/zeugo/backend/internal/keyring"
)

// A started request is not stored: it travels as a pending token, held by
// the requester's browser until they type the code from the mail. So an
// address that is never confirmed leaves nothing in the tenant's data (only
// the code mail in the outbox, encrypted and swept after delivery like
// every mail), and a flood of unconfirmed requests cannot fill a table.
//
// The token is base64url(pending id ‖ form public id ‖ sealed), where
// sealed is the request as JSON, its form, its expiry and the MAC of its
// code, AES-256-GCM-sealed with the tenant's data key and (tenant, pending
// id, form public id) as associated data: the browser can neither read it
// nor change it, nor move it to another form. The public id in clear
// tells the server the tenant (selfservice_form_tenant) before it can
// open the token. The code is six digits from crypto/rand; the token holds
// only its keyed MAC (blind-index key, purpose and pending id), compared
// in constant time, and wrong codes are counted per pending id in the
// shared rate-limit table, so a token survives five wrong codes however
// often it is replayed. The pending id becomes the stored request's id:
// confirming one token twice stores one request.

const (
	// colPending is the associated-data column of a pending token.
	colPending = "selfservice.pending"
	// purposeCode is the MAC purpose of codes.
	purposeCode = "selfservice.code"
	// maxToken bounds what is decoded (the proto allows 8192 characters).
	maxToken = 8192
)

// errInvalidPending is the one answer to a token that is malformed,
// forged, expired, of a disabled form, used up by wrong codes, or for
// which a form no longer exists: which it was stays the server's secret.
var errInvalidPending = apperr.Field(apperr.NotFound, "pending", "zeugo.selfservice.pending_invalid",
	"the request has expired or can no longer be confirmed; please fill in the form again")

// errWrongCode answers a wrong code of a live token.
var errWrongCode = apperr.Field(apperr.InvalidArgument, "code", "zeugo.selfservice.code_wrong", "the code is not correct")

// pending is the sealed content of a token.
type pending struct {
	FormID    uuid.UUID `json:"f"`
	CompanyID uuid.UUID `json:"c"`
	Expires   int64     `json:"x"`
	CodeMAC   []byte    `json:"m"`
	Fields    Fields    `json:"r"`
}

// tokenHead is what a token carries in clear.
type tokenHead struct {
	ID       uuid.UUID
	PublicID string
}

// newCode is six digits, uniformly from crypto/rand.
func newCode() string {
	var b [8]byte
	// Rejection sampling: values ≥ the largest multiple of 10⁶ below 2⁶⁴
	// would favour low codes.
	const limit = ^uint64(0) - ^uint64(0)%1_000_000
	for {
		if _, err := rand.Read(b[:]); err != nil {
			panic(err) // crypto/rand does not fail on supported platforms
		}
		if v := binary.BigEndian.Uint64(b[:]); v < limit {
			return fmt.Sprintf("%06d", v%1_000_000)
		}
	}
}

// codeMAC is the keyed MAC of code for pending request id.
func codeMAC(idx *keyring.IndexKey, id uuid.UUID, code string) []byte {
	return idx.Sum(purposeCode, id.String()+"\x00"+code)
}

func pendingColumn(publicID string) string { return colPending + "/" + publicID }

// seal makes the token of p.
func seal(c *keyring.TenantCipher, head tokenHead, p *pending) (string, error) {
	plain, err := json.Marshal(p)
	if err != nil {
		return "", err
	}
	pub, err := hex.DecodeString(head.PublicID)
	if err != nil {
		return "", err
	}
	raw := append(append(head.ID[:], pub...), c.Seal(head.ID, pendingColumn(head.PublicID), plain)...)
	return base64.RawURLEncoding.EncodeToString(raw), nil
}

// parseHead reads the clear part of a token.
func parseHead(token string) (tokenHead, []byte, error) {
	if len(token) > maxToken {
		return tokenHead{}, nil, errInvalidPending
	}
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(raw) <= 32 {
		return tokenHead{}, nil, errInvalidPending
	}
	id, err := uuid.FromBytes(raw[:16])
	if err != nil {
		return tokenHead{}, nil, errInvalidPending
	}
	return tokenHead{ID: id, PublicID: hex.EncodeToString(raw[16:32])}, raw[32:], nil
}

// open opens a token's sealed part; a forged one, or one past its expiry
// at now, is errInvalidPending.
func open(ctx context.Context, c *keyring.TenantCipher, head tokenHead, sealed []byte, now time.Time) (*pending, error) {
	plain, err := c.Open(ctx, head.ID, pendingColumn(head.PublicID), sealed)
	if err != nil {
		return nil, errInvalidPending
	}
	var p pending
	if err := json.Unmarshal(plain, &p); err != nil {
		return nil, errInvalidPending
	}
	if !now.Before(time.Unix(p.Expires, 0)) {
		return nil, errInvalidPending
	}
	return &p, nil
}

// codeMatches compares in constant time.
func codeMatches(idx *keyring.IndexKey, id uuid.UUID, code string, mac []byte) bool {
	return hmac.Equal(codeMAC(idx, id, code), mac)
}
