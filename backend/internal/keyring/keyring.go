// Package keyring holds Zeugo's key hierarchy and field encryption.
//
//	master key (configuration; several during a rotation)
//	  └ wraps platform keys (blind-index HMAC key, token signing key)
//	  └ wraps one data key (DEK) per tenant and version
//	        └ AES-256-GCM per field, associated data = tenant + row id + column
//
// A database administrator reading tables sees only ciphertext; a ciphertext
// moved to another row, column or tenant fails to decrypt (authentication
// error, never garbage); deleting a tenant's DEKs makes every copy of its
// rows unreadable, including those in backups (crypto-shredding).
package keyring

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/google/uuid"
	"golang.org/x/text/unicode/norm"
)

// KeyLen is the length of every symmetric key: AES-256.
const KeyLen = 32

// ErrDecrypt is returned for any ciphertext that does not authenticate: a
// tampered value, a value moved between rows/columns/tenants, or a wrong key.
var ErrDecrypt = errors.New("keyring: ciphertext does not authenticate")

// Master holds the key-encryption keys. The first one wraps; all unwrap.
type Master struct {
	keys []masterKey
}

type masterKey struct {
	id   string
	aead cipher.AEAD
}

// NewMaster builds the master keyring; keys[0] is current.
func NewMaster(keys [][]byte) (*Master, error) {
	if len(keys) == 0 {
		return nil, errors.New("keyring: no master key")
	}
	m := &Master{}
	for _, k := range keys {
		aead, err := newAEAD(k)
		if err != nil {
			return nil, err
		}
		m.keys = append(m.keys, masterKey{id: MasterKeyID(k), aead: aead})
	}
	return m, nil
}

// MasterKeyID names a master key without revealing it: the first 8 bytes of
// SHA-256 over a domain-separated copy of the key, in hex.
func MasterKeyID(key []byte) string {
	h := sha256.Sum256(append([]byte("zeugo master key id\x00"), key...))
	return hex.EncodeToString(h[:8])
}

// CurrentID is the id of the master key that wraps new keys.
func (m *Master) CurrentID() string { return m.keys[0].id }

// Wrap encrypts a key under the current master key, bound to label.
func (m *Master) Wrap(plain []byte, label string) (masterID string, wrapped []byte, err error) {
	k := m.keys[0]
	return k.id, seal(k.aead, plain, []byte("zeugo/wrap/"+label)), nil
}

// Unwrap decrypts a key wrapped under the master key masterID with label.
func (m *Master) Unwrap(masterID string, wrapped []byte, label string) ([]byte, error) {
	for _, k := range m.keys {
		if k.id == masterID {
			return open(k.aead, wrapped, []byte("zeugo/wrap/"+label))
		}
	}
	return nil, fmt.Errorf("keyring: master key %s is not configured (set it in ZEUGO_MASTER_KEY or ZEUGO_MASTER_KEYS_OLD)", masterID)
}

// TenantDEKLabel is the wrap label of a tenant's data key.
func TenantDEKLabel(tenantID uuid.UUID, version int) string {
	return fmt.Sprintf("tenant-dek/%s/%d", tenantID, version)
}

// PlatformKeyLabel is the wrap label of a platform key.
func PlatformKeyLabel(name string, version int) string {
	return fmt.Sprintf("platform/%s/%d", name, version)
}

// NewKey returns KeyLen random bytes.
func NewKey() []byte {
	k := make([]byte, KeyLen)
	if _, err := rand.Read(k); err != nil {
		panic("keyring: crypto/rand failed: " + err.Error()) // never happens on supported platforms
	}
	return k
}

func newAEAD(key []byte) (cipher.AEAD, error) {
	if len(key) != KeyLen {
		return nil, fmt.Errorf("keyring: key must be %d bytes, got %d", KeyLen, len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// seal returns nonce || ciphertext+tag with a random 96-bit nonce.
func seal(aead cipher.AEAD, plain, ad []byte) []byte {
	out := make([]byte, aead.NonceSize(), aead.NonceSize()+len(plain)+aead.Overhead())
	if _, err := rand.Read(out); err != nil {
		panic("keyring: crypto/rand failed: " + err.Error())
	}
	return aead.Seal(out, out, plain, ad)
}

func open(aead cipher.AEAD, sealed, ad []byte) ([]byte, error) {
	if len(sealed) < aead.NonceSize()+aead.Overhead() {
		return nil, ErrDecrypt
	}
	plain, err := aead.Open(nil, sealed[:aead.NonceSize()], sealed[aead.NonceSize():], ad)
	if err != nil {
		return nil, ErrDecrypt
	}
	return plain, nil
}

// fieldFormat is the first byte of every field ciphertext.
const fieldFormat byte = 1

// DataKey encrypts and decrypts the fields of one tenant with one DEK
// version; decryption picks the version from the ciphertext header.
type DataKey struct {
	tenantID uuid.UUID
	version  uint32
	aead     cipher.AEAD
}

func newDataKey(tenantID uuid.UUID, version int, key []byte) (*DataKey, error) {
	aead, err := newAEAD(key)
	if err != nil {
		return nil, err
	}
	return &DataKey{tenantID: tenantID, version: uint32(version), aead: aead}, nil
}

func fieldAD(tenantID, rowID uuid.UUID, column string) []byte {
	return []byte("zeugo/field/v1/" + tenantID.String() + "/" + rowID.String() + "/" + column)
}

// Version reads the DEK version of a field ciphertext.
func Version(ciphertext []byte) (int, error) {
	if len(ciphertext) < 5 || ciphertext[0] != fieldFormat {
		return 0, ErrDecrypt
	}
	return int(binary.BigEndian.Uint32(ciphertext[1:5])), nil
}

// Seal encrypts plain for (rowID, column): format byte, DEK version, nonce,
// ciphertext and tag.
func (k *DataKey) Seal(rowID uuid.UUID, column string, plain []byte) []byte {
	hdr := make([]byte, 5)
	hdr[0] = fieldFormat
	binary.BigEndian.PutUint32(hdr[1:], k.version)
	return append(hdr, seal(k.aead, plain, append(hdr, fieldAD(k.tenantID, rowID, column)...))...)
}

func (k *DataKey) open(rowID uuid.UUID, column string, ct []byte) ([]byte, error) {
	if len(ct) < 5 {
		return nil, ErrDecrypt
	}
	return open(k.aead, ct[5:], append(append([]byte{}, ct[:5]...), fieldAD(k.tenantID, rowID, column)...))
}

// IndexKey computes blind indexes: keyed HMAC-SHA256 of a normalised value,
// so equal values can be found without storing them in clear.
type IndexKey struct {
	key []byte
}

// NewIndexKey wraps raw key bytes.
func NewIndexKey(key []byte) *IndexKey { return &IndexKey{key: append([]byte{}, key...)} }

// Email returns the blind index of an email address: trimmed, NFC,
// lower-cased.
func (k *IndexKey) Email(email string) []byte {
	return k.Sum("email", NormalizeEmail(email))
}

// Sum is the blind index of value for purpose (domain separation).
func (k *IndexKey) Sum(purpose, value string) []byte {
	m := hmac.New(sha256.New, k.key)
	m.Write([]byte(purpose))
	m.Write([]byte{0})
	m.Write([]byte(value))
	return m.Sum(nil)
}

// NormalizeEmail is the canonical form of an email used for comparison.
func NormalizeEmail(email string) string {
	return strings.ToLower(norm.NFC.String(strings.TrimSpace(email)))
}
