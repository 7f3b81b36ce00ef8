package keyring

import (
	"bytes"
	"testing"

	"github.com/google/uuid"
)

// FuzzOpen: no byte string decrypts unless it is exactly what Seal produced
// for that row and column (authenticated encryption, never garbage).
func FuzzOpen(f *testing.F) {
	tenant, row := uuid.New(), uuid.New()
	dk, err := newDataKey(tenant, 1, NewKey())
	if err != nil {
		f.Fatal(err)
	}
	sealed := dk.Seal(row, "users.email", []byte("erika@example.com"))
	f.Add(sealed)
	f.Add([]byte{1, 0, 0, 0, 1})
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, ct []byte) {
		plain, err := dk.open(row, "users.email", ct)
		if err == nil && (!bytes.Equal(ct, sealed) || string(plain) != "erika@example.com") {
			t.Fatalf("a forged ciphertext decrypted: %x", ct)
		}
	})
}
