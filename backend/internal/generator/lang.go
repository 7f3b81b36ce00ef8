package generator

import (
	"fmt"
	"strings"

	"github.com/zeugo/zeugo/backend/internal/catalog"
)

var monthsDe = [...]string{"Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"}
var monthsEn = [...]string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}

// FormatDate writes a date as a reference does: "1. März 2024" in German,
// "1 March 2024" in English.
func FormatDate(d Date, lang string) string {
	if d.IsZero() {
		return ""
	}
	if lang == "en" {
		return fmt.Sprintf("%d %s %d", d.Day(), monthsEn[d.Month()-1], d.Year())
	}
	return fmt.Sprintf("%d. %s %d", d.Day(), monthsDe[d.Month()-1], d.Year())
}

// formatMonth writes "März 2024" / "March 2024" for station periods.
func formatMonth(d Date, lang string) string {
	if lang == "en" {
		return fmt.Sprintf("%s %d", monthsEn[d.Month()-1], d.Year())
	}
	return fmt.Sprintf("%s %d", monthsDe[d.Month()-1], d.Year())
}

func joinNonEmpty(parts ...string) string {
	var out []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, " ")
}

// nameForms returns the name and pronoun variables for the person.
//
// German: FullName "Frau Dr. Anna Schmitt", Name "Frau Dr. Schmitt", NameD
// (dative/accusative) "Herrn Dr. Schmitt"; Er/er/ihn/ihm the pronouns. For
// divers and no salutation all of them are the first and last name, so the
// text needs no gendered word.
//
// English: FullName "Ms Anna Smith" (a title replaces Mr/Ms: "Dr. Anna
// Smith"), Name "Ms Smith", He/he/him/his/His; neutral forms use the name
// for subjects where a verb must agree, "them"/"their"/"Their" for object
// and possessive.
func nameForms(p Person, lang string) map[string]string {
	first, last, title := strings.TrimSpace(p.FirstName), strings.TrimSpace(p.LastName), strings.TrimSpace(p.Title)
	plain := joinNonEmpty(first, last)
	g := p.Salutation.Gender()
	v := map[string]string{}
	if lang == "en" {
		var full, ref string
		switch {
		case g == catalog.Neutral:
			full, ref = joinNonEmpty(title, first, last), plain
		case title != "":
			full, ref = joinNonEmpty(title, first, last), joinNonEmpty(title, last)
		default:
			sal := map[catalog.Gender]string{catalog.Masculine: "Mr", catalog.Feminine: "Ms"}[g]
			full, ref = joinNonEmpty(sal, first, last), joinNonEmpty(sal, last)
		}
		v["FullName"], v["Name"], v["NameD"] = full, ref, ref
		switch g {
		case catalog.Masculine:
			v["He"], v["he"], v["him"], v["his"], v["His"] = "He", "he", "him", "his", "His"
		case catalog.Feminine:
			v["He"], v["he"], v["him"], v["his"], v["His"] = "She", "she", "her", "her", "Her"
		default:
			// The name where a verb must agree or a sentence starts; the
			// ungendered "their"/"them" as possessive and object, which
			// need no agreement and spare the reader the name three times.
			v["He"], v["he"], v["him"], v["his"], v["His"] = ref, ref, "them", "their", "Their"
		}
		// German pronoun slots are not used in English templates but must exist.
		v["Er"], v["er"], v["ihn"], v["ihm"] = v["He"], v["he"], v["him"], v["him"]
		return v
	}
	switch g {
	case catalog.Masculine:
		v["FullName"] = joinNonEmpty("Herr", title, first, last)
		v["Name"] = joinNonEmpty("Herr", title, last)
		v["NameD"] = joinNonEmpty("Herrn", title, last)
		v["Er"], v["er"], v["ihn"], v["ihm"] = "Er", "er", "ihn", "ihm"
	case catalog.Feminine:
		v["FullName"] = joinNonEmpty("Frau", title, first, last)
		v["Name"] = joinNonEmpty("Frau", title, last)
		v["NameD"] = v["Name"]
		v["Er"], v["er"], v["ihn"], v["ihm"] = "Sie", "sie", "sie", "ihr"
	default:
		v["FullName"] = joinNonEmpty(title, first, last)
		v["Name"], v["NameD"] = plain, plain
		v["Er"], v["er"], v["ihn"], v["ihm"] = plain, plain, plain, plain
	}
	v["He"], v["he"], v["him"], v["his"], v["His"] = v["Er"], v["er"], v["ihn"], v["ihm"], v["Er"]
	return v
}

// joinList joins "a", "b" and "c" as "a, b und c" / "a, b and c".
func joinList(items []string, and string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + and + items[len(items)-1]
}

var numbersDe = [...]string{"null", "eine", "zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun", "zehn", "elf", "zwölf"}
var numbersEn = [...]string{"no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"}

// numberWord writes small numbers as words, as formal letters do ("sieben
// Mitarbeitende"); larger ones as digits with the language's separator.
func numberWord(n int, lang string) string {
	if n >= 0 && n <= 12 {
		if lang == "en" {
			return numbersEn[n]
		}
		return numbersDe[n]
	}
	return formatCount(n, lang)
}

// withArticle puts the indefinite article before an English job title
// ("a Software Developer", "an HR Officer"); titles of a single head role
// ("Head of …", "Managing Director") and German take none.
func withArticle(title, lang string) string {
	if lang != "en" || title == "" {
		return title
	}
	for _, p := range []string{"Head of", "Chief ", "Managing Director", "Director of"} {
		if strings.HasPrefix(title, p) {
			return title
		}
	}
	first := strings.Fields(title)[0]
	an := strings.ContainsRune("AEIOUaeiou", rune(first[0]))
	if len(first) > 1 && strings.ToUpper(first) == first {
		// an acronym is read letter by letter: "an HR Officer", "an IT Specialist"
		an = strings.ContainsRune("AEFHILMNORSX", rune(first[0]))
	}
	if an {
		return "an " + title
	}
	return "a " + title
}
