package employees

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"

	"github.com/google/uuid"

	"github.com/zeugo/zeugo/backend/internal/paging"
	"github.com/zeugo/zeugo/backend/internal/uow"
)

// Format is the file format of an export.
type Format int

// Formats.
const (
	CSV Format = iota
	JSON
)

// exportPage is how many employees one read of an export takes; each page
// is its own read, recorded in the audit log before it is sent, so a
// client reading slowly never holds a database connection.
const exportPage = paging.MaxSize

// chunkSize is about how many bytes one streamed message carries.
const chunkSize = 64 << 10

// Export writes the employees in the caller's scope that match filter as
// a file, in chunks to emit. CSV is UTF-8 with a byte-order mark,
// semicolons and CRLF (what German Excel opens), with German headers and
// dates and every cell neutralised against formula injection; JSON is one
// array of objects with ISO dates. Each employee is recorded as exported.
func (s *Service) Export(ctx context.Context, format Format, filter Filter, emit func(chunk []byte) error) error {
	var buf bytes.Buffer
	flush := func(force bool) error {
		if buf.Len() == 0 || (!force && buf.Len() < chunkSize) {
			return nil
		}
		chunk := bytes.Clone(buf.Bytes())
		buf.Reset()
		return emit(chunk)
	}
	cw := csv.NewWriter(&buf)
	cw.Comma, cw.UseCRLF = ';', true
	cols := make([]Column, 0, colCount-1)
	for c := ColPersonnelNumber; c < colCount; c++ {
		cols = append(cols, c)
	}
	if format == CSV {
		buf.WriteString("\ufeff")
		head := make([]string, len(cols))
		for i, c := range cols {
			head[i] = Columns[c].DE
		}
		_ = cw.Write(head) // writes to a bytes.Buffer cannot fail
	} else {
		buf.WriteString("[")
	}
	first := true
	q := Query{Page: paging.Request{Size: exportPage}, Order: ByCreateTime, Filter: filter}
	for {
		var page paging.Page[Employee]
		var names map[uuid.UUID]string
		err := s.work.Read(ctx, func(rd *uow.Reader) (err error) {
			if page, err = s.list(rd, q); err != nil {
				return err
			}
			if names, err = s.namesOf(rd, page.Items); err != nil {
				return err
			}
			for _, e := range page.Items {
				rd.Audit(ActionExported, target(e.ID))
			}
			return nil
		})
		if err != nil {
			return err
		}
		for i := range page.Items {
			e := &page.Items[i]
			if format == CSV {
				rec := make([]string, len(cols))
				for j, c := range cols {
					rec[j] = NeutralizeFormula(c.Value(e, names, false))
				}
				_ = cw.Write(rec)
				cw.Flush()
			} else {
				if !first {
					buf.WriteString(",")
				}
				b, err := json.Marshal(exportJSON(e, names))
				if err != nil {
					return err
				}
				buf.Write(b)
			}
			first = false
			if err := flush(false); err != nil {
				return err
			}
		}
		if page.Next == "" {
			break
		}
		q.Page.Token = page.Next
	}
	if format == JSON {
		buf.WriteString("]")
	}
	return flush(true)
}

// namesOf resolves the organisation ids of employees to names.
func (s *Service) namesOf(rd *uow.Reader, es []Employee) (map[uuid.UUID]string, error) {
	var companies, units []uuid.UUID
	for i := range es {
		companies, units = es[i].Fields.orgIDs(companies, units)
	}
	o, err := s.orgNames(rd.Context(), rd.DB, rd.P.TenantID, companies, units)
	return o.names, err
}

// exportJSON is one employee of a JSON export: every field, organisation
// ids with their names, ISO dates.
func exportJSON(e *Employee, names map[uuid.UUID]string) map[string]any {
	m := map[string]any{"id": e.ID.String(), "version": e.Version}
	for c := ColPersonnelNumber; c < colCount; c++ {
		if c == ColTasks {
			continue
		}
		if v := c.Value(e, names, true); v != "" {
			m[Columns[c].JSON] = v
		}
	}
	if e.Fields.Salutation != "" {
		m["salutation"] = e.Fields.Salutation
	}
	f := &e.Fields
	for key, id := range map[string]uuid.UUID{"companyId": f.CompanyID, "locationId": f.LocationID,
		"departmentId": f.DepartmentID, "orgUnitId": f.OrgUnitID, "employeeTypeId": f.EmployeeTypeID} {
		if id != uuid.Nil {
			m[key] = id.String()
		}
	}
	if f.ExitReason != "" {
		m["exitReason"] = f.ExitReason
	}
	if len(f.Tasks) > 0 {
		m["tasks"] = f.Tasks
	}
	if len(f.Interruptions) > 0 {
		m["interruptions"] = interruptionsJSON(f.Interruptions)
	}
	if len(f.Authorities) > 0 {
		m["authorities"] = authoritiesJSON(f.Authorities)
	}
	return m
}
