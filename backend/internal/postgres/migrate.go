package postgres

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"sort"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivermigrate"
)

//go:embed migrations/*.sql
var migrationsFS embed.FS

// AppRole is the role the server runs as: LOGIN, no BYPASSRLS, owns nothing.
const AppRole = "zeugo_app"

// MigrationsHash identifies the embedded migrations (for test templates).
func MigrationsHash() (string, error) {
	h := sha256.New()
	names, err := fs.Glob(migrationsFS, "migrations/*.sql")
	if err != nil {
		return "", err
	}
	sort.Strings(names)
	for _, n := range names {
		b, err := migrationsFS.ReadFile(n)
		if err != nil {
			return "", err
		}
		h.Write([]byte(n))
		h.Write(b)
	}
	h.Write([]byte("river:" + riverVersionTag))
	return hex.EncodeToString(h.Sum(nil))[:16], nil
}

// riverVersionTag changes when the River module (and so its schema) changes.
const riverVersionTag = "v0.51.1"

// CreateDatabase creates the database named in url when it does not exist
// (development convenience; needs CREATEDB). It connects to the "postgres"
// maintenance database of the same server.
func CreateDatabase(ctx context.Context, dbURL string) error {
	u, err := url.Parse(dbURL)
	if err != nil {
		return err
	}
	name := strings.Trim(u.Path, "/")
	u.Path = "/postgres"
	conn, err := pgx.Connect(ctx, u.String())
	if err != nil {
		return fmt.Errorf("connect to maintenance database: %w", err)
	}
	defer conn.Close(ctx)
	var exists bool
	if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
		return err
	}
	if exists {
		return nil
	}
	_, err = conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize())
	var pgErr *pgconn.PgError
	// Created concurrently: 42P04 when the other creation had committed,
	// 23505 (pg_database's unique index) when it was still in progress.
	if errors.As(err, &pgErr) && (pgErr.Code == "42P04" || pgErr.Code == "23505") {
		return nil
	}
	return err
}

// Migrate brings the schema of the database behind pool up to date: it
// ensures the zeugo_app role, applies the embedded goose migrations and
// River's schema, and grants zeugo_app what River needs. A PostgreSQL
// advisory lock makes concurrent callers (replicas starting together) wait
// for each other instead of racing. The connected role must own the schema
// objects and be able to bypass row-level security (superuser or
// BYPASSRLS), because auth_find_login and audit_ensure_partitions run with
// its rights.
func Migrate(ctx context.Context, pool *pgxpool.Pool) error {
	var canBypass bool
	if err := pool.QueryRow(ctx, "SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user").Scan(&canBypass); err != nil {
		return fmt.Errorf("inspect migration role: %w", err)
	}
	if !canBypass {
		return errors.New("the migration role (ZEUGO_DATABASE_URL) must be a superuser or have BYPASSRLS; grant it with ALTER ROLE … BYPASSRLS")
	}
	if err := ensureAppRole(ctx, pool); err != nil {
		return err
	}

	db := stdlib.OpenDBFromPool(pool)
	defer db.Close()
	sub, err := fs.Sub(migrationsFS, "migrations")
	if err != nil {
		return err
	}
	locker, err := lock.NewPostgresSessionLocker()
	if err != nil {
		return err
	}
	provider, err := goose.NewProvider(goose.DialectPostgres, db, sub, goose.WithSessionLocker(locker))
	if err != nil {
		return fmt.Errorf("load migrations: %w", err)
	}
	if _, err := provider.Up(ctx); err != nil {
		return fmt.Errorf("apply migrations: %w", err)
	}

	migrator, err := rivermigrate.New(riverpgxv5.New(pool), nil)
	if err != nil {
		return err
	}
	// River's migrations run one transaction each (some add enum values,
	// which PostgreSQL refuses to use in the transaction that added them), so
	// concurrent migrators are serialised by a session-level advisory lock
	// held on one connection for the whole run.
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock(hashtext('zeugo.river.migrate'))"); err != nil {
		return err
	}
	defer conn.Exec(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock(hashtext('zeugo.river.migrate'))") //nolint:errcheck
	if _, err := migrator.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("apply job queue migrations: %w", err)
	}
	if _, err := pool.Exec(ctx, riverGrants); err != nil {
		return err
	}
	return grantMigrationTable(ctx, db)
}

// riverGrants gives zeugo_app what the job queue needs on River's tables
// (and nothing on ours: those grants live in the migrations).
const riverGrants = `
DO $$
DECLARE r record;
BEGIN
    FOR r IN SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename LIKE 'river\_%' LOOP
        EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO zeugo_app', r.tablename);
    END LOOP;
    FOR r IN SELECT sequencename FROM pg_sequences WHERE schemaname = current_schema() AND sequencename LIKE 'river\_%' LOOP
        EXECUTE format('GRANT USAGE, SELECT, UPDATE ON SEQUENCE %I TO zeugo_app', r.sequencename);
    END LOOP;
END $$`

func grantMigrationTable(ctx context.Context, db *sql.DB) error {
	// /readyz compares the applied version with the embedded one.
	_, err := db.ExecContext(ctx, "GRANT SELECT ON goose_db_version TO zeugo_app")
	return err
}

func ensureAppRole(ctx context.Context, pool *pgxpool.Pool) error {
	var exists bool
	if err := pool.QueryRow(ctx, "SELECT EXISTS (SELECT FROM pg_roles WHERE rolname = $1)", AppRole).Scan(&exists); err != nil {
		return err
	}
	if exists {
		return nil
	}
	_, err := pool.Exec(ctx, "CREATE ROLE "+AppRole+" LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE")
	var pgErr *pgconn.PgError
	// Created concurrently: 42710 when the other creation had committed,
	// 23505 (pg_authid's unique index) when it was still in progress.
	if errors.As(err, &pgErr) && (pgErr.Code == "42710" || pgErr.Code == "23505") {
		return nil
	}
	if err != nil {
		return fmt.Errorf("create role %s (the migration role needs CREATEROLE, or create it yourself): %w", AppRole, err)
	}
	return nil
}

// SetAppPassword sets the login password of zeugo_app (deployments where
// the server authenticates with a password).
func SetAppPassword(ctx context.Context, pool *pgxpool.Pool, password string) error {
	lit := "'" + strings.ReplaceAll(password, "'", "''") + "'"
	_, err := pool.Exec(ctx, "ALTER ROLE "+AppRole+" PASSWORD "+lit)
	return err
}

// LatestMigration is the highest embedded goose version.
func LatestMigration() (int64, error) {
	sub, err := fs.Sub(migrationsFS, "migrations")
	if err != nil {
		return 0, err
	}
	names, err := fs.Glob(sub, "*.sql")
	if err != nil {
		return 0, err
	}
	var latest int64
	for _, n := range names {
		var v int64
		if _, err := fmt.Sscanf(n, "%d_", &v); err == nil && v > latest {
			latest = v
		}
	}
	return latest, nil
}

// CheckAppRole refuses to run the server as a role that could defeat
// row-level security: a superuser, a BYPASSRLS role or the tables' owner —
// or a member of any of them, since a member can SET ROLE to it.
func CheckAppRole(ctx context.Context, pool *pgxpool.Pool) error {
	var privileged bool
	err := pool.QueryRow(ctx, `
		SELECT EXISTS (
		    SELECT FROM pg_roles r
		    WHERE pg_has_role(current_user, r.oid, 'MEMBER')
		      AND (r.rolsuper OR r.rolbypassrls OR EXISTS (
		          SELECT FROM pg_tables WHERE tablename = 'users' AND schemaname = current_schema() AND tableowner = r.rolname)))`).
		Scan(&privileged)
	if err != nil {
		return fmt.Errorf("inspect server role: %w", err)
	}
	if privileged {
		return errors.New("the server role (ZEUGO_APP_DATABASE_URL) must not be a superuser, have BYPASSRLS or own the tables, nor be a member of such a role; use the zeugo_app role")
	}
	return nil
}

// SchemaCurrent reports whether the applied goose version is the latest
// embedded one (for /readyz).
func SchemaCurrent(ctx context.Context, pool *pgxpool.Pool) (bool, error) {
	latest, err := LatestMigration()
	if err != nil {
		return false, err
	}
	var applied int64
	if err := pool.QueryRow(ctx, "SELECT coalesce(max(version_id), 0) FROM goose_db_version WHERE is_applied").Scan(&applied); err != nil {
		return false, err
	}
	return applied >= latest, nil
}
