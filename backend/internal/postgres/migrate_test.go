package postgres_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net/url"
	"os"
	"sync"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/zeugo/zeugo/backend/internal/apperr"
	"github.com/zeugo/zeugo/backend/internal/dbtest"
	"github.com/zeugo/zeugo/backend/internal/postgres"
)

// superuserURL is the test server's maintenance URL (as dbtest uses it).
func superuserURL() string {
	if u := os.Getenv("ZEUGO_TEST_DATABASE_URL"); u != "" {
		return u
	}
	return dbtest.DefaultURL
}

// emptyDatabase creates a database without any schema and returns its URL
// (superuser); it is dropped when the test ends.
func emptyDatabase(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "zeugo_migrate_" + hex.EncodeToString(b)
	admin, err := pgx.Connect(ctx, superuserURL())
	if err != nil {
		t.Fatalf("connect as superuser: %v", err)
	}
	defer admin.Close(ctx)
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		t.Fatalf("create database: %v", err)
	}
	t.Cleanup(func() {
		c, err := pgx.Connect(context.Background(), superuserURL())
		if err != nil {
			t.Errorf("cleanup connect: %v", err)
			return
		}
		defer c.Close(context.Background())
		if _, err := c.Exec(context.Background(), "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)"); err != nil {
			t.Errorf("drop database %s: %v", name, err)
		}
	})
	u, err := url.Parse(superuserURL())
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

func appliedVersions(t *testing.T, pool *pgxpool.Pool) (rows int, latest int64) {
	t.Helper()
	if err := pool.QueryRow(context.Background(), "SELECT count(*), coalesce(max(version_id), 0) FROM goose_db_version").Scan(&rows, &latest); err != nil {
		t.Fatal(err)
	}
	return rows, latest
}

// TestMigrateConcurrentReplicas starts two migrators at once on an empty
// database, as two replicas starting together would: the advisory locks make
// one wait for the other, both succeed, and the result is the same schema a
// single run produces. A third run changes nothing.
func TestMigrateConcurrentReplicas(t *testing.T) {
	t.Parallel()
	dbURL := emptyDatabase(t)
	ctx := context.Background()
	pools := make([]*pgxpool.Pool, 2)
	for i := range pools {
		p, err := postgres.Open(ctx, dbURL)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(p.Close)
		pools[i] = p
	}
	var wg sync.WaitGroup
	errs := make([]error, len(pools))
	start := make(chan struct{})
	for i, p := range pools {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			errs[i] = postgres.Migrate(ctx, p)
		}()
	}
	close(start)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("migrator %d: %v", i, err)
		}
	}
	if t.Failed() {
		return
	}
	ok, err := postgres.SchemaCurrent(ctx, pools[0])
	if err != nil || !ok {
		t.Fatalf("SchemaCurrent after concurrent migrate = %v, %v", ok, err)
	}
	want, err := postgres.LatestMigration()
	if err != nil {
		t.Fatal(err)
	}
	rowsBefore, latest := appliedVersions(t, pools[0])
	if latest != want {
		t.Fatalf("applied version %d, embedded latest %d", latest, want)
	}
	var riverMigrations int
	if err := pools[0].QueryRow(ctx, "SELECT count(*) FROM river_migration").Scan(&riverMigrations); err != nil {
		t.Fatalf("river schema: %v", err)
	}

	// Migrating an up-to-date database is a no-op.
	if err := postgres.Migrate(ctx, pools[1]); err != nil {
		t.Fatalf("second migrate: %v", err)
	}
	rowsAfter, _ := appliedVersions(t, pools[0])
	var riverAfter int
	if err := pools[0].QueryRow(ctx, "SELECT count(*) FROM river_migration").Scan(&riverAfter); err != nil {
		t.Fatal(err)
	}
	if rowsAfter != rowsBefore || riverAfter != riverMigrations {
		t.Errorf("re-running Migrate changed the history: goose %d → %d rows, river %d → %d", rowsBefore, rowsAfter, riverMigrations, riverAfter)
	}

	// zeugo_app can read the version (for /readyz) and the server role check
	// accepts it on this database too.
	appURL, _ := url.Parse(dbURL)
	appURL.User = url.User(postgres.AppRole)
	app, err := postgres.Open(ctx, appURL.String())
	if err != nil {
		t.Fatal(err)
	}
	defer app.Close()
	if ok, err := postgres.SchemaCurrent(ctx, app); err != nil || !ok {
		t.Errorf("SchemaCurrent as zeugo_app = %v, %v", ok, err)
	}
}

// TestMigrateRefusesRoleThatCannotBypassRLS: migrations run as a role that
// can bypass RLS (the SECURITY DEFINER functions depend on it); zeugo_app
// is refused with a message naming what to do.
func TestMigrateRefusesRoleThatCannotBypassRLS(t *testing.T) {
	t.Parallel()
	db := dbtest.New(t)
	err := postgres.Migrate(context.Background(), db.App)
	if err == nil {
		t.Fatal("Migrate as zeugo_app succeeded")
	}
	if err := postgres.Migrate(context.Background(), db.Owner); err != nil {
		t.Fatalf("Migrate as owner on a migrated database: %v", err)
	}
}

func TestClassify(t *testing.T) {
	t.Parallel()
	db := dbtest.New(t)
	ctx := context.Background()
	tenantID := uuid.Must(uuid.NewV7())
	if _, err := db.Owner.Exec(ctx, `INSERT INTO tenants (id, name, slug, created_at) VALUES ($1, 'Klassifiziert', 'klassifiziert', now())`, tenantID); err != nil {
		t.Fatal(err)
	}
	dup := func() error {
		_, err := db.Owner.Exec(ctx, `INSERT INTO tenants (id, name, slug, created_at) VALUES (gen_random_uuid(), 'Zwei', 'klassifiziert', now())`)
		return err
	}
	cases := []struct {
		name string
		err  error
		want apperr.Code
	}{
		{"unique violation", dup(), apperr.AlreadyExists},
		{"foreign key violation", func() error {
			_, err := db.Owner.Exec(ctx, `INSERT INTO roles (id, tenant_id, name, created_at, updated_at) VALUES (gen_random_uuid(), gen_random_uuid(), 'x', now(), now())`)
			return err
		}(), apperr.FailedPrecondition},
		{"check violation", func() error {
			_, err := db.Owner.Exec(ctx, `INSERT INTO tenants (id, name, slug, created_at) VALUES (gen_random_uuid(), 'x', 'NOT A SLUG', now())`)
			return err
		}(), apperr.InvalidArgument},
		{"no rows", db.Owner.QueryRow(ctx, `SELECT id FROM tenants WHERE slug = 'missing'`).Scan(new(uuid.UUID)), apperr.NotFound},
		{"cancelled", context.Canceled, apperr.Unavailable},
		{"other", errors.New("boom"), apperr.Internal},
		{"already classified", apperr.New(apperr.PermissionDenied, "no"), apperr.PermissionDenied},
	}
	for _, c := range cases {
		if c.err == nil {
			t.Errorf("%s: the statement did not fail", c.name)
			continue
		}
		got := postgres.Classify(c.err)
		if apperr.CodeOf(got) != c.want {
			t.Errorf("%s: Classify(%v) = %v, want %v", c.name, c.err, apperr.CodeOf(got), c.want)
		}
		if c.want != apperr.Internal && !errors.Is(got, c.err) && c.name != "already classified" {
			t.Errorf("%s: the cause is lost", c.name)
		}
	}
	if postgres.Classify(nil) != nil {
		t.Error("Classify(nil) != nil")
	}
	if c, ok := postgres.UniqueViolation(dup()); !ok || c != "tenants_slug_key" {
		t.Errorf("UniqueViolation = %q, %v", c, ok)
	}
	// Through a wrapped error too (stores wrap with %w).
	if got := postgres.Classify(errors.Join(errors.New("ctx"), dup())); apperr.CodeOf(got) != apperr.AlreadyExists {
		t.Errorf("wrapped unique violation: %v", apperr.CodeOf(got))
	}
}

// TestCheckAppRoleRefusesMembersOfPrivilegedRoles: a role that is merely a
// member of the owner (or of any BYPASSRLS or superuser role) can SET ROLE
// to it and switch row-level security off, so the server must refuse it just
// like the owner itself.
func TestCheckAppRoleRefusesMembersOfPrivilegedRoles(t *testing.T) {
	t.Parallel()
	db := dbtest.New(t)
	ctx := context.Background()
	var owner string
	if err := db.Owner.QueryRow(ctx, "SELECT current_user").Scan(&owner); err != nil {
		t.Fatal(err)
	}
	admin, err := pgx.Connect(ctx, superuserURL())
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	probe := "zeugo_probe_" + hex.EncodeToString(b)
	if _, err := admin.Exec(ctx, "CREATE ROLE "+probe+" LOGIN NOSUPERUSER NOBYPASSRLS NOINHERIT IN ROLE "+postgres.AppRole+", "+pgx.Identifier{owner}.Sanitize()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		c, err := pgx.Connect(context.Background(), superuserURL())
		if err != nil {
			t.Error(err)
			return
		}
		defer c.Close(context.Background())
		if _, err := c.Exec(context.Background(), "DROP ROLE IF EXISTS "+probe); err != nil {
			t.Errorf("drop role %s: %v", probe, err)
		}
	})
	u, err := url.Parse(db.AppURL)
	if err != nil {
		t.Fatal(err)
	}
	u.User = url.User(probe)
	pool, err := postgres.Open(ctx, u.String())
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	// The danger is real: the member becomes the owner and bypasses RLS.
	var bypass bool
	conn, err := pool.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, "SET ROLE "+pgx.Identifier{owner}.Sanitize()); err != nil {
		t.Fatalf("SET ROLE owner as member: %v", err)
	}
	if err := conn.QueryRow(ctx, "SELECT rolbypassrls FROM pg_roles WHERE rolname = current_user").Scan(&bypass); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, "RESET ROLE"); err != nil {
		t.Fatal(err)
	}
	conn.Release()
	if !bypass {
		t.Fatal("setup: SET ROLE to the owner did not gain BYPASSRLS")
	}
	if err := postgres.CheckAppRole(ctx, pool); err == nil {
		t.Error("CheckAppRole accepted a member of the owner role")
	}
}

// TestCreateDatabaseConcurrently: replicas (or migrate and serve) that find
// the database missing at the same moment all succeed; one creates it.
func TestCreateDatabaseConcurrently(t *testing.T) {
	t.Parallel()
	u, err := url.Parse(superuserURL())
	if err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "zeugo_create_" + hex.EncodeToString(b)
	u.Path = "/" + name
	t.Cleanup(func() {
		c, err := pgx.Connect(context.Background(), superuserURL())
		if err != nil {
			t.Error(err)
			return
		}
		defer c.Close(context.Background())
		if _, err := c.Exec(context.Background(), "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)"); err != nil {
			t.Errorf("drop %s: %v", name, err)
		}
	})
	const n = 6
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			errs[i] = postgres.CreateDatabase(context.Background(), u.String())
		}()
	}
	close(start)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("CreateDatabase %d: %v", i, err)
		}
	}
	conn, err := pgx.Connect(context.Background(), u.String())
	if err != nil {
		t.Fatalf("the database does not exist: %v", err)
	}
	conn.Close(context.Background())
}
