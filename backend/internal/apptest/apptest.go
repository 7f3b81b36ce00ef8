// Package apptest starts a complete Zeugo server for a test: a fresh
// database (dbtest), the real composition (app.Build over the zeugo_app
// pool), an httptest server speaking TLS 1.3 and HTTP/2, and helpers to call
// it with real Connect and gRPC clients. Tests never use fixed ports.
package apptest

import (
	"context"
	"crypto/tls"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"connectrpc.com/connect"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/rs/zerolog"

	"github.com/zeugo/zeugo/backend/internal/app"
	"github.com/zeugo/zeugo/backend/internal/auth"
	"github.com/zeugo/zeugo/backend/internal/config"
	"github.com/zeugo/zeugo/backend/internal/dbtest"
	"github.com/zeugo/zeugo/backend/internal/devtls"
	"github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1/zeugov1connect"
	"github.com/zeugo/zeugo/backend/internal/keyring"
	"github.com/zeugo/zeugo/backend/internal/password"
	"github.com/zeugo/zeugo/backend/internal/postgres"
	"github.com/zeugo/zeugo/backend/internal/tenant"
)

// Clock is a settable clock; tests move it instead of sleeping.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// Env is a running server.
type Env struct {
	T  testing.TB
	DB *dbtest.DB
	// Pool is the pool the server runs on: DB.App, or with
	// Options.BypassRLS the pool of dbtest.BypassRole.
	Pool   *pgxpool.Pool
	App    *app.App
	Server *httptest.Server
	Clock  *Clock
	// Owner is an app built over the owner pool (operator commands).
	Owner *app.App
	// MasterKeys are the keys the server was started with.
	MasterKeys [][]byte
	// Log collects the server's application log (to assert on its content).
	Log *SyncBuffer
}

// Options adjust the environment.
type Options struct {
	// MasterKeys overrides the generated master key.
	MasterKeys [][]byte
	// Policy overrides the sign-in policy.
	Policy *auth.Policy
	// HashParams overrides the argon2id cost. By default tests hash with
	// TestHashParams: the same algorithm and code path at a fraction of the
	// cost (the race detector slows argon2id tenfold). Tests about the
	// production parameters pass &password.OWASP.
	HashParams *password.Params
	// Production runs the server with Env=production instead of
	// development, for the tests of what differs there (/metrics closed to
	// loopback clients without a token) and of what must not.
	Production bool
	// Trips, when set, counts the database round trips of the server's
	// pool (a separate zeugo_app pool traced by it).
	Trips *TripCounter
	// BypassRLS builds the server over dbtest.BypassRole instead of
	// zeugo_app: the same privileges, but row-level security does not
	// apply, so the application's tenant filter is the only isolation left.
	// TEST ONLY — it proves that filter on its own (issue 12 point 15);
	// `zeugo serve` refuses such a role (postgres.CheckAppRole), and that
	// check is skipped here and nowhere else.
	BypassRLS bool
}

// TestHashParams is the reduced argon2id cost of tests.
var TestHashParams = password.Params{MemoryKiB: 1024, Iterations: 1, Parallelism: 1, SaltLen: 16, KeyLen: 32}

// New starts a server for t.
func New(t testing.TB, opts ...Options) *Env {
	t.Helper()
	var o Options
	if len(opts) > 0 {
		o = opts[0]
	}
	db := dbtest.New(t)
	clock := &Clock{now: time.Now().UTC().Truncate(time.Microsecond)}
	keys := o.MasterKeys
	if keys == nil {
		keys = [][]byte{keyring.NewKey()}
	}
	ctx := context.Background()
	appURL, appPool := db.AppURL, db.App
	if o.BypassRLS {
		appURL, appPool = db.OpenBypassRLS(t)
		// The opposite of CheckAppRole: a bypass test over a role that
		// RLS still binds would prove nothing.
		var bypass bool
		if err := appPool.QueryRow(ctx, "SELECT rolbypassrls FROM pg_roles WHERE rolname = current_user").Scan(&bypass); err != nil || !bypass {
			t.Fatalf("BypassRLS: the server role does not bypass row-level security (%v, %v)", bypass, err)
		}
	} else if err := postgres.CheckAppRole(ctx, db.App); err != nil {
		t.Fatal(err)
	}
	cfg := &config.Config{Env: config.Development, DatabaseURL: db.OwnerURL, AppDatabaseURL: appURL,
		MasterKeys: keys, HashConcurrency: 2, LogLevel: "debug"}
	if o.Production {
		cfg.Env = config.Production
	}
	logBuf := &SyncBuffer{}
	log := zerolog.New(logBuf).Level(zerolog.DebugLevel)
	if o.HashParams == nil {
		o.HashParams = &TestHashParams
	}
	if o.Trips != nil {
		pc, err := pgxpool.ParseConfig(appURL)
		if err != nil {
			t.Fatal(err)
		}
		pc.ConnConfig.Tracer = o.Trips
		pc.AfterConnect = func(_ context.Context, c *pgx.Conn) error { postgres.RegisterUUID(c.TypeMap()); return nil }
		if appPool, err = pgxpool.NewWithConfig(ctx, pc); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(appPool.Close)
	}
	a, err := app.Build(ctx, cfg, log, appPool, app.Options{Now: clock.Now, Policy: o.Policy, HashParams: o.HashParams})
	if err != nil {
		t.Fatalf("build app: %v", err)
	}
	owner, err := app.Build(ctx, cfg, log, db.Owner, app.Options{Now: clock.Now, Policy: o.Policy, HashParams: o.HashParams})
	if err != nil {
		t.Fatalf("build owner app: %v", err)
	}
	t.Cleanup(a.Close)
	t.Cleanup(owner.Close)
	srv := httptest.NewUnstartedServer(a.Handler())
	srv.EnableHTTP2 = true
	tlsConf := devtls.ServerConfig(tls.Certificate{}) // the production TLS settings
	tlsConf.Certificates = nil                        // httptest supplies its certificate
	srv.TLS = tlsConf
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return &Env{T: t, DB: db, Pool: appPool, App: a, Server: srv, Clock: clock, Owner: owner, MasterKeys: keys, Log: logBuf}
}

// Tenant is a provisioned tenant with its administrator's login.
type Tenant struct {
	*tenant.Created
	Email    string
	Password string
}

// CreateTenant provisions a tenant as the operator would.
func (e *Env) CreateTenant(name, email string) *Tenant {
	e.T.Helper()
	pw := "Sicher-" + tenant.GeneratePassword()
	c, err := e.Owner.Provisioner.Create(context.Background(), tenant.NewTenant{Name: name, AdminEmail: email, AdminPassword: pw})
	if err != nil {
		e.T.Fatalf("create tenant: %v", err)
	}
	return &Tenant{Created: c, Email: email, Password: pw}
}

// HTTPClient returns a client that trusts the test server, speaks HTTP/2
// and keeps cookies (like a browser) — its own cookies: a copy of the
// server's client, so two clients are two browsers and calls to
// HTTPClient from several goroutines do not race.
func (e *Env) HTTPClient() *http.Client {
	c := *e.Server.Client()
	jar, _ := cookiejar.New(nil)
	c.Jar = jar
	return &c
}

// Protocol selects the wire protocol of generated clients.
type Protocol int

// Protocols the server speaks.
const (
	Connect Protocol = iota
	GRPC
	GRPCWeb
)

func (p Protocol) String() string {
	return [...]string{"connect", "grpc", "grpcweb"}[p]
}

// ClientOptions returns the connect options of protocol p.
func ClientOptions(p Protocol) []connect.ClientOption {
	switch p {
	case GRPC:
		return []connect.ClientOption{connect.WithGRPC()}
	case GRPCWeb:
		return []connect.ClientOption{connect.WithGRPCWeb()}
	}
	return nil
}

// AuthClient returns an AuthService client over hc.
func (e *Env) AuthClient(hc *http.Client, p Protocol) zeugov1connect.AuthServiceClient {
	return zeugov1connect.NewAuthServiceClient(hc, e.Server.URL, ClientOptions(p)...)
}

// OrgClient returns an OrganizationService client that sends token.
func (e *Env) OrgClient(hc *http.Client, p Protocol, token string) zeugov1connect.OrganizationServiceClient {
	return zeugov1connect.NewOrganizationServiceClient(hc, e.Server.URL,
		append(ClientOptions(p), connect.WithInterceptors(Bearer(token)))...)
}

// Bearer returns an interceptor that sends an access token, on unary and
// streaming calls.
func Bearer(token string) connect.Interceptor { return bearer(token) }

type bearer string

func (b bearer) WrapUnary(next connect.UnaryFunc) connect.UnaryFunc {
	return func(ctx context.Context, req connect.AnyRequest) (connect.AnyResponse, error) {
		if b != "" {
			req.Header().Set("Authorization", "Bearer "+string(b))
		}
		return next(ctx, req)
	}
}

func (b bearer) WrapStreamingClient(next connect.StreamingClientFunc) connect.StreamingClientFunc {
	return func(ctx context.Context, spec connect.Spec) connect.StreamingClientConn {
		conn := next(ctx, spec)
		if b != "" {
			conn.RequestHeader().Set("Authorization", "Bearer "+string(b))
		}
		return conn
	}
}

func (b bearer) WrapStreamingHandler(next connect.StreamingHandlerFunc) connect.StreamingHandlerFunc {
	return next
}

// AsOwner runs fn in a transaction of the owner pool bound to tenantID, as
// an operator or a database administrator would look at (or tamper with) a
// tenant's rows; a failure fails the test.
func (e *Env) AsOwner(tenantID uuid.UUID, fn func(tx pgx.Tx) error) {
	e.T.Helper()
	ctx := context.Background()
	err := pgx.BeginFunc(ctx, e.DB.Owner, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT set_config('app.tenant_id', $1, true)`, tenantID.String()); err != nil {
			return err
		}
		return fn(tx)
	})
	if err != nil {
		e.T.Fatalf("as owner in tenant %s: %v", tenantID, err)
	}
}
