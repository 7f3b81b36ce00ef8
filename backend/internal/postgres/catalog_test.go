package postgres_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/zeugo/zeugo/backend/internal/audit"
	"github.com/zeugo/zeugo/backend/internal/dbtest"
)

// TestCatalogEveryTenantTableForcesRLS walks pg_catalog so that no later
// migration can add a tenant table without forced row-level security and a
// tenant policy: every table in the public schema with a tenant_id column
// (partitions included, since a partition queried directly is guarded by its
// own policies, not its parent's) must have RLS enabled and forced and a
// policy for all commands whose USING and WITH CHECK both compare tenant_id
// with app_tenant_id().
func TestCatalogEveryTenantTableForcesRLS(t *testing.T) {
	t.Parallel()
	db := dbtest.New(t)
	ctx := context.Background()
	// Daily partitions are created at run time by a SECURITY DEFINER
	// function; they must come out just as locked down.
	now := time.Now()
	n, err := audit.EnsurePartitions(ctx, db.App, now)
	if err != nil {
		t.Fatalf("EnsurePartitions: %v", err)
	}
	if n == 0 {
		t.Fatal("EnsurePartitions created no partition on a fresh database")
	}

	offenders, checked, partitions := rlsOffenders(t, db.Owner)
	if len(offenders) > 0 {
		t.Errorf("tenant tables without forced row-level security (add it in the migration that creates them):\n  %s",
			strings.Join(offenders, "\n  "))
	}
	// Sanity: the walk saw the foundation tables and the new partitions.
	if checked < 10 || partitions < n+1 {
		t.Errorf("catalog walk checked %d tables of which %d partitions; want ≥ 10 and ≥ %d", checked, partitions, n+1)
	}

	// No table with tenant_id may be hidden in another schema zeugo_app can reach.
	var elsewhere []string
	rows2, err := db.Owner.Query(ctx, `
		SELECT ns.nspname || '.' || c.relname FROM pg_class c JOIN pg_namespace ns ON ns.oid = c.relnamespace
		JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped
		WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND ns.nspname NOT IN ('public', 'pg_catalog', 'information_schema')`)
	if err != nil {
		t.Fatal(err)
	}
	for rows2.Next() {
		var s string
		if err := rows2.Scan(&s); err != nil {
			t.Fatal(err)
		}
		elsewhere = append(elsewhere, s)
	}
	if len(elsewhere) > 0 {
		t.Errorf("tenant tables outside the public schema escape this check: %v", elsewhere)
	}
	// Views over tenant tables would run with their owner's rights
	// (bypassing RLS) unless security_invoker: forbid them outright for now.
	var views []string
	rows3, err := db.Owner.Query(ctx, `
		SELECT c.relname FROM pg_class c JOIN pg_namespace ns ON ns.oid = c.relnamespace
		WHERE ns.nspname = 'public' AND c.relkind IN ('v', 'm')
		  AND NOT coalesce('security_invoker=true' = ANY (c.reloptions), false)`)
	if err != nil {
		t.Fatal(err)
	}
	for rows3.Next() {
		var s string
		if err := rows3.Scan(&s); err != nil {
			t.Fatal(err)
		}
		views = append(views, s)
	}
	if len(views) > 0 {
		t.Errorf("views without security_invoker (they would bypass row-level security): %v", views)
	}
}

// TestCatalogDoorsAcrossTenants lists what lets zeugo_app past row-level
// security: SECURITY DEFINER functions it may execute. Each one is a
// reviewed door (ids only, or partition maintenance) with a pinned
// search_path; a new one must be added here deliberately. The tenants table,
// which has no tenant_id column, is held to the same RLS rule on its id.
func TestCatalogDoorsAcrossTenants(t *testing.T) {
	t.Parallel()
	db := dbtest.New(t)
	ctx := context.Background()
	rows, err := db.Owner.Query(ctx, `
		SELECT p.proname, coalesce(array_to_string(p.proconfig, ','), '')
		FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
		WHERE n.nspname = 'public' AND p.prosecdef AND has_function_privilege('zeugo_app', p.oid, 'EXECUTE')
		ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	// outbox_due_tenants: ids of tenants with due messages, nothing else.
	// handover_tenant: the tenant id of a handover id (the link's public
	// half), nothing else; the secret is checked inside the tenant.
	// selfservice_form_tenant: the tenant id of an enabled form of an
	// active tenant by its public id (128 random bits), nothing else.
	// passkey_owner: tenant and user id of a passkey's credential id where
	// the tenant allows passwordless sign-in, nothing else.
	reviewed := map[string]bool{"auth_find_login": true, "audit_ensure_partitions": true, "tenant_ids_for_jobs": true,
		"outbox_due_tenants": true, "handover_tenant": true, "selfservice_form_tenant": true, "passkey_owner": true}
	for rows.Next() {
		var name, config string
		if err := rows.Scan(&name, &config); err != nil {
			t.Fatal(err)
		}
		if !reviewed[name] {
			t.Errorf("SECURITY DEFINER function %s is executable by zeugo_app but not reviewed here", name)
		}
		if !strings.Contains(config, "search_path=public, pg_temp") && !strings.Contains(config, "search_path=public,pg_temp") {
			t.Errorf("SECURITY DEFINER function %s does not pin search_path (config %q)", name, config)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	var rls, force, policy bool
	if err := db.Owner.QueryRow(ctx, `
		SELECT c.relrowsecurity, c.relforcerowsecurity,
		       EXISTS (SELECT FROM pg_policy p WHERE p.polrelid = c.oid AND p.polcmd = '*' AND p.polroles = '{0}'::oid[]
		               AND regexp_replace(pg_get_expr(p.polqual, p.polrelid), '\s', '', 'g') = '(id=app_tenant_id())'
		               AND regexp_replace(pg_get_expr(p.polwithcheck, p.polrelid), '\s', '', 'g') = '(id=app_tenant_id())')
		FROM pg_class c WHERE c.oid = 'public.tenants'::regclass`).Scan(&rls, &force, &policy); err != nil {
		t.Fatal(err)
	}
	if !rls || !force || !policy {
		t.Errorf("tenants: RLS enabled %v, forced %v, policy on id = app_tenant_id() %v", rls, force, policy)
	}
}

// querier is a pool or a transaction.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

// rlsOffenders walks the catalog and describes every table in the public
// schema with a tenant_id column that is not locked down: RLS enabled and
// forced, a permissive policy for all commands and all roles whose USING and
// WITH CHECK are exactly tenant_id = app_tenant_id(), and no other
// permissive policy (permissive policies are OR-ed, so one more would widen
// access).
func rlsOffenders(t *testing.T, q querier) (offenders []string, checked, partitions int) {
	t.Helper()
	rows, err := q.Query(context.Background(), `
		WITH pol AS (
		    SELECT p.polrelid,
		           p.polcmd = '*' AND p.polpermissive AND p.polroles = '{0}'::oid[]
		             AND regexp_replace(pg_get_expr(p.polqual, p.polrelid), '\s', '', 'g') = '(tenant_id=app_tenant_id())'
		             AND regexp_replace(pg_get_expr(p.polwithcheck, p.polrelid), '\s', '', 'g') = '(tenant_id=app_tenant_id())' AS tenant_policy,
		           p.polpermissive AS permissive
		    FROM pg_policy p)
		SELECT c.relname, c.relispartition, c.relrowsecurity, c.relforcerowsecurity,
		       EXISTS (SELECT FROM pol WHERE pol.polrelid = c.oid AND pol.tenant_policy),
		       EXISTS (SELECT FROM pol WHERE pol.polrelid = c.oid AND pol.permissive AND NOT pol.tenant_policy)
		FROM pg_class c
		JOIN pg_namespace ns ON ns.oid = c.relnamespace
		WHERE ns.nspname = 'public' AND c.relkind IN ('r', 'p')
		  AND EXISTS (SELECT FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped)
		ORDER BY c.relname`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		var isPartition, rls, force, policy, widening bool
		if err := rows.Scan(&name, &isPartition, &rls, &force, &policy, &widening); err != nil {
			t.Fatal(err)
		}
		checked++
		if isPartition {
			partitions++
		}
		var missing []string
		if !rls {
			missing = append(missing, "missing ENABLE ROW LEVEL SECURITY")
		}
		if !force {
			missing = append(missing, "missing FORCE ROW LEVEL SECURITY")
		}
		if !policy {
			missing = append(missing, "missing a policy FOR ALL TO PUBLIC USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id())")
		}
		if widening {
			missing = append(missing, "has another permissive policy that widens access")
		}
		if len(missing) > 0 {
			offenders = append(offenders, name+": "+strings.Join(missing, ", "))
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return offenders, checked, partitions
}

// TestCatalogCheckCatchesOffenders proves the walk itself: inside a
// transaction that is rolled back, it adds tables that get RLS wrong in each
// way the walk must notice.
func TestCatalogCheckCatchesOffenders(t *testing.T) {
	t.Parallel()
	db := dbtest.New(t)
	ctx := context.Background()
	tx, err := db.Owner.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck
	bad := map[string]string{
		"bad_no_rls": `CREATE TABLE bad_no_rls (tenant_id uuid)`,
		"bad_no_force": `CREATE TABLE bad_no_force (tenant_id uuid);
			ALTER TABLE bad_no_force ENABLE ROW LEVEL SECURITY;
			CREATE POLICY p ON bad_no_force USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id())`,
		"bad_no_policy": `CREATE TABLE bad_no_policy (tenant_id uuid);
			ALTER TABLE bad_no_policy ENABLE ROW LEVEL SECURITY; ALTER TABLE bad_no_policy FORCE ROW LEVEL SECURITY`,
		"bad_weak_policy": `CREATE TABLE bad_weak_policy (tenant_id uuid);
			ALTER TABLE bad_weak_policy ENABLE ROW LEVEL SECURITY; ALTER TABLE bad_weak_policy FORCE ROW LEVEL SECURITY;
			CREATE POLICY p ON bad_weak_policy USING (tenant_id = app_tenant_id() OR true) WITH CHECK (tenant_id = app_tenant_id())`,
		"bad_no_check": `CREATE TABLE bad_no_check (tenant_id uuid);
			ALTER TABLE bad_no_check ENABLE ROW LEVEL SECURITY; ALTER TABLE bad_no_check FORCE ROW LEVEL SECURITY;
			CREATE POLICY p ON bad_no_check FOR SELECT USING (tenant_id = app_tenant_id())`,
		"bad_extra_policy": `CREATE TABLE bad_extra_policy (tenant_id uuid);
			ALTER TABLE bad_extra_policy ENABLE ROW LEVEL SECURITY; ALTER TABLE bad_extra_policy FORCE ROW LEVEL SECURITY;
			CREATE POLICY p ON bad_extra_policy USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());
			CREATE POLICY open ON bad_extra_policy FOR SELECT USING (true)`,
		"bad_child": `CREATE TABLE bad_parent (tenant_id uuid, d date) PARTITION BY RANGE (d);
			ALTER TABLE bad_parent ENABLE ROW LEVEL SECURITY; ALTER TABLE bad_parent FORCE ROW LEVEL SECURITY;
			CREATE POLICY p ON bad_parent USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());
			CREATE TABLE bad_child PARTITION OF bad_parent DEFAULT`,
	}
	for _, ddl := range bad {
		if _, err := tx.Exec(ctx, ddl); err != nil {
			t.Fatalf("%s: %v", ddl, err)
		}
	}
	offenders, _, _ := rlsOffenders(t, tx)
	found := map[string]bool{}
	for _, o := range offenders {
		found[strings.SplitN(o, ":", 2)[0]] = true
	}
	for name := range bad {
		if !found[name] {
			t.Errorf("the catalog walk missed %s (reported: %v)", name, offenders)
		}
	}
	if found["bad_parent"] || len(offenders) != len(bad) {
		t.Errorf("the catalog walk reported more than the broken tables: %v", offenders)
	}
}

// TestCatalogAuditLogIsAppendOnly checks zeugo_app's privileges on the audit
// log and on every one of its partitions, including those created at run
// time: INSERT and SELECT only.
func TestCatalogAuditLogIsAppendOnly(t *testing.T) {
	t.Parallel()
	db := dbtest.New(t)
	ctx := context.Background()
	if _, err := audit.EnsurePartitions(ctx, db.App, time.Now()); err != nil {
		t.Fatal(err)
	}
	rows, err := db.Owner.Query(ctx, `
		SELECT c.relname,
		       has_table_privilege('zeugo_app', c.oid, 'INSERT'),
		       has_table_privilege('zeugo_app', c.oid, 'SELECT'),
		       has_table_privilege('zeugo_app', c.oid, 'UPDATE'),
		       has_table_privilege('zeugo_app', c.oid, 'DELETE'),
		       has_table_privilege('zeugo_app', c.oid, 'TRUNCATE'),
		       has_table_privilege('zeugo_app', c.oid, 'REFERENCES'),
		       has_table_privilege('zeugo_app', c.oid, 'TRIGGER'),
		       EXISTS (SELECT FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
		               AND (has_column_privilege('zeugo_app', c.oid, a.attnum, 'UPDATE')))
		FROM pg_class c
		WHERE c.oid = 'audit_events'::regclass
		   OR c.oid IN (SELECT inhrelid FROM pg_inherits WHERE inhparent = 'audit_events'::regclass)
		ORDER BY c.relname`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var tables int
	for rows.Next() {
		var name string
		var ins, sel, upd, del, trunc, ref, trig, colUpd bool
		if err := rows.Scan(&name, &ins, &sel, &upd, &del, &trunc, &ref, &trig, &colUpd); err != nil {
			t.Fatal(err)
		}
		tables++
		if name == "audit_events" && (!ins || !sel) {
			t.Errorf("zeugo_app must be able to INSERT and SELECT audit_events (insert %v, select %v)", ins, sel)
		}
		if upd || del || trunc || ref || trig || colUpd {
			t.Errorf("%s: zeugo_app has UPDATE=%v DELETE=%v TRUNCATE=%v REFERENCES=%v TRIGGER=%v column-UPDATE=%v; want none",
				name, upd, del, trunc, ref, trig, colUpd)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if tables < 3 { // parent, default partition, daily partitions
		t.Errorf("checked only %d audit tables", tables)
	}
}

// TestCatalogAuditChainEnds pins zeugo_app's privileges on the ends of the
// audit chain (migration 00004): it moves the head (seq, hash, head_mac)
// but may neither write the anchor nor delete a head, and it may only add
// and read checkpoints.
func TestCatalogAuditChainEnds(t *testing.T) {
	t.Parallel()
	db := dbtest.New(t)
	ctx := context.Background()
	for _, c := range []struct {
		table, column, priv string
		want                bool
	}{
		{"audit_chain_heads", "seq", "UPDATE", true},
		{"audit_chain_heads", "hash", "UPDATE", true},
		{"audit_chain_heads", "head_mac", "UPDATE", true},
		{"audit_chain_heads", "anchor_seq", "UPDATE", false},
		{"audit_chain_heads", "anchor_hash", "UPDATE", false},
		{"audit_chain_heads", "anchor_mac", "UPDATE", false},
		{"audit_chain_heads", "anchor_seq", "INSERT", false},
		{"audit_chain_heads", "anchor_hash", "INSERT", false},
		{"audit_chain_heads", "anchor_mac", "INSERT", false},
		{"audit_chain_heads", "tenant_id", "UPDATE", false},
		{"audit_checkpoints", "seq", "UPDATE", false},
		{"audit_checkpoints", "hash", "UPDATE", false},
		{"audit_checkpoints", "mac", "UPDATE", false},
		{"audit_checkpoints", "created_at", "UPDATE", false},
	} {
		var got bool
		if err := db.Owner.QueryRow(ctx, `SELECT has_column_privilege('zeugo_app', $1::regclass, $2, $3)`, c.table, c.column, c.priv).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != c.want {
			t.Errorf("zeugo_app %s on %s.%s = %v, want %v", c.priv, c.table, c.column, got, c.want)
		}
	}
	for _, c := range []struct {
		table, priv string
		want        bool
	}{
		{"audit_chain_heads", "SELECT", true},
		{"audit_chain_heads", "UPDATE", false}, // table-wide: would include the anchor
		{"audit_chain_heads", "INSERT", false},
		{"audit_chain_heads", "DELETE", false},
		{"audit_chain_heads", "TRUNCATE", false},
		{"audit_checkpoints", "SELECT", true},
		{"audit_checkpoints", "INSERT", true},
		{"audit_checkpoints", "UPDATE", false},
		{"audit_checkpoints", "DELETE", false},
		{"audit_checkpoints", "TRUNCATE", false},
	} {
		var got bool
		if err := db.Owner.QueryRow(ctx, `SELECT has_table_privilege('zeugo_app', $1::regclass, $2)`, c.table, c.priv).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != c.want {
			t.Errorf("zeugo_app %s on %s = %v, want %v", c.priv, c.table, got, c.want)
		}
	}
}
