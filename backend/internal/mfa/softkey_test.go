package mfa_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"testing"

	"github.com/fxamacker/cbor/v2"
)

// softKey is a security key in software (WebAuthn "none" attestation,
// ES256): what Chromium's virtual authenticator does in the browser tests,
// here for the Go tests. rpID and origin are what a browser would put in
// (tests change them to play another site).
type softKey struct {
	t      testing.TB
	key    *ecdsa.PrivateKey
	id     []byte
	count  uint32
	rpID   string
	origin string
	// handle is the user handle the key stored at creation; uv is whether
	// it verifies its user (PIN, biometrics).
	handle string
	noUV   bool
}

func newSoftKey(t testing.TB) *softKey {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	id := make([]byte, 32)
	_, _ = rand.Read(id)
	return &softKey{t: t, key: k, id: id, rpID: "localhost", origin: "https://localhost"}
}

var b64 = base64.RawURLEncoding

// clientData is the collected client data of a ceremony.
func (k *softKey) clientData(kind, challenge string) []byte {
	raw, err := json.Marshal(map[string]any{"type": kind, "challenge": challenge, "origin": k.origin, "crossOrigin": false})
	if err != nil {
		k.t.Fatal(err)
	}
	return raw
}

func (k *softKey) authData(flags byte, attested []byte) []byte {
	h := sha256.Sum256([]byte(k.rpID))
	out := append([]byte{}, h[:]...)
	out = append(out, flags)
	out = binary.BigEndian.AppendUint32(out, k.count)
	return append(out, attested...)
}

func (k *softKey) challengeOf(optionsJSON string) string {
	var opts struct {
		Challenge string `json:"challenge"`
		User      struct {
			ID string `json:"id"`
		} `json:"user"`
	}
	if err := json.Unmarshal([]byte(optionsJSON), &opts); err != nil || opts.Challenge == "" {
		k.t.Fatalf("options %q: %v", optionsJSON, err)
	}
	if opts.User.ID != "" {
		k.handle = opts.User.ID
	}
	return opts.Challenge
}

// create answers creation options (navigator.credentials.create).
func (k *softKey) create(optionsJSON string) string {
	k.t.Helper()
	x := k.key.X.FillBytes(make([]byte, 32))
	y := k.key.Y.FillBytes(make([]byte, 32))
	enc, err := cbor.CoreDetEncOptions().EncMode()
	if err != nil {
		k.t.Fatal(err)
	}
	cose, err := enc.Marshal(map[int]any{1: 2, 3: -7, -1: 1, -2: x, -3: y})
	if err != nil {
		k.t.Fatal(err)
	}
	attested := make([]byte, 16) // AAGUID: none
	attested = binary.BigEndian.AppendUint16(attested, uint16(len(k.id)))
	attested = append(attested, k.id...)
	attested = append(attested, cose...)
	obj, err := enc.Marshal(map[string]any{"fmt": "none", "attStmt": map[string]any{}, "authData": k.authData(0x45, attested)})
	if err != nil {
		k.t.Fatal(err)
	}
	raw, err := json.Marshal(map[string]any{"id": b64.EncodeToString(k.id), "rawId": b64.EncodeToString(k.id), "type": "public-key",
		"response": map[string]any{
			"clientDataJSON":    b64.EncodeToString(k.clientData("webauthn.create", k.challengeOf(optionsJSON))),
			"attestationObject": b64.EncodeToString(obj),
			"transports":        []string{"usb"},
		},
		"clientExtensionResults": map[string]any{}})
	if err != nil {
		k.t.Fatal(err)
	}
	return string(raw)
}

// get answers request options (navigator.credentials.get); userHandle is
// the user's handle as the options' user id would give it.
func (k *softKey) get(optionsJSON string) string {
	k.t.Helper()
	k.count++
	cd := k.clientData("webauthn.get", k.challengeOf(optionsJSON))
	flags := byte(0x05)
	if k.noUV {
		flags = 0x01
	}
	ad := k.authData(flags, nil)
	h := sha256.Sum256(cd)
	sig, err := ecdsa.SignASN1(rand.Reader, k.key, sha256Sum(append(append([]byte{}, ad...), h[:]...)))
	if err != nil {
		k.t.Fatal(err)
	}
	raw, err := json.Marshal(map[string]any{"id": b64.EncodeToString(k.id), "rawId": b64.EncodeToString(k.id), "type": "public-key",
		"response": map[string]any{
			"clientDataJSON":    b64.EncodeToString(cd),
			"authenticatorData": b64.EncodeToString(ad),
			"signature":         b64.EncodeToString(sig),
			"userHandle":        k.handle,
		},
		"clientExtensionResults": map[string]any{}})
	if err != nil {
		k.t.Fatal(err)
	}
	return string(raw)
}

func sha256Sum(b []byte) []byte {
	h := sha256.Sum256(b)
	return h[:]
}
