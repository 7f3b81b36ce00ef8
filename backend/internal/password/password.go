// Package password hashes and verifies passwords with argon2id.
//
// Hashes are PHC strings ($argon2id$v=19$m=…,t=…,p=…$salt$hash) with a
// 16-byte random salt per password. Parameters are at least the OWASP
// recommendation (m=19456 KiB, t=2, p=1); a stored hash with weaker
// parameters is reported by NeedsRehash so that login can upgrade it.
// Argon2id is deliberately expensive, so it runs only on a fixed set of
// worker goroutines (≈ one per core), each locked to its own OS thread whose
// scheduling priority is lowered (nice 19 on Linux). A burst of logins then
// queues for the workers and, while it uses every idle cycle, yields the CPU
// to request handling and PostgreSQL: it cannot starve other requests.
package password

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime"
	"strings"

	"golang.org/x/crypto/argon2"
	"golang.org/x/text/unicode/norm"
)

// Params are argon2id cost parameters.
type Params struct {
	MemoryKiB   uint32
	Iterations  uint32
	Parallelism uint8
	SaltLen     int
	KeyLen      uint32
}

// OWASP is the OWASP Password Storage Cheat Sheet's argon2id configuration
// (m=19 MiB, t=2, p=1) — the floor for Zeugo.
var OWASP = Params{MemoryKiB: 19456, Iterations: 2, Parallelism: 1, SaltLen: 16, KeyLen: 32}

// ErrMismatch is returned when a password does not match its hash.
var ErrMismatch = errors.New("password: mismatch")

// ErrMalformed is returned for a stored hash that cannot be parsed.
var ErrMalformed = errors.New("password: malformed hash")

// Hasher computes hashes on its worker threads.
type Hasher struct {
	params Params
	jobs   chan job
	dummy  string
	stop   chan struct{}
}

type job struct {
	pw, salt []byte
	p        Params
	keyLen   uint32
	out      chan []byte
}

// NewHasher returns a hasher with workers hashing threads (≈ number of cores).
func NewHasher(params Params, workers int) *Hasher {
	if workers < 1 {
		workers = 1
	}
	h := &Hasher{params: params, jobs: make(chan job), stop: make(chan struct{})}
	h.dummy = h.encode(make([]byte, params.SaltLen), make([]byte, params.KeyLen), params)
	for i := 0; i < workers; i++ {
		go h.work()
	}
	return h
}

// Close stops the workers (their threads end with them).
func (h *Hasher) Close() { close(h.stop) }

func (h *Hasher) work() {
	runtime.LockOSThread() // never unlocked: the thread ends with the goroutine
	lowerThreadPriority()
	for {
		select {
		case j := <-h.jobs:
			j.out <- argon2.IDKey(j.pw, j.salt, j.p.Iterations, j.p.MemoryKiB, j.p.Parallelism, j.keyLen)
		case <-h.stop:
			return
		}
	}
}

// key computes one argon2id key on a worker; ctx bounds the wait for a free
// worker, not a computation already running.
func (h *Hasher) key(ctx context.Context, pw, salt []byte, p Params, keyLen uint32) ([]byte, error) {
	j := job{pw: pw, salt: salt, p: p, keyLen: keyLen, out: make(chan []byte, 1)}
	select {
	case h.jobs <- j:
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-h.stop:
		return nil, errors.New("password: hasher closed")
	}
	return <-j.out, nil
}

// Hash returns the PHC string of pw with a fresh salt.
func (h *Hasher) Hash(ctx context.Context, pw string) (string, error) {
	salt := make([]byte, h.params.SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key, err := h.key(ctx, []byte(normalize(pw)), salt, h.params, h.params.KeyLen)
	if err != nil {
		return "", err
	}
	return h.encode(salt, key, h.params), nil
}

// Verify checks pw against encoded. An empty encoded (unknown account, no
// password set) is checked against a dummy hash with the same cost, so the
// time taken does not reveal whether an account exists; it always fails.
func (h *Hasher) Verify(ctx context.Context, encoded, pw string) error {
	target := encoded
	if target == "" {
		target = h.dummy
	}
	p, salt, want, err := decode(target)
	if err != nil {
		return err
	}
	got, err := h.key(ctx, []byte(normalize(pw)), salt, p, uint32(len(want)))
	if err != nil {
		return err
	}
	if subtle.ConstantTimeCompare(got, want) != 1 || encoded == "" {
		return ErrMismatch
	}
	return nil
}

// NeedsRehash reports whether encoded was made with other parameters than
// the hasher's current ones.
func (h *Hasher) NeedsRehash(encoded string) bool {
	p, salt, key, err := decode(encoded)
	if err != nil {
		return true
	}
	return p.MemoryKiB != h.params.MemoryKiB || p.Iterations != h.params.Iterations ||
		p.Parallelism != h.params.Parallelism || len(salt) != h.params.SaltLen || len(key) != int(h.params.KeyLen)
}

func (h *Hasher) encode(salt, key []byte, p Params) string {
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.MemoryKiB, p.Iterations, p.Parallelism,
		b64.EncodeToString(salt), b64.EncodeToString(key))
}

func decode(encoded string) (Params, []byte, []byte, error) {
	var p Params
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return p, nil, nil, ErrMalformed
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return p, nil, nil, ErrMalformed
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.MemoryKiB, &p.Iterations, &p.Parallelism); err != nil {
		return p, nil, nil, ErrMalformed
	}
	if p.MemoryKiB < 8 || p.Iterations < 1 || p.Parallelism < 1 || p.MemoryKiB > 4<<20 || p.Iterations > 100 {
		return p, nil, nil, ErrMalformed
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil || len(salt) < 8 {
		return p, nil, nil, ErrMalformed
	}
	key, err := b64.DecodeString(parts[5])
	if err != nil || len(key) < 16 {
		return p, nil, nil, ErrMalformed
	}
	p.SaltLen, p.KeyLen = len(salt), uint32(len(key))
	return p, salt, key, nil
}

// normalize applies Unicode NFKC (NIST SP 800-63B §5.1.1.2), so a password
// typed as composed or decomposed characters (ä vs a + ¨) is the same
// password on every keyboard and operating system.
func normalize(pw string) string { return norm.NFKC.String(pw) }
