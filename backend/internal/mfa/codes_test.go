package mfa

import (
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/pquerna/otp/totp"

	"github.com/zeugo/zeugo/backend/internal/keyring"
)

func TestMatchTOTP(t *testing.T) {
	secret, _, err := newTOTPSecret("Zeugo (Alpha AG)", "anna@alpha.example")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Unix(1_800_000_000, 0)
	at := func(d time.Duration) string {
		c, err := totp.GenerateCodeCustom(secret, now.Add(d), totpOpts)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	step := now.Unix() / totpPeriod
	for _, tc := range []struct {
		name     string
		code     string
		lastStep int64
		want     int64
	}{
		{"current step", at(0), 0, step},
		{"previous step (skew)", at(-30 * time.Second), 0, step - 1},
		{"next step (skew)", at(30 * time.Second), 0, step + 1},
		{"two steps back", at(-60 * time.Second), 0, 0},
		{"two steps ahead", at(60 * time.Second), 0, 0},
		{"current step already used", at(0), step, 0},
		{"previous step after the current was used", at(-30 * time.Second), step, 0},
		{"next step after the current was used", at(30 * time.Second), step, step + 1},
	} {
		got, ok := matchTOTP(secret, tc.code, now, tc.lastStep)
		if ok != (tc.want != 0) || got != tc.want {
			// With a random secret, a refused step's code equals an
			// accepted step's by chance about once in 300,000 draws.
			if tc.want == 0 && (tc.code == at(0) || tc.code == at(-30*time.Second) || tc.code == at(30*time.Second)) {
				continue
			}
			t.Errorf("%s: got %d %v, want %d", tc.name, got, ok, tc.want)
		}
	}
	if _, ok := matchTOTP(secret, "12345", now, 0); ok {
		t.Error("a five-digit code matched")
	}
}

func TestIssuerLabel(t *testing.T) {
	for in, want := range map[string]string{"Alpha AG": "Zeugo (Alpha AG)", "Ärger: GmbH": "Zeugo (Ärger  GmbH)", "  ": "Zeugo"} {
		if got := issuerLabel(in); got != want {
			t.Errorf("issuerLabel(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRecoveryCodeFormat(t *testing.T) {
	codes := newRecoveryCodes()
	seen := map[string]bool{}
	for _, c := range codes {
		if len(c) != 29 || strings.Count(c, "-") != 5 {
			t.Fatalf("code %q is not XXXX-XXXX-XXXX-XXXX-XXXX-XXXX", c)
		}
		n := normalizeRecoveryCode(c)
		if n == "" || seen[n] {
			t.Fatalf("code %q normalizes to %q (seen %v)", c, n, seen[n])
		}
		seen[n] = true
	}
	if len(codes) != RecoveryCodeCount {
		t.Fatalf("%d codes", len(codes))
	}
	for in, want := range map[string]string{
		"abcd-efgh-jkmn-pqrs-tvwx-yz01":  "ABCDEFGHJKMNPQRSTVWXYZ01",
		"ABCD EFGH JKMN PQRS TVWX YZ01":  "ABCDEFGHJKMNPQRSTVWXYZ01",
		"oilo-0000-1111-2222-3333-4444":  "011000001111222233334444",
		"abcd-efgh-jkmn-pqrs-tvwx-yz0":   "",
		"abcd-efgh-jkmn-pqrs-tvwx-yz01x": "",
		"abcd-efgh-jkmn-pqrs-tvwx-yz0U":  "", // U is not in the alphabet
		"abcd-efgh-jkmn-pqrs-tvwx-yz0é":  "",
	} {
		if got := normalizeRecoveryCode(in); got != want {
			t.Errorf("normalizeRecoveryCode(%q) = %q, want %q", in, got, want)
		}
	}
	// The MAC binds the code to its user.
	idx := keyring.NewIndexKey(keyring.NewKey())
	a, b := uuid.New(), uuid.New()
	if string(recoveryMAC(idx, a, "ABCDEFGHJKMNPQRSTVWXYZ01")) == string(recoveryMAC(idx, b, "ABCDEFGHJKMNPQRSTVWXYZ01")) {
		t.Fatal("one code has one MAC for two users")
	}
}

// FuzzNormalizeRecoveryCode: whatever is typed, the result is empty or a
// canonical code that normalizes to itself.
func FuzzNormalizeRecoveryCode(f *testing.F) {
	for _, s := range []string{"abcd-efgh-jkmn-pqrs-tvwx-yz01", "OIL0 0000 1111 2222 3333 4444", "", "ß", "------------------------"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := normalizeRecoveryCode(s)
		if n == "" {
			return
		}
		if len(n) != recoveryLen || normalizeRecoveryCode(n) != n {
			t.Fatalf("%q → %q", s, n)
		}
		for _, r := range n {
			if !strings.ContainsRune(recoveryAlphabet, r) {
				t.Fatalf("%q → %q has %q", s, n, r)
			}
		}
	})
}
