package tenantcatalog_test

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"

	"connectrpc.com/connect"
	"github.com/jackc/pgx/v5"

	"github.com/zeugo/zeugo/backend/internal/apptest"
	"github.com/zeugo/zeugo/backend/internal/catalog"
	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
	"github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1/zeugov1connect"
	"github.com/zeugo/zeugo/backend/internal/generator"
	"github.com/zeugo/zeugo/backend/internal/tenantcatalog"
)

func ctx() context.Context { return context.Background() }

var protocols = []apptest.Protocol{apptest.Connect, apptest.GRPC}

type client struct {
	*apptest.Session
	Cat  zeugov1connect.CatalogServiceClient
	Cert zeugov1connect.CertificateServiceClient
	Emp  zeugov1connect.EmployeeServiceClient
}

func clientOf(s *apptest.Session) *client {
	return &client{Session: s, Cat: zeugov1connect.NewCatalogServiceClient(s.HTTP, s.URL, s.Options()...),
		Cert: zeugov1connect.NewCertificateServiceClient(s.HTTP, s.URL, s.Options()...),
		Emp:  zeugov1connect.NewEmployeeServiceClient(s.HTTP, s.URL, s.Options()...)}
}

func admin(t *testing.T, env *apptest.Env, ten *apptest.Tenant, p apptest.Protocol) *client {
	t.Helper()
	return clientOf(apptest.SignIn(t, env, ten.Email, ten.Password, p))
}

func getCatalog(t *testing.T, c *client) *zeugov1.GetCatalogResponse {
	t.Helper()
	res, err := c.Cat.GetCatalog(ctx(), connect.NewRequest(&zeugov1.GetCatalogRequest{}))
	if err != nil {
		t.Fatalf("get catalog: %v", err)
	}
	return res.Msg
}

func letter(cat *zeugov1.GetCatalogResponse, key string) *zeugov1.CatalogLetterTextEntry {
	for _, l := range cat.GetLetterTexts() {
		if l.GetKey() == key {
			return l
		}
	}
	return nil
}

func attribute(cat *zeugov1.GetCatalogResponse, id string) *zeugov1.CatalogAttributeEntry {
	for _, a := range cat.GetAttributes() {
		if a.GetId() == id {
			return a
		}
	}
	return nil
}

func setLetter(c *client, read int64, key string, de, en []string) (int64, error) {
	res, err := c.Cat.UpdateLetterText(ctx(), connect.NewRequest(&zeugov1.UpdateLetterTextRequest{CatalogVersion: read, Key: key,
		Fields: &zeugov1.LetterTextFields{De: de, En: en}}))
	if err != nil {
		return 0, err
	}
	return res.Msg.GetVersion(), nil
}

func setAttribute(c *client, read int64, id string, f *zeugov1.AttributeFields) (int64, error) {
	res, err := c.Cat.UpdateAttribute(ctx(), connect.NewRequest(&zeugov1.UpdateAttributeRequest{CatalogVersion: read, Id: id, Fields: f}))
	if err != nil {
		return 0, err
	}
	return res.Msg.GetVersion(), nil
}

const ownIntro = "{FullName}{birth} gehörte vom {entry} bis zum {exit} als {job} zu unserem Haus."

// violation returns the message of the violation of field (fails without).
func violation(t *testing.T, err error, field string) apptest.FieldViolation {
	t.Helper()
	apptest.WantCode(t, err, connect.CodeInvalidArgument, field)
	for _, v := range apptest.FieldViolations(t, err) {
		if v.Field == field {
			return v
		}
	}
	t.Fatalf("no violation of %s in %v", field, apptest.FieldViolations(t, err))
	return apptest.FieldViolation{}
}

func TestCatalogEntriesCanBeChangedAddedHiddenAndReset(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ten := env.CreateTenant("Katalog GmbH", "admin@katalog.example")
	for _, p := range protocols {
		t.Run(p.String(), func(t *testing.T) {
			c := admin(t, env, ten, p)
			cat := getCatalog(t, c)
			v := cat.GetVersion()
			if l := letter(cat, "intro.final"); l.GetState() != zeugov1.CatalogEntryState_CATALOG_ENTRY_STATE_DEFAULT && p == apptest.Connect {
				t.Fatalf("intro.final state %v before any change", l.GetState())
			}
			// change a letter text in German only
			v, err := setLetter(c, v, "intro.final", []string{ownIntro}, nil)
			if err != nil {
				t.Fatal(err)
			}
			cat = getCatalog(t, c)
			l := letter(cat, "intro.final")
			if cat.GetVersion() != v || l.GetState() != zeugov1.CatalogEntryState_CATALOG_ENTRY_STATE_CHANGED ||
				l.GetFields().GetDe()[0] != ownIntro || len(l.GetFields().GetEn()) != 3 || strings.Join(l.GetChangedLanguages(), ",") != "de" {
				t.Fatalf("after the change: version %d (want %d), %v", cat.GetVersion(), v, l)
			}
			// add an attribute without English: added, English missing
			v, err = setAttribute(c, v, "termintreue_"+p.String(), &zeugov1.AttributeFields{Kind: "professional", NameDe: "Termintreue", MaxGrade: 3})
			if err != nil {
				t.Fatal(err)
			}
			cat = getCatalog(t, c)
			a := attribute(cat, "termintreue_"+p.String())
			if a.GetState() != zeugov1.CatalogEntryState_CATALOG_ENTRY_STATE_ADDED || strings.Join(a.GetMissingLanguages(), ",") != "en" {
				t.Fatalf("added attribute: %v", a)
			}
			// an added entry cannot be reset, only hidden
			_, err = c.Cat.ResetCatalogEntry(ctx(), connect.NewRequest(&zeugov1.ResetCatalogEntryRequest{CatalogVersion: v,
				Kind: zeugov1.CatalogEntryKind_CATALOG_ENTRY_KIND_ATTRIBUTE, Id: a.GetId()}))
			apptest.WantCode(t, err, connect.CodeFailedPrecondition, "reset of an added entry")
			hres, err := c.Cat.HideCatalogEntry(ctx(), connect.NewRequest(&zeugov1.HideCatalogEntryRequest{CatalogVersion: v,
				Kind: zeugov1.CatalogEntryKind_CATALOG_ENTRY_KIND_ATTRIBUTE, Id: a.GetId(), Hidden: true}))
			if err != nil {
				t.Fatal(err)
			}
			v = hres.Msg.GetVersion()
			if !attribute(getCatalog(t, c), a.GetId()).GetHidden() {
				t.Fatal("the attribute is not hidden")
			}
			// reset the letter text: back to the shipped one
			rres, err := c.Cat.ResetCatalogEntry(ctx(), connect.NewRequest(&zeugov1.ResetCatalogEntryRequest{CatalogVersion: v,
				Kind: zeugov1.CatalogEntryKind_CATALOG_ENTRY_KIND_LETTER_TEXT, Id: "intro.final"}))
			if err != nil {
				t.Fatal(err)
			}
			v = rres.Msg.GetVersion()
			l = letter(getCatalog(t, c), "intro.final")
			if l.GetState() != zeugov1.CatalogEntryState_CATALOG_ENTRY_STATE_DEFAULT || l.GetFields().GetDe()[0] != l.GetDefaultFields().GetDe()[0] {
				t.Fatalf("after reset: %v", l)
			}
			// the history names every change, newest first, with its author
			hist, err := c.Cat.ListCatalogVersions(ctx(), connect.NewRequest(&zeugov1.ListCatalogVersionsRequest{PageSize: 2}))
			if err != nil {
				t.Fatal(err)
			}
			vs := hist.Msg.GetVersions()
			if len(vs) != 2 || vs[0].GetVersion() != v || !strings.Contains(vs[0].GetSummary(), "letterText:intro.final reset") ||
				hist.Msg.GetNextBeforeVersion() != vs[1].GetVersion() {
				t.Fatalf("history: %v", hist.Msg)
			}
		})
	}
}

func TestCodedPhraseWrongTenseAndGradeAreRefused(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ten := env.CreateTenant("Code GmbH", "admin@code.example")
	for _, p := range protocols {
		t.Run(p.String(), func(t *testing.T) {
			c := admin(t, env, ten, p)
			v := getCatalog(t, c).GetVersion()
			cases := []struct {
				key, text, field, rule, wantDe string
			}{
				// a coded phrase in the exit sentence
				{"exit.own_wish", "{FullName} verlässt uns auf eigenen Wunsch; {er} hat sich stets bemüht.", "fields.de[0]", "zeugo.catalog.finding", "„"},
				// present tense where a final reference speaks in the past
				{"intro.final", "{FullName}{birth} ist seit dem {entry} als {job} bei uns tätig.", "fields.de[0]", "zeugo.catalog.finding", ""},
				// a grade in a text that must carry none
				{"intro.final", "{FullName}{birth} arbeitete vom {entry} bis zum {exit} als {job} stets zu unserer vollsten Zufriedenheit.", "fields.de[0]", "zeugo.catalog.grade", "Note 1"},
				// a closing formula whose grade does not fit its band
				{"closing.thanks.1", "Wir danken {ihm} für die Zusammenarbeit.", "fields.de[0]", "zeugo.catalog.grade", "Note 1"},
				// a placeholder the generator does not know
				{"intro.final", "{FullName} war vom {entry} bis zum {exit} als {position} tätig.", "fields.de[0]", "zeugo.catalog.template", "position"},
			}
			for _, tc := range cases {
				_, err := setLetter(c, v, tc.key, []string{tc.text}, nil)
				if tc.rule == "" {
					// the reading of this text is the checker's call; if it
					// is refused, then on its field
					if err != nil {
						violation(t, err, tc.field)
					}
					continue
				}
				vi := violation(t, err, tc.field)
				if vi.RuleID != tc.rule || !strings.Contains(vi.Message, tc.wantDe) || !strings.Contains(vi.Message, "\n") {
					t.Errorf("%s %q: %s %q", tc.key, tc.text, vi.RuleID, vi.Message)
				}
			}
			// a coded phrase in a task sentence and an attribute
			_, err := c.Cat.UpdateJobProfile(ctx(), connect.NewRequest(&zeugov1.UpdateJobProfileRequest{CatalogVersion: v, Id: "einkauf",
				Fields: &zeugov1.JobProfileFields{TitleDe: &zeugov1.GenderedTitle{Neutral: "Fachkraft Einkauf"},
					Tasks: []*zeugov1.CatalogTaskFields{{Id: "anfragen", De: "Einholung von Angeboten"}, {Id: "geselligkeit", De: "Förderung der Geselligkeit im Betrieb"}}}}))
			vi := violation(t, err, "fields.tasks[1].de")
			if vi.RuleID != "zeugo.catalog.finding" {
				t.Errorf("task: %v", vi)
			}
			_, err = setAttribute(c, v, "humor", &zeugov1.AttributeFields{Kind: "personal", NameDe: "Humor", NameEn: "good humour", MaxGrade: 5})
			if vi := violation(t, err, "fields.name_en"); vi.RuleID != "zeugo.catalog.grade" {
				t.Errorf("attribute band: %v", vi)
			}
			// structure: the proto's rules
			_, err = setAttribute(c, v, "Ungültig!", &zeugov1.AttributeFields{Kind: "personal", NameDe: "X", MaxGrade: 7})
			if vs := apptest.Violations(t, err); vs["id"] == "" || vs["fields.max_grade"] == "" {
				t.Errorf("structure: %v", vs)
			}
			// nothing was stored
			if got := getCatalog(t, c).GetVersion(); got != v {
				t.Errorf("version %d after refused changes, want %d", got, v)
			}
		})
	}
}

func TestTwoAdministratorsEditingTheSameEntry(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ten := env.CreateTenant("Konflikt GmbH", "admin@konflikt.example")
	a, b := admin(t, env, ten, apptest.Connect), admin(t, env, ten, apptest.GRPC)
	read := getCatalog(t, a).GetVersion()
	// both read the same version; A saves first
	if _, err := setLetter(a, read, "intro.final", []string{ownIntro}, nil); err != nil {
		t.Fatal(err)
	}
	_, err := setLetter(b, read, "intro.final", []string{"{FullName}{birth} war vom {entry} bis zum {exit} als {job} bei uns."}, nil)
	apptest.WantCode(t, err, connect.CodeAborted, "B saves the same entry from a stale version")
	// B's change of another entry is applied on top of A's
	v, err := setLetter(b, read, "company.size", []string{"Wir beschäftigen etwa {employees} Menschen."}, nil)
	if err != nil {
		t.Fatalf("another entry: %v", err)
	}
	cat := getCatalog(t, a)
	if cat.GetVersion() != v || letter(cat, "intro.final").GetFields().GetDe()[0] != ownIntro ||
		letter(cat, "company.size").GetFields().GetDe()[0] != "Wir beschäftigen etwa {employees} Menschen." {
		t.Fatalf("both changes should be kept: %v / %v", letter(cat, "intro.final"), letter(cat, "company.size"))
	}
	// a version from the future and an import from a stale version
	_, err = setLetter(a, v+5, "intro.final", []string{ownIntro}, nil)
	apptest.WantCode(t, err, connect.CodeAborted, "a version not yet written")
	exp, err := a.Cat.ExportCatalog(ctx(), connect.NewRequest(&zeugov1.ExportCatalogRequest{}))
	if err != nil {
		t.Fatal(err)
	}
	_, err = a.Cat.ImportCatalog(ctx(), connect.NewRequest(&zeugov1.ImportCatalogRequest{CatalogVersion: read, Json: exp.Msg.GetJson()}))
	apptest.WantCode(t, err, connect.CodeAborted, "an import from a stale version")

	// two saves of the same entry at once: one wins, one is Aborted
	read = getCatalog(t, a).GetVersion()
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, c := range []*client{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = setLetter(c, read, "exit.mutual", []string{"Das Arbeitsverhältnis endet im gegenseitigen Einvernehmen am {exit}."}, nil)
		}()
	}
	wg.Wait()
	if (errs[0] == nil) == (errs[1] == nil) {
		t.Fatalf("concurrent saves: %v / %v", errs[0], errs[1])
	}
	for _, err := range errs {
		if err != nil {
			apptest.WantCode(t, err, connect.CodeAborted, "the losing save")
		}
	}
}

func TestImportChecksEverythingFirst(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	src := env.CreateTenant("Quelle GmbH", "admin@quelle.example")
	dst := env.CreateTenant("Ziel GmbH", "admin@ziel.example")
	for _, p := range protocols {
		t.Run(p.String(), func(t *testing.T) {
			a := admin(t, env, src, p)
			v := getCatalog(t, a).GetVersion()
			v, err := setLetter(a, v, "intro.final", []string{ownIntro}, nil)
			if err != nil {
				t.Fatal(err)
			}
			if _, err = setAttribute(a, v, "termintreue", &zeugov1.AttributeFields{Kind: "professional", NameDe: "Termintreue", NameEn: "adherence to schedules", MaxGrade: 3}); err != nil {
				t.Fatal(err)
			}
			exp, err := a.Cat.ExportCatalog(ctx(), connect.NewRequest(&zeugov1.ExportCatalogRequest{}))
			if err != nil {
				t.Fatal(err)
			}
			body := exp.Msg.GetJson()
			if !strings.Contains(body, `"format": 1`) {
				t.Fatalf("export without format: %s", body)
			}

			b := admin(t, env, dst, p)
			read := getCatalog(t, b).GetVersion()
			// unknown fields, at every level, all listed with their paths
			var raw map[string]any
			if err := json.Unmarshal([]byte(body), &raw); err != nil {
				t.Fatal(err)
			}
			raw["colour"] = "blue"
			raw["attributes"].([]any)[0].(map[string]any)["weight"] = 3
			bad, _ := json.Marshal(raw)
			_, err = b.Cat.ImportCatalog(ctx(), connect.NewRequest(&zeugov1.ImportCatalogRequest{CatalogVersion: read, Json: string(bad)}))
			vs := apptest.Violations(t, err)
			if vs["json.colour"] != "zeugo.catalog.json" || vs["json.attributes[0].weight"] != "zeugo.catalog.json" {
				t.Fatalf("unknown fields: %v", vs)
			}
			// several problems of content at once: a coded phrase, an
			// unknown key, a wrong format; nothing stored
			delete(raw, "colour")
			delete(raw["attributes"].([]any)[0].(map[string]any), "weight")
			raw["format"] = 2
			raw["letters"].(map[string]any)["de"].(map[string]any)["exit.own_wish"] = []string{"{FullName} hat sich stets bemüht."}
			raw["letters"].(map[string]any)["de"].(map[string]any)["nonsense.key"] = []string{"Text."}
			bad, _ = json.Marshal(raw)
			_, err = b.Cat.ImportCatalog(ctx(), connect.NewRequest(&zeugov1.ImportCatalogRequest{CatalogVersion: read, Json: string(bad)}))
			vs = apptest.Violations(t, err)
			if vs["json.format"] == "" || vs["json.letters.de.exit.own_wish[0]"] != "zeugo.catalog.finding" || vs["json.letters.de.nonsense.key"] == "" {
				t.Fatalf("content problems: %v", vs)
			}
			if got := getCatalog(t, b).GetVersion(); got != read {
				t.Fatalf("a refused import stored version %d", got)
			}
			// the clean export imports
			res, err := b.Cat.ImportCatalog(ctx(), connect.NewRequest(&zeugov1.ImportCatalogRequest{CatalogVersion: read, Json: body}))
			if err != nil {
				t.Fatalf("import: %v", err)
			}
			cat := getCatalog(t, b)
			if cat.GetVersion() != res.Msg.GetVersion() || letter(cat, "intro.final").GetFields().GetDe()[0] != ownIntro ||
				attribute(cat, "termintreue").GetState() != zeugov1.CatalogEntryState_CATALOG_ENTRY_STATE_ADDED {
				t.Fatalf("imported catalogue: %v", cat.GetVersion())
			}
		})
	}
}

func TestTenantsNeverSeeEachOthersCatalogue(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ta := env.CreateTenant("Alpha GmbH", "admin@alpha.example")
	tb := env.CreateTenant("Beta GmbH", "admin@beta.example")
	for _, p := range protocols {
		t.Run(p.String(), func(t *testing.T) {
			a, b := admin(t, env, ta, p), admin(t, env, tb, p)
			va := getCatalog(t, a).GetVersion()
			if _, err := setLetter(a, va, "intro.final", []string{ownIntro}, nil); err != nil {
				t.Fatal(err)
			}
			cb := getCatalog(t, b)
			if cb.GetVersion() != 0 || letter(cb, "intro.final").GetState() != zeugov1.CatalogEntryState_CATALOG_ENTRY_STATE_DEFAULT {
				t.Fatalf("B sees A's change: version %d", cb.GetVersion())
			}
			hist, err := b.Cat.ListCatalogVersions(ctx(), connect.NewRequest(&zeugov1.ListCatalogVersionsRequest{}))
			if err != nil || len(hist.Msg.GetVersions()) != 0 {
				t.Fatalf("B's history: %v %v", hist, err)
			}
			exp, err := b.Cat.ExportCatalog(ctx(), connect.NewRequest(&zeugov1.ExportCatalogRequest{}))
			if err != nil || strings.Contains(exp.Msg.GetJson(), "gehörte") {
				t.Fatalf("B's export: %v %v", exp, err)
			}
		})
	}
	// RLS alone (no tenant filter): the server's role bound to B sees no
	// row of A's.
	var n int
	if err := env.App.DB.Tenant(tb.TenantID).QueryRow(ctx(), "SELECT count(*) FROM catalog_versions").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("B's transaction sees %d catalogue versions", n)
	}
}

func TestAreasAndRoles(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ten := env.CreateTenant("Rollen GmbH", "admin@rollen.example")
	letters := clientOf(apptest.AddUser(t, env, ten, "texte@rollen.example", []string{"letter_texts"}, apptest.Restriction{}))
	staff := clientOf(apptest.AddUser(t, env, ten, "personal@rollen.example", []string{"employees"}, apptest.Restriction{}))
	v := getCatalog(t, letters).GetVersion()
	if _, err := setLetter(letters, v, "intro.final", []string{ownIntro}, nil); err != nil {
		t.Fatalf("letter texts area: %v", err)
	}
	v = getCatalog(t, letters).GetVersion()
	_, err := setAttribute(letters, v, "termintreue", &zeugov1.AttributeFields{Kind: "professional", NameDe: "Termintreue", MaxGrade: 3})
	apptest.WantCode(t, err, connect.CodePermissionDenied, "attribute without Qualifikationen")
	_, err = letters.Cat.HideCatalogEntry(ctx(), connect.NewRequest(&zeugov1.HideCatalogEntryRequest{CatalogVersion: v,
		Kind: zeugov1.CatalogEntryKind_CATALOG_ENTRY_KIND_JOB_PROFILE, Id: "einkauf", Hidden: true}))
	apptest.WantCode(t, err, connect.CodePermissionDenied, "hide a job profile without Berufsbilder")
	exp, err := letters.Cat.ExportCatalog(ctx(), connect.NewRequest(&zeugov1.ExportCatalogRequest{}))
	if err != nil {
		t.Fatalf("export with one catalogue area: %v", err)
	}
	_, err = letters.Cat.ImportCatalog(ctx(), connect.NewRequest(&zeugov1.ImportCatalogRequest{CatalogVersion: v, Json: exp.Msg.GetJson()}))
	apptest.WantCode(t, err, connect.CodePermissionDenied, "import needs every catalogue area")
	_, err = staff.Cat.GetCatalog(ctx(), connect.NewRequest(&zeugov1.GetCatalogRequest{}))
	apptest.WantCode(t, err, connect.CodePermissionDenied, "no catalogue area")
	// every change is in the audit log, in its transaction
	var n int
	env.AsOwner(ten.TenantID, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx(), "SELECT count(*) FROM audit_events WHERE tenant_id = $1 AND action = $2",
			ten.TenantID, tenantcatalog.ActionUpdated).Scan(&n)
	})
	if n != 1 {
		t.Errorf("%d audit events of catalogue updates, want 1", n)
	}
}

// A certificate records the catalogue version its text was generated
// with; a new letter text is used by the next generation; a hidden job
// profile stays with the certificates that use it but is not offered.
func TestCertificatesUseTheTenantsCatalogue(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ten := env.CreateTenant("Zeugnis GmbH", "admin@zeugnis.example")
	for _, p := range protocols {
		t.Run(p.String(), func(t *testing.T) {
			c := admin(t, env, ten, p)
			co, err := c.Org().CreateCompany(ctx(), connect.NewRequest(&zeugov1.CreateCompanyRequest{Fields: &zeugov1.CompanyFields{
				Name: "Zeugnis GmbH " + p.String(), Street: "Hafenstraße 3", Postcode: "20457", City: "Hamburg"}}))
			if err != nil {
				t.Fatal(err)
			}
			emp, err := c.Emp.CreateEmployee(ctx(), connect.NewRequest(&zeugov1.CreateEmployeeRequest{Fields: &zeugov1.EmployeeFields{
				Salutation: zeugov1.Salutation_SALUTATION_FRAU, FirstName: "Anna", LastName: "Katalog", PersonnelNumber: "K-" + p.String(),
				EntryDate: "2018-03-01", ExitDate: "2024-06-30", ExitReason: zeugov1.ExitReason_EXIT_REASON_OWN_WISH,
				JobTitle: "Sachbearbeiterin Einkauf", CompanyId: co.Msg.GetCompany().GetId(), Tasks: []string{"Pflege der Lieferantenstammdaten"}}}))
			if err != nil {
				t.Fatal(err)
			}
			cres, err := c.Cert.CreateCertificate(ctx(), connect.NewRequest(&zeugov1.CreateCertificateRequest{EmployeeId: emp.Msg.GetEmployee().GetId(),
				Kind: zeugov1.CertificateKind_CERTIFICATE_KIND_FINAL, JobProfileId: "einkauf"}))
			if err != nil {
				t.Fatal(err)
			}
			cert := rated(t, c, cres.Msg.GetCertificate())

			// v1: a change that does not touch this text
			v := getCatalog(t, c).GetVersion()
			v1, err := setLetter(c, v, "company.size", []string{"Wir beschäftigen etwa {employees} Menschen."}, nil)
			if err != nil {
				t.Fatal(err)
			}
			cert = generate(t, c, cert)
			if got := cert.GetContent().GetResult().GetTenantCatalogVersion(); got != v1 {
				t.Fatalf("generated with version %d, want %d", got, v1)
			}
			text1 := resultText(cert)
			if strings.Contains(text1, "gehörte vom") {
				t.Fatal("the new intro before it was saved")
			}
			// v2: a new introduction
			v2, err := setLetter(c, v1, "intro.final", []string{ownIntro}, nil)
			if err != nil {
				t.Fatal(err)
			}
			cert = generate(t, c, cert)
			if got := cert.GetContent().GetResult().GetTenantCatalogVersion(); got != v2 {
				t.Fatalf("generated with version %d, want %d", got, v2)
			}
			if !strings.Contains(resultText(cert), "gehörte vom 1. März 2018 bis zum 30. Juni 2024 als Sachbearbeiterin Einkauf zu unserem Haus.") ||
				!strings.Contains(cert.GetContent().GetResult().GetCatalogVersion(), "+t") {
				t.Fatalf("the new intro is not used: %s (%s)", resultText(cert), cert.GetContent().GetResult().GetCatalogVersion())
			}

			// hide the profile the certificate uses
			hres, err := c.Cat.HideCatalogEntry(ctx(), connect.NewRequest(&zeugov1.HideCatalogEntryRequest{CatalogVersion: v2,
				Kind: zeugov1.CatalogEntryKind_CATALOG_ENTRY_KIND_JOB_PROFILE, Id: "einkauf", Hidden: true}))
			if err != nil {
				t.Fatal(err)
			}
			cert = generate(t, c, cert)
			if cert.GetContent().GetResult().GetTenantCatalogVersion() != hres.Msg.GetVersion() {
				t.Fatal("the certificate with a hidden profile was not regenerated")
			}
			pdf, err := c.Cert.DownloadCertificate(ctx(), connect.NewRequest(&zeugov1.DownloadCertificateRequest{Id: cert.GetId()}))
			if err != nil || len(pdf.Msg.GetPdf()) == 0 {
				t.Fatalf("preview with a hidden profile: %v", err)
			}
			// its data section still saves with the hidden profile
			if _, err := updateData(c, cert); err != nil {
				t.Fatalf("save the data section with the hidden profile: %v", err)
			}
			// not offered for new certificates
			ed, err := c.Cert.GetCertificateCatalog(ctx(), connect.NewRequest(&zeugov1.GetCertificateCatalogRequest{Language: "de"}))
			if err != nil {
				t.Fatal(err)
			}
			for _, pr := range ed.Msg.GetJobProfiles() {
				if pr.GetId() == "einkauf" {
					t.Fatal("the editor offers the hidden profile")
				}
			}
			_, err = c.Cert.CreateCertificate(ctx(), connect.NewRequest(&zeugov1.CreateCertificateRequest{EmployeeId: emp.Msg.GetEmployee().GetId(),
				Kind: zeugov1.CertificateKind_CERTIFICATE_KIND_FINAL, JobProfileId: "einkauf"}))
			apptest.WantCode(t, err, connect.CodeInvalidArgument, "a new certificate with a hidden profile")
			// show it again for the next subtest
			if _, err := c.Cat.HideCatalogEntry(ctx(), connect.NewRequest(&zeugov1.HideCatalogEntryRequest{CatalogVersion: hres.Msg.GetVersion(),
				Kind: zeugov1.CatalogEntryKind_CATALOG_ENTRY_KIND_JOB_PROFILE, Id: "einkauf", Hidden: false})); err != nil {
				t.Fatal(err)
			}
			if _, err := c.Cat.ResetCatalogEntry(ctx(), connect.NewRequest(&zeugov1.ResetCatalogEntryRequest{CatalogVersion: getCatalog(t, c).GetVersion(),
				Kind: zeugov1.CatalogEntryKind_CATALOG_ENTRY_KIND_LETTER_TEXT, Id: "intro.final"})); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// The library of a version reproduces its text word for word, after later
// versions and from a cold cache.
func TestVersionLibrariesAreReproducible(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ten := env.CreateTenant("Repro GmbH", "admin@repro.example")
	c := admin(t, env, ten, apptest.Connect)
	v1, err := setLetter(c, 0, "exit.own_wish", []string{"{FullName} verlässt unser Unternehmen am {exit} auf eigenen Wunsch."}, nil)
	if err != nil {
		t.Fatal(err)
	}
	v2, err := setLetter(c, v1, "exit.own_wish", []string{"Zum {exit} scheidet {FullName} auf eigenen Wunsch aus."}, nil)
	if err != nil {
		t.Fatal(err)
	}
	f := generator.Facts{Seed: "repro", Kind: generator.Final, Language: "de",
		Person:    generator.Person{Salutation: generator.Herr, FirstName: "Jonas", LastName: "Beispiel"},
		Company:   generator.Company{Name: "Repro GmbH", City: catalog.T("Köln")},
		EntryDate: generator.NewDate(2019, 1, 1), ExitDate: generator.NewDate(2024, 3, 31), ExitReason: generator.ExitOwnWish,
		JobProfile: "einkauf",
		Ratings: generator.Ratings{Bereitschaft: 2, Befaehigung: 2, Wissen: 2, Weiterbildung: 2, Arbeitsweise: 2, Arbeitserfolg: 2,
			VerhaltenIntern: 2, VerhaltenExtern: 2}}
	text := func(svc *tenantcatalog.Service, v int64) string {
		var out string
		env.AsOwner(ten.TenantID, func(tx pgx.Tx) error {
			lib, err := svc.At(ctx(), tx, ten.TenantID, v)
			if err != nil {
				return err
			}
			doc, err := generator.Generate(f, lib)
			if err != nil {
				return err
			}
			b, _ := json.Marshal(doc.Paragraphs)
			out = string(b) + "|" + doc.Version
			return nil
		})
		return out
	}
	warm := tenantcatalog.NewService(env.App.Work)
	t1, t2 := text(warm, v1), text(warm, v2)
	if !strings.Contains(t1, "verlässt unser Unternehmen") || !strings.Contains(t2, "scheidet Herr Jonas Beispiel auf eigenen Wunsch aus") {
		t.Fatalf("texts:\n%s\n%s", t1, t2)
	}
	if !strings.Contains(t1, "|catalog "+catalog.MustDefault().Version+"+t1, letters de 3, phrases de ") {
		t.Errorf("version string: %s", t1[strings.LastIndex(t1, "|"):])
	}
	if cold := text(tenantcatalog.NewService(env.App.Work), v1); cold != t1 {
		t.Fatalf("version 1 is not reproduced:\n%s\n%s", cold, t1)
	}
	if def := text(warm, 0); def == t1 || strings.Contains(def, "+t") {
		t.Fatal("version 0 is not the shipped catalogue")
	}
}

func resultText(cert *zeugov1.Certificate) string {
	var b strings.Builder
	for _, p := range cert.GetContent().GetResult().GetParagraphs() {
		b.WriteString(p.GetText())
		b.WriteString("\n")
	}
	return b.String()
}

func sectionVersion(cert *zeugov1.Certificate, s zeugov1.CertificateSection) int64 {
	for _, si := range cert.GetSections() {
		if si.GetSection() == s {
			return si.GetVersion()
		}
	}
	return 0
}

func rated(t *testing.T, c *client, cert *zeugov1.Certificate) *zeugov1.Certificate {
	t.Helper()
	res, err := c.Cert.UpdateCertificateSection(ctx(), connect.NewRequest(&zeugov1.UpdateCertificateSectionRequest{Id: cert.GetId(),
		Version: sectionVersion(cert, zeugov1.CertificateSection_CERTIFICATE_SECTION_PERFORMANCE),
		Section: &zeugov1.UpdateCertificateSectionRequest_Performance{Performance: &zeugov1.PerformanceSection{Willingness: 2, Ability: 2,
			Knowledge: 2, Learning: 2, WorkingStyle: 2, Results: 2}}}))
	if err != nil {
		t.Fatal(err)
	}
	cert = res.Msg.GetCertificate()
	res, err = c.Cert.UpdateCertificateSection(ctx(), connect.NewRequest(&zeugov1.UpdateCertificateSectionRequest{Id: cert.GetId(),
		Version: sectionVersion(cert, zeugov1.CertificateSection_CERTIFICATE_SECTION_CONDUCT),
		Section: &zeugov1.UpdateCertificateSectionRequest_Conduct{Conduct: &zeugov1.ConductSection{Internal: 2, External: 2}}}))
	if err != nil {
		t.Fatal(err)
	}
	return res.Msg.GetCertificate()
}

func generate(t *testing.T, c *client, cert *zeugov1.Certificate) *zeugov1.Certificate {
	t.Helper()
	res, err := c.Cert.GenerateCertificateText(ctx(), connect.NewRequest(&zeugov1.GenerateCertificateTextRequest{Id: cert.GetId(),
		Version: sectionVersion(cert, zeugov1.CertificateSection_CERTIFICATE_SECTION_RESULT)}))
	if err != nil {
		t.Fatalf("generate: %v", err)
	}
	if len(res.Msg.GetCertificate().GetContent().GetResult().GetParagraphs()) == 0 {
		t.Fatalf("no text: %v", res.Msg.GetProblems())
	}
	return res.Msg.GetCertificate()
}

// updateData saves the data section unchanged (its job profile included).
func updateData(c *client, cert *zeugov1.Certificate) (*zeugov1.Certificate, error) {
	res, err := c.Cert.UpdateCertificateSection(ctx(), connect.NewRequest(&zeugov1.UpdateCertificateSectionRequest{Id: cert.GetId(),
		Version: sectionVersion(cert, zeugov1.CertificateSection_CERTIFICATE_SECTION_DATA),
		Section: &zeugov1.UpdateCertificateSectionRequest_Data{Data: cert.GetContent().GetData()}}))
	if err != nil {
		return nil, err
	}
	return res.Msg.GetCertificate(), nil
}
