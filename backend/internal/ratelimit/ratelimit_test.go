package ratelimit_test

import (
	"context"
	"errors"
	"net/netip"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zeugo/zeugo/backend/internal/apperr"
	"github.com/zeugo/zeugo/backend/internal/dbtest"
	"github.com/zeugo/zeugo/backend/internal/keyring"
	"github.com/zeugo/zeugo/backend/internal/ratelimit"
)

// clock is a settable clock: tests move it instead of sleeping.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// newLimiter returns a limiter on a fresh database (as zeugo_app) whose
// clock starts at start.
func newLimiter(t *testing.T, start time.Time) (*ratelimit.Limiter, *clock, *dbtest.DB) {
	t.Helper()
	db := dbtest.New(t)
	c := &clock{now: start}
	return ratelimit.New(db.App, keyring.NewIndexKey(keyring.NewKey()), c.Now), c, db
}

// retryAfter is the RetryAfter of a limited answer, failing the test for
// any other error.
func retryAfter(t *testing.T, err error) time.Duration {
	t.Helper()
	var ae *apperr.Error
	if !errors.As(err, &ae) || ae.Code != apperr.ResourceExhausted || ae.RetryAfter <= 0 {
		t.Fatalf("got %v, want ResourceExhausted with RetryAfter", err)
	}
	return ae.RetryAfter
}

func TestClientKeyGroupsIPv6By64(t *testing.T) {
	t.Parallel()
	key := func(s string) string { return ratelimit.ClientKey(netip.MustParseAddr(s)) }
	same := [][2]string{
		{"2001:db8:1:2::1", "2001:db8:1:2:ffff:ffff:ffff:ffff"}, // one /64: one client
		{"2001:db8:1:2::1", "2001:db8:1:2::1%eth0"},             // zone does not matter
		{"192.0.2.7", "::ffff:192.0.2.7"},                       // IPv4-mapped is IPv4
	}
	for _, p := range same {
		if key(p[0]) != key(p[1]) {
			t.Errorf("%s and %s are one client but have keys %q and %q", p[0], p[1], key(p[0]), key(p[1]))
		}
	}
	differ := [][2]string{
		{"2001:db8:1:2::1", "2001:db8:1:3::1"}, // neighbouring /64
		{"192.0.2.7", "192.0.2.8"},             // IPv4 is per address
		{"::1", "127.0.0.1"},
	}
	for _, p := range differ {
		if key(p[0]) == key(p[1]) {
			t.Errorf("%s and %s share the key %q", p[0], p[1], key(p[0]))
		}
	}
	if got := key("2001:db8:1:2:3:4:5:6"); got != "2001:db8:1:2::/64" {
		t.Errorf("IPv6 key %q, want the /64", got)
	}
	if got := ratelimit.ClientKey(netip.Addr{}); got != "unknown" {
		t.Errorf("no address: %q", got)
	}
}

// Allow counts in fixed windows: the limit holds within a window, the
// answer says how much of the window is left, and the next window starts
// from zero.
func TestAllowWindowRollsOver(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 11, 27, 10, 0, 20, 0, time.UTC) // 40 s before the window ends
	l, c, _ := newLimiter(t, start)
	ctx := context.Background()
	rule := ratelimit.Rule{Name: "test", Limit: 3, Window: time.Minute}
	for i := 0; i < 3; i++ {
		if err := l.Allow(ctx, rule, "a"); err != nil {
			t.Fatalf("hit %d: %v", i+1, err)
		}
	}
	if got := retryAfter(t, l.Allow(ctx, rule, "a")); got != 40*time.Second {
		t.Fatalf("RetryAfter %v, want the 40 s left of the window", got)
	}
	if err := l.Allow(ctx, rule, "b"); err != nil {
		t.Fatalf("another subject shares the count: %v", err)
	}
	c.Advance(40*time.Second - time.Nanosecond)
	if got := retryAfter(t, l.Allow(ctx, rule, "a")); got != time.Nanosecond {
		t.Fatalf("last instant of the window: RetryAfter %v", got)
	}
	c.Advance(time.Nanosecond) // 10:01:00, a new window
	for i := 0; i < 3; i++ {
		if err := l.Allow(ctx, rule, "a"); err != nil {
			t.Fatalf("new window, hit %d: %v", i+1, err)
		}
	}
	if err := l.Allow(ctx, rule, "a"); err == nil {
		t.Fatal("the new window's limit does not hold")
	}
}

// Many goroutines counting one subject at once are counted exactly: of 200
// concurrent hits with a limit of 100, exactly 100 pass.
func TestAllowCountsConcurrentHitsExactly(t *testing.T) {
	t.Parallel()
	l, _, db := newLimiter(t, time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC))
	ctx := context.Background()
	rule := ratelimit.Rule{Name: "test", Limit: 100, Window: time.Hour}
	var allowed, refused atomic.Int64
	var wg sync.WaitGroup
	start := make(chan struct{})
	for g := 0; g < 50; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			for i := 0; i < 4; i++ {
				switch err := l.Allow(ctx, rule, "a"); {
				case err == nil:
					allowed.Add(1)
				case apperr.Is(err, apperr.ResourceExhausted):
					refused.Add(1)
				default:
					t.Error(err)
				}
			}
		}()
	}
	close(start)
	wg.Wait()
	if allowed.Load() != 100 || refused.Load() != 100 {
		t.Fatalf("allowed %d, refused %d; want exactly 100 each", allowed.Load(), refused.Load())
	}
	var hits int
	if err := db.Owner.QueryRow(ctx, `SELECT sum(hits) FROM rate_limits`).Scan(&hits); err != nil {
		t.Fatal(err)
	}
	if hits != 200 {
		t.Fatalf("stored %d hits, want 200", hits)
	}
}

// Check slides: hits at the end of one clock hour still count after the
// next has begun, until an hour after their minute began; RetryAfter says
// exactly when enough of them have left the window.
func TestCheckSlidesAcrossTheHour(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 11, 27, 10, 59, 30, 0, time.UTC)
	l, c, _ := newLimiter(t, start)
	ctx := context.Background()
	rule := ratelimit.Rule{Name: "fail", Limit: 5, Window: time.Hour} // steps of a minute
	for i := 0; i < 3; i++ {
		if err := l.Hit(ctx, nil, rule, "a"); err != nil {
			t.Fatal(err)
		}
	}
	c.Advance(time.Minute) // 11:00:30, the next clock hour
	for i := 0; i < 2; i++ {
		if err := l.Check(ctx, rule, "a"); err != nil {
			t.Fatalf("hit %d of 5: %v", 4+i, err)
		}
		if err := l.Hit(ctx, nil, rule, "a"); err != nil {
			t.Fatal(err)
		}
	}
	// 5 hits in the last hour, 3 of them in the previous clock hour: a fixed
	// window would allow 5 more now.
	wait := retryAfter(t, l.Check(ctx, rule, "a"))
	// The 10:59 step leaves the window at 11:59:00.
	if want := 58*time.Minute + 30*time.Second; wait != want {
		t.Fatalf("RetryAfter %v, want %v", wait, want)
	}
	c.Advance(wait - time.Nanosecond)
	if err := l.Check(ctx, rule, "a"); err == nil {
		t.Fatal("allowed before RetryAfter passed")
	}
	c.Advance(time.Nanosecond)
	if err := l.Check(ctx, rule, "a"); err != nil {
		t.Fatalf("at RetryAfter: %v", err)
	}
	// Check itself counts nothing.
	for i := 0; i < 10; i++ {
		if err := l.Check(ctx, rule, "a"); err != nil {
			t.Fatalf("check %d counted: %v", i, err)
		}
	}
}

// Hit on a transaction commits or rolls back with it.
func TestHitInTheCallersTransaction(t *testing.T) {
	t.Parallel()
	l, _, db := newLimiter(t, time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC))
	ctx := context.Background()
	rule := ratelimit.Rule{Name: "fail", Limit: 1, Window: time.Hour}
	tx, err := db.App.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Hit(ctx, tx, rule, "a"); err != nil {
		t.Fatal(err)
	}
	if err := tx.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	if err := l.Check(ctx, rule, "a"); err != nil {
		t.Fatalf("a rolled-back hit counts: %v", err)
	}
	tx, err = db.App.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Hit(ctx, tx, rule, "a"); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if err := l.Check(ctx, rule, "a"); err == nil {
		t.Fatal("a committed hit does not count")
	}
}

var backoff = ratelimit.Backoff{Name: "account", Free: 2, Unit: time.Second, Max: 64 * time.Second}

func TestBackoffDelays(t *testing.T) {
	t.Parallel()
	want := []time.Duration{0, 0, 4 * time.Second, 8 * time.Second, 16 * time.Second, 32 * time.Second,
		64 * time.Second, 64 * time.Second}
	for n, w := range want {
		if got := backoff.Delay(n); got != w {
			t.Errorf("Delay(%d) = %v, want %v", n, got, w)
		}
	}
	if got := backoff.Delay(1 << 30); got != backoff.Max {
		t.Errorf("Delay(2^30) = %v, want the cap", got)
	}
}

// Claim follows Delay exactly (the SQL and the Go formula agree): after n
// attempts the next is let through Delay(n) after the last, not a
// nanosecond earlier; refused attempts are not counted and do not push the
// wait out; Reset starts over.
func TestBackoffClaimFollowsTheSchedule(t *testing.T) {
	t.Parallel()
	l, c, _ := newLimiter(t, time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC))
	ctx := context.Background()
	claim := func(subject string) bool {
		t.Helper()
		ok, _, err := l.Claim(ctx, backoff, subject)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	for n := 0; n < 9; n++ {
		if d := backoff.Delay(n); d > 0 {
			if claim("a") {
				t.Fatalf("after %d attempts: let through at once, want a wait of %v", n, d)
			}
			c.Advance(d - time.Nanosecond)
			if claim("a") {
				t.Fatalf("after %d attempts: let through before %v", n, d)
			}
			c.Advance(time.Nanosecond)
		}
		if !claim("a") {
			t.Fatalf("after %d attempts: refused once %v passed", n, backoff.Delay(n))
		}
	}
	for i := 0; i < 2; i++ {
		if !claim("b") {
			t.Fatalf("another subject's attempt %d: refused (shares the attempts)", i+1)
		}
	}
	if err := l.Reset(ctx, nil, backoff, "a"); err != nil {
		t.Fatal(err)
	}
	for i, want := range []bool{true, true, false} {
		if got := claim("a"); got != want {
			t.Fatalf("after Reset, attempt %d: heard %v, want %v (2 free attempts, then a wait)", i+1, got, want)
		}
	}
}

// A refused attempt says whether attempts let through are still undecided
// (pending): then their outcome may start the throttle over. Failed decides
// one as a failure, Release takes one back, Reset forgets them all.
func TestBackoffPendingAttempts(t *testing.T) {
	t.Parallel()
	l, c, _ := newLimiter(t, time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC))
	ctx := context.Background()
	claim := func() (bool, bool) {
		t.Helper()
		heard, pending, err := l.Claim(ctx, backoff, "a")
		if err != nil {
			t.Fatal(err)
		}
		return heard, pending
	}
	if h, _ := claim(); !h {
		t.Fatal("1st attempt refused")
	}
	if h, _ := claim(); !h {
		t.Fatal("2nd attempt refused")
	}
	if h, p := claim(); h || !p {
		t.Fatalf("3rd while two are undecided: heard %v, pending %v; want refused, pending", h, p)
	}
	if err := l.Failed(ctx, nil, backoff, "a"); err != nil {
		t.Fatal(err)
	}
	if h, p := claim(); h || !p {
		t.Fatalf("one decided, one not: heard %v, pending %v", h, p)
	}
	if err := l.Release(ctx, backoff, "a"); err != nil { // the other one was never checked
		t.Fatal(err)
	}
	// One failure left: below the free attempts, heard at once.
	if h, _ := claim(); !h {
		t.Fatal("after Release: refused")
	}
	if err := l.Failed(ctx, nil, backoff, "a"); err != nil {
		t.Fatal(err)
	}
	if h, p := claim(); h || p {
		t.Fatalf("two failures, none undecided: heard %v, pending %v; want refused, not pending", h, p)
	}
	c.Advance(backoff.Delay(2))
	if h, _ := claim(); !h {
		t.Fatal("refused after the delay")
	}
	if err := l.Reset(ctx, nil, backoff, "a"); err != nil {
		t.Fatal(err)
	}
	if h, _ := claim(); !h {
		t.Fatal("refused after Reset")
	}
}

// Concurrent attempts cannot slip past the throttle together: of 20 claims
// at the same instant exactly Free get through.
func TestBackoffConcurrentClaims(t *testing.T) {
	t.Parallel()
	l, _, _ := newLimiter(t, time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC))
	ctx := context.Background()
	var through atomic.Int64
	var wg sync.WaitGroup
	start := make(chan struct{})
	for g := 0; g < 20; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			ok, _, err := l.Claim(ctx, backoff, "a")
			if err != nil {
				t.Error(err)
			}
			if ok {
				through.Add(1)
			}
		}()
	}
	close(start)
	wg.Wait()
	if through.Load() != int64(backoff.Free) {
		t.Fatalf("%d of 20 concurrent claims got through, want %d", through.Load(), backoff.Free)
	}
}

// DeleteExpired removes old windows and backoffs and keeps current ones,
// in bounded batches.
func TestDeleteExpired(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	l, c, db := newLimiter(t, start)
	ctx := context.Background()
	rule := ratelimit.Rule{Name: "test", Limit: 100, Window: time.Minute}
	for i := 0; i < 3; i++ {
		subject := string(rune('a' + i))
		if err := l.Allow(ctx, rule, subject); err != nil {
			t.Fatal(err)
		}
		if _, _, err := l.Claim(ctx, backoff, subject); err != nil {
			t.Fatal(err)
		}
	}
	c.Advance(25 * time.Hour)
	if err := l.Allow(ctx, rule, "a"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := l.Claim(ctx, backoff, "z"); err != nil {
		t.Fatal(err)
	}
	before := c.Now().Add(-24 * time.Hour)
	n, err := ratelimit.DeleteExpired(ctx, db.App, before, 2)
	if err != nil || n != 4 { // 2 of the 3 old windows and 2 of the 3 old backoffs
		t.Fatalf("first batch: %d (%v), want 4", n, err)
	}
	if n, err = ratelimit.DeleteExpired(ctx, db.App, before, 2); err != nil || n != 2 {
		t.Fatalf("second batch: %d (%v), want 2", n, err)
	}
	var windows, backoffs int
	if err := db.Owner.QueryRow(ctx, `SELECT (SELECT count(*) FROM rate_limits), (SELECT count(*) FROM rate_backoffs)`).Scan(&windows, &backoffs); err != nil {
		t.Fatal(err)
	}
	if windows != 1 || backoffs != 1 {
		t.Fatalf("left %d windows and %d backoffs, want the current 1 and 1", windows, backoffs)
	}
}
