package apikey_test

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"buf.build/gen/go/bufbuild/protovalidate/protocolbuffers/go/buf/validate"
	"connectrpc.com/connect"
	"github.com/jackc/pgx/v5"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/zeugo/zeugo/backend/internal/apptest"
	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
	"github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1/zeugov1connect"
)

// fixture is a tenant with its administrator signed in.
type fixture struct {
	env  *apptest.Env
	ten  *apptest.Tenant
	keys zeugov1connect.ApiKeyServiceClient
}

func setup(t *testing.T, opts ...apptest.Options) *fixture {
	t.Helper()
	env := apptest.New(t, opts...)
	return &fixture{env: env, ten: env.CreateTenant("Muster AG", "hr@muster-ag.example")}
}

func (f *fixture) signIn(t *testing.T, ten *apptest.Tenant) zeugov1connect.ApiKeyServiceClient {
	t.Helper()
	hc := f.env.HTTPClient()
	res, err := f.env.AuthClient(hc, apptest.Connect).Login(context.Background(),
		connect.NewRequest(&zeugov1.LoginRequest{Email: ten.Email, Password: ten.Password}))
	if err != nil {
		t.Fatalf("login: %v", err)
	}
	return zeugov1connect.NewApiKeyServiceClient(hc, f.env.Server.URL, connect.WithInterceptors(apptest.Bearer(res.Msg.GetTokens().GetAccessToken())))
}

func (f *fixture) admin(t *testing.T) zeugov1connect.ApiKeyServiceClient {
	t.Helper()
	if f.keys == nil {
		f.keys = f.signIn(t, f.ten)
	}
	return f.keys
}

func orgScope(a zeugov1.ApiKeyAccess) []*zeugov1.ApiKeyScope {
	return []*zeugov1.ApiKeyScope{{Service: "organization", Access: a}}
}

// create makes a key with req (name and scopes filled in when empty) and
// returns its id and token.
func (f *fixture) create(t *testing.T, req *zeugov1.CreateApiKeyRequest) (string, string) {
	t.Helper()
	if req.Name == "" {
		req.Name = "Personio-Import"
	}
	if req.Scopes == nil {
		req.Scopes = orgScope(zeugov1.ApiKeyAccess_API_KEY_ACCESS_READ)
	}
	res, err := f.admin(t).CreateApiKey(context.Background(), connect.NewRequest(req))
	if err != nil {
		t.Fatalf("create key: %v", err)
	}
	return res.Msg.GetApiKey().GetId(), res.Msg.GetSecret()
}

// org is an OrganizationService client that authenticates with token.
func (f *fixture) org(p apptest.Protocol, token string) zeugov1connect.OrganizationServiceClient {
	return f.env.OrgClient(f.env.HTTPClient(), p, token)
}

func listCompanies(c zeugov1connect.OrganizationServiceClient) error {
	_, err := c.ListCompanies(context.Background(), connect.NewRequest(&zeugov1.ListCompaniesRequest{}))
	return err
}

func createCompany(c zeugov1connect.OrganizationServiceClient, name string) error {
	_, err := c.CreateCompany(context.Background(), connect.NewRequest(&zeugov1.CreateCompanyRequest{
		Fields: &zeugov1.CompanyFields{Name: name}}))
	return err
}

func wantCode(t *testing.T, what string, err error, code connect.Code) {
	t.Helper()
	if connect.CodeOf(err) != code {
		t.Fatalf("%s: got %v, want %v", what, err, code)
	}
}

// keyEvents are the audit events about API keys: action and reason.
func (f *fixture) keyEvents(t *testing.T) []string {
	t.Helper()
	rows, err := f.env.DB.Owner.Query(context.Background(), `SELECT action || coalesce(':' || (details::jsonb ->> 'reason'), '')
		FROM audit_events WHERE tenant_id = $1 AND action LIKE 'apikey.%' ORDER BY seq`, f.ten.TenantID)
	if err != nil {
		t.Fatal(err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func count(events []string, want string) int {
	n := 0
	for _, e := range events {
		if e == want {
			n++
		}
	}
	return n
}

func (f *fixture) sql(t *testing.T, stmt string, args ...any) {
	t.Helper()
	f.env.AsOwner(f.ten.TenantID, func(tx pgx.Tx) error {
		_, err := tx.Exec(context.Background(), stmt, args...)
		return err
	})
}

func TestKeyCallsOverConnectAndGRPC(t *testing.T) {
	t.Parallel()
	f := setup(t)
	_, tok := f.create(t, &zeugov1.CreateApiKeyRequest{Scopes: orgScope(zeugov1.ApiKeyAccess_API_KEY_ACCESS_WRITE)})
	if !strings.HasPrefix(tok, "zk_"+hex.EncodeToString(f.ten.TenantID[:])+"_") {
		t.Fatalf("token %q does not name its tenant", tok[:40])
	}
	for _, p := range []apptest.Protocol{apptest.Connect, apptest.GRPC} {
		c := f.org(p, tok)
		for i := range 3 { // cold, then from memory with the check pipelined
			if err := listCompanies(c); err != nil {
				t.Fatalf("%s call %d: %v", p, i, err)
			}
		}
		if err := createCompany(c, "Über "+p.String()+" GmbH"); err != nil {
			t.Fatalf("%s write with a write scope: %v", p, err)
		}
	}
	// The company was created by the key (actor in the audit log).
	var n int
	if err := f.env.DB.Owner.QueryRow(context.Background(), `SELECT count(*) FROM audit_events
		WHERE tenant_id = $1 AND action = 'organization.company.created' AND actor_type = 'api_key'`, f.ten.TenantID).Scan(&n); err != nil || n != 2 {
		t.Fatalf("company events by the key = %d, %v", n, err)
	}
}

func TestReadScopeCannotWrite(t *testing.T) {
	t.Parallel()
	f := setup(t)
	_, tok := f.create(t, &zeugov1.CreateApiKeyRequest{})
	c := f.org(apptest.Connect, tok)
	if err := listCompanies(c); err != nil {
		t.Fatal(err)
	}
	wantCode(t, "write with a read scope", createCompany(c, "Nein GmbH"), connect.CodePermissionDenied)
	if got := f.keyEvents(t); count(got, "apikey.refused:scope") != 1 {
		t.Fatalf("events = %v", got)
	}
}

func TestWrongScopeAndRPCWithoutKeyActors(t *testing.T) {
	t.Parallel()
	f := setup(t)
	id, tok := f.create(t, &zeugov1.CreateApiKeyRequest{})
	// A scope of another service (written directly: no such service admits
	// keys yet, so the API would not grant it).
	f.sql(t, `UPDATE api_keys SET scopes = '{employee:write}' WHERE id = $1`, id)
	wantCode(t, "wrong scope", listCompanies(f.org(apptest.GRPC, tok)), connect.CodePermissionDenied)

	// ApiKeyService admits users only, whatever the key's scopes.
	_, tok2 := f.create(t, &zeugov1.CreateApiKeyRequest{Scopes: orgScope(zeugov1.ApiKeyAccess_API_KEY_ACCESS_WRITE)})
	kc := zeugov1connect.NewApiKeyServiceClient(f.env.HTTPClient(), f.env.Server.URL, connect.WithInterceptors(apptest.Bearer(tok2)))
	_, err := kc.ListApiKeys(context.Background(), connect.NewRequest(&zeugov1.ListApiKeysRequest{}))
	wantCode(t, "rpc without API-key actors", err, connect.CodePermissionDenied)
	got := f.keyEvents(t)
	if count(got, "apikey.refused:scope") != 1 || count(got, "apikey.refused:actor") != 1 {
		t.Fatalf("events = %v", got)
	}
}

func TestExpiredKeyIsRefused(t *testing.T) {
	t.Parallel()
	f := setup(t)
	_, tok := f.create(t, &zeugov1.CreateApiKeyRequest{ExpireTime: timestamppb.New(time.Now().Add(time.Hour))})
	c := f.org(apptest.Connect, tok)
	for range 2 {
		if err := listCompanies(c); err != nil {
			t.Fatal(err)
		}
	}
	f.env.Clock.Advance(2 * time.Hour)
	wantCode(t, "expired (cache warm)", listCompanies(c), connect.CodeUnauthenticated)
	wantCode(t, "expired (gRPC)", listCompanies(f.org(apptest.GRPC, tok)), connect.CodeUnauthenticated)
	if got := f.keyEvents(t); count(got, "apikey.refused:expired") != 2 {
		t.Fatalf("events = %v", got)
	}
}

func TestAllowList(t *testing.T) {
	t.Parallel()
	f := setup(t)
	_, outside := f.create(t, &zeugov1.CreateApiKeyRequest{AllowedCidrs: []string{"203.0.113.0/24", "2001:db8::/48"}})
	wantCode(t, "outside the allow-list", listCompanies(f.org(apptest.Connect, outside)), connect.CodeUnauthenticated)
	wantCode(t, "outside the allow-list (gRPC)", listCompanies(f.org(apptest.GRPC, outside)), connect.CodeUnauthenticated)
	_, inside := f.create(t, &zeugov1.CreateApiKeyRequest{AllowedCidrs: []string{"203.0.113.0/24", "127.0.0.0/8"}})
	for range 2 {
		if err := listCompanies(f.org(apptest.Connect, inside)); err != nil {
			t.Fatalf("inside the allow-list: %v", err)
		}
	}
	if got := f.keyEvents(t); count(got, "apikey.refused:outside_allow_list") != 2 {
		t.Fatalf("events = %v", got)
	}
}

func TestRevokedWhileInUse(t *testing.T) {
	t.Parallel()
	f := setup(t)
	id, tok := f.create(t, &zeugov1.CreateApiKeyRequest{})
	c := f.org(apptest.Connect, tok)
	for range 3 { // the principal is remembered now
		if err := listCompanies(c); err != nil {
			t.Fatal(err)
		}
	}
	res, err := f.admin(t).RevokeApiKey(context.Background(), connect.NewRequest(&zeugov1.RevokeApiKeyRequest{Id: id}))
	if err != nil || res.Msg.GetApiKey().GetState() != zeugov1.ApiKeyState_API_KEY_STATE_REVOKED {
		t.Fatalf("revoke: %v %v", res, err)
	}
	wantCode(t, "the very next call", listCompanies(c), connect.CodeUnauthenticated)
	wantCode(t, "a write", createCompany(c, "Nein GmbH"), connect.CodeUnauthenticated)
	// Revoking again changes nothing and records nothing.
	if _, err := f.admin(t).RevokeApiKey(context.Background(), connect.NewRequest(&zeugov1.RevokeApiKeyRequest{Id: id})); err != nil {
		t.Fatal(err)
	}
	got := f.keyEvents(t)
	if count(got, "apikey.revoked") != 1 || count(got, "apikey.refused:revoked") != 2 {
		t.Fatalf("events = %v", got)
	}
}

func TestOwnerDeactivatedOrLockedStopsTheKey(t *testing.T) {
	t.Parallel()
	for _, status := range []string{"deactivated", "locked"} {
		t.Run(status, func(t *testing.T) {
			t.Parallel()
			f := setup(t)
			_, tok := f.create(t, &zeugov1.CreateApiKeyRequest{})
			c := f.org(apptest.GRPC, tok)
			for range 2 {
				if err := listCompanies(c); err != nil {
					t.Fatal(err)
				}
			}
			f.sql(t, `UPDATE users SET status = $1, authz_version = authz_version + 1 WHERE id = $2`, status, f.ten.AdminID)
			wantCode(t, "next call", listCompanies(c), connect.CodeUnauthenticated)
			if got := f.keyEvents(t); count(got, "apikey.refused:owner_"+status) != 1 {
				t.Fatalf("events = %v", got)
			}
		})
	}
}

func TestKeyNeverExceedsItsUser(t *testing.T) {
	t.Parallel()
	f := setup(t)
	_, tok := f.create(t, &zeugov1.CreateApiKeyRequest{Scopes: orgScope(zeugov1.ApiKeyAccess_API_KEY_ACCESS_WRITE)})
	c := f.org(apptest.Connect, tok)
	if err := listCompanies(c); err != nil {
		t.Fatal(err)
	}
	// The user's role now grants API keys only: the key keeps its scope but
	// loses the areas, on its very next call.
	f.sql(t, `INSERT INTO roles (id, tenant_id, name, areas, created_at, updated_at)
		VALUES ('00000000-0000-7000-8000-000000000001', $1, 'Schnittstellen', '{api_keys}', now(), now())`, f.ten.TenantID)
	f.sql(t, `UPDATE users SET role_id = '00000000-0000-7000-8000-000000000001', authz_version = authz_version + 1 WHERE id = $1`, f.ten.AdminID)
	wantCode(t, "user lacks the area", listCompanies(c), connect.CodePermissionDenied)
	if got := f.keyEvents(t); count(got, "apikey.refused:area") != 1 {
		t.Fatalf("events = %v", got)
	}
}

func TestUseIsAuditedOncePerMinute(t *testing.T) {
	t.Parallel()
	f := setup(t)
	_, tok := f.create(t, &zeugov1.CreateApiKeyRequest{})
	c := f.org(apptest.Connect, tok)
	for range 5 {
		if err := listCompanies(c); err != nil {
			t.Fatal(err)
		}
	}
	if got := f.keyEvents(t); count(got, "apikey.used") != 1 {
		t.Fatalf("after 5 calls: %v", got)
	}
	f.env.Clock.Advance(30 * time.Second)
	if err := listCompanies(c); err != nil {
		t.Fatal(err)
	}
	if got := f.keyEvents(t); count(got, "apikey.used") != 1 {
		t.Fatalf("within the minute: %v", got)
	}
	f.env.Clock.Advance(31 * time.Second)
	for range 3 {
		if err := listCompanies(c); err != nil {
			t.Fatal(err)
		}
	}
	if got := f.keyEvents(t); count(got, "apikey.used") != 2 {
		t.Fatalf("a minute later: %v", got)
	}
	list, err := f.admin(t).ListApiKeys(context.Background(), connect.NewRequest(&zeugov1.ListApiKeysRequest{}))
	if err != nil {
		t.Fatal(err)
	}
	if lu := list.Msg.GetApiKeys()[0].GetLastUseTime(); !lu.AsTime().Equal(f.env.Clock.Now().UTC()) {
		t.Fatalf("last use = %v, want %v", lu.AsTime(), f.env.Clock.Now())
	}
}

func TestSecretIsShownOnce(t *testing.T) {
	t.Parallel()
	f := setup(t)
	id, tok := f.create(t, &zeugov1.CreateApiKeyRequest{Name: "Lohnbuchhaltung", AllowedCidrs: []string{"10.0.0.0/8"},
		ExpireTime: timestamppb.New(time.Now().Add(24 * time.Hour))})
	list, err := f.admin(t).ListApiKeys(context.Background(), connect.NewRequest(&zeugov1.ListApiKeysRequest{}))
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := proto.Marshal(list.Msg)
	if strings.Contains(string(raw), tok[len(tok)-43:]) || strings.Contains(string(raw), tok) {
		t.Fatal("the list carries the secret")
	}
	k := list.Msg.GetApiKeys()[0]
	if k.GetId() != id || k.GetName() != "Lohnbuchhaltung" || k.GetPrefix() != tok[3+32+1:3+32+1+12] ||
		k.GetCreatedByName() == "" || k.GetState() != zeugov1.ApiKeyState_API_KEY_STATE_ACTIVE ||
		len(k.GetAllowedCidrs()) != 1 || k.GetExpireTime() == nil || k.GetLastUseTime() != nil ||
		len(k.GetScopes()) != 1 || k.GetScopes()[0].GetService() != "organization" {
		t.Fatalf("listed = %v", k)
	}
	var hash []byte
	if err := f.env.DB.Owner.QueryRow(context.Background(), `SELECT secret_hash FROM api_keys WHERE id = $1`, id).Scan(&hash); err != nil || len(hash) != 32 {
		t.Fatalf("stored hash: %x %v", hash, err)
	}
}

func TestTenantIsolation(t *testing.T) {
	t.Parallel()
	f := setup(t)
	other := f.env.CreateTenant("Beispiel GmbH", "hr@beispiel.example")
	id, tok := f.create(t, &zeugov1.CreateApiKeyRequest{})
	b := f.signIn(t, other)
	list, err := b.ListApiKeys(context.Background(), connect.NewRequest(&zeugov1.ListApiKeysRequest{}))
	if err != nil || len(list.Msg.GetApiKeys()) != 0 || list.Msg.GetPage().GetTotalSize() != 0 {
		t.Fatalf("other tenant's list: %v %v", list, err)
	}
	_, err = b.RevokeApiKey(context.Background(), connect.NewRequest(&zeugov1.RevokeApiKeyRequest{Id: id}))
	wantCode(t, "revoke another tenant's key", err, connect.CodeNotFound)
	// The key's prefix and secret under the other tenant's name.
	forged := "zk_" + hex.EncodeToString(other.TenantID[:]) + tok[3+32:]
	wantCode(t, "forged tenant", listCompanies(f.org(apptest.Connect, forged)), connect.CodeUnauthenticated)
	// The key still works in its own tenant.
	if err := listCompanies(f.org(apptest.Connect, tok)); err != nil {
		t.Fatal(err)
	}
	// A wrong secret for a real prefix is refused and attributed to nobody.
	bad := []byte(tok)
	if bad[len(bad)-5] == 'A' {
		bad[len(bad)-5] = 'B'
	} else {
		bad[len(bad)-5] = 'A'
	}
	wantCode(t, "bad secret", listCompanies(f.org(apptest.Connect, string(bad))), connect.CodeUnauthenticated)
	if got := f.keyEvents(t); count(got, "apikey.refused:bad_secret") != 1 {
		t.Fatalf("events = %v", got)
	}
}

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
				var parts []string
				for _, el := range vi.GetField().GetElements() {
					parts = append(parts, el.GetFieldName())
				}
				out[strings.Join(parts, ".")] = vi.GetRuleId()
			}
		}
	}
	return out
}

func TestCreateValidation(t *testing.T) {
	t.Parallel()
	f := setup(t)
	cases := []struct {
		name  string
		req   *zeugov1.CreateApiKeyRequest
		field string
	}{
		{"host bits", &zeugov1.CreateApiKeyRequest{AllowedCidrs: []string{"203.0.113.7/24"}}, "allowed_cidrs"},
		{"no cidr", &zeugov1.CreateApiKeyRequest{AllowedCidrs: []string{"203.0.113.7"}}, "allowed_cidrs"},
		{"unknown service", &zeugov1.CreateApiKeyRequest{Scopes: []*zeugov1.ApiKeyScope{{Service: "certificate", Access: zeugov1.ApiKeyAccess_API_KEY_ACCESS_READ}}}, "scopes"},
		{"twice", &zeugov1.CreateApiKeyRequest{Scopes: append(orgScope(zeugov1.ApiKeyAccess_API_KEY_ACCESS_READ), orgScope(zeugov1.ApiKeyAccess_API_KEY_ACCESS_WRITE)...)}, "scopes"},
		{"past", &zeugov1.CreateApiKeyRequest{ExpireTime: timestamppb.New(time.Now().Add(-time.Minute))}, "expire_time"},
		{"three years", &zeugov1.CreateApiKeyRequest{ExpireTime: timestamppb.New(time.Now().Add(3 * 365 * 24 * time.Hour))}, "expire_time"},
	}
	for _, tc := range cases {
		if tc.req.Name == "" {
			tc.req.Name = "Test"
		}
		if tc.req.Scopes == nil {
			tc.req.Scopes = orgScope(zeugov1.ApiKeyAccess_API_KEY_ACCESS_READ)
		}
		_, err := f.admin(t).CreateApiKey(context.Background(), connect.NewRequest(tc.req))
		wantCode(t, tc.name, err, connect.CodeInvalidArgument)
		if v := violations(t, err); v[tc.field] == "" {
			t.Errorf("%s: violations %v, want one on %s", tc.name, v, tc.field)
		}
	}
	if got := f.keyEvents(t); len(got) != 0 {
		t.Fatalf("refused creations left events: %v", got)
	}
}

func TestScopesFollowTheRules(t *testing.T) {
	t.Parallel()
	f := setup(t)
	res, err := f.admin(t).ListApiKeyScopes(context.Background(), connect.NewRequest(&zeugov1.ListApiKeyScopesRequest{}))
	if err != nil {
		t.Fatal(err)
	}
	s := res.Msg.GetScopes()
	// Sorted by name; CertificateService, EmployeeService and
	// HandoverService name their scopes in the proto (option
	// api_key_scope), the others are derived. HandoverRecipientService
	// admits no API key, so it has no scope.
	if len(s) != 4 || s[0].GetService() != "certificates" || s[0].GetServiceFullName() != zeugov1connect.CertificateServiceName ||
		s[1].GetService() != "employees" || s[1].GetServiceFullName() != zeugov1connect.EmployeeServiceName ||
		s[2].GetService() != "handovers" || s[2].GetServiceFullName() != zeugov1connect.HandoverServiceName ||
		s[3].GetService() != "organization" || s[3].GetServiceFullName() != zeugov1connect.OrganizationServiceName {
		t.Fatalf("scopes = %v", s)
	}
	for _, o := range s {
		if !o.GetRead() || !o.GetWrite() {
			t.Errorf("scope %s: read %v write %v, want both", o.GetService(), o.GetRead(), o.GetWrite())
		}
	}
}

// TestKeyCostsWhatASessionCosts proves the pipelining: a call by API key
// whose principal is remembered takes as many database round trips as the
// same call by session.
func TestKeyCostsWhatASessionCosts(t *testing.T) {
	t.Parallel()
	trips := &apptest.TripCounter{}
	f := setup(t, apptest.Options{Trips: trips})
	_, tok := f.create(t, &zeugov1.CreateApiKeyRequest{})
	hc := f.env.HTTPClient()
	res, err := f.env.AuthClient(hc, apptest.Connect).Login(context.Background(),
		connect.NewRequest(&zeugov1.LoginRequest{Email: f.ten.Email, Password: f.ten.Password}))
	if err != nil {
		t.Fatal(err)
	}
	measure := func(c zeugov1connect.OrganizationServiceClient) int64 {
		for range 2 { // warm: keys, cache, use recorded
			if err := listCompanies(c); err != nil {
				t.Fatal(err)
			}
		}
		trips.Take()
		if err := listCompanies(c); err != nil {
			t.Fatal(err)
		}
		return trips.Take()
	}
	session := measure(f.env.OrgClient(hc, apptest.Connect, res.Msg.GetTokens().GetAccessToken()))
	key := measure(f.org(apptest.Connect, tok))
	if key != session || key != 1 {
		t.Fatalf("round trips: key %d, session %d (want both 1)", key, session)
	}
}

func TestRefusalsPerAddressAreBounded(t *testing.T) {
	t.Parallel()
	f := setup(t)
	_, tok := f.create(t, &zeugov1.CreateApiKeyRequest{})
	warm := f.org(apptest.Connect, tok)
	if err := listCompanies(warm); err != nil {
		t.Fatal(err)
	}
	// Made-up keys of the tenant: each is checked and refused until the
	// address has had its 30 refusals.
	for i := range 30 {
		forged := tok[:36] + "zzzzzzzzzz" + string(rune('a'+i/26)) + string(rune('a'+i%26)) + tok[48:]
		wantCode(t, fmt.Sprintf("made-up key %d", i), listCompanies(f.org(apptest.Connect, forged)), connect.CodeUnauthenticated)
	}
	_, fresh := f.create(t, &zeugov1.CreateApiKeyRequest{})
	wantCode(t, "31st check from the address", listCompanies(f.org(apptest.Connect, fresh)), connect.CodeResourceExhausted)
	// A key checked a moment ago keeps working from memory.
	if err := listCompanies(warm); err != nil {
		t.Fatalf("remembered key: %v", err)
	}
	f.env.Clock.Advance(11 * time.Minute)
	if err := listCompanies(f.org(apptest.Connect, fresh)); err != nil {
		t.Fatalf("after the window: %v", err)
	}
}

func TestTenantStateActsOnTheNextCall(t *testing.T) {
	t.Parallel()
	f := setup(t)
	_, tok := f.create(t, &zeugov1.CreateApiKeyRequest{Scopes: orgScope(zeugov1.ApiKeyAccess_API_KEY_ACCESS_WRITE)})
	c := f.org(apptest.GRPC, tok)
	if err := createCompany(c, "Vorher GmbH"); err != nil {
		t.Fatal(err)
	}
	// Terminated: the key still reads, but writes are refused (read-only).
	f.sql(t, `UPDATE tenants SET status = 'terminated' WHERE id = $1`, f.ten.TenantID)
	if err := listCompanies(c); err != nil {
		t.Fatalf("read while terminated: %v", err)
	}
	wantCode(t, "write while terminated", createCompany(c, "Nachher GmbH"), connect.CodeFailedPrecondition)
	// Purged: the key is refused like any unknown credential.
	f.sql(t, `UPDATE tenants SET status = 'purged' WHERE id = $1`, f.ten.TenantID)
	wantCode(t, "purged tenant", listCompanies(c), connect.CodeUnauthenticated)
	if got := f.keyEvents(t); count(got, "apikey.refused:read_only") != 1 {
		t.Fatalf("events = %v", got)
	}
}

func TestListPagesByNameAndCreation(t *testing.T) {
	t.Parallel()
	f := setup(t)
	for _, name := range []string{"Beta", "alpha", "Gamma", "delta", "Epsilon"} {
		f.create(t, &zeugov1.CreateApiKeyRequest{Name: name})
		f.env.Clock.Advance(time.Second)
	}
	walk := func(req *zeugov1.ListApiKeysRequest) []string {
		var names []string
		for {
			res, err := f.admin(t).ListApiKeys(context.Background(), connect.NewRequest(req))
			if err != nil {
				t.Fatal(err)
			}
			if res.Msg.GetPage().GetTotalSize() != 5 && req.GetQuery() == "" {
				t.Fatalf("total = %d", res.Msg.GetPage().GetTotalSize())
			}
			for _, k := range res.Msg.GetApiKeys() {
				names = append(names, k.GetName())
			}
			if res.Msg.GetPage().GetNextPageToken() == "" {
				return names
			}
			req.Page = &zeugov1.PageRequest{PageSize: 2, PageToken: res.Msg.GetPage().GetNextPageToken()}
		}
	}
	got := walk(&zeugov1.ListApiKeysRequest{OrderBy: zeugov1.ApiKeyOrder_API_KEY_ORDER_NAME, Page: &zeugov1.PageRequest{PageSize: 2}})
	if strings.Join(got, ",") != "alpha,Beta,delta,Epsilon,Gamma" {
		t.Fatalf("by name: %v", got)
	}
	got = walk(&zeugov1.ListApiKeysRequest{Direction: zeugov1.SortDirection_SORT_DIRECTION_DESCENDING, Page: &zeugov1.PageRequest{PageSize: 2}})
	if strings.Join(got, ",") != "Epsilon,delta,Gamma,alpha,Beta" {
		t.Fatalf("newest first: %v", got)
	}
	got = walk(&zeugov1.ListApiKeysRequest{Query: "ta"})
	if strings.Join(got, ",") != "Beta,delta" {
		t.Fatalf("search: %v", got)
	}
}
