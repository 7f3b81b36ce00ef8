package certificates

import (
	"sort"
	"strings"

	"github.com/zeugo/zeugo/backend/internal/catalog"
	"github.com/zeugo/zeugo/backend/internal/generator"
)

// Employer is what the text and the letterhead need of the company.
type Employer struct {
	Name string
	City string
}

// facts builds the text engine's facts from the sections: the one place
// where the certificate's structure meets generator.Facts.
func facts(id string, c *Content, employer Employer) generator.Facts {
	t := catalog.T
	f := generator.Facts{Seed: id, Kind: c.Kind(), Language: "de"}
	if d := c.Data; d != nil {
		f.Language = d.Language
		f.JobProfile = d.JobProfileID
		if d.JobTitle != "" {
			f.JobTitle = t(d.JobTitle)
		}
	}
	if p := c.Personal; p != nil {
		f.Person = generator.Person{Salutation: salutationOf(p.Salutation), Title: p.Title, FirstName: p.FirstName,
			LastName: p.LastName, BirthDate: p.BirthDate, BirthPlace: p.Birthplace, PrintBirth: p.PrintBirth}
	}
	f.Company.Name = employer.Name
	city := employer.City
	if co := c.Company; co != nil {
		if co.Description != "" {
			f.Company.Description = t(co.Description)
		}
		if co.Industry != "" {
			f.Company.Industry = t(co.Industry)
		}
		if co.City != "" {
			city = co.City
		}
		f.Company.Employees = co.HeadCount
	}
	if city != "" {
		f.Company.City = t(city)
	}
	if d := c.CertificateData; d != nil {
		f.EntryDate, f.ExitDate, f.IssueDate = d.EntryDate, d.ExitDate, d.IssueDate
		f.ExitReason = generator.ExitReason(d.ExitReason)
		f.InterimReason = generator.InterimReason(d.InterimReason)
		f.DiscloseReason = d.DiscloseReason
	}
	if fu := c.Further; fu != nil {
		f.Leader, f.TeamSize, f.TakenOn = fu.Leader, fu.TeamSize, fu.TakenOn
		if fu.ExternalParties != "" {
			f.ExternalParties = t(fu.ExternalParties)
		}
		if fu.ExamChamber != "" {
			f.ExamChamber = t(fu.ExamChamber)
		}
	}
	if s := c.Signatures; s != nil {
		for _, sg := range s.Signatories {
			line := generator.Signatory{Name: sg.Name}
			if sg.Function != "" {
				line.Function = t(sg.Function)
			}
			f.Signatories = append(f.Signatories, line)
		}
	}
	if cr := c.Career; cr != nil {
		for _, p := range cr.Positions {
			st := generator.Station{From: p.From, To: p.To, Title: t(p.Title)}
			if p.Department != "" {
				st.Department = t(p.Department)
			}
			f.Stations = append(f.Stations, st)
		}
	}
	if ss := c.Stations; ss != nil {
		for _, s := range ss.Stations {
			f.Stations = append(f.Stations, generator.Station{From: s.From, To: s.To, Title: t(s.Department)})
		}
	}
	sort.SliceStable(f.Stations, func(i, j int) bool { return f.Stations[i].From.Before(f.Stations[j].From.Time) })
	if ts := c.Tasks; ts != nil {
		if f.JobProfile != "" {
			f.ProfileTasks = ts.ProfileTaskIDs
		}
		f.Tasks = texts(ts.Tasks)
	}
	if a := c.AdditionalTasks; a != nil {
		f.AdditionalTasks = texts(a.Items)
	}
	if tr := c.Trainings; tr != nil {
		for _, x := range tr.Trainings {
			f.Trainings = append(f.Trainings, generator.Training{Title: t(x.Title), Provider: x.Provider, Year: x.Year})
		}
	}
	if au := c.Authorities; au != nil {
		for _, a := range au.Authorities {
			x := generator.Authority{Kind: a.Kind, Since: a.Since}
			if a.Name != "" {
				x.Name = t(a.Name)
			}
			f.Authorities = append(f.Authorities, x)
		}
	}
	if p := c.Performance; p != nil {
		f.Ratings.Bereitschaft = generator.Grade(p.Willingness)
		f.Ratings.Befaehigung = generator.Grade(p.Ability)
		f.Ratings.Wissen = generator.Grade(p.Knowledge)
		f.Ratings.Weiterbildung = generator.Grade(p.Learning)
		f.Ratings.Arbeitsweise = generator.Grade(p.WorkingStyle)
		f.Ratings.Arbeitserfolg = generator.Grade(p.Results)
		f.Ratings.Fuehrungserfolg = generator.Grade(p.Leadership)
		f.Ratings.Abschlusspruefung = generator.Grade(p.Exam)
		f.Overall = generator.Grade(p.Overall)
	}
	if co := c.Conduct; co != nil {
		f.Ratings.VerhaltenIntern = generator.Grade(co.Internal)
		f.Ratings.VerhaltenExtern = generator.Grade(co.External)
	}
	if q := c.Qualifications; q != nil {
		f.PersonalAttributes, f.ProfessionalAttributes = q.Personal, q.Professional
	}
	if s := c.Successes; s != nil {
		f.Successes = texts(s.Items)
	}
	return f
}

func texts(items []string) []generator.Text {
	var out []generator.Text
	for _, s := range items {
		out = append(out, catalog.T(s))
	}
	return out
}

// salutationOf maps a stored salutation to the generator's ("" is none).
func salutationOf(s string) generator.Salutation {
	switch s {
	case "herr":
		return generator.Herr
	case "frau":
		return generator.Frau
	case "divers":
		return generator.Divers
	}
	return generator.NoneSal
}

// Problem is one thing the generator needs or warns about, by section and
// field (the proto field name).
type Problem struct {
	Section Section
	Field   string
	De, En  string
	Warning bool
}

// factFields maps a path of generator.Facts (its JSON names) to the
// section and field a person changes to fix it.
var factFields = map[string]struct {
	sec   Section
	field string
}{
	"language": {SecData, "language"}, "kind": {SecData, "kind"}, "jobTitle": {SecData, "job_title"},
	"jobProfile":        {SecData, "job_profile_id"},
	"person.salutation": {SecPersonal, "salutation"}, "person.firstName": {SecPersonal, "first_name"},
	"person.lastName": {SecPersonal, "last_name"}, "person.title": {SecPersonal, "title"},
	"person.birthDate": {SecPersonal, "birth_date"}, "person.birthPlace": {SecPersonal, "birthplace"},
	"company.name": {SecCompany, "company_id"}, "company.city": {SecCompany, "city"}, "location.city": {SecCompany, "city"},
	"company.employees": {SecCompany, "head_count"}, "company.description": {SecCompany, "description"},
	"company.industry": {SecCompany, "industry"},
	"entryDate":        {SecCertificateData, "entry_date"}, "exitDate": {SecCertificateData, "exit_date"},
	"issueDate": {SecCertificateData, "issue_date"}, "exitReason": {SecCertificateData, "exit_reason"},
	"interimReason": {SecCertificateData, "interim_reason"}, "discloseReason": {SecCertificateData, "disclose_reason"},
	"profileTasks": {SecTasks, "profile_task_ids"}, "tasks": {SecTasks, "tasks"},
	"additionalTasks": {SecAdditionalTasks, "items"},
	"teamSize":        {SecFurther, "team_size"}, "leader": {SecFurther, "leader"}, "examChamber": {SecFurther, "exam_chamber"},
	"takenOn": {SecFurther, "taken_on"}, "externalParties": {SecFurther, "external_parties"},
	"ratings": {SecPerformance, ""}, "overall": {SecPerformance, "overall"},
	"ratings.bereitschaft": {SecPerformance, "willingness"}, "ratings.befaehigung": {SecPerformance, "ability"},
	"ratings.wissen": {SecPerformance, "knowledge"}, "ratings.weiterbildung": {SecPerformance, "learning"},
	"ratings.arbeitsweise": {SecPerformance, "working_style"}, "ratings.arbeitserfolg": {SecPerformance, "results"},
	"ratings.fuehrungserfolg": {SecPerformance, "leadership"}, "ratings.abschlusspruefung": {SecPerformance, "exam"},
	"ratings.verhaltenIntern": {SecConduct, "internal"}, "ratings.verhaltenExtern": {SecConduct, "external"},
	"personalAttributes":     {SecQualifications, "personal_attribute_ids"},
	"professionalAttributes": {SecQualifications, "professional_attribute_ids"},
	"successes":              {SecSuccesses, "items"}, "trainings": {SecTrainings, "trainings"},
	"authorities": {SecAuthorities, "authorities"}, "stations": {SecCareer, "positions"},
	"signatories": {SecSignatures, "signatories"},
}

// problemsOf maps the generator's problems to sections and fields. A path
// with an index ("tasks[2]", "stations[0].title") maps by its first part.
func problemsOf(ps []generator.Problem, warning bool) []Problem {
	out := make([]Problem, 0, len(ps))
	for _, p := range ps {
		path := p.Path
		ff, ok := factFields[path]
		for !ok && path != "" {
			cut := strings.LastIndexAny(path, ".[")
			if cut < 0 {
				break
			}
			path = path[:cut]
			ff, ok = factFields[path]
		}
		if !ok {
			ff.sec = SecData
		}
		out = append(out, Problem{Section: ff.sec, Field: ff.field, De: p.De, En: p.En, Warning: warning})
	}
	return out
}
