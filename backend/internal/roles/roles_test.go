package roles_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"buf.build/gen/go/bufbuild/protovalidate/protocolbuffers/go/buf/validate"
	"connectrpc.com/connect"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/zeugo/zeugo/backend/internal/apptest"
	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
	"github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1/zeugov1connect"
	"github.com/zeugo/zeugo/backend/internal/roles"
)

var ctx = context.Background()

type client struct {
	Roles zeugov1connect.RoleServiceClient
	Users zeugov1connect.UserServiceClient
}

func signInAs(t *testing.T, env *apptest.Env, email, password string, p apptest.Protocol) *client {
	t.Helper()
	hc := env.HTTPClient()
	res, err := env.AuthClient(hc, p).Login(ctx, connect.NewRequest(&zeugov1.LoginRequest{Email: email, Password: password}))
	if err != nil {
		t.Fatalf("login %s: %v", email, err)
	}
	opts := append(apptest.ClientOptions(p), connect.WithInterceptors(apptest.Bearer(res.Msg.GetTokens().GetAccessToken())))
	return &client{Roles: zeugov1connect.NewRoleServiceClient(hc, env.Server.URL, opts...),
		Users: zeugov1connect.NewUserServiceClient(hc, env.Server.URL, opts...)}
}

func wantCode(t *testing.T, err error, want connect.Code, what string) {
	t.Helper()
	if got := connect.CodeOf(err); err == nil || got != want {
		t.Fatalf("%s: got %v, want %v", what, err, want)
	}
}

func violation(t *testing.T, err error, field string) string {
	t.Helper()
	var ce *connect.Error
	if !errors.As(err, &ce) {
		t.Fatalf("not a connect error: %v", err)
	}
	for _, d := range ce.Details() {
		m, _ := d.Value()
		if v, ok := m.(*validate.Violations); ok {
			for _, vi := range v.GetViolations() {
				var parts []string
				for _, el := range vi.GetField().GetElements() {
					parts = append(parts, el.GetFieldName())
				}
				if strings.Join(parts, ".") == field {
					return vi.GetRuleId()
				}
			}
		}
	}
	return ""
}

func builtin(t *testing.T, c *client) *zeugov1.Role {
	t.Helper()
	res, err := c.Roles.ListRoles(ctx, connect.NewRequest(&zeugov1.ListRolesRequest{}))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res.Msg.GetRoles() {
		if r.GetBuiltin() {
			return r
		}
	}
	t.Fatal("no builtin role")
	return nil
}

func create(t *testing.T, c *client, name string, areas ...zeugov1.Area) *zeugov1.Role {
	t.Helper()
	res, err := c.Roles.CreateRole(ctx, connect.NewRequest(&zeugov1.CreateRoleRequest{Fields: &zeugov1.RoleFields{Name: name, Areas: areas}}))
	if err != nil {
		t.Fatalf("create %s: %v", name, err)
	}
	return res.Msg.GetRole()
}

// holder invites a user with the role, activates it (as registering
// would) and signs it in.
func holder(t *testing.T, env *apptest.Env, admin *client, ten *apptest.Tenant, email, roleID string) (string, *client) {
	t.Helper()
	res, err := admin.Users.InviteUser(ctx, connect.NewRequest(&zeugov1.InviteUserRequest{Email: email,
		Fields: &zeugov1.UserFields{FirstName: "Erika", LastName: "Muster", RoleId: roleID,
			CertificateAccess: &zeugov1.CertificateAccess{All: true}}}))
	if err != nil {
		t.Fatal(err)
	}
	const pw = "Lange-Passphrase-fuer-Tests!"
	hash, err := env.App.Hasher.Hash(ctx, pw)
	if err != nil {
		t.Fatal(err)
	}
	id := res.Msg.GetUser().GetId()
	env.AsOwner(ten.TenantID, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE users SET status = 'active', password_hash = $2 WHERE id = $1`, id, hash)
		return err
	})
	return id, signInAs(t, env, email, pw, apptest.Connect)
}

func audits(t *testing.T, env *apptest.Env, tenantID uuid.UUID, action string) int {
	t.Helper()
	var n int
	if err := env.DB.Owner.QueryRow(ctx, `SELECT count(*) FROM audit_events WHERE tenant_id = $1 AND ($2 = '' OR action = $2)`,
		tenantID, action).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestRoleLifecycleOverConnectAndGRPC: create, read, update (version
// grows, stale version Aborted with nothing changed), unique names
// (case-insensitive), delete — audited.
func TestRoleLifecycleOverConnectAndGRPC(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ten := env.CreateTenant("Muster AG", "admin@muster.example")
	for _, p := range []apptest.Protocol{apptest.Connect, apptest.GRPC} {
		t.Run(p.String(), func(t *testing.T) {
			c := signInAs(t, env, ten.Email, ten.Password, p)
			name := "Personal " + p.String()
			r := create(t, c, name, zeugov1.Area_AREA_USERS, zeugov1.Area_AREA_EMPLOYEES)
			// Areas come back in the order of SPEC §3.2.
			if got := r.GetFields().GetAreas(); len(got) != 2 || got[0] != zeugov1.Area_AREA_EMPLOYEES || r.GetBuiltin() || r.GetVersion() != 1 {
				t.Fatalf("created: %v", r)
			}
			_, err := c.Roles.CreateRole(ctx, connect.NewRequest(&zeugov1.CreateRoleRequest{Fields: &zeugov1.RoleFields{Name: strings.ToUpper(name)}}))
			wantCode(t, err, connect.CodeAlreadyExists, "duplicate name")
			if violation(t, err, "fields.name") != "zeugo.unique" {
				t.Errorf("duplicate name: %v", err)
			}
			found, err := c.Roles.ListRoles(ctx, connect.NewRequest(&zeugov1.ListRolesRequest{Query: strings.ToLower(p.String())}))
			if err != nil || len(found.Msg.GetRoles()) != 1 || found.Msg.GetRoles()[0].GetId() != r.GetId() {
				t.Fatalf("search by name: %v %v", found, err)
			}
			up, err := c.Roles.UpdateRole(ctx, connect.NewRequest(&zeugov1.UpdateRoleRequest{Id: r.GetId(), Version: r.GetVersion(),
				Fields: &zeugov1.RoleFields{Name: name + " neu", Areas: []zeugov1.Area{zeugov1.Area_AREA_ROLES}}}))
			if err != nil {
				t.Fatal(err)
			}
			if up.Msg.GetRole().GetVersion() != 2 || up.Msg.GetRole().GetFields().GetName() != name+" neu" {
				t.Fatalf("updated: %v", up.Msg.GetRole())
			}
			events := audits(t, env, ten.TenantID, "")
			_, err = c.Roles.UpdateRole(ctx, connect.NewRequest(&zeugov1.UpdateRoleRequest{Id: r.GetId(), Version: r.GetVersion(),
				Fields: &zeugov1.RoleFields{Name: "verloren"}}))
			wantCode(t, err, connect.CodeAborted, "stale version")
			got, err := c.Roles.GetRole(ctx, connect.NewRequest(&zeugov1.GetRoleRequest{Id: r.GetId()}))
			if err != nil || got.Msg.GetRole().GetFields().GetName() != name+" neu" || got.Msg.GetRole().GetVersion() != 2 ||
				audits(t, env, ten.TenantID, "") != events {
				t.Fatalf("a stale save changed something: %v %v", got, err)
			}
			if _, err := c.Roles.DeleteRole(ctx, connect.NewRequest(&zeugov1.DeleteRoleRequest{Id: r.GetId()})); err != nil {
				t.Fatal(err)
			}
			_, err = c.Roles.GetRole(ctx, connect.NewRequest(&zeugov1.GetRoleRequest{Id: r.GetId()}))
			wantCode(t, err, connect.CodeNotFound, "deleted role")
		})
	}
	for _, a := range []string{roles.ActionCreated, roles.ActionUpdated, roles.ActionDeleted} {
		if audits(t, env, ten.TenantID, a) != 2 {
			t.Errorf("%s: %d events, want 2", a, audits(t, env, ten.TenantID, a))
		}
	}
}

// TestBuiltinAdministratorIsImmutable: neither changed nor deleted.
func TestBuiltinAdministratorIsImmutable(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ten := env.CreateTenant("Muster AG", "admin@muster.example")
	c := signInAs(t, env, ten.Email, ten.Password, apptest.Connect)
	b := builtin(t, c)
	if b.GetFields().GetName() != "Administrator" || len(b.GetFields().GetAreas()) != 1 || b.GetUserCount() != 1 {
		t.Fatalf("builtin: %v", b)
	}
	_, err := c.Roles.UpdateRole(ctx, connect.NewRequest(&zeugov1.UpdateRoleRequest{Id: b.GetId(), Version: b.GetVersion(),
		Fields: &zeugov1.RoleFields{Name: "Administrator", Areas: []zeugov1.Area{zeugov1.Area_AREA_ADMINISTRATOR, zeugov1.Area_AREA_USERS}}}))
	wantCode(t, err, connect.CodeFailedPrecondition, "update the builtin role")
	_, err = c.Roles.DeleteRole(ctx, connect.NewRequest(&zeugov1.DeleteRoleRequest{Id: b.GetId()}))
	wantCode(t, err, connect.CodeFailedPrecondition, "delete the builtin role")
	if again := builtin(t, c); again.GetVersion() != b.GetVersion() {
		t.Fatal("the builtin role changed")
	}
}

// TestDeleteIsRefusedWhileUsersHoldTheRole names how many hold it.
func TestDeleteIsRefusedWhileUsersHoldTheRole(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ten := env.CreateTenant("Muster AG", "admin@muster.example")
	c := signInAs(t, env, ten.Email, ten.Password, apptest.Connect)
	r := create(t, c, "Personal", zeugov1.Area_AREA_EMPLOYEES)
	holder(t, env, c, ten, "erika@muster.example", r.GetId())
	_, err := c.Roles.DeleteRole(ctx, connect.NewRequest(&zeugov1.DeleteRoleRequest{Id: r.GetId()}))
	wantCode(t, err, connect.CodeFailedPrecondition, "delete a held role")
	if !strings.Contains(err.Error(), "held by 1 user") || violation(t, err, "id") != "zeugo.role_in_use" {
		t.Errorf("message: %v", err)
	}
	got, err := c.Roles.GetRole(ctx, connect.NewRequest(&zeugov1.GetRoleRequest{Id: r.GetId()}))
	if err != nil || got.Msg.GetRole().GetUserCount() != 1 {
		t.Fatalf("role after refused delete: %v %v", got, err)
	}
}

// TestLosingAnAreaRefusesTheHoldersNextCall: a holder's principal is
// cached after its first call; the very next call after its role lost the
// area is PermissionDenied (the role's version is part of the session
// check), and a regained area works at once too.
func TestLosingAnAreaRefusesTheHoldersNextCall(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ten := env.CreateTenant("Muster AG", "admin@muster.example")
	c := signInAs(t, env, ten.Email, ten.Password, apptest.Connect)
	r := create(t, c, "Benutzerverwaltung", zeugov1.Area_AREA_USERS, zeugov1.Area_AREA_EMPLOYEES)
	_, m := holder(t, env, c, ten, "erika@muster.example", r.GetId())
	call := func() error {
		_, err := m.Users.ListUsers(ctx, connect.NewRequest(&zeugov1.ListUsersRequest{}))
		return err
	}
	for range 3 { // well within the principal cache's minute
		if err := call(); err != nil {
			t.Fatal(err)
		}
	}
	up, err := c.Roles.UpdateRole(ctx, connect.NewRequest(&zeugov1.UpdateRoleRequest{Id: r.GetId(), Version: r.GetVersion(),
		Fields: &zeugov1.RoleFields{Name: "Benutzerverwaltung", Areas: []zeugov1.Area{zeugov1.Area_AREA_EMPLOYEES}}}))
	if err != nil {
		t.Fatal(err)
	}
	wantCode(t, call(), connect.CodePermissionDenied, "the holder's next call after losing the area")
	if _, err := c.Roles.UpdateRole(ctx, connect.NewRequest(&zeugov1.UpdateRoleRequest{Id: r.GetId(), Version: up.Msg.GetRole().GetVersion(),
		Fields: &zeugov1.RoleFields{Name: "Benutzerverwaltung", Areas: []zeugov1.Area{zeugov1.Area_AREA_USERS}}})); err != nil {
		t.Fatal(err)
	}
	if err := call(); err != nil {
		t.Fatalf("the holder's next call after regaining the area: %v", err)
	}
}

// TestRoleChangeThatLeavesNoAdministrator: a custom role with the
// Administrator area held by the only active administrator cannot lose it.
func TestRoleChangeThatLeavesNoAdministrator(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ten := env.CreateTenant("Muster AG", "admin@muster.example")
	c := signInAs(t, env, ten.Email, ten.Password, apptest.Connect)
	super := create(t, c, "Oberverwaltung", zeugov1.Area_AREA_ADMINISTRATOR)
	other, _ := holder(t, env, c, ten, "zweite@muster.example", super.GetId())
	// The first administrator leaves: the holder of the custom role is the
	// last administrator.
	env.AsOwner(ten.TenantID, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE users SET status = 'deactivated' WHERE id = $1`, ten.AdminID)
		return err
	})
	m := signInAs(t, env, "zweite@muster.example", "Lange-Passphrase-fuer-Tests!", apptest.Connect)
	_, err := m.Roles.UpdateRole(ctx, connect.NewRequest(&zeugov1.UpdateRoleRequest{Id: super.GetId(), Version: super.GetVersion(),
		Fields: &zeugov1.RoleFields{Name: "Oberverwaltung", Areas: []zeugov1.Area{zeugov1.Area_AREA_USERS, zeugov1.Area_AREA_ROLES}}}))
	wantCode(t, err, connect.CodeFailedPrecondition, "remove the area of the last administrator")
	if violation(t, err, "fields.areas") != roles.RuleLastAdministrator {
		t.Errorf("violation: %v", err)
	}
	got, err := m.Roles.GetRole(ctx, connect.NewRequest(&zeugov1.GetRoleRequest{Id: super.GetId()}))
	if err != nil || got.Msg.GetRole().GetVersion() != super.GetVersion() {
		t.Fatalf("role changed: %v %v", got, err)
	}
	// A rename keeps the area and works.
	if _, err := m.Roles.UpdateRole(ctx, connect.NewRequest(&zeugov1.UpdateRoleRequest{Id: super.GetId(), Version: super.GetVersion(),
		Fields: &zeugov1.RoleFields{Name: "Verwaltung", Areas: []zeugov1.Area{zeugov1.Area_AREA_ADMINISTRATOR}}})); err != nil {
		t.Fatal(err)
	}
	_ = other
}

// TestRolesIsolationAndArea: another tenant's role is NotFound; without
// Rollen (or Benutzer for reading) every rpc is PermissionDenied.
func TestRolesIsolationAndArea(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ten := env.CreateTenant("Muster AG", "admin@muster.example")
	oth := env.CreateTenant("Andere GmbH", "admin@andere.example")
	c := signInAs(t, env, ten.Email, ten.Password, apptest.Connect)
	oc := signInAs(t, env, oth.Email, oth.Password, apptest.Connect)
	theirs := create(t, oc, "Fremd", zeugov1.Area_AREA_EMPLOYEES)
	_, err := c.Roles.GetRole(ctx, connect.NewRequest(&zeugov1.GetRoleRequest{Id: theirs.GetId()}))
	wantCode(t, err, connect.CodeNotFound, "their role")
	_, err = c.Roles.UpdateRole(ctx, connect.NewRequest(&zeugov1.UpdateRoleRequest{Id: theirs.GetId(), Version: 1,
		Fields: &zeugov1.RoleFields{Name: "X"}}))
	wantCode(t, err, connect.CodeNotFound, "update their role")
	_, err = c.Roles.DeleteRole(ctx, connect.NewRequest(&zeugov1.DeleteRoleRequest{Id: theirs.GetId()}))
	wantCode(t, err, connect.CodeNotFound, "delete their role")

	// Benutzer may read roles (to pick one) but not change them.
	users := create(t, c, "Benutzer", zeugov1.Area_AREA_USERS)
	_, u := holder(t, env, c, ten, "u@muster.example", users.GetId())
	if _, err := u.Roles.ListRoles(ctx, connect.NewRequest(&zeugov1.ListRolesRequest{})); err != nil {
		t.Fatal(err)
	}
	_, err = u.Roles.CreateRole(ctx, connect.NewRequest(&zeugov1.CreateRoleRequest{Fields: &zeugov1.RoleFields{Name: "Neu"}}))
	wantCode(t, err, connect.CodePermissionDenied, "create without Rollen")
	none := create(t, c, "Mitarbeiter", zeugov1.Area_AREA_EMPLOYEES)
	_, n := holder(t, env, c, ten, "n@muster.example", none.GetId())
	_, err = n.Roles.ListRoles(ctx, connect.NewRequest(&zeugov1.ListRolesRequest{}))
	wantCode(t, err, connect.CodePermissionDenied, "list without Rollen or Benutzer")
	_, err = n.Roles.DeleteRole(ctx, connect.NewRequest(&zeugov1.DeleteRoleRequest{Id: none.GetId()}))
	wantCode(t, err, connect.CodePermissionDenied, "delete without Rollen")
}

// TestConcurrentRoleChangeAndDeactivation: two administrators, one by the
// builtin role and one by a custom role; removing the custom role's
// Administrator area and deactivating the other administrator at the same
// time would leave none — exactly one of the two succeeds, every round.
func TestConcurrentRoleChangeAndDeactivation(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ten := env.CreateTenant("Muster AG", "admin@muster.example")
	a := signInAs(t, env, ten.Email, ten.Password, apptest.Connect)
	super := create(t, a, "Oberverwaltung", zeugov1.Area_AREA_ADMINISTRATOR)
	_, b := holder(t, env, a, ten, "zweite@muster.example", super.GetId())
	// A third user with Benutzer and Rollen makes both changes.
	staff := create(t, a, "Verwaltung", zeugov1.Area_AREA_USERS, zeugov1.Area_AREA_ROLES)
	_, c := holder(t, env, a, ten, "dritte@muster.example", staff.GetId())
	for round := range 5 {
		cur, err := c.Roles.GetRole(ctx, connect.NewRequest(&zeugov1.GetRoleRequest{Id: super.GetId()}))
		if err != nil {
			t.Fatal(err)
		}
		errs := make([]error, 2)
		done := make(chan struct{})
		go func() {
			defer func() { done <- struct{}{} }()
			_, errs[0] = c.Roles.UpdateRole(ctx, connect.NewRequest(&zeugov1.UpdateRoleRequest{Id: super.GetId(),
				Version: cur.Msg.GetRole().GetVersion(), Fields: &zeugov1.RoleFields{Name: "Oberverwaltung",
					Areas: []zeugov1.Area{zeugov1.Area_AREA_USERS}}}))
		}()
		go func() {
			defer func() { done <- struct{}{} }()
			_, errs[1] = c.Users.DeactivateUser(ctx, connect.NewRequest(&zeugov1.DeactivateUserRequest{Id: ten.AdminID.String()}))
		}()
		<-done
		<-done
		ok := 0
		for _, err := range errs {
			if err == nil {
				ok++
			} else if connect.CodeOf(err) != connect.CodeFailedPrecondition {
				t.Fatalf("round %d: %v", round, err)
			}
		}
		var admins int
		env.AsOwner(ten.TenantID, func(tx pgx.Tx) error {
			return tx.QueryRow(ctx, `SELECT count(*) FROM users u JOIN roles r ON r.id = u.role_id
				WHERE u.status = 'active' AND 'administrator' = ANY (r.areas)`).Scan(&admins)
		})
		if ok != 1 || admins != 1 {
			t.Fatalf("round %d: %d changes succeeded (%v), %d active administrators", round, ok, errs, admins)
		}
		// Back to two administrators for the next round.
		if errs[1] == nil {
			if _, err := c.Users.ReactivateUser(ctx, connect.NewRequest(&zeugov1.ReactivateUserRequest{Id: ten.AdminID.String()})); err != nil {
				t.Fatal(err)
			}
		} else {
			now, err := c.Roles.GetRole(ctx, connect.NewRequest(&zeugov1.GetRoleRequest{Id: super.GetId()}))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := c.Roles.UpdateRole(ctx, connect.NewRequest(&zeugov1.UpdateRoleRequest{Id: super.GetId(),
				Version: now.Msg.GetRole().GetVersion(), Fields: &zeugov1.RoleFields{Name: "Oberverwaltung",
					Areas: []zeugov1.Area{zeugov1.Area_AREA_ADMINISTRATOR}}})); err != nil {
				t.Fatal(err)
			}
		}
	}
	_ = b
}
