package app_test

import (
	"context"
	"crypto/tls"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"connectrpc.com/connect"
	"github.com/rs/zerolog"

	"github.com/zeugo/zeugo/backend/internal/app"
	"github.com/zeugo/zeugo/backend/internal/apptest"
	"github.com/zeugo/zeugo/backend/internal/config"
	"github.com/zeugo/zeugo/backend/internal/devtls"
	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
	"github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1/zeugov1connect"
	"github.com/zeugo/zeugo/backend/internal/keyring"
	"github.com/zeugo/zeugo/backend/internal/pgcluster"
	"github.com/zeugo/zeugo/backend/internal/postgres"
	"github.com/zeugo/zeugo/backend/internal/tenant"
)

// TestServerSurvivesADatabaseOutage runs the real server on a private
// PostgreSQL and takes the database away twice. Stopped: every Login
// answers Unavailable (it answered Internal, one ERROR line each), the log
// gets a few warnings, not one line per request, and the server recovers
// by itself. Frozen: a Login without a client deadline ends at the
// server's deadline with Unavailable or DeadlineExceeded (it hung as long
// as the database did).
func TestServerSurvivesADatabaseOutage(t *testing.T) {
	t.Parallel()
	cluster := pgcluster.New(t)
	ctx := context.Background()
	ownerPool, err := postgres.Open(ctx, cluster.URL("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(ownerPool.Close)
	if err := postgres.Migrate(ctx, ownerPool); err != nil {
		t.Fatal(err)
	}
	appPool, err := postgres.Open(ctx, strings.Replace(cluster.URL("postgres"), "postgres@", postgres.AppRole+"@", 1))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(appPool.Close)

	cfg := &config.Config{Env: config.Development, MasterKeys: [][]byte{keyring.NewKey()}, HashConcurrency: 2,
		LogLevel: "debug", RPCTimeout: time.Second}
	logBuf := &apptest.SyncBuffer{}
	log := zerolog.New(logBuf).Level(zerolog.DebugLevel)
	opts := app.Options{HashParams: &apptest.TestHashParams}
	owner, err := app.Build(ctx, cfg, log, ownerPool, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(owner.Close)
	a, err := app.Build(ctx, cfg, log, appPool, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(a.Close)
	const email, pw = "admin@outage.example", "Sicher-Outage-Passwort-1"
	if _, err := owner.Provisioner.Create(ctx, tenant.NewTenant{Name: "Outage GmbH", AdminEmail: email, AdminPassword: pw}); err != nil {
		t.Fatal(err)
	}

	srv := httptest.NewUnstartedServer(a.Handler())
	srv.EnableHTTP2 = true
	tlsConf := devtls.ServerConfig(tls.Certificate{})
	tlsConf.Certificates = nil
	srv.TLS = tlsConf
	srv.StartTLS()
	t.Cleanup(srv.Close)
	hc := srv.Client()
	client := zeugov1connect.NewAuthServiceClient(hc, srv.URL)
	login := func() connect.Code {
		_, err := client.Login(context.Background(), connect.NewRequest(&zeugov1.LoginRequest{Email: email, Password: pw}))
		if err == nil {
			return 0
		}
		return connect.CodeOf(err)
	}
	if code := login(); code != 0 {
		t.Fatalf("login before the outage: %v", code)
	}

	// Stopped.
	cluster.Stop()
	const requests = 300
	for i := range requests {
		if code := login(); code != connect.CodeUnavailable {
			t.Fatalf("login %d during the outage: %v, want unavailable", i, code)
		}
	}
	logged := logBuf.String()
	if n := strings.Count(logged, `"level":"error"`); n > 0 {
		t.Errorf("%d ERROR lines during the outage:\n%s", n, logged)
	}
	if n := strings.Count(logged, `"message":"service unavailable"`); n == 0 || n > requests/10 {
		t.Errorf("%d warnings for %d unavailable answers: want a few", n, requests)
	}
	cluster.Start()
	if !pgcluster.WaitFor(time.Minute, func() bool { return login() == 0 }) {
		t.Fatalf("the server did not recover after the database came back: %v", login())
	}

	// Frozen.
	cluster.Freeze()
	answer := make(chan connect.Code, 1)
	start := time.Now()
	go func() { answer <- login() }() // no client deadline
	select {
	case code := <-answer:
		t.Logf("frozen database: %v after %v", code, time.Since(start).Round(time.Millisecond))
		if code != connect.CodeUnavailable && code != connect.CodeDeadlineExceeded {
			t.Errorf("login against a frozen database: %v, want unavailable or deadline_exceeded", code)
		}
	case <-time.After(2 * time.Minute): // a guard against hanging the run, far beyond the 1 s server deadline
		cluster.Thaw()
		t.Fatal("a login without a client deadline hung on a frozen database")
	}
	cluster.Thaw()
	if !pgcluster.WaitFor(time.Minute, func() bool { return login() == 0 }) {
		t.Fatalf("the server did not recover after the database thawed: %v", login())
	}
	if strings.Contains(logBuf.String(), `"level":"error"`) {
		t.Errorf("ERROR lines in the log:\n%s", logBuf.String())
	}
}
