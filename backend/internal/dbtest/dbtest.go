// Package dbtest gives every test a fresh, fully migrated PostgreSQL
// database, cloned from a template that is migrated once per schema version
// (pgtestdb). The server under test connects as zeugo_app, exactly as in
// production, so row-level security is always in force in tests.
//
// The server is found through ZEUGO_TEST_DATABASE_URL (a superuser URL to a
// maintenance database; default postgres://postgres@127.0.0.1:5432/postgres).
//
// The one exception is OpenBypassRLS: a test-only role that has zeugo_app's
// privileges but bypasses row-level security, so a test can prove the
// application's own tenant filter without RLS hiding its mistakes.
package dbtest

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
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

	// adminURL is the superuser URL of the server (ZEUGO_TEST_DATABASE_URL);
	// only a superuser may create a BYPASSRLS role on PostgreSQL 15.
	adminURL string
	// appConf is the zeugo_app connection, the model for the bypass role's.
	appConf pgtestdb.Config
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
	d := &DB{OwnerURL: conf.URL(), adminURL: base}
	appConf := *conf
	appConf.User, appConf.Password = postgres.AppRole, ""
	d.AppURL = appConf.URL()
	d.appConf = appConf
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

// BypassRole is a test-only role: a member of zeugo_app (so it has exactly
// zeugo_app's privileges, including grants added later, such as new audit
// partitions) with BYPASSRLS added. A server running as it has only the
// application's tenant filter between tenants — the test of that filter
// alone (issue 12 point 15). It exists only on test servers: production
// never creates it, and `zeugo serve` refuses any BYPASSRLS role
// (postgres.CheckAppRole).
const BypassRole = "zeugo_test_bypassrls"

var (
	bypassOnce sync.Once
	bypassErr  error
)

// OpenBypassRLS opens a pool on d's database as BypassRole (created on the
// server once, by the first test that asks), closed when the test ends. It
// returns the URL too, for the configuration of a server built over it.
func (d *DB) OpenBypassRLS(t testing.TB) (string, *pgxpool.Pool) {
	t.Helper()
	bypassOnce.Do(func() { bypassErr = ensureBypassRole(d.adminURL) })
	if bypassErr != nil {
		t.Fatalf("test role %s: %v", BypassRole, bypassErr)
	}
	conf := d.appConf
	conf.User = BypassRole
	u := conf.URL()
	pool, err := postgres.Open(context.Background(), u+"&pool_max_conns=16")
	if err != nil {
		t.Fatalf("open %s pool: %v", BypassRole, err)
	}
	t.Cleanup(pool.Close)
	return u, pool
}

// ensureBypassRole creates BypassRole when it is missing and (re)states its
// attributes and membership. Roles belong to the whole server, and test
// binaries of several packages run at once: an advisory lock serialises
// them (role DDL is transactional, so the lock is held until COMMIT).
func ensureBypassRole(adminURL string) error {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	return pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock(hashtext('zeugo.dbtest.bypassrls'))"); err != nil {
			return err
		}
		var exists bool
		if err := tx.QueryRow(ctx, "SELECT EXISTS (SELECT FROM pg_roles WHERE rolname = $1)", BypassRole).Scan(&exists); err != nil {
			return err
		}
		role, app := pgx.Identifier{BypassRole}.Sanitize(), pgx.Identifier{postgres.AppRole}.Sanitize()
		stmts := []string{
			"ALTER ROLE " + role + " LOGIN NOSUPERUSER BYPASSRLS NOCREATEDB NOCREATEROLE INHERIT",
			"GRANT " + app + " TO " + role,
		}
		if !exists {
			stmts[0] = "CREATE ROLE " + role + " LOGIN NOSUPERUSER BYPASSRLS NOCREATEDB NOCREATEROLE INHERIT"
		}
		for _, s := range stmts {
			if _, err := tx.Exec(ctx, s); err != nil {
				return fmt.Errorf("%s (ZEUGO_TEST_DATABASE_URL must be a superuser): %w", s, err)
			}
		}
		return nil
	})
}
