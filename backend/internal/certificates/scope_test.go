package certificates_test

import (
	"slices"
	"sort"
	"strconv"
	"testing"

	"connectrpc.com/connect"

	"github.com/zeugo/zeugo/backend/internal/apptest"
	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
)

// TestCertificateReachOnEveryPath is the access matrix of SPEC §3.3: users
// with a restriction × employees by their structure × private flag
// (created by someone else, by the caller) × every read path and every
// write by id. A certificate out of reach is NotFound or absent every
// time — never PermissionDenied, which would tell it exists.
// Administrator access sees private certificates; API keys see what their
// user sees; another tenant's ids are NotFound to everyone.
func TestCertificateReachOnEveryPath(t *testing.T) {
	t.Parallel()
	f := setup(t, "reichweite")
	o := apptest.MakeOrg(t, f.admin.Org)

	// Employees by their structure: (company, location, department, org
	// unit, type) index, -1 unset.
	staff := map[string][5]int{
		"R00000": {0, 0, 0, 0, 0},
		"R01000": {0, 1, 0, 0, 0},
		"R10000": {1, 0, 0, 0, 0},
		"R11111": {1, 1, 1, 1, 1},
		"RNONE":  {-1, -1, -1, -1, -1},
	}
	pick := func(list [2]string, i int) string {
		if i < 0 {
			return ""
		}
		return list[i]
	}
	var certs []reachCert
	employeeOf := map[string]string{}
	for pn, d := range staff {
		res, err := f.admin.Emp.CreateEmployee(ctx(), connect.NewRequest(&zeugov1.CreateEmployeeRequest{Fields: &zeugov1.EmployeeFields{
			Salutation: zeugov1.Salutation_SALUTATION_FRAU, FirstName: "Vera", LastName: "Sicht" + pn, PersonnelNumber: pn,
			EntryDate: "2018-03-01", ExitDate: "2024-06-30", ExitReason: zeugov1.ExitReason_EXIT_REASON_OWN_WISH,
			JobTitle: "Sachbearbeiterin", Tasks: []string{"Buchhaltung"}, CompanyId: pick(o.Companies, d[0]), LocationId: pick(o.Locations, d[1]),
			DepartmentId: pick(o.Departments, d[2]), OrgUnitId: pick(o.OrgUnits, d[3]), EmployeeTypeId: pick(o.Types, d[4])}}))
		if err != nil {
			t.Fatal(err)
		}
		employeeOf[pn] = res.Msg.GetEmployee().GetId()
		for _, private := range []bool{false, true} {
			c := rated(t, f.admin, create(t, f.admin, employeeOf[pn], final, private))
			if d[0] >= 0 { // without a company there is no text (nor a PDF: FailedPrecondition in reach)
				c = generate(t, f.admin, c)
			}
			certs = append(certs, reachCert{id: c.GetId(), pn: pn, company: pick(o.Companies, d[0]), creator: "admin", private: private})
		}
	}
	// Another tenant's certificate: NotFound to everyone here.
	other := fixtureIn(t, f.env, "fremd")
	foreign := create(t, other.admin, other.employee(t, other.admin, "F1", "Fremd", "").GetId(), final, false).GetId()

	type user struct {
		name    string
		r       apptest.Restriction
		visible []string // personnel numbers whose certificates are in reach
		admin   bool     // the role grants Administrator, which no restriction limits
	}
	all := []string{"R00000", "R01000", "R10000", "R11111", "RNONE"}
	users := []user{
		{"administrator access", apptest.Restriction{All: true}, all, false},
		{"company A", apptest.Restriction{Companies: []string{o.Companies[0]}}, []string{"R00000", "R01000"}, false},
		{"company A, location A", apptest.Restriction{Companies: []string{o.Companies[0]}, Locations: []string{o.Locations[0]}}, []string{"R00000"}, false},
		{"either location", apptest.Restriction{Locations: []string{o.Locations[0], o.Locations[1]}}, []string{"R00000", "R01000", "R10000", "R11111"}, false},
		{"org unit B and type B", apptest.Restriction{OrgUnits: []string{o.OrgUnits[1]}, Types: []string{o.Types[1]}}, []string{"R11111"}, false},
		{"restricted to nothing", apptest.Restriction{}, nil, false},
		{"administrator role, restricted to nothing", apptest.Restriction{}, all, true},
	}
	for i, u := range users {
		t.Run(u.name, func(t *testing.T) {
			areas := []string{"employees", "api_keys"}
			if u.admin {
				areas = []string{"administrator"}
			}
			sess := apptest.AddUser(t, f.env, f.ten, "reach"+strconv.Itoa(i)+"@reichweite.example", areas, u.r)
			callers := map[string]*client{"connect": clientOf(sess)}
			// The user's session over gRPC walks the same handlers as
			// over Connect: one user who reaches some certificates and
			// not others (in reach, out of reach, another's private one)
			// proves the codes over gRPC; the read key calls over gRPC
			// for every user.
			if u.name == "company A" {
				grpc := *sess
				grpc.Protocol, grpc.HTTP = apptest.GRPC, f.env.HTTPClient()
				callers["grpc"] = clientOf(&grpc)
			}
			callers["key read"] = keyClient(f.env, sess.NewAPIKey(t, "certificates", zeugov1.ApiKeyAccess_API_KEY_ACCESS_READ), apptest.GRPC)
			callers["key write"] = keyClient(f.env, sess.NewAPIKey(t, "certificates", zeugov1.ApiKeyAccess_API_KEY_ACCESS_WRITE), apptest.Connect)

			// The user's own private certificate of an employee in reach:
			// theirs to see, nobody else's (but Administrator access) —
			// the users after this one find it among the certificates.
			if len(u.visible) > 0 {
				pn := u.visible[0]
				c := create(t, callers["connect"], employeeOf[pn], final, true)
				certs = append(certs, reachCert{id: c.GetId(), pn: pn, company: c.GetCompanyId(), creator: u.name, private: true})
			}
			mine := certs
			reachable := func(c reachCert) bool {
				return slices.Contains(u.visible, c.pn) && (!c.private || u.r.All || u.admin || c.creator == u.name)
			}
			var want []string
			for _, c := range mine {
				if reachable(c) {
					want = append(want, c.id)
				}
			}
			sort.Strings(want)

			// The callers' walks change nothing (writes carry a stale
			// version, deletes and exports are of certificates out of
			// reach), so they run side by side; this user's t.Run returns
			// only when all of them are done, before the next user adds
			// a certificate.
			for name, c := range callers {
				t.Run(name, func(t *testing.T) {
					t.Parallel()
					checkReach(t, c, name, mine, reachable, want, employeeOf, foreign)
				})
			}
		})
	}

	// Certificates the restricted users created privately stay hidden
	// from one another: "company A" and "company A, location A" both
	// reach R00000, and neither sees the other's private certificate.
	a := clientOf(apptest.AddUser(t, f.env, f.ten, "a1@reichweite.example", []string{"employees"}, apptest.Restriction{Companies: []string{o.Companies[0]}}))
	b := clientOf(apptest.AddUser(t, f.env, f.ten, "b1@reichweite.example", []string{"employees"}, apptest.Restriction{Companies: []string{o.Companies[0]}}))
	mineA := create(t, a, employeeOf["R00000"], final, true)
	_, err := b.Cert.GetCertificate(ctx(), connect.NewRequest(&zeugov1.GetCertificateRequest{Id: mineA.GetId()}))
	apptest.WantCode(t, err, connect.CodeNotFound, "another user's private certificate")
	get(t, a, mineA.GetId())
	get(t, f.admin, mineA.GetId())
}

// reachCert is a certificate of the matrix: its employee's personnel
// number and company, who created it ("admin" or the user's name), and
// whether it is private.
type reachCert struct {
	id, pn, company, creator string
	private                  bool
}

// checkReach walks every path for one caller: want are the ids the caller
// should list, reachable says whether one certificate is in reach.
func checkReach(t *testing.T, c *client, name string, certs []reachCert, reachable func(reachCert) bool, want []string, employeeOf map[string]string, foreign string) {
	isKey := name == "key read" || name == "key write"
	list := func(f *zeugov1.CertificateFilter) []string {
		t.Helper()
		res, err := c.Cert.ListCertificates(ctx(), connect.NewRequest(&zeugov1.ListCertificatesRequest{Filter: f,
			Page: &zeugov1.PageRequest{PageSize: 200}}))
		if err != nil {
			t.Fatalf("list %v: %v", f, err)
		}
		var out []string
		for _, s := range res.Msg.GetCertificates() {
			out = append(out, s.GetId())
		}
		sort.Strings(out)
		if int64(len(out)) != res.Msg.GetPage().GetTotalSize() {
			t.Errorf("list %v: total %d for %d rows", f, res.Msg.GetPage().GetTotalSize(), len(out))
		}
		return out
	}
	if got := list(nil); !slices.Equal(got, want) {
		t.Errorf("list: got %d rows %v, want %d %v", len(got), got, len(want), want)
	}
	subset := func(what string, got []string, keep func(string) bool) {
		t.Helper()
		var w []string
		for _, id := range want {
			if keep(id) {
				w = append(w, id)
			}
		}
		if !slices.Equal(got, w) {
			t.Errorf("%s: got %v, want %v", what, got, w)
		}
	}
	byID := map[string]int{}
	for i, x := range certs {
		byID[x.id] = i
	}
	for pn, emp := range employeeOf {
		subset("list by employee "+pn, list(&zeugov1.CertificateFilter{EmployeeId: emp}), func(id string) bool { return certs[byID[id]].pn == pn })
		subset("search by personnel number "+pn, list(&zeugov1.CertificateFilter{Search: pn}), func(id string) bool { return certs[byID[id]].pn == pn })
		subset("search by name "+pn, list(&zeugov1.CertificateFilter{Search: "sicht" + pn}), func(id string) bool { return certs[byID[id]].pn == pn })
	}
	// Each company once (the certificates share two companies; listing a
	// company again per certificate asked the same question again).
	seen := map[string]bool{}
	for _, x := range certs {
		if co := x.company; co != "" && !seen[co] {
			seen[co] = true
			subset("list by company", list(&zeugov1.CertificateFilter{CompanyId: co}), func(id string) bool { return certs[byID[id]].company == co })
		}
	}
	subset("private only", list(&zeugov1.CertificateFilter{PrivateOnly: true}), func(id string) bool { return certs[byID[id]].private })

	ids := []string{foreign}
	for _, x := range certs {
		ids = append(ids, x.id)
	}
	for _, id := range ids {
		in := id != foreign && reachable(certs[byID[id]])
		code := func(what string, err error) {
			t.Helper()
			if in {
				if err != nil && connect.CodeOf(err) == connect.CodeNotFound {
					t.Errorf("%s of a certificate in reach: %v", what, err)
				}
				return
			}
			apptest.WantCode(t, err, connect.CodeNotFound, what+" out of reach")
		}
		_, err := c.Cert.GetCertificate(ctx(), connect.NewRequest(&zeugov1.GetCertificateRequest{Id: id}))
		code("get", err)
		_, err = c.Cert.CheckCertificateText(ctx(), connect.NewRequest(&zeugov1.CheckCertificateTextRequest{Id: id,
			Paragraphs: []*zeugov1.ResultParagraph{{Section: "performance", Text: "Sie arbeitete stets sorgfältig."}}}))
		code("check text", err)
		_, err = c.Cert.ListCertificateHistory(ctx(), connect.NewRequest(&zeugov1.ListCertificateHistoryRequest{Id: id}))
		code("history", err)
		if !isKey { // the change log is for users only (proto access)
			_, err = c.Cert.ListCertificateChanges(ctx(), connect.NewRequest(&zeugov1.ListCertificateChangesRequest{Id: id}))
			code("change log", err)
		}
		_, err = c.Cert.DownloadCertificate(ctx(), connect.NewRequest(&zeugov1.DownloadCertificateRequest{Id: id}))
		code("download", err)
		if !in && name != "key read" {
			// Every certificate in reach and this one: NotFound, and
			// nothing starts (export_test.go counts what a refusal leaves).
			_, err = c.Cert.StartCertificateExport(ctx(), connect.NewRequest(&zeugov1.StartCertificateExportRequest{Ids: append(slices.Clone(want), id)}))
			apptest.WantCode(t, err, connect.CodeNotFound, "export with one out of reach")
		}
		if name == "key read" {
			continue // writes are refused for the key's scope before any lookup
		}
		// Writes by id: a stale version proves the certificate is reached
		// (Aborted) without changing it; out of reach they are NotFound.
		const stale = 1 << 40
		_, err = c.Cert.UpdateCertificateSection(ctx(), connect.NewRequest(&zeugov1.UpdateCertificateSectionRequest{Id: id, Version: stale,
			Section: &zeugov1.UpdateCertificateSectionRequest_Conduct{Conduct: &zeugov1.ConductSection{Internal: 1}}}))
		code("update section", err)
		_, err = c.Cert.GenerateCertificateText(ctx(), connect.NewRequest(&zeugov1.GenerateCertificateTextRequest{Id: id, Version: stale}))
		code("generate", err)
		_, err = c.Cert.TransitionCertificate(ctx(), connect.NewRequest(&zeugov1.TransitionCertificateRequest{Id: id, Version: stale,
			Status: stReview}))
		code("transition", err)
		if !isKey { // the private flag is for users only (proto access)
			_, err = c.Cert.SetCertificatePrivate(ctx(), connect.NewRequest(&zeugov1.SetCertificatePrivateRequest{Id: id, Version: stale, Private: true}))
			code("set private", err)
		}
		_, err = c.Cert.CorrectCertificate(ctx(), connect.NewRequest(&zeugov1.CorrectCertificateRequest{Id: id}))
		code("correct", err) // none is issued: FailedPrecondition in reach
		if !in {
			_, err = c.Cert.DeleteCertificate(ctx(), connect.NewRequest(&zeugov1.DeleteCertificateRequest{Id: id}))
			code("delete", err)
		}
	}
	if name == "key read" {
		_, err := c.Cert.UpdateCertificateSection(ctx(), connect.NewRequest(&zeugov1.UpdateCertificateSectionRequest{Id: certs[0].id, Version: 1,
			Section: &zeugov1.UpdateCertificateSectionRequest_Conduct{Conduct: &zeugov1.ConductSection{Internal: 1}}}))
		apptest.WantCode(t, err, connect.CodePermissionDenied, "write with a read key")
	}
}
