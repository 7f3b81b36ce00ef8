package certificates_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"connectrpc.com/connect"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/zeugo/zeugo/backend/internal/access"
	"github.com/zeugo/zeugo/backend/internal/apptest"
	"github.com/zeugo/zeugo/backend/internal/certificates"
	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
	"github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1/zeugov1connect"
)

// bareCertList is the baseline of a certificate page: a connect-go
// handler that runs one indexed SELECT of the same page (as a role that
// bypasses row-level security), decrypts
// the rows with the service's own code and answers them — no
// authentication, access rule, validation, count or audit.
type bareCertList struct {
	zeugov1connect.UnimplementedCertificateServiceHandler
	pool     *pgxpool.Pool
	env      *apptest.Env
	tenantID uuid.UUID
	// where restricts the page like the user's scope (empty for an
	// administrator), args after the tenant id.
	where string
	args  []any
}

func (h *bareCertList) ListCertificates(ctx context.Context, _ *connect.Request[zeugov1.ListCertificatesRequest]) (*connect.Response[zeugov1.ListCertificatesResponse], error) {
	c, err := h.env.App.Keys.Tenant(ctx, h.pool, h.tenantID)
	if err != nil {
		return nil, err
	}
	rows, err := h.pool.Query(ctx, "SELECT "+certificates.RowColumns+" FROM certificates WHERE tenant_id = $1"+h.where+
		" ORDER BY updated_at DESC, id DESC LIMIT 51", append([]any{h.tenantID}, h.args...)...)
	if err != nil {
		return nil, err
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (*zeugov1.CertificateSummary, error) {
		s, err := certificates.ScanSummary(ctx, c, r)
		return certificates.SummaryToProto(s), err
	})
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.ListCertificatesResponse{Certificates: list[:min(len(list), 50)]}), nil
}

// seedCertificates files 10,000 employees (UpsertEmployees, 1,000 per
// call) and two certificates each (COPY as the bypass role: the list reads
// only the certificate rows, and the create rpc would spend minutes
// writing sections no page reads). Company i%4 and location (i/4)%5 hold
// 1/20 of the staff; one certificate in ten is private to the admin.
func seedCertificates(b *testing.B, env *apptest.Env, bypass *pgxpool.Pool, ten *apptest.Tenant, c *client) (companies, locations []string) {
	for i := range 4 {
		res, err := c.Org.CreateCompany(ctx(), connect.NewRequest(&zeugov1.CreateCompanyRequest{
			Fields: &zeugov1.CompanyFields{Name: fmt.Sprintf("Firma %d GmbH", i), City: "Hamburg"}}))
		if err != nil {
			b.Fatal(err)
		}
		companies = append(companies, res.Msg.GetCompany().GetId())
	}
	for i := range 5 {
		u, err := c.Org.CreateUnit(ctx(), connect.NewRequest(&zeugov1.CreateUnitRequest{Kind: zeugov1.UnitKind_UNIT_KIND_LOCATION,
			Fields: &zeugov1.UnitFields{Name: fmt.Sprintf("Standort %d", i)}}))
		if err != nil {
			b.Fatal(err)
		}
		locations = append(locations, u.Msg.GetUnit().GetId())
	}
	first := []string{"Anna", "Jürgen", "Sabine", "Thomas", "Jörg", "Birgit", "Özlem", "Käthe"}
	last := []string{"Müller", "Schmidt", "Schäfer", "Weiß", "Groß", "Krüger", "Böhm", "Lefèvre", "Yılmaz", "Hoffmann"}
	const staff = 10000
	for start := 0; start < staff; start += 1000 {
		batch := make([]*zeugov1.EmployeeFields, 1000)
		for j := range batch {
			i := start + j
			batch[j] = &zeugov1.EmployeeFields{Salutation: zeugov1.Salutation(1 + i%2), FirstName: first[i%len(first)],
				LastName: last[(i/3)%len(last)], PersonnelNumber: fmt.Sprintf("B%06d", i), EntryDate: "2015-04-01",
				JobTitle: "Sachbearbeitung", CompanyId: companies[i%4], LocationId: locations[(i/4)%5]}
		}
		if _, err := c.Emp.UpsertEmployees(ctx(), connect.NewRequest(&zeugov1.UpsertEmployeesRequest{Employees: batch})); err != nil {
			b.Fatal(err)
		}
	}
	rows, err := bypass.Query(ctx(), "SELECT id, company_id FROM employees WHERE tenant_id = $1", ten.TenantID)
	if err != nil {
		b.Fatal(err)
	}
	type emp struct{ id, company uuid.UUID }
	staffRows, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (emp, error) {
		var e emp
		return e, r.Scan(&e.id, &e.company)
	})
	if err != nil {
		b.Fatal(err)
	}
	var certs [][]any
	at := time.Date(2026, 1, 1, 8, 0, 0, 0, time.UTC)
	kinds := []string{"final", "interim", "final", "apprenticeship", "simple"}
	statuses := []string{"draft", "in_progress", "review", "completed", "issued"}
	for i, e := range staffRows {
		for k := range 2 {
			n := 2*i + k
			updated := at.Add(time.Duration(n) * time.Minute)
			var issued any
			if statuses[n%5] == "issued" {
				issued = updated
			}
			certs = append(certs, []any{uuid.Must(uuid.NewV7()), ten.TenantID, e.id, e.company, kinds[n%5], "de", statuses[n%5],
				n%10 == 0, ten.AdminID, updated, updated, issued})
		}
	}
	if _, err := bypass.CopyFrom(ctx(), pgx.Identifier{"certificates"}, []string{"id", "tenant_id", "employee_id", "company_id",
		"kind", "language", "status", "private", "created_by", "created_at", "updated_at", "issued_at"}, pgx.CopyFromRows(certs)); err != nil {
		b.Fatal(err)
	}
	return companies, locations
}

// BenchmarkCertificates measures, each against a baseline of the same run
// (issue 15; nothing is asserted, see bench/README.md), with 10,000
// employees and 20,000 certificates in each of two tenants:
//
//   - page: pages/s of the first page (50) of ListCertificates for a user
//     restricted to one company and one location (1/20 of the staff), and
//     for the administrator, each vs a bare connect-go handler doing one
//     indexed SELECT of the same page with the same decryption (8 clients;
//     target ≥ 0.5; median of alternating pairs of rounds);
//   - generate: GenerateCertificateText calls/s (generate, check, store
//     the text with its version, change log and audit event, one client)
//     vs the bare generator.Generate + textcheck.Check of the same
//     certificate in process (target ≥ 0.5).
//
// Run with -benchtime 1x. ZEUGO_BENCH_ROUND sets a round's length
// (default 2s); ZEUGO_BENCH_EXPLAIN=1 logs the plans of the restricted
// page and count and of the administrator's count on the seeded data.
func BenchmarkCertificates(b *testing.B) {
	round := 2 * time.Second
	if v := os.Getenv("ZEUGO_BENCH_ROUND"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			b.Fatal(err)
		}
		round = d
	}
	env := apptest.New(b)
	_, bypass := env.DB.OpenBypassRLS(b)
	var tenants [2]*apptest.Tenant
	var admins [2]*client
	var companies, locations []string
	seedStart := time.Now()
	for t := range 2 {
		tenants[t] = env.CreateTenant(fmt.Sprintf("Bench %d GmbH", t), fmt.Sprintf("admin@zbench%d.example", t))
		admins[t] = signIn(b, env, tenants[t].Email, tenants[t].Password, apptest.Connect)
		cs, ls := seedCertificates(b, env, bypass, tenants[t], admins[t])
		if t == 0 {
			companies, locations = cs, ls
		}
	}
	if _, err := env.DB.Owner.Exec(ctx(), "VACUUM ANALYZE employees, certificates"); err != nil {
		b.Fatal(err)
	}
	b.Logf("seeded 2 × 10,000 employees and 2 × 20,000 certificates in %v", time.Since(seedStart).Round(time.Millisecond))
	ten, admin := tenants[0], admins[0]
	if os.Getenv("ZEUGO_BENCH_EXPLAIN") != "" {
		for _, q := range []string{
			"SELECT count(*) FROM certificates WHERE tenant_id = $1 AND EXISTS (SELECT 1 FROM employees e WHERE e.tenant_id = certificates.tenant_id AND e.id = certificates.employee_id AND e.company_id = ANY($2) AND e.location_id = ANY($3)) AND (NOT private OR created_by = $4)",
			"SELECT " + certificates.RowColumns + " FROM certificates WHERE tenant_id = $1 AND EXISTS (SELECT 1 FROM employees e WHERE e.tenant_id = certificates.tenant_id AND e.id = certificates.employee_id AND e.company_id = ANY($2) AND e.location_id = ANY($3)) AND (NOT private OR created_by = $4) ORDER BY updated_at DESC, id DESC LIMIT 51",
		} {
			rows, err := bypass.Query(ctx(), "EXPLAIN (ANALYZE, BUFFERS) "+q, ten.TenantID, []uuid.UUID{uuid.MustParse(companies[0])},
				[]uuid.UUID{uuid.MustParse(locations[0])}, uuid.New())
			if err != nil {
				b.Fatal(err)
			}
			lines, err := pgx.CollectRows(rows, pgx.RowTo[string])
			if err != nil {
				b.Fatal(err)
			}
			b.Log(strings.Join(lines, "\n"))
		}
		rows, err := bypass.Query(ctx(), "EXPLAIN (ANALYZE, BUFFERS) SELECT count(*) FROM certificates WHERE tenant_id = $1", ten.TenantID)
		if err != nil {
			b.Fatal(err)
		}
		lines, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			b.Fatal(err)
		}
		b.Log(strings.Join(lines, "\n"))
	}
	restricted := clientOf(apptest.AddUser(b, env, ten, "eingeschraenkt@zbench0.example", []string{"employees"},
		apptest.Restriction{Companies: companies[:1], Locations: locations[:1]}))

	b.ResetTimer()
	for range b.N {
		// 1. A page for a restricted user and for the administrator vs bare.
		for _, who := range []struct {
			name  string
			c     *client
			where string
			args  []any
		}{
			{"restricted", restricted, " AND EXISTS (SELECT 1 FROM employees e WHERE e.tenant_id = certificates.tenant_id AND" +
				" e.id = certificates.employee_id AND e.company_id = ANY($2) AND e.location_id = ANY($3)) AND (NOT private OR created_by = $4)",
				[]any{[]uuid.UUID{uuid.MustParse(companies[0])}, []uuid.UUID{uuid.MustParse(locations[0])}, uuid.New()}},
			{"admin", admin, "", nil},
		} {
			bare := httptest.NewUnstartedServer(nil)
			_, h := zeugov1connect.NewCertificateServiceHandler(&bareCertList{pool: bypass, env: env, tenantID: ten.TenantID,
				where: who.where, args: who.args})
			bare.Config.Handler = h
			bare.EnableHTTP2 = true
			bare.StartTLS()
			bareClient := zeugov1connect.NewCertificateServiceClient(bare.Client(), bare.URL)
			ours, err := who.c.Cert.ListCertificates(ctx(), connect.NewRequest(&zeugov1.ListCertificatesRequest{}))
			if err != nil {
				b.Fatal(err)
			}
			base, err := bareClient.ListCertificates(ctx(), connect.NewRequest(&zeugov1.ListCertificatesRequest{}))
			if err != nil {
				b.Fatal(err)
			}
			if len(ours.Msg.GetCertificates()) != 50 || len(base.Msg.GetCertificates()) != 50 {
				b.Fatalf("%s: pages of %d and %d rows", who.name, len(ours.Msg.GetCertificates()), len(base.Msg.GetCertificates()))
			}
			for i, c := range ours.Msg.GetCertificates() { // the same rows
				if base.Msg.GetCertificates()[i].GetId() != c.GetId() {
					b.Fatalf("%s: the pages differ at %d", who.name, i)
				}
			}
			page := func(c zeugov1connect.CertificateServiceClient) func() float64 {
				return func() float64 {
					return apptest.Rate(b, 8, round, func() error {
						_, err := c.ListCertificates(ctx(), connect.NewRequest(&zeugov1.ListCertificatesRequest{}))
						return err
					})
				}
			}
			page(who.c.Cert)() // warm up both
			page(bareClient)()
			x, y, r := apptest.Paired(page(who.c.Cert), page(bareClient))
			bare.Close()
			b.ReportMetric(x, who.name+"-pages/s")
			b.ReportMetric(y, who.name+"-bare-pages/s")
			b.ReportMetric(r, who.name+"/bare")
		}

		// 2. Generate + check + store through the rpc vs the engine's calls.
		emp, err := admin.Emp.CreateEmployee(ctx(), connect.NewRequest(&zeugov1.CreateEmployeeRequest{Fields: &zeugov1.EmployeeFields{
			Salutation: zeugov1.Salutation_SALUTATION_FRAU, FirstName: "Katrin", LastName: "Lehmann", PersonnelNumber: fmt.Sprintf("G%d", time.Now().UnixNano()),
			EntryDate: "2016-02-01", ExitDate: "2025-09-30", ExitReason: zeugov1.ExitReason_EXIT_REASON_OWN_WISH, CompanyId: companies[0]}}))
		if err != nil {
			b.Fatal(err)
		}
		cr, err := admin.Cert.CreateCertificate(ctx(), connect.NewRequest(&zeugov1.CreateCertificateRequest{EmployeeId: emp.Msg.GetEmployee().GetId(),
			Kind: zeugov1.CertificateKind_CERTIFICATE_KIND_FINAL, JobProfileId: "controlling"}))
		if err != nil {
			b.Fatal(err)
		}
		cert := cr.Msg.GetCertificate()
		cert = rated(b, admin, cert)
		cert = mustUpdate(b, admin, cert, secSuccesses, &zeugov1.UpdateCertificateSectionRequest{Section: &zeugov1.UpdateCertificateSectionRequest_Successes{
			Successes: &zeugov1.TextListSection{Items: []string{"die Einführung eines monatlichen Berichtswesens"}}}})
		resultVersion := version(b, cert, secResult)
		viaRPC := func() float64 {
			return apptest.Rate(b, 1, round, func() error {
				res, err := admin.Cert.GenerateCertificateText(ctx(), connect.NewRequest(&zeugov1.GenerateCertificateTextRequest{
					Id: cert.GetId(), Version: resultVersion}))
				if err != nil {
					return err
				}
				if len(res.Msg.GetProblems()) > 0 && !res.Msg.GetProblems()[0].GetWarning() {
					return fmt.Errorf("problems: %v", res.Msg.GetProblems())
				}
				resultVersion = version(b, res.Msg.GetCertificate(), secResult)
				return nil
			})
		}
		pctx := access.WithPrincipal(ctx(), &access.Principal{Kind: access.KindUser, ActorID: ten.AdminID, UserID: ten.AdminID,
			TenantID: ten.TenantID, Areas: []access.Area{access.AreaAdministrator}, Scope: access.Scope{All: true}})
		full, err := env.App.Certificates.Get(pctx, uuid.MustParse(cert.GetId()))
		if err != nil {
			b.Fatal(err)
		}
		employer := certificates.Employer{Name: "Firma 0 GmbH", City: "Hamburg"}
		bare := func() float64 {
			return apptest.Rate(b, 1, round, func() error { return certificates.BareGenerateAndCheck(env.App.Certificates, full, employer) })
		}
		viaRPC() // warm up both
		bare()
		x, y, r := apptest.Paired(viaRPC, bare)
		b.ReportMetric(x, "generate-rpc/s")
		b.ReportMetric(y, "generate-bare/s")
		b.ReportMetric(r, "generate-rpc/bare")
	}
}
