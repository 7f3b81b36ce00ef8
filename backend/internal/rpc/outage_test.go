package rpc

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"connectrpc.com/connect"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/rs/zerolog"
	"google.golang.org/protobuf/types/known/emptypb"

	"github.com/zeugo/zeugo/backend/internal/apperr"
	"github.com/zeugo/zeugo/backend/internal/postgres"
	"github.com/zeugo/zeugo/backend/internal/requestinfo"
)

// refusedConnectError is what pgx returns while the database is down.
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

func TestOutageErrorsAnswerUnavailableNotInternal(t *testing.T) {
	t.Parallel()
	ctx := requestinfo.With(context.Background(), requestinfo.Info{RequestID: "rid-1"})
	down := refusedConnectError(t)
	for name, err := range map[string]error{
		"classified":                      postgres.Classify(down),
		"wrapped as Internal (ratelimit)": apperr.Wrap(apperr.Internal, "internal error", down),
		"unclassified":                    fmt.Errorf("find login: %w", down),
		"dial backoff":                    fmt.Errorf("acquire: %w", postgres.ErrDatabaseUnavailable),
	} {
		var log strings.Builder
		got := toConnect(ctx, zerolog.New(&log), "/p", err)
		var ce *connect.Error
		if !errors.As(got, &ce) || ce.Code() != connect.CodeUnavailable {
			t.Errorf("%s: got %v, want Unavailable", name, got)
			continue
		}
		if strings.Contains(ce.Message(), "127.0.0.1") || strings.Contains(ce.Message(), "user=") {
			t.Errorf("%s: message %q reveals the cause", name, ce.Message())
		}
		if strings.Contains(log.String(), `"level":"error"`) {
			t.Errorf("%s: an outage is logged as an error: %s", name, log.String())
		}
	}
	// A server deadline that a store wrapped as Internal is a timeout.
	late := toConnect(ctx, zerolog.Nop(), "/p", apperr.Wrap(apperr.Internal, "internal error", context.DeadlineExceeded))
	if connect.CodeOf(late) != connect.CodeDeadlineExceeded {
		t.Errorf("deadline: got %v, want DeadlineExceeded", late)
	}
}

func TestBurstLogLetsOneLinePerWindowThroughAndCountsTheRest(t *testing.T) {
	t.Parallel()
	now := time.Unix(1_700_000_000, 0)
	b := newBurstLog(5*time.Second, func() time.Time { return now })
	if ok, n := b.allow(); !ok || n != 0 {
		t.Fatalf("first event: %v, %d", ok, n)
	}
	for range 1000 {
		if ok, _ := b.allow(); ok {
			t.Fatal("a second line within the window")
		}
	}
	now = now.Add(5*time.Second - time.Nanosecond)
	if ok, _ := b.allow(); ok {
		t.Fatal("the window ended early")
	}
	now = now.Add(time.Nanosecond)
	if ok, n := b.allow(); !ok || n != 1001 {
		t.Fatalf("after the window: %v, suppressed %d, want 1001", ok, n)
	}
	now = now.Add(time.Hour)
	if ok, n := b.allow(); !ok || n != 0 {
		t.Fatalf("after a quiet hour: %v, suppressed %d", ok, n)
	}
}

func TestDeadlineInterceptorBoundsEveryUnaryCall(t *testing.T) {
	t.Parallel()
	var got time.Time
	var had bool
	next := func(ctx context.Context, _ connect.AnyRequest) (connect.AnyResponse, error) {
		got, had = ctx.Deadline()
		return nil, nil
	}
	call := NewDeadlineInterceptor(3 * time.Second).WrapUnary(next)

	start := time.Now()
	if _, err := call(context.Background(), connect.NewRequest(&emptypb.Empty{})); err != nil {
		t.Fatal(err)
	}
	if !had || got.Before(start.Add(3*time.Second)) || got.After(time.Now().Add(3*time.Second)) {
		t.Fatalf("no 3 s server deadline: %v %v", had, got)
	}

	// The client's shorter deadline wins …
	short := time.Now().Add(time.Second)
	ctx, cancel := context.WithDeadline(context.Background(), short)
	defer cancel()
	if _, _ = call(ctx, connect.NewRequest(&emptypb.Empty{})); !got.Equal(short) {
		t.Fatalf("client deadline %v replaced by %v", short, got)
	}
	// … a longer one does not.
	long := time.Now().Add(time.Hour)
	ctx2, cancel2 := context.WithDeadline(context.Background(), long)
	defer cancel2()
	if _, _ = call(ctx2, connect.NewRequest(&emptypb.Empty{})); !got.Before(long) {
		t.Fatalf("a client's hour outlasts the server deadline: %v", got)
	}

	// A call that fails because the deadline passed answers
	// DeadlineExceeded, even when what failed inside classified itself as
	// Unavailable (a cancelled database call), so clients do not retry it
	// at once.
	expired := NewDeadlineInterceptor(time.Millisecond).WrapUnary(func(ctx context.Context, _ connect.AnyRequest) (connect.AnyResponse, error) {
		<-ctx.Done()
		return nil, apperr.Wrap(apperr.Unavailable, "the request was cancelled or timed out", ctx.Err())
	})
	if _, err := expired(context.Background(), connect.NewRequest(&emptypb.Empty{})); connect.CodeOf(err) != connect.CodeDeadlineExceeded {
		t.Fatalf("expired server deadline: %v, want DeadlineExceeded", err)
	}

	// Zero means the default.
	start = time.Now()
	if _, _ = NewDeadlineInterceptor(0).WrapUnary(next)(context.Background(), connect.NewRequest(&emptypb.Empty{})); got.Before(start.Add(DefaultRPCTimeout)) {
		t.Fatalf("default deadline %v", got)
	}
}
