package users_test

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"testing"

	"buf.build/gen/go/bufbuild/protovalidate/protocolbuffers/go/buf/validate"
	"connectrpc.com/connect"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/rs/zerolog"

	"github.com/zeugo/zeugo/backend/internal/apptest"
	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
	"github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1/zeugov1connect"
	"github.com/zeugo/zeugo/backend/internal/outbox"
	"github.com/zeugo/zeugo/backend/internal/smtptest"
)

// client is one signed-in browser: its token and the clients of the
// services under test.
type client struct {
	Token string
	Users zeugov1connect.UserServiceClient
	Roles zeugov1connect.RoleServiceClient
	Org   zeugov1connect.OrganizationServiceClient
}

func clientFor(env *apptest.Env, hc *http.Client, p apptest.Protocol, token string) *client {
	opts := append(apptest.ClientOptions(p), connect.WithInterceptors(apptest.Bearer(token)))
	return &client{Token: token,
		Users: zeugov1connect.NewUserServiceClient(hc, env.Server.URL, opts...),
		Roles: zeugov1connect.NewRoleServiceClient(hc, env.Server.URL, opts...),
		Org:   env.OrgClient(hc, p, token)}
}

func signInAs(t *testing.T, env *apptest.Env, email, password string, p apptest.Protocol) *client {
	t.Helper()
	hc := env.HTTPClient()
	res, err := env.AuthClient(hc, p).Login(context.Background(), connect.NewRequest(&zeugov1.LoginRequest{Email: email, Password: password}))
	if err != nil {
		t.Fatalf("login %s: %v", email, err)
	}
	return clientFor(env, hc, p, res.Msg.GetTokens().GetAccessToken())
}

func signIn(t *testing.T, env *apptest.Env, ten *apptest.Tenant) *client {
	t.Helper()
	return signInAs(t, env, ten.Email, ten.Password, apptest.Connect)
}

func ctx() context.Context { return context.Background() }

func code(err error) connect.Code {
	if err == nil {
		return 0
	}
	return connect.CodeOf(err)
}

func wantCode(t *testing.T, err error, want connect.Code, what string) {
	t.Helper()
	if got := code(err); got != want {
		t.Fatalf("%s: got %v (%v), want %v", what, got, err, want)
	}
}

// violations returns field path → rule id of a Connect error's details.
func violations(t *testing.T, err error) map[string]string {
	t.Helper()
	var ce *connect.Error
	if !errors.As(err, &ce) {
		t.Fatalf("not a connect error: %v", err)
	}
	out := map[string]string{}
	for _, d := range ce.Details() {
		m, derr := d.Value()
		if derr != nil {
			continue
		}
		if v, ok := m.(*validate.Violations); ok {
			for _, vi := range v.GetViolations() {
				path := ""
				for i, el := range vi.GetField().GetElements() {
					if i > 0 {
						path += "."
					}
					path += el.GetFieldName()
				}
				if _, seen := out[path]; !seen {
					out[path] = vi.GetRuleId()
				}
			}
		}
	}
	return out
}

// adminRoleID is the tenant's builtin Administrator role.
func adminRoleID(t *testing.T, c *client) string {
	t.Helper()
	res, err := c.Roles.ListRoles(ctx(), connect.NewRequest(&zeugov1.ListRolesRequest{}))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res.Msg.GetRoles() {
		if r.GetBuiltin() {
			return r.GetId()
		}
	}
	t.Fatal("no builtin role")
	return ""
}

func createRole(t *testing.T, c *client, name string, areas ...zeugov1.Area) *zeugov1.Role {
	t.Helper()
	res, err := c.Roles.CreateRole(ctx(), connect.NewRequest(&zeugov1.CreateRoleRequest{Fields: &zeugov1.RoleFields{Name: name, Areas: areas}}))
	if err != nil {
		t.Fatalf("create role %s: %v", name, err)
	}
	return res.Msg.GetRole()
}

func fields(first, last, roleID string) *zeugov1.UserFields {
	return &zeugov1.UserFields{FirstName: first, LastName: last, Language: "de", RoleId: roleID,
		CertificateAccess: &zeugov1.CertificateAccess{All: true}}
}

func invite(t *testing.T, c *client, email string, f *zeugov1.UserFields) *zeugov1.User {
	t.Helper()
	res, err := c.Users.InviteUser(ctx(), connect.NewRequest(&zeugov1.InviteUserRequest{Email: email, Fields: f}))
	if err != nil {
		t.Fatalf("invite %s: %v", email, err)
	}
	return res.Msg.GetUser()
}

// activate stands in for the registration (another package's rpc): the
// invited user gets a password and becomes active, as registering does.
func activate(t *testing.T, env *apptest.Env, tenantID uuid.UUID, userID, password string) {
	t.Helper()
	hash, err := env.App.Hasher.Hash(ctx(), password)
	if err != nil {
		t.Fatal(err)
	}
	env.AsOwner(tenantID, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx(), `UPDATE users SET status = 'active', password_hash = $2, password_changed_at = now(),
			authz_version = authz_version + 1 WHERE id = $1 AND status = 'invited'`, userID, hash)
		return err
	})
}

// member invites a user with role roleID, activates it and signs it in.
func member(t *testing.T, env *apptest.Env, admin *client, ten *apptest.Tenant, email, roleID string) (*zeugov1.User, *client) {
	t.Helper()
	u := invite(t, admin, email, fields("Erika", "Muster", roleID))
	pw := "Lange-Passphrase-" + strconv.Itoa(len(email)) + "!x"
	activate(t, env, ten.TenantID, u.GetId(), pw)
	return u, signInAs(t, env, email, pw, apptest.Connect)
}

func auditCount(t *testing.T, env *apptest.Env, tenantID uuid.UUID, action string) int {
	t.Helper()
	var n int
	if err := env.DB.Owner.QueryRow(ctx(), `SELECT count(*) FROM audit_events WHERE tenant_id = $1 AND ($2 = '' OR action = $2)`,
		tenantID, action).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// mailServer is an in-process SMTP server with STARTTLS (smtptest).
type mailServer struct{ *smtptest.Server }

func newMailServer(t testing.TB) *mailServer { return &mailServer{smtptest.New(t)} }

// outbox is an outbox over the server's database that delivers to s.
func (s *mailServer) outbox(env *apptest.Env) *outbox.Outbox {
	return outbox.New(outbox.Deps{DB: env.App.DB, Keys: env.App.Keys, Now: env.Clock.Now, Log: zerolog.Nop(),
		Mailer: s.Mailer(), From: "zeugo@zeugo.example", Audit: env.App.Audit})
}

// received is a mail taken apart: its recipient and plain-text part.
type received struct {
	To, Subject, Plain string
}

func (s *mailServer) received(t *testing.T) []received {
	t.Helper()
	var out []received
	for _, m := range s.Mails() {
		p := smtptest.Parse(t, m.Data)
		out = append(out, received{To: p.Header.Get("To"), Subject: p.Subject, Plain: p.Plain})
	}
	return out
}
