package keyring_test

import (
	"context"
	"crypto/tls"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"connectrpc.com/connect"
	"github.com/rs/zerolog"

	"github.com/zeugo/zeugo/backend/internal/app"
	"github.com/zeugo/zeugo/backend/internal/apptest"
	"github.com/zeugo/zeugo/backend/internal/audit"
	"github.com/zeugo/zeugo/backend/internal/config"
	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
	"github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1/zeugov1connect"
	"github.com/zeugo/zeugo/backend/internal/keyring"
)

func newAuthClient(hc *http.Client, url string, ics ...connect.Interceptor) zeugov1connect.AuthServiceClient {
	return zeugov1connect.NewAuthServiceClient(hc, url, connect.WithInterceptors(ics...))
}

// server is one replica: an app over the shared zeugo_app pool with its own
// master keys, served over TLS 1.3 like apptest does.
type server struct {
	app *app.App
	srv *httptest.Server
}

// replica builds and serves another server over env's database with keys,
// as a rolling restart with a new configuration would.
func replica(t *testing.T, env *apptest.Env, keys ...[]byte) (*server, error) {
	t.Helper()
	cfg := &config.Config{Env: config.Development, DatabaseURL: env.DB.OwnerURL, AppDatabaseURL: env.DB.AppURL,
		MasterKeys: keys, HashConcurrency: 2, LogLevel: "debug"}
	a, err := app.Build(context.Background(), cfg, zerolog.Nop(), env.DB.App, app.Options{Now: env.Clock.Now})
	if err != nil {
		return nil, err
	}
	srv := httptest.NewUnstartedServer(a.Handler())
	srv.EnableHTTP2 = true
	srv.TLS = &tls.Config{MinVersion: tls.VersionTLS13}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return &server{app: a, srv: srv}, nil
}

func (s *server) auth() zeugov1connect.AuthServiceClient {
	return newAuthClient(s.srv.Client(), s.srv.URL)
}

func (s *server) org(token string) zeugov1connect.OrganizationServiceClient {
	return zeugov1connect.NewOrganizationServiceClient(s.srv.Client(), s.srv.URL, connect.WithInterceptors(apptest.Bearer(token)))
}

func withBearer[T any](msg *T, token string) *connect.Request[T] {
	r := connect.NewRequest(msg)
	r.Header().Set("Authorization", "Bearer "+token)
	return r
}

// TestRotateWhileServing is the master-key rotation of the operations guide:
// the server runs with K1; replicas restart with K2 as current and K1 as old;
// `zeugo keys rotate` re-wraps every key under K2 while those replicas serve
// logins and reads; afterwards K1 can be removed from the configuration.
func TestRotateWhileServing(t *testing.T) {
	t.Parallel()
	k1, k2 := keyring.NewKey(), keyring.NewKey()
	env := apptest.New(t, apptest.Options{MasterKeys: [][]byte{k1}})
	ctx := context.Background()
	ten := env.CreateTenant("Rotation GmbH", "admin@rotation.example")
	if _, err := env.AuthClient(env.HTTPClient(), apptest.Connect).Login(ctx, connect.NewRequest(&zeugov1.LoginRequest{Email: ten.Email, Password: ten.Password})); err != nil {
		t.Fatalf("login with K1: %v", err)
	}

	// Rolling restart: the new replica knows K2 (current) and K1 (old).
	r21, err := replica(t, env, k2, k1)
	if err != nil {
		t.Fatalf("replica with [K2, K1]: %v", err)
	}

	const workers, afterRotate = 4, 6
	var wg sync.WaitGroup
	ready := make(chan struct{}, workers)
	rotated := make(chan struct{})
	errs := make(chan error, workers*64)
	var calls sync.Map
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := r21.auth()
			res, err := c.Login(ctx, connect.NewRequest(&zeugov1.LoginRequest{Email: ten.Email, Password: ten.Password}))
			if err != nil {
				errs <- fmt.Errorf("worker %d: login before rotation: %w", w, err)
				ready <- struct{}{}
				return
			}
			token := res.Msg.GetTokens().GetAccessToken()
			ready <- struct{}{}
			n := 0
			call := func(phase string) bool {
				n++
				me, err := c.Me(ctx, withBearer(&zeugov1.MeRequest{}, token))
				if err != nil || me.Msg.GetPrincipal().GetEmail() != ten.Email {
					errs <- fmt.Errorf("worker %d: Me %s rotation: %v", w, phase, err)
					return false
				}
				if _, err := r21.org(token).ListCompanies(ctx, connect.NewRequest(&zeugov1.ListCompaniesRequest{})); err != nil {
					errs <- fmt.Errorf("worker %d: ListCompanies %s rotation: %w", w, phase, err)
					return false
				}
				return true
			}
			// Keep calling until the rotation has finished (bounded: the
			// rotation is a handful of statements)…
			for i := 0; i < 10000; i++ {
				select {
				case <-rotated:
					i = 10000
					continue
				default:
				}
				if !call("during") {
					return
				}
			}
			// …then a few more, including a fresh login that must unwrap
			// the data key as re-wrapped under K2.
			res, err = c.Login(ctx, connect.NewRequest(&zeugov1.LoginRequest{Email: ten.Email, Password: ten.Password}))
			if err != nil {
				errs <- fmt.Errorf("worker %d: login after rotation: %w", w, err)
				return
			}
			token = res.Msg.GetTokens().GetAccessToken()
			for range afterRotate {
				if !call("after") {
					return
				}
			}
			calls.Store(w, n)
		}()
	}
	for range workers {
		<-ready
	}
	rotator := keyring.New(mustMaster(t, k2, k1), env.Clock.Now)
	res, rotErr := rotator.Rotate(ctx, env.DB.Owner, false)
	// Past the keyring cache lifetime: every replica re-reads the data keys
	// (now wrapped by K2) on its next use.
	env.Clock.Advance(6 * time.Minute)
	close(rotated)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if rotErr != nil {
		t.Fatalf("rotate: %v", rotErr)
	}
	if res.PlatformKeys != 3 || res.TenantKeys != 1 || res.NewDataKeys != 0 {
		t.Errorf("rotate result %+v, want 3 platform keys and 1 tenant key", res)
	}
	total := 0
	calls.Range(func(_, v any) bool { total += v.(int); return true })
	if total < workers*afterRotate {
		t.Errorf("only %d calls were made", total)
	}

	// Every key row is now wrapped by K2.
	k2ID := keyring.MasterKeyID(k2)
	for _, tbl := range []string{"platform_keys", "tenant_keys"} {
		var n, byK2 int
		if err := env.DB.Owner.QueryRow(ctx, "SELECT count(*), count(*) FILTER (WHERE master_key_id = $1) FROM "+tbl, k2ID).Scan(&n, &byK2); err != nil {
			t.Fatal(err)
		}
		if n == 0 || n != byK2 {
			t.Errorf("%s: %d of %d rows wrapped by K2", tbl, byK2, n)
		}
	}
	// A second rotation has nothing left to do.
	if again, err := rotator.Rotate(ctx, env.DB.Owner, false); err != nil || again != (keyring.RotateResult{}) {
		t.Errorf("second rotate: %+v, %v", again, err)
	}

	// K1 can be retired: a replica with only K2 logs in and decrypts…
	r2, err := replica(t, env, k2)
	if err != nil {
		t.Fatalf("replica with only K2: %v", err)
	}
	lres, err := r2.auth().Login(ctx, connect.NewRequest(&zeugov1.LoginRequest{Email: ten.Email, Password: ten.Password}))
	if err != nil {
		t.Fatalf("login with only K2: %v", err)
	}
	me, err := r2.auth().Me(ctx, withBearer(&zeugov1.MeRequest{}, lres.Msg.GetTokens().GetAccessToken()))
	if err != nil || me.Msg.GetPrincipal().GetEmail() != ten.Email || me.Msg.GetPrincipal().GetFirstName() != "Administrator" {
		t.Fatalf("Me with only K2: %v, %v", me, err)
	}
	// …and a replica with only K1 can no longer start.
	if _, err := replica(t, env, k1); err == nil {
		t.Error("a replica with only the retired K1 started")
	}
}

func mustMaster(t *testing.T, keys ...[]byte) *keyring.Master {
	t.Helper()
	m, err := keyring.NewMaster(keys)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestRotateNewDataKeys adds a second data-key version: values written
// before stay readable, new values are written with version 2.
func TestRotateNewDataKeys(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ctx := context.Background()
	ten := env.CreateTenant("Version AG", "admin@version.example")
	res, err := env.Owner.Keys.Rotate(ctx, env.DB.Owner, true)
	if err != nil {
		t.Fatal(err)
	}
	if res.NewDataKeys != 1 || res.TenantKeys != 0 || res.PlatformKeys != 0 {
		t.Errorf("rotate result %+v, want 1 new data key and nothing to re-wrap", res)
	}
	var versions []int32
	if err := env.DB.Owner.QueryRow(ctx, `SELECT array_agg(version ORDER BY version) FROM tenant_keys WHERE tenant_id = $1`, ten.TenantID).Scan(&versions); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(versions) != "[1 2]" {
		t.Fatalf("tenant key versions %v, want [1 2]", versions)
	}
	// The serving replica picks up version 2 when its cache expires.
	env.Clock.Advance(6 * time.Minute)
	c := newAuthClient(env.HTTPClient(), env.Server.URL, userAgent("Versionstest/1"))
	lres, err := c.Login(ctx, connect.NewRequest(&zeugov1.LoginRequest{Email: ten.Email, Password: ten.Password}))
	if err != nil {
		t.Fatalf("login after new data key: %v", err)
	}
	// The email was sealed with version 1 and still decrypts.
	me, err := c.Me(ctx, withBearer(&zeugov1.MeRequest{}, lres.Msg.GetTokens().GetAccessToken()))
	if err != nil || me.Msg.GetPrincipal().GetEmail() != ten.Email {
		t.Fatalf("Me: %v, %v", me, err)
	}
	var emailEnc, uaEnc []byte
	if err := env.DB.Owner.QueryRow(ctx, `SELECT email_enc FROM users WHERE id = $1`, ten.AdminID).Scan(&emailEnc); err != nil {
		t.Fatal(err)
	}
	if v, err := keyring.Version(emailEnc); err != nil || v != 1 {
		t.Errorf("stored email has version %d, %v; want 1", v, err)
	}
	if err := env.DB.Owner.QueryRow(ctx, `SELECT user_agent_enc FROM audit_events WHERE tenant_id = $1 AND action = $2
		ORDER BY seq DESC LIMIT 1`, ten.TenantID, audit.ActionLoginSucceeded).Scan(&uaEnc); err != nil {
		t.Fatal(err)
	}
	if v, err := keyring.Version(uaEnc); err != nil || v != 2 {
		t.Errorf("new audit ciphertext has version %d, %v; want 2", v, err)
	}
}
