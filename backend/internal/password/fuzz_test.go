package password

import "testing"

// FuzzDecode: a stored hash string never makes the parser panic, and what
// it accepts has sane cost parameters (no memory bomb from a forged row).
func FuzzDecode(f *testing.F) {
	f.Add("$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g")
	f.Add("$argon2id$v=19$m=999999999,t=2,p=1$AA$AA")
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		p, salt, key, err := decode(s)
		if err != nil {
			return
		}
		if p.MemoryKiB > 4<<20 || p.Iterations > 100 || p.Parallelism < 1 || len(salt) < 8 || len(key) < 16 {
			t.Fatalf("accepted unsafe parameters %+v from %q", p, s)
		}
	})
}
