package employees

import (
	"strings"
	"time"

	"github.com/google/uuid"
)

// Column is one employee field as a column of a file: what an export
// writes and an import maps (the values follow zeugo.v1.ImportField).
type Column int

// Columns, in the order an export writes them.
const (
	ColNone Column = iota
	ColPersonnelNumber
	ColSalutation
	ColFirstName
	ColLastName
	ColTitle
	ColBirthDate
	ColBirthplace
	ColStreet
	ColPostcode
	ColCity
	ColEmail
	ColCompany
	ColLocation
	ColDepartment
	ColOrgUnit
	ColEmployeeType
	ColEntryDate
	ColExitDate
	ColJobTitle
	ColTasks
	colCount
)

// ColumnInfo names a column: the German header an export writes (and an
// import recognises, with the English one and the JSON key).
type ColumnInfo struct {
	DE, EN, JSON string
}

// Columns describes every column, indexed by Column.
var Columns = [colCount]ColumnInfo{
	ColPersonnelNumber: {"Personalnummer", "Personnel number", "personnelNumber"},
	ColSalutation:      {"Anrede", "Salutation", "salutation"},
	ColFirstName:       {"Vorname", "First name", "firstName"},
	ColLastName:        {"Nachname", "Last name", "lastName"},
	ColTitle:           {"Titel", "Title", "title"},
	ColBirthDate:       {"Geburtsdatum", "Birth date", "birthDate"},
	ColBirthplace:      {"Geburtsort", "Birthplace", "birthplace"},
	ColStreet:          {"Straße", "Street", "street"},
	ColPostcode:        {"PLZ", "Postcode", "postcode"},
	ColCity:            {"Ort", "City", "city"},
	ColEmail:           {"E-Mail", "Email", "email"},
	ColCompany:         {"Unternehmen", "Company", "company"},
	ColLocation:        {"Standort", "Location", "location"},
	ColDepartment:      {"Abteilung", "Department", "department"},
	ColOrgUnit:         {"Organisationseinheit", "Organisational unit", "orgUnit"},
	ColEmployeeType:    {"Mitarbeitertyp", "Employee type", "employeeType"},
	ColEntryDate:       {"Eintrittsdatum", "Entry date", "entryDate"},
	ColExitDate:        {"Austrittsdatum", "Exit date", "exitDate"},
	ColJobTitle:        {"Position", "Job title", "jobTitle"},
	ColTasks:           {"Aufgaben", "Tasks", "tasks"},
}

// salutationDE is how a file writes a salutation.
var salutationDE = map[string]string{SalutationHerr: "Herr", SalutationFrau: "Frau", SalutationDivers: "divers"}

// germanDate writes a date as German spreadsheets do (TT.MM.JJJJ).
func germanDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("02.01.2006")
}

// TaskSeparator joins tasks in one cell.
const TaskSeparator = " | "

// Value is the text of column c for e; names resolves organisation ids.
// Dates are German (TT.MM.JJJJ) unless iso.
func (c Column) Value(e *Employee, names map[uuid.UUID]string, iso bool) string {
	f := &e.Fields
	date := germanDate
	if iso {
		date = FormatDate
	}
	switch c {
	case ColPersonnelNumber:
		return f.PersonnelNumber
	case ColSalutation:
		return salutationDE[f.Salutation]
	case ColFirstName:
		return f.FirstName
	case ColLastName:
		return f.LastName
	case ColTitle:
		return f.Title
	case ColBirthDate:
		return date(f.BirthDate)
	case ColBirthplace:
		return f.Birthplace
	case ColStreet:
		return f.Street
	case ColPostcode:
		return f.Postcode
	case ColCity:
		return f.City
	case ColEmail:
		return f.Email
	case ColCompany:
		return names[f.CompanyID]
	case ColLocation:
		return names[f.LocationID]
	case ColDepartment:
		return names[f.DepartmentID]
	case ColOrgUnit:
		return names[f.OrgUnitID]
	case ColEmployeeType:
		return names[f.EmployeeTypeID]
	case ColEntryDate:
		return date(f.EntryDate)
	case ColExitDate:
		return date(f.ExitDate)
	case ColJobTitle:
		return f.JobTitle
	case ColTasks:
		return strings.Join(f.Tasks, TaskSeparator)
	}
	return ""
}

// NeutralizeFormula makes a cell safe to open in a spreadsheet (CSV
// injection, OWASP): a value that starts with =, +, -, @, a tab or a
// carriage return would run as a formula, so it gets a leading apostrophe,
// which spreadsheets show as text and do not evaluate.
func NeutralizeFormula(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}
