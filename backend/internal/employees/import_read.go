package employees

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// Limits of an import file (DESIGN §5: request size limits).
const (
	// ImportMaxBytes is the largest file an import reads (the proto's
	// ImportFile.content max_len).
	ImportMaxBytes = 20 << 20
	// ImportMaxRows is the most data rows one file may have.
	ImportMaxRows = 10_000
	// ImportMaxColumns is the most columns a file may have (the proto's
	// ImportColumn.index bound).
	ImportMaxColumns = 200
	// importMaxCell bounds one cell: no field is longer (tasks are 50 ×
	// 1,000 characters at most).
	importMaxCell = 64 << 10
	// xlsxUnzipLimit bounds what an .xlsx may inflate to in total, and
	// xlsxXMLLimit one part kept in memory (a zip bomb of a few MB must not
	// become gigabytes): 10,000 rows of 200 cells fit easily.
	xlsxUnzipLimit = 256 << 20
	xlsxXMLLimit   = 64 << 20
)

// Encodings a file is read in.
const (
	EncodingUTF8   = "UTF-8"
	EncodingUTF16  = "UTF-16"
	EncodingCP1252 = "Windows-1252"
	EncodingXLSX   = "XLSX"
	delimiterNone  = ""
	importTypeXLSX = ".xlsx"
)

// record is one data row of a file: its cells and the line it starts on
// (the header is line 1; for CSV the physical line, so a cell with line
// breaks moves the following records down; for .xlsx the sheet's row
// number).
type record struct {
	line  int
	cells []string
}

// table is a file as read: the header, the data rows (blank rows left
// out) and how it was read.
type table struct {
	encoding, delimiter string
	headerLine          int
	header              []string
	rows                []record
}

// fileProblem is a problem of the whole file (or of one line of its
// syntax), which ends the reading.
type fileProblem struct {
	line   int
	code   string
	de, en string
}

func (p *fileProblem) Error() string { return p.code + ": " + p.en }

func newFileProblem(line int, code, de, en string) *fileProblem {
	return &fileProblem{line: line, code: code, de: de, en: en}
}

// readTable reads a CSV or .xlsx file (name's extension decides).
func readTable(name string, content []byte) (*table, error) {
	if len(content) > ImportMaxBytes {
		return nil, newFileProblem(0, "file_too_large", "Die Datei ist größer als 20 MB.", "The file is larger than 20 MB.")
	}
	if strings.HasSuffix(strings.ToLower(strings.TrimSpace(name)), importTypeXLSX) {
		return readXLSX(content)
	}
	if bytes.HasPrefix(content, []byte{0xD0, 0xCF, 0x11, 0xE0}) {
		return nil, newFileProblem(0, "file_type",
			"Das alte Excel-Format (.xls) wird nicht gelesen. Speichern Sie die Datei als .xlsx oder CSV.",
			"The old Excel format (.xls) is not read. Save the file as .xlsx or CSV.")
	}
	if bytes.HasPrefix(content, []byte("PK\x03\x04")) {
		return nil, newFileProblem(0, "file_type",
			"Die Datei ist keine CSV-Datei. Speichern Sie sie als CSV oder laden Sie sie mit der Endung .xlsx hoch.",
			"The file is not a CSV file. Save it as CSV or upload it with the extension .xlsx.")
	}
	return readCSV(content)
}

// decodeText turns the bytes of a text file into UTF-8: a UTF-8 byte-order
// mark or valid UTF-8 is UTF-8, a UTF-16 byte-order mark UTF-16 (Excel's
// "Unicode text"), anything else Windows-1252 (what German Excel writes as
// "CSV (Trennzeichen-getrennt)").
func decodeText(b []byte) (string, string, error) {
	switch {
	case bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}):
		b = b[3:]
		if !utf8.Valid(b) {
			return "", "", newFileProblem(0, "encoding", "Die Datei ist nicht gültig UTF-8-kodiert.",
				"The file is not valid UTF-8.")
		}
		return string(b), EncodingUTF8, nil
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}) || bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		out, err := unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM).NewDecoder().Bytes(b)
		if err != nil {
			return "", "", newFileProblem(0, "encoding", "Die Datei ist nicht gültig UTF-16-kodiert.",
				"The file is not valid UTF-16.")
		}
		return string(out), EncodingUTF16, nil
	case utf8.Valid(b):
		return string(b), EncodingUTF8, nil
	}
	out, err := charmap.Windows1252.NewDecoder().Bytes(b)
	if err != nil {
		return "", "", newFileProblem(0, "encoding", "Die Zeichenkodierung der Datei ist unbekannt.",
			"The file's character encoding is unknown.")
	}
	return string(out), EncodingCP1252, nil
}

// detectDelimiter picks ";", "," or a tab: whichever the first line (outside
// quotes) has most of; ";" (German Excel) on a tie.
func detectDelimiter(text string) rune {
	counts := map[rune]int{}
	quoted := false
	for _, r := range text {
		if r == '"' {
			quoted = !quoted
			continue
		}
		if !quoted && (r == '\n' || r == '\r') {
			break
		}
		if !quoted && (r == ';' || r == ',' || r == '\t') {
			counts[r]++
		}
	}
	best := ';'
	for _, r := range []rune{',', '\t'} {
		if counts[r] > counts[best] {
			best = r
		}
	}
	return best
}

func readCSV(content []byte) (*table, error) {
	text, enc, err := decodeText(content)
	if err != nil {
		return nil, err
	}
	delim := detectDelimiter(text)
	r := csv.NewReader(strings.NewReader(text))
	r.Comma, r.FieldsPerRecord, r.ReuseRecord = delim, -1, false
	t := &table{encoding: enc, delimiter: string(delim)}
	for {
		cells, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, newFileProblem(pe.StartLine, "csv_syntax",
					fmt.Sprintf("Die Datei ist ab Zeile %d kein gültiges CSV (Anführungszeichen prüfen).", pe.StartLine),
					fmt.Sprintf("The file is not valid CSV from line %d on (check the quotes).", pe.StartLine))
			}
			return nil, err
		}
		line, _ := r.FieldPos(0)
		if err := t.add(line, cells); err != nil {
			return nil, err
		}
	}
	return t.done()
}

// add takes the next non-blank row: the first is the header.
func (t *table) add(line int, cells []string) error {
	blank := true
	for i, c := range cells {
		if len(c) > importMaxCell {
			return newFileProblem(line, "cell_too_long",
				fmt.Sprintf("Zeile %d, Spalte %d: Die Zelle ist länger als 64 KB.", line, i+1),
				fmt.Sprintf("Line %d, column %d: the cell is longer than 64 KB.", line, i+1))
		}
		if strings.TrimSpace(c) != "" {
			blank = false
		}
	}
	if blank {
		return nil
	}
	if t.header == nil {
		if len(cells) > ImportMaxColumns {
			return newFileProblem(line, "too_many_columns",
				fmt.Sprintf("Die Datei hat mehr als %d Spalten.", ImportMaxColumns),
				fmt.Sprintf("The file has more than %d columns.", ImportMaxColumns))
		}
		t.headerLine = line
		t.header = make([]string, len(cells))
		for i, c := range cells {
			t.header[i] = strings.TrimSpace(c)
		}
		return nil
	}
	if len(t.rows) >= ImportMaxRows {
		return newFileProblem(0, "too_many_rows",
			fmt.Sprintf("Die Datei hat mehr als %s Datenzeilen. Teilen Sie sie bitte auf mehrere Dateien auf.", germanInt(ImportMaxRows)),
			fmt.Sprintf("The file has more than %d data rows. Please split it into several files.", ImportMaxRows))
	}
	t.rows = append(t.rows, record{line: line, cells: cells})
	return nil
}

func (t *table) done() (*table, error) {
	if t.header == nil {
		return nil, newFileProblem(0, "empty", "Die Datei ist leer.", "The file is empty.")
	}
	if len(t.rows) == 0 {
		return nil, newFileProblem(0, "no_rows", "Die Datei enthält nur die Kopfzeile, aber keine Mitarbeiter.",
			"The file has a header but no employees.")
	}
	return t, nil
}

func readXLSX(content []byte) (*table, error) {
	bad := newFileProblem(0, "xlsx", "Die Datei ist keine lesbare Excel-Datei (.xlsx).",
		"The file is not a readable Excel file (.xlsx).")
	f, err := excelize.OpenReader(bytes.NewReader(content), excelize.Options{RawCellValue: true,
		UnzipSizeLimit: xlsxUnzipLimit, UnzipXMLSizeLimit: xlsxXMLLimit})
	if err != nil {
		return nil, bad
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, bad
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		return nil, bad
	}
	defer rows.Close()
	t := &table{encoding: EncodingXLSX, delimiter: delimiterNone}
	for n := 1; rows.Next(); n++ {
		cells, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, bad
		}
		if len(cells) > ImportMaxColumns && t.header != nil {
			cells = cells[:ImportMaxColumns+1]
		}
		if err := t.add(n, cells); err != nil {
			return nil, err
		}
	}
	if rows.Error() != nil {
		return nil, bad
	}
	return t.done()
}

// germanInt writes 10000 as "10.000".
func germanInt(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "." + s[i:]
	}
	return s
}

// parseImportDate reads TT.MM.JJJJ (also T.M.JJJJ and two-digit years are
// refused), JJJJ-MM-TT and — in .xlsx files — Excel serial day numbers.
func parseImportDate(s string, xlsx bool) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, true
	}
	for _, layout := range []string{"2.1.2006", time.DateOnly} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, t.Year() >= 1900 && t.Year() <= 2200
		}
	}
	if xlsx {
		if f, err := strconv.ParseFloat(s, 64); err == nil && f >= 1 && f < 2958466 {
			// Excel's day 1 is 1900-01-01 and it counts a 29 February 1900
			// that never was, so from day 61 on day 0 is 1899-12-30.
			base := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
			if f < 61 {
				base = base.AddDate(0, 0, 1)
			}
			t := base.AddDate(0, 0, int(math.Floor(f)))
			return t, t.Year() >= 1900 && t.Year() <= 2200
		}
	}
	return time.Time{}, false
}
