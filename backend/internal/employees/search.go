package employees

import (
	"encoding/binary"
	"slices"
	"strings"
	"unicode"

	"github.com/google/uuid"
	"golang.org/x/text/unicode/norm"

	"github.com/zeugo/zeugo/backend/internal/keyring"
)

// Search on ciphertext (docs/security.md §1.11). Names are stored encrypted,
// so the database cannot compare them; instead every employee row carries
// name_tokens: for every word of the first and last name, normalised
// (NormalizeName), the keyed MAC of each prefix of 2 to maxPrefix
// characters, cut to 8 bytes. A search word is normalised the same way and
// must equal one of a row's tokens, so "mül", "Muel" and "MÜLLER" all find
// "Müller" and "Mueller" — through a GIN index, without decrypting a row.
// The tenant id is part of every MAC, so equal names in two tenants give
// different tokens.
const (
	minPrefix = 2
	maxPrefix = 24
	// maxQueryWords bounds a search: more words than a name has only
	// narrows nothing.
	maxQueryWords = 6
)

const (
	purposeName      = "employee.name"
	purposePersonnel = "employee.personnel_number"
)

var folds = map[rune]string{'ä': "ae", 'ö': "oe", 'ü': "ue", 'ß': "ss", 'æ': "ae", 'œ': "oe", 'ø': "o", 'ł': "l", 'đ': "d", 'þ': "th"}

// NormalizeName folds a name for comparison: lower case, ä/ö/ü → ae/oe/ue,
// ß → ss, other accents dropped (é → e), and every run of characters that
// are not letters or digits (spaces, hyphens, apostrophes) one word break.
// It returns the words.
func NormalizeName(s string) []string {
	var words []string
	var b strings.Builder
	flush := func() {
		if b.Len() > 0 {
			words = append(words, b.String())
			b.Reset()
		}
	}
	// NFC first, so "u" + combining diaeresis folds like "ü".
	for _, r := range norm.NFC.String(strings.ToLower(s)) {
		if f, ok := folds[r]; ok {
			b.WriteString(f)
			continue
		}
		if unicode.Is(unicode.M, r) {
			continue // a mark NFC could not compose belongs to its word (शर्मा)
		}
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			flush()
			continue
		}
		// Decomposed: accents drop, and a base letter folds too (ǿ → ø → o).
		// Every mark drops, spacing ones too (Balinese ᬈ → ᬇ + ᬵ).
		for _, d := range norm.NFD.String(string(r)) {
			if f, ok := folds[d]; ok {
				b.WriteString(f)
			} else if unicode.IsLetter(d) || unicode.IsDigit(d) {
				b.WriteRune(d)
			}
		}
	}
	flush()
	return words
}

// nameTokens are the blind-index tokens of a person's names, each once and
// sorted: the array's order would otherwise tell a database reader which
// token is which prefix length of which word (docs/security.md §1.11).
func nameTokens(idx *keyring.IndexKey, tenantID uuid.UUID, names ...string) []int64 {
	seen := map[int64]bool{}
	out := []int64{}
	for _, n := range names {
		for _, w := range NormalizeName(n) {
			r := []rune(w)
			for l := minPrefix; l <= min(len(r), maxPrefix); l++ {
				t := token(idx, tenantID, string(r[:l]))
				if !seen[t] {
					seen[t] = true
					out = append(out, t)
				}
			}
		}
	}
	slices.Sort(out)
	return out
}

// queryTokens are the tokens a search text must all match, or nil when no
// word is long enough to search for. A word longer than maxPrefix is cut,
// as its prefix is what the row stores.
func queryTokens(idx *keyring.IndexKey, tenantID uuid.UUID, q string) []int64 {
	var out []int64
	for _, w := range NormalizeName(q) {
		r := []rune(w)
		if len(r) < minPrefix {
			continue
		}
		out = append(out, token(idx, tenantID, string(r[:min(len(r), maxPrefix)])))
		if len(out) == maxQueryWords {
			break
		}
	}
	return out
}

func token(idx *keyring.IndexKey, tenantID uuid.UUID, prefix string) int64 {
	sum := idx.Sum(purposeName, tenantID.String()+"\x00"+prefix)
	return int64(binary.BigEndian.Uint64(sum[:8]))
}

// NormalizePersonnelNumber is the form a personnel number is compared in:
// trimmed, upper case (HR systems differ in the case of letters in them).
func NormalizePersonnelNumber(s string) string {
	return strings.ToUpper(strings.TrimSpace(s))
}

// personnelIndex is the blind index of a personnel number in a tenant.
func personnelIndex(idx *keyring.IndexKey, tenantID uuid.UUID, pn string) []byte {
	return idx.Sum(purposePersonnel, tenantID.String()+"\x00"+NormalizePersonnelNumber(pn))
}
