package certificates

import (
	"encoding/hex"

	"github.com/google/uuid"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/zeugo/zeugo/backend/internal/employees"
	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
	"github.com/zeugo/zeugo/backend/internal/generator"
	"github.com/zeugo/zeugo/backend/internal/paging"
	"github.com/zeugo/zeugo/backend/internal/protomap"
)

var kinds = map[zeugov1.CertificateKind]generator.Kind{
	zeugov1.CertificateKind_CERTIFICATE_KIND_FINAL:          generator.Final,
	zeugov1.CertificateKind_CERTIFICATE_KIND_INTERIM:        generator.Interim,
	zeugov1.CertificateKind_CERTIFICATE_KIND_APPRENTICESHIP: generator.Apprenticeship,
	zeugov1.CertificateKind_CERTIFICATE_KIND_SIMPLE:         generator.Simple,
}

// KindFromProto is the kind of a proto CertificateKind (another domain's
// request can carry one: self-service).
func KindFromProto(k zeugov1.CertificateKind) generator.Kind { return kinds[k] }

// KindToProto is the proto CertificateKind of a kind.
func KindToProto(k generator.Kind) zeugov1.CertificateKind { return protomap.Reverse(kinds, k) }

var statuses = map[zeugov1.CertificateStatus]Status{
	zeugov1.CertificateStatus_CERTIFICATE_STATUS_DRAFT:       Draft,
	zeugov1.CertificateStatus_CERTIFICATE_STATUS_IN_PROGRESS: InProgress,
	zeugov1.CertificateStatus_CERTIFICATE_STATUS_REVIEW:      Review,
	zeugov1.CertificateStatus_CERTIFICATE_STATUS_COMPLETED:   Completed,
	zeugov1.CertificateStatus_CERTIFICATE_STATUS_ISSUED:      Issued,
}

var sectionsProto = map[zeugov1.CertificateSection]Section{
	zeugov1.CertificateSection_CERTIFICATE_SECTION_DATA:             SecData,
	zeugov1.CertificateSection_CERTIFICATE_SECTION_PERSONAL:         SecPersonal,
	zeugov1.CertificateSection_CERTIFICATE_SECTION_COMPANY:          SecCompany,
	zeugov1.CertificateSection_CERTIFICATE_SECTION_CERTIFICATE_DATA: SecCertificateData,
	zeugov1.CertificateSection_CERTIFICATE_SECTION_FURTHER:          SecFurther,
	zeugov1.CertificateSection_CERTIFICATE_SECTION_SIGNATURES:       SecSignatures,
	zeugov1.CertificateSection_CERTIFICATE_SECTION_CAREER:           SecCareer,
	zeugov1.CertificateSection_CERTIFICATE_SECTION_STATIONS:         SecStations,
	zeugov1.CertificateSection_CERTIFICATE_SECTION_TASKS:            SecTasks,
	zeugov1.CertificateSection_CERTIFICATE_SECTION_ADDITIONAL_TASKS: SecAdditionalTasks,
	zeugov1.CertificateSection_CERTIFICATE_SECTION_TRAININGS:        SecTrainings,
	zeugov1.CertificateSection_CERTIFICATE_SECTION_AUTHORITIES:      SecAuthorities,
	zeugov1.CertificateSection_CERTIFICATE_SECTION_PERFORMANCE:      SecPerformance,
	zeugov1.CertificateSection_CERTIFICATE_SECTION_CONDUCT:          SecConduct,
	zeugov1.CertificateSection_CERTIFICATE_SECTION_QUALIFICATIONS:   SecQualifications,
	zeugov1.CertificateSection_CERTIFICATE_SECTION_SUCCESSES:        SecSuccesses,
	zeugov1.CertificateSection_CERTIFICATE_SECTION_RESULT:           SecResult,
}

var interimReasons = map[zeugov1.InterimReason]string{
	zeugov1.InterimReason_INTERIM_REASON_OWN_REQUEST:       string(generator.InterimOwnRequest),
	zeugov1.InterimReason_INTERIM_REASON_SUPERVISOR_CHANGE: string(generator.InterimSupervisorChange),
	zeugov1.InterimReason_INTERIM_REASON_REORGANISATION:    string(generator.InterimReorganisation),
	zeugov1.InterimReason_INTERIM_REASON_TRANSFER:          string(generator.InterimTransfer),
	zeugov1.InterimReason_INTERIM_REASON_PARENTAL_LEAVE:    string(generator.InterimParentalLeave),
	zeugov1.InterimReason_INTERIM_REASON_PROMOTION:         string(generator.InterimPromotion),
	zeugov1.InterimReason_INTERIM_REASON_OTHER:             string(generator.InterimOther),
}

// dates converts proto dates, collecting the ones that do not exist
// (2025-02-30) as violations under their full field path.
type dates struct{ bad violations }

func (d *dates) parse(s, field string) Date {
	if s == "" {
		return Date{}
	}
	v, err := generator.ParseDate(s)
	if err != nil {
		d.bad.add(field, RuleDate, "not a valid date")
	}
	return v
}

func dateString(d Date) string {
	if d.IsZero() {
		return ""
	}
	return d.Format("2006-01-02")
}

// contentFromUpdate converts the one section of an update request.
func contentFromUpdate(m *zeugov1.UpdateCertificateSectionRequest) (Content, error) {
	var c Content
	var d dates
	switch x := m.GetSection().(type) {
	case *zeugov1.UpdateCertificateSectionRequest_Data:
		c.Data = dataFromProto(x.Data)
	case *zeugov1.UpdateCertificateSectionRequest_Personal:
		p := x.Personal
		c.Personal = &Personal{Salutation: employees.SalutationFromProto(p.GetSalutation()), Title: p.GetTitle(),
			FirstName: p.GetFirstName(), LastName: p.GetLastName(), BirthDate: d.parse(p.GetBirthDate(), "personal.birth_date"),
			Birthplace: p.GetBirthplace(), PrintBirth: p.GetPrintBirth()}
	case *zeugov1.UpdateCertificateSectionRequest_Company:
		p := x.Company
		c.Company = &Company{CompanyID: protomap.ID(p.GetCompanyId()), Description: p.GetDescription(), Industry: p.GetIndustry(),
			City: p.GetCity(), HeadCount: int(p.GetHeadCount())}
	case *zeugov1.UpdateCertificateSectionRequest_CertificateData:
		p := x.CertificateData
		c.CertificateData = &CertificateData{EntryDate: d.parse(p.GetEntryDate(), "certificate_data.entry_date"),
			ExitDate: d.parse(p.GetExitDate(), "certificate_data.exit_date"), IssueDate: d.parse(p.GetIssueDate(), "certificate_data.issue_date"),
			ExitReason: employees.ExitReasonFromProto(p.GetExitReason()), InterimReason: interimReasons[p.GetInterimReason()],
			DiscloseReason: p.GetDiscloseReason()}
	case *zeugov1.UpdateCertificateSectionRequest_Further:
		p := x.Further
		c.Further = &Further{Leader: p.GetLeader(), TeamSize: int(p.GetTeamSize()), ExternalParties: p.GetExternalParties(),
			ExamChamber: p.GetExamChamber(), TakenOn: p.GetTakenOn()}
	case *zeugov1.UpdateCertificateSectionRequest_Signatures:
		c.Signatures = &Signatures{}
		for _, s := range x.Signatures.GetSignatories() {
			c.Signatures.Signatories = append(c.Signatures.Signatories, Signatory{EmployeeID: protomap.ID(s.GetEmployeeId()), Function: s.GetFunction()})
		}
	case *zeugov1.UpdateCertificateSectionRequest_Career:
		c.Career = &Career{}
		for i, p := range x.Career.GetPositions() {
			f := "career.positions[" + itoa(i) + "]."
			c.Career.Positions = append(c.Career.Positions, Position{From: d.parse(p.GetFromDate(), f+"from_date"),
				To: d.parse(p.GetToDate(), f+"to_date"), Title: p.GetTitle(), Department: p.GetDepartment()})
		}
	case *zeugov1.UpdateCertificateSectionRequest_Stations:
		c.Stations = &Stations{}
		for i, p := range x.Stations.GetStations() {
			f := "stations.stations[" + itoa(i) + "]."
			c.Stations.Stations = append(c.Stations.Stations, Station{From: d.parse(p.GetFromDate(), f+"from_date"),
				To: d.parse(p.GetToDate(), f+"to_date"), Department: p.GetDepartment()})
		}
	case *zeugov1.UpdateCertificateSectionRequest_Tasks:
		c.Tasks = &Tasks{ProfileTaskIDs: append([]string{}, x.Tasks.GetProfileTaskIds()...), Tasks: append([]string{}, x.Tasks.GetTasks()...)}
	case *zeugov1.UpdateCertificateSectionRequest_AdditionalTasks:
		c.AdditionalTasks = &TextList{Items: append([]string{}, x.AdditionalTasks.GetItems()...)}
	case *zeugov1.UpdateCertificateSectionRequest_Trainings:
		c.Trainings = &Trainings{}
		for _, t := range x.Trainings.GetTrainings() {
			c.Trainings.Trainings = append(c.Trainings.Trainings, Training{Title: t.GetTitle(), Provider: t.GetProvider(), Year: int(t.GetYear())})
		}
	case *zeugov1.UpdateCertificateSectionRequest_Authorities:
		c.Authorities = &Authorities{}
		for i, a := range x.Authorities.GetAuthorities() {
			c.Authorities.Authorities = append(c.Authorities.Authorities, Authority{Kind: employees.AuthorityKindFromProto(a.GetKind()),
				Name: a.GetName(), Since: d.parse(a.GetSinceDate(), "authorities.authorities["+itoa(i)+"].since_date")})
		}
	case *zeugov1.UpdateCertificateSectionRequest_Performance:
		p := x.Performance
		c.Performance = &Performance{Willingness: int(p.GetWillingness()), Ability: int(p.GetAbility()), Knowledge: int(p.GetKnowledge()),
			Learning: int(p.GetLearning()), WorkingStyle: int(p.GetWorkingStyle()), Results: int(p.GetResults()),
			Leadership: int(p.GetLeadership()), Exam: int(p.GetExam()), Overall: int(p.GetOverall())}
	case *zeugov1.UpdateCertificateSectionRequest_Conduct:
		c.Conduct = &Conduct{Internal: int(x.Conduct.GetInternal()), External: int(x.Conduct.GetExternal())}
	case *zeugov1.UpdateCertificateSectionRequest_Qualifications:
		c.Qualifications = &Qualifications{Personal: append([]string{}, x.Qualifications.GetPersonalAttributeIds()...),
			Professional: append([]string{}, x.Qualifications.GetProfessionalAttributeIds()...)}
	case *zeugov1.UpdateCertificateSectionRequest_Successes:
		c.Successes = &TextList{Items: append([]string{}, x.Successes.GetItems()...)}
	case *zeugov1.UpdateCertificateSectionRequest_Result:
		c.Result = &Result{Paragraphs: paragraphsFromProto(x.Result.GetParagraphs())}
	}
	return c, d.bad.err("not a valid date")
}

func dataFromProto(p *zeugov1.DataSection) *Data {
	return &Data{Kind: kinds[p.GetKind()], Language: p.GetLanguage(), JobProfileID: p.GetJobProfileId(), JobTitle: p.GetJobTitle()}
}

func paragraphsFromProto(ps []*zeugov1.ResultParagraph) []Paragraph {
	out := make([]Paragraph, 0, len(ps))
	for _, p := range ps {
		out = append(out, Paragraph{Section: p.GetSection(), Heading: p.GetHeading(), Text: p.GetText(), Items: append([]string{}, p.GetItems()...)})
	}
	return out
}

func contentToProto(c *Content) *zeugov1.CertificateContent {
	m := &zeugov1.CertificateContent{}
	if d := c.Data; d != nil {
		m.Data = &zeugov1.DataSection{Kind: protomap.Reverse(kinds, d.Kind), Language: d.Language, JobProfileId: d.JobProfileID, JobTitle: d.JobTitle}
	}
	if p := c.Personal; p != nil {
		m.Personal = &zeugov1.PersonalSection{Salutation: employees.SalutationToProto(p.Salutation), Title: p.Title,
			FirstName: p.FirstName, LastName: p.LastName, BirthDate: dateString(p.BirthDate), Birthplace: p.Birthplace, PrintBirth: p.PrintBirth}
	}
	if p := c.Company; p != nil {
		m.Company = &zeugov1.CompanySection{CompanyId: protomap.IDString(p.CompanyID), Description: p.Description, Industry: p.Industry,
			City: p.City, HeadCount: int32(p.HeadCount)}
	}
	if p := c.CertificateData; p != nil {
		m.CertificateData = &zeugov1.CertificateDataSection{EntryDate: dateString(p.EntryDate), ExitDate: dateString(p.ExitDate),
			IssueDate: dateString(p.IssueDate), ExitReason: employees.ExitReasonToProto(p.ExitReason),
			InterimReason: protomap.Reverse(interimReasons, p.InterimReason), DiscloseReason: p.DiscloseReason}
	}
	if p := c.Further; p != nil {
		m.Further = &zeugov1.FurtherSection{Leader: p.Leader, TeamSize: int32(p.TeamSize), ExternalParties: p.ExternalParties,
			ExamChamber: p.ExamChamber, TakenOn: p.TakenOn}
	}
	if p := c.Signatures; p != nil {
		m.Signatures = &zeugov1.SignaturesSection{}
		for _, s := range p.Signatories {
			m.Signatures.Signatories = append(m.Signatures.Signatories, &zeugov1.CertificateSignatory{EmployeeId: s.EmployeeID.String(),
				Function: s.Function, Name: s.Name})
		}
	}
	if p := c.Career; p != nil {
		m.Career = &zeugov1.CareerSection{}
		for _, x := range p.Positions {
			m.Career.Positions = append(m.Career.Positions, &zeugov1.Position{FromDate: dateString(x.From), ToDate: dateString(x.To),
				Title: x.Title, Department: x.Department})
		}
	}
	if p := c.Stations; p != nil {
		m.Stations = &zeugov1.StationsSection{}
		for _, x := range p.Stations {
			m.Stations.Stations = append(m.Stations.Stations, &zeugov1.Station{FromDate: dateString(x.From), ToDate: dateString(x.To),
				Department: x.Department})
		}
	}
	if p := c.Tasks; p != nil {
		m.Tasks = &zeugov1.TasksSection{ProfileTaskIds: p.ProfileTaskIDs, Tasks: p.Tasks}
	}
	if p := c.AdditionalTasks; p != nil {
		m.AdditionalTasks = &zeugov1.TextListSection{Items: p.Items}
	}
	if p := c.Trainings; p != nil {
		m.Trainings = &zeugov1.TrainingsSection{}
		for _, t := range p.Trainings {
			m.Trainings.Trainings = append(m.Trainings.Trainings, &zeugov1.Training{Title: t.Title, Provider: t.Provider, Year: int32(t.Year)})
		}
	}
	if p := c.Authorities; p != nil {
		m.Authorities = &zeugov1.AuthoritiesSection{}
		for _, a := range p.Authorities {
			m.Authorities.Authorities = append(m.Authorities.Authorities, &zeugov1.Authority{Kind: employees.AuthorityKindToProto(a.Kind),
				Name: a.Name, SinceDate: dateString(a.Since)})
		}
	}
	if p := c.Performance; p != nil {
		m.Performance = &zeugov1.PerformanceSection{Willingness: int32(p.Willingness), Ability: int32(p.Ability), Knowledge: int32(p.Knowledge),
			Learning: int32(p.Learning), WorkingStyle: int32(p.WorkingStyle), Results: int32(p.Results), Leadership: int32(p.Leadership),
			Exam: int32(p.Exam), Overall: int32(p.Overall)}
	}
	if p := c.Conduct; p != nil {
		m.Conduct = &zeugov1.ConductSection{Internal: int32(p.Internal), External: int32(p.External)}
	}
	if p := c.Qualifications; p != nil {
		m.Qualifications = &zeugov1.QualificationsSection{PersonalAttributeIds: p.Personal, ProfessionalAttributeIds: p.Professional}
	}
	if p := c.Successes; p != nil {
		m.Successes = &zeugov1.TextListSection{Items: p.Items}
	}
	if p := c.Result; p != nil {
		m.Result = &zeugov1.ResultSection{CatalogVersion: p.CatalogVersion, TenantCatalogVersion: p.TenantCatalogVersion}
		if !p.GeneratedAt.IsZero() {
			m.Result.GenerateTime = timestamppb.New(p.GeneratedAt)
		}
		for i := range p.Paragraphs {
			x := &p.Paragraphs[i]
			m.Result.Paragraphs = append(m.Result.Paragraphs, &zeugov1.ResultParagraph{Section: x.Section, Heading: x.Heading,
				Text: x.Text, Items: x.Items, Edited: x.Edited(), GeneratedText: x.GeneratedText})
		}
	}
	return m
}

func checkToProto(c *TextCheck) *zeugov1.TextCheck {
	if c == nil {
		return nil
	}
	m := &zeugov1.TextCheck{OverallGrade: int32(c.Overall), ExpectedOverallGrade: int32(c.ExpectedOverall), NeedsConfirmation: c.NeedsConfirmation}
	for _, p := range c.Paragraphs {
		m.Paragraphs = append(m.Paragraphs, &zeugov1.ParagraphCheck{Index: int32(p.Index), Section: p.Section, Grade: int32(p.Grade), ExpectedGrade: int32(p.Expected)})
	}
	for _, f := range c.Findings {
		m.Findings = append(m.Findings, &zeugov1.TextFinding{Kind: f.Kind, Code: f.Code, Fragment: f.Fragment, Sentence: f.Sentence,
			MessageDe: f.De, MessageEn: f.En, Paragraph: int32(f.Paragraph)})
	}
	return m
}

// certificateToProto converts a certificate for caller (the creator flag).
func certificateToProto(c *Certificate, caller uuid.UUID) *zeugov1.Certificate {
	m := &zeugov1.Certificate{Id: c.ID.String(), EmployeeId: c.EmployeeID.String(), EmployeeName: c.EmployeeName,
		PersonnelNumber: c.PersonnelNumber, Kind: protomap.Reverse(kinds, c.Kind), Language: c.Language, Status: protomap.Reverse(statuses, c.Status),
		Private: c.Private, Version: c.Version, CreatedByName: c.CreatedByName, CreateTime: timestamppb.New(c.CreatedAt),
		UpdateTime: timestamppb.New(c.UpdatedAt), CorrectsId: protomap.IDString(c.CorrectsID), Content: contentToProto(&c.Content),
		CreatedByCaller: c.CreatedBy != uuid.Nil && c.CreatedBy == caller, CompanyId: protomap.IDString(c.CompanyID),
		DocumentSha256: hex.EncodeToString(c.DocumentSHA256)}
	if !c.IssuedAt.IsZero() {
		m.IssueTime = timestamppb.New(c.IssuedAt)
	}
	for _, sec := range Sections {
		si, ok := c.Sections[sec]
		if !ok {
			continue
		}
		m.Sections = append(m.Sections, &zeugov1.SectionInfo{Section: protomap.Reverse(sectionsProto, sec), Version: si.Version,
			UpdatedByName: si.UpdatedByName, UpdateTime: timestamppb.New(si.UpdatedAt)})
	}
	if c.Content.Result != nil && len(c.Content.Result.Paragraphs) > 0 {
		m.Check = checkToProto(c.Content.Result.Check)
	}
	if c.recipient {
		m.EmployeeId = "" // a recipient moves no status and needs no employee id
		return m
	}
	for _, st := range Next(c.Status) {
		m.NextStatuses = append(m.NextStatuses, protomap.Reverse(statuses, st))
	}
	return m
}

func summaryToProto(s Summary) *zeugov1.CertificateSummary {
	return &zeugov1.CertificateSummary{Id: s.ID.String(), EmployeeId: s.EmployeeID.String(), EmployeeName: s.EmployeeName,
		PersonnelNumber: s.PersonnelNumber, Kind: protomap.Reverse(kinds, s.Kind), Language: s.Language, Status: protomap.Reverse(statuses, s.Status),
		Private: s.Private, CompanyId: protomap.IDString(s.CompanyID), CreateTime: timestamppb.New(s.CreatedAt), UpdateTime: timestamppb.New(s.UpdatedAt)}
}

func queryFromProto(m *zeugov1.ListCertificatesRequest) Query {
	q := Query{Page: paging.FromProto(m.GetPage()), Desc: true}
	if m.GetOrder() == zeugov1.CertificateOrder_CERTIFICATE_ORDER_CREATE_TIME {
		q.Order = ByCreateTime
	}
	if m.GetDirection() == zeugov1.SortDirection_SORT_DIRECTION_ASCENDING {
		q.Desc = false
	}
	f := m.GetFilter()
	for _, s := range f.GetStatuses() {
		q.Filter.Statuses = append(q.Filter.Statuses, statuses[s])
	}
	for _, k := range f.GetKinds() {
		q.Filter.Kinds = append(q.Filter.Kinds, kinds[k])
	}
	q.Filter.Company, q.Filter.Employee = protomap.ID(f.GetCompanyId()), protomap.ID(f.GetEmployeeId())
	q.Filter.PrivateOnly, q.Filter.Search = f.GetPrivateOnly(), f.GetSearch()
	return q
}

func problemsToProto(ps []Problem) []*zeugov1.GenerationProblem {
	out := make([]*zeugov1.GenerationProblem, len(ps))
	for i, p := range ps {
		out[i] = &zeugov1.GenerationProblem{Section: protomap.Reverse(sectionsProto, p.Section), Field: p.Field, MessageDe: p.De,
			MessageEn: p.En, Warning: p.Warning}
	}
	return out
}

// SectionFromProto maps the proto enum to a Section ("" for unspecified).
func SectionFromProto(s zeugov1.CertificateSection) Section { return sectionsProto[s] }

// SectionToProto maps a Section to the proto enum.
func SectionToProto(s Section) zeugov1.CertificateSection { return protomap.Reverse(sectionsProto, s) }
