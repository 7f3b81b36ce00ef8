package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/zeugo/zeugo/backend/internal/dbtest"
	"github.com/zeugo/zeugo/backend/internal/keyring"
	"github.com/zeugo/zeugo/backend/internal/password"
	"github.com/zeugo/zeugo/backend/internal/postgres"
)

// zeugo runs the command line with env as the whole environment.
func zeugo(t *testing.T, env map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, &out, &errb, func(k string) string { return env[k] })
	return code, out.String(), errb.String()
}

// assertOneLine asserts s is exactly one line.
func assertOneLine(t *testing.T, what, s string) {
	t.Helper()
	if strings.Count(s, "\n") != 1 || !strings.HasSuffix(s, "\n") {
		t.Errorf("%s: want exactly one line, got %q", what, s)
	}
	if strings.Contains(s, "goroutine ") || strings.Contains(s, "panic") {
		t.Errorf("%s: stack trace in %q", what, s)
	}
}

func TestConfigurationErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	secret := base64.StdEncoding.EncodeToString([]byte("only sixteen b.."))
	good := base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{7}, 32))
	cases := []struct {
		name    string
		env     map[string]string
		args    []string
		wantVar string
	}{
		{"migrate without database url", map[string]string{}, []string{"migrate"}, "ZEUGO_DATABASE_URL"},
		{"serve without database url", map[string]string{}, []string{"serve"}, "ZEUGO_DATABASE_URL"},
		{"tenant create without database url", map[string]string{}, []string{"tenant", "create", "--name", "X", "--admin-email", "a@b.example"}, "ZEUGO_DATABASE_URL"},
		{"bad database url", map[string]string{"ZEUGO_DATABASE_URL": "mysql://u@h/db"}, []string{"migrate"}, "ZEUGO_DATABASE_URL"},
		{"missing master key", map[string]string{"ZEUGO_DATABASE_URL": "postgres://u@h/db"}, []string{"migrate"}, "ZEUGO_MASTER_KEY"},
		{"short master key", map[string]string{"ZEUGO_DATABASE_URL": "postgres://u@h/db", "ZEUGO_MASTER_KEY": secret}, []string{"keys", "rotate"}, "ZEUGO_MASTER_KEY"},
		{"missing tls in production", map[string]string{"ZEUGO_DATABASE_URL": "postgres://u@h/db", "ZEUGO_MASTER_KEY": good}, []string{"serve"}, "ZEUGO_TLS_CERT_FILE"},
		{"bad listen address", map[string]string{"ZEUGO_ENV": "development", "ZEUGO_DATA_DIR": dir, "ZEUGO_LISTEN_ADDR": "8443"}, []string{"serve"}, "ZEUGO_LISTEN_ADDR"},
		{"bad environment", map[string]string{"ZEUGO_ENV": "prod"}, []string{"migrate"}, "ZEUGO_ENV"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			code, stdout, stderr := zeugo(t, tc.env, tc.args...)
			if code != 2 {
				t.Errorf("exit code %d, want 2 (stderr %q)", code, stderr)
			}
			assertOneLine(t, "stderr", stderr)
			if !strings.Contains(stderr, tc.wantVar+":") {
				t.Errorf("stderr %q does not name %s", stderr, tc.wantVar)
			}
			if stdout != "" {
				t.Errorf("stdout %q, want nothing", stdout)
			}
			if strings.Contains(stderr, secret) || strings.Contains(stderr, good) {
				t.Errorf("stderr reveals the master key: %q", stderr)
			}
		})
	}
}

func TestUsageErrors(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{},
		{"frobnicate"},
		{"tenant"},
		{"tenant", "delete"},
		{"tenant", "create"},
		{"tenant", "create", "--name", "Nur Name"},
		{"tenant", "create", "--admin-email", "a@b.example"},
		{"tenant", "create", "--bogus"},
		{"user"},
		{"user", "unlock"},
		{"user", "unlock", "--email", "a@b.example"},
		{"keys"},
		{"keys", "rotate", "--all"},
	} {
		code, stdout, stderr := zeugo(t, map[string]string{}, args...)
		if code != 2 {
			t.Errorf("%q: exit code %d, want 2", args, code)
		}
		if stderr == "" || stdout != "" {
			t.Errorf("%q: stdout %q, stderr %q", args, stdout, stderr)
		}
		if len(args) > 0 && args[0] != "frobnicate" {
			assertOneLine(t, strings.Join(args, " "), stderr)
		}
	}
	if code, stdout, _ := zeugo(t, map[string]string{}, "help"); code != 0 || !strings.Contains(stdout, "tenant create") {
		t.Errorf("help: %d %q", code, stdout)
	}
}

func TestUnreachableDatabase(t *testing.T) {
	t.Parallel()
	env := map[string]string{"ZEUGO_ENV": "development", "ZEUGO_DATA_DIR": t.TempDir(),
		"ZEUGO_DATABASE_URL": "postgres://nobody@127.0.0.1:1/zeugo?sslmode=disable&connect_timeout=5"}
	code, _, stderr := zeugo(t, env, "tenant", "create", "--name", "X", "--admin-email", "a@b.example")
	if code != 1 {
		t.Errorf("exit code %d, want 1", code)
	}
	assertOneLine(t, "stderr", stderr)
	if !strings.Contains(stderr, "ZEUGO_DATABASE_URL") {
		t.Errorf("stderr %q does not name ZEUGO_DATABASE_URL", stderr)
	}
}

var passwordLine = regexp.MustCompile(`(?m)^  password: (\S+)$`)

// TestOperatorCommands runs migrate, tenant create, user unlock and keys
// rotate against a real database, as an operator would.
func TestOperatorCommands(t *testing.T) {
	t.Parallel()
	db := dbtest.New(t)
	dataDir := t.TempDir()
	env := map[string]string{"ZEUGO_ENV": "development", "ZEUGO_DATA_DIR": dataDir, "ZEUGO_DATABASE_URL": db.OwnerURL}

	code, stdout, stderr := zeugo(t, env, "migrate")
	if code != 0 || !strings.Contains(stdout, "migrations applied") {
		t.Fatalf("migrate: %d %q %q", code, stdout, stderr)
	}

	code, stdout, stderr = zeugo(t, env, "tenant", "create", "--name", "Kommandozeile GmbH", "--admin-email", "Chef@Kommandozeile.Example")
	if code != 0 {
		t.Fatalf("tenant create: %d %q %q", code, stdout, stderr)
	}
	m := passwordLine.FindStringSubmatch(stdout)
	if m == nil {
		t.Fatalf("no password printed: %q", stdout)
	}
	pw := m[1]
	if strings.Count(stdout, pw) != 1 || strings.Contains(stderr, pw) {
		t.Errorf("the password must be printed exactly once (stdout %d times, stderr %v)", strings.Count(stdout, pw), strings.Contains(stderr, pw))
	}
	if !strings.Contains(stdout, "slug:     kommandozeile-gmbh") || !strings.Contains(stdout, "admin:    chef@kommandozeile.example") {
		t.Errorf("tenant create output: %q", stdout)
	}
	// The printed password is the account's password.
	var hash string
	if err := db.Owner.QueryRow(context.Background(), `SELECT password_hash FROM users`).Scan(&hash); err != nil {
		t.Fatal(err)
	}
	h := password.NewHasher(password.OWASP, 1)
	defer h.Close()
	if err := h.Verify(context.Background(), hash, pw); err != nil {
		t.Errorf("printed password does not match the stored hash: %v", err)
	}

	// An email is unique within its tenant only (docs/security.md §2.2): a
	// second tenant may use the same administrator address.
	code, stdout, stderr = zeugo(t, env, "tenant", "create", "--name", "Kopie GmbH", "--admin-email", "chef@kommandozeile.example")
	if code != 0 || !strings.Contains(stdout, "tenant created") {
		t.Errorf("admin email of another tenant: %d %q %q", code, stdout, stderr)
	}

	if _, err := db.Owner.Exec(context.Background(), `UPDATE users SET status = 'locked', failed_logins = 5, locked_at = now()
		WHERE tenant_id = (SELECT id FROM tenants WHERE slug = 'kommandozeile-gmbh')`); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr = zeugo(t, env, "user", "unlock", "--email", "chef@kommandozeile.example", "--tenant", "kommandozeile-gmbh")
	if code != 0 || !strings.Contains(stdout, "unlocked") {
		t.Fatalf("user unlock: %d %q %q", code, stdout, stderr)
	}
	var status string
	if err := db.Owner.QueryRow(context.Background(), `SELECT status FROM users
		WHERE tenant_id = (SELECT id FROM tenants WHERE slug = 'kommandozeile-gmbh')`).Scan(&status); err != nil || status != "active" {
		t.Errorf("status after unlock %q (%v)", status, err)
	}
	code, _, stderr = zeugo(t, env, "user", "unlock", "--email", "niemand@kommandozeile.example", "--tenant", "kommandozeile-gmbh")
	if code != 1 {
		t.Errorf("unlock of an unknown account: exit %d", code)
	}
	assertOneLine(t, "unknown account stderr", stderr)

	// Master-key rotation: the generated development key becomes the old
	// one, a new key the current one.
	oldKey, err := os.ReadFile(filepath.Join(dataDir, "master.key"))
	if err != nil {
		t.Fatal(err)
	}
	newKey := keyring.NewKey()
	env["ZEUGO_MASTER_KEY"] = base64.StdEncoding.EncodeToString(newKey)
	env["ZEUGO_MASTER_KEYS_OLD"] = strings.TrimSpace(string(oldKey))
	code, stdout, stderr = zeugo(t, env, "keys", "rotate")
	if code != 0 || !strings.Contains(stdout, "re-wrapped 3 platform keys and 2 tenant data keys") {
		t.Fatalf("keys rotate: %d %q %q", code, stdout, stderr)
	}
	var notRewrapped int
	if err := db.Owner.QueryRow(context.Background(), `SELECT (SELECT count(*) FROM platform_keys WHERE master_key_id <> $1) +
		(SELECT count(*) FROM tenant_keys WHERE master_key_id <> $1)`, keyring.MasterKeyID(newKey)).Scan(&notRewrapped); err != nil || notRewrapped != 0 {
		t.Errorf("%d keys not re-wrapped (%v)", notRewrapped, err)
	}
	// After rotation the old key can go: unlock (which reads keys) still works.
	delete(env, "ZEUGO_MASTER_KEYS_OLD")
	code, _, stderr = zeugo(t, env, "user", "unlock", "--email", "chef@kommandozeile.example", "--tenant", "kommandozeile-gmbh")
	if code != 0 {
		t.Errorf("unlock with only the new key: %d %q", code, stderr)
	}
}

// TestMigrateCreatesDatabase is the first `make run` on a fresh server:
// the database does not exist yet, migrate creates it and applies the
// schema; a second migrate is a no-op.
func TestMigrateCreatesDatabase(t *testing.T) {
	t.Parallel()
	base := os.Getenv("ZEUGO_TEST_DATABASE_URL")
	if base == "" {
		base = dbtest.DefaultURL
	}
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "zeugo_cli_" + hex.EncodeToString(b)
	u.Path = "/" + name
	t.Cleanup(func() {
		c, err := pgx.Connect(context.Background(), base)
		if err != nil {
			t.Error(err)
			return
		}
		defer c.Close(context.Background())
		if _, err := c.Exec(context.Background(), "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)"); err != nil {
			t.Errorf("drop %s: %v", name, err)
		}
	})
	env := map[string]string{"ZEUGO_ENV": "development", "ZEUGO_DATA_DIR": t.TempDir(), "ZEUGO_DATABASE_URL": u.String()}
	code, stdout, stderr := zeugo(t, env, "migrate")
	if code != 0 || !strings.Contains(stdout, "created database") || !strings.Contains(stdout, "migrations applied") {
		t.Fatalf("first migrate: %d %q %q", code, stdout, stderr)
	}
	code, stdout, stderr = zeugo(t, env, "migrate")
	if code != 0 || strings.Contains(stdout, "created database") {
		t.Fatalf("second migrate: %d %q %q", code, stdout, stderr)
	}
	pool, err := postgres.Open(context.Background(), u.String())
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	if ok, err := postgres.SchemaCurrent(context.Background(), pool); err != nil || !ok {
		t.Errorf("schema current = %v, %v", ok, err)
	}
}

func TestDemoRefusesOutsideDevelopment(t *testing.T) {
	t.Parallel()
	db := dbtest.New(t)
	env := map[string]string{"ZEUGO_DATABASE_URL": db.OwnerURL, "ZEUGO_MASTER_KEY": base64.StdEncoding.EncodeToString(keyring.NewKey())}
	code, stdout, stderr := zeugo(t, env, "demo")
	if code != 2 || !strings.Contains(stderr, "development") || stdout != "" {
		t.Fatalf("demo in production: %d %q %q", code, stdout, stderr)
	}
	var n int
	if err := db.Owner.QueryRow(context.Background(), `SELECT count(*) FROM tenants`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("tenants after refused demo: %d %v", n, err)
	}
}

// TestDemoSeedsAStructureAndEmployeesOnce: `zeugo demo` in development
// creates the demo tenant with its company, units, employees and three
// certificates once; a
// second run only resets the password.
func TestDemoSeedsAStructureAndEmployeesOnce(t *testing.T) {
	t.Parallel()
	db := dbtest.New(t)
	env := map[string]string{"ZEUGO_ENV": "development", "ZEUGO_DATA_DIR": t.TempDir(), "ZEUGO_DATABASE_URL": db.OwnerURL,
		"ZEUGO_DEMO_PASSWORD": "Demo-Passwort-2026!"}
	if code, stdout, stderr := zeugo(t, env, "migrate"); code != 0 {
		t.Fatalf("migrate: %d %q %q", code, stdout, stderr)
	}
	for range 2 {
		code, stdout, stderr := zeugo(t, env, "demo")
		if code != 0 || !strings.Contains(stdout, "admin@muster.example") || !strings.Contains(stdout, "Demo-Passwort-2026!") {
			t.Fatalf("demo: %d %q %q", code, stdout, stderr)
		}
	}
	var companies, units, people int
	if err := db.Owner.QueryRow(context.Background(), `SELECT (SELECT count(*) FROM companies), (SELECT count(*) FROM org_units),
		(SELECT count(*) FROM employees WHERE company_id IS NOT NULL AND location_id IS NOT NULL)`).Scan(&companies, &units, &people); err != nil {
		t.Fatal(err)
	}
	if companies != 1 || units != 9 || people != 12 {
		t.Fatalf("demo tenant: %d companies, %d units, %d employees; want 1, 9, 12", companies, units, people)
	}
	var certs, texts, issued int
	if err := db.Owner.QueryRow(context.Background(), `SELECT (SELECT count(*) FROM certificates),
		(SELECT count(*) FROM certificate_sections WHERE section = 'result' AND version > 1),
		(SELECT count(*) FROM certificate_documents)`).Scan(&certs, &texts, &issued); err != nil {
		t.Fatal(err)
	}
	if certs != 3 || texts != 3 || issued != 1 {
		t.Fatalf("demo certificates: %d, %d with a text, %d issued; want 3, 3, 1", certs, texts, issued)
	}
}
