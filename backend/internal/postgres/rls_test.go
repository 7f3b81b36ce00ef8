package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"connectrpc.com/connect"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/zeugo/zeugo/backend/internal/access"
	"github.com/zeugo/zeugo/backend/internal/apptest"
	"github.com/zeugo/zeugo/backend/internal/dbtest"
	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
	"github.com/zeugo/zeugo/backend/internal/organization"
	"github.com/zeugo/zeugo/backend/internal/postgres"
)

// tenantTables are the tables that carry tenant data. The catalog test
// (catalog_test.go) finds every such table by its tenant_id column; this list
// is what the behavioural RLS test exercises row by row.
var tenantTables = []string{"companies", "org_units", "users", "roles", "sessions", "tenant_keys",
	"audit_events", "audit_chain_heads", "refresh_tokens"}

// populated is a server with two tenants that each have a row in every
// tenant table: provisioning writes tenant_keys, roles, users and audit
// records; a login writes sessions and refresh_tokens; the organisation
// service writes companies and org_units.
type populated struct {
	env  *apptest.Env
	a, b uuid.UUID
}

func populate(t *testing.T) *populated {
	t.Helper()
	env := apptest.New(t)
	p := &populated{env: env}
	for i, ten := range []*apptest.Tenant{
		env.CreateTenant("Alpha AG", "admin@alpha.example"),
		env.CreateTenant("Beta GmbH", "admin@beta.example"),
	} {
		res, err := env.AuthClient(env.HTTPClient(), apptest.Connect).Login(context.Background(),
			connect.NewRequest(&zeugov1.LoginRequest{Email: ten.Email, Password: ten.Password, RefreshTokenInBody: true}))
		if err != nil {
			t.Fatalf("login %s: %v", ten.Email, err)
		}
		if res.Msg.GetTokens().GetRefreshToken() == "" {
			t.Fatal("login returned no refresh token")
		}
		ctx := access.WithPrincipal(context.Background(), &access.Principal{Kind: access.KindUser, ActorID: ten.AdminID,
			UserID: ten.AdminID, TenantID: ten.TenantID, Areas: []access.Area{access.AreaAdministrator}})
		if _, err := env.App.Organization.CreateCompany(ctx, organization.CompanyFields{Name: fmt.Sprintf("Firma %d", i)}); err != nil {
			t.Fatalf("create company: %v", err)
		}
		if _, err := env.App.Organization.CreateUnit(ctx, organization.KindDepartment, organization.UnitFields{Name: "Personal"}); err != nil {
			t.Fatalf("create unit: %v", err)
		}
		if i == 0 {
			p.a = ten.TenantID
		} else {
			p.b = ten.TenantID
		}
	}
	// The owner (BYPASSRLS) sees both tenants in every table, so the
	// assertions below are not vacuous.
	for _, tbl := range tenantTables {
		for _, id := range []uuid.UUID{p.a, p.b} {
			var n int
			if err := env.DB.Owner.QueryRow(context.Background(), "SELECT count(*) FROM "+tbl+" WHERE tenant_id = $1", id).Scan(&n); err != nil {
				t.Fatalf("%s: %v", tbl, err)
			}
			if n == 0 {
				t.Fatalf("setup: %s has no row of tenant %s", tbl, id)
			}
		}
	}
	return p
}

// TestRowLevelSecurity proves isolation mechanism 2, row-level security, on
// its own (DESIGN.md §4: either mechanism alone must hold). Its statements
// run as zeugo_app (the "CheckAppRole" case shows the role cannot bypass
// RLS) and deliberately carry no tenant filter — or a filter naming the
// other tenant — so nothing but the policies keeps tenant A from B's rows.
// Mechanism 1, the application's tenant filter, is proven on its own by
// organization.TestTenantIsolationThroughTheAPI, whose "tenant filter alone"
// run goes through the public API over a role that bypasses RLS.
//
// All cases share one server with two populated tenants (none of them
// changes the data they share).
func TestRowLevelSecurity(t *testing.T) {
	t.Parallel()
	p := populate(t)
	for name, fn := range map[string]func(*testing.T, *populated){
		"isolates tenants without app filter":  testRLSIsolatesTenantsWithoutAppFilter,
		"hides everything outside TenantTx":    testRLSHidesEverythingOutsideTenantTx,
		"app role privileges":                  testAppRolePrivileges,
		"CheckAppRole":                         testCheckAppRole,
		"binding does not outlive transaction": testTenantBindingDoesNotOutliveTransaction,
		"TenantBatch binding":                  testTenantBatchBinding,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			fn(t, p)
		})
	}
}

// sqlstate returns the SQLSTATE of err, or "" when err is no PostgreSQL error.
func sqlstate(err error) string {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code
	}
	return ""
}

// testRLSIsolatesTenantsWithoutAppFilter: tenant A's transaction, as
// zeugo_app, selects, inserts, updates and deletes without the
// application's tenant filter; RLS alone hides and protects B's rows.
func testRLSIsolatesTenantsWithoutAppFilter(t *testing.T, p *populated) {
	ctx := context.Background()
	db := &postgres.DB{Pool: p.env.DB.App}

	t.Run("select", func(t *testing.T) {
		t.Parallel()
		for _, tbl := range tenantTables {
			var total, foreign int
			err := db.TenantTx(ctx, p.a, func(tx pgx.Tx) error {
				// Deliberately no WHERE tenant_id: only RLS stands between A and B.
				return tx.QueryRow(ctx, "SELECT count(*), count(*) FILTER (WHERE tenant_id <> $1) FROM "+tbl, p.a).Scan(&total, &foreign)
			})
			if err != nil {
				t.Fatalf("%s: %v", tbl, err)
			}
			if total == 0 || foreign != 0 {
				t.Errorf("%s in tenant A's transaction: %d rows, %d of another tenant; want >0 and 0", tbl, total, foreign)
			}
		}
	})

	t.Run("tenants table", func(t *testing.T) {
		t.Parallel()
		var ids []uuid.UUID
		err := db.TenantTx(ctx, p.a, func(tx pgx.Tx) error {
			rows, err := tx.Query(ctx, "SELECT id FROM tenants")
			if err != nil {
				return err
			}
			ids, err = pgx.CollectRows(rows, pgx.RowTo[uuid.UUID])
			return err
		})
		if err != nil || len(ids) != 1 || ids[0] != p.a {
			t.Errorf("tenants seen in A's transaction: %v (%v), want only A", ids, err)
		}
	})

	t.Run("insert with other tenant_id", func(t *testing.T) {
		t.Parallel()
		inserts := map[string]string{
			"companies":   `INSERT INTO companies (id, tenant_id, name, created_at, updated_at) VALUES (gen_random_uuid(), $1, 'Fremd', now(), now())`,
			"org_units":   `INSERT INTO org_units (id, tenant_id, kind, name, created_at, updated_at) VALUES (gen_random_uuid(), $1, 'location', 'Fremd', now(), now())`,
			"roles":       `INSERT INTO roles (id, tenant_id, name, created_at, updated_at) VALUES (gen_random_uuid(), $1, 'Fremd', now(), now())`,
			"tenant_keys": `INSERT INTO tenant_keys (tenant_id, version, master_key_id, wrapped, created_at) VALUES ($1, 99, 'x', '\x00', now())`,
			"audit_events": `INSERT INTO audit_events (tenant_id, seq, id, occurred_at, actor_type, action, outcome, prev_hash, hash)
				VALUES ($1, 999, gen_random_uuid(), now(), 'system', 'forged', 'success', '\x00', '\x00')`,
		}
		for tbl, q := range inserts {
			err := db.TenantTx(ctx, p.a, func(tx pgx.Tx) error {
				_, err := tx.Exec(ctx, q, p.b)
				return err
			})
			if sqlstate(err) != "42501" {
				t.Errorf("%s: insert of tenant B's row in A's transaction: got %v, want SQLSTATE 42501 (row-level security)", tbl, err)
			}
		}
		// Moving one of A's own rows into B is refused by WITH CHECK too.
		err := db.TenantTx(ctx, p.a, func(tx pgx.Tx) error {
			_, err := tx.Exec(ctx, "UPDATE companies SET tenant_id = $1", p.b)
			return err
		})
		if sqlstate(err) != "42501" {
			t.Errorf("update moving A's company to B: got %v, want 42501", err)
		}
	})

	t.Run("update and delete of other tenant's rows", func(t *testing.T) {
		t.Parallel()
		type stmt struct{ tbl, sql string }
		var stmts []stmt
		for _, tbl := range []string{"companies", "org_units", "users", "roles", "sessions", "refresh_tokens"} {
			stmts = append(stmts,
				stmt{tbl, "UPDATE " + tbl + " SET tenant_id = tenant_id WHERE tenant_id = $1"},
				stmt{tbl, "DELETE FROM " + tbl + " WHERE tenant_id = $1"})
		}
		stmts = append(stmts, stmt{"audit_chain_heads", "UPDATE audit_chain_heads SET seq = seq + 1 WHERE tenant_id = $1"})
		for _, s := range stmts {
			var affected int64
			err := db.TenantTx(ctx, p.a, func(tx pgx.Tx) error {
				tag, err := tx.Exec(ctx, s.sql, p.b)
				affected = tag.RowsAffected()
				return err
			})
			if err != nil || affected != 0 {
				t.Errorf("%q in A's transaction: %d rows affected, err %v; want 0, nil", s.sql, affected, err)
			}
		}
		// B's rows are all still there.
		for _, tbl := range tenantTables {
			var n int
			if err := p.env.DB.Owner.QueryRow(ctx, "SELECT count(*) FROM "+tbl+" WHERE tenant_id = $1", p.b).Scan(&n); err != nil || n == 0 {
				t.Errorf("%s: tenant B has %d rows after A's attempts (err %v)", tbl, n, err)
			}
		}
	})
}

func testRLSHidesEverythingOutsideTenantTx(t *testing.T, p *populated) {
	ctx := context.Background()
	for _, tbl := range tenantTables {
		var n int
		if err := p.env.DB.App.QueryRow(ctx, "SELECT count(*) FROM "+tbl).Scan(&n); err != nil {
			t.Fatalf("%s: %v", tbl, err)
		}
		if n != 0 {
			t.Errorf("zeugo_app without a tenant sees %d rows of %s, want 0", n, tbl)
		}
	}
	var tenants int
	if err := p.env.DB.App.QueryRow(ctx, "SELECT count(*) FROM tenants").Scan(&tenants); err != nil || tenants != 0 {
		t.Errorf("zeugo_app without a tenant sees %d tenants (%v), want 0", tenants, err)
	}
	// Tx (no tenant) is the same: nothing.
	db := &postgres.DB{Pool: p.env.DB.App}
	err := db.Tx(ctx, func(tx pgx.Tx) error {
		var n int
		if err := tx.QueryRow(ctx, "SELECT count(*) FROM users").Scan(&n); err != nil {
			return err
		}
		if n != 0 {
			return fmt.Errorf("users visible: %d", n)
		}
		return nil
	})
	if err != nil {
		t.Error(err)
	}
	if err := db.TenantTx(ctx, uuid.Nil, func(pgx.Tx) error { return nil }); err == nil {
		t.Error("TenantTx with the nil tenant must fail")
	}
}

func testAppRolePrivileges(t *testing.T, p *populated) {
	ctx := context.Background()
	db := &postgres.DB{Pool: p.env.DB.App}
	denied := []string{
		"UPDATE audit_events SET action = 'x'",
		"DELETE FROM audit_events",
		"UPDATE audit_events_default SET action = 'x'",
		"DELETE FROM audit_events_default",
		"TRUNCATE audit_events",
		"TRUNCATE users",
		"TRUNCATE companies",
		"DELETE FROM tenant_keys",
		"UPDATE tenant_keys SET wrapped = '\\x00'",
		"DELETE FROM audit_chain_heads",
		"INSERT INTO tenants (id, name, slug, created_at) VALUES (gen_random_uuid(), 'Neu', 'neu', now())",
		"UPDATE tenants SET name = 'x'",
		"DELETE FROM tenants",
		"UPDATE platform_keys SET wrapped = '\\x00'",
		"CREATE TABLE sneaky (id int)",
		"ALTER TABLE users DISABLE ROW LEVEL SECURITY",
		"ALTER TABLE users NO FORCE ROW LEVEL SECURITY",
		"DROP POLICY tenant_isolation ON users",
		"SET row_security = off; SELECT count(*) FROM users",
	}
	for _, q := range denied {
		// Inside a tenant transaction, where zeugo_app can see rows: the
		// refusal comes from privileges, not from RLS hiding rows.
		err := db.TenantTx(ctx, p.a, func(tx pgx.Tx) error {
			_, err := tx.Exec(ctx, q)
			return err
		})
		if sqlstate(err) != "42501" {
			t.Errorf("%q as zeugo_app: got %v, want SQLSTATE 42501", q, err)
		}
	}
	var n int
	if err := p.env.DB.Owner.QueryRow(ctx, "SELECT count(*) FROM audit_events WHERE tenant_id = $1", p.a).Scan(&n); err != nil || n == 0 {
		t.Fatalf("audit events of A: %d, %v", n, err)
	}
}

func testCheckAppRole(t *testing.T, p *populated) {
	env := p.env
	ctx := context.Background()
	if err := postgres.CheckAppRole(ctx, env.DB.Owner); err == nil {
		t.Error("CheckAppRole accepted the owner pool (BYPASSRLS, owns the tables)")
	}
	if err := postgres.CheckAppRole(ctx, env.DB.App); err != nil {
		t.Errorf("CheckAppRole refused zeugo_app: %v", err)
	}
	var bypass bool
	if err := env.DB.App.QueryRow(ctx, "SELECT rolbypassrls OR rolsuper FROM pg_roles WHERE rolname = current_user").Scan(&bypass); err != nil || bypass {
		t.Errorf("zeugo_app can bypass RLS: %v %v", bypass, err)
	}
	// The test-only role of the filter-alone proof has zeugo_app's
	// privileges plus BYPASSRLS: serve must refuse it like any such role.
	_, bp := env.DB.OpenBypassRLS(t)
	if err := postgres.CheckAppRole(ctx, bp); err == nil {
		t.Errorf("CheckAppRole accepted %s (BYPASSRLS)", dbtest.BypassRole)
	}
}

// testTenantBindingDoesNotOutliveTransaction reuses one pooled connection:
// after a tenant transaction commits or rolls back, the next use of that
// connection is bound to no tenant and sees nothing.
func testTenantBindingDoesNotOutliveTransaction(t *testing.T, p *populated) {
	ctx := context.Background()
	pool, err := postgres.Open(ctx, p.env.DB.AppURL+"&pool_max_conns=1")
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	db := &postgres.DB{Pool: pool}
	var pid1 int
	visible := func(tx pgx.Tx) error {
		var n int
		if err := tx.QueryRow(ctx, "SELECT count(*), pg_backend_pid() FROM users").Scan(&n, &pid1); err != nil {
			return err
		}
		if n == 0 {
			return errors.New("tenant A sees no users in its own transaction")
		}
		return nil
	}
	boom := errors.New("rollback")
	for name, fn := range map[string]func(pgx.Tx) error{
		"commit":   visible,
		"rollback": func(tx pgx.Tx) error { _ = visible(tx); return boom },
	} {
		if err := db.TenantTx(ctx, p.a, fn); err != nil && !errors.Is(err, boom) {
			t.Fatalf("%s: %v", name, err)
		}
		var n, pid2 int
		var setting string
		if err := pool.QueryRow(ctx, "SELECT (SELECT count(*) FROM users), pg_backend_pid(), current_setting('app.tenant_id', true)").Scan(&n, &pid2, &setting); err != nil {
			t.Fatal(err)
		}
		if pid2 != pid1 {
			t.Fatalf("%s: the pool used another connection (%d, %d)", name, pid1, pid2)
		}
		if n != 0 || setting != "" {
			t.Errorf("after %s the connection is still bound: %d users visible, app.tenant_id = %q", name, n, setting)
		}
	}
	// A tenant id can only be set through the binding, never smuggled in
	// as SQL: TenantTx takes a uuid.UUID.
	if err := db.TenantTx(ctx, p.b, func(tx pgx.Tx) error {
		var got string
		if err := tx.QueryRow(ctx, "SELECT current_setting('app.tenant_id')").Scan(&got); err != nil {
			return err
		}
		if got != p.b.String() {
			return fmt.Errorf("bound to %q, want %s", got, p.b)
		}
		return nil
	}); err != nil {
		t.Error(err)
	}
}

// TestTenantBatchBinding: the pipelined binding of TenantBatch holds for
// every queued statement (one implicit transaction), shows nothing of other
// tenants, and is gone once the batch has run.
func testTenantBatchBinding(t *testing.T, p *populated) {
	ctx := context.Background()
	pool, err := postgres.Open(ctx, p.env.DB.AppURL+"&pool_max_conns=1")
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	db := &postgres.DB{Pool: pool}
	counts := make([]int, len(tenantTables))
	foreign := make([]int, len(tenantTables))
	err = db.TenantBatch(ctx, p.a, func(b *pgx.Batch) {
		for i, tbl := range tenantTables {
			b.Queue("SELECT count(*), count(*) FILTER (WHERE tenant_id <> $1) FROM "+tbl, p.a).QueryRow(func(r pgx.Row) error {
				return r.Scan(&counts[i], &foreign[i])
			})
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, tbl := range tenantTables {
		if counts[i] == 0 || foreign[i] != 0 {
			t.Errorf("%s in A's batch: %d rows, %d of another tenant", tbl, counts[i], foreign[i])
		}
	}
	// A write of another tenant's row inside the batch is refused.
	err = db.TenantBatch(ctx, p.a, func(b *pgx.Batch) {
		b.Queue(`INSERT INTO companies (id, tenant_id, name, created_at, updated_at) VALUES (gen_random_uuid(), $1, 'Fremd', now(), now())`, p.b)
	})
	if sqlstate(err) != "42501" {
		t.Errorf("insert of B's row in A's batch: %v, want 42501", err)
	}
	var n int
	var setting string
	if err := pool.QueryRow(ctx, "SELECT (SELECT count(*) FROM users), current_setting('app.tenant_id', true)").Scan(&n, &setting); err != nil {
		t.Fatal(err)
	}
	if n != 0 || setting != "" {
		t.Errorf("after TenantBatch the connection is still bound: %d users, app.tenant_id = %q", n, setting)
	}
	if err := db.TenantBatch(ctx, uuid.Nil, func(*pgx.Batch) {}); err == nil {
		t.Error("TenantBatch with the nil tenant must fail")
	}
}
