package certificates

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/google/uuid"

	"github.com/zeugo/zeugo/backend/internal/access"
	"github.com/zeugo/zeugo/backend/internal/apperr"
	"github.com/zeugo/zeugo/backend/internal/catalog"
	"github.com/zeugo/zeugo/backend/internal/employees"
	"github.com/zeugo/zeugo/backend/internal/generator"
	"github.com/zeugo/zeugo/backend/internal/keyring"
	"github.com/zeugo/zeugo/backend/internal/organization"
	"github.com/zeugo/zeugo/backend/internal/postgres"
)

// Rule ids of the domain's field violations (the SPA words them in German
// and English next to the field).
const (
	RuleNotForKind     = "zeugo.not_for_kind"     // a rating or field the kind does not have
	RuleLeaderOnly     = "zeugo.leader_only"      // Führungserfolg without a leader
	RuleDateOrder      = "zeugo.date_order"       // an end before its start
	RuleDate           = "zeugo.date"             // a date that does not exist
	RuleUnknown        = "zeugo.unknown"          // an id that names nothing (or nothing in reach)
	RuleDuplicate      = "zeugo.duplicate"        // the same entry twice
	RuleScope          = "zeugo.scope"            // outside the caller's certificate access
	RuleReadOnly       = "zeugo.read_only"        // an issued certificate
	RuleConfirmation   = "zeugo.confirmation"     // issuing findings without a reason
	RuleTransition     = "zeugo.transition"       // a status move the workflow does not allow
	RuleTextRequired   = "zeugo.text_required"    // issuing without a text
	RuleCreatorOnly    = "zeugo.creator_only"     // private flag by someone else
	RuleIssuedOnly     = "zeugo.issued_only"      // a correction of a certificate not issued
	RuleSectionMissing = "zeugo.section_required" // an update without a section
)

type violations []apperr.FieldViolation

func (v *violations) add(field, rule, msg string) {
	*v = append(*v, apperr.FieldViolation{Field: field, RuleID: rule, Message: msg})
}

func (v violations) err(msg string) error {
	if len(v) == 0 {
		return nil
	}
	return &apperr.Error{Code: apperr.InvalidArgument, Message: msg, Violations: v}
}

func itoa(i int) string { return strconv.Itoa(i) }

// trimList trims every entry and drops empty ones.
func trimList(items []string) []string {
	out := items[:0:0]
	for _, it := range items {
		if it = strings.TrimSpace(it); it != "" {
			out = append(out, it)
		}
	}
	return out
}

func normalizeSection(c *Content, sec Section) {
	switch sec {
	case SecData:
		c.Data.JobTitle = strings.TrimSpace(c.Data.JobTitle)
	case SecPersonal:
		p := c.Personal
		p.Title, p.FirstName, p.LastName, p.Birthplace = strings.TrimSpace(p.Title), strings.TrimSpace(p.FirstName),
			strings.TrimSpace(p.LastName), strings.TrimSpace(p.Birthplace)
	case SecCompany:
		co := c.Company
		co.Description, co.Industry, co.City = strings.TrimSpace(co.Description), strings.TrimSpace(co.Industry), strings.TrimSpace(co.City)
	case SecFurther:
		f := c.Further
		f.ExternalParties, f.ExamChamber = strings.TrimSpace(f.ExternalParties), strings.TrimSpace(f.ExamChamber)
	case SecSignatures:
		for i := range c.Signatures.Signatories {
			c.Signatures.Signatories[i].Function = strings.TrimSpace(c.Signatures.Signatories[i].Function)
		}
	case SecCareer:
		for i := range c.Career.Positions {
			p := &c.Career.Positions[i]
			p.Title, p.Department = strings.TrimSpace(p.Title), strings.TrimSpace(p.Department)
		}
	case SecStations:
		for i := range c.Stations.Stations {
			c.Stations.Stations[i].Department = strings.TrimSpace(c.Stations.Stations[i].Department)
		}
	case SecTasks:
		c.Tasks.Tasks = trimList(c.Tasks.Tasks)
	case SecAdditionalTasks:
		c.AdditionalTasks.Items = trimList(c.AdditionalTasks.Items)
	case SecSuccesses:
		c.Successes.Items = trimList(c.Successes.Items)
	case SecTrainings:
		for i := range c.Trainings.Trainings {
			t := &c.Trainings.Trainings[i]
			t.Title, t.Provider = strings.TrimSpace(t.Title), strings.TrimSpace(t.Provider)
		}
	case SecAuthorities:
		for i := range c.Authorities.Authorities {
			c.Authorities.Authorities[i].Name = strings.TrimSpace(c.Authorities.Authorities[i].Name)
		}
	}
}

// ratingsAllowed says which ratings a kind has, given the leader flag.
func ratingsAllowed(kind generator.Kind, leader bool) (performance, leadership, exam, conduct bool) {
	if kind == generator.Simple {
		return false, false, false, false
	}
	return true, leader, kind == generator.Apprenticeship, true
}

// checker is what validation reads besides the content: the catalogue,
// employees, companies, and who is asking.
type checker struct {
	ctx context.Context
	db  postgres.DBTX
	c   *keyring.TenantCipher
	p   *access.Principal
	cat *catalog.Catalog
	// prev is the content before the change: a hidden catalogue entry it
	// already uses stays allowed, a new pick of one is refused.
	prev *Content
}

// picked reports whether kind:id is a new pick of a hidden entry.
func (ck *checker) hiddenPick(kind, id string) bool {
	if !ck.cat.IsHidden(kind, id) {
		return false
	}
	p := ck.prev
	if p == nil {
		return true
	}
	switch kind {
	case catalog.EntryJobProfile:
		return p.Data == nil || p.Data.JobProfileID != id
	default:
		if p.Qualifications == nil {
			return true
		}
		return !slices.Contains(p.Qualifications.Personal, id) && !slices.Contains(p.Qualifications.Professional, id)
	}
}

// validate checks section sec of next (the certificate with the new
// section in place) against the rules the proto cannot state: what the
// kind allows, date order, and that ids name something the caller may use.
// Fields are named as in the update request ("performance.leadership").
func (ck *checker) validate(next *Content, sec Section) error {
	var v violations
	f := string(sec) + "."
	kind := next.Kind()
	leader := next.Further != nil && next.Further.Leader
	switch sec {
	case SecData:
		d := next.Data
		if d.JobProfileID != "" {
			if _, ok := ck.cat.Profile(d.JobProfileID); !ok || ck.hiddenPick(catalog.EntryJobProfile, d.JobProfileID) {
				v.add(f+"job_profile_id", RuleUnknown, "no such job profile")
			}
		}
	case SecCompany:
		if id := next.Company.CompanyID; id != uuid.Nil {
			if _, err := organization.CompanyFor(ck.ctx, ck.db, ck.c, ck.p.TenantID, id); err != nil {
				if !apperr.Is(postgres.Classify(err), apperr.NotFound) {
					return err
				}
				v.add(f+"company_id", RuleUnknown, "no such company")
			} else if cs := ck.p.Scope.Companies; !ck.p.Scope.All && len(cs) > 0 && !slices.Contains(cs, id) {
				v.add(f+"company_id", RuleScope, "outside your certificate access")
			}
		}
	case SecCertificateData:
		d := next.CertificateData
		if !d.ExitDate.IsZero() && !d.EntryDate.IsZero() && d.ExitDate.Before(d.EntryDate.Time) {
			v.add(f+"exit_date", RuleDateOrder, "before the entry date")
		}
		if !d.IssueDate.IsZero() && !d.EntryDate.IsZero() && d.IssueDate.Before(d.EntryDate.Time) {
			v.add(f+"issue_date", RuleDateOrder, "before the entry date")
		}
		if kind == generator.Interim {
			if d.ExitReason != "" {
				v.add(f+"exit_reason", RuleNotForKind, "an interim certificate has no exit reason")
			}
			if !d.ExitDate.IsZero() {
				v.add(f+"exit_date", RuleNotForKind, "an interim certificate has no exit date")
			}
		} else if d.InterimReason != "" {
			v.add(f+"interim_reason", RuleNotForKind, "only an interim certificate has an occasion")
		}
	case SecFurther:
		fu := next.Further
		if kind != generator.Apprenticeship {
			if fu.ExamChamber != "" {
				v.add(f+"exam_chamber", RuleNotForKind, "only an apprenticeship certificate names the examining chamber")
			}
			if fu.TakenOn {
				v.add(f+"taken_on", RuleNotForKind, "only an apprenticeship certificate says the apprentice is taken on")
			}
		}
		if fu.TeamSize > 0 && !fu.Leader {
			v.add(f+"team_size", RuleLeaderOnly, "a team size needs a leader")
		}
		if !fu.Leader && next.Performance != nil && next.Performance.Leadership != 0 {
			v.add(f+"leader", RuleLeaderOnly, "leadership success is rated; remove that rating first")
		}
	case SecSignatures:
		seen := map[uuid.UUID]bool{}
		for i, sg := range next.Signatures.Signatories {
			field := f + "signatories[" + itoa(i) + "].employee_id"
			if seen[sg.EmployeeID] {
				v.add(field, RuleDuplicate, "signs twice")
				continue
			}
			seen[sg.EmployeeID] = true
			// A signatory must be an employee the caller can see: a
			// restricted user cannot probe for employees outside their scope.
			if _, err := employees.Lookup(ck.ctx, ck.db, ck.c, ck.p, sg.EmployeeID); err != nil {
				if !apperr.Is(postgres.Classify(err), apperr.NotFound) {
					return err
				}
				v.add(field, RuleUnknown, "no such employee")
			}
		}
	case SecCareer:
		for i, p := range next.Career.Positions {
			if !p.To.IsZero() && p.To.Before(p.From.Time) {
				v.add(f+"positions["+itoa(i)+"].to_date", RuleDateOrder, "before the first day")
			}
		}
	case SecStations:
		for i, st := range next.Stations.Stations {
			if !st.To.IsZero() && st.To.Before(st.From.Time) {
				v.add(f+"stations["+itoa(i)+"].to_date", RuleDateOrder, "before the first day")
			}
		}
	case SecTasks:
		var prof *catalog.JobProfile
		if next.Data != nil && next.Data.JobProfileID != "" {
			prof, _ = ck.cat.Profile(next.Data.JobProfileID)
		}
		seen := map[string]bool{}
		for i, id := range next.Tasks.ProfileTaskIDs {
			field := f + "profile_task_ids[" + itoa(i) + "]"
			if seen[id] {
				v.add(field, RuleDuplicate, "listed twice")
				continue
			}
			seen[id] = true
			if prof == nil {
				v.add(field, RuleUnknown, "no job profile is chosen")
			} else if _, ok := prof.Task(id); !ok {
				v.add(field, RuleUnknown, "not a task of the job profile")
			}
		}
	case SecTrainings, SecSuccesses, SecQualifications:
		if kind == generator.Simple && next.Has(sec) && !emptySection(next, sec) {
			v.add(f[:len(f)-1], RuleNotForKind, "a simple certificate names no trainings, successes or attributes")
		}
		if sec == SecQualifications {
			q := next.Qualifications
			for _, l := range []struct {
				field, kind string
				ids         []string
			}{{"personal_attribute_ids", catalog.AttributePersonal, q.Personal}, {"professional_attribute_ids", catalog.AttributeProfessional, q.Professional}} {
				seen := map[string]bool{}
				for i, id := range l.ids {
					field := f + l.field + "[" + itoa(i) + "]"
					a, ok := ck.cat.Attribute(id)
					switch {
					case seen[id]:
						v.add(field, RuleDuplicate, "listed twice")
					case !ok || a.Kind != l.kind || ck.hiddenPick(catalog.EntryAttribute, id):
						v.add(field, RuleUnknown, "no such attribute")
					}
					seen[id] = true
				}
			}
		}
	case SecPerformance:
		p := next.Performance
		perf, lead, exam, _ := ratingsAllowed(kind, leader)
		for _, r := range []struct {
			field string
			g     int
			ok    bool
			rule  string
		}{{"willingness", p.Willingness, perf, RuleNotForKind}, {"ability", p.Ability, perf, RuleNotForKind},
			{"knowledge", p.Knowledge, perf, RuleNotForKind}, {"learning", p.Learning, perf, RuleNotForKind},
			{"working_style", p.WorkingStyle, perf, RuleNotForKind}, {"results", p.Results, perf, RuleNotForKind},
			{"overall", p.Overall, perf, RuleNotForKind}, {"exam", p.Exam, exam, RuleNotForKind}} {
			if r.g != 0 && !r.ok {
				v.add(f+r.field, r.rule, "this kind of certificate has no such rating")
			}
		}
		if p.Leadership != 0 && !lead {
			if kind == generator.Simple {
				v.add(f+"leadership", RuleNotForKind, "this kind of certificate has no such rating")
			} else {
				v.add(f+"leadership", RuleLeaderOnly, "only a leader is rated on leadership (Weitere Angaben)")
			}
		}
	case SecConduct:
		if kind == generator.Simple && (next.Conduct.Internal != 0 || next.Conduct.External != 0) {
			if next.Conduct.Internal != 0 {
				v.add(f+"internal", RuleNotForKind, "this kind of certificate has no such rating")
			}
			if next.Conduct.External != 0 {
				v.add(f+"external", RuleNotForKind, "this kind of certificate has no such rating")
			}
		}
	}
	return v.err("the section has invalid values")
}

// emptySection reports whether a list section holds nothing.
func emptySection(c *Content, sec Section) bool {
	switch sec {
	case SecTrainings:
		return len(c.Trainings.Trainings) == 0
	case SecSuccesses:
		return len(c.Successes.Items) == 0
	case SecQualifications:
		return len(c.Qualifications.Personal) == 0 && len(c.Qualifications.Professional) == 0
	}
	return false
}

// fitKind clears what a new kind does not have: ratings of a simple
// certificate, the exam outside apprenticeships, reasons of the other
// kind. It returns the sections it changed.
func fitKind(c *Content) []Section {
	kind := c.Kind()
	var changed []Section
	if p := c.Performance; p != nil {
		before := *p
		perf, _, exam, _ := ratingsAllowed(kind, true)
		if !perf {
			*p = Performance{}
		}
		if !exam {
			p.Exam = 0
		}
		if *p != before {
			changed = append(changed, SecPerformance)
		}
	}
	if co := c.Conduct; co != nil && kind == generator.Simple && *co != (Conduct{}) {
		*co = Conduct{}
		changed = append(changed, SecConduct)
	}
	if d := c.CertificateData; d != nil {
		before := *d
		if kind == generator.Interim {
			d.ExitReason, d.ExitDate = "", Date{}
		} else {
			d.InterimReason = ""
		}
		if *d != before {
			changed = append(changed, SecCertificateData)
		}
	}
	if fu := c.Further; fu != nil && kind != generator.Apprenticeship && (fu.ExamChamber != "" || fu.TakenOn) {
		fu.ExamChamber, fu.TakenOn = "", false
		changed = append(changed, SecFurther)
	}
	return changed
}

// fitProfile drops the chosen task templates the job profile does not have
// (after the profile changed, or was removed): they name another
// profile's tasks, which the tasks section refuses on its next save and
// the generator cannot write. It reports whether it changed the tasks.
func fitProfile(c *Content, cat *catalog.Catalog) bool {
	if c.Tasks == nil || len(c.Tasks.ProfileTaskIDs) == 0 {
		return false
	}
	var prof *catalog.JobProfile
	if c.Data != nil && c.Data.JobProfileID != "" {
		prof, _ = cat.Profile(c.Data.JobProfileID)
	}
	kept := c.Tasks.ProfileTaskIDs[:0:0]
	for _, id := range c.Tasks.ProfileTaskIDs {
		if prof == nil {
			continue
		}
		if _, ok := prof.Task(id); ok {
			kept = append(kept, id)
		}
	}
	if len(kept) == len(c.Tasks.ProfileTaskIDs) {
		return false
	}
	c.Tasks.ProfileTaskIDs = kept
	return true
}
