// Command zeugo-bench measures the Foundation's performance targets and
// prints each as a ratio against a baseline measured in the same run on the
// same machine (absolute numbers on shared machines are noise):
//
//  1. password logins/s through the full RPC vs raw argon2id hashes/s with
//     the same parameters and concurrency (target ≥ 0.85);
//  2. p99 latency of an authenticated ListCompanies during a login burst vs
//     its idle p99 (target ≤ 3×: the hashing semaphore protects the rest);
//  3. ListCompanies req/s (TLS 1.3, HTTP/2, Connect, 64 concurrent clients)
//     vs two bare connect-go handlers on the same machine: one doing a
//     single primary-key SELECT (the floor of any database call), and one
//     running the same page query, count and decryption as the real list
//     without authentication, validation, access rules or RLS (as a
//     superuser) — the cost of our security layers (target ≥ 0.75).
//
// It creates a scratch database on the server of ZEUGO_TEST_DATABASE_URL and
// drops it afterwards. Nothing here is asserted; `make bench` prints it.
package main

import (
	"context"
	"crypto/tls"
	"flag"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"runtime"
	"runtime/pprof"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"connectrpc.com/connect"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/rs/zerolog"
	"golang.org/x/crypto/argon2"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/zeugo/zeugo/backend/internal/app"
	"github.com/zeugo/zeugo/backend/internal/auth"
	"github.com/zeugo/zeugo/backend/internal/config"
	"github.com/zeugo/zeugo/backend/internal/devtls"
	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
	"github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1/zeugov1connect"
	"github.com/zeugo/zeugo/backend/internal/keyring"
	"github.com/zeugo/zeugo/backend/internal/password"
	"github.com/zeugo/zeugo/backend/internal/postgres"
	"github.com/zeugo/zeugo/backend/internal/tenant"
)

func main() {
	dur := flag.Duration("duration", 5*time.Second, "length of each measurement")
	flag.Parse()
	if err := run(context.Background(), *dur); err != nil {
		fmt.Fprintln(os.Stderr, "zeugo-bench:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, dur time.Duration) error {
	base := os.Getenv("ZEUGO_TEST_DATABASE_URL")
	if base == "" {
		base = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
	}
	u, err := url.Parse(base)
	if err != nil {
		return err
	}
	u.Path = fmt.Sprintf("/zeugo_bench_%d", time.Now().UnixNano())
	ownerURL := u.String()
	if err := postgres.CreateDatabase(ctx, ownerURL); err != nil {
		return err
	}
	defer dropDatabase(base, strings.TrimPrefix(u.Path, "/"))
	owner, err := postgres.Open(ctx, ownerURL)
	if err != nil {
		return err
	}
	defer owner.Close()
	if err := postgres.Migrate(ctx, owner); err != nil {
		return err
	}
	appU := *u
	appU.User = url.User(postgres.AppRole)
	pool, err := postgres.Open(ctx, appU.String())
	if err != nil {
		return err
	}
	defer pool.Close()

	cfg := &config.Config{Env: config.Development, MasterKeys: [][]byte{keyring.NewKey()}, HashConcurrency: runtime.NumCPU(), LogLevel: "warn"}
	policy := auth.DefaultPolicy
	policy.LoginPerIP.Limit = 1 << 30 // the benchmark is one client address
	policy.RefreshPerIP.Limit = 1 << 30
	policy.LoginBackoff.Free = 1 << 30 // concurrent logins of one account
	log := zerolog.Nop()
	app.TuneRuntime(cfg)
	a, err := app.Build(ctx, cfg, log, pool, app.Options{Policy: &policy})
	if err != nil {
		return err
	}
	ownerApp, err := app.Build(ctx, cfg, log, owner, app.Options{Policy: &policy})
	if err != nil {
		return err
	}
	ten, err := ownerApp.Provisioner.Create(ctx, tenant.NewTenant{Name: "Bench GmbH", AdminEmail: "bench@bench.example", AdminPassword: "Bench-Passwort-1!"})
	if err != nil {
		return err
	}

	srvURL, stop, err := serveTLS(a.Handler())
	if err != nil {
		return err
	}
	defer stop()

	// Baseline pool: same size and role, the tenant bound per session.
	bu := appU
	bu.RawQuery = strings.ReplaceAll(appU.Query().Encode()+"&options="+url.QueryEscape("-c app.tenant_id="+ten.TenantID.String()), "+", "%20")
	bpool, err := postgres.Open(ctx, bu.String())
	if err != nil {
		return err
	}
	defer bpool.Close()
	mux := http.NewServeMux()
	mux.Handle(zeugov1connect.NewOrganizationServiceHandler(&bareHandler{pool: bpool}, connect.WithCompressMinBytes(1024)))
	bareURL, stopBare, err := serveTLS(mux)
	if err != nil {
		return err
	}
	defer stopBare()
	listMux := http.NewServeMux()
	listMux.Handle(zeugov1connect.NewOrganizationServiceHandler(&bareListHandler{pool: owner, keys: a.Keys, tenantID: ten.TenantID},
		connect.WithCompressMinBytes(8<<10)))
	bareListURL, stopBareList, err := serveTLS(listMux)
	if err != nil {
		return err
	}
	defer stopBareList()

	clients := newClients(8)
	authc := zeugov1connect.NewAuthServiceClient(clients[0], srvURL)
	login := func() error {
		_, err := authc.Login(ctx, connect.NewRequest(&zeugov1.LoginRequest{Email: "bench@bench.example", Password: "Bench-Passwort-1!"}))
		return err
	}
	res, err := authc.Login(ctx, connect.NewRequest(&zeugov1.LoginRequest{Email: "bench@bench.example", Password: "Bench-Passwort-1!"}))
	if err != nil {
		return err
	}
	token := res.Msg.GetTokens().GetAccessToken()
	orgc := func(i int, base string) zeugov1connect.OrganizationServiceClient {
		return zeugov1connect.NewOrganizationServiceClient(clients[i%len(clients)], base, connect.WithInterceptors(bearer(token)))
	}
	for i := 0; i < 20; i++ { // a realistic list: twenty companies
		if _, err := orgc(0, srvURL).CreateCompany(ctx, connect.NewRequest(&zeugov1.CreateCompanyRequest{Fields: &zeugov1.CompanyFields{
			Name: fmt.Sprintf("Firma %02d GmbH", i), City: "München", Street: "Musterstraße 1", Postcode: "80331",
			ManagingDirectors: "Dr. Erika Mustermann"}})); err != nil {
			return err
		}
	}
	var firstID string
	if err := owner.QueryRow(ctx, `SELECT id::text FROM companies ORDER BY name LIMIT 1`).Scan(&firstID); err != nil {
		return err
	}
	bareFirst.Store(firstID)

	fmt.Printf("zeugo-bench: %d cores, %s per measurement, argon2id m=%d t=%d p=%d\n\n", runtime.NumCPU(), dur,
		password.OWASP.MemoryKiB, password.OWASP.Iterations, password.OWASP.Parallelism)

	// 1. Logins vs raw argon2id.
	conc := 2 * runtime.NumCPU()
	if path := os.Getenv("ZEUGO_BENCH_LOGIN_CPUPROFILE"); path != "" {
		if f, err := os.Create(path); err == nil {
			_ = pprof.StartCPUProfile(f)
			defer f.Close()
		}
	}
	loginsPerSec, _, _ := load(conc, dur, func(int) error { return login() })
	pprof.StopCPUProfile()
	hashesPerSec, _, _ := load(conc, dur, func(int) error {
		argon2.IDKey([]byte("Bench-Passwort-1!"), []byte("0123456789abcdef"), password.OWASP.Iterations, password.OWASP.MemoryKiB, password.OWASP.Parallelism, 32)
		return nil
	})
	fmt.Printf("1. logins through the RPC      %8.1f /s\n   raw argon2id hashes          %8.1f /s\n   ratio                        %8.2f   (target ≥ 0.85)\n\n",
		loginsPerSec, hashesPerSec, loginsPerSec/hashesPerSec)

	// 2. ListCompanies p99, idle vs during a login burst.
	list := func(i int) error {
		_, err := orgc(i, srvURL).ListCompanies(ctx, connect.NewRequest(&zeugov1.ListCompaniesRequest{}))
		return err
	}
	_, idleLat, _ := load(2, dur, list)
	burstDone := make(chan struct{})
	go func() { load(conc*2, dur+time.Second, func(int) error { return login() }); close(burstDone) }()
	time.Sleep(500 * time.Millisecond)
	_, burstLat, _ := load(2, dur, list)
	<-burstDone
	idle99, burst99 := pct(idleLat, 0.99), pct(burstLat, 0.99)
	fmt.Printf("2. ListCompanies p99 idle      %8.2f ms\n   p99 during login burst       %8.2f ms\n   ratio                        %8.2f   (target ≤ 3)\n\n",
		ms(idle99), ms(burst99), float64(burst99)/float64(idle99))

	// 3. Throughput vs a bare handler.
	if path := os.Getenv("ZEUGO_BENCH_CPUPROFILE"); path != "" {
		f, err := os.Create(path)
		if err == nil {
			_ = pprof.StartCPUProfile(f)
			defer func() { pprof.StopCPUProfile(); f.Close() }()
		}
	}
	full, _, ferr := load(64, dur, list)
	pprof.StopCPUProfile()
	bare, _, berr := load(64, dur, func(i int) error {
		_, err := orgc(i, bareURL).ListCompanies(ctx, connect.NewRequest(&zeugov1.ListCompaniesRequest{}))
		return err
	})
	bareList, _, blerr := load(64, dur, func(i int) error {
		_, err := orgc(i, bareListURL).ListCompanies(ctx, connect.NewRequest(&zeugov1.ListCompaniesRequest{}))
		return err
	})
	fmt.Printf("3. ListCompanies (full stack)  %8.0f req/s (%d errors)\n   bare handler, one PK SELECT  %8.0f req/s (%d errors)\n   ratio                        %8.2f\n",
		full, ferr, bare, berr, full/bare)
	fmt.Printf("   bare handler, same list work %8.0f req/s (%d errors)\n   ratio                        %8.2f   (target ≥ 0.75)\n",
		bareList, blerr, full/bareList)
	return nil
}

var bareFirst atomic.Value

// bareHandler is the baseline: connect-go, no interceptors, one SELECT.
type bareHandler struct {
	zeugov1connect.UnimplementedOrganizationServiceHandler
	pool *pgxpool.Pool
}

func (h *bareHandler) ListCompanies(ctx context.Context, _ *connect.Request[zeugov1.ListCompaniesRequest]) (*connect.Response[zeugov1.ListCompaniesResponse], error) {
	var id, name string
	if err := h.pool.QueryRow(ctx, `SELECT id::text, name FROM companies WHERE id = $1`, bareFirst.Load().(string)).Scan(&id, &name); err != nil && err != pgx.ErrNoRows {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.ListCompaniesResponse{Companies: []*zeugov1.Company{{Id: id, Fields: &zeugov1.CompanyFields{Name: name}}}}), nil
}

// bareListHandler is the second baseline: the same page query and count in
// one round trip and the same decryption and conversion as the real
// ListCompanies, without authentication, validation, access rules, the
// unit of work or row-level security (its pool is a superuser's).
type bareListHandler struct {
	zeugov1connect.UnimplementedOrganizationServiceHandler
	pool     *pgxpool.Pool
	keys     *keyring.Keyring
	tenantID uuid.UUID
}

func (h *bareListHandler) ListCompanies(ctx context.Context, _ *connect.Request[zeugov1.ListCompaniesRequest]) (*connect.Response[zeugov1.ListCompaniesResponse], error) {
	c, err := h.keys.Tenant(ctx, h.pool, h.tenantID)
	if err != nil {
		return nil, err
	}
	var out []*zeugov1.Company
	var total int64
	b := &pgx.Batch{}
	b.Queue(`SELECT id, name, street, postcode, city, country, phone, email, website, register_court, register_number,
			vat_id, managing_directors_enc, description, version, created_at, updated_at
		FROM companies WHERE tenant_id = $1 ORDER BY lower(name) ASC, id ASC LIMIT 51`, h.tenantID).Query(func(rows pgx.Rows) error {
		for rows.Next() {
			var id uuid.UUID
			var f zeugov1.CompanyFields
			var enc []byte
			var version int64
			var created, updated time.Time
			if err := rows.Scan(&id, &f.Name, &f.Street, &f.Postcode, &f.City, &f.Country, &f.Phone, &f.Email, &f.Website,
				&f.RegisterCourt, &f.RegisterNumber, &f.VatId, &enc, &f.Description, &version, &created, &updated); err != nil {
				return err
			}
			if f.ManagingDirectors, err = c.OpenString(ctx, id, "companies.managing_directors", enc); err != nil {
				return err
			}
			out = append(out, &zeugov1.Company{Id: id.String(), Fields: &f, Version: version,
				CreateTime: timestamppb.New(created), UpdateTime: timestamppb.New(updated)})
		}
		return rows.Err()
	})
	b.Queue(`SELECT count(*) FROM companies WHERE tenant_id = $1`, h.tenantID).QueryRow(func(row pgx.Row) error { return row.Scan(&total) })
	if err := h.pool.SendBatch(ctx, b).Close(); err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.ListCompaniesResponse{Companies: out, Page: &zeugov1.PageInfo{TotalSize: total}}), nil
}

func serveTLS(h http.Handler) (string, func(), error) {
	dir, err := os.MkdirTemp("", "zeugo-bench-tls")
	if err != nil {
		return "", nil, err
	}
	cert, key := dir+"/cert.pem", dir+"/key.pem"
	if _, err := devtls.Ensure(cert, key, time.Now()); err != nil {
		return "", nil, err
	}
	pair, err := tls.LoadX509KeyPair(cert, key)
	if err != nil {
		return "", nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: h, TLSConfig: devtls.ServerConfig(pair), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.ServeTLS(ln, "", "") }()
	return "https://" + ln.Addr().String(), func() { _ = srv.Close(); _ = os.RemoveAll(dir) }, nil
}

// newClients returns n HTTP/2 clients (n connections) trusting any certificate.
func newClients(n int) []*http.Client {
	out := make([]*http.Client, n)
	for i := range out {
		out[i] = &http.Client{Transport: &http.Transport{ForceAttemptHTTP2: true, MaxIdleConnsPerHost: 64, TLSClientConfig: &tls.Config{InsecureSkipVerify: true, MinVersion: tls.VersionTLS13}}} //nolint:gosec // local benchmark against its own certificate
	}
	return out
}

func bearer(token string) connect.Interceptor {
	return connect.UnaryInterceptorFunc(func(next connect.UnaryFunc) connect.UnaryFunc {
		return func(ctx context.Context, req connect.AnyRequest) (connect.AnyResponse, error) {
			req.Header().Set("Authorization", "Bearer "+token)
			return next(ctx, req)
		}
	})
}

// load runs fn from conc goroutines for d and returns ops/s, latencies and errors.
func load(conc int, d time.Duration, fn func(int) error) (float64, []time.Duration, int64) {
	var ops, errs atomic.Int64
	var mu sync.Mutex
	var lat []time.Duration
	deadline := time.Now().Add(d)
	var wg sync.WaitGroup
	for g := 0; g < conc; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			var local []time.Duration
			for time.Now().Before(deadline) {
				t0 := time.Now()
				if err := fn(g); err != nil {
					errs.Add(1)
					continue
				}
				local = append(local, time.Since(t0))
				ops.Add(1)
			}
			mu.Lock()
			lat = append(lat, local...)
			mu.Unlock()
		}(g)
	}
	wg.Wait()
	return float64(ops.Load()) / d.Seconds(), lat, errs.Load()
}

func pct(l []time.Duration, p float64) time.Duration {
	if len(l) == 0 {
		return 0
	}
	sort.Slice(l, func(i, j int) bool { return l[i] < l[j] })
	return l[int(float64(len(l)-1)*p)]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func dropDatabase(base, name string) {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		return
	}
	defer conn.Close(ctx)
	_, _ = conn.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)")
}
