package handover_test

import (
	"fmt"
	"slices"
	"testing"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/zeugo/zeugo/backend/internal/apptest"
	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
)

// allSections are the 17 sections of SPEC §5.1 in enum order.
func allSections() []zeugov1.CertificateSection {
	var out []zeugov1.CertificateSection
	for s := zeugov1.CertificateSection_CERTIFICATE_SECTION_DATA; s <= secResult; s++ {
		out = append(out, s)
	}
	return out
}

// readOnly are the sections a recipient can be given for reading only.
func readOnly(s zeugov1.CertificateSection) bool {
	return s == secCompany || s == zeugov1.CertificateSection_CERTIFICATE_SECTION_SIGNATURES
}

// filled is a certificate whose every section HR has filled (so a
// readable section is never empty in the recipient's view), with the
// ids a section update needs.
type filled struct {
	*fixture
	company, signer string
}

// fillAll gives every section of f.cert content through HR's rpcs and
// generates the text.
func fillAll(t testing.TB, f *fixture) *filled {
	t.Helper()
	co, err := f.hr.Session.Org().CreateCompany(ctx(), connect.NewRequest(&zeugov1.CreateCompanyRequest{Fields: &zeugov1.CompanyFields{
		Name: "Brückner & Söhne GmbH", Street: "Hafenstraße 3", Postcode: "20457", City: "Hamburg"}}))
	if err != nil {
		t.Fatal(err)
	}
	signer := f.certificate(t, "S-1", "Leitner")
	x := &filled{fixture: f, company: co.Msg.GetCompany().GetId(), signer: signer.GetEmployeeId()}
	cert := getCert(t, f.hr, f.cert.GetId())
	for _, sec := range allSections() {
		if sec == secResult {
			continue
		}
		req := x.sectionUpdate(sec, cert, 0)
		res, err := f.hr.Cert.UpdateCertificateSection(ctx(), connect.NewRequest(req))
		if err != nil {
			t.Fatalf("HR fills %v: %v", sec, err)
		}
		cert = res.Msg.GetCertificate()
	}
	gen, err := f.hr.Cert.GenerateCertificateText(ctx(), connect.NewRequest(&zeugov1.GenerateCertificateTextRequest{Id: cert.GetId(),
		Version: version(cert, secResult)}))
	if err != nil || len(gen.Msg.GetCertificate().GetContent().GetResult().GetParagraphs()) == 0 {
		t.Fatalf("generate: %v %v", err, gen)
	}
	f.cert = gen.Msg.GetCertificate()
	return x
}

// sectionUpdate is a valid update of sec at its version in cur (HR's
// view), with content that differs for each n.
func (x *filled) sectionUpdate(sec zeugov1.CertificateSection, cur *zeugov1.Certificate, n int) *zeugov1.UpdateCertificateSectionRequest {
	req := &zeugov1.UpdateCertificateSectionRequest{Id: cur.GetId(), Version: version(cur, sec)}
	grade := int32(n%4) + 1
	s := fmt.Sprint(n)
	switch sec {
	case zeugov1.CertificateSection_CERTIFICATE_SECTION_DATA:
		req.Section = &zeugov1.UpdateCertificateSectionRequest_Data{Data: &zeugov1.DataSection{
			Kind: zeugov1.CertificateKind_CERTIFICATE_KIND_FINAL, Language: "de", JobTitle: "Sachbearbeiterin Buchhaltung " + s}}
	case secPersonal:
		req.Section = &zeugov1.UpdateCertificateSectionRequest_Personal{Personal: &zeugov1.PersonalSection{
			Salutation: zeugov1.Salutation_SALUTATION_FRAU, FirstName: "Anna", LastName: "Weiß", Birthplace: "Köln " + s}}
	case secCompany:
		req.Section = &zeugov1.UpdateCertificateSectionRequest_Company{Company: &zeugov1.CompanySection{CompanyId: x.company,
			City: "Hamburg", HeadCount: int32(100 + n)}}
	case zeugov1.CertificateSection_CERTIFICATE_SECTION_CERTIFICATE_DATA:
		req.Section = &zeugov1.UpdateCertificateSectionRequest_CertificateData{CertificateData: &zeugov1.CertificateDataSection{
			EntryDate: "2018-03-01", ExitDate: "2024-06-30", IssueDate: fmt.Sprintf("2024-07-%02d", 1+n%28),
			ExitReason: zeugov1.ExitReason_EXIT_REASON_OWN_WISH}}
	case zeugov1.CertificateSection_CERTIFICATE_SECTION_FURTHER:
		req.Section = &zeugov1.UpdateCertificateSectionRequest_Further{Further: &zeugov1.FurtherSection{ExternalParties: "Lieferanten " + s}}
	case zeugov1.CertificateSection_CERTIFICATE_SECTION_SIGNATURES:
		req.Section = &zeugov1.UpdateCertificateSectionRequest_Signatures{Signatures: &zeugov1.SignaturesSection{
			Signatories: []*zeugov1.CertificateSignatory{{EmployeeId: x.signer, Function: "Leiterin " + s}}}}
	case zeugov1.CertificateSection_CERTIFICATE_SECTION_CAREER:
		req.Section = &zeugov1.UpdateCertificateSectionRequest_Career{Career: &zeugov1.CareerSection{Positions: []*zeugov1.Position{
			{FromDate: "2018-03-01", Title: "Sachbearbeiterin " + s}}}}
	case zeugov1.CertificateSection_CERTIFICATE_SECTION_STATIONS:
		req.Section = &zeugov1.UpdateCertificateSectionRequest_Stations{Stations: &zeugov1.StationsSection{Stations: []*zeugov1.Station{
			{FromDate: "2018-03-01", ToDate: "2019-02-28", Department: "Einkauf " + s}}}}
	case zeugov1.CertificateSection_CERTIFICATE_SECTION_TASKS:
		req.Section = &zeugov1.UpdateCertificateSectionRequest_Tasks{Tasks: &zeugov1.TasksSection{Tasks: []string{"Kreditorenbuchhaltung " + s}}}
	case zeugov1.CertificateSection_CERTIFICATE_SECTION_ADDITIONAL_TASKS:
		req.Section = &zeugov1.UpdateCertificateSectionRequest_AdditionalTasks{AdditionalTasks: &zeugov1.TextListSection{
			Items: []string{"Ersthelferin " + s}}}
	case zeugov1.CertificateSection_CERTIFICATE_SECTION_TRAININGS:
		req.Section = &zeugov1.UpdateCertificateSectionRequest_Trainings{Trainings: &zeugov1.TrainingsSection{Trainings: []*zeugov1.Training{
			{Title: "Tabellenkalkulation " + s, Provider: "IHK", Year: 2020}}}}
	case zeugov1.CertificateSection_CERTIFICATE_SECTION_AUTHORITIES:
		req.Section = &zeugov1.UpdateCertificateSectionRequest_Authorities{Authorities: &zeugov1.AuthoritiesSection{
			Authorities: []*zeugov1.Authority{{Kind: zeugov1.AuthorityKind_AUTHORITY_KIND_OTHER, Name: "Einkaufsvollmacht " + s}}}}
	case secPerformance:
		req.Section = &zeugov1.UpdateCertificateSectionRequest_Performance{Performance: &zeugov1.PerformanceSection{
			Willingness: grade, Ability: grade, Knowledge: grade, Learning: grade, WorkingStyle: grade, Results: grade}}
	case secConduct:
		req.Section = &zeugov1.UpdateCertificateSectionRequest_Conduct{Conduct: &zeugov1.ConductSection{Internal: grade, External: grade}}
	case zeugov1.CertificateSection_CERTIFICATE_SECTION_QUALIFICATIONS:
		req.Section = &zeugov1.UpdateCertificateSectionRequest_Qualifications{Qualifications: &zeugov1.QualificationsSection{}}
	case zeugov1.CertificateSection_CERTIFICATE_SECTION_SUCCESSES:
		req.Section = &zeugov1.UpdateCertificateSectionRequest_Successes{Successes: &zeugov1.TextListSection{
			Items: []string{"Einführung der E-Rechnung " + s}}}
	case secResult:
		paras := proto.Clone(cur.GetContent().GetResult()).(*zeugov1.ResultSection).GetParagraphs()
		if len(paras) > 0 {
			paras[len(paras)-1].Text += " Stand " + s + "."
		}
		req.Section = &zeugov1.UpdateCertificateSectionRequest_Result{Result: &zeugov1.ResultSection{Paragraphs: paras}}
	}
	return req
}

// contentField is the field of CertificateContent that holds sec (the
// content message numbers its fields like the enum).
func contentField(sec zeugov1.CertificateSection) protoreflect.FieldDescriptor {
	return (&zeugov1.CertificateContent{}).ProtoReflect().Descriptor().Fields().ByNumber(protoreflect.FieldNumber(sec))
}

// level is what a handover grants for a section.
type level int

const (
	none level = iota
	read
	write
)

func (l level) String() string { return [...]string{"none", "read", "write"}[l] }

// matrixCase is one handover: a level per section and the download right.
type matrixCase struct {
	name     string
	levels   map[zeugov1.CertificateSection]level
	download bool
}

// matrixCases cover none, read and write of every section in four
// handovers: A writes the even-index sections and reads the odd ones, B
// the other way round (a section that cannot be written is read), C reads
// only the even ones, D only the odd ones.
func matrixCases() []matrixCase {
	var a, b, c, d = map[zeugov1.CertificateSection]level{}, map[zeugov1.CertificateSection]level{},
		map[zeugov1.CertificateSection]level{}, map[zeugov1.CertificateSection]level{}
	for i, sec := range allSections() {
		w := write
		if readOnly(sec) {
			w = read
		}
		if i%2 == 0 {
			a[sec], b[sec], c[sec], d[sec] = w, read, read, none
		} else {
			a[sec], b[sec], c[sec], d[sec] = read, w, none, read
		}
	}
	return []matrixCase{{"A", a, true}, {"B", b, false}, {"C", c, true}, {"D", d, false}}
}

func (m matrixCase) grants() []*zeugov1.SectionGrant {
	var out []*zeugov1.SectionGrant
	for _, sec := range allSections() {
		if l := m.levels[sec]; l != none {
			out = append(out, &zeugov1.SectionGrant{Section: sec, Read: true, Write: l == write})
		}
	}
	return out
}

// TestGrantsMatrix: for every section × {none, read, write}, over Connect
// (and over gRPC the two handovers that have every outcome between them),
// the recipient reads exactly the readable sections (content, versions,
// the checker's reading only with the text), writes exactly the
// writable ones — a refused write changes nothing HR sees — generates the
// text only with Ergebnis writable and checks it only with Ergebnis
// readable, and downloads only with the download right. Unternehmen and
// Unterschriften cannot be handed over for writing.
func TestGrantsMatrix(t *testing.T) {
	t.Parallel()
	x := fillAll(t, setup(t))
	for _, sec := range []zeugov1.CertificateSection{secCompany, zeugov1.CertificateSection_CERTIFICATE_SECTION_SIGNATURES} {
		_, err := x.hr.Hand.CreateHandover(ctx(), connect.NewRequest(&zeugov1.CreateHandoverRequest{CertificateId: x.cert.GetId(),
			Recipient: &zeugov1.HandoverRecipient{Name: "Petra Vorgesetzte", Email: "ro@kunde.example"}, Language: "de",
			Grants: []*zeugov1.SectionGrant{grant(secPerformance, true), grant(sec, true)}}))
		wantViolation(t, err, connect.CodeInvalidArgument, "grants[1].write", "zeugo.handover.read_only_section")
	}
	cases := matrixCases()
	links := map[string][2]string{}
	for _, m := range cases {
		addr := "empfaenger-" + m.name + "@kunde.example"
		_, err := x.hr.Hand.CreateHandover(ctx(), connect.NewRequest(&zeugov1.CreateHandoverRequest{CertificateId: x.cert.GetId(),
			Recipient: &zeugov1.HandoverRecipient{Name: "Empfänger " + m.name, Email: addr}, Language: "de", Grants: m.grants(),
			Download: m.download}))
		if err != nil {
			t.Fatalf("hand over %s: %v", m.name, err)
		}
		id, secret := x.link(t, addr)
		links[m.name] = [2]string{id, secret}
	}
	n := 0
	for _, p := range []apptest.Protocol{apptest.Connect, apptest.GRPC} {
		for _, m := range cases {
			// The grants are checked by the same handlers whichever the
			// protocol: the whole matrix runs over Connect, and gRPC
			// carries A and D, which between them have every outcome —
			// sections written, read and absent, generation and the
			// checker allowed (A: Ergebnis writable) and refused (D:
			// Ergebnis not granted), download with and without the right.
			if p == apptest.GRPC && m.name != "A" && m.name != "D" {
				continue
			}
			t.Run(p.String()+"/"+m.name, func(t *testing.T) {
				r := x.open(t, links[m.name][0], links[m.name][1], p)
				x.checkReads(t, r, m)
				x.checkWrites(t, r, m, &n)
				_, err := r.Cert.DownloadCertificate(ctx(), connect.NewRequest(&zeugov1.DownloadCertificateRequest{Id: x.cert.GetId()}))
				if m.download {
					apptest.WantCode(t, err, 0, "download with the right")
				} else {
					apptest.WantCode(t, err, connect.CodePermissionDenied, "download without the right")
				}
				mine, err := r.Rcpt.GetMyHandover(ctx(), connect.NewRequest(&zeugov1.GetMyHandoverRequest{}))
				if err != nil {
					t.Fatal(err)
				}
				if !slices.EqualFunc(mine.Msg.GetHandover().GetGrants(), m.grants(), func(a, b *zeugov1.SectionGrant) bool { return proto.Equal(a, b) }) ||
					mine.Msg.GetHandover().GetDownload() != m.download {
					t.Fatalf("my handover's grants %v, want %v", mine.Msg.GetHandover().GetGrants(), m.grants())
				}
			})
		}
	}
}

// checkReads holds the recipient's view against HR's: each readable
// section whole, nothing else.
func (x *filled) checkReads(t *testing.T, r *hr, m matrixCase) {
	t.Helper()
	full := getCert(t, x.hr, x.cert.GetId())
	got := getCert(t, r, x.cert.GetId())
	var want, have []zeugov1.CertificateSection
	for _, si := range got.GetSections() {
		have = append(have, si.GetSection())
	}
	hc, rc := full.GetContent().ProtoReflect(), got.GetContent().ProtoReflect()
	for _, sec := range allSections() {
		fd := contentField(sec)
		if m.levels[sec] == none {
			if rc.Has(fd) {
				t.Errorf("%v is not granted but in the content: %v", sec, rc.Get(fd))
			}
			continue
		}
		want = append(want, sec)
		if !rc.Has(fd) || !proto.Equal(rc.Get(fd).Message().Interface(), hc.Get(fd).Message().Interface()) {
			t.Errorf("%v readable: recipient sees %v, HR %v", sec, rc.Get(fd).Message().Interface(), hc.Get(fd).Message().Interface())
		}
		if version(got, sec) != version(full, sec) {
			t.Errorf("%v: version %d, HR's %d", sec, version(got, sec), version(full, sec))
		}
	}
	if !slices.Equal(have, want) {
		t.Errorf("sections %v, want %v", have, want)
	}
	if m.levels[secResult] == none && got.GetCheck() != nil {
		t.Errorf("the checker's reading without Ergebnis: %v", got.GetCheck())
	}
	if m.levels[secPersonal] == none && got.GetPersonnelNumber() != "" {
		t.Errorf("personnel number without Persönliche Daten")
	}
	if m.levels[secCompany] == none && got.GetCompanyId() != "" {
		t.Errorf("company id without Unternehmen")
	}
	_, err := r.Cert.CheckCertificateText(ctx(), connect.NewRequest(&zeugov1.CheckCertificateTextRequest{Id: x.cert.GetId(),
		Paragraphs: full.GetContent().GetResult().GetParagraphs()}))
	if m.levels[secResult] == none {
		apptest.WantCode(t, err, connect.CodePermissionDenied, "check without Ergebnis")
	} else {
		apptest.WantCode(t, err, 0, "check with Ergebnis readable")
	}
}

// checkWrites writes every section as the recipient: the refused ones
// first (HR's view stays exactly as it was), then the granted ones (each
// lands, with the recipient as its last saver).
func (x *filled) checkWrites(t *testing.T, r *hr, m matrixCase, n *int) {
	t.Helper()
	before := getCert(t, x.hr, x.cert.GetId())
	for _, sec := range allSections() {
		if m.levels[sec] == write {
			continue
		}
		*n++
		_, err := r.Cert.UpdateCertificateSection(ctx(), connect.NewRequest(x.sectionUpdate(sec, before, *n)))
		apptest.WantCode(t, err, connect.CodePermissionDenied, fmt.Sprintf("write of %v (%v)", sec, m.levels[sec]))
	}
	gen, err := r.Cert.GenerateCertificateText(ctx(), connect.NewRequest(&zeugov1.GenerateCertificateTextRequest{Id: x.cert.GetId(),
		Version: version(before, secResult)}))
	if m.levels[secResult] == write {
		apptest.WantCode(t, err, 0, "generate with Ergebnis writable")
		onlyReadable(t, gen.Msg.GetCertificate(), m, "the generation's answer")
	} else {
		apptest.WantCode(t, err, connect.CodePermissionDenied, "generate without Ergebnis writable")
	}
	after := getCert(t, x.hr, x.cert.GetId())
	if m.levels[secResult] != write && !proto.Equal(before, after) {
		t.Fatalf("refused writes changed the certificate:\nbefore %v\nafter  %v", before, after)
	}
	for _, sec := range allSections() {
		if m.levels[sec] != write {
			continue
		}
		*n++
		cur := getCert(t, x.hr, x.cert.GetId())
		req := x.sectionUpdate(sec, cur, *n)
		res, err := r.Cert.UpdateCertificateSection(ctx(), connect.NewRequest(req))
		if err != nil {
			t.Fatalf("write of %v (write): %v", sec, err)
		}
		onlyReadable(t, res.Msg.GetCertificate(), m, "the write's answer")
		if v := version(res.Msg.GetCertificate(), sec); v != req.GetVersion()+1 {
			t.Errorf("%v: version %d after the write of %d", sec, v, req.GetVersion())
		}
		now := getCert(t, x.hr, x.cert.GetId())
		fd := contentField(sec)
		sent := req.ProtoReflect().Get(req.ProtoReflect().WhichOneof(req.ProtoReflect().Descriptor().Oneofs().ByName("section"))).Message().Interface()
		if sec != secResult && !proto.Equal(now.GetContent().ProtoReflect().Get(fd).Message().Interface(), sent) {
			t.Errorf("%v: HR sees %v, the recipient wrote %v", sec, now.GetContent().ProtoReflect().Get(fd), sent)
		}
		for _, si := range now.GetSections() {
			if si.GetSection() == sec && si.GetUpdatedByName() != "Empfänger "+m.name {
				t.Errorf("%v saved by %q", sec, si.GetUpdatedByName())
			}
		}
	}
}

// onlyReadable fails t when an answer to the recipient carries a section
// (content or version) the handover does not let it read.
func onlyReadable(t *testing.T, cert *zeugov1.Certificate, m matrixCase, what string) {
	t.Helper()
	for _, si := range cert.GetSections() {
		if m.levels[si.GetSection()] == none {
			t.Errorf("%s carries the version of %v", what, si.GetSection())
		}
	}
	rc := cert.GetContent().ProtoReflect()
	for _, sec := range allSections() {
		if m.levels[sec] == none && rc.Has(contentField(sec)) {
			t.Errorf("%s carries %v", what, sec)
		}
	}
}
