package employees

// The employee import (SPEC §4, issue 14): a CSV or .xlsx file becomes
// employees, all or nothing. PreviewImport reads and checks the file and
// stores nothing; CommitImport reads and checks it again — it never trusts
// a preview — and stores every row in one transaction, or nothing when a
// single problem remains (InvalidArgument).
//
// Lines: the header is line 1. For CSV a line is a physical line of the
// file, so a quoted cell with line breaks moves the following rows down (as
// an editor shows them); for .xlsx it is the sheet's row number (as Excel
// shows it).
//
// Audit: every created employee gets one employee.imported event (target:
// the employee), so the employee's GDPR export lists how they came in; every
// company or unit the import creates gets organization.company.created or
// organization.unit.created, as OrganizationService writes them. Details
// hold no personal data (the import's id only, which ties the events of one
// import together).

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"buf.build/go/protovalidate"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/zeugo/zeugo/backend/internal/access"
	"github.com/zeugo/zeugo/backend/internal/apperr"
	"github.com/zeugo/zeugo/backend/internal/employees/dbsqlc"
	"github.com/zeugo/zeugo/backend/internal/postgres"
	"github.com/zeugo/zeugo/backend/internal/uow"
)

// Bounds of what an import reports and how it stores.
const (
	// MaxImportProblems is the most problems a preview lists (all are
	// counted).
	MaxImportProblems = 1000
	// ImportSampleRows is how many rows a preview shows.
	ImportSampleRows = 20
	// importBatch is how many employees one round trip inserts, and how
	// often a commit reports progress.
	importBatch = 500
)

// Audit actions and targets of organisation rows an import creates (the
// values of package organization, which this package does not import).
const (
	actionCompanyCreated = "organization.company.created"
	actionUnitCreated    = "organization.unit.created"
	targetCompany        = "company"
	kindCompany          = "company"
)

// ImportOptions are the choices of the import wizard.
type ImportOptions struct {
	// Columns is the mapping; nil for the saved or guessed one.
	Columns []MappedColumn
	// CreateMissing creates companies and units the file names that do not
	// exist (otherwise each is a problem).
	CreateMissing bool
}

// ImportProblem is one thing wrong with a file. Line 0 is the whole file,
// Column -1 no column in particular.
type ImportProblem struct {
	Line, Column int
	Header       string
	Field        Column
	Code         string
	DE, EN       string
}

// ImportMissing is a company or unit a file names that does not exist.
type ImportMissing struct {
	Field Column
	Name  string
	Rows  int
}

// ImportPreview is what an import would do.
type ImportPreview struct {
	Encoding, Delimiter string
	Columns             []MappedColumn
	Rows                int
	Problems            []ImportProblem // at most MaxImportProblems
	ProblemCount        int
	Missing             []ImportMissing
	Sample              []Fields
	// Names are the organisation names of the sample by id (ids of units
	// still to be created are provisional).
	Names map[uuid.UUID]string
}

// ImportResult is what a commit stored.
type ImportResult struct {
	Created, UnitsCreated int
}

// newOrg is a company or unit an import creates.
type newOrg struct {
	id         uuid.UUID
	kind, name string
}

// importPlan is a checked file: the preview and the rows to store.
type importPlan struct {
	ImportPreview
	rows    []Fields
	newOrgs []newOrg
}

// orgColumns are the file columns that name organisation rows, with the
// kind they name.
var orgColumns = map[Column]string{ColCompany: kindCompany, ColLocation: kindLocation, ColDepartment: kindDepartment,
	ColOrgUnit: kindOrgUnit, ColEmployeeType: kindEmployeeType}

// orgNameMax is the longest name a company or unit may have (the tables'
// checks).
var orgNameMax = map[string]int{kindCompany: 200, kindLocation: 100, kindDepartment: 100, kindOrgUnit: 100,
	kindEmployeeType: 100}

// orgKey identifies an organisation row by kind and folded name.
type orgKey struct{ kind, name string }

func foldOrgName(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }

// loadOrgs reads the tenant's companies and units by kind and folded name.
func loadOrgs(ctx context.Context, db postgres.DBTX, tenantID uuid.UUID) (map[orgKey]uuid.UUID, map[uuid.UUID]string, error) {
	ids, names := map[orgKey]uuid.UUID{}, map[uuid.UUID]string{}
	rows, err := db.Query(ctx, `SELECT id, 'company', name FROM companies WHERE tenant_id = $1
		UNION ALL SELECT id, kind, name FROM org_units WHERE tenant_id = $1`, tenantID)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id uuid.UUID
		var kind, name string
		if err := rows.Scan(&id, &kind, &name); err != nil {
			return nil, nil, err
		}
		ids[orgKey{kind, foldOrgName(name)}], names[id] = id, name
	}
	return ids, names, rows.Err()
}

// planner checks one file.
type planner struct {
	s        *Service
	p        *access.Principal
	opts     ImportOptions
	t        *table
	cols     []MappedColumn
	colOf    map[Column]int // field → file column
	orgIDs   map[orgKey]uuid.UUID
	orgNames map[uuid.UUID]string
	missing  map[orgKey]*ImportMissing
	plan     *importPlan
}

// problem adds a problem at line about field c (its column, if mapped).
func (pl *planner) problem(line int, c Column, code, de, en string) {
	col, header := -1, ""
	if i, ok := pl.colOf[c]; ok {
		col, header = i, pl.cols[i].Header
	}
	pl.plan.Problems = append(pl.plan.Problems, ImportProblem{Line: line, Column: col, Header: header, Field: c,
		Code: code, DE: de, EN: en})
}

// label is how a message names field c: the file's header when mapped.
func (pl *planner) label(c Column) (de, en string) {
	if i, ok := pl.colOf[c]; ok && pl.cols[i].Header != "" {
		return pl.cols[i].Header, pl.cols[i].Header
	}
	return Columns[c].DE, Columns[c].EN
}

// prepareImport reads and checks a file for the caller; db is a read or
// the commit's transaction.
func (s *Service) prepareImport(ctx context.Context, db postgres.DBTX, p *access.Principal, name string, content []byte,
	opts ImportOptions) (*importPlan, error) {
	plan := &importPlan{ImportPreview: ImportPreview{Names: map[uuid.UUID]string{}}}
	t, err := readTable(name, content)
	var fp *fileProblem
	if errors.As(err, &fp) {
		plan.Problems = []ImportProblem{{Line: fp.line, Column: -1, Code: fp.code, DE: fp.de, EN: fp.en}}
		plan.ProblemCount = 1
		return plan, nil
	}
	if err != nil {
		return nil, err
	}
	plan.Encoding, plan.Delimiter, plan.Rows = t.encoding, t.delimiter, len(t.rows)
	var saved []MappedColumn
	b, err := s.q.ImportMapping(ctx, db, p.TenantID)
	switch {
	case err == nil:
		saved = decodeMapping(b)
	case !errors.Is(err, pgx.ErrNoRows):
		return nil, err
	}
	pl := &planner{s: s, p: p, opts: opts, t: t, plan: plan, colOf: map[Column]int{}, missing: map[orgKey]*ImportMissing{}}
	pl.cols = resolveMapping(t.header, opts.Columns, saved)
	plan.Columns = pl.cols
	if !pl.checkMapping() {
		pl.finish()
		return plan, nil
	}
	if pl.orgIDs, pl.orgNames, err = loadOrgs(ctx, db, p.TenantID); err != nil {
		return nil, err
	}
	pl.rows()
	if err := pl.stored(ctx, db); err != nil {
		return nil, err
	}
	pl.finish()
	return plan, nil
}

// checkMapping refuses a mapping that fills a field twice or leaves a
// required field out; false when no row can be read.
func (pl *planner) checkMapping() bool {
	ok := true
	for i, c := range pl.cols {
		if c.Field == ColNone {
			continue
		}
		if first, dup := pl.colOf[c.Field]; dup {
			pl.plan.Problems = append(pl.plan.Problems, ImportProblem{Line: pl.t.headerLine, Column: i, Header: c.Header,
				Field: c.Field, Code: "duplicate_mapping",
				DE: fmt.Sprintf("Die Spalten „%s“ und „%s“ sind beide dem Feld „%s“ zugeordnet.", pl.cols[first].Header, c.Header,
					Columns[c.Field].DE),
				EN: fmt.Sprintf("The columns %q and %q are both mapped to the field %q.", pl.cols[first].Header, c.Header,
					Columns[c.Field].EN)})
			ok = false
			continue
		}
		pl.colOf[c.Field] = i
	}
	for _, c := range []Column{ColPersonnelNumber, ColFirstName, ColLastName} {
		if _, mapped := pl.colOf[c]; !mapped {
			pl.plan.Problems = append(pl.plan.Problems, ImportProblem{Line: pl.t.headerLine, Column: -1, Field: c,
				Code: "unmapped_required",
				DE:   fmt.Sprintf("Keine Spalte ist dem Pflichtfeld „%s“ zugeordnet.", Columns[c].DE),
				EN:   fmt.Sprintf("No column is mapped to the required field %q.", Columns[c].EN)})
			ok = false
		}
	}
	return ok
}

var salutationWords = map[string]string{"herr": SalutationHerr, "hr": SalutationHerr, "mr": SalutationHerr,
	"m": SalutationHerr, "maennlich": SalutationHerr, "frau": SalutationFrau, "fr": SalutationFrau, "ms": SalutationFrau,
	"mrs": SalutationFrau, "w": SalutationFrau, "f": SalutationFrau, "weiblich": SalutationFrau,
	"divers": SalutationDivers, "d": SalutationDivers, "x": SalutationDivers, "diverse": SalutationDivers}

// unneutralize undoes NeutralizeFormula, so a file this system exported
// imports with the values it had ("'-Vertrieb" is "-Vertrieb" again).
func unneutralize(v string) string {
	if len(v) > 1 && v[0] == '\'' && strings.ContainsRune("=+-@\t\r", rune(v[1])) {
		return v[1:]
	}
	return v
}

// splitTasks reads a tasks cell: one task per line, or separated by "|".
func splitTasks(s string) []string {
	var out []string
	for _, line := range strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == '\r' || r == '|' }) {
		if line = strings.TrimSpace(line); line != "" {
			out = append(out, line)
		}
	}
	return out
}

// rows parses and checks every data row.
func (pl *planner) rows() {
	xlsx := pl.t.encoding == EncodingXLSX
	first := map[string]int{} // personnel number → line of its first row
	for n, r := range pl.t.rows {
		var f Fields
		cell := func(c Column) string {
			if i, ok := pl.colOf[c]; ok && i < len(r.cells) {
				return unneutralize(strings.TrimSpace(r.cells[i]))
			}
			return ""
		}
		before := len(pl.plan.Problems)
		for c := ColPersonnelNumber; c < colCount; c++ {
			v := cell(c)
			if v == "" {
				continue
			}
			de, en := pl.label(c)
			switch c {
			case ColPersonnelNumber:
				f.PersonnelNumber = v
			case ColSalutation:
				s, ok := salutationWords[headerKey(v)]
				if !ok {
					pl.problem(r.line, c, "salutation",
						fmt.Sprintf("„%s“: „%s“ ist keine Anrede (Herr, Frau, divers oder leer).", de, v),
						fmt.Sprintf("%q: %q is not a salutation (Herr, Frau, divers or empty).", en, v))
				}
				f.Salutation = s
			case ColFirstName:
				f.FirstName = v
			case ColLastName:
				f.LastName = v
			case ColTitle:
				f.Title = v
			case ColBirthDate, ColEntryDate, ColExitDate:
				d, ok := parseImportDate(v, xlsx)
				if !ok {
					pl.problem(r.line, c, "date",
						fmt.Sprintf("„%s“: „%s“ ist kein gültiges Datum (TT.MM.JJJJ oder JJJJ-MM-TT).", de, v),
						fmt.Sprintf("%q: %q is not a valid date (DD.MM.YYYY or YYYY-MM-DD).", en, v))
				}
				switch c {
				case ColBirthDate:
					f.BirthDate = d
				case ColEntryDate:
					f.EntryDate = d
				default:
					f.ExitDate = d
				}
			case ColBirthplace:
				f.Birthplace = v
			case ColStreet:
				f.Street = v
			case ColPostcode:
				f.Postcode = v
			case ColCity:
				f.City = v
			case ColEmail:
				f.Email = v
			case ColJobTitle:
				f.JobTitle = v
			case ColTasks:
				f.Tasks = splitTasks(v)
			case ColCompany, ColLocation, ColDepartment, ColOrgUnit, ColEmployeeType:
				id := pl.org(r.line, c, v)
				switch c {
				case ColCompany:
					f.CompanyID = id
				case ColLocation:
					f.LocationID = id
				case ColDepartment:
					f.DepartmentID = id
				case ColOrgUnit:
					f.OrgUnitID = id
				default:
					f.EmployeeTypeID = id
				}
			}
		}
		normalize(&f)
		pl.validate(r.line, &f, before)
		if !f.EntryDate.IsZero() && !f.ExitDate.IsZero() && f.ExitDate.Before(f.EntryDate) {
			de, en := pl.label(ColExitDate)
			pl.problem(r.line, ColExitDate, "exit_before_entry",
				fmt.Sprintf("„%s“ liegt vor dem Eintrittsdatum.", de),
				fmt.Sprintf("%q is before the entry date.", en))
		}
		pl.scope(r.line, &f)
		if f.PersonnelNumber != "" {
			key := strings.ToLower(f.PersonnelNumber)
			if l, dup := first[key]; dup {
				pl.problem(r.line, ColPersonnelNumber, "duplicate",
					fmt.Sprintf("Die Personalnummer „%s“ steht schon in Zeile %d.", f.PersonnelNumber, l),
					fmt.Sprintf("The personnel number %q is already in line %d.", f.PersonnelNumber, l))
			} else {
				first[key] = r.line
			}
		}
		pl.plan.rows = append(pl.plan.rows, f)
		if n < ImportSampleRows {
			pl.plan.Sample = append(pl.plan.Sample, f)
			for _, id := range []uuid.UUID{f.CompanyID, f.LocationID, f.DepartmentID, f.OrgUnitID, f.EmployeeTypeID} {
				if id != uuid.Nil {
					pl.plan.Names[id] = pl.orgNames[id]
				}
			}
		}
	}
}

// org finds the company or unit named v for column c; a missing one is
// noted, and gets a new id when the import creates missing ones.
func (pl *planner) org(line int, c Column, v string) uuid.UUID {
	kind := orgColumns[c]
	key := orgKey{kind, foldOrgName(v)}
	if id, ok := pl.orgIDs[key]; ok {
		return id
	}
	de, en := pl.label(c)
	if len([]rune(v)) > orgNameMax[kind] {
		pl.problem(line, c, "too_long", fmt.Sprintf("„%s“ ist zu lang (höchstens %d Zeichen).", de, orgNameMax[kind]),
			fmt.Sprintf("%q is too long (at most %d characters).", en, orgNameMax[kind]))
		return uuid.Nil
	}
	m, seen := pl.missing[key]
	if !seen {
		m = &ImportMissing{Field: c, Name: strings.Join(strings.Fields(v), " ")}
		pl.missing[key] = m
		pl.plan.Missing = append(pl.plan.Missing, *m)
		if pl.opts.CreateMissing {
			id := uuid.Must(uuid.NewV7())
			pl.orgIDs[key], pl.orgNames[id] = id, m.Name
			pl.plan.newOrgs = append(pl.plan.newOrgs, newOrg{id: id, kind: kind, name: m.Name})
		}
	}
	m.Rows++
	if pl.opts.CreateMissing {
		return pl.orgIDs[key]
	}
	pl.problem(line, c, "unknown_"+kind,
		fmt.Sprintf("„%s“: „%s“ gibt es noch nicht. Legen Sie es an oder wählen Sie „Fehlende anlegen“.", de, m.Name),
		fmt.Sprintf("%q: %q does not exist. Create it or choose \"create missing\".", en, m.Name))
	return uuid.Nil
}

// protoFields maps the proto field names of EmployeeFields to columns.
var protoFields = map[string]Column{"personnel_number": ColPersonnelNumber, "salutation": ColSalutation,
	"first_name": ColFirstName, "last_name": ColLastName, "title": ColTitle, "birth_date": ColBirthDate,
	"birthplace": ColBirthplace, "street": ColStreet, "postcode": ColPostcode, "city": ColCity, "email": ColEmail,
	"company_id": ColCompany, "location_id": ColLocation, "department_id": ColDepartment, "org_unit_id": ColOrgUnit,
	"employee_type_id": ColEmployeeType, "entry_date": ColEntryDate, "exit_date": ColExitDate, "job_title": ColJobTitle,
	"tasks": ColTasks}

var formatHints = map[Column][2]string{
	ColPersonnelNumber: {"Buchstaben, Ziffern und . _ / -, beginnend mit Buchstabe oder Ziffer",
		"letters, digits and . _ / -, starting with a letter or digit"},
	ColPostcode:  {"Ziffern, Buchstaben, Leerzeichen und Bindestrich", "digits, letters, spaces and hyphens"},
	ColFirstName: {"eine Zeile ohne Zeilenumbruch", "one line without line breaks"},
	ColLastName:  {"eine Zeile ohne Zeilenumbruch", "one line without line breaks"},
}

// validate runs the rules CreateEmployee's request runs (protovalidate
// over EmployeeFields) and turns each violation into a problem on its
// column. A field whose cell already has a problem (before: the row's
// first problem) is not reported twice.
func (pl *planner) validate(line int, f *Fields, before int) {
	err := protovalidate.Validate(FieldsToProto(f))
	var ve *protovalidate.ValidationError
	if err == nil || !errors.As(err, &ve) {
		return
	}
	done := map[Column]bool{}
	for _, p := range pl.plan.Problems[before:] {
		done[p.Field] = true
	}
	for _, v := range ve.Violations {
		els := v.Proto.GetField().GetElements()
		if len(els) == 0 {
			continue
		}
		c, ok := protoFields[els[0].GetFieldName()]
		if !ok || done[c] {
			continue
		}
		done[c] = true
		de, en := pl.label(c)
		rule := v.Proto.GetRuleId()
		limit := uint64(0)
		if v.RuleValue.IsValid() {
			if u, ok := v.RuleValue.Interface().(uint64); ok {
				limit = u
			}
		}
		switch {
		case rule == "string.min_len" && len(els) == 1:
			pl.problem(line, c, "required", fmt.Sprintf("Pflichtfeld „%s“ ist leer.", de),
				fmt.Sprintf("The required field %q is empty.", en))
		case rule == "string.max_len":
			pl.problem(line, c, "too_long", fmt.Sprintf("„%s“ ist zu lang (höchstens %d Zeichen).", de, limit),
				fmt.Sprintf("%q is too long (at most %d characters).", en, limit))
		case rule == "repeated.max_items":
			pl.problem(line, c, "too_many", fmt.Sprintf("„%s“ hat zu viele Einträge (höchstens %d).", de, limit),
				fmt.Sprintf("%q has too many entries (at most %d).", en, limit))
		case strings.HasPrefix(rule, "string.email"):
			pl.problem(line, c, "email", fmt.Sprintf("„%s“ ist keine gültige E-Mail-Adresse.", de),
				fmt.Sprintf("%q is not a valid email address.", en))
		default:
			hint := formatHints[c]
			msgDE, msgEN := fmt.Sprintf("„%s“ hat kein gültiges Format.", de), fmt.Sprintf("%q has an invalid format.", en)
			if hint[0] != "" {
				msgDE = fmt.Sprintf("„%s“ hat kein gültiges Format (erlaubt: %s).", de, hint[0])
				msgEN = fmt.Sprintf("%q has an invalid format (allowed: %s).", en, hint[1])
			}
			pl.problem(line, c, "format", msgDE, msgEN)
		}
	}
}

// scope refuses a row a restricted caller could not see once stored
// (CreateEmployee refuses it as NotFound): every restricted dimension must
// name one of the caller's ids.
func (pl *planner) scope(line int, f *Fields) {
	s := pl.p.Scope
	if s.Unrestricted() {
		return
	}
	out := func(c Column) {
		if c == ColNone {
			pl.problem(line, c, "out_of_scope", "Ihr Zeugniszugriff erlaubt es nicht, neue Mitarbeiter anzulegen.",
				"Your certificate access does not allow creating new employees.")
			return
		}
		de, en := pl.label(c)
		pl.problem(line, c, "out_of_scope",
			fmt.Sprintf("„%s“: Ihr Zeugniszugriff umfasst diesen Mitarbeiter nicht.", de),
			fmt.Sprintf("%q: your certificate access does not cover this employee.", en))
	}
	dims := []struct {
		c   Column
		id  uuid.UUID
		ids []uuid.UUID
	}{{ColCompany, f.CompanyID, s.Companies}, {ColLocation, f.LocationID, s.Locations},
		{ColDepartment, f.DepartmentID, s.Departments}, {ColOrgUnit, f.OrgUnitID, s.OrgUnits},
		{ColEmployeeType, f.EmployeeTypeID, s.EmployeeTypes}}
	restricted := len(s.Employees) > 0
	for _, d := range dims {
		if len(d.ids) == 0 {
			continue
		}
		restricted = true
		if !slices.Contains(d.ids, d.id) {
			out(d.c)
			return
		}
	}
	if !restricted || len(s.Employees) > 0 {
		out(ColNone)
	}
}

// stored reports personnel numbers the tenant has already (through the
// blind index: the numbers never reach the database in clear).
func (pl *planner) stored(ctx context.Context, db postgres.DBTX) error {
	byIndex := map[string]int{}
	var indexes [][]byte
	for i, f := range pl.plan.rows {
		if f.PersonnelNumber == "" {
			continue
		}
		ix := personnelIndex(pl.s.index, pl.p.TenantID, f.PersonnelNumber)
		if _, ok := byIndex[string(ix)]; !ok {
			byIndex[string(ix)] = i
			indexes = append(indexes, ix)
		}
	}
	if len(indexes) == 0 {
		return nil
	}
	found, err := pl.s.q.EmployeeIDsByPersonnelNumber(ctx, db, dbsqlc.EmployeeIDsByPersonnelNumberParams{
		TenantID: pl.p.TenantID, Indexes: indexes})
	if err != nil {
		return err
	}
	for _, e := range found {
		i := byIndex[string(e.PersonnelNumberIndex)]
		pn := pl.plan.rows[i].PersonnelNumber
		de, en := pl.label(ColPersonnelNumber)
		pl.problem(pl.t.rows[i].line, ColPersonnelNumber, "exists",
			fmt.Sprintf("„%s“: Einen Mitarbeiter mit der Personalnummer „%s“ gibt es schon.", de, pn),
			fmt.Sprintf("%q: an employee with the personnel number %q exists already.", en, pn))
	}
	return nil
}

// finish orders the problems by line and column, counts and cuts them.
func (pl *planner) finish() {
	p := pl.plan
	slices.SortStableFunc(p.Problems, func(a, b ImportProblem) int {
		if a.Line != b.Line {
			return a.Line - b.Line
		}
		return a.Column - b.Column
	})
	p.ProblemCount = len(p.Problems)
	if len(p.Problems) > MaxImportProblems {
		p.Problems = p.Problems[:MaxImportProblems]
	}
	for i := range p.Missing {
		p.Missing[i] = *pl.missing[orgKey{orgColumns[p.Missing[i].Field], foldOrgName(p.Missing[i].Name)}]
	}
}

// PreviewImport reads and checks a file and tells what an import would
// do; it stores nothing.
func (s *Service) PreviewImport(ctx context.Context, name string, content []byte, opts ImportOptions) (*ImportPreview, error) {
	var plan *importPlan
	err := s.work.Read(ctx, func(rd *uow.Reader) (err error) {
		plan, err = s.prepareImport(rd.Context(), rd.DB, rd.P, name, content, opts)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &plan.ImportPreview, nil
}

// ErrImportProblems is the answer of a commit whose file has problems.
func errImportProblems(n int) error {
	return apperr.New(apperr.InvalidArgument, fmt.Sprintf("the file has %d problem(s); nothing was imported — check it with the preview", n))
}

// batchDB queues the statements sqlc runs into a batch, so one round trip
// carries many inserts.
type batchDB struct{ b *pgx.Batch }

func (d batchDB) Exec(_ context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	d.b.Queue(sql, args...)
	return pgconn.CommandTag{}, nil
}

func (d batchDB) Query(context.Context, string, ...any) (pgx.Rows, error) {
	return nil, errors.New("batchDB: queries are not batched")
}

func (d batchDB) QueryRow(context.Context, string, ...any) pgx.Row { return nil }

// CommitImport reads and checks the file again and stores every row in one
// transaction, or nothing when any problem remains (InvalidArgument).
// progress is called every importBatch rows with the rows stored so far;
// the mapping is saved for the tenant's next import.
func (s *Service) CommitImport(ctx context.Context, name string, content []byte, opts ImportOptions,
	progress func(done, total int) error) (*ImportResult, error) {
	var res ImportResult
	err := s.work.Write(ctx, func(tx *uow.Tx) error {
		plan, err := s.prepareImport(ctx, tx, tx.P, name, content, opts)
		if err != nil {
			return err
		}
		if plan.ProblemCount > 0 {
			return errImportProblems(plan.ProblemCount)
		}
		importID := uuid.Must(uuid.NewV7())
		details := map[string]string{"import": importID.String()}
		now := s.work.Now()
		for _, o := range plan.newOrgs {
			if o.kind == kindCompany {
				_, err = tx.Exec(ctx, `INSERT INTO companies (id, tenant_id, name, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)`,
					o.id, tx.P.TenantID, o.name, now)
			} else {
				_, err = tx.Exec(ctx, `INSERT INTO org_units (id, tenant_id, kind, name, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)`,
					o.id, tx.P.TenantID, o.kind, o.name, now)
			}
			if err != nil {
				return err
			}
			action, target := actionUnitCreated, uow.Target{Type: o.kind, ID: o.id}
			if o.kind == kindCompany {
				action, target.Type = actionCompanyCreated, targetCompany
			}
			if err := tx.Record(action, target, details); err != nil {
				return err
			}
		}
		c, err := tx.Cipher()
		if err != nil {
			return err
		}
		total := len(plan.rows)
		for start := 0; start < total; start += importBatch {
			end := min(start+importBatch, total)
			b := &pgx.Batch{}
			ids := make([]uuid.UUID, 0, end-start)
			for _, f := range plan.rows[start:end] {
				id := uuid.Must(uuid.NewV7())
				ids = append(ids, id)
				_ = s.q.InsertEmployee(ctx, batchDB{b}, s.insertParams(c, tx.P.TenantID, id, f, now))
			}
			if err := tx.SendBatch(ctx, b).Close(); err != nil {
				return postgres.UniqueField(err, "file", "employees_personnel_number_key")
			}
			targets := make([]uow.Target, len(ids))
			for i, id := range ids {
				targets[i] = target(id)
			}
			if err := tx.RecordEach(ActionImported, targets, details); err != nil {
				return err
			}
			if progress != nil {
				if err := progress(end, total); err != nil {
					return err
				}
			}
		}
		mapping, err := json.Marshal(plan.Columns)
		if err != nil {
			return err
		}
		if err := s.q.SaveImportMapping(ctx, tx, dbsqlc.SaveImportMappingParams{TenantID: tx.P.TenantID, Columns: mapping,
			Now: now}); err != nil {
			return err
		}
		res = ImportResult{Created: total, UnitsCreated: len(plan.newOrgs)}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &res, nil
}

// importDeadline bounds a commit: 10,000 rows take seconds, a stuck one
// must not hold its transaction for ever.
const importDeadline = 5 * time.Minute
