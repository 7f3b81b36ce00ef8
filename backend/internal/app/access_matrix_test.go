package app_test

import (
	"context"
	"net/http"
	"slices"
	"sort"
	"strings"
	"testing"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"

	"github.com/zeugo/zeugo/backend/internal/access"
	"github.com/zeugo/zeugo/backend/internal/apptest"
	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
)

// TestEveryRPCRefusesRolesWithoutItsAreas walks every rpc the server
// mounts and, for each that needs areas, calls it as a signed-in user whose
// role grants every area except the rpc's own (and Administrator), and as
// one whose role grants none: each call must be PermissionDenied — decided
// by the rule declared in the proto before the request is even validated,
// so an empty request is enough. A new domain is covered the moment it is
// mounted.
func TestEveryRPCRefusesRolesWithoutItsAreas(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ten := env.CreateTenant("Matrix GmbH", "admin@matrix.example")
	ctx := context.Background()
	hc := env.HTTPClient()
	login, err := env.AuthClient(hc, apptest.Connect).Login(ctx, connect.NewRequest(&zeugov1.LoginRequest{Email: ten.Email, Password: ten.Password}))
	if err != nil {
		t.Fatal(err)
	}
	token := login.Msg.GetTokens().GetAccessToken()

	procedures := make([]string, 0, len(env.App.Rules))
	for proc := range env.App.Rules {
		procedures = append(procedures, proc)
	}
	sort.Strings(procedures)
	setAreas := func(areas []string) {
		t.Helper()
		if _, err := env.DB.Owner.Exec(ctx, `UPDATE roles SET areas = $2, version = version + 1 WHERE tenant_id = $1`, ten.TenantID, areas); err != nil {
			t.Fatal(err)
		}
	}
	call := func(proc string) (int, string) {
		t.Helper()
		// A server-streaming rpc takes an enveloped request and answers
		// HTTP 200 with the error in the end-of-stream message.
		body, contentType := strings.NewReader("{}"), "application/json"
		if streaming(t, proc) {
			body, contentType = strings.NewReader("\x00\x00\x00\x00\x02{}"), "application/connect+json"
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, env.Server.URL+proc, body)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", contentType)
		req.Header.Set("Connect-Protocol-Version", "1")
		req.Header.Set("Authorization", "Bearer "+token)
		res, err := hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var buf [512]byte
		n, _ := res.Body.Read(buf[:])
		return res.StatusCode, string(buf[:n])
	}
	checked := 0
	for _, proc := range procedures {
		rule := env.App.Rules[proc]
		if rule.Level != access.Read && rule.Level != access.Write || len(rule.Areas) == 0 {
			continue
		}
		var others []string
		for _, a := range access.AllAreas {
			if a != access.AreaAdministrator && !slices.Contains(rule.Areas, a) {
				others = append(others, string(a))
			}
		}
		for _, areas := range [][]string{others, {}} {
			setAreas(areas)
			status, body := call(proc)
			want := http.StatusForbidden
			if streaming(t, proc) {
				want = http.StatusOK
			}
			if status != want || !strings.Contains(body, `"permission_denied"`) {
				t.Errorf("%s with areas %v: HTTP %d %s, want permission_denied", proc, areas, status, body)
			}
			checked++
		}
		// The control: with one of its areas the same call gets past the
		// rule (whatever the empty request then earns).
		setAreas([]string{string(rule.Areas[0])})
		if status, body := call(proc); status == http.StatusForbidden || status == http.StatusUnauthorized ||
			strings.Contains(body, `"permission_denied"`) || strings.Contains(body, `"unauthenticated"`) {
			t.Errorf("%s with its area %s: HTTP %d %s, want past the rule", proc, rule.Areas[0], status, body)
		}
	}
	if checked < 2*8 { // OrganizationService alone has more rpcs with areas than that
		t.Fatalf("only %d calls checked; are the services mounted?", checked)
	}
	t.Logf("%d rpc × role combinations refused", checked)
}

// streaming reports whether the rpc of a procedure ("/pkg.Service/Method")
// streams its answer.
func streaming(t *testing.T, proc string) bool {
	t.Helper()
	name := strings.ReplaceAll(strings.TrimPrefix(proc, "/"), "/", ".")
	d, err := protoregistry.GlobalFiles.FindDescriptorByName(protoreflect.FullName(name))
	if err != nil {
		t.Fatal(err)
	}
	return d.(protoreflect.MethodDescriptor).IsStreamingServer()
}
