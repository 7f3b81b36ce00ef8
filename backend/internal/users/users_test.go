package users_test

import (
	"encoding/base64"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"connectrpc.com/connect"
	"github.com/jackc/pgx/v5"

	"github.com/zeugo/zeugo/backend/internal/apptest"
	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
	"github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1/zeugov1connect"
	"github.com/zeugo/zeugo/backend/internal/secretlink"
	"github.com/zeugo/zeugo/backend/internal/users"
)

var linkPattern = regexp.MustCompile(`\S*/register#(\S+)`)

// TestInvitationOverConnectAndGRPC: an invitation creates the user in state
// invited and, in the same transaction, the invitation email; delivered to
// a real SMTP server, its link carries the secret in the fragment, and the
// SHA-256 of that secret is the stored link's hash. Through both protocols.
func TestInvitationOverConnectAndGRPC(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ten := env.CreateTenant("Muster AG", "admin@muster.example")
	smtpd := newMailServer(t)
	for i, p := range []apptest.Protocol{apptest.Connect, apptest.GRPC} {
		t.Run(p.String(), func(t *testing.T) {
			c := signInAs(t, env, ten.Email, ten.Password, p)
			admin := adminRoleID(t, c)
			email := []string{"erika@muster.example", "max@muster.example"}[i]
			f := fields("Erika", "Mustermann", admin)
			f.MobilePhone, f.Language = "+4915112345678", []string{"de", "en"}[i]
			u := invite(t, c, email, f)
			if u.GetState() != zeugov1.UserState_USER_STATE_INVITED || u.GetEmail() != email ||
				u.GetFields().GetMobilePhone() != "+4915112345678" || u.GetInvitationExpireTime() == nil ||
				u.GetRoleName() != "Administrator" || u.GetInviteTime() == nil {
				t.Fatalf("invited user: %v", u)
			}
			if got := u.GetInvitationExpireTime().AsTime().Sub(u.GetInviteTime().AsTime()); got.Hours() != 72 {
				t.Errorf("link lifetime %v, want the tenant's 72 h", got)
			}
			before := len(smtpd.received(t))
			if _, err := smtpd.outbox(env).Deliver(ctx()); err != nil {
				t.Fatal(err)
			}
			mails := smtpd.received(t)
			if len(mails) != before+1 {
				t.Fatalf("%d mails, want %d", len(mails), before+1)
			}
			m := mails[len(mails)-1]
			if !strings.Contains(m.To, email) || !strings.Contains(m.Plain, "Erika Mustermann") {
				t.Fatalf("mail to %q: %q", m.To, m.Plain)
			}
			link := linkPattern.FindStringSubmatch(m.Plain)
			if link == nil {
				t.Fatalf("no /register# link in %q", m.Plain)
			}
			tenantID, hash, ok := secretlink.Parse(link[1])
			if !ok || tenantID != ten.TenantID {
				t.Fatalf("token %q: ok %v tenant %v", link[1], ok, tenantID)
			}
			var stored []byte
			var purpose string
			env.AsOwner(ten.TenantID, func(tx pgx.Tx) error {
				return tx.QueryRow(ctx(), `SELECT token_hash, purpose FROM user_links WHERE user_id = $1`, u.GetId()).Scan(&stored, &purpose)
			})
			if string(stored) != string(hash) || purpose != "invitation" {
				t.Fatalf("stored link %x (%s), token hash %x", stored, purpose, hash)
			}
			if auditCount(t, env, ten.TenantID, users.ActionInvitationSent) != i+1 {
				t.Error("invitation not audited")
			}
		})
	}
}

// TestInvitingAnExistingEmail: an address of this tenant (in any spelling)
// is AlreadyExists on the field email and changes nothing; the same
// address in another tenant succeeds.
func TestInvitingAnExistingEmail(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ten := env.CreateTenant("Muster AG", "admin@muster.example")
	other := env.CreateTenant("Andere GmbH", "admin@andere.example")
	c := signIn(t, env, ten)
	admin := adminRoleID(t, c)
	invite(t, c, "erika@muster.example", fields("Erika", "Muster", admin))
	events := auditCount(t, env, ten.TenantID, "")
	for _, email := range []string{"erika@muster.example", "Erika@Muster.example", "ADMIN@muster.example"} {
		_, err := c.Users.InviteUser(ctx(), connect.NewRequest(&zeugov1.InviteUserRequest{Email: email, Fields: fields("X", "Y", admin)}))
		wantCode(t, err, connect.CodeAlreadyExists, email)
		if v := violations(t, err); v["email"] != "zeugo.unique" {
			t.Errorf("%s: violations %v", email, v)
		}
	}
	if auditCount(t, env, ten.TenantID, "") != events {
		t.Error("a refused invitation left audit events")
	}
	// The other tenant invites an address the first tenant uses: it works
	// and says nothing about the first tenant.
	oc := signIn(t, env, other)
	u := invite(t, oc, "erika@muster.example", fields("Erika", "Andere", adminRoleID(t, oc)))
	if u.GetState() != zeugov1.UserState_USER_STATE_INVITED {
		t.Fatal(u)
	}
}

// TestResendAndCancelInvitation: a resent invitation replaces the link (the
// old hash is gone); cancelling removes the user and its links; both need
// state invited.
func TestResendAndCancelInvitation(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ten := env.CreateTenant("Muster AG", "admin@muster.example")
	c := signIn(t, env, ten)
	admin := adminRoleID(t, c)
	u := invite(t, c, "erika@muster.example", fields("Erika", "Muster", admin))
	hashes := func() []string {
		var out []string
		env.AsOwner(ten.TenantID, func(tx pgx.Tx) error {
			rows, err := tx.Query(ctx(), `SELECT token_hash FROM user_links WHERE user_id = $1`, u.GetId())
			if err != nil {
				return err
			}
			out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (string, error) {
				var b []byte
				err := r.Scan(&b)
				return base64.StdEncoding.EncodeToString(b), err
			})
			return err
		})
		return out
	}
	first := hashes()
	env.Clock.Advance(60e9)
	res, err := c.Users.ResendInvitation(ctx(), connect.NewRequest(&zeugov1.ResendInvitationRequest{Id: u.GetId()}))
	if err != nil {
		t.Fatal(err)
	}
	second := hashes()
	if len(first) != 1 || len(second) != 1 || first[0] == second[0] {
		t.Fatalf("links before %v, after %v: want one new link", first, second)
	}
	if !res.Msg.GetUser().GetInvitationExpireTime().AsTime().After(u.GetInvitationExpireTime().AsTime()) {
		t.Error("the new link does not expire later")
	}
	var outbox int
	env.AsOwner(ten.TenantID, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx(), `SELECT count(*) FROM outbox_messages`).Scan(&outbox)
	})
	if outbox != 2 {
		t.Errorf("%d messages in the outbox, want 2", outbox)
	}
	if _, err := c.Users.CancelInvitation(ctx(), connect.NewRequest(&zeugov1.CancelInvitationRequest{Id: u.GetId()})); err != nil {
		t.Fatal(err)
	}
	_, err = c.Users.GetUser(ctx(), connect.NewRequest(&zeugov1.GetUserRequest{Id: u.GetId()}))
	wantCode(t, err, connect.CodeNotFound, "cancelled user")
	var reads int
	if err := env.DB.Owner.QueryRow(ctx(), `SELECT count(*) FROM audit_pending WHERE tenant_id = $1 AND action = $2`,
		ten.TenantID, users.ActionRead).Scan(&reads); err != nil {
		t.Fatal(err)
	}
	if reads != 0 {
		t.Errorf("a failed read was recorded (%d)", reads)
	}
	if len(hashes()) != 0 {
		t.Error("links survive the cancelled invitation")
	}
	_, err = c.Users.ResendInvitation(ctx(), connect.NewRequest(&zeugov1.ResendInvitationRequest{Id: u.GetId()}))
	wantCode(t, err, connect.CodeNotFound, "resend to a cancelled user")
	// An active user has no invitation to resend or cancel.
	_, err = c.Users.ResendInvitation(ctx(), connect.NewRequest(&zeugov1.ResendInvitationRequest{Id: ten.AdminID.String()}))
	wantCode(t, err, connect.CodeFailedPrecondition, "resend to an active user")
	_, err = c.Users.CancelInvitation(ctx(), connect.NewRequest(&zeugov1.CancelInvitationRequest{Id: ten.AdminID.String()}))
	wantCode(t, err, connect.CodeFailedPrecondition, "cancel an active user")
	if auditCount(t, env, ten.TenantID, users.ActionInvitationResent) != 1 || auditCount(t, env, ten.TenantID, users.ActionInvitationCancelled) != 1 {
		t.Error("resend/cancel not audited")
	}
}

// TestUpdateUser: fields, role and certificate access change; a stale
// version is Aborted and changes nothing; ids of the wrong kind are field
// errors.
func TestUpdateUser(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ten := env.CreateTenant("Muster AG", "admin@muster.example")
	c := signIn(t, env, ten)
	admin := adminRoleID(t, c)
	staff := createRole(t, c, "Personal", zeugov1.Area_AREA_EMPLOYEES)
	co, err := c.Org.CreateCompany(ctx(), connect.NewRequest(&zeugov1.CreateCompanyRequest{Fields: &zeugov1.CompanyFields{Name: "Muster GmbH"}}))
	if err != nil {
		t.Fatal(err)
	}
	loc, err := c.Org.CreateUnit(ctx(), connect.NewRequest(&zeugov1.CreateUnitRequest{Kind: zeugov1.UnitKind_UNIT_KIND_LOCATION,
		Fields: &zeugov1.UnitFields{Name: "Berlin"}}))
	if err != nil {
		t.Fatal(err)
	}
	dept, err := c.Org.CreateUnit(ctx(), connect.NewRequest(&zeugov1.CreateUnitRequest{Kind: zeugov1.UnitKind_UNIT_KIND_DEPARTMENT,
		Fields: &zeugov1.UnitFields{Name: "Personal"}}))
	if err != nil {
		t.Fatal(err)
	}
	opts, err := c.Users.ListAccessOptions(ctx(), connect.NewRequest(&zeugov1.ListAccessOptionsRequest{}))
	if err != nil {
		t.Fatal(err)
	}
	if o := opts.Msg; len(o.GetCompanies()) != 1 || o.GetCompanies()[0].GetName() != "Muster GmbH" || len(o.GetLocations()) != 1 ||
		o.GetLocations()[0].GetId() != loc.Msg.GetUnit().GetId() || len(o.GetDepartments()) != 1 ||
		o.GetDepartments()[0].GetId() != dept.Msg.GetUnit().GetId() || len(o.GetOrgUnits()) != 0 || len(o.GetEmployeeTypes()) != 0 {
		t.Fatalf("access options: %v", o)
	}
	u := invite(t, c, "erika@muster.example", fields("Erika", "Muster", admin))
	f := fields("Erika", "Schmidt", staff.GetId())
	f.Language = "en"
	f.CertificateAccess = &zeugov1.CertificateAccess{CompanyIds: []string{co.Msg.GetCompany().GetId()},
		LocationIds: []string{loc.Msg.GetUnit().GetId()}}
	res, err := c.Users.UpdateUser(ctx(), connect.NewRequest(&zeugov1.UpdateUserRequest{Id: u.GetId(), Version: u.GetVersion(), Fields: f}))
	if err != nil {
		t.Fatal(err)
	}
	got := res.Msg.GetUser()
	if got.GetFields().GetLastName() != "Schmidt" || got.GetRoleName() != "Personal" || got.GetFields().GetLanguage() != "en" ||
		got.GetFields().GetCertificateAccess().GetAll() || len(got.GetFields().GetCertificateAccess().GetLocationIds()) != 1 ||
		got.GetVersion() != u.GetVersion()+1 {
		t.Fatalf("updated: %v", got)
	}
	for _, a := range []string{users.ActionRoleAssigned, users.ActionAccessChanged, users.ActionUpdated} {
		if auditCount(t, env, ten.TenantID, a) != 1 {
			t.Errorf("%s not audited", a)
		}
	}
	// Stale: the first version again.
	events := auditCount(t, env, ten.TenantID, "")
	stale := fields("Nicht", "Gespeichert", admin)
	_, err = c.Users.UpdateUser(ctx(), connect.NewRequest(&zeugov1.UpdateUserRequest{Id: u.GetId(), Version: u.GetVersion(), Fields: stale}))
	wantCode(t, err, connect.CodeAborted, "stale version")
	now, err := c.Users.GetUser(ctx(), connect.NewRequest(&zeugov1.GetUserRequest{Id: u.GetId()}))
	if err != nil {
		t.Fatal(err)
	}
	if now.Msg.GetUser().GetFields().GetLastName() != "Schmidt" || now.Msg.GetUser().GetVersion() != got.GetVersion() ||
		auditCount(t, env, ten.TenantID, "") != events {
		t.Fatalf("a stale save changed something: %v", now.Msg.GetUser())
	}
	var reads int
	if err := env.DB.Owner.QueryRow(ctx(), `SELECT count(*) FROM audit_pending WHERE tenant_id = $1 AND action = $2 AND target_id = $3`,
		ten.TenantID, users.ActionRead, u.GetId()).Scan(&reads); err != nil {
		t.Fatal(err)
	}
	if reads != 1 {
		t.Errorf("%d read events for the opened user, want 1", reads)
	}
	// A location id as a company, a company id as a department, an unknown role.
	for field, mutate := range map[string]func(*zeugov1.UserFields){
		"fields.certificate_access.company_ids": func(f *zeugov1.UserFields) {
			f.CertificateAccess = &zeugov1.CertificateAccess{CompanyIds: []string{loc.Msg.GetUnit().GetId()}}
		},
		"fields.certificate_access.department_ids": func(f *zeugov1.UserFields) {
			f.CertificateAccess = &zeugov1.CertificateAccess{DepartmentIds: []string{loc.Msg.GetUnit().GetId()}}
		},
		"fields.role_id": func(f *zeugov1.UserFields) { f.RoleId = co.Msg.GetCompany().GetId() },
	} {
		f := fields("Erika", "Schmidt", admin)
		mutate(f)
		_, err := c.Users.UpdateUser(ctx(), connect.NewRequest(&zeugov1.UpdateUserRequest{Id: u.GetId(), Version: got.GetVersion(), Fields: f}))
		wantCode(t, err, connect.CodeInvalidArgument, field)
		if v := violations(t, err); v[field] != "zeugo.exists" {
			t.Errorf("%s: violations %v", field, v)
		}
	}
	// A phone that is not E.164 is refused by the rules of the proto.
	bad := fields("Erika", "Schmidt", admin)
	bad.MobilePhone = "0151 1234"
	_, err = c.Users.UpdateUser(ctx(), connect.NewRequest(&zeugov1.UpdateUserRequest{Id: u.GetId(), Version: got.GetVersion(), Fields: bad}))
	if v := violations(t, err); v["fields.mobile_phone"] == "" {
		t.Errorf("phone: %v", err)
	}
}

// TestDeactivateEndsTheLiveSessionAtOnce: the deactivated user's very next
// call is Unauthenticated; the user cannot sign in again; reactivation lets
// it sign in again.
func TestDeactivateEndsTheLiveSessionAtOnce(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ten := env.CreateTenant("Muster AG", "admin@muster.example")
	c := signIn(t, env, ten)
	role := createRole(t, c, "Personal", zeugov1.Area_AREA_USERS)
	u, m := member(t, env, c, ten, "erika@muster.example", role.GetId())
	if _, err := m.Users.ListUsers(ctx(), connect.NewRequest(&zeugov1.ListUsersRequest{})); err != nil {
		t.Fatal(err) // the member's principal is now cached
	}
	res, err := c.Users.DeactivateUser(ctx(), connect.NewRequest(&zeugov1.DeactivateUserRequest{Id: u.GetId()}))
	if err != nil {
		t.Fatal(err)
	}
	if res.Msg.GetUser().GetState() != zeugov1.UserState_USER_STATE_DEACTIVATED || res.Msg.GetUser().GetDeactivateTime() == nil {
		t.Fatal(res.Msg.GetUser())
	}
	_, err = m.Users.ListUsers(ctx(), connect.NewRequest(&zeugov1.ListUsersRequest{}))
	wantCode(t, err, connect.CodeUnauthenticated, "the deactivated user's next call")
	_, err = env.AuthClient(env.HTTPClient(), apptest.Connect).Login(ctx(), connect.NewRequest(&zeugov1.LoginRequest{
		Email: "erika@muster.example", Password: "Lange-Passphrase-" + "20" + "!x"}))
	wantCode(t, err, connect.CodeUnauthenticated, "login of a deactivated user")
	var revoked int
	env.AsOwner(ten.TenantID, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx(), `SELECT count(*) FROM sessions WHERE user_id = $1 AND revoked_at IS NOT NULL`, u.GetId()).Scan(&revoked)
	})
	if revoked != 1 {
		t.Errorf("%d revoked sessions, want 1", revoked)
	}
	// Deactivating twice, reactivating an active user: the wrong state.
	_, err = c.Users.DeactivateUser(ctx(), connect.NewRequest(&zeugov1.DeactivateUserRequest{Id: u.GetId()}))
	wantCode(t, err, connect.CodeFailedPrecondition, "deactivate twice")
	if _, err := c.Users.ReactivateUser(ctx(), connect.NewRequest(&zeugov1.ReactivateUserRequest{Id: u.GetId()})); err != nil {
		t.Fatal(err)
	}
	_, err = c.Users.ReactivateUser(ctx(), connect.NewRequest(&zeugov1.ReactivateUserRequest{Id: u.GetId()}))
	wantCode(t, err, connect.CodeFailedPrecondition, "reactivate an active user")
	signInAs(t, env, "erika@muster.example", "Lange-Passphrase-20!x", apptest.Connect)
	// Nobody deactivates themselves.
	_, err = c.Users.DeactivateUser(ctx(), connect.NewRequest(&zeugov1.DeactivateUserRequest{Id: ten.AdminID.String()}))
	wantCode(t, err, connect.CodeFailedPrecondition, "deactivate oneself")
	if auditCount(t, env, ten.TenantID, users.ActionDeactivated) != 1 || auditCount(t, env, ten.TenantID, users.ActionReactivated) != 1 {
		t.Error("deactivation/reactivation not audited")
	}
}

// TestUnlock: a locked user becomes active with no failed logins.
func TestUnlock(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ten := env.CreateTenant("Muster AG", "admin@muster.example")
	c := signIn(t, env, ten)
	role := createRole(t, c, "Personal", zeugov1.Area_AREA_EMPLOYEES)
	u, _ := member(t, env, c, ten, "erika@muster.example", role.GetId())
	env.AsOwner(ten.TenantID, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx(), `UPDATE users SET status = 'locked', failed_logins = 10, locked_at = now() WHERE id = $1`, u.GetId())
		return err
	})
	locked, err := c.Users.ListUsers(ctx(), connect.NewRequest(&zeugov1.ListUsersRequest{State: zeugov1.UserState_USER_STATE_LOCKED}))
	if err != nil || len(locked.Msg.GetUsers()) != 1 || locked.Msg.GetUsers()[0].GetLockTime() == nil {
		t.Fatalf("locked filter: %v %v", locked, err)
	}
	res, err := c.Users.UnlockUser(ctx(), connect.NewRequest(&zeugov1.UnlockUserRequest{Id: u.GetId()}))
	if err != nil {
		t.Fatal(err)
	}
	if res.Msg.GetUser().GetState() != zeugov1.UserState_USER_STATE_ACTIVE || res.Msg.GetUser().GetLockTime() != nil {
		t.Fatal(res.Msg.GetUser())
	}
	var failed int
	env.AsOwner(ten.TenantID, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx(), `SELECT failed_logins FROM users WHERE id = $1`, u.GetId()).Scan(&failed)
	})
	if failed != 0 {
		t.Errorf("failed_logins %d", failed)
	}
	_, err = c.Users.UnlockUser(ctx(), connect.NewRequest(&zeugov1.UnlockUserRequest{Id: u.GetId()}))
	wantCode(t, err, connect.CodeFailedPrecondition, "unlock an active user")
	if auditCount(t, env, ten.TenantID, users.ActionUnlocked) != 1 {
		t.Error("unlock not audited")
	}
}

// TestLastAdministrator: the only active administrator can be neither
// demoted nor deactivated; with two, concurrent deactivations of both leave
// exactly one.
func TestLastAdministrator(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ten := env.CreateTenant("Muster AG", "admin@muster.example")
	c := signIn(t, env, ten)
	admin := adminRoleID(t, c)
	staff := createRole(t, c, "Benutzerverwaltung", zeugov1.Area_AREA_USERS)
	_, hr := member(t, env, c, ten, "hr@muster.example", staff.GetId())
	me, err := c.Users.GetUser(ctx(), connect.NewRequest(&zeugov1.GetUserRequest{Id: ten.AdminID.String()}))
	if err != nil {
		t.Fatal(err)
	}
	demote := me.Msg.GetUser().GetFields()
	demote.RoleId = staff.GetId()
	_, err = c.Users.UpdateUser(ctx(), connect.NewRequest(&zeugov1.UpdateUserRequest{Id: ten.AdminID.String(),
		Version: me.Msg.GetUser().GetVersion(), Fields: demote}))
	wantCode(t, err, connect.CodeFailedPrecondition, "demote the last administrator")
	if v := violations(t, err); v["fields.role_id"] != "zeugo.last_administrator" {
		t.Errorf("demote: violations %v", v)
	}
	_, err = hr.Users.DeactivateUser(ctx(), connect.NewRequest(&zeugov1.DeactivateUserRequest{Id: ten.AdminID.String()}))
	wantCode(t, err, connect.CodeFailedPrecondition, "deactivate the last administrator")
	if v := violations(t, err); v["id"] != "zeugo.last_administrator" {
		t.Errorf("deactivate: violations %v", v)
	}

	// A second administrator; then both deactivated at once, many times
	// over: exactly one deactivation wins each round.
	second, _ := member(t, env, c, ten, "zweite@muster.example", admin)
	for round := 0; round < 5; round++ {
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i, id := range []string{ten.AdminID.String(), second.GetId()} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = hr.Users.DeactivateUser(ctx(), connect.NewRequest(&zeugov1.DeactivateUserRequest{Id: id}))
			}()
		}
		wg.Wait()
		ok := 0
		for _, err := range errs {
			if err == nil {
				ok++
			} else if code(err) != connect.CodeFailedPrecondition {
				t.Fatalf("round %d: %v", round, err)
			}
		}
		var active int
		env.AsOwner(ten.TenantID, func(tx pgx.Tx) error {
			return tx.QueryRow(ctx(), `SELECT count(*) FROM users u JOIN roles r ON r.id = u.role_id
				WHERE u.status = 'active' AND 'administrator' = ANY (r.areas)`).Scan(&active)
		})
		if ok != 1 || active != 1 {
			t.Fatalf("round %d: %d deactivations succeeded, %d active administrators left", round, ok, active)
		}
		for _, id := range []string{ten.AdminID.String(), second.GetId()} {
			_, _ = hr.Users.ReactivateUser(ctx(), connect.NewRequest(&zeugov1.ReactivateUserRequest{Id: id}))
		}
	}
}

// TestListUsers: state filter, search by exact email (blind index) and by
// a part of a name (decrypted in the server), paging.
func TestListUsers(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ten := env.CreateTenant("Muster AG", "admin@muster.example")
	c := signIn(t, env, ten)
	admin := adminRoleID(t, c)
	invite(t, c, "erika@muster.example", fields("Erika", "Mustermann", admin))
	invite(t, c, "hans@muster.example", fields("Hans", "Schmidt", admin))
	invite(t, c, "jana@muster.example", fields("Jana", "Schmidtke", admin))
	list := func(req *zeugov1.ListUsersRequest) []string {
		t.Helper()
		res, err := c.Users.ListUsers(ctx(), connect.NewRequest(req))
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, u := range res.Msg.GetUsers() {
			out = append(out, u.GetEmail())
		}
		return out
	}
	if got := list(&zeugov1.ListUsersRequest{}); len(got) != 4 || got[0] != "admin@muster.example" {
		t.Errorf("all: %v", got)
	}
	if got := list(&zeugov1.ListUsersRequest{Direction: zeugov1.SortDirection_SORT_DIRECTION_DESCENDING}); got[0] != "jana@muster.example" {
		t.Errorf("newest first: %v", got)
	}
	if got := list(&zeugov1.ListUsersRequest{State: zeugov1.UserState_USER_STATE_INVITED}); len(got) != 3 {
		t.Errorf("invited: %v", got)
	}
	if got := list(&zeugov1.ListUsersRequest{Query: " HANS@muster.example "}); len(got) != 1 || got[0] != "hans@muster.example" {
		t.Errorf("by email: %v", got)
	}
	if got := list(&zeugov1.ListUsersRequest{Query: "schmidt"}); len(got) != 2 {
		t.Errorf("by name: %v", got)
	}
	if got := list(&zeugov1.ListUsersRequest{Query: "jana schmidt", State: zeugov1.UserState_USER_STATE_INVITED}); len(got) != 1 {
		t.Errorf("by full name: %v", got)
	}
	if got := list(&zeugov1.ListUsersRequest{Query: "niemand"}); len(got) != 0 {
		t.Errorf("no match: %v", got)
	}
	// Paging: two pages of two.
	res, err := c.Users.ListUsers(ctx(), connect.NewRequest(&zeugov1.ListUsersRequest{Page: &zeugov1.PageRequest{PageSize: 2}}))
	if err != nil {
		t.Fatal(err)
	}
	next, err := c.Users.ListUsers(ctx(), connect.NewRequest(&zeugov1.ListUsersRequest{Page: &zeugov1.PageRequest{PageSize: 2,
		PageToken: res.Msg.GetPage().GetNextPageToken()}}))
	if err != nil {
		t.Fatal(err)
	}
	if res.Msg.GetPage().GetTotalSize() != 4 || len(next.Msg.GetUsers()) != 2 || next.Msg.GetPage().GetNextPageToken() != "" ||
		next.Msg.GetUsers()[0].GetId() == res.Msg.GetUsers()[1].GetId() {
		t.Errorf("pages: %v / %v", res.Msg, next.Msg)
	}
	// Names and emails are ciphertext in the database.
	var plain int
	env.AsOwner(ten.TenantID, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx(), `SELECT count(*) FROM users WHERE position(convert_to('Schmidt', 'UTF8') in last_name_enc) > 0
			OR position(convert_to('muster.example', 'UTF8') in email_enc) > 0`).Scan(&plain)
	})
	if plain != 0 {
		t.Errorf("%d rows hold names or emails in clear", plain)
	}
}

// TestTenantIsolation: another tenant's user id is NotFound for every rpc
// that names one, and changes nothing.
func TestTenantIsolation(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ten := env.CreateTenant("Muster AG", "admin@muster.example")
	other := env.CreateTenant("Andere GmbH", "admin@andere.example")
	c := signIn(t, env, ten)
	oc := signIn(t, env, other)
	theirs := invite(t, oc, "x@andere.example", fields("X", "Y", adminRoleID(t, oc)))
	id := theirs.GetId()
	admin := adminRoleID(t, c)
	calls := map[string]func() error{
		"GetUser": func() error {
			_, err := c.Users.GetUser(ctx(), connect.NewRequest(&zeugov1.GetUserRequest{Id: id}))
			return err
		},
		"UpdateUser": func() error {
			_, err := c.Users.UpdateUser(ctx(), connect.NewRequest(&zeugov1.UpdateUserRequest{Id: id, Version: 1, Fields: fields("A", "B", admin)}))
			return err
		},
		"ResendInvitation": func() error {
			_, err := c.Users.ResendInvitation(ctx(), connect.NewRequest(&zeugov1.ResendInvitationRequest{Id: id}))
			return err
		},
		"CancelInvitation": func() error {
			_, err := c.Users.CancelInvitation(ctx(), connect.NewRequest(&zeugov1.CancelInvitationRequest{Id: id}))
			return err
		},
		"DeactivateUser": func() error {
			_, err := c.Users.DeactivateUser(ctx(), connect.NewRequest(&zeugov1.DeactivateUserRequest{Id: other.AdminID.String()}))
			return err
		},
		"ReactivateUser": func() error {
			_, err := c.Users.ReactivateUser(ctx(), connect.NewRequest(&zeugov1.ReactivateUserRequest{Id: id}))
			return err
		},
		"UnlockUser": func() error {
			_, err := c.Users.UnlockUser(ctx(), connect.NewRequest(&zeugov1.UnlockUserRequest{Id: id}))
			return err
		},
	}
	for name, call := range calls {
		wantCode(t, call(), connect.CodeNotFound, name)
	}
	// Their role cannot be assigned either.
	_, err := c.Users.InviteUser(ctx(), connect.NewRequest(&zeugov1.InviteUserRequest{Email: "z@muster.example",
		Fields: fields("Z", "Z", adminRoleID(t, oc))}))
	if v := violations(t, err); v["fields.role_id"] != "zeugo.exists" {
		t.Errorf("other tenant's role: %v", err)
	}
	still, err := oc.Users.GetUser(ctx(), connect.NewRequest(&zeugov1.GetUserRequest{Id: id}))
	if err != nil || still.Msg.GetUser().GetVersion() != theirs.GetVersion() {
		t.Fatalf("their user changed: %v %v", still, err)
	}
}

// TestRPCsNeedTheUsersArea: a role without Benutzer is PermissionDenied on
// every UserService rpc.
func TestRPCsNeedTheUsersArea(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ten := env.CreateTenant("Muster AG", "admin@muster.example")
	c := signIn(t, env, ten)
	role := createRole(t, c, "Nur Mitarbeiter", zeugov1.Area_AREA_EMPLOYEES, zeugov1.Area_AREA_ROLES)
	_, m := member(t, env, c, ten, "erika@muster.example", role.GetId())
	id := ten.AdminID.String()
	for name, call := range map[string]func() error{
		"ListUsers": func() error {
			_, err := m.Users.ListUsers(ctx(), connect.NewRequest(&zeugov1.ListUsersRequest{}))
			return err
		},
		"GetUser": func() error {
			_, err := m.Users.GetUser(ctx(), connect.NewRequest(&zeugov1.GetUserRequest{Id: id}))
			return err
		},
		"ListAccessOptions": func() error {
			_, err := m.Users.ListAccessOptions(ctx(), connect.NewRequest(&zeugov1.ListAccessOptionsRequest{}))
			return err
		},
		"InviteUser": func() error {
			_, err := m.Users.InviteUser(ctx(), connect.NewRequest(&zeugov1.InviteUserRequest{Email: "a@b.example", Fields: fields("A", "B", role.GetId())}))
			return err
		},
		"DeactivateUser": func() error {
			_, err := m.Users.DeactivateUser(ctx(), connect.NewRequest(&zeugov1.DeactivateUserRequest{Id: id}))
			return err
		},
		"UnlockUser": func() error {
			_, err := m.Users.UnlockUser(ctx(), connect.NewRequest(&zeugov1.UnlockUserRequest{Id: id}))
			return err
		},
	} {
		wantCode(t, call(), connect.CodePermissionDenied, name)
	}
}

// TestDeactivationRefusesTheUsersRefreshTokenAndAPIKey: deactivating a
// user through the rpc stops, on their very next use, a live refresh token
// and a live API key the user created — not only the access token — and
// reactivation does not revive the revoked session.
func TestDeactivationRefusesTheUsersRefreshTokenAndAPIKey(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ten := env.CreateTenant("Muster AG", "admin@muster.example")
	c := signIn(t, env, ten)
	role := createRole(t, c, "Schnittstellen", zeugov1.Area_AREA_API_KEYS, zeugov1.Area_AREA_COMPANY_STRUCTURE)
	u, _ := member(t, env, c, ten, "hr-system@muster.example", role.GetId())
	pw := "Lange-Passphrase-" + strconv.Itoa(len("hr-system@muster.example")) + "!x"

	// The member's own session (refresh token in the body, as a script keeps it) and key.
	login, err := env.AuthClient(env.HTTPClient(), apptest.Connect).Login(ctx(), connect.NewRequest(&zeugov1.LoginRequest{
		Email: "hr-system@muster.example", Password: pw, RefreshTokenInBody: true}))
	if err != nil {
		t.Fatal(err)
	}
	keys := zeugov1connect.NewApiKeyServiceClient(env.HTTPClient(), env.Server.URL,
		connect.WithInterceptors(apptest.Bearer(login.Msg.GetTokens().GetAccessToken())))
	key, err := keys.CreateApiKey(ctx(), connect.NewRequest(&zeugov1.CreateApiKeyRequest{Name: "Personio",
		Scopes: []*zeugov1.ApiKeyScope{{Service: "organization", Access: zeugov1.ApiKeyAccess_API_KEY_ACCESS_READ}}}))
	if err != nil {
		t.Fatal(err)
	}
	byKey := env.OrgClient(env.HTTPClient(), apptest.GRPC, key.Msg.GetSecret())
	for range 2 { // the second call is decided on the remembered key
		if _, err := byKey.ListCompanies(ctx(), connect.NewRequest(&zeugov1.ListCompaniesRequest{})); err != nil {
			t.Fatalf("live key: %v", err)
		}
	}

	if _, err := c.Users.DeactivateUser(ctx(), connect.NewRequest(&zeugov1.DeactivateUserRequest{Id: u.GetId()})); err != nil {
		t.Fatal(err)
	}
	_, err = byKey.ListCompanies(ctx(), connect.NewRequest(&zeugov1.ListCompaniesRequest{}))
	wantCode(t, err, connect.CodeUnauthenticated, "the deactivated user's API key")
	_, err = env.AuthClient(env.HTTPClient(), apptest.Connect).Refresh(ctx(), connect.NewRequest(&zeugov1.RefreshRequest{
		RefreshToken: login.Msg.GetTokens().GetRefreshToken(), RefreshTokenInBody: true}))
	wantCode(t, err, connect.CodeUnauthenticated, "the deactivated user's refresh token")

	// Reactivated: the key works again (it was the user who was stopped,
	// not the key), the ended session stays ended.
	if _, err := c.Users.ReactivateUser(ctx(), connect.NewRequest(&zeugov1.ReactivateUserRequest{Id: u.GetId()})); err != nil {
		t.Fatal(err)
	}
	if _, err := byKey.ListCompanies(ctx(), connect.NewRequest(&zeugov1.ListCompaniesRequest{})); err != nil {
		t.Fatalf("key after reactivation: %v", err)
	}
	_, err = env.AuthClient(env.HTTPClient(), apptest.Connect).Refresh(ctx(), connect.NewRequest(&zeugov1.RefreshRequest{
		RefreshToken: login.Msg.GetTokens().GetRefreshToken(), RefreshTokenInBody: true}))
	wantCode(t, err, connect.CodeUnauthenticated, "the ended session after reactivation")
}

// TestEndUserSessionsKeepsTheAccount: an administrator ends every session
// of another user (ASVS V7.4.5): each is refused on its next call, the
// account stays active and signs in again; one's own sessions are ended in
// the account page instead; another tenant's user is NotFound.
func TestEndUserSessionsKeepsTheAccount(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ten := env.CreateTenant("Muster AG", "admin@muster.example")
	c := signIn(t, env, ten)
	role := createRole(t, c, "Personal", zeugov1.Area_AREA_USERS)
	u, m := member(t, env, c, ten, "laptop@muster.example", role.GetId())
	pw := "Lange-Passphrase-" + strconv.Itoa(len("laptop@muster.example")) + "!x"
	second := signInAs(t, env, "laptop@muster.example", pw, apptest.GRPC)
	for _, x := range []*client{m, second} { // both principals remembered
		if _, err := x.Users.ListUsers(ctx(), connect.NewRequest(&zeugov1.ListUsersRequest{})); err != nil {
			t.Fatal(err)
		}
	}
	res, err := c.Users.EndUserSessions(ctx(), connect.NewRequest(&zeugov1.EndUserSessionsRequest{Id: u.GetId()}))
	if err != nil || res.Msg.GetEnded() != 2 {
		t.Fatalf("end sessions: %v, %d ended", err, res.Msg.GetEnded())
	}
	for _, x := range []*client{m, second} {
		_, err := x.Users.ListUsers(ctx(), connect.NewRequest(&zeugov1.ListUsersRequest{}))
		wantCode(t, err, connect.CodeUnauthenticated, "an ended session's next call")
	}
	got, err := c.Users.GetUser(ctx(), connect.NewRequest(&zeugov1.GetUserRequest{Id: u.GetId()}))
	if err != nil || got.Msg.GetUser().GetState() != zeugov1.UserState_USER_STATE_ACTIVE {
		t.Fatalf("the account after its sessions ended: %v %v", got, err)
	}
	signInAs(t, env, "laptop@muster.example", pw, apptest.Connect)
	if auditCount(t, env, ten.TenantID, users.ActionSessionsEnded) != 1 {
		t.Error("ending the sessions is not audited")
	}
	_, err = c.Users.EndUserSessions(ctx(), connect.NewRequest(&zeugov1.EndUserSessionsRequest{Id: ten.AdminID.String()}))
	wantCode(t, err, connect.CodeFailedPrecondition, "ending one's own sessions here")
	other := env.CreateTenant("Andere AG", "admin@andere.example")
	_, err = c.Users.EndUserSessions(ctx(), connect.NewRequest(&zeugov1.EndUserSessionsRequest{Id: other.AdminID.String()}))
	wantCode(t, err, connect.CodeNotFound, "another tenant's user")
}
