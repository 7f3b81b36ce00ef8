package password

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/zeugo/zeugo/backend/internal/apperr"
)

// The limits every tenant's policy lives within (SPEC §3.1, ASVS V6.2).
const (
	// MaxBytes bounds a password: it only limits the hashing work one
	// request can cause, and leaves room for at least 64 characters of
	// any script (4 bytes each at most).
	MaxBytes = 1024
	// MinLengthFloor and MinLengthCeiling bound a tenant's minimum length
	// (the database checks the same bounds).
	MinLengthFloor   = 8
	MinLengthCeiling = 128
	// minNameLen: names and email parts shorter than this are not looked
	// for in a password ("Li", "Bo" would refuse too many passwords).
	minNameLen = 3
)

// Rule ids of the violations: stable, translated by the clients
// (validation.rule.password.* in the SPA).
const (
	RuleMinLen       = "password.min_len"
	RuleMaxBytes     = "password.max_bytes"
	RuleComposition  = "password.composition"
	RuleBreached     = "password.breached"
	RuleContainsName = "password.contains_name"
)

// Policy is a tenant's password policy.
//
// Length is counted in Unicode code points of the NFKC form of the
// password — the form that is hashed (see normalize) — so "é" typed as one
// or as two code points counts the same, and a character outside the
// Basic Multilingual Plane counts as one. Any Unicode is allowed.
type Policy struct {
	// MinLength is the minimum number of characters (8–128).
	MinLength int
	// Composition requires a lower-case and an upper-case letter, a digit
	// and a character that is neither letter nor digit. Letters of scripts
	// without case satisfy neither letter class; a tenant whose people
	// use such scripts switches Composition off.
	Composition bool
}

// DefaultPolicy is SPEC §3.1's default.
var DefaultPolicy = Policy{MinLength: MinLengthFloor, Composition: true}

// Person is whose password is checked: a password must not contain the
// first name, the last name or the local part of the email address, nor
// the name of the tenant (the employer: the most obvious context word,
// ASVS V6.2.11; legal forms such as GmbH are ignored).
type Person struct {
	FirstName, LastName, Email string
	Tenant                     string
}

// Violation is one broken rule, with texts a person can read.
type Violation struct {
	Rule string
	// EN and DE explain the rule; EN is what the API returns (clients
	// translate by Rule), DE is for German-speaking clients without their
	// own texts (zeugoctl) and documents the intended wording.
	EN, DE string
}

// Check returns the rules pw breaks, in a fixed order (length, bytes,
// composition, breached, name); none when pw is acceptable.
func (p Policy) Check(pw string, who Person) []Violation {
	var out []Violation
	n := normalize(pw)
	if utf8.RuneCountInString(n) < p.MinLength {
		out = append(out, Violation{Rule: RuleMinLen,
			EN: fmt.Sprintf("the password must have at least %d characters", p.MinLength),
			DE: fmt.Sprintf("Das Passwort muss mindestens %d Zeichen lang sein.", p.MinLength)})
	}
	if len(pw) > MaxBytes {
		out = append(out, Violation{Rule: RuleMaxBytes,
			EN: fmt.Sprintf("the password must not be longer than %d bytes", MaxBytes),
			DE: fmt.Sprintf("Das Passwort darf höchstens %d Bytes lang sein.", MaxBytes)})
		return out // nothing more is computed on oversized input
	}
	if p.Composition && !composed(n) {
		out = append(out, Violation{Rule: RuleComposition,
			EN: "the password needs a lower-case letter, an upper-case letter, a digit and a special character",
			DE: "Das Passwort braucht einen Klein- und einen Großbuchstaben, eine Ziffer und ein Sonderzeichen."})
	}
	lower := strings.ToLower(n)
	if Common(lower) {
		out = append(out, Violation{Rule: RuleBreached,
			EN: "the password is too common: it is on a list of common or breached passwords",
			DE: "Das Passwort ist zu verbreitet: Es steht auf einer Liste häufiger oder gestohlener Passwörter."})
	}
	if containsName(lower, who) {
		out = append(out, Violation{Rule: RuleContainsName,
			EN: "the password must not contain your name, your email address or your company's name",
			DE: "Das Passwort darf weder Ihren Namen noch Ihre E-Mail-Adresse oder den Namen Ihres Unternehmens enthalten."})
	}
	return out
}

// Error turns violations into the API's InvalidArgument with one field
// violation per broken rule on field; nil when there are none.
func Error(field string, vs []Violation) error {
	if len(vs) == 0 {
		return nil
	}
	e := &apperr.Error{Code: apperr.InvalidArgument, Message: vs[0].EN}
	for _, v := range vs {
		e.Violations = append(e.Violations, apperr.FieldViolation{Field: field, RuleID: v.Rule, Message: v.EN})
	}
	return e
}

// composed reports whether s has a lower-case letter, an upper-case letter,
// a digit and a character that is neither letter nor digit.
func composed(s string) bool {
	var lower, upper, digit, other bool
	for _, r := range s {
		switch {
		case unicode.IsLower(r):
			lower = true
		case unicode.IsUpper(r):
			upper = true
		case unicode.IsDigit(r):
			digit = true
		case !unicode.IsLetter(r) && !unicode.IsNumber(r):
			other = true
		}
	}
	return lower && upper && digit && other
}

// containsName reports whether the lower-cased password contains a part of
// the person's name or email local part (at least minNameLen characters),
// also after undoing common character substitutions (m4x → max).
func containsName(lower string, who Person) bool {
	parts := nameParts(who)
	if len(parts) == 0 {
		return false
	}
	for _, cand := range []string{lower, unLeet(lower, 'i'), unLeet(lower, 'l')} {
		for _, part := range parts {
			if strings.Contains(cand, part) {
				return true
			}
		}
	}
	return false
}

// nameParts are the lower-cased, NFKC-normalised names to look for: each
// name whole and split at spaces, hyphens and apostrophes; the email's
// local part whole and split at dots, hyphens, underscores and plus signs.
func nameParts(who Person) []string {
	var parts []string
	add := func(s string, seps string) {
		s = strings.ToLower(normalize(strings.TrimSpace(s)))
		if utf8.RuneCountInString(s) >= minNameLen {
			parts = append(parts, s)
		}
		for _, f := range strings.FieldsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || strings.ContainsRune(seps, r) }) {
			if f != s && utf8.RuneCountInString(f) >= minNameLen {
				parts = append(parts, f)
			}
		}
	}
	add(who.FirstName, "-'’")
	add(who.LastName, "-'’")
	if local, _, ok := strings.Cut(who.Email, "@"); ok {
		add(local, ".-_+")
	}
	for _, w := range strings.FieldsFunc(strings.ToLower(normalize(who.Tenant)), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}) {
		if !legalForms[w] && utf8.RuneCountInString(w) >= minNameLen {
			parts = append(parts, w)
		}
	}
	return parts
}

// legalForms are the words of company names that are no context.
var legalForms = map[string]bool{"gmbh": true, "mbh": true, "ohg": true, "gbr": true, "und": true, "co": true,
	"kgaa": true, "partg": true, "ltd": true, "inc": true, "llc": true, "the": true}
