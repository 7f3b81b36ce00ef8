package employees_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"connectrpc.com/connect"
	"github.com/jackc/pgx/v5"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"
	"google.golang.org/protobuf/proto"

	"github.com/zeugo/zeugo/backend/internal/apptest"
	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
)

func csvFile(lines ...string) []byte { return []byte(strings.Join(lines, "\r\n") + "\r\n") }

func previewFile(t testing.TB, c *client, name string, content []byte, opts *zeugov1.ImportOptions) *zeugov1.PreviewEmployeeImportResponse {
	t.Helper()
	res, err := c.Emp.PreviewEmployeeImport(ctx(), connect.NewRequest(&zeugov1.PreviewEmployeeImportRequest{
		File: &zeugov1.ImportFile{Name: name, Content: content}, Options: opts}))
	if err != nil {
		t.Fatalf("preview %s: %v", name, err)
	}
	return res.Msg
}

// commitFile runs a commit and returns the result, the progress seen and
// the stream's error.
func commitFile(c *client, name string, content []byte, opts *zeugov1.ImportOptions) (*zeugov1.ImportResult, []*zeugov1.ImportProgress, error) {
	stream, err := c.Emp.CommitEmployeeImport(ctx(), connect.NewRequest(&zeugov1.CommitEmployeeImportRequest{
		File: &zeugov1.ImportFile{Name: name, Content: content}, Options: opts}))
	if err != nil {
		return nil, nil, err
	}
	defer stream.Close()
	var res *zeugov1.ImportResult
	var progress []*zeugov1.ImportProgress
	for stream.Receive() {
		switch e := stream.Msg().GetEvent().(type) {
		case *zeugov1.CommitEmployeeImportResponse_Progress:
			progress = append(progress, e.Progress)
		case *zeugov1.CommitEmployeeImportResponse_Result:
			res = e.Result
		}
	}
	return res, progress, stream.Err()
}

func mustCommit(t testing.TB, c *client, name string, content []byte, opts *zeugov1.ImportOptions) *zeugov1.ImportResult {
	t.Helper()
	res, _, err := commitFile(c, name, content, opts)
	if err != nil || res == nil {
		t.Fatalf("commit %s: %v", name, err)
	}
	return res
}

func employeeCount(t testing.TB, c *client) int {
	t.Helper()
	res, err := c.Emp.ListEmployees(ctx(), connect.NewRequest(&zeugov1.ListEmployeesRequest{}))
	if err != nil {
		t.Fatal(err)
	}
	return int(res.Msg.GetPage().GetTotalSize())
}

func findByPN(t testing.TB, c *client, pn string) *zeugov1.Employee {
	t.Helper()
	res, err := c.Emp.ListEmployees(ctx(), connect.NewRequest(&zeugov1.ListEmployeesRequest{
		Filter: &zeugov1.EmployeeFilter{Query: pn}}))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range res.Msg.GetEmployees() {
		if e.GetFields().GetPersonnelNumber() == pn {
			return e
		}
	}
	return nil
}

// problemKeys is "line:column:code" of every problem.
func problemKeys(p *zeugov1.PreviewEmployeeImportResponse) []string {
	out := make([]string, len(p.GetProblems()))
	for i, x := range p.GetProblems() {
		out[i] = fmt.Sprintf("%d:%d:%s", x.GetLine(), x.GetColumn(), x.GetCode())
	}
	return out
}

func TestImportWithBadRowsStoresNothingAndNamesEachLineAndColumn(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ten := env.CreateTenant("Import GmbH", "admin@import.example")
	admin := signIn(t, env, ten)

	bad := csvFile(
		"Personalnummer;Anrede;Vorname;Nachname;Geburtsdatum;E-Mail;Eintrittsdatum;Austrittsdatum;Aufgaben",
		"1001;Frau;Jürgen;Müller;03.02.1990;jm@example.org;01.04.2019;;Buchhaltung",
		"1002;Herr;;Schmidt;;;2019-04-01;;",                                // line 3: first name missing
		"1003;Frau;Anna;Weiß;31.02.1990;;1.4.2019;;",                       // line 4: no such date
		"1004;Herr;Ömer;Öztürk;;;01.01.2020;;\"Einkauf\nLager | Versand\"", // lines 5–6: tasks with a line break
		"1005;Frau;Eva;Groß;;;01.06.2021;31.05.2021;",                      // line 7: exit before entry
		"1006;Herr;Max;Maier;;kein-at-zeichen;;;",                          // line 8: bad email
		"1001;Frau;Zweite;Müller;;;;;",                                     // line 9: duplicate in the file
		"1008;Chef;Karl;Kurz;;;;;",                                         // line 10: unknown salutation
	)
	p := previewFile(t, admin, "mitarbeiter.csv", bad, nil)
	if p.GetEncoding() != "UTF-8" || p.GetDelimiter() != ";" || p.GetRows() != 8 {
		t.Fatalf("read as %s %q with %d rows", p.GetEncoding(), p.GetDelimiter(), p.GetRows())
	}
	want := []string{"3:2:required", "4:4:date", "7:7:exit_before_entry", "8:5:email", "9:0:duplicate", "10:1:salutation"}
	if got := problemKeys(p); fmt.Sprint(got) != fmt.Sprint(want) || p.GetProblemCount() != int32(len(want)) {
		t.Fatalf("problems:\n got %v\nwant %v", got, want)
	}
	for _, x := range p.GetProblems() {
		if x.GetMessageDe() == "" || x.GetMessageEn() == "" || x.GetHeader() == "" {
			t.Errorf("problem without messages or header: %v", x)
		}
	}
	if d := p.GetProblems()[0].GetMessageDe(); !strings.Contains(d, "Vorname") {
		t.Errorf("German message %q does not name the column", d)
	}
	if p.GetProblems()[4].GetField() != zeugov1.ImportField_IMPORT_FIELD_PERSONNEL_NUMBER {
		t.Errorf("duplicate on field %v", p.GetProblems()[4].GetField())
	}
	if s := p.GetSample(); len(s) != 8 || s[0].GetLastName() != "Müller" || s[3].GetTasks()[1] != "Lager" {
		t.Fatalf("sample: %v", s)
	}

	_, _, err := commitFile(admin, "mitarbeiter.csv", bad, nil)
	apptest.WantCode(t, err, connect.CodeInvalidArgument, "commit with problems")
	if n := employeeCount(t, admin); n != 0 {
		t.Fatalf("%d employees stored by a refused import", n)
	}

	good := csvFile(
		"Personalnummer;Anrede;Vorname;Nachname;Geburtsdatum;E-Mail;Eintrittsdatum;Austrittsdatum;Aufgaben",
		"1001;Frau;Jürgen;Müller;03.02.1990;jm@example.org;01.04.2019;;Buchhaltung",
		"1002;Herr;Paul;Schmidt;;;2019-04-01;;",
		"1004;Herr;Ömer;Öztürk;;;01.01.2020;;\"Einkauf\nLager | Versand\"",
		"1005;divers;Eva;Groß;;;01.06.2021;31.05.2022;",
	)
	if p := previewFile(t, admin, "mitarbeiter.csv", good, nil); p.GetProblemCount() != 0 {
		t.Fatalf("fixed file still has problems: %v", problemKeys(p))
	}
	res, progress, err := commitFile(admin, "mitarbeiter.csv", good, nil)
	if err != nil || res.GetCreated() != 4 || res.GetUnitsCreated() != 0 {
		t.Fatalf("commit: %v %v", res, err)
	}
	if len(progress) == 0 || progress[len(progress)-1].GetDone() != 4 || progress[len(progress)-1].GetTotal() != 4 {
		t.Fatalf("progress: %v", progress)
	}
	e := findByPN(t, admin, "1004")
	if e == nil {
		t.Fatal("1004 not stored")
	}
	f := e.GetFields()
	if f.GetFirstName() != "Ömer" || f.GetEntryDate() != "2020-01-01" || fmt.Sprint(f.GetTasks()) != "[Einkauf Lager Versand]" ||
		f.GetSalutation() != zeugov1.Salutation_SALUTATION_HERR {
		t.Fatalf("stored fields: %v", f)
	}
	if f := findByPN(t, admin, "1005").GetFields(); f.GetSalutation() != zeugov1.Salutation_SALUTATION_DIVERS || f.GetExitDate() != "2022-05-31" {
		t.Fatalf("1005: %v", f)
	}

	// Importing the same people again: each one exists already.
	p = previewFile(t, admin, "mitarbeiter.csv", good, nil)
	if got := problemKeys(p); fmt.Sprint(got) != "[2:0:exists 3:0:exists 4:0:exists 6:0:exists]" {
		t.Fatalf("second import: %v", got)
	}
	_, _, err = commitFile(admin, "mitarbeiter.csv", good, nil)
	apptest.WantCode(t, err, connect.CodeInvalidArgument, "second commit")
	if n := employeeCount(t, admin); n != 4 {
		t.Fatalf("%d employees after the refused second import", n)
	}
}

func TestImportReadsWindows1252CommaBOMAndGuessesHeaders(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ten := env.CreateTenant("Kodierung GmbH", "admin@kodierung.example")
	admin := signIn(t, env, ten)

	text := "Pers.-Nr.,Vorname,Name,Straße,PLZ,Ort,Eintritt,E-Mail-Adresse\r\n" +
		"W1,Jürgen,Müller-Lüdenscheidt,Hauptstraße 1,80331,München,01.04.2019,jm@example.org\r\n" +
		"W2,Françoise,Weiß,\"Am Bach 2, Hinterhaus\",50667,Köln,2.5.2020,\r\n"
	cp, err := charmap.Windows1252.NewEncoder().String(text)
	if err != nil {
		t.Fatal(err)
	}
	p := previewFile(t, admin, "export.csv", []byte(cp), nil)
	if p.GetEncoding() != "Windows-1252" || p.GetDelimiter() != "," || p.GetProblemCount() != 0 {
		t.Fatalf("read as %s %q: %v", p.GetEncoding(), p.GetDelimiter(), problemKeys(p))
	}
	wantFields := []zeugov1.ImportField{zeugov1.ImportField_IMPORT_FIELD_PERSONNEL_NUMBER, zeugov1.ImportField_IMPORT_FIELD_FIRST_NAME,
		zeugov1.ImportField_IMPORT_FIELD_LAST_NAME, zeugov1.ImportField_IMPORT_FIELD_STREET, zeugov1.ImportField_IMPORT_FIELD_POSTCODE,
		zeugov1.ImportField_IMPORT_FIELD_CITY, zeugov1.ImportField_IMPORT_FIELD_ENTRY_DATE, zeugov1.ImportField_IMPORT_FIELD_EMAIL}
	for i, c := range p.GetColumns() {
		if c.GetField() != wantFields[i] {
			t.Errorf("column %d (%s) mapped to %v, want %v", i, c.GetHeader(), c.GetField(), wantFields[i])
		}
	}
	if s := p.GetSample()[1]; s.GetFirstName() != "Françoise" || s.GetStreet() != "Am Bach 2, Hinterhaus" || s.GetEntryDate() != "2020-05-02" {
		t.Fatalf("sample: %v", s)
	}
	mustCommit(t, admin, "export.csv", []byte(cp), nil)
	if f := findByPN(t, admin, "W1").GetFields(); f.GetLastName() != "Müller-Lüdenscheidt" || f.GetCity() != "München" {
		t.Fatalf("stored: %v", f)
	}

	// UTF-8 with a byte-order mark, semicolons: the BOM is not part of the
	// first header.
	bom := append([]byte("\ufeff"), csvFile("Personalnummer;Vorname;Nachname", "B1;Zoë;Ärger")...)
	p = previewFile(t, admin, "bom.csv", bom, nil)
	if p.GetEncoding() != "UTF-8" || p.GetColumns()[0].GetField() != zeugov1.ImportField_IMPORT_FIELD_PERSONNEL_NUMBER ||
		p.GetProblemCount() != 0 || p.GetSample()[0].GetLastName() != "Ärger" {
		t.Fatalf("BOM file: %s %v %v", p.GetEncoding(), p.GetColumns(), problemKeys(p))
	}
}

func TestImportReadsXLSX(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ten := env.CreateTenant("Tabelle GmbH", "admin@tabelle.example")
	admin := signIn(t, env, ten)

	x := excelize.NewFile()
	sheet := x.GetSheetName(0)
	rows := [][]any{
		{"Personalnummer", "Vorname", "Nachname", "Eintrittsdatum", "Geburtsdatum", "Aufgaben"},
		{1001, "Jürgen", "Müller", time.Date(2019, 4, 1, 0, 0, 0, 0, time.UTC), "03.02.1990", "Buchhaltung\nLohn"},
		{"X-2", "Anna", "Weiß", "2020-05-02", nil, nil},
		{"X-3", "Bea", "", "kein Datum", nil, nil},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := x.SetSheetRow(sheet, cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := x.Write(&buf); err != nil {
		t.Fatal(err)
	}
	p := previewFile(t, admin, "Mitarbeiter.XLSX", buf.Bytes(), nil)
	if p.GetEncoding() != "XLSX" || p.GetDelimiter() != "" || p.GetRows() != 3 {
		t.Fatalf("read as %s %q, %d rows", p.GetEncoding(), p.GetDelimiter(), p.GetRows())
	}
	if got := problemKeys(p); fmt.Sprint(got) != "[4:2:required 4:3:date]" {
		t.Fatalf("problems %v", got)
	}
	s := p.GetSample()[0]
	if s.GetPersonnelNumber() != "1001" || s.GetEntryDate() != "2019-04-01" || s.GetBirthDate() != "1990-02-03" || len(s.GetTasks()) != 2 {
		t.Fatalf("sample %v", s)
	}

	// Not an .xlsx at all, and a CSV renamed to .xlsx.
	p = previewFile(t, admin, "kaputt.xlsx", []byte("Personalnummer;Vorname\n1;A\n"), nil)
	if got := problemKeys(p); fmt.Sprint(got) != "[0:-1:xlsx]" {
		t.Fatalf("broken xlsx: %v", got)
	}
	p = previewFile(t, admin, "tabelle.csv", buf.Bytes(), nil)
	if got := problemKeys(p); fmt.Sprint(got) != "[0:-1:file_type]" {
		t.Fatalf("xlsx named .csv: %v", got)
	}
}

func TestImportRequestSizeLimits(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ten := env.CreateTenant("Groß GmbH", "admin@gross.example")
	admin := signIn(t, env, ten)

	// A 3 MiB file passes the server's 1 MiB limit on the import routes.
	var b strings.Builder
	b.WriteString("Personalnummer;Vorname;Nachname;Aufgaben\r\n")
	for i := 0; b.Len() < 3<<20; i++ {
		fmt.Fprintf(&b, "G%d;Vera;Groß;%s\r\n", i, strings.Repeat("Aufgabe ", 100))
	}
	p := previewFile(t, admin, "gross.csv", []byte(b.String()), nil)
	if p.GetRows() < 1000 {
		t.Fatalf("rows %d", p.GetRows())
	}

	// Every other procedure keeps 1 MiB, also of EmployeeService.
	big := person("L1", "Lang", "Lang")
	big.JobTitle = strings.Repeat("x", 2<<20)
	_, err := admin.Emp.CreateEmployee(ctx(), connect.NewRequest(&zeugov1.CreateEmployeeRequest{Fields: big}))
	apptest.WantCode(t, err, connect.CodeResourceExhausted, "2 MiB CreateEmployee")

	// 50 MB: refused before it is read, with a Connect error body.
	_, err = admin.Emp.PreviewEmployeeImport(ctx(), connect.NewRequest(&zeugov1.PreviewEmployeeImportRequest{
		File: &zeugov1.ImportFile{Name: "riesig.csv", Content: bytes.Repeat([]byte("a;b;c\n"), 50<<20/6)}}))
	apptest.WantCode(t, err, connect.CodeResourceExhausted, "50 MB preview")
	// Raw, with and without a Content-Length: 413 before reading, or the
	// body reader stops at the limit; either way resource_exhausted.
	for name, body := range map[string]io.Reader{"length": bytes.NewReader(make([]byte, 50<<20)),
		"chunked": io.LimitReader(zeros{}, 50<<20)} {
		res, err := env.HTTPClient().Post(env.Server.URL+"/zeugo.v1.EmployeeService/PreviewEmployeeImport", "application/json", body)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode >= 500 || !bytes.Contains(b, []byte(`"resource_exhausted"`)) {
			t.Fatalf("50 MB raw (%s): %d %s", name, res.StatusCode, b)
		}
		if name == "length" && res.StatusCode != http.StatusRequestEntityTooLarge {
			t.Fatalf("50 MB with Content-Length: %d", res.StatusCode)
		}
	}

	// Over 20 MB of file inside the 21 MiB request: the proto rule answers.
	_, err = admin.Emp.PreviewEmployeeImport(ctx(), connect.NewRequest(&zeugov1.PreviewEmployeeImportRequest{
		File: &zeugov1.ImportFile{Name: "knapp.csv", Content: bytes.Repeat([]byte("x"), 20<<20+10)}}))
	apptest.WantCode(t, err, connect.CodeInvalidArgument, "20 MB + 10 bytes")
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

func TestImportTooManyRowsAndEmptyFiles(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ten := env.CreateTenant("Viele GmbH", "admin@viele.example")
	admin := signIn(t, env, ten)
	var b strings.Builder
	b.WriteString("Personalnummer;Vorname;Nachname\n")
	for i := range 10_001 {
		fmt.Fprintf(&b, "V%d;Vera;Viel\n", i)
	}
	for name, tc := range map[string]struct {
		content []byte
		want    string
	}{
		"too many": {[]byte(b.String()), "[0:-1:too_many_rows]"},
		"empty":    {[]byte("\r\n;;\r\n"), "[0:-1:empty]"},
		"header":   {[]byte("Personalnummer;Vorname;Nachname\r\n"), "[0:-1:no_rows]"},
		"quotes":   {[]byte("Personalnummer;Vorname;Nachname\n1;\"A;B\n"), "[2:-1:csv_syntax]"},
		"unmapped": {[]byte("Nummer;Vorname;Nachname\nN1;A;B\n"), "[1:-1:unmapped_required]"},
		"xls":      {[]byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"), "[0:-1:file_type]"},
	} {
		p := previewFile(t, admin, "datei.csv", tc.content, nil)
		if got := fmt.Sprint(problemKeys(p)); got != tc.want {
			t.Errorf("%s: %s, want %s", name, got, tc.want)
		}
		_, _, err := commitFile(admin, "datei.csv", tc.content, nil)
		apptest.WantCode(t, err, connect.CodeInvalidArgument, name)
	}
}

func TestImportCreatesMissingUnitsAndSavesTheMapping(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ten := env.CreateTenant("Struktur GmbH", "admin@struktur.example")
	admin := signIn(t, env, ten)
	o := apptest.MakeOrg(t, admin.Org)
	_ = o

	file := csvFile(
		"Nr;Rufname;Familie;Firma;Abteilung;Standort",
		"S1;Anna;Alt;Firma A GmbH;Vertrieb;UNIT_KIND_LOCATION A",
		"S2;Bernd;Brot; firma a gmbh ;vertrieb;",
		"S3;Clara;Cord;Neue Firma AG;Einkauf;",
	)
	cols := &zeugov1.ImportOptions{Columns: []*zeugov1.ImportColumn{
		{Index: 0, Header: "Nr", Field: zeugov1.ImportField_IMPORT_FIELD_PERSONNEL_NUMBER},
		{Index: 1, Header: "Rufname", Field: zeugov1.ImportField_IMPORT_FIELD_FIRST_NAME},
		{Index: 2, Header: "Familie", Field: zeugov1.ImportField_IMPORT_FIELD_LAST_NAME},
		{Index: 3, Header: "Firma", Field: zeugov1.ImportField_IMPORT_FIELD_COMPANY},
		{Index: 4, Header: "Abteilung", Field: zeugov1.ImportField_IMPORT_FIELD_DEPARTMENT},
		{Index: 5, Header: "Standort", Field: zeugov1.ImportField_IMPORT_FIELD_LOCATION},
	}}
	p := previewFile(t, admin, "struktur.csv", file, cols)
	if got := fmt.Sprint(problemKeys(p)); got != "[2:4:unknown_department 3:4:unknown_department 4:3:unknown_company 4:4:unknown_department]" {
		t.Fatalf("problems %s", got)
	}
	missing := map[string]int32{}
	for _, m := range p.GetMissing() {
		missing[m.GetField().String()+" "+m.GetName()] = m.GetRows()
	}
	if fmt.Sprint(missing) != "map[IMPORT_FIELD_COMPANY Neue Firma AG:1 IMPORT_FIELD_DEPARTMENT Einkauf:1 IMPORT_FIELD_DEPARTMENT Vertrieb:2]" {
		t.Fatalf("missing %v", missing)
	}
	_, _, err := commitFile(admin, "struktur.csv", file, cols)
	apptest.WantCode(t, err, connect.CodeInvalidArgument, "commit without create_missing")

	cols.CreateMissing = true
	p = previewFile(t, admin, "struktur.csv", file, cols)
	if p.GetProblemCount() != 0 || len(p.GetMissing()) != 3 {
		t.Fatalf("with create_missing: %v %v", problemKeys(p), p.GetMissing())
	}
	if s := p.GetSample()[1]; p.GetNames()[s.GetCompanyId()] != "Firma A GmbH" || p.GetNames()[s.GetDepartmentId()] != "Vertrieb" {
		t.Fatalf("names %v of %v", p.GetNames(), s)
	}
	res := mustCommit(t, admin, "struktur.csv", file, cols)
	if res.GetCreated() != 3 || res.GetUnitsCreated() != 3 {
		t.Fatalf("result %v", res)
	}
	units, err := admin.Org.ListUnits(ctx(), connect.NewRequest(&zeugov1.ListUnitsRequest{Kind: zeugov1.UnitKind_UNIT_KIND_DEPARTMENT,
		Query: "Vertrieb"}))
	if err != nil || len(units.Msg.GetUnits()) != 1 {
		t.Fatalf("Vertrieb: %v %v", units, err)
	}
	s1, s2 := findByPN(t, admin, "S1").GetFields(), findByPN(t, admin, "S2").GetFields()
	if s1.GetCompanyId() != o.Companies[0] || s1.GetLocationId() != o.Locations[0] || s1.GetDepartmentId() != units.Msg.GetUnits()[0].GetId() ||
		s2.GetDepartmentId() != s1.GetDepartmentId() {
		t.Fatalf("S1 %v, S2 %v", s1, s2)
	}

	// The mapping is offered for the next file with the same headers…
	next := csvFile("Nr;Rufname;Familie;Firma;Abteilung;Standort", "S4;Dora;Dach;Neue Firma AG;Einkauf;")
	p = previewFile(t, admin, "next.csv", next, nil)
	for i, c := range p.GetColumns() {
		if c.GetField() != cols.GetColumns()[i].GetField() {
			t.Fatalf("saved mapping not used: %v", p.GetColumns())
		}
	}
	if p.GetProblemCount() != 0 {
		t.Fatalf("next file: %v", problemKeys(p))
	}
	// …but not for other headers.
	p = previewFile(t, admin, "other.csv", csvFile("Nr;Rufname;Familie;Firma", "S5;E;F;G"), nil)
	if p.GetColumns()[0].GetField() != zeugov1.ImportField_IMPORT_FIELD_UNSPECIFIED {
		t.Fatalf("mapping of other headers: %v", p.GetColumns())
	}
}

func TestImportRespectsScopeAndTenants(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ten := env.CreateTenant("Grenze GmbH", "admin@grenze.example")
	admin := signIn(t, env, ten)
	o := apptest.MakeOrg(t, admin.Org)
	other := signIn(t, env, env.CreateTenant("Andere GmbH", "admin@andere.example"))
	restricted := addUser(t, env, ten, "hr@grenze.example", []string{"employees"}, apptest.Restriction{Companies: []string{o.Companies[0]}})

	file := csvFile("Personalnummer;Vorname;Nachname;Unternehmen",
		"R1;Anna;Alt;Firma A GmbH",
		"R2;Bernd;Brot;Firma B GmbH",
		"R3;Clara;Cord;")
	p := previewFile(t, restricted, "r.csv", file, nil)
	if got := fmt.Sprint(problemKeys(p)); got != "[3:3:out_of_scope 4:3:out_of_scope]" {
		t.Fatalf("restricted: %s", got)
	}
	_, _, err := commitFile(restricted, "r.csv", file, nil)
	apptest.WantCode(t, err, connect.CodeInvalidArgument, "restricted commit")

	mustCommit(t, admin, "r.csv", file, nil)
	if n := employeeCount(t, admin); n != 3 {
		t.Fatalf("admin sees %d", n)
	}
	if n := employeeCount(t, restricted); n != 1 || findByPN(t, restricted, "R2") != nil {
		t.Fatalf("restricted sees %d", n)
	}
	if n := employeeCount(t, other); n != 0 {
		t.Fatalf("other tenant sees %d", n)
	}
	// The other tenant's personnel numbers are its own: the same file
	// imports there (its companies do not exist: created).
	res := mustCommit(t, other, "r.csv", file, &zeugov1.ImportOptions{CreateMissing: true})
	if res.GetCreated() != 3 || res.GetUnitsCreated() != 2 {
		t.Fatalf("other tenant: %v", res)
	}
	// A restricted user without the employees area may not import at all.
	reader := addUser(t, env, ten, "leser@grenze.example", []string{"job_profiles"}, apptest.Restriction{All: true})
	_, err = reader.Emp.PreviewEmployeeImport(ctx(), connect.NewRequest(&zeugov1.PreviewEmployeeImportRequest{
		File: &zeugov1.ImportFile{Name: "r.csv", Content: file}}))
	apptest.WantCode(t, err, connect.CodePermissionDenied, "preview without the area")
}

// BenchmarkImport10k measures a 10,000-row CSV import end to end through
// Connect (preview, then commit), against CreateEmployee one by one as the
// same-run baseline (per row: ns/row).
func BenchmarkImport10k(b *testing.B) {
	env := apptest.New(b)
	const rows = 10_000
	file := func(prefix string, n int) []byte {
		var s strings.Builder
		s.WriteString("Personalnummer;Anrede;Vorname;Nachname;Geburtsdatum;Straße;PLZ;Ort;E-Mail;Eintrittsdatum;Position;Aufgaben\r\n")
		for i := range n {
			fmt.Fprintf(&s, "%s%05d;Frau;Jördis;Müller-%d;03.02.1990;Hauptstraße %d;80331;München;p%d@example.org;01.04.2019;Sachbearbeiterin;Buchhaltung | Lohn\r\n",
				prefix, i, i, i, i)
		}
		return []byte(s.String())
	}
	b.Run("import", func(b *testing.B) {
		n := 0
		for b.Loop() {
			b.StopTimer()
			n++
			c := signIn(b, env, env.CreateTenant(fmt.Sprintf("Bench %d GmbH", n), fmt.Sprintf("bench%d@bench.example", n)))
			content := file("B", rows)
			b.StartTimer()
			if p := previewFile(b, c, "bench.csv", content, nil); p.GetProblemCount() != 0 {
				b.Fatal(problemKeys(p)[:1])
			}
			if res := mustCommit(b, c, "bench.csv", content, nil); res.GetCreated() != rows {
				b.Fatal(res)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n*rows), "ns/row")
	})
	b.Run("create-one-by-one", func(b *testing.B) {
		const perRun = 500
		n := 0
		for b.Loop() {
			b.StopTimer()
			n++
			c := signIn(b, env, env.CreateTenant(fmt.Sprintf("Einzeln %d GmbH", n), fmt.Sprintf("einzeln%d@bench.example", n)))
			b.StartTimer()
			for i := range perRun {
				create(b, c, person(fmt.Sprintf("E%05d", i), "Jördis", fmt.Sprintf("Müller-%d", i)))
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n*perRun), "ns/row")
	})
}

// TestImportAuditsEveryEmployeeOnAnIntactChain: an import of 250 rows writes
// one employee.imported event per employee (the GDPR export finds each by
// its target), chained in batches across checkpoints, and the chain
// verifies.
func TestImportAuditsEveryEmployeeOnAnIntactChain(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ten := env.CreateTenant("Protokoll GmbH", "admin@protokoll.example")
	admin := signIn(t, env, ten)
	var b strings.Builder
	b.WriteString("Personalnummer;Vorname;Nachname;Abteilung\n")
	for i := range 250 {
		fmt.Fprintf(&b, "A%d;Vera;Protokoll;Revision\n", i)
	}
	res := mustCommit(t, admin, "a.csv", []byte(b.String()), &zeugov1.ImportOptions{CreateMissing: true})
	if res.GetCreated() != 250 || res.GetUnitsCreated() != 1 {
		t.Fatalf("result %v", res)
	}
	e := findByPN(t, admin, "A17")
	env.AsOwner(ten.TenantID, func(tx pgx.Tx) error {
		var n, forOne, units int
		if err := tx.QueryRow(ctx(), `SELECT count(*), count(*) FILTER (WHERE target_id = $2),
				(SELECT count(*) FROM audit_events WHERE tenant_id = $1 AND action = 'organization.unit.created')
			FROM audit_events WHERE tenant_id = $1 AND action = 'employee.imported' AND target_type = 'employee'`,
			ten.TenantID, e.GetId()).Scan(&n, &forOne, &units); err != nil {
			return err
		}
		if n != 250 || forOne != 1 || units != 1 {
			t.Errorf("imported events %d, for A17 %d, unit events %d", n, forOne, units)
		}
		v, err := env.App.AuditChain.Verify(ctx(), tx, ten.TenantID)
		if err != nil {
			return err
		}
		if !v.OK {
			t.Errorf("chain broken: %+v", v)
		}
		return nil
	})
}

// TestExportImportsAgain: the CSV export of one tenant (German headers,
// dates, " | " tasks, names of the structure, neutralised formulas) imports
// into another tenant unchanged, its structure created on the way.
func TestExportImportsAgain(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	from := signIn(t, env, env.CreateTenant("Quelle GmbH", "admin@quelle.example"))
	to := signIn(t, env, env.CreateTenant("Ziel GmbH", "admin@ziel.example"))
	o := apptest.MakeOrg(t, from.Org)
	f := person("Q-1", "Jürgen", "Müller-Lüdenscheidt")
	f.Salutation, f.Title, f.Birthplace = zeugov1.Salutation_SALUTATION_DIVERS, "Dr.", "Köln"
	f.CompanyId, f.DepartmentId, f.EmployeeTypeId = o.Companies[1], o.Departments[0], o.Types[1]
	f.ExitDate, f.JobTitle = "2024-06-30", "-Leitung Einkauf"
	create(t, from, f)
	create(t, from, person("Q-2", "Zoë", "Weiß"))
	csv := drain(t, from.Emp, zeugov1.ExportFormat_EXPORT_FORMAT_CSV, nil)

	p := previewFile(t, to, "mitarbeiter.csv", csv, &zeugov1.ImportOptions{CreateMissing: true})
	if p.GetProblemCount() != 0 || len(p.GetMissing()) != 3 {
		t.Fatalf("export does not import: %v, missing %v", problemKeys(p), p.GetMissing())
	}
	for _, c := range p.GetColumns() {
		if c.GetField() == zeugov1.ImportField_IMPORT_FIELD_UNSPECIFIED {
			t.Errorf("export column %q not recognised", c.GetHeader())
		}
	}
	mustCommit(t, to, "mitarbeiter.csv", csv, &zeugov1.ImportOptions{CreateMissing: true})
	got := findByPN(t, to, "Q-1").GetFields()
	want := proto.Clone(f).(*zeugov1.EmployeeFields)
	// Ids are the other tenant's; compare them by name.
	want.CompanyId, want.DepartmentId, want.EmployeeTypeId = got.GetCompanyId(), got.GetDepartmentId(), got.GetEmployeeTypeId()
	if !proto.Equal(got, want) {
		t.Fatalf("round trip:\n got %v\nwant %v", got, want)
	}
	cs, err := to.Org.ListCompanies(ctx(), connect.NewRequest(&zeugov1.ListCompaniesRequest{}))
	if err != nil || len(cs.Msg.GetCompanies()) != 1 || cs.Msg.GetCompanies()[0].GetId() != got.GetCompanyId() ||
		cs.Msg.GetCompanies()[0].GetFields().GetName() != "Firma B GmbH" {
		t.Fatalf("companies of the target: %v %v", cs, err)
	}
}
