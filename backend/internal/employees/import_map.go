package employees

import (
	"encoding/json"
	"strings"
)

// MappedColumn maps one column of an import file to a field (ColNone:
// not imported).
type MappedColumn struct {
	Index  int    `json:"index"`
	Header string `json:"header"`
	Field  Column `json:"field"`
}

// headerKey folds a header for comparison: NormalizeName's words (lower
// case, umlauts folded, punctuation dropped) joined, so "Pers.-Nr.",
// "pers nr" and "PersNr" are all "persnr".
func headerKey(h string) string { return strings.Join(NormalizeName(h), "") }

// synonyms are further headers (as headerKey folds them) that name a
// column, besides its German, English and JSON names.
var synonyms = map[Column][]string{
	ColPersonnelNumber: {"personalnr", "persnr", "persno", "pnr", "personalnummer", "mitarbeiternummer", "mitarbeiternr",
		"manr", "mitarbnr", "employeenumber", "employeeno", "employeeid", "staffnumber", "staffno", "personnelno", "personnelid"},
	ColSalutation: {"anrede", "salutation", "anredeform"},
	ColFirstName:  {"vorname", "vornamen", "rufname", "firstname", "givenname", "forename"},
	ColLastName:   {"nachname", "name", "familienname", "zuname", "lastname", "surname", "familyname"},
	ColTitle:      {"titel", "akademischertitel", "akademischergrad", "title"},
	ColBirthDate:  {"geburtsdatum", "gebdatum", "geburtstag", "geboren", "geboram", "birthdate", "dateofbirth", "dob"},
	ColBirthplace: {"geburtsort", "gebort", "birthplace", "placeofbirth"},
	ColStreet: {"strasse", "str", "strassehausnummer", "strasseundhausnummer", "strassenr", "strassehausnr", "anschrift",
		"adresse", "street", "address", "streetaddress"},
	ColPostcode:   {"plz", "postleitzahl", "postcode", "zip", "zipcode", "postalcode"},
	ColCity:       {"ort", "wohnort", "stadt", "city", "town"},
	ColEmail:      {"email", "emailadresse", "mail", "mailadresse", "emailaddress"},
	ColCompany:    {"unternehmen", "firma", "gesellschaft", "arbeitgeber", "mandant", "company", "employer"},
	ColLocation:   {"standort", "niederlassung", "arbeitsort", "location", "site"},
	ColDepartment: {"abteilung", "department", "dept"},
	ColOrgUnit: {"organisationseinheit", "orgeinheit", "oe", "bereich", "team", "orgunit", "organisationalunit",
		"organizationalunit"},
	ColEmployeeType: {"mitarbeitertyp", "mitarbeitergruppe", "mitarbeiterart", "beschaeftigungsart", "personengruppe",
		"beschaeftigtengruppe", "employeetype", "employeegroup"},
	ColEntryDate: {"eintrittsdatum", "eintritt", "eintrittam", "beschaeftigtseit", "beginn", "entrydate", "startdate",
		"hiredate", "dateofhire", "dateofentry"},
	ColExitDate: {"austrittsdatum", "austritt", "austrittam", "ende", "exitdate", "enddate", "terminationdate",
		"leavingdate"},
	ColJobTitle: {"position", "stelle", "stellenbezeichnung", "taetigkeit", "funktion", "berufsbezeichnung", "jobtitle",
		"job"},
	ColTasks: {"aufgaben", "taetigkeiten", "aufgabengebiete", "aufgabenbereiche", "tasks", "duties", "responsibilities"},
}

// headerColumns is every known header key → column.
var headerColumns = func() map[string]Column {
	m := map[string]Column{}
	for c := ColPersonnelNumber; c < colCount; c++ {
		for _, h := range []string{Columns[c].DE, Columns[c].EN, Columns[c].JSON} {
			m[headerKey(h)] = c
		}
		for _, h := range synonyms[c] {
			m[h] = c
		}
	}
	return m
}()

// guessMapping maps each header to the column it names; a column named
// twice is taken by its first header only.
func guessMapping(header []string) []MappedColumn {
	out := make([]MappedColumn, len(header))
	taken := map[Column]bool{}
	for i, h := range header {
		out[i] = MappedColumn{Index: i, Header: h}
		if c, ok := headerColumns[headerKey(h)]; ok && !taken[c] {
			out[i].Field, taken[c] = c, true
		}
	}
	return out
}

// sameHeaders reports whether a saved mapping was made for a file with
// these headers (in order, compared as headerKey folds them).
func sameHeaders(saved []MappedColumn, header []string) bool {
	if len(saved) != len(header) {
		return false
	}
	for i, c := range saved {
		if c.Index != i || headerKey(c.Header) != headerKey(header[i]) {
			return false
		}
	}
	return true
}

// decodeMapping reads a saved mapping (nil when it does not parse).
func decodeMapping(b []byte) []MappedColumn {
	var m []MappedColumn
	if json.Unmarshal(b, &m) != nil {
		return nil
	}
	for _, c := range m {
		if c.Field < ColNone || c.Field >= colCount {
			return nil
		}
	}
	return m
}

// resolveMapping is the mapping of every column of the file: the given
// one (columns the caller left out are not imported), else the saved one
// when it was made for these headers, else one guessed from the headers.
func resolveMapping(header []string, given, saved []MappedColumn) []MappedColumn {
	if len(given) > 0 {
		out := make([]MappedColumn, len(header))
		for i, h := range header {
			out[i] = MappedColumn{Index: i, Header: h}
		}
		for _, c := range given {
			if c.Index >= 0 && c.Index < len(out) && c.Field > ColNone && c.Field < colCount {
				out[c.Index].Field = c.Field
			}
		}
		return out
	}
	if saved != nil && sameHeaders(saved, header) {
		out := make([]MappedColumn, len(header))
		for i, h := range header {
			out[i] = MappedColumn{Index: i, Header: h, Field: saved[i].Field}
		}
		return out
	}
	return guessMapping(header)
}
