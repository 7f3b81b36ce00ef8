package postgres_test

import (
	"context"
	"strings"
	"testing"
	"time"

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

	rows, err := db.Owner.Query(ctx, `
		SELECT c.relname, c.relkind::text, c.relispartition, c.relrowsecurity, c.relforcerowsecurity,
		       EXISTS (
		           SELECT FROM pg_policy p
		           WHERE p.polrelid = c.oid AND p.polcmd = '*' AND p.polpermissive
		             AND p.polroles = '{0}'::oid[]
		             AND replace(pg_get_expr(p.polqual, p.polrelid), ' ', '') LIKE '%tenant_id=app_tenant_id()%'
		             AND replace(pg_get_expr(p.polwithcheck, p.polrelid), ' ', '') LIKE '%tenant_id=app_tenant_id()%')
		FROM pg_class c
		JOIN pg_namespace ns ON ns.oid = c.relnamespace
		WHERE ns.nspname = 'public' AND c.relkind IN ('r', 'p')
		  AND EXISTS (SELECT FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped)
		ORDER BY c.relname`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var checked, partitions int
	var offenders []string
	for rows.Next() {
		var name, kind string
		var isPartition, rls, force, policy bool
		if err := rows.Scan(&name, &kind, &isPartition, &rls, &force, &policy); err != nil {
			t.Fatal(err)
		}
		checked++
		if isPartition {
			partitions++
		}
		var missing []string
		if !rls {
			missing = append(missing, "ENABLE ROW LEVEL SECURITY")
		}
		if !force {
			missing = append(missing, "FORCE ROW LEVEL SECURITY")
		}
		if !policy {
			missing = append(missing, "a policy FOR ALL TO PUBLIC with USING and WITH CHECK (tenant_id = app_tenant_id())")
		}
		if len(missing) > 0 {
			offenders = append(offenders, name+": missing "+strings.Join(missing, ", "))
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
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
