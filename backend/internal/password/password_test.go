package password_test

import (
	"context"
	"encoding/base64"
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/zeugo/zeugo/backend/internal/password"
)

// cheap parameters for tests that are not about the cost.
var cheap = password.Params{MemoryKiB: 64, Iterations: 1, Parallelism: 1, SaltLen: 16, KeyLen: 32}

func newHasher(t *testing.T, p password.Params) *password.Hasher {
	t.Helper()
	h := password.NewHasher(p, 2)
	t.Cleanup(h.Close)
	return h
}

var phc = regexp.MustCompile(`^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$`)

func TestHashIsOWASPArgon2idPHC(t *testing.T) {
	t.Parallel()
	h := newHasher(t, password.OWASP)
	ctx := context.Background()
	enc, err := h.Hash(ctx, "Korrekt-Pferd-Batterie-Heftklammer")
	if err != nil {
		t.Fatal(err)
	}
	m := phc.FindStringSubmatch(enc)
	if m == nil {
		t.Fatalf("%q is not an argon2id PHC string", enc)
	}
	if m[1] != "19456" || m[2] != "2" || m[3] != "1" {
		t.Errorf("parameters m=%s,t=%s,p=%s; want m=19456,t=2,p=1", m[1], m[2], m[3])
	}
	salt, err := base64.RawStdEncoding.DecodeString(m[4])
	if err != nil || len(salt) != 16 {
		t.Errorf("salt: %d bytes (%v), want 16", len(salt), err)
	}
	key, err := base64.RawStdEncoding.DecodeString(m[5])
	if err != nil || len(key) != 32 {
		t.Errorf("key: %d bytes (%v), want 32", len(key), err)
	}
	if err := h.Verify(ctx, enc, "Korrekt-Pferd-Batterie-Heftklammer"); err != nil {
		t.Errorf("Verify of the right password: %v", err)
	}
	if err := h.Verify(ctx, enc, "Korrekt-Pferd-Batterie-Heftklammer "); !errors.Is(err, password.ErrMismatch) {
		t.Errorf("Verify of a wrong password: %v", err)
	}
	if h.NeedsRehash(enc) {
		t.Error("a fresh hash needs rehash")
	}
	// Fresh salt per hash: the same password never hashes the same.
	enc2, err := h.Hash(ctx, "Korrekt-Pferd-Batterie-Heftklammer")
	if err != nil || enc2 == enc {
		t.Errorf("two hashes of one password are equal (%v)", err)
	}
	if strings.Contains(enc, "Korrekt") {
		t.Error("hash contains the password")
	}
}

func TestVerifyRoundTrip(t *testing.T) {
	t.Parallel()
	h := newHasher(t, cheap)
	ctx := context.Background()
	for _, pw := range []string{
		"x",
		"Sicher-Passwort-2026!",
		strings.Repeat("Ä", 64),
		"Größenwahn-Überfluß-🔑-" + strings.Repeat("ß€😀", 30), // > 64 characters, multi-byte
		strings.Repeat("a", 1024),
		"mit\x00nullbyte",
	} {
		enc, err := h.Hash(ctx, pw)
		if err != nil {
			t.Fatal(err)
		}
		if err := h.Verify(ctx, enc, pw); err != nil {
			t.Errorf("round trip of %d-byte password: %v", len(pw), err)
		}
		if err := h.Verify(ctx, enc, pw+"x"); !errors.Is(err, password.ErrMismatch) {
			t.Errorf("longer password accepted: %v", err)
		}
		if len(pw) > 1 {
			if err := h.Verify(ctx, enc, pw[:len(pw)-1]); !errors.Is(err, password.ErrMismatch) {
				t.Errorf("truncated password accepted: %v", err)
			}
		}
	}
	// No truncation at 72 bytes (a bcrypt pitfall).
	long := strings.Repeat("z", 100)
	enc, _ := h.Hash(ctx, long+"A")
	if err := h.Verify(ctx, enc, long+"B"); !errors.Is(err, password.ErrMismatch) {
		t.Error("passwords differing after byte 100 verify equal")
	}
}

func TestNeedsRehash(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	weak := newHasher(t, password.Params{MemoryKiB: 4096, Iterations: 1, Parallelism: 1, SaltLen: 16, KeyLen: 32})
	strong := newHasher(t, password.OWASP)
	enc, err := weak.Hash(ctx, "altes-Passwort")
	if err != nil {
		t.Fatal(err)
	}
	if !strong.NeedsRehash(enc) {
		t.Error("a hash with weaker parameters does not need rehash")
	}
	// It still verifies with the parameters it carries (so login can
	// upgrade it).
	if err := strong.Verify(ctx, enc, "altes-Passwort"); err != nil {
		t.Errorf("old hash does not verify: %v", err)
	}
	for name, p := range map[string]password.Params{
		"iterations":  {MemoryKiB: 19456, Iterations: 1, Parallelism: 1, SaltLen: 16, KeyLen: 32},
		"salt length": {MemoryKiB: 19456, Iterations: 2, Parallelism: 1, SaltLen: 8, KeyLen: 32},
		"key length":  {MemoryKiB: 19456, Iterations: 2, Parallelism: 1, SaltLen: 16, KeyLen: 16},
	} {
		e, err := newHasher(t, p).Hash(ctx, "pw")
		if err != nil {
			t.Fatal(err)
		}
		if !strong.NeedsRehash(e) {
			t.Errorf("different %s does not need rehash", name)
		}
	}
	if !strong.NeedsRehash("") || !strong.NeedsRehash("$2a$10$bcrypt") {
		t.Error("empty or foreign hashes must need rehash")
	}
}

// TestVerifyUnknownAccount: an empty stored hash (unknown account, or no
// password set) is checked against the dummy hash and always fails with the
// same error as a wrong password, whatever the password.
func TestVerifyUnknownAccount(t *testing.T) {
	t.Parallel()
	h := newHasher(t, cheap)
	ctx := context.Background()
	for _, pw := range []string{"", "irgendwas", strings.Repeat("0", 32)} {
		if err := h.Verify(ctx, "", pw); !errors.Is(err, password.ErrMismatch) {
			t.Errorf("Verify(\"\", %q) = %v, want ErrMismatch", pw, err)
		}
	}
	// Not even a password that happens to match the dummy's all-zero key
	// material can pass: the dummy path always fails.
	enc, _ := h.Hash(ctx, "")
	if err := h.Verify(ctx, enc, ""); err != nil {
		t.Errorf("empty password against its own hash: %v", err)
	}
}

func TestMalformedHashes(t *testing.T) {
	t.Parallel()
	h := newHasher(t, cheap)
	ctx := context.Background()
	good, err := h.Hash(ctx, "pw")
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(good, "$")
	salt, key := parts[4], parts[5]
	b64 := base64.RawStdEncoding
	for name, enc := range map[string]string{
		"garbage":             "nonsense",
		"argon2i":             "$argon2i$v=19$m=64,t=1,p=1$" + salt + "$" + key,
		"argon2d":             "$argon2d$v=19$m=64,t=1,p=1$" + salt + "$" + key,
		"old version":         "$argon2id$v=16$m=64,t=1,p=1$" + salt + "$" + key,
		"no version":          "$argon2id$m=64,t=1,p=1$" + salt + "$" + key,
		"missing key":         "$argon2id$v=19$m=64,t=1,p=1$" + salt,
		"extra part":          good + "$x",
		"bad params":          "$argon2id$v=19$m=x,t=1,p=1$" + salt + "$" + key,
		"zero iterations":     "$argon2id$v=19$m=64,t=0,p=1$" + salt + "$" + key,
		"zero parallelism":    "$argon2id$v=19$m=64,t=1,p=0$" + salt + "$" + key,
		"tiny memory":         "$argon2id$v=19$m=4,t=1,p=1$" + salt + "$" + key,
		"huge memory (DoS)":   "$argon2id$v=19$m=99999999,t=1,p=1$" + salt + "$" + key,
		"huge iterations":     "$argon2id$v=19$m=64,t=100000,p=1$" + salt + "$" + key,
		"bad salt base64":     "$argon2id$v=19$m=64,t=1,p=1$!!!!$" + key,
		"short salt":          "$argon2id$v=19$m=64,t=1,p=1$" + b64.EncodeToString([]byte("abc")) + "$" + key,
		"short key":           "$argon2id$v=19$m=64,t=1,p=1$" + salt + "$" + b64.EncodeToString([]byte("short")),
		"padded base64 key":   "$argon2id$v=19$m=64,t=1,p=1$" + salt + "$" + key + "=",
		"bad key base64":      "$argon2id$v=19$m=64,t=1,p=1$" + salt + "$" + "***",
		"missing leading '$'": strings.TrimPrefix(good, "$"),
	} {
		if err := h.Verify(ctx, enc, "pw"); !errors.Is(err, password.ErrMalformed) {
			t.Errorf("%s: Verify = %v, want ErrMalformed", name, err)
		}
		if !h.NeedsRehash(enc) {
			t.Errorf("%s: NeedsRehash = false", name)
		}
	}
	if err := h.Verify(ctx, good, "pw"); err != nil {
		t.Fatalf("the well-formed hash: %v", err)
	}
}

func TestComposedAndDecomposedPasswordsAreTheSame(t *testing.T) {
	t.Parallel()
	h := password.NewHasher(password.Params{MemoryKiB: 64, Iterations: 1, Parallelism: 1, SaltLen: 16, KeyLen: 32}, 1)
	defer h.Close()
	composed, decomposed := "Passw\u00f6rter-\u00c4rger-1", "Passwo\u0308rter-A\u0308rger-1"
	enc, err := h.Hash(context.Background(), composed)
	if err != nil {
		t.Fatal(err)
	}
	if err := h.Verify(context.Background(), enc, decomposed); err != nil {
		t.Fatalf("decomposed form of the same password refused: %v", err)
	}
}
