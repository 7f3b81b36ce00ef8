package postgres

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/zeugo/zeugo/backend/internal/apperr"
	"github.com/zeugo/zeugo/backend/internal/pgcluster"
)

// refusedConnectError is a real pgconn.ConnectError: a dial to a port
// nobody listens on.
func refusedConnectError(t *testing.T) error {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	_ = l.Close()
	_, err = pgconn.Connect(context.Background(), fmt.Sprintf("postgres://u@127.0.0.1:%d/db?sslmode=disable&connect_timeout=5", port))
	if err == nil {
		t.Fatal("connected to a closed port")
	}
	return err
}

func TestClassifyOutageAndBackstopCodes(t *testing.T) {
	t.Parallel()
	pg := func(code string) error {
		return fmt.Errorf("query: %w", &pgconn.PgError{Severity: "FATAL", Code: code, Message: "detail that stays in the log"})
	}
	for _, c := range []struct {
		name string
		err  error
		want apperr.Code
	}{
		{"connection refused (ConnectError)", refusedConnectError(t), apperr.Unavailable},
		{"dial backoff", fmt.Errorf("acquire: %w", ErrDatabaseUnavailable), apperr.Unavailable},
		{"connection_failure 08006", pg("08006"), apperr.Unavailable},
		{"sqlclient_unable_to_establish 08001", pg("08001"), apperr.Unavailable},
		{"connection_does_not_exist 08003", pg("08003"), apperr.Unavailable},
		{"admin_shutdown 57P01", pg("57P01"), apperr.Unavailable},
		{"crash_shutdown 57P02", pg("57P02"), apperr.Unavailable},
		{"cannot_connect_now 57P03", pg("57P03"), apperr.Unavailable},
		{"too_many_connections 53300", pg("53300"), apperr.Unavailable},
		{"connection closed under a query", fmt.Errorf("failed to receive message: %w", io.ErrUnexpectedEOF), apperr.Unavailable},
		{"conn closed", fmt.Errorf("exec: %w", pgconn.ErrConnClosed), apperr.Unavailable},
		{"net error", &net.OpError{Op: "read", Net: "tcp", Err: errors.New("connection reset by peer")}, apperr.Unavailable},
		{"NUL character 22021", pg("22021"), apperr.InvalidArgument},
		{"unique violation stays", pg("23505"), apperr.AlreadyExists},
		{"syntax error stays internal", pg("42601"), apperr.Internal},
		{"disk full stays internal", pg("53100"), apperr.Internal},
		{"plain bug stays internal", errors.New("boom"), apperr.Internal},
		{"no rows", pgx.ErrNoRows, apperr.NotFound},
	} {
		got := Classify(c.err)
		if code := apperr.CodeOf(got); code != c.want {
			t.Errorf("%s: Classify(%v) = %s, want %s", c.name, c.err, code, c.want)
			continue
		}
		var ae *apperr.Error
		if errors.As(got, &ae) && (strings.Contains(ae.Message, "detail that stays") || strings.Contains(ae.Message, "127.0.0.1")) {
			t.Errorf("%s: message %q reveals the cause", c.name, ae.Message)
		}
		if !errors.Is(got, c.err) {
			t.Errorf("%s: the cause is lost for the log", c.name)
		}
	}
}

// fakeClock is the breaker's injected time.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

func TestDialBreakerBacksOffExponentiallyWithOneProbe(t *testing.T) {
	t.Parallel()
	clock := &fakeClock{now: time.Unix(1_700_000_000, 0)}
	b := newDialBreaker(clock.Now)
	b.jitter = func(d time.Duration) time.Duration { return d }
	down := errors.New("refused")

	// Closed: any number of attempts at once.
	for range 3 {
		if !b.allow() {
			t.Fatal("a closed breaker refused an attempt")
		}
	}
	b.done(down)
	b.done(down)
	b.done(down) // three failures: window 100ms << 2 = 400ms
	if b.allow() {
		t.Fatal("an open breaker let an attempt dial")
	}
	clock.Advance(399 * time.Millisecond)
	if b.allow() {
		t.Fatal("the window ended early")
	}
	clock.Advance(time.Millisecond)
	if !b.allow() {
		t.Fatal("no probe after the window")
	}
	if b.allow() {
		t.Fatal("a second attempt dialled while the probe runs")
	}
	b.done(down) // fourth failure: 800ms
	clock.Advance(799 * time.Millisecond)
	if b.allow() {
		t.Fatal("the window did not grow")
	}
	// The window stops growing at backoffMax.
	for range 20 {
		clock.Advance(backoffMax)
		if !b.allow() {
			t.Fatal("no probe after backoffMax")
		}
		b.done(down)
	}
	clock.Advance(backoffMax - time.Millisecond)
	if b.allow() {
		t.Fatal("window shorter than backoffMax")
	}
	clock.Advance(time.Millisecond)
	if !b.allow() {
		t.Fatal("window longer than backoffMax")
	}
	b.done(nil)   // the probe got through: closed again
	for range 2 { // closed: attempts run side by side again
		if !b.allow() {
			t.Fatal("a successful probe did not close the breaker")
		}
	}
}

// TestPoolOutageAnswersUnavailableBacksOffAndRecovers stops a private
// PostgreSQL under a pool from Open: every call answers Unavailable, the
// pool dials far less often than it is asked for a connection, and it
// recovers by itself when the server is back.
func TestPoolOutageAnswersUnavailableBacksOffAndRecovers(t *testing.T) {
	t.Parallel()
	cluster := pgcluster.New(t)
	var dials atomic.Int64
	ctx := context.Background()
	pool, err := open(ctx, cluster.URL("postgres")+"&pool_max_conns=8", func(cfg *pgxpool.Config) {
		// A shorter acquire bound than the default keeps the test quick;
		// the test never measures it.
		cfg.ConnConfig.Tracer.(*poolHooks).acquireTimeout = 200 * time.Millisecond
		dial := cfg.ConnConfig.DialFunc
		cfg.ConnConfig.DialFunc = func(ctx context.Context, network, addr string) (net.Conn, error) {
			dials.Add(1)
			return dial(ctx, network, addr)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	// connect_timeout: our default unless the URL sets one.
	if got := pool.Config().ConnConfig.ConnectTimeout; got != DefaultConnectTimeout {
		t.Errorf("ConnectTimeout %v, want %v", got, DefaultConnectTimeout)
	}
	if p2, err := Open(ctx, cluster.URL("postgres")+"&connect_timeout=17"); err != nil {
		t.Fatal(err)
	} else if got := p2.Config().ConnConfig.ConnectTimeout; got != 17*time.Second {
		t.Errorf("ConnectTimeout %v with connect_timeout=17 in the URL", got)
	} else {
		p2.Close()
	}

	query := func() error {
		// Far longer than any answer needs: the test asserts the code,
		// never the time.
		ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
		defer cancel()
		var one int
		return Classify(pool.QueryRow(ctx, "SELECT 1").Scan(&one))
	}
	// run sends n queries from 8 goroutines and counts the answers by code.
	run := func(n int) map[apperr.Code]int {
		var mu sync.Mutex
		codes := map[apperr.Code]int{}
		var wg sync.WaitGroup
		var next atomic.Int64
		for range 8 {
			wg.Go(func() {
				for next.Add(1) <= int64(n) {
					err := query()
					code := apperr.Code(-1) // ok
					if err != nil {
						code = apperr.CodeOf(err)
					}
					mu.Lock()
					codes[code]++
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		return codes
	}

	if codes := run(200); codes[-1] != 200 {
		t.Fatalf("before the outage: %v", codes)
	}

	// An exhausted pool: waiting for a connection ends (as Unavailable)
	// although the caller's context has no deadline.
	var held []*pgxpool.Conn
	release := func() {
		for _, c := range held {
			c.Release()
		}
		held = nil
	}
	defer release() // before pool.Close, which waits for every connection
	for range 8 {
		c, err := pool.Acquire(ctx)
		if err != nil {
			t.Fatal(err)
		}
		held = append(held, c)
	}
	acquired := make(chan error, 1)
	go func() {
		c, err := pool.Acquire(context.Background())
		if err == nil {
			c.Release()
		}
		acquired <- err
	}()
	select {
	case err := <-acquired:
		if code := apperr.CodeOf(Classify(err)); code != apperr.Unavailable {
			t.Fatalf("acquire from an exhausted pool: %v (%s), want unavailable", err, code)
		}
	case <-time.After(2 * time.Minute): // a guard, far beyond the bound
		t.Fatal("acquire from an exhausted pool waited without bound")
	}
	release()

	cluster.Stop()
	before := dials.Load()
	const requests = 2000
	codes := run(requests)
	outageDials := dials.Load() - before
	t.Logf("outage: %d requests, %d dial attempts, answers %v", requests, outageDials, codes)
	if codes[apperr.Unavailable] != requests {
		t.Fatalf("during the outage not every answer was Unavailable: %v", codes)
	}
	// Without the backoff every request dials (measured: one dial per
	// request, 5–8k/s). With it the first burst dials, then one probe per
	// window.
	if outageDials > requests/10 {
		t.Fatalf("%d dial attempts for %d requests: the pool does not back off", outageDials, requests)
	}

	cluster.Start()
	if !pgcluster.WaitFor(time.Minute, func() bool { return query() == nil }) {
		t.Fatalf("the pool did not recover after the server came back: %v", query())
	}
	if codes := run(200); codes[-1] != 200 {
		t.Fatalf("after recovery: %v", codes)
	}
}
