package rpc_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"buf.build/gen/go/bufbuild/protovalidate/protocolbuffers/go/buf/validate"
	"connectrpc.com/connect"

	"github.com/zeugo/zeugo/backend/internal/apptest"
	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
	"github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1/zeugov1connect"
	"github.com/zeugo/zeugo/backend/internal/rpc"
)

var protocols = []apptest.Protocol{apptest.Connect, apptest.GRPC, apptest.GRPCWeb}

// A gzip bomb (a small compressed body that inflates far beyond the request
// limit) is refused as ResourceExhausted on every protocol, before any
// interceptor, and the server inflates at most the limit plus one byte of it
// — connect-go alone inflates all of it to report the size. Not parallel:
// the inflation counter is global.
func TestGzipBombIsRefusedAfterInflatingOnlyTheLimit(t *testing.T) {
	env := apptest.New(t)
	// 8 MiB of one letter (~8 KiB compressed): eight times the limit, so
	// a server that inflated past the limit would be caught as surely as
	// with a larger bomb, at a quarter of the client's compressing.
	const inflated = 8 * rpc.MaxRequestBytes
	for _, p := range protocols {
		t.Run(p.String(), func(t *testing.T) {
			count, stop := rpc.CountInflated()
			defer stop()
			c := zeugov1connect.NewAuthServiceClient(env.HTTPClient(), env.Server.URL,
				append(apptest.ClientOptions(p), connect.WithSendGzip())...)
			_, err := c.Login(context.Background(), connect.NewRequest(&zeugov1.LoginRequest{
				Email: "bomb@example.org", Password: strings.Repeat("x", inflated)}))
			if connect.CodeOf(err) != connect.CodeResourceExhausted {
				t.Fatalf("gzip bomb: got %v, want ResourceExhausted", err)
			}
			if n := count(); n > rpc.MaxRequestBytes+1 {
				t.Fatalf("the server inflated %d bytes of the bomb; at most %d (the limit + 1) are needed to refuse it", n, rpc.MaxRequestBytes+1)
			} else if n == 0 {
				t.Fatal("the request was not inflated by the server's decompressor at all")
			}
		})
	}
}

// A compressed request within the limit still works (the capped
// decompressor is the only gzip decompressor now).
func TestGzipRequestsWithinTheLimitWork(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ten := env.CreateTenant("Gzip GmbH", "admin@gzip.example")
	for _, p := range protocols {
		c := zeugov1connect.NewAuthServiceClient(env.HTTPClient(), env.Server.URL,
			append(apptest.ClientOptions(p), connect.WithSendGzip())...)
		if _, err := c.Login(context.Background(), connect.NewRequest(&zeugov1.LoginRequest{
			Email: ten.Email, Password: ten.Password})); err != nil {
			t.Fatalf("%s: gzip login: %v", p, err)
		}
	}
}

// rawCall posts body to the Login procedure with contentType and returns the
// status, the error message and the error code as the protocol carries them.
func rawCall(t *testing.T, env *apptest.Env, contentType string, body []byte) (status int, code, message string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, env.Server.URL+"/zeugo.v1.AuthService/Login", bytes.NewReader(body))
	req.Header.Set("Content-Type", contentType)
	if strings.HasPrefix(contentType, "application/grpc") {
		req.Header.Set("Te", "trailers")
	}
	res, err := env.HTTPClient().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	if strings.HasPrefix(contentType, "application/grpc") {
		get := func(k string) string {
			if v := res.Trailer.Get(k); v != "" {
				return v
			}
			return res.Header.Get(k)
		}
		n, _ := strconv.Atoi(get("Grpc-Status"))
		return res.StatusCode, connect.Code(n).String(), get("Grpc-Message")
	}
	var wire struct{ Code, Message string }
	_ = json.Unmarshal(raw, &wire)
	return res.StatusCode, wire.Code, wire.Message
}

func grpcFrame(payload []byte) []byte {
	out := make([]byte, 5+len(payload))
	binary.BigEndian.PutUint32(out[1:5], uint32(len(payload)))
	copy(out[5:], payload)
	return out
}

// A body that does not decode is InvalidArgument with a generic message:
// connect-go's own says "unmarshal into *zeugov1.LoginRequest: …", naming Go
// types and quoting the body.
func TestUndecodableRequestsNameNoGoTypes(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	badProto := []byte{0x0a, 0xff, 0x01, 'g', 'e', 'h', 'e', 'i', 'm'} // field 1, length 255, 6 bytes
	for _, c := range []struct {
		name, contentType string
		body              []byte
	}{
		{"connect json", "application/json", []byte(`{"email": geheim-token}`)},
		{"connect proto", "application/proto", badProto},
		{"grpc", "application/grpc", grpcFrame(badProto)},
		{"grpc-web", "application/grpc-web+proto", grpcFrame(badProto)},
		{"grpc-web json", "application/grpc-web+json", grpcFrame([]byte(`{"email": geheim-token}`))},
	} {
		status, code, msg := rawCall(t, env, c.contentType, c.body)
		if code != connect.CodeInvalidArgument.String() {
			t.Errorf("%s: status %d code %q (%q), want invalid_argument", c.name, status, code, msg)
		}
		if !strings.Contains(msg, "the request could not be decoded") {
			t.Errorf("%s: message %q lacks the generic text", c.name, msg)
		}
		for _, leak := range []string{"zeugov1", "*", "LoginRequest", "geheim", "proto:"} {
			if strings.Contains(msg, leak) {
				t.Errorf("%s: message %q reveals %q", c.name, msg, leak)
			}
		}
	}
}

func signIn(t *testing.T, env *apptest.Env, ten *apptest.Tenant, p apptest.Protocol) zeugov1connect.OrganizationServiceClient {
	t.Helper()
	hc := env.HTTPClient()
	res, err := env.AuthClient(hc, p).Login(context.Background(), connect.NewRequest(&zeugov1.LoginRequest{Email: ten.Email, Password: ten.Password}))
	if err != nil {
		t.Fatalf("login: %v", err)
	}
	return env.OrgClient(hc, p, res.Msg.GetTokens().GetAccessToken())
}

// A NUL character in any text field is InvalidArgument naming the field
// with rule zeugo.no_nul, on every protocol — before, PostgreSQL refused it
// (22021) and the client got Internal. Nothing is stored.
func TestNULInATextFieldIsInvalidArgumentAtTheField(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ten := env.CreateTenant("Nul GmbH", "admin@nul.example")
	for _, p := range protocols {
		org := signIn(t, env, ten, p)
		for _, c := range []struct {
			fields *zeugov1.CompanyFields
			path   string
		}{
			{&zeugov1.CompanyFields{Name: "Nul\x00 GmbH"}, "fields.name"},
			{&zeugov1.CompanyFields{Name: "Nul GmbH", ManagingDirectors: "Erika\x00Muster"}, "fields.managing_directors"},
			{&zeugov1.CompanyFields{Name: "Nul GmbH", Description: "\x00"}, "fields.description"},
		} {
			_, err := org.CreateCompany(context.Background(), connect.NewRequest(&zeugov1.CreateCompanyRequest{Fields: c.fields}))
			var ce *connect.Error
			if !errors.As(err, &ce) || ce.Code() != connect.CodeInvalidArgument {
				t.Fatalf("%s %s: got %v, want InvalidArgument", p, c.path, err)
			}
			found := false
			for _, d := range ce.Details() {
				m, derr := d.Value()
				v, ok := m.(*validate.Violations)
				if derr != nil || !ok {
					continue
				}
				for _, vi := range v.GetViolations() {
					var names []string
					for _, el := range vi.GetField().GetElements() {
						names = append(names, el.GetFieldName())
					}
					if strings.Join(names, ".") == c.path && vi.GetRuleId() == rpc.NoNULRuleID {
						found = true
					}
				}
			}
			if !found {
				t.Errorf("%s %s: no %s violation at the field in %v", p, c.path, rpc.NoNULRuleID, ce.Details())
			}
		}
		list, err := org.ListCompanies(context.Background(), connect.NewRequest(&zeugov1.ListCompaniesRequest{}))
		if err != nil || len(list.Msg.GetCompanies()) != 0 {
			t.Fatalf("%s: companies stored after refusals: %v %v", p, list, err)
		}
	}
}

// A rate-limited answer says when to come back: Retry-After in whole
// seconds up to the end of the limiter's window (the test clock does not
// move, so the value is exact), as an HTTP header for Connect and as
// metadata for gRPC.
func TestRateLimitedAnswersCarryRetryAfter(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	now := env.Clock.Now().UTC()
	want := strconv.Itoa(int((now.Truncate(time.Minute).Add(time.Minute).Sub(now) + time.Second - 1) / time.Second))
	c := env.AuthClient(env.HTTPClient(), apptest.GRPC)
	var last error
	for i := 0; i < 31; i++ { // DefaultPolicy.LoginPerIP: 30 per minute
		_, last = c.Login(context.Background(), connect.NewRequest(&zeugov1.LoginRequest{Email: "niemand@ra.example", Password: "Irgendwas1!"}))
	}
	var ce *connect.Error
	if !errors.As(last, &ce) || ce.Code() != connect.CodeResourceExhausted {
		t.Fatalf("31st attempt: %v, want ResourceExhausted", last)
	}
	if got := ce.Meta().Get("Retry-After"); got != want {
		t.Errorf("gRPC: Retry-After %q, want %q", got, want)
	}
	res, err := env.HTTPClient().Post(env.Server.URL+"/zeugo.v1.AuthService/Login", "application/json",
		strings.NewReader(`{"email":"niemand@ra.example","password":"Irgendwas1!"}`))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") != want {
		t.Errorf("Connect: status %d, Retry-After %q; want 429 and %q", res.StatusCode, res.Header.Get("Retry-After"), want)
	}
}

// logLines parses the server's JSON log.
func logLines(t *testing.T, env *apptest.Env) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(env.Log.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("log line is not JSON: %q", l)
		}
		out = append(out, m)
	}
	return out
}

// A failed login for an unknown email leaves, in the application log, a
// refusal line, the login_failed line and an access log line that all carry
// the request id (the one the client got as X-Request-Id) and the client's
// network — never the email nor the full address (V16.2.1, V16.2.5).
func TestRefusalsAndAccessLogCarryRequestIDAndClientNetwork(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	const email = "unbekannt.jemand@log.example"
	for _, p := range protocols {
		var rid string
		c := zeugov1connect.NewAuthServiceClient(env.HTTPClient(), env.Server.URL, append(apptest.ClientOptions(p),
			connect.WithInterceptors(connect.UnaryInterceptorFunc(func(next connect.UnaryFunc) connect.UnaryFunc {
				return func(ctx context.Context, req connect.AnyRequest) (connect.AnyResponse, error) {
					res, err := next(ctx, req)
					var ce *connect.Error
					if errors.As(err, &ce) {
						rid = ce.Meta().Get("X-Request-Id")
					}
					return res, err
				}
			})))...)
		_, err := c.Login(context.Background(), connect.NewRequest(&zeugov1.LoginRequest{Email: email, Password: "Falsch-123!"}))
		if connect.CodeOf(err) != connect.CodeUnauthenticated || rid == "" {
			t.Fatalf("%s: login: %v (request id %q)", p, err, rid)
		}
		seen := map[string]bool{}
		for _, l := range logLines(t, env) {
			if l["request_id"] != rid {
				continue
			}
			msg, _ := l["message"].(string)
			seen[msg] = true
			if l["client_net"] != "127.0.0.0/24" {
				t.Errorf("%s: %q line: client_net %v, want 127.0.0.0/24", p, msg, l["client_net"])
			}
			if msg == "request" && l["code"] != "unauthenticated" {
				t.Errorf("%s: access log line lacks the RPC code: %v", p, l)
			}
		}
		for _, want := range []string{"request refused", "login failed", "request"} {
			if !seen[want] {
				t.Errorf("%s: no %q line with request id %s in\n%s", p, want, rid, env.Log.String())
			}
		}
	}
	if text := env.Log.String(); strings.Contains(text, email) || strings.Contains(text, "unbekannt") || strings.Contains(text, "127.0.0.1") {
		t.Errorf("the log holds the email or the full client address:\n%s", text)
	}
}

// Health and reflection answer before any authentication: a gzip bomb sent
// to them must be refused by the same capped decompressor.
func TestGzipBombOnHealthAndReflectionIsRefusedToo(t *testing.T) {
	env := apptest.New(t)
	var bomb bytes.Buffer
	zw := gzip.NewWriter(&bomb)
	_, _ = zw.Write(make([]byte, 8*rpc.MaxRequestBytes)) // eight times the limit, as above
	_ = zw.Close()
	for _, path := range []string{"/grpc.health.v1.Health/Check", "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo"} {
		t.Run(path, func(t *testing.T) {
			count, stop := rpc.CountInflated()
			defer stop()
			ct := "application/proto"
			if strings.Contains(path, "Reflection") {
				ct = "application/grpc" // reflection is a stream: gRPC framing, compressed flag set
			}
			body := bomb.Bytes()
			req, _ := http.NewRequest(http.MethodPost, env.Server.URL+path, bytes.NewReader(body))
			req.Header.Set("Content-Type", ct)
			if ct == "application/grpc" {
				framed := make([]byte, 5+len(body))
				framed[0] = 1
				binary.BigEndian.PutUint32(framed[1:5], uint32(len(body)))
				copy(framed[5:], body)
				req, _ = http.NewRequest(http.MethodPost, env.Server.URL+path, bytes.NewReader(framed))
				req.Header.Set("Content-Type", ct)
				req.Header.Set("Grpc-Encoding", "gzip")
				req.Header.Set("Te", "trailers")
			} else {
				req.Header.Set("Content-Encoding", "gzip")
			}
			res, err := env.HTTPClient().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode == http.StatusOK && res.Header.Get("Grpc-Status") == "0" {
				t.Fatal("the bomb was answered with success")
			}
			if n := count(); n == 0 || n > rpc.MaxRequestBytes+1 {
				t.Fatalf("inflated %d bytes through the capped decompressor; want 1..%d", n, rpc.MaxRequestBytes+1)
			}
		})
	}
}
