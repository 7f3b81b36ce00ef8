package password

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"io"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// common.txt.gz is the list of common passwords and words a password must
// not be (built by scripts/password-list.mjs; sources and licences in
// docs/security.md): about 230,000 NFKC-normalised, lower-cased entries of
// at least 4 characters, sorted by byte order, one per line — breached
// passwords, common German and English words, first and last names, and
// common German passwords.
//
//go:embed common.txt.gz
var commonGz []byte

// minCommonLen: shorter stems are not looked up (the list has none).
const minCommonLen = 4

var common struct {
	once sync.Once
	data string   // every entry followed by '\n'
	offs []uint32 // start of each entry in data
}

func loadCommon() {
	zr, err := gzip.NewReader(bytes.NewReader(commonGz))
	if err != nil {
		panic("password: embedded list: " + err.Error())
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		panic("password: embedded list: " + err.Error())
	}
	common.data = string(raw)
	offs := make([]uint32, 0, bytes.Count(raw, []byte{'\n'}))
	for start := 0; start < len(raw); {
		offs = append(offs, uint32(start))
		end := bytes.IndexByte(raw[start:], '\n')
		if end < 0 {
			break
		}
		start += end + 1
	}
	common.offs = offs
}

// CommonSize is the number of entries of the list.
func CommonSize() int {
	common.once.Do(loadCommon)
	return len(common.offs)
}

func listed(s string) bool {
	if utf8.RuneCountInString(s) < minCommonLen {
		return false
	}
	common.once.Do(loadCommon)
	entry := func(i int) string {
		start := common.offs[i]
		end := strings.IndexByte(common.data[start:], '\n')
		return common.data[start : int(start)+end]
	}
	i := sort.Search(len(common.offs), func(i int) bool { return entry(i) >= s })
	return i < len(common.offs) && entry(i) == s
}

// Common reports whether the lower-cased, NFKC-normalised password lower is
// a common password or word, also when it is one with digits or special
// characters around it ("Passwort2024!"), or with common character
// substitutions ("P@ssw0rd", "$ommer").
func Common(lower string) bool {
	for _, v := range []string{lower, unLeet(lower, 'i'), unLeet(lower, 'l'),
		unLeet(trimDigits(lower), 'i'), unLeet(trimDigits(lower), 'l')} {
		if listed(v) || listed(trimNonLetters(v)) {
			return true
		}
	}
	return false
}

// unLeet undoes the common substitutions of letters by digits and signs;
// one is what "1" stands for ('i' or 'l').
func unLeet(s string, one rune) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case '0':
			return 'o'
		case '1':
			return one
		case '3':
			return 'e'
		case '4', '@':
			return 'a'
		case '5', '$':
			return 's'
		case '7', '+':
			return 't'
		case '8':
			return 'b'
		case '9':
			return 'g'
		case '!':
			return 'i'
		case '|':
			return 'l'
		}
		return r
	}, s)
}

// trimNonLetters removes everything that is not a letter from both ends.
func trimNonLetters(s string) string {
	return strings.TrimFunc(s, func(r rune) bool { return !unicode.IsLetter(r) })
}

// trimDigits removes digits and signs from both ends, except the signs
// that stand for letters ($ommer, @nna).
func trimDigits(s string) string {
	return strings.TrimFunc(s, func(r rune) bool {
		return !unicode.IsLetter(r) && r != '$' && r != '@' && r != '|'
	})
}
