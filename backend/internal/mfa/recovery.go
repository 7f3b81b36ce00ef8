package mfa

import (
	"crypto/rand"
	"strings"

	"github.com/google/uuid"

	"github.com/zeugo/zeugo/backend/internal/keyring"
)

// RecoveryCodeCount is the size of a set of recovery codes.
const RecoveryCodeCount = 10

// Recovery codes are 24 characters of Crockford's base32 (120 random
// bits), shown in groups of four: XXXX-XXXX-XXXX-XXXX-XXXX-XXXX. With at
// least 112 bits a keyed hash is an approved way to store them (ASVS
// V6.5.2); a password hash would cost a verification per stored code at
// every use. Reading them back, case, spaces and dashes do not matter,
// and I, L and O read as 1, 1 and 0.
const (
	recoveryAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
	recoveryLen      = 24
)

// newRecoveryCodes makes a set of codes.
func newRecoveryCodes() []string {
	codes := make([]string, RecoveryCodeCount)
	buf := make([]byte, recoveryLen)
	for i := range codes {
		_, _ = rand.Read(buf) // crypto/rand.Read never fails (Go 1.24+)
		var b strings.Builder
		for j, c := range buf {
			if j > 0 && j%4 == 0 {
				b.WriteByte('-')
			}
			b.WriteByte(recoveryAlphabet[c&31])
		}
		codes[i] = b.String()
	}
	return codes
}

// normalizeRecoveryCode is the canonical form of a typed code, or "" when
// it cannot be one.
func normalizeRecoveryCode(s string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		switch {
		case r == '-' || r == ' ':
			continue
		case r == 'I' || r == 'L':
			r = '1'
		case r == 'O':
			r = '0'
		}
		if r > 127 || !strings.ContainsRune(recoveryAlphabet, r) {
			return ""
		}
		b.WriteRune(r)
	}
	if b.Len() != recoveryLen {
		return ""
	}
	return b.String()
}

// recoveryMAC is what is stored of a code: a MAC under the platform's index
// key (not in the database), bound to the user, so a copy of the table
// neither reveals codes nor lets one be tried offline.
func recoveryMAC(index *keyring.IndexKey, userID uuid.UUID, normalized string) []byte {
	return index.Sum("recovery-code", userID.String()+":"+normalized)
}
