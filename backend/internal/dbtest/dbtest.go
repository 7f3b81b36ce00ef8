// Package dbtest gives every test a fresh, fully migrated PostgreSQL
// database, cloned from a template that is migrated once per schema version
// (pgtestdb). The server under test connects as zeugo_app, exactly as in
// production, so row-level security is always in force in tests.
//
// The server is found through ZEUGO_TEST_DATABASE_URL (a superuser URL to a
// maintenance database; default postgres://postgres@127.0.0.1:5432/postgres).
package dbtest

import (
	"context"
	"database/sql"
	"net/url"
	"os"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx" for pgtestdb
	"github.com/peterldowns/pgtestdb"

	"github.com/zeugo/zeugo/backend/internal/postgres"
)

// DefaultURL is used when ZEUGO_TEST_DATABASE_URL is unset.
const DefaultURL = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// ownerRole owns test databases like the migration role owns production:
// it may create roles and bypass RLS, but it is no superuser.
var ownerRole = pgtestdb.Role{Username: "zeugo_test_owner", Password: "zeugo_test_owner",
	Capabilities: "NOSUPERUSER NOCREATEDB CREATEROLE BYPASSRLS"}

type migrator struct{}

func (migrator) Hash() (string, error) { return postgres.MigrationsHash() }

func (migrator) Migrate(ctx context.Context, _ *sql.DB, conf pgtestdb.Config) error {
	pool, err := pgxpool.New(ctx, conf.URL())
	if err != nil {
		return err
	}
	defer pool.Close()
	return postgres.Migrate(ctx, pool)
}

// DB is a fresh database.
type DB struct {
	// OwnerURL connects as the owning role (like ZEUGO_DATABASE_URL).
	OwnerURL string
	// AppURL connects as zeugo_app (like ZEUGO_APP_DATABASE_URL).
	AppURL string
	// Owner and App are open pools, closed when the test ends.
	Owner, App *pgxpool.Pool
}

// New creates a fresh migrated database for t.
func New(t testing.TB) *DB {
	t.Helper()
	base := os.Getenv("ZEUGO_TEST_DATABASE_URL")
	if base == "" {
		base = DefaultURL
	}
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("ZEUGO_TEST_DATABASE_URL: %v", err)
	}
	pw, _ := u.User.Password()
	host, port := u.Hostname(), u.Port()
	if host == "" {
		host = u.Query().Get("host")
	}
	if port == "" {
		port = "5432"
	}
	q := u.Query()
	q.Del("host")
	if q.Get("sslmode") == "" {
		q.Set("sslmode", "disable")
	}
	conf := pgtestdb.Custom(t, pgtestdb.Config{
		DriverName: "pgx", Host: host, Port: port, User: u.User.Username(), Password: pw,
		Database: trimSlash(u.Path), Options: q.Encode(), TestRole: &ownerRole, ForceTerminateConnections: true,
	}, migrator{})
	d := &DB{OwnerURL: conf.URL()}
	appConf := *conf
	appConf.User, appConf.Password = postgres.AppRole, ""
	d.AppURL = appConf.URL()
	ctx := context.Background()
	if d.Owner, err = postgres.Open(ctx, d.OwnerURL+"&pool_max_conns=8"); err != nil {
		t.Fatalf("open owner pool: %v", err)
	}
	if d.App, err = postgres.Open(ctx, d.AppURL+"&pool_max_conns=16"); err != nil {
		t.Fatalf("open app pool: %v", err)
	}
	t.Cleanup(func() { d.App.Close(); d.Owner.Close() })
	return d
}

func trimSlash(p string) string {
	for len(p) > 0 && p[0] == '/' {
		p = p[1:]
	}
	return p
}
