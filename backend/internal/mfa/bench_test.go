package mfa_test

import (
	"os"
	"testing"
	"time"

	"github.com/zeugo/zeugo/backend/internal/apptest"
	"github.com/zeugo/zeugo/backend/internal/auth"
	"github.com/zeugo/zeugo/backend/internal/password"
	"github.com/zeugo/zeugo/backend/internal/ratelimit"
)

// BenchmarkLoginWithTOTP measures a login with password and authenticator
// app (Login, then VerifySecondFactor) against a password-only login of
// the same tenant, with the production argon2id cost, in alternating
// rounds of one run (bench/README.md; issue 17 target ≥ 0.9). One client:
// a code is good once per 30-s step, so each login moves the test clock a
// step on (both sides alike). Run with -benchtime 1x; ZEUGO_BENCH_ROUND
// sets a round's length (default 2s).
func BenchmarkLoginWithTOTP(b *testing.B) {
	round := 2 * time.Second
	if v := os.Getenv("ZEUGO_BENCH_ROUND"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			b.Fatal(err)
		}
		round = d
	}
	policy := auth.DefaultPolicy
	unlimited := ratelimit.Rule{Name: "bench", Limit: 1 << 30, Window: time.Minute}
	policy.LoginPerIP, policy.LoginFailuresPerIP, policy.SecondFactorPerIP = unlimited, unlimited, unlimited
	policy.LoginBackoff.Free = 1 << 30
	env := apptest.New(b, apptest.Options{Policy: &policy, HashParams: &password.OWASP})
	withApp := env.CreateTenant("Muster AG", "app@muster-ag.example")
	plain := env.CreateTenant("Nur-Passwort AG", "plain@muster-ag.example")
	c := newClient(b, env, apptest.Connect)
	if _, err := c.login(withApp.Email, withApp.Password); err != nil {
		b.Fatal(err)
	}
	secret, _ := c.enroll(withApp.Password)

	twoSteps := func() error {
		env.Clock.Advance(30 * time.Second)
		x := newClient(b, env, apptest.Connect)
		ch, err := x.login(withApp.Email, withApp.Password)
		if err != nil {
			return err
		}
		_, err = x.verify(ch.GetToken(), code(b, env, secret, 0), "")
		return err
	}
	oneStep := func() error {
		env.Clock.Advance(30 * time.Second)
		_, err := newClient(b, env, apptest.Connect).login(plain.Email, plain.Password)
		return err
	}
	b.ResetTimer()
	for range b.N {
		ours, base, ratio := apptest.Paired(
			func() float64 { return apptest.Rate(b, 1, round, twoSteps) },
			func() float64 { return apptest.Rate(b, 1, round, oneStep) })
		b.ReportMetric(ours, "totp-logins/s")
		b.ReportMetric(base, "password-logins/s")
		b.ReportMetric(ratio, "ratio")
	}
}
