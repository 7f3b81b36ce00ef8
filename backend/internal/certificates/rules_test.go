package certificates_test

import (
	"strings"
	"testing"

	"connectrpc.com/connect"
	"github.com/jackc/pgx/v5"
	"google.golang.org/protobuf/proto"

	"github.com/zeugo/zeugo/backend/internal/apptest"
	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
)

func perf(p *zeugov1.PerformanceSection) *zeugov1.UpdateCertificateSectionRequest {
	return &zeugov1.UpdateCertificateSectionRequest{Section: &zeugov1.UpdateCertificateSectionRequest_Performance{Performance: p}}
}

// TestRatingsTheKindDoesNotHaveAreRefused: a simple certificate has no
// ratings, only an apprenticeship the exam, only a leader the leadership
// rating — each refused on its field, nothing stored.
func TestRatingsTheKindDoesNotHaveAreRefused(t *testing.T) {
	t.Parallel()
	f := setup(t, "bewertung")
	emp := f.employee(t, f.admin, "B1", "Bewert", f.company(t, "Bewertung GmbH"))
	for _, p := range []apptest.Protocol{apptest.Connect, apptest.GRPC} {
		t.Run(p.String(), func(t *testing.T) {
			c := signIn(t, f.env, f.ten.Email, f.ten.Password, p)
			simple := create(t, c, emp.GetId(), zeugov1.CertificateKind_CERTIFICATE_KIND_SIMPLE, false)
			_, err := update(c, simple, secPerformance, perf(&zeugov1.PerformanceSection{Willingness: 2}))
			wantViolation(t, err, connect.CodeInvalidArgument, "performance.willingness", "zeugo.not_for_kind")
			_, err = update(c, simple, secConduct, &zeugov1.UpdateCertificateSectionRequest{Section: &zeugov1.UpdateCertificateSectionRequest_Conduct{
				Conduct: &zeugov1.ConductSection{External: 3}}})
			wantViolation(t, err, connect.CodeInvalidArgument, "conduct.external", "zeugo.not_for_kind")

			fin := create(t, c, emp.GetId(), final, false)
			_, err = update(c, fin, secPerformance, perf(&zeugov1.PerformanceSection{Willingness: 2, Exam: 1}))
			wantViolation(t, err, connect.CodeInvalidArgument, "performance.exam", "zeugo.not_for_kind")
			_, err = update(c, fin, secPerformance, perf(&zeugov1.PerformanceSection{Willingness: 2, Leadership: 1}))
			wantViolation(t, err, connect.CodeInvalidArgument, "performance.leadership", "zeugo.leader_only")
			if got := get(t, c, fin.GetId()); got.GetContent().GetPerformance().GetWillingness() != 0 || version(t, got, secPerformance) != 1 {
				t.Fatalf("a refused save stored something: %v", got.GetContent().GetPerformance())
			}
			// A leader may be rated on leadership; then the leader flag
			// cannot be taken away under the rating.
			fin = mustUpdate(t, c, fin, secFurther, &zeugov1.UpdateCertificateSectionRequest{Section: &zeugov1.UpdateCertificateSectionRequest_Further{
				Further: &zeugov1.FurtherSection{Leader: true, TeamSize: 4}}})
			fin = mustUpdate(t, c, fin, secPerformance, perf(&zeugov1.PerformanceSection{Willingness: 2, Leadership: 1}))
			_, err = update(c, fin, secFurther, &zeugov1.UpdateCertificateSectionRequest{Section: &zeugov1.UpdateCertificateSectionRequest_Further{
				Further: &zeugov1.FurtherSection{}}})
			wantViolation(t, err, connect.CodeInvalidArgument, "further.leader", "zeugo.leader_only")

			app := create(t, c, emp.GetId(), zeugov1.CertificateKind_CERTIFICATE_KIND_APPRENTICESHIP, false)
			mustUpdate(t, c, app, secPerformance, perf(&zeugov1.PerformanceSection{Willingness: 2, Exam: 1}))
		})
	}
}

// TestChangingTheKindClearsRatingsItDoesNotHave: an apprenticeship's exam
// goes when it becomes a final certificate, every rating when it becomes
// a simple one.
func TestChangingTheKindClearsRatingsItDoesNotHave(t *testing.T) {
	t.Parallel()
	f := setup(t, "art")
	emp := f.employee(t, f.admin, "A1", "Artig", f.company(t, "Art GmbH"))
	c := f.admin
	cert := create(t, c, emp.GetId(), zeugov1.CertificateKind_CERTIFICATE_KIND_APPRENTICESHIP, false)
	cert = mustUpdate(t, c, cert, secPerformance, perf(&zeugov1.PerformanceSection{Willingness: 2, Results: 3, Exam: 1}))
	cert = mustUpdate(t, c, cert, secConduct, &zeugov1.UpdateCertificateSectionRequest{Section: &zeugov1.UpdateCertificateSectionRequest_Conduct{
		Conduct: &zeugov1.ConductSection{Internal: 2, External: 2}}})
	data := func(kind zeugov1.CertificateKind) *zeugov1.UpdateCertificateSectionRequest {
		return &zeugov1.UpdateCertificateSectionRequest{Section: &zeugov1.UpdateCertificateSectionRequest_Data{Data: &zeugov1.DataSection{
			Kind: kind, Language: "de", JobTitle: "Kauffrau für Büromanagement"}}}
	}
	cert = mustUpdate(t, c, cert, secData, data(final))
	if p := cert.GetContent().GetPerformance(); p.GetExam() != 0 || p.GetWillingness() != 2 || p.GetResults() != 3 {
		t.Fatalf("final: performance %v", p)
	}
	if cert.GetKind() != final {
		t.Fatalf("kind %v", cert.GetKind())
	}
	cert = mustUpdate(t, c, cert, secData, data(zeugov1.CertificateKind_CERTIFICATE_KIND_SIMPLE))
	if p, co := cert.GetContent().GetPerformance(), cert.GetContent().GetConduct(); !proto.Equal(p, &zeugov1.PerformanceSection{}) ||
		!proto.Equal(co, &zeugov1.ConductSection{}) {
		t.Fatalf("simple: performance %v, conduct %v", p, co)
	}
}

// TestDatesAreCheckedForOrderAndExistence: an exit before the entry is
// zeugo.date_order, 2025-02-30 is zeugo.date — on the field.
func TestDatesAreCheckedForOrderAndExistence(t *testing.T) {
	t.Parallel()
	f := setup(t, "datum")
	emp := f.employee(t, f.admin, "D1", "Datum", "")
	cert := create(t, f.admin, emp.GetId(), final, false)
	certData := func(entry, exit string) *zeugov1.UpdateCertificateSectionRequest {
		return &zeugov1.UpdateCertificateSectionRequest{Section: &zeugov1.UpdateCertificateSectionRequest_CertificateData{
			CertificateData: &zeugov1.CertificateDataSection{EntryDate: entry, ExitDate: exit}}}
	}
	for _, p := range []apptest.Protocol{apptest.Connect, apptest.GRPC} {
		c := signIn(t, f.env, f.ten.Email, f.ten.Password, p)
		_, err := update(c, cert, secCertData, certData("2020-05-01", "2020-04-30"))
		wantViolation(t, err, connect.CodeInvalidArgument, "certificate_data.exit_date", "zeugo.date_order")
		_, err = update(c, cert, secCertData, certData("2020-05-01", "2025-02-30"))
		wantViolation(t, err, connect.CodeInvalidArgument, "certificate_data.exit_date", "zeugo.date")
		_, err = update(c, cert, secCertData, certData("2020-13-01", ""))
		wantViolation(t, err, connect.CodeInvalidArgument, "certificate_data.entry_date", "zeugo.date")
		_, err = update(c, cert, zeugov1.CertificateSection_CERTIFICATE_SECTION_CAREER, &zeugov1.UpdateCertificateSectionRequest{
			Section: &zeugov1.UpdateCertificateSectionRequest_Career{Career: &zeugov1.CareerSection{Positions: []*zeugov1.Position{
				{FromDate: "2021-01-01", ToDate: "2022-01-01", Title: "Sachbearbeiterin"},
				{FromDate: "2022-01-02", ToDate: "2021-12-31", Title: "Teamleiterin"}}}}})
		wantViolation(t, err, connect.CodeInvalidArgument, "career.positions[1].to_date", "zeugo.date_order")
	}
	if got := get(t, f.admin, cert.GetId()); got.GetContent().GetCertificateData().GetExitDate() != "2024-06-30" {
		t.Fatalf("a refused save stored something: %v", got.GetContent().GetCertificateData())
	}
}

// TestSignatoriesAreEmployeesTheCallerCanSee: a signatory of another
// tenant or outside the caller's certificate access is zeugo.unknown, the
// same one twice zeugo.duplicate.
func TestSignatoriesAreEmployeesTheCallerCanSee(t *testing.T) {
	t.Parallel()
	f := setup(t, "unterschrift")
	o := apptest.MakeOrg(t, f.admin.Org)
	emp := f.employee(t, f.admin, "S1", "Subjekt", o.Companies[0])
	boss := f.employee(t, f.admin, "S2", "Chefin", o.Companies[0])
	farBoss := f.employee(t, f.admin, "S3", "Fern", o.Companies[1])
	other := fixtureIn(t, f.env, "anderswo")
	foreign := other.employee(t, other.admin, "S1", "Fremd", "")
	restricted := clientOf(apptest.AddUser(t, f.env, f.ten, "nur-a@unterschrift.example", []string{"employees"},
		apptest.Restriction{Companies: []string{o.Companies[0]}}))
	cert := create(t, restricted, emp.GetId(), final, false)
	sign := func(ids ...string) *zeugov1.UpdateCertificateSectionRequest {
		s := &zeugov1.SignaturesSection{}
		for _, id := range ids {
			s.Signatories = append(s.Signatories, &zeugov1.CertificateSignatory{EmployeeId: id, Function: "Geschäftsführerin"})
		}
		return &zeugov1.UpdateCertificateSectionRequest{Section: &zeugov1.UpdateCertificateSectionRequest_Signatures{Signatures: s}}
	}
	_, err := update(restricted, cert, secSignatures, sign(foreign.GetId()))
	wantViolation(t, err, connect.CodeInvalidArgument, "signatures.signatories[0].employee_id", "zeugo.unknown")
	_, err = update(restricted, cert, secSignatures, sign(farBoss.GetId()))
	wantViolation(t, err, connect.CodeInvalidArgument, "signatures.signatories[0].employee_id", "zeugo.unknown")
	_, err = update(restricted, cert, secSignatures, sign(boss.GetId(), boss.GetId()))
	wantViolation(t, err, connect.CodeInvalidArgument, "signatures.signatories[1].employee_id", "zeugo.duplicate")
	_, err = update(f.admin, cert, secSignatures, sign(foreign.GetId()))
	wantViolation(t, err, connect.CodeInvalidArgument, "signatures.signatories[0].employee_id", "zeugo.unknown")
	got := mustUpdate(t, restricted, cert, secSignatures, sign(boss.GetId()))
	if s := got.GetContent().GetSignatures().GetSignatories(); len(s) != 1 || s[0].GetName() != "Anna Chefin" {
		t.Fatalf("signatories %v", s)
	}
	// A restricted user cannot start a certificate of someone out of reach,
	// nor of another tenant's employee.
	for _, id := range []string{farBoss.GetId(), foreign.GetId()} {
		_, err = restricted.Cert.CreateCertificate(ctx(), connect.NewRequest(&zeugov1.CreateCertificateRequest{EmployeeId: id, Kind: final}))
		wantViolation(t, err, connect.CodeNotFound, "employee_id", "zeugo.unknown")
	}
}

// TestCatalogueIdsMustExist: an unknown job profile, task template or
// attribute is zeugo.unknown on its field.
func TestCatalogueIdsMustExist(t *testing.T) {
	t.Parallel()
	f := setup(t, "katalog")
	emp := f.employee(t, f.admin, "K1", "Katalog", "")
	c := f.admin
	_, err := c.Cert.CreateCertificate(ctx(), connect.NewRequest(&zeugov1.CreateCertificateRequest{EmployeeId: emp.GetId(), Kind: final,
		JobProfileId: "kein-beruf"}))
	wantViolation(t, err, connect.CodeInvalidArgument, "job_profile_id", "zeugo.unknown")
	cat, err := c.Cert.GetCertificateCatalog(ctx(), connect.NewRequest(&zeugov1.GetCertificateCatalogRequest{Language: "de"}))
	if err != nil || len(cat.Msg.GetJobProfiles()) < 2 || len(cat.Msg.GetPersonalAttributes()) == 0 || len(cat.Msg.GetProfessionalAttributes()) == 0 {
		t.Fatalf("catalog: %v", err)
	}
	prof, otherProf := cat.Msg.GetJobProfiles()[0], cat.Msg.GetJobProfiles()[1]
	cert := create(t, c, emp.GetId(), final, false)
	_, err = update(c, cert, secData, &zeugov1.UpdateCertificateSectionRequest{Section: &zeugov1.UpdateCertificateSectionRequest_Data{
		Data: &zeugov1.DataSection{Kind: final, Language: "de", JobProfileId: "kein-beruf"}}})
	wantViolation(t, err, connect.CodeInvalidArgument, "data.job_profile_id", "zeugo.unknown")
	tasks := func(ids ...string) *zeugov1.UpdateCertificateSectionRequest {
		return &zeugov1.UpdateCertificateSectionRequest{Section: &zeugov1.UpdateCertificateSectionRequest_Tasks{Tasks: &zeugov1.TasksSection{ProfileTaskIds: ids}}}
	}
	_, err = update(c, cert, secTasks, tasks(prof.GetTasks()[0].GetId()))
	wantViolation(t, err, connect.CodeInvalidArgument, "tasks.profile_task_ids[0]", "zeugo.unknown") // no profile chosen
	cert = mustUpdate(t, c, cert, secData, &zeugov1.UpdateCertificateSectionRequest{Section: &zeugov1.UpdateCertificateSectionRequest_Data{
		Data: &zeugov1.DataSection{Kind: final, Language: "de", JobProfileId: prof.GetId()}}})
	_, err = update(c, cert, secTasks, tasks(prof.GetTasks()[0].GetId(), "keine-aufgabe"))
	wantViolation(t, err, connect.CodeInvalidArgument, "tasks.profile_task_ids[1]", "zeugo.unknown")
	if ot := otherProf.GetTasks()[0].GetId(); !hasTask(prof, ot) {
		_, err = update(c, cert, secTasks, tasks(ot))
		wantViolation(t, err, connect.CodeInvalidArgument, "tasks.profile_task_ids[0]", "zeugo.unknown")
	}
	mustUpdate(t, c, cert, secTasks, tasks(prof.GetTasks()[0].GetId()))
	qual := func(personal, professional []string) *zeugov1.UpdateCertificateSectionRequest {
		return &zeugov1.UpdateCertificateSectionRequest{Section: &zeugov1.UpdateCertificateSectionRequest_Qualifications{
			Qualifications: &zeugov1.QualificationsSection{PersonalAttributeIds: personal, ProfessionalAttributeIds: professional}}}
	}
	_, err = update(c, cert, secQualif, qual([]string{"kein-merkmal"}, nil))
	wantViolation(t, err, connect.CodeInvalidArgument, "qualifications.personal_attribute_ids[0]", "zeugo.unknown")
	// A professional attribute is not a personal one.
	_, err = update(c, cert, secQualif, qual([]string{cat.Msg.GetProfessionalAttributes()[0].GetId()}, nil))
	wantViolation(t, err, connect.CodeInvalidArgument, "qualifications.personal_attribute_ids[0]", "zeugo.unknown")
	mustUpdate(t, c, cert, secQualif, qual([]string{cat.Msg.GetPersonalAttributes()[0].GetId()}, []string{cat.Msg.GetProfessionalAttributes()[0].GetId()}))
}

func hasTask(p *zeugov1.CatalogJobProfile, id string) bool {
	for _, t := range p.GetTasks() {
		if t.GetId() == id {
			return true
		}
	}
	return false
}

// TestStaleSaveChangesNothing: a save based on an old version is Aborted
// and neither the section nor the change log moves.
func TestStaleSaveChangesNothing(t *testing.T) {
	t.Parallel()
	f := setup(t, "veraltet")
	setTracking(t, f.admin, true)
	emp := f.employee(t, f.admin, "V1", "Veraltet", "")
	for _, p := range []apptest.Protocol{apptest.Connect, apptest.GRPC} {
		c := signIn(t, f.env, f.ten.Email, f.ten.Password, p)
		cert := create(t, c, emp.GetId(), final, false)
		items := func(s ...string) *zeugov1.UpdateCertificateSectionRequest {
			return &zeugov1.UpdateCertificateSectionRequest{Section: &zeugov1.UpdateCertificateSectionRequest_Successes{
				Successes: &zeugov1.TextListSection{Items: s}}}
		}
		saved := mustUpdate(t, c, cert, secSuccesses, items("Einführung der E-Rechnung"))
		before := changes(t, c, cert.GetId())
		_, err := update(c, cert, secSuccesses, items("Etwas anderes"))
		apptest.WantCode(t, err, connect.CodeAborted, "stale save")
		got := get(t, c, cert.GetId())
		if !proto.Equal(got.GetContent().GetSuccesses(), saved.GetContent().GetSuccesses()) || version(t, got, secSuccesses) != 2 {
			t.Fatalf("the stale save changed the section: %v v%d", got.GetContent().GetSuccesses(), version(t, got, secSuccesses))
		}
		if after := changes(t, c, cert.GetId()); len(after) != len(before) || len(after) == 0 {
			t.Fatalf("change log %d rows before, %d after", len(before), len(after))
		}
		// A stale generate and a stale transition too.
		_, err = c.Cert.GenerateCertificateText(ctx(), connect.NewRequest(&zeugov1.GenerateCertificateTextRequest{Id: cert.GetId(), Version: 7}))
		apptest.WantCode(t, err, connect.CodeAborted, "stale generate")
		_, err = c.Cert.TransitionCertificate(ctx(), connect.NewRequest(&zeugov1.TransitionCertificateRequest{Id: cert.GetId(), Version: 7, Status: stReview}))
		apptest.WantCode(t, err, connect.CodeAborted, "stale transition")
	}
}

// issuable creates a final certificate with ratings and a generated text.
func (f *fixture) issuable(t testing.TB, c *client, pn string) *zeugov1.Certificate {
	t.Helper()
	emp := f.employee(t, f.admin, pn, "Ausgestellt", f.company(t, "Firma "+pn+" GmbH"))
	return generate(t, c, rated(t, c, create(t, c, emp.GetId(), final, false)))
}

// TestWorkflowMovesAndTheIssuedCertificateIsReadOnly: illegal moves name
// the allowed ones; review → in progress and completed → review are
// allowed; an issued certificate refuses every edit.
func TestWorkflowMovesAndTheIssuedCertificateIsReadOnly(t *testing.T) {
	t.Parallel()
	f := setup(t, "ablauf")
	for _, p := range []apptest.Protocol{apptest.Connect, apptest.GRPC} {
		t.Run(p.String(), func(t *testing.T) {
			c := signIn(t, f.env, f.ten.Email, f.ten.Password, p)
			cert := f.issuable(t, c, "AB-"+p.String())
			move := func(to zeugov1.CertificateStatus) error {
				_, err := c.Cert.TransitionCertificate(ctx(), connect.NewRequest(&zeugov1.TransitionCertificateRequest{Id: cert.GetId(),
					Version: cert.GetVersion(), Status: to}))
				return err
			}
			err := move(stCompleted)
			wantViolation(t, err, connect.CodeFailedPrecondition, "status", "zeugo.transition")
			if msg := apptest.FieldViolations(t, err)[0].Message; !strings.Contains(msg, "in_progress") || !strings.Contains(msg, "review") {
				t.Errorf("the refusal does not name the allowed moves: %q", msg)
			}
			wantViolation(t, move(stIssued), connect.CodeFailedPrecondition, "status", "zeugo.transition")
			if got := cert.GetNextStatuses(); len(got) != 2 || got[0] != stInProgress || got[1] != stReview {
				t.Errorf("next statuses of a draft: %v", got)
			}
			cert = transition(t, c, cert, stInProgress, stReview, stInProgress, stReview, stCompleted, stReview, stCompleted, stIssued)
			h, err := c.Cert.ListCertificateHistory(ctx(), connect.NewRequest(&zeugov1.ListCertificateHistoryRequest{Id: cert.GetId()}))
			if err != nil {
				t.Fatal(err)
			}
			var steps []string
			for _, e := range h.Msg.GetEntries() {
				steps = append(steps, strings.TrimPrefix(e.GetPreviousStatus().String(), "CERTIFICATE_STATUS_")+">"+
					strings.TrimPrefix(e.GetStatus().String(), "CERTIFICATE_STATUS_"))
				if e.GetActorName() == "" || e.GetTime() == nil {
					t.Errorf("history entry without actor or time: %v", e)
				}
			}
			want := "UNSPECIFIED>DRAFT DRAFT>IN_PROGRESS IN_PROGRESS>REVIEW REVIEW>IN_PROGRESS IN_PROGRESS>REVIEW REVIEW>COMPLETED COMPLETED>REVIEW REVIEW>COMPLETED COMPLETED>ISSUED"
			if strings.Join(steps, " ") != want {
				t.Errorf("history:\n got %s\nwant %s", strings.Join(steps, " "), want)
			}
			// Issued: read-only, moves no more.
			wantViolation(t, move(stReview), connect.CodeFailedPrecondition, "status", "zeugo.transition")
			_, err = update(c, cert, secConduct, &zeugov1.UpdateCertificateSectionRequest{Section: &zeugov1.UpdateCertificateSectionRequest_Conduct{
				Conduct: &zeugov1.ConductSection{Internal: 1, External: 1}}})
			wantViolation(t, err, connect.CodeFailedPrecondition, "id", "zeugo.read_only")
			_, err = c.Cert.GenerateCertificateText(ctx(), connect.NewRequest(&zeugov1.GenerateCertificateTextRequest{Id: cert.GetId(),
				Version: version(t, cert, secResult)}))
			wantViolation(t, err, connect.CodeFailedPrecondition, "id", "zeugo.read_only")
			if got := get(t, c, cert.GetId()); got.GetContent().GetConduct().GetInternal() != 2 || got.GetDocumentSha256() != cert.GetDocumentSha256() {
				t.Fatalf("the issued certificate changed")
			}
		})
	}
}

// paragraphsWith returns the text's paragraphs with the performance
// paragraph replaced by text.
func paragraphsWith(t testing.TB, cert *zeugov1.Certificate, section, text string) []*zeugov1.ResultParagraph {
	t.Helper()
	var out []*zeugov1.ResultParagraph
	found := false
	for _, p := range cert.GetContent().GetResult().GetParagraphs() {
		p = proto.Clone(p).(*zeugov1.ResultParagraph)
		p.Edited, p.GeneratedText = false, ""
		if p.GetSection() == section && !found {
			p.Text, p.Items, found = text, nil, true
		}
		out = append(out, p)
	}
	if !found {
		t.Fatalf("no %s paragraph in %v", section, cert.GetContent().GetResult().GetParagraphs())
	}
	return out
}

func findings(c *zeugov1.TextCheck, kind string) []*zeugov1.TextFinding {
	var out []*zeugov1.TextFinding
	for _, f := range c.GetFindings() {
		if f.GetKind() == kind {
			out = append(out, f)
		}
	}
	return out
}

// TestHandEditsAreReadBackAndIssuingFindingsNeedsAReason: a hand edit
// that conveys another grade is a "grade" finding, a coded phrase a
// "code" finding; either needs confirmation, and issuing then needs a
// reason, which the history keeps and the audit event marks.
func TestHandEditsAreReadBackAndIssuingFindingsNeedsAReason(t *testing.T) {
	t.Parallel()
	f := setup(t, "lesen")
	c := f.admin
	cert := f.issuable(t, c, "L1")
	if cert.GetCheck().GetNeedsConfirmation() {
		t.Fatalf("the generated text needs confirmation: %v", cert.GetCheck())
	}
	result := func(paras []*zeugov1.ResultParagraph) *zeugov1.UpdateCertificateSectionRequest {
		return &zeugov1.UpdateCertificateSectionRequest{Section: &zeugov1.UpdateCertificateSectionRequest_Result{
			Result: &zeugov1.ResultSection{Paragraphs: paras}}}
	}
	// Rated 2 (gut); the edit says 1.
	better := paragraphsWith(t, cert, "performance", "Sie erledigte die ihr übertragenen Aufgaben stets zu unserer vollsten Zufriedenheit.")
	chk, err := c.Cert.CheckCertificateText(ctx(), connect.NewRequest(&zeugov1.CheckCertificateTextRequest{Id: cert.GetId(), Paragraphs: better}))
	if err != nil {
		t.Fatal(err)
	}
	if !chk.Msg.GetCheck().GetNeedsConfirmation() || len(findings(chk.Msg.GetCheck(), "grade")) == 0 {
		t.Fatalf("a grade changed by hand is not flagged: %v", chk.Msg.GetCheck())
	}
	if got := get(t, c, cert.GetId()); got.GetCheck().GetNeedsConfirmation() || version(t, got, secResult) != version(t, cert, secResult) {
		t.Fatal("checking stored something")
	}
	edited := mustUpdate(t, c, cert, secResult, result(better))
	if !edited.GetCheck().GetNeedsConfirmation() || len(findings(edited.GetCheck(), "grade")) == 0 {
		t.Fatalf("the saved edit is not flagged: %v", edited.GetCheck())
	}
	var perfPara *zeugov1.ResultParagraph
	for _, p := range edited.GetContent().GetResult().GetParagraphs() {
		if p.GetSection() == "performance" {
			perfPara = p
			break
		}
	}
	if !perfPara.GetEdited() || perfPara.GetGeneratedText() == "" {
		t.Errorf("the edited paragraph does not show what was generated: %v", perfPara)
	}

	// A coded phrase.
	coded := paragraphsWith(t, edited, "performance", "Sie war stets bemüht, die ihr übertragenen Aufgaben zu erledigen.")
	edited = mustUpdate(t, c, edited, secResult, result(coded))
	if !edited.GetCheck().GetNeedsConfirmation() || len(findings(edited.GetCheck(), "code")) == 0 {
		t.Fatalf("the coded phrase is not found: %v", edited.GetCheck())
	}

	edited = transition(t, c, edited, stReview, stCompleted)
	_, err = c.Cert.TransitionCertificate(ctx(), connect.NewRequest(&zeugov1.TransitionCertificateRequest{Id: edited.GetId(),
		Version: edited.GetVersion(), Status: stIssued}))
	wantViolation(t, err, connect.CodeFailedPrecondition, "confirmation_reason", "zeugo.confirmation")
	_, err = c.Cert.TransitionCertificate(ctx(), connect.NewRequest(&zeugov1.TransitionCertificateRequest{Id: edited.GetId(),
		Version: edited.GetVersion(), Status: stIssued, ConfirmationReason: "   "}))
	wantViolation(t, err, connect.CodeFailedPrecondition, "confirmation_reason", "zeugo.confirmation")
	if got := get(t, c, edited.GetId()); got.GetStatus() != stCompleted || got.GetDocumentSha256() != "" {
		t.Fatalf("the refused issue changed the certificate: %v", got.GetStatus())
	}
	const reason = "Wunsch der Mitarbeiterin nach Rücksprache mit der Rechtsabteilung"
	res, err := c.Cert.TransitionCertificate(ctx(), connect.NewRequest(&zeugov1.TransitionCertificateRequest{Id: edited.GetId(),
		Version: edited.GetVersion(), Status: stIssued, ConfirmationReason: reason}))
	if err != nil {
		t.Fatal(err)
	}
	issued := res.Msg.GetCertificate()
	h, err := c.Cert.ListCertificateHistory(ctx(), connect.NewRequest(&zeugov1.ListCertificateHistoryRequest{Id: issued.GetId()}))
	if err != nil {
		t.Fatal(err)
	}
	last := h.Msg.GetEntries()[len(h.Msg.GetEntries())-1]
	if last.GetStatus() != stIssued || last.GetReason() != reason {
		t.Fatalf("history: %v", last)
	}
	var details string
	f.env.AsOwner(f.ten.TenantID, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx(), `SELECT details FROM audit_events WHERE tenant_id = $1 AND action = 'certificate.issued' AND target_id = $2`,
			f.ten.TenantID, issued.GetId()).Scan(&details)
	})
	if !strings.Contains(details, `"confirmed":"true"`) || !strings.Contains(details, issued.GetDocumentSha256()) || strings.Contains(details, "Rechtsabteilung") {
		t.Fatalf("audit details of the issue: %s", details)
	}
	// The reason is stored encrypted.
	if n := f.count(t, `SELECT count(*) FROM certificate_history WHERE certificate_id = $1 AND position(convert_to('Rechtsabteilung', 'UTF8') in reason_enc) > 0`,
		mustUUID(issued.GetId())); n != 0 {
		t.Fatal("the reason is stored in clear")
	}
}

// TestPrivateFlagOnlyByCreatorOrAdministrator: another user who sees the
// certificate cannot change its private flag (zeugo.creator_only); its
// creator and Administrator access can.
func TestPrivateFlagOnlyByCreatorOrAdministrator(t *testing.T) {
	t.Parallel()
	f := setup(t, "privat")
	o := apptest.MakeOrg(t, f.admin.Org)
	emp := f.employee(t, f.admin, "P1", "Privat", o.Companies[0])
	r := apptest.Restriction{Companies: []string{o.Companies[0]}}
	owner := clientOf(apptest.AddUser(t, f.env, f.ten, "eigen@privat.example", []string{"employees"}, r))
	colleague := clientOf(apptest.AddUser(t, f.env, f.ten, "kollege@privat.example", []string{"employees"}, r))
	cert := create(t, owner, emp.GetId(), final, false)
	set := func(c *client, cert *zeugov1.Certificate, private bool) (*zeugov1.Certificate, error) {
		res, err := c.Cert.SetCertificatePrivate(ctx(), connect.NewRequest(&zeugov1.SetCertificatePrivateRequest{Id: cert.GetId(),
			Version: cert.GetVersion(), Private: private}))
		if err != nil {
			return nil, err
		}
		return res.Msg.GetCertificate(), nil
	}
	if !cert.GetCreatedByCaller() || get(t, colleague, cert.GetId()).GetCreatedByCaller() {
		t.Fatal("created_by_caller")
	}
	_, err := set(colleague, cert, true)
	wantViolation(t, err, connect.CodePermissionDenied, "private", "zeugo.creator_only")
	cert, err = set(owner, cert, true)
	if err != nil || !cert.GetPrivate() {
		t.Fatalf("the creator sets private: %v", err)
	}
	_, err = colleague.Cert.GetCertificate(ctx(), connect.NewRequest(&zeugov1.GetCertificateRequest{Id: cert.GetId()}))
	apptest.WantCode(t, err, connect.CodeNotFound, "a private certificate to a colleague")
	cert, err = set(f.admin, cert, false)
	if err != nil || cert.GetPrivate() {
		t.Fatalf("administrator access sets public: %v", err)
	}
	get(t, colleague, cert.GetId())
}

// TestCorrectionIsANewDraftAndTheIssuedOneStays: a correction references
// the issued certificate, carries its content, and leaves it unchanged.
func TestCorrectionIsANewDraftAndTheIssuedOneStays(t *testing.T) {
	t.Parallel()
	f := setup(t, "korrektur")
	c := f.admin
	cert := f.issuable(t, c, "K1")
	_, err := c.Cert.CorrectCertificate(ctx(), connect.NewRequest(&zeugov1.CorrectCertificateRequest{Id: cert.GetId()}))
	wantViolation(t, err, connect.CodeFailedPrecondition, "id", "zeugo.issued_only")
	issued := transition(t, c, cert, stReview, stCompleted, stIssued)
	res, err := c.Cert.CorrectCertificate(ctx(), connect.NewRequest(&zeugov1.CorrectCertificateRequest{Id: issued.GetId()}))
	if err != nil {
		t.Fatal(err)
	}
	corr := res.Msg.GetCertificate()
	if corr.GetId() == issued.GetId() || corr.GetCorrectsId() != issued.GetId() || corr.GetStatus() != stDraft ||
		corr.GetEmployeeId() != issued.GetEmployeeId() || corr.GetDocumentSha256() != "" {
		t.Fatalf("correction: %v", corr)
	}
	if !proto.Equal(corr.GetContent().GetPerformance(), issued.GetContent().GetPerformance()) ||
		len(corr.GetContent().GetResult().GetParagraphs()) != len(issued.GetContent().GetResult().GetParagraphs()) {
		t.Fatal("the correction does not carry the content")
	}
	mustUpdate(t, c, corr, secConduct, &zeugov1.UpdateCertificateSectionRequest{Section: &zeugov1.UpdateCertificateSectionRequest_Conduct{
		Conduct: &zeugov1.ConductSection{Internal: 1, External: 1}}})
	after := get(t, c, issued.GetId())
	if after.GetStatus() != stIssued || after.GetVersion() != issued.GetVersion() || after.GetDocumentSha256() != issued.GetDocumentSha256() ||
		!proto.Equal(after.GetContent(), issued.GetContent()) {
		t.Fatal("the correction changed the issued certificate")
	}
}

// TestDeleteTakesEverythingOfTheCertificate: sections, signatories,
// history, change log and stored PDF go with it (checked as the owner,
// beneath row-level security); the employees it referenced can be deleted
// only after it.
func TestDeleteTakesEverythingOfTheCertificate(t *testing.T) {
	t.Parallel()
	f := setup(t, "loeschen")
	setTracking(t, f.admin, true)
	c := f.admin
	cert := f.issuable(t, c, "X1")
	signer := f.employee(t, c, "X2", "Zeichnerin", "")
	cert = mustUpdate(t, c, cert, secSignatures, &zeugov1.UpdateCertificateSectionRequest{Section: &zeugov1.UpdateCertificateSectionRequest_Signatures{
		Signatures: &zeugov1.SignaturesSection{Signatories: []*zeugov1.CertificateSignatory{{EmployeeId: signer.GetId(), Function: "Leiterin"}}}}})
	cert = generate(t, c, cert)
	cert = transition(t, c, cert, stReview, stCompleted, stIssued)
	id := mustUUID(cert.GetId())
	tables := []string{"certificate_sections", "certificate_signatories", "certificate_history", "certificate_changes", "certificate_documents"}
	for _, tb := range tables {
		if n := f.count(t, "SELECT count(*) FROM "+tb+" WHERE certificate_id = $1", id); n == 0 {
			t.Fatalf("%s has no rows before the delete", tb)
		}
	}
	for _, e := range []string{cert.GetEmployeeId(), signer.GetId()} {
		_, err := c.Emp.DeleteEmployee(ctx(), connect.NewRequest(&zeugov1.DeleteEmployeeRequest{Id: e}))
		apptest.WantCode(t, err, connect.CodeFailedPrecondition, "delete a referenced employee")
	}
	if _, err := c.Cert.DeleteCertificate(ctx(), connect.NewRequest(&zeugov1.DeleteCertificateRequest{Id: cert.GetId()})); err != nil {
		t.Fatal(err)
	}
	for _, tb := range append(tables, "certificates") {
		col := "certificate_id"
		if tb == "certificates" {
			col = "id"
		}
		if n := f.count(t, "SELECT count(*) FROM "+tb+" WHERE "+col+" = $1", id); n != 0 {
			t.Errorf("%s keeps %d rows of the deleted certificate", tb, n)
		}
	}
	_, err := c.Cert.GetCertificate(ctx(), connect.NewRequest(&zeugov1.GetCertificateRequest{Id: cert.GetId()}))
	apptest.WantCode(t, err, connect.CodeNotFound, "get after delete")
	for _, e := range []string{cert.GetEmployeeId(), signer.GetId()} {
		_, err := c.Emp.DeleteEmployee(ctx(), connect.NewRequest(&zeugov1.DeleteEmployeeRequest{Id: e}))
		apptest.WantCode(t, err, 0, "delete the employee once the certificate is gone")
	}
}

// TestCompanyIsTheTenantsAndInScope: the company section names a company
// of the tenant (another tenant's is zeugo.unknown) within a restricted
// caller's companies (zeugo.scope).
func TestCompanyIsTheTenantsAndInScope(t *testing.T) {
	t.Parallel()
	f := setup(t, "firma")
	o := apptest.MakeOrg(t, f.admin.Org)
	other := fixtureIn(t, f.env, "fremdfirma")
	foreign := other.company(t, "Fremde Firma GmbH")
	emp := f.employee(t, f.admin, "F1", "Firmen", o.Companies[0])
	restricted := clientOf(apptest.AddUser(t, f.env, f.ten, "nur-a@firma.example", []string{"employees"},
		apptest.Restriction{Companies: []string{o.Companies[0]}}))
	cert := create(t, restricted, emp.GetId(), final, false)
	company := func(id string) *zeugov1.UpdateCertificateSectionRequest {
		return &zeugov1.UpdateCertificateSectionRequest{Section: &zeugov1.UpdateCertificateSectionRequest_Company{
			Company: &zeugov1.CompanySection{CompanyId: id, City: "Ulm"}}}
	}
	_, err := update(f.admin, cert, zeugov1.CertificateSection_CERTIFICATE_SECTION_COMPANY, company(foreign))
	wantViolation(t, err, connect.CodeInvalidArgument, "company.company_id", "zeugo.unknown")
	_, err = update(restricted, cert, zeugov1.CertificateSection_CERTIFICATE_SECTION_COMPANY, company(o.Companies[1]))
	wantViolation(t, err, connect.CodeInvalidArgument, "company.company_id", "zeugo.scope")
	got := mustUpdate(t, f.admin, cert, zeugov1.CertificateSection_CERTIFICATE_SECTION_COMPANY, company(o.Companies[1]))
	if got.GetCompanyId() != o.Companies[1] {
		t.Fatalf("company %s", got.GetCompanyId())
	}
}

// TestChangingTheJobProfileDropsTheOtherProfilesTasks: the task templates
// chosen belong to the job profile; when the profile changes, those the
// new one does not have go (they would be refused on the tasks section's
// next save and stop the text), and the change is logged like any other.
func TestChangingTheJobProfileDropsTheOtherProfilesTasks(t *testing.T) {
	t.Parallel()
	f := setup(t, "beruf")
	c := f.admin
	setTracking(t, c, true)
	cat, err := c.Cert.GetCertificateCatalog(ctx(), connect.NewRequest(&zeugov1.GetCertificateCatalogRequest{Language: "de"}))
	if err != nil {
		t.Fatal(err)
	}
	p1, p2 := cat.Msg.GetJobProfiles()[0], cat.Msg.GetJobProfiles()[1]
	emp := f.employee(t, c, "J1", "Beruf", f.company(t, "Beruf GmbH"))
	res, err := c.Cert.CreateCertificate(ctx(), connect.NewRequest(&zeugov1.CreateCertificateRequest{EmployeeId: emp.GetId(), Kind: final,
		JobProfileId: p1.GetId()}))
	if err != nil {
		t.Fatal(err)
	}
	cert := rated(t, c, res.Msg.GetCertificate())
	if len(cert.GetContent().GetTasks().GetProfileTaskIds()) != len(p1.GetTasks()) {
		t.Fatalf("the profile's tasks are not chosen at creation: %v", cert.GetContent().GetTasks())
	}
	data := func(profile string) *zeugov1.UpdateCertificateSectionRequest {
		return &zeugov1.UpdateCertificateSectionRequest{Section: &zeugov1.UpdateCertificateSectionRequest_Data{Data: &zeugov1.DataSection{
			Kind: final, Language: "de", JobProfileId: profile, JobTitle: "Sachbearbeiterin"}}}
	}
	cert = mustUpdate(t, c, cert, secData, data(p2.GetId()))
	for _, id := range cert.GetContent().GetTasks().GetProfileTaskIds() {
		if !hasTask(p2, id) {
			t.Errorf("task %q of %s stays under %s", id, p1.GetId(), p2.GetId())
		}
	}
	if got := cert.GetContent().GetTasks().GetTasks(); len(got) != 2 {
		t.Errorf("the free tasks changed: %v", got)
	}
	if version(t, cert, secTasks) != 2 {
		t.Errorf("tasks version %d, want 2", version(t, cert, secTasks))
	}
	logged := false
	for _, ch := range changes(t, c, cert.GetId()) {
		logged = logged || ch.GetSection() == secTasks
	}
	if !logged {
		t.Error("the dropped tasks are not in the change log")
	}
	gen, err := c.Cert.GenerateCertificateText(ctx(), connect.NewRequest(&zeugov1.GenerateCertificateTextRequest{Id: cert.GetId(),
		Version: version(t, cert, secResult)}))
	if err != nil || len(gen.Msg.GetCertificate().GetContent().GetResult().GetParagraphs()) == 0 {
		t.Fatalf("generate after the profile change: %v %v", err, gen)
	}
	// No profile: no templates.
	cert = mustUpdate(t, c, gen.Msg.GetCertificate(), secData, data(""))
	if ids := cert.GetContent().GetTasks().GetProfileTaskIds(); len(ids) != 0 {
		t.Errorf("templates without a profile: %v", ids)
	}
}

// TestCreateDoesNotHideAFailureAsNotFound: only an employee that is not
// there (or not in reach) is "no such employee"; a failure reading one —
// here a name ciphertext moved from another employee's row, which does
// not decrypt — is an internal error (logged with its id), not a NotFound
// that hides it.
func TestCreateDoesNotHideAFailureAsNotFound(t *testing.T) {
	t.Parallel()
	f := setup(t, "kaputt")
	a := f.employee(t, f.admin, "K1", "Erste", "")
	b := f.employee(t, f.admin, "K2", "Zweite", "")
	f.env.AsOwner(f.ten.TenantID, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx(), `UPDATE employees SET first_name_enc = (SELECT first_name_enc FROM employees WHERE id = $2) WHERE id = $1`,
			mustUUID(a.GetId()), mustUUID(b.GetId()))
		return err
	})
	_, err := f.admin.Cert.CreateCertificate(ctx(), connect.NewRequest(&zeugov1.CreateCertificateRequest{EmployeeId: a.GetId(), Kind: final}))
	apptest.WantCode(t, err, connect.CodeInternal, "create for an employee whose record does not decrypt")
	_, err = f.admin.Cert.CreateCertificate(ctx(), connect.NewRequest(&zeugov1.CreateCertificateRequest{EmployeeId: "01a21f6f-0000-7000-8000-000000000000", Kind: final}))
	wantViolation(t, err, connect.CodeNotFound, "employee_id", "zeugo.unknown")
}
