package users_test

import (
	"context"
	"fmt"
	"net"
	"slices"
	"sync"
	"testing"
	"time"

	"connectrpc.com/connect"
	"github.com/rs/zerolog"

	"github.com/zeugo/zeugo/backend/internal/apptest"
	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
	"github.com/zeugo/zeugo/backend/internal/outbox"
)

// BenchmarkInvitationWhileSMTPStalls compares the p99 latency of the
// InviteUser rpc while the outbox delivers to a healthy in-process SMTP
// server with the p99 while the relay accepts connections and never answers
// (issue 13: ≤ 1.5). The invitation only writes its mail into the outbox in
// its own transaction; delivery runs beside it, so a stalled relay must not
// slow the request. Phases alternate in rounds so that drift of the machine
// hits both alike.
//
//	go test ./internal/users -run '^$' -bench InvitationWhileSMTPStalls -benchtime 1x
func BenchmarkInvitationWhileSMTPStalls(b *testing.B) {
	const rounds, perRound = 4, 100
	env := apptest.New(b)
	ten := env.CreateTenant("Bench AG", "admin@bench.example")
	hc := env.HTTPClient()
	res, err := env.AuthClient(hc, apptest.Connect).Login(context.Background(), connect.NewRequest(&zeugov1.LoginRequest{Email: ten.Email, Password: ten.Password}))
	if err != nil {
		b.Fatal(err)
	}
	c := clientFor(env, hc, apptest.Connect, res.Msg.GetTokens().GetAccessToken())
	roles, err := c.Roles.ListRoles(context.Background(), connect.NewRequest(&zeugov1.ListRolesRequest{}))
	if err != nil || len(roles.Msg.GetRoles()) == 0 {
		b.Fatalf("roles: %v", err)
	}
	roleID := roles.Msg.GetRoles()[0].GetId()

	healthy := newMailServer(b)
	stalled := newStalledRelay(b)
	outboxTo := func(addr string) *outbox.Outbox {
		host, port, _ := net.SplitHostPort(addr)
		p := 0
		fmt.Sscanf(port, "%d", &p)
		return outbox.New(outbox.Deps{DB: env.App.DB, Keys: env.App.Keys, Now: time.Now, Log: zerolog.Nop(),
			Mailer: &outbox.SMTP{Host: host, Port: p, RootCAs: healthy.Roots(), Timeout: 2 * time.Second},
			From:   "zeugo@bench.example", Audit: env.App.Audit})
	}
	n := 0
	phase := func(ob *outbox.Outbox) []time.Duration {
		ctx, cancel := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		wg.Go(func() { // the delivery job, running all the time
			for ctx.Err() == nil {
				_, _ = ob.Deliver(ctx)
				time.Sleep(5 * time.Millisecond)
			}
		})
		lat := make([]time.Duration, 0, perRound)
		for range perRound {
			n++
			req := connect.NewRequest(&zeugov1.InviteUserRequest{Email: fmt.Sprintf("person%d@bench.example", n),
				Fields: &zeugov1.UserFields{FirstName: "Erika", LastName: "Beispiel", Language: "de", RoleId: roleID,
					CertificateAccess: &zeugov1.CertificateAccess{All: true}}})
			t0 := time.Now()
			if _, err := c.Users.InviteUser(context.Background(), req); err != nil {
				b.Fatal(err)
			}
			lat = append(lat, time.Since(t0))
		}
		cancel()
		wg.Wait()
		return lat
	}
	var ok, stall []time.Duration
	b.ResetTimer()
	for range b.N {
		for range rounds {
			ok = append(ok, phase(outboxTo(healthy.Addr()))...)
			stall = append(stall, phase(outboxTo(stalled))...)
		}
	}
	b.StopTimer()
	p99 := func(d []time.Duration) time.Duration {
		s := slices.Clone(d)
		slices.Sort(s)
		return s[len(s)*99/100]
	}
	b.ReportMetric(float64(p99(ok).Microseconds())/1000, "healthy_p99_ms")
	b.ReportMetric(float64(p99(stall).Microseconds())/1000, "stalled_p99_ms")
	b.ReportMetric(float64(p99(stall))/float64(p99(ok)), "p99_ratio")
	if len(healthy.Mails()) == 0 {
		b.Fatal("the healthy relay received nothing: delivery did not run")
	}
}

// newStalledRelay accepts SMTP connections and never answers: the relay
// "hangs" (a full disk, a stuck filter), the worst case for a sender.
func newStalledRelay(b testing.TB) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	go func() {
		for {
			conn, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, conn)
			mu.Unlock()
		}
	}()
	b.Cleanup(func() {
		_ = l.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			_ = c.Close()
		}
	})
	return l.Addr().String()
}
