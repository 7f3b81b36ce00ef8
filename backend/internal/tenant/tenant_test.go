package tenant_test

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/zeugo/zeugo/backend/internal/apperr"
	"github.com/zeugo/zeugo/backend/internal/apptest"
	"github.com/zeugo/zeugo/backend/internal/audit"
	"github.com/zeugo/zeugo/backend/internal/tenant"
)

// slugRE is the CHECK constraint on tenants.slug.
var slugRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,62}$`)

func TestSlugify(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"Muster GmbH":                 "muster-gmbh",
		"Müller & Söhne GmbH":         "mueller-soehne-gmbh",
		"ÄRZTEKAMMER Übersee":         "aerztekammer-uebersee",
		"Großhandel Weiß KG":          "grosshandel-weiss-kg",
		"  --Hallo--Welt--  ":         "hallo-welt",
		"A":                           "tenant-a",
		"Öl":                          "oel",
		"3M Deutschland":              "3m-deutschland",
		"Bäckerei Ölmühle (Zweig 2)!": "baeckerei-oelmuehle-zweig-2",
	} {
		if got := tenant.Slugify(in); got != want {
			t.Errorf("Slugify(%q) = %q, want %q", in, got, want)
		}
	}
	for _, in := range []string{"A", "ü", "日本", strings.Repeat("Sehr langer Name ", 10), strings.Repeat("x-", 40), "-", "Café"} {
		if got := tenant.Slugify(in); !slugRE.MatchString(got) {
			t.Errorf("Slugify(%q) = %q violates the slug constraint", in, got)
		}
	}
}

func TestGeneratePassword(t *testing.T) {
	t.Parallel()
	const allowed = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789!#%+-=?@_"
	seen := map[string]bool{}
	for range 200 {
		pw := tenant.GeneratePassword()
		if len(pw) != 20 {
			t.Fatalf("%q has %d characters", pw, len(pw))
		}
		if strings.Trim(pw, allowed) != "" {
			t.Fatalf("%q has characters outside the set", pw)
		}
		for _, class := range []string{"abcdefghijkmnopqrstuvwxyz", "ABCDEFGHJKLMNPQRSTUVWXYZ", "23456789", "!#%+-=?@_"} {
			if !strings.ContainsAny(pw, class) {
				t.Fatalf("%q lacks one of %q", pw, class)
			}
		}
		if seen[pw] {
			t.Fatalf("%q generated twice", pw)
		}
		seen[pw] = true
	}
}

// counts returns the number of rows of the tables provisioning writes.
func counts(t *testing.T, env *apptest.Env) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, tbl := range []string{"tenants", "tenant_keys", "roles", "users", "audit_events", "audit_chain_heads"} {
		var n int
		if err := env.DB.Owner.QueryRow(context.Background(), "SELECT count(*) FROM "+tbl).Scan(&n); err != nil {
			t.Fatal(err)
		}
		out[tbl] = n
	}
	return out
}

func TestCreate(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ctx := context.Background()
	p := env.Owner.Provisioner
	first, err := p.Create(ctx, tenant.NewTenant{Name: "Erste AG", AdminEmail: "Chefin@Erste.Example"})
	if err != nil {
		t.Fatal(err)
	}
	if first.Slug != "erste-ag" || first.TenantID == uuid.Nil || first.AdminID == uuid.Nil || len(first.AdminPassword) != 20 {
		t.Errorf("created %+v", first)
	}
	// Provisioning is audited in the tenant's own, valid chain.
	var actions []string
	rows, err := env.DB.Owner.Query(ctx, `SELECT action FROM audit_events WHERE tenant_id = $1 ORDER BY seq`, first.TenantID)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var a string
		if err := rows.Scan(&a); err != nil {
			rows.Close()
			t.Fatal(err)
		}
		actions = append(actions, a)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if len(actions) != 2 || actions[0] != audit.ActionTenantCreated {
		t.Errorf("audit actions %v", actions)
	}

	t.Run("admin email used by another tenant", func(t *testing.T) {
		// An email is unique within its tenant only: a second tenant may
		// use the address (its own account; the password decides at login
		// which one signs in), and nothing tells the operator or the
		// tenant that the address exists elsewhere.
		for _, email := range []string{"chefin@erste.example", "  CHEFIN@ERSTE.EXAMPLE "} {
			if _, err := p.Create(ctx, tenant.NewTenant{Name: "Zweite AG " + uuid.NewString()[:4], AdminEmail: strings.TrimSpace(email)}); err != nil {
				t.Fatalf("email of another tenant %q: %v", email, err)
			}
		}
	})

	t.Run("duplicate slug", func(t *testing.T) {
		before := counts(t, env)
		_, err := p.Create(ctx, tenant.NewTenant{Name: "Erste  AG", AdminEmail: "neu@erste.example"})
		if !apperr.Is(err, apperr.AlreadyExists) {
			t.Fatalf("duplicate slug: %v", err)
		}
		if after := counts(t, env); !equal(before, after) {
			t.Errorf("failed Create left rows: before %v, after %v", before, after)
		}
		// With its own slug the same name is fine.
		if _, err := p.Create(ctx, tenant.NewTenant{Name: "Erste AG", Slug: "erste-ag-2", AdminEmail: "neu@erste.example"}); err != nil {
			t.Fatalf("explicit slug: %v", err)
		}
	})

	t.Run("invalid input", func(t *testing.T) {
		before := counts(t, env)
		for _, nt := range []tenant.NewTenant{
			{Name: "", AdminEmail: "a@b.example"},
			{Name: "   ", AdminEmail: "a@b.example"},
			{Name: strings.Repeat("x", 201), AdminEmail: "a@b.example"},
			{Name: "Gut", AdminEmail: "kein-at-zeichen"},
			{Name: "Gut", AdminEmail: "zwei@@b.example"},
			{Name: "Gut", AdminEmail: strings.Repeat("a", 250) + "@b.example"},
			{Name: "Gut", Slug: "Bad Slug!", AdminEmail: "slug@b.example"},
		} {
			if _, err := p.Create(ctx, nt); !apperr.Is(err, apperr.InvalidArgument) {
				t.Errorf("Create(%q, %q, slug %q) = %v, want InvalidArgument", nt.Name, nt.AdminEmail, nt.Slug, err)
			}
		}
		if after := counts(t, env); !equal(before, after) {
			t.Errorf("rejected Create left rows: before %v, after %v", before, after)
		}
	})
}

func equal(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestUnlock(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ctx := context.Background()
	a := env.CreateTenant("Sperre AG", "gesperrt@sperre.example")
	b := env.CreateTenant("Andere AG", "admin@andere.example")
	if _, err := env.DB.Owner.Exec(ctx, `UPDATE users SET status = 'locked', failed_logins = 5, locked_at = now() WHERE id = $1`, a.AdminID); err != nil {
		t.Fatal(err)
	}
	p := env.Owner.Provisioner
	// Another tenant's slug does not reach A's account.
	if _, err := p.Unlock(ctx, b.Slug, a.Email); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("unlock through another tenant: %v, want NotFound", err)
	}
	if _, err := p.Unlock(ctx, "gibt-es-nicht", a.Email); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("unknown tenant: %v", err)
	}
	if _, err := p.Unlock(ctx, a.Slug, "niemand@sperre.example"); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("unknown email: %v", err)
	}
	id, err := p.Unlock(ctx, strings.ToUpper(a.Slug), strings.ToUpper(a.Email))
	if err != nil || id != a.AdminID {
		t.Fatalf("Unlock = %v, %v", id, err)
	}
	// By id works too.
	if _, err := p.Unlock(ctx, a.TenantID.String(), a.Email); err != nil {
		t.Fatalf("Unlock by tenant id: %v", err)
	}
	var status string
	var failed int
	var lockedAt *string
	if err := env.DB.Owner.QueryRow(ctx, `SELECT status, failed_logins, locked_at::text FROM users WHERE id = $1`, a.AdminID).Scan(&status, &failed, &lockedAt); err != nil {
		t.Fatal(err)
	}
	if status != "active" || failed != 0 || lockedAt != nil {
		t.Errorf("after unlock: %s, %d failures, locked at %v", status, failed, lockedAt)
	}
	var unlocks int
	if err := env.DB.Owner.QueryRow(ctx, `SELECT count(*) FROM audit_events WHERE tenant_id = $1 AND action = $2 AND actor_type = $3 AND target_id = $4`,
		a.TenantID, audit.ActionAccountUnlocked, audit.ActorOperator, a.AdminID.String()).Scan(&unlocks); err != nil || unlocks != 2 {
		t.Errorf("unlock audit records: %d (%v), want 2", unlocks, err)
	}
	// B's account was never touched.
	var bVersion int
	if err := env.DB.Owner.QueryRow(ctx, `SELECT version FROM users WHERE id = $1`, b.AdminID).Scan(&bVersion); err != nil || bVersion != 1 {
		t.Errorf("B's user version %d (%v)", bVersion, err)
	}
}
