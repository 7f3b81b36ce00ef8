package apikey_test

import (
	"context"
	"fmt"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"connectrpc.com/connect"

	"github.com/zeugo/zeugo/backend/internal/apptest"
	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
	"github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1/zeugov1connect"
)

// BenchmarkAPIKeyVsSession measures ListCompanies (a page of 20 companies)
// authenticated by API key against the same call authenticated by session,
// in the same run: ten pairs of rounds of equal length with 16 concurrent
// clients each, reported as calls/s of both and the median ratio of the
// pairs (issue 13 target ≥ 0.9). Run with -benchtime 1x; ZEUGO_BENCH_ROUND
// sets the length of a round (default 1s).
func BenchmarkAPIKeyVsSession(b *testing.B) {
	const pairs = 10
	round := time.Second
	if v := os.Getenv("ZEUGO_BENCH_ROUND"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			b.Fatal(err)
		}
		round = d
	}
	env := apptest.New(b)
	ten := env.CreateTenant("Muster AG", "hr@muster-ag.example")
	ctx := context.Background()
	hc := env.HTTPClient()
	login, err := env.AuthClient(hc, apptest.Connect).Login(ctx, connect.NewRequest(&zeugov1.LoginRequest{Email: ten.Email, Password: ten.Password}))
	if err != nil {
		b.Fatal(err)
	}
	sessionToken := login.Msg.GetTokens().GetAccessToken()
	keys := zeugov1connect.NewApiKeyServiceClient(hc, env.Server.URL, connect.WithInterceptors(apptest.Bearer(sessionToken)))
	created, err := keys.CreateApiKey(ctx, connect.NewRequest(&zeugov1.CreateApiKeyRequest{Name: "Benchmark",
		Scopes: orgScope(zeugov1.ApiKeyAccess_API_KEY_ACCESS_READ)}))
	if err != nil {
		b.Fatal(err)
	}
	org := env.OrgClient(hc, apptest.Connect, sessionToken)
	for i := range 20 {
		if err := createCompany(org, fmt.Sprintf("Firma %02d GmbH", i)); err != nil {
			b.Fatal(err)
		}
	}
	const clients = 16
	measure := func(token string) float64 {
		c := env.OrgClient(env.HTTPClient(), apptest.Connect, token)
		var calls atomic.Int64
		var failed atomic.Value
		deadline := time.Now().Add(round)
		var wg sync.WaitGroup
		start := time.Now()
		for range clients {
			wg.Go(func() {
				for time.Now().Before(deadline) {
					if err := listCompanies(c); err != nil {
						failed.Store(err)
						return
					}
					calls.Add(1)
				}
			})
		}
		wg.Wait()
		if err, _ := failed.Load().(error); err != nil {
			b.Fatal(err)
		}
		return float64(calls.Load()) / time.Since(start).Seconds()
	}
	measure(sessionToken) // warm up both paths
	measure(created.Msg.GetSecret())
	b.ResetTimer()
	// Shared machines are noisy: many short rounds, alternating which goes
	// first, and the median of the per-pair ratios (a load spike spoils a
	// pair, not the result).
	var session, key float64
	var ratios []float64
	for range b.N {
		for i := range pairs {
			var s, k float64
			if i%2 == 0 {
				s = measure(sessionToken)
				k = measure(created.Msg.GetSecret())
			} else {
				k = measure(created.Msg.GetSecret())
				s = measure(sessionToken)
			}
			session += s
			key += k
			ratios = append(ratios, k/s)
		}
	}
	slices.Sort(ratios)
	n := float64(pairs * b.N)
	b.ReportMetric(session/n, "session-calls/s")
	b.ReportMetric(key/n, "key-calls/s")
	b.ReportMetric(ratios[len(ratios)/2], "key/session")
}
