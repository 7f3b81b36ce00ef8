package keyring

import (
	"bytes"
	"context"
	"crypto/cipher"
	"errors"
	"testing"

	"github.com/google/uuid"
)

func mustDataKey(t *testing.T, tenantID uuid.UUID, version int, key []byte) *DataKey {
	t.Helper()
	dk, err := newDataKey(tenantID, version, key)
	if err != nil {
		t.Fatal(err)
	}
	return dk
}

// cipherFor builds a TenantCipher over fixed keys (no database).
func cipherFor(tenantID uuid.UUID, keys ...*DataKey) *TenantCipher {
	tk := &tenantKeys{byVersion: map[uint32]*DataKey{}}
	for _, k := range keys {
		tk.byVersion[k.version] = k
		tk.current = k
	}
	return &TenantCipher{r: New(nil, nil), tenantID: tenantID, keys: tk}
}

func TestSealOpenRoundTrip(t *testing.T) {
	t.Parallel()
	ten := uuid.New()
	c := cipherFor(ten, mustDataKey(t, ten, 1, NewKey()))
	row := uuid.New()
	for _, plain := range []string{"", "a", "Jürgen Müßig", string(bytes.Repeat([]byte("x"), 10000))} {
		ct := c.SealString(row, "users.first_name", plain)
		// (Only for values long enough that random ciphertext bytes cannot
		// match them by chance: a one-byte value does in ~11 % of runs.)
		if len(plain) >= 8 && bytes.Contains(ct, []byte(plain)) {
			t.Fatal("ciphertext contains the plaintext")
		}
		got, err := c.OpenString(context.Background(), row, "users.first_name", ct)
		if err != nil || got != plain {
			t.Fatalf("round trip of %d bytes: %q, %v", len(plain), got[:min(len(got), 20)], err)
		}
		if v, err := Version(ct); err != nil || v != 1 {
			t.Fatalf("Version = %d, %v", v, err)
		}
	}
	// Random nonces: the same value sealed twice differs.
	if bytes.Equal(c.SealString(row, "c", "same"), c.SealString(row, "c", "same")) {
		t.Fatal("two seals of one value are equal (nonce reuse?)")
	}
	if s, err := c.OpenString(context.Background(), row, "c", nil); err != nil || s != "" {
		t.Fatalf("nil ciphertext = %q, %v", s, err)
	}
}

// TestMovedCiphertextFails: associated data binds a value to its tenant,
// row and column, so copying a ciphertext anywhere else is detected as an
// error — never decrypted to something plausible.
func TestMovedCiphertextFails(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tenA, tenB := uuid.New(), uuid.New()
	keyA := NewKey()
	a := cipherFor(tenA, mustDataKey(t, tenA, 1, keyA))
	b := cipherFor(tenB, mustDataKey(t, tenB, 1, NewKey()))
	// Even a tenant B that (by mistake) had A's very key cannot open A's values.
	bSameKey := cipherFor(tenB, mustDataKey(t, tenB, 1, keyA))
	row1, row2 := uuid.New(), uuid.New()
	ct := a.SealString(row1, "users.email", "erika@muster.example")

	cases := []struct {
		name   string
		c      *TenantCipher
		row    uuid.UUID
		column string
		ct     []byte
	}{
		{"other row", a, row2, "users.email", ct},
		{"other column", a, row1, "users.first_name", ct},
		{"other tenant's cipher", b, row1, "users.email", ct},
		{"other tenant with the same key", bSameKey, row1, "users.email", ct},
		{"bad format byte", a, row1, "users.email", append([]byte{2}, ct[1:]...)},
		{"truncated", a, row1, "users.email", ct[:len(ct)-1]},
		{"header only", a, row1, "users.email", ct[:5]},
		{"empty", a, row1, "users.email", []byte{}},
	}
	for i := range ct {
		tampered := bytes.Clone(ct)
		tampered[i] ^= 0x01
		if i == 0 || (i >= 1 && i <= 4) {
			continue // format and version bytes are covered above
		}
		cases = append(cases, struct {
			name   string
			c      *TenantCipher
			row    uuid.UUID
			column string
			ct     []byte
		}{"flipped bit", a, row1, "users.email", tampered})
	}
	for _, tc := range cases {
		got, err := tc.c.Open(ctx, tc.row, tc.column, tc.ct)
		if !errors.Is(err, ErrDecrypt) || got != nil {
			t.Errorf("%s: Open = %q, %v; want nil, ErrDecrypt", tc.name, got, err)
		}
	}
	// Swapping the values of two rows fails for both.
	ct2 := a.SealString(row2, "users.email", "max@muster.example")
	if _, err := a.Open(ctx, row1, "users.email", ct2); !errors.Is(err, ErrDecrypt) {
		t.Errorf("swapped value opened: %v", err)
	}
	// The original still opens.
	if s, err := a.OpenString(ctx, row1, "users.email", ct); err != nil || s != "erika@muster.example" {
		t.Fatalf("original: %q, %v", s, err)
	}
}

func TestVersionedDataKeys(t *testing.T) {
	t.Parallel()
	ten := uuid.New()
	v1 := mustDataKey(t, ten, 1, NewKey())
	v2 := mustDataKey(t, ten, 2, NewKey())
	old := cipherFor(ten, v1)
	row := uuid.New()
	ctOld := old.SealString(row, "c", "alt")
	both := cipherFor(ten, v1, v2)
	ctNew := both.SealString(row, "c", "neu")
	if v, _ := Version(ctNew); v != 2 {
		t.Fatalf("new writes use version %d, want 2", v)
	}
	for ct, want := range map[string]string{string(ctOld): "alt", string(ctNew): "neu"} {
		if s, err := both.OpenString(context.Background(), row, "c", []byte(ct)); err != nil || s != want {
			t.Errorf("open %q: %q, %v", want, s, err)
		}
	}
	if _, err := Version([]byte{1, 0}); !errors.Is(err, ErrDecrypt) {
		t.Error("Version of a short value must fail")
	}
}

func TestMasterWrapUnwrap(t *testing.T) {
	t.Parallel()
	k1, k2 := NewKey(), NewKey()
	m1, err := NewMaster([][]byte{k1})
	if err != nil {
		t.Fatal(err)
	}
	dek := NewKey()
	label := TenantDEKLabel(uuid.New(), 1)
	id, wrapped, err := m1.Wrap(dek, label)
	if err != nil || id != MasterKeyID(k1) || id != m1.CurrentID() {
		t.Fatalf("Wrap: id %s, %v", id, err)
	}
	if bytes.Contains(wrapped, dek) {
		t.Fatal("wrapped key contains the key")
	}
	if got, err := m1.Unwrap(id, wrapped, label); err != nil || !bytes.Equal(got, dek) {
		t.Fatalf("Unwrap: %v", err)
	}
	// Another label (another tenant or version) does not unwrap.
	if _, err := m1.Unwrap(id, wrapped, TenantDEKLabel(uuid.New(), 1)); !errors.Is(err, ErrDecrypt) {
		t.Errorf("unwrap with another label: %v", err)
	}
	// A wrong master key claiming the right id does not unwrap (GCM fails).
	impostor := &Master{keys: []masterKey{{id: id, aead: mustAEAD(t, k2)}}}
	if got, err := impostor.Unwrap(id, wrapped, label); !errors.Is(err, ErrDecrypt) || got != nil {
		t.Errorf("unwrap with the wrong key: %v", err)
	}
	// A keyring without the wrapping key names the missing key id.
	m2, _ := NewMaster([][]byte{k2})
	if _, err := m2.Unwrap(id, wrapped, label); err == nil || !bytes.Contains([]byte(err.Error()), []byte(id)) {
		t.Errorf("unwrap without the key: %v", err)
	}
	// During rotation: [k2, k1] wraps with k2 and still unwraps k1's keys.
	m21, _ := NewMaster([][]byte{k2, k1})
	if m21.CurrentID() != MasterKeyID(k2) {
		t.Error("current master key is not the first")
	}
	if got, err := m21.Unwrap(id, wrapped, label); err != nil || !bytes.Equal(got, dek) {
		t.Errorf("rotation keyring cannot unwrap the old key: %v", err)
	}
	// Tampered wrap.
	wrapped[len(wrapped)-1] ^= 1
	if _, err := m1.Unwrap(id, wrapped, label); !errors.Is(err, ErrDecrypt) {
		t.Errorf("tampered wrap: %v", err)
	}
	if MasterKeyID(k1) == MasterKeyID(k2) || len(MasterKeyID(k1)) != 16 {
		t.Error("master key ids must differ and be 16 hex digits")
	}
}

func mustAEAD(t *testing.T, k []byte) cipher.AEAD {
	t.Helper()
	a, err := newAEAD(k)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestNewMasterValidation(t *testing.T) {
	t.Parallel()
	for name, keys := range map[string][][]byte{
		"none":      nil,
		"empty":     {{}},
		"short":     {make([]byte, 31)},
		"long":      {make([]byte, 33)},
		"one bad":   {NewKey(), make([]byte, 16)},
		"aes-128":   {make([]byte, 16)},
		"aes-192":   {make([]byte, 24)},
		"nil entry": {nil},
	} {
		if _, err := NewMaster(keys); err == nil {
			t.Errorf("%s: NewMaster accepted it", name)
		}
	}
	if _, err := NewMaster([][]byte{NewKey(), NewKey()}); err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(NewKey(), NewKey()) || len(NewKey()) != KeyLen {
		t.Fatal("NewKey is not random 32 bytes")
	}
}

func TestBlindIndex(t *testing.T) {
	t.Parallel()
	k := NewIndexKey(NewKey())
	a := k.Email("Erika.Mustermann@Muster.Example")
	if !bytes.Equal(a, k.Email("  erika.mustermann@muster.example ")) {
		t.Error("same email in another case/with spaces gives another index")
	}
	// NFC: a precomposed and a decomposed umlaut are the same address.
	if !bytes.Equal(k.Email("j\u00fcrgen@muster.example"), k.Email("ju\u0308rgen@muster.example")) {
		t.Error("NFC normalisation missing")
	}
	if bytes.Equal(a, k.Email("max.mustermann@muster.example")) {
		t.Error("different emails give the same index")
	}
	if bytes.Equal(a, NewIndexKey(NewKey()).Email("erika.mustermann@muster.example")) {
		t.Error("the index does not depend on the key")
	}
	// Domain separation between purposes.
	if bytes.Equal(k.Sum("email", "x"), k.Sum("personnel_number", "x")) {
		t.Error("purposes are not separated")
	}
	if bytes.Contains(a, []byte("erika")) || len(a) != 32 {
		t.Error("index is not an HMAC-SHA256")
	}
	// The index key is copied, not aliased.
	raw := NewKey()
	k2 := NewIndexKey(raw)
	before := k2.Email("a@b.de")
	raw[0] ^= 0xff
	if !bytes.Equal(before, k2.Email("a@b.de")) {
		t.Error("IndexKey aliases the caller's slice")
	}
}
