package employees_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http/httptest"
	"os"
	"runtime/pprof"
	"slices"
	"testing"
	"time"

	"connectrpc.com/connect"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/zeugo/zeugo/backend/internal/apptest"
	"github.com/zeugo/zeugo/backend/internal/employees"
	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
	"github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1/zeugov1connect"
)

// Seed names: common German first and last names, umlauts and ß included,
// so that name searches hit realistic result sizes (a last name matches
// about 1 % of the staff).
var (
	benchFirst = []string{"Anna", "Jürgen", "Sabine", "Thomas", "Jörg", "Birgit", "Michael", "Ursula", "Stefan",
		"Käthe", "Andreas", "Monika", "Peter", "Renate", "Klaus", "Gülsen", "Frank", "Petra", "Uwe", "Heike",
		"Markus", "Özlem", "Tobias", "Julia", "Lukas", "Lena", "Jonas", "Marie", "Felix", "Sophie", "Björn",
		"Katrin", "Dirk", "Susanne", "Sven", "Claudia", "Ralf", "Nicole", "Holger", "Sandra"}
	benchLast = []string{"Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
		"Schulz", "Hoffmann", "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf", "Schröder", "Neumann",
		"Schwarz", "Zimmermann", "Braun", "Krüger", "Hofmann", "Hartmann", "Lange", "Schmitt", "Werner",
		"Schmitz", "Krause", "Meier", "Lehmann", "Schmid", "Schulze", "Maier", "Köhler", "Herrmann", "König",
		"Walter", "Mayer", "Huber", "Kaiser", "Fuchs", "Peters", "Lang", "Scholz", "Möller", "Weiß", "Jung",
		"Hahn", "Schubert", "Vogel", "Friedrich", "Keller", "Günther", "Frank", "Berger", "Winkler", "Roth",
		"Beck", "Lorenz", "Baumann", "Franke", "Albrecht", "Schuster", "Simon", "Ludwig", "Böhm", "Winter",
		"Kraus", "Martin", "Schumacher", "Krämer", "Vogt", "Stein", "Jäger", "Otto", "Sommer", "Groß",
		"Seidel", "Heinrich", "Brandt", "Haas", "Schreiber", "Graf", "Schulte", "Dietrich", "Ziegler", "Kuhn",
		"Kühn", "Pohl", "Engel", "Horn", "Busch", "Bergmann", "Thomas", "Voigt", "Sauer", "Arnold", "Wolff", "Pfeiffer"}
)

// benchOrg is a tenant's structure: 4 companies, 5 locations, 3 of each
// other dimension.
type benchOrg struct {
	companies, locations, departments, orgUnits, types []string
}

func makeBenchOrg(b testing.TB, c *client) benchOrg {
	b.Helper()
	var o benchOrg
	for i := range 4 {
		res, err := c.Org.CreateCompany(ctx(), connect.NewRequest(&zeugov1.CreateCompanyRequest{
			Fields: &zeugov1.CompanyFields{Name: fmt.Sprintf("Firma %d GmbH", i), City: "Hamburg"}}))
		if err != nil {
			b.Fatal(err)
		}
		o.companies = append(o.companies, res.Msg.GetCompany().GetId())
	}
	for kind, n := range map[zeugov1.UnitKind]int{zeugov1.UnitKind_UNIT_KIND_LOCATION: 5, zeugov1.UnitKind_UNIT_KIND_DEPARTMENT: 3,
		zeugov1.UnitKind_UNIT_KIND_ORG_UNIT: 3, zeugov1.UnitKind_UNIT_KIND_EMPLOYEE_TYPE: 3} {
		for i := range n {
			u, err := c.Org.CreateUnit(ctx(), connect.NewRequest(&zeugov1.CreateUnitRequest{Kind: kind,
				Fields: &zeugov1.UnitFields{Name: fmt.Sprintf("%s %d", kind, i)}}))
			if err != nil {
				b.Fatal(err)
			}
			id := u.Msg.GetUnit().GetId()
			switch kind {
			case zeugov1.UnitKind_UNIT_KIND_LOCATION:
				o.locations = append(o.locations, id)
			case zeugov1.UnitKind_UNIT_KIND_DEPARTMENT:
				o.departments = append(o.departments, id)
			case zeugov1.UnitKind_UNIT_KIND_ORG_UNIT:
				o.orgUnits = append(o.orgUnits, id)
			default:
				o.types = append(o.types, id)
			}
		}
	}
	return o
}

// benchPerson is the i-th employee of a seed (prefix keeps the personnel
// numbers of different seeds apart): every field filled, the structure
// spread so that company i%4 and location (i/4)%5 hold 1/20 of the staff.
func benchPerson(o benchOrg, r *rand.Rand, prefix string, i int) *zeugov1.EmployeeFields {
	f := person(fmt.Sprintf("%s%06d", prefix, i), benchFirst[r.IntN(len(benchFirst))], benchLast[r.IntN(len(benchLast))])
	f.CompanyId, f.LocationId = o.companies[i%4], o.locations[(i/4)%5]
	f.DepartmentId, f.OrgUnitId, f.EmployeeTypeId = o.departments[r.IntN(3)], o.orgUnits[r.IntN(3)], o.types[r.IntN(3)]
	f.Birthplace, f.Title = "Hamburg", ""
	f.EntryDate = fmt.Sprintf("20%02d-%02d-01", r.IntN(24), 1+r.IntN(12))
	if i%7 == 0 {
		f.ExitDate, f.ExitReason = "2025-06-30", zeugov1.ExitReason_EXIT_REASON_OWN_WISH
	}
	if i%10 == 0 {
		f.Interruptions = []*zeugov1.Interruption{{FromDate: "2024-01-01", ToDate: "2024-06-30",
			Reason: zeugov1.InterruptionReason_INTERRUPTION_REASON_PARENTAL_LEAVE}}
	}
	return f
}

func p99(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[(len(s)*99)/100]
}

func p50(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
}

// bareList is the baseline of the restricted page: a connect-go handler
// that runs one indexed SELECT of the same page as a role that bypasses
// row-level security, decrypts the rows with the service's own code and
// answers them — no authentication, access rule, validation, scope
// building, count or audit.
type bareList struct {
	zeugov1connect.UnimplementedEmployeeServiceHandler
	pool              *pgxpool.Pool
	env               *apptest.Env
	tenantID          uuid.UUID
	company, location uuid.UUID
}

func (h *bareList) ListEmployees(ctx context.Context, _ *connect.Request[zeugov1.ListEmployeesRequest]) (*connect.Response[zeugov1.ListEmployeesResponse], error) {
	c, err := h.env.App.Keys.Tenant(ctx, h.pool, h.tenantID)
	if err != nil {
		return nil, err
	}
	rows, err := h.pool.Query(ctx, "SELECT "+employees.EmployeeColumns+` FROM employees
		WHERE tenant_id = $1 AND company_id = ANY($2) AND location_id = ANY($3) ORDER BY updated_at, id LIMIT 51`,
		h.tenantID, []uuid.UUID{h.company}, []uuid.UUID{h.location})
	if err != nil {
		return nil, err
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (*zeugov1.Employee, error) {
		e, err := employees.ScanEmployee(ctx, c, r)
		if err != nil {
			return nil, err
		}
		return &zeugov1.Employee{Id: e.ID.String(), Fields: employees.FieldsToProto(&e.Fields), Version: e.Version}, nil
	})
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.ListEmployeesResponse{Employees: list[:min(len(list), 50)]}), nil
}

// BenchmarkEmployees seeds 10,000 employees in each of two tenants (by
// UpsertEmployees, 1,000 per call) and measures, each against a baseline
// of the same run (issue 14; nothing is asserted, see bench/README.md):
//
//   - search: p99 of ListEmployees searching a last name vs p99 of
//     ListEmployees looking up a personnel number (Connect, interleaved,
//     sequential; target ≤ 5×);
//   - restricted page: pages/s of the first page (50) of ListEmployees for
//     a user restricted to one company and one location (8 clients) vs a
//     bare connect-go handler doing one indexed SELECT of the same page
//     with the same decryption (target ≥ 0.5; median of alternating
//     pairs of rounds);
//   - upsert: employees/s of UpsertEmployees creating 1,000 employees per
//     call (gRPC, API key) vs sealing the same kind of rows and COPYing
//     them in (target ≥ 0.3; median of alternating pairs); also
//     employees/s of a batch of 1,000 that all change (updated) and of one
//     that changes nothing (unchanged).
//
// Run with -benchtime 1x. ZEUGO_BENCH_ROUND sets the length of a
// throughput round (default 2s); ZEUGO_BENCH_PAGE_CPUPROFILE=file writes a
// CPU profile of one extra round of the restricted user's pages.
func BenchmarkEmployees(b *testing.B) {
	const perTenant = 10000
	round := 2 * time.Second
	if v := os.Getenv("ZEUGO_BENCH_ROUND"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			b.Fatal(err)
		}
		round = d
	}
	env := apptest.New(b)
	r := rand.New(rand.NewPCG(14, 14))
	var tenants [2]*apptest.Tenant
	var orgs [2]benchOrg
	var admins [2]*client
	seedStart := time.Now()
	for t := range 2 {
		tenants[t] = env.CreateTenant(fmt.Sprintf("Bench %d GmbH", t), fmt.Sprintf("admin@bench%d.example", t))
		admins[t] = signIn(b, env, tenants[t])
		orgs[t] = makeBenchOrg(b, admins[t])
		for start := 0; start < perTenant; start += employees.MaxUpsertBatch {
			batch := make([]*zeugov1.EmployeeFields, employees.MaxUpsertBatch)
			for i := range batch {
				batch[i] = benchPerson(orgs[t], r, "S", start+i)
			}
			if _, err := upsert(admins[t].Emp, batch...); err != nil {
				b.Fatal(err)
			}
		}
	}
	seeded := time.Since(seedStart)
	if _, err := env.DB.Owner.Exec(ctx(), "VACUUM ANALYZE employees"); err != nil { // as autovacuum would after a bulk load
		b.Fatal(err)
	}
	b.Logf("seeded %d employees in 2 tenants in %v", 2*perTenant, seeded.Round(time.Millisecond))

	ten, o, admin := tenants[0], orgs[0], admins[0]
	b.ResetTimer()
	for range b.N {
		// 1. Search by name vs lookup by personnel number.
		list := func(q string) (time.Duration, int) {
			start := time.Now()
			res, err := admin.Emp.ListEmployees(ctx(), connect.NewRequest(&zeugov1.ListEmployeesRequest{
				Filter: &zeugov1.EmployeeFilter{Query: q}}))
			if err != nil {
				b.Fatal(err)
			}
			return time.Since(start), len(res.Msg.GetEmployees())
		}
		for i := range 50 { // warm up
			list(benchLast[i%len(benchLast)])
			list(fmt.Sprintf("S%06d", i))
		}
		var byName, byNumber []time.Duration
		found := 0
		for range 500 {
			d, n := list(benchLast[r.IntN(len(benchLast))])
			byName = append(byName, d)
			found += n
			d, n = list(fmt.Sprintf("S%06d", r.IntN(perTenant)))
			byNumber = append(byNumber, d)
			if n != 1 {
				b.Fatalf("personnel-number lookup found %d", n)
			}
		}
		b.ReportMetric(float64(p99(byName).Microseconds())/1000, "name-p99-ms")
		b.ReportMetric(float64(p99(byNumber).Microseconds())/1000, "pn-p99-ms")
		b.ReportMetric(float64(p50(byName).Microseconds())/1000, "name-p50-ms")
		b.ReportMetric(float64(p50(byNumber).Microseconds())/1000, "pn-p50-ms")
		b.ReportMetric(float64(p99(byName))/float64(p99(byNumber)), "name/pn-p99")
		b.Logf("name search: %.0f employees per page on average", float64(found)/500)

		// 2. A restricted user's page vs a bare indexed SELECT of the same page.
		restricted := addUser(b, env, ten, fmt.Sprintf("eingeschraenkt%d@bench0.example", time.Now().UnixNano()),
			[]string{"employees"}, apptest.Restriction{Companies: o.companies[:1], Locations: o.locations[:1]})
		_, bypass := env.DB.OpenBypassRLS(b)
		bare := httptest.NewUnstartedServer(nil)
		_, h := zeugov1connect.NewEmployeeServiceHandler(&bareList{pool: bypass, env: env, tenantID: ten.TenantID,
			company: uuid.MustParse(o.companies[0]), location: uuid.MustParse(o.locations[0])})
		bare.Config.Handler = h
		bare.EnableHTTP2 = true
		bare.StartTLS()
		bareClient := zeugov1connect.NewEmployeeServiceClient(bare.Client(), bare.URL)
		ours, want := restricted.Emp.ListEmployees(ctx(), connect.NewRequest(&zeugov1.ListEmployeesRequest{}))
		base, err := bareClient.ListEmployees(ctx(), connect.NewRequest(&zeugov1.ListEmployeesRequest{}))
		if want != nil || err != nil {
			b.Fatal(want, err)
		}
		for i, e := range ours.Msg.GetEmployees() { // the same rows
			if len(ours.Msg.GetEmployees()) != 50 || len(base.Msg.GetEmployees()) != 50 || base.Msg.GetEmployees()[i].GetId() != e.GetId() {
				b.Fatalf("the pages differ at %d (%d and %d rows)", i, len(ours.Msg.GetEmployees()), len(base.Msg.GetEmployees()))
			}
		}
		pages := func(c zeugov1connect.EmployeeServiceClient) float64 {
			return apptest.Rate(b, 8, round, func() error {
				_, err := c.ListEmployees(ctx(), connect.NewRequest(&zeugov1.ListEmployeesRequest{}))
				return err
			})
		}
		pages(restricted.Emp)
		pages(bareClient)
		if name := os.Getenv("ZEUGO_BENCH_PAGE_CPUPROFILE"); name != "" {
			f, err := os.Create(name)
			if err != nil {
				b.Fatal(err)
			}
			if err := pprof.StartCPUProfile(f); err != nil {
				b.Fatal(err)
			}
			pages(restricted.Emp)
			pprof.StopCPUProfile()
			_ = f.Close()
		}
		oursRate, bareRate, pageRatio := apptest.Paired(func() float64 { return pages(restricted.Emp) }, func() float64 { return pages(bareClient) })
		bare.Close()
		b.ReportMetric(oursRate, "restricted-pages/s")
		b.ReportMetric(bareRate, "bare-pages/s")
		b.ReportMetric(pageRatio, "restricted/bare")

		// 3. UpsertEmployees of 1,000 new employees vs sealing + COPY of 1,000.
		key := clientFor(env, apptest.GRPC, newAPIKey(b, env, ten, "employees", zeugov1.ApiKeyAccess_API_KEY_ACCESS_WRITE)).Emp
		seq := 0
		batchOf := func(prefix string) []*zeugov1.EmployeeFields {
			seq++
			out := make([]*zeugov1.EmployeeFields, employees.MaxUpsertBatch)
			for i := range out {
				out[i] = benchPerson(o, r, fmt.Sprintf("%s%d-", prefix, seq), i)
			}
			return out
		}
		viaUpsert := func(batch []*zeugov1.EmployeeFields) float64 {
			start := time.Now()
			res, err := upsert(key, batch...)
			if err != nil {
				b.Fatal(err)
			}
			if len(res) != len(batch) {
				b.Fatalf("%d results", len(res))
			}
			return float64(len(batch)) / time.Since(start).Seconds()
		}
		viaCopy := func(batch []*zeugov1.EmployeeFields) float64 {
			start := time.Now()
			fields := make([]employees.Fields, len(batch))
			for i, m := range batch {
				fields[i], _ = employees.FieldsFromProto(m)
			}
			err := pgx.BeginFunc(ctx(), bypass, func(tx pgx.Tx) error {
				c, err := env.App.Keys.Tenant(ctx(), tx, ten.TenantID)
				if err != nil {
					return err
				}
				rows := employees.CopyRows(env.App.Index, c, ten.TenantID, fields, time.Now())
				_, err = tx.CopyFrom(ctx(), pgx.Identifier{"employees"}, employees.CopyColumns, pgx.CopyFromRows(rows))
				return err
			})
			if err != nil {
				b.Fatal(err)
			}
			return float64(len(batch)) / time.Since(start).Seconds()
		}
		viaUpsert(batchOf("W")) // warm up both
		viaCopy(batchOf("V"))
		var up, cp, upRatios []float64
		var last []*zeugov1.EmployeeFields
		for i := range 6 {
			var x, y float64
			if i%2 == 0 {
				last = batchOf("U")
				x, y = viaUpsert(last), viaCopy(batchOf("C"))
			} else {
				y = viaCopy(batchOf("C"))
				last = batchOf("U")
				x = viaUpsert(last)
			}
			up, cp, upRatios = append(up, x), append(cp, y), append(upRatios, x/y)
		}
		b.ReportMetric(apptest.Median(up), "upsert-created/s")
		b.ReportMetric(apptest.Median(cp), "copy-rows/s")
		b.ReportMetric(apptest.Median(upRatios), "upsert/copy")
		b.ReportMetric(viaUpsert(last), "upsert-unchanged/s")
		for _, f := range last {
			f.JobTitle = "Geänderte Stelle"
		}
		b.ReportMetric(viaUpsert(last), "upsert-updated/s")
	}
}
