package employees

import (
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
	"github.com/zeugo/zeugo/backend/internal/paging"
	"github.com/zeugo/zeugo/backend/internal/protomap"
)

var salutations = map[zeugov1.Salutation]string{
	zeugov1.Salutation_SALUTATION_HERR:   SalutationHerr,
	zeugov1.Salutation_SALUTATION_FRAU:   SalutationFrau,
	zeugov1.Salutation_SALUTATION_DIVERS: SalutationDivers,
}

var exitReasons = map[zeugov1.ExitReason]string{
	zeugov1.ExitReason_EXIT_REASON_OWN_WISH:          "own_wish",
	zeugov1.ExitReason_EXIT_REASON_MUTUAL:            "mutual",
	zeugov1.ExitReason_EXIT_REASON_END_OF_FIXED_TERM: "end_of_fixed_term",
	zeugov1.ExitReason_EXIT_REASON_EMPLOYER:          "employer",
	zeugov1.ExitReason_EXIT_REASON_END_OF_TRAINING:   "end_of_training",
	zeugov1.ExitReason_EXIT_REASON_RETIREMENT:        "retirement",
	zeugov1.ExitReason_EXIT_REASON_OTHER:             "other",
}

var interruptionReasons = map[zeugov1.InterruptionReason]string{
	zeugov1.InterruptionReason_INTERRUPTION_REASON_PARENTAL_LEAVE: "parental_leave",
	zeugov1.InterruptionReason_INTERRUPTION_REASON_ILLNESS:        "illness",
	zeugov1.InterruptionReason_INTERRUPTION_REASON_SABBATICAL:     "sabbatical",
	zeugov1.InterruptionReason_INTERRUPTION_REASON_CARE_LEAVE:     "care_leave",
	zeugov1.InterruptionReason_INTERRUPTION_REASON_OTHER:          "other",
}

var authorityKinds = map[zeugov1.AuthorityKind]string{
	zeugov1.AuthorityKind_AUTHORITY_KIND_PROKURA:            "prokura",
	zeugov1.AuthorityKind_AUTHORITY_KIND_HANDLUNGSVOLLMACHT: "handlungsvollmacht",
	zeugov1.AuthorityKind_AUTHORITY_KIND_BANKVOLLMACHT:      "bankvollmacht",
	zeugov1.AuthorityKind_AUTHORITY_KIND_OTHER:              "other",
}

// date parses a date the validator checked the shape of; an impossible
// date (2025-02-30) reads as not given and is refused by fieldsFromProto.
func date(s string) (time.Time, bool) {
	t, err := ParseDate(s)
	return t, err == nil
}

// FieldsFromProto converts the fields of a request; bad dates (shape right,
// calendar wrong) are returned as violations on their fields, under prefix.
func FieldsFromProto(m *zeugov1.EmployeeFields) (Fields, []string) {
	var bad []string
	d := func(s, field string) time.Time {
		t, ok := date(s)
		if !ok {
			bad = append(bad, field)
		}
		return t
	}
	f := Fields{Salutation: salutations[m.GetSalutation()], FirstName: m.GetFirstName(), LastName: m.GetLastName(),
		Title: m.GetTitle(), BirthDate: d(m.GetBirthDate(), "birth_date"), Birthplace: m.GetBirthplace(),
		Street: m.GetStreet(), Postcode: m.GetPostcode(), City: m.GetCity(), Email: m.GetEmail(),
		PersonnelNumber: m.GetPersonnelNumber(), CompanyID: protomap.ID(m.GetCompanyId()), LocationID: protomap.ID(m.GetLocationId()),
		DepartmentID: protomap.ID(m.GetDepartmentId()), OrgUnitID: protomap.ID(m.GetOrgUnitId()), EmployeeTypeID: protomap.ID(m.GetEmployeeTypeId()),
		EntryDate: d(m.GetEntryDate(), "entry_date"), ExitDate: d(m.GetExitDate(), "exit_date"),
		ExitReason: exitReasons[m.GetExitReason()], JobTitle: m.GetJobTitle(), Tasks: append([]string{}, m.GetTasks()...)}
	for i, in := range m.GetInterruptions() {
		f.Interruptions = append(f.Interruptions, Interruption{From: d(in.GetFromDate(), fieldIndex("interruptions", i, "from_date")),
			To: d(in.GetToDate(), fieldIndex("interruptions", i, "to_date")), Reason: interruptionReasons[in.GetReason()],
			Note: in.GetNote()})
	}
	for i, a := range m.GetAuthorities() {
		f.Authorities = append(f.Authorities, Authority{Kind: authorityKinds[a.GetKind()], Name: a.GetName(),
			Since: d(a.GetSinceDate(), fieldIndex("authorities", i, "since_date"))})
	}
	return f, bad
}

func fieldIndex(list string, i int, field string) string {
	return list + "[" + itoa(i) + "]." + field
}

// FieldsToProto converts stored fields.
func FieldsToProto(f *Fields) *zeugov1.EmployeeFields {
	m := &zeugov1.EmployeeFields{Salutation: protomap.Reverse(salutations, f.Salutation), FirstName: f.FirstName,
		LastName: f.LastName, Title: f.Title, BirthDate: FormatDate(f.BirthDate), Birthplace: f.Birthplace,
		Street: f.Street, Postcode: f.Postcode, City: f.City, Email: f.Email, PersonnelNumber: f.PersonnelNumber,
		CompanyId: protomap.IDString(f.CompanyID), LocationId: protomap.IDString(f.LocationID), DepartmentId: protomap.IDString(f.DepartmentID),
		OrgUnitId: protomap.IDString(f.OrgUnitID), EmployeeTypeId: protomap.IDString(f.EmployeeTypeID), EntryDate: FormatDate(f.EntryDate),
		ExitDate: FormatDate(f.ExitDate), ExitReason: protomap.Reverse(exitReasons, f.ExitReason), JobTitle: f.JobTitle,
		Tasks: f.Tasks}
	for _, in := range f.Interruptions {
		m.Interruptions = append(m.Interruptions, &zeugov1.Interruption{FromDate: FormatDate(in.From),
			ToDate: FormatDate(in.To), Reason: protomap.Reverse(interruptionReasons, in.Reason), Note: in.Note})
	}
	for _, a := range f.Authorities {
		m.Authorities = append(m.Authorities, &zeugov1.Authority{Kind: protomap.Reverse(authorityKinds, a.Kind), Name: a.Name,
			SinceDate: FormatDate(a.Since)})
	}
	return m
}

func (s *Service) toProto(e *Employee) *zeugov1.Employee {
	m := &zeugov1.Employee{Id: e.ID.String(), Fields: FieldsToProto(&e.Fields), Version: e.Version,
		State:      zeugov1.EmployeeState_EMPLOYEE_STATE_ACTIVE,
		CreateTime: timestamppb.New(e.CreatedAt), UpdateTime: timestamppb.New(e.UpdatedAt)}
	if e.Left(s.work.Now()) {
		m.State = zeugov1.EmployeeState_EMPLOYEE_STATE_LEFT
	}
	if e.Hold != nil {
		m.LegalHold = &zeugov1.LegalHold{Reason: e.Hold.Reason, SetByUserId: protomap.IDString(e.Hold.By),
			SetTime: timestamppb.New(e.Hold.At)}
	}
	return m
}

var states = map[zeugov1.EmployeeState]State{
	zeugov1.EmployeeState_EMPLOYEE_STATE_ACTIVE: Active,
	zeugov1.EmployeeState_EMPLOYEE_STATE_LEFT:   LeftState,
}

var orders = map[zeugov1.EmployeeOrder]Order{
	zeugov1.EmployeeOrder_EMPLOYEE_ORDER_ENTRY_DATE:  ByEntryDate,
	zeugov1.EmployeeOrder_EMPLOYEE_ORDER_EXIT_DATE:   ByExitDate,
	zeugov1.EmployeeOrder_EMPLOYEE_ORDER_CREATE_TIME: ByCreateTime,
}

// FilterFromProto converts a list or export filter.
func FilterFromProto(m *zeugov1.EmployeeFilter) Filter {
	return Filter{Company: protomap.ID(m.GetCompanyId()), Location: protomap.ID(m.GetLocationId()), Department: protomap.ID(m.GetDepartmentId()),
		OrgUnit: protomap.ID(m.GetOrgUnitId()), EmployeeType: protomap.ID(m.GetEmployeeTypeId()), State: states[m.GetState()],
		Search: m.GetQuery()}
}

func queryFromProto(m *zeugov1.ListEmployeesRequest) Query {
	return Query{Page: paging.FromProto(m.GetPage()), Order: orders[m.GetOrderBy()], Desc: paging.Descending(m.GetDirection()),
		Filter: FilterFromProto(m.GetFilter())}
}

// The enums certificates share with employees (salutation, exit reason,
// authority kind), for the certificates' handler.

// SalutationFromProto is the stored salutation ("" for none).
func SalutationFromProto(v zeugov1.Salutation) string { return salutations[v] }

// SalutationToProto is the proto salutation of a stored one.
func SalutationToProto(s string) zeugov1.Salutation { return protomap.Reverse(salutations, s) }

// ExitReasonFromProto is the stored exit reason ("" for none).
func ExitReasonFromProto(v zeugov1.ExitReason) string { return exitReasons[v] }

// ExitReasonToProto is the proto exit reason of a stored one.
func ExitReasonToProto(s string) zeugov1.ExitReason { return protomap.Reverse(exitReasons, s) }

// AuthorityKindFromProto is the stored authority kind.
func AuthorityKindFromProto(v zeugov1.AuthorityKind) string { return authorityKinds[v] }

// AuthorityKindToProto is the proto authority kind of a stored one.
func AuthorityKindToProto(s string) zeugov1.AuthorityKind { return protomap.Reverse(authorityKinds, s) }
