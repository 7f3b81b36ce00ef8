package rpc_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"connectrpc.com/connect"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/rs/zerolog"
	"google.golang.org/protobuf/types/known/emptypb"

	"github.com/zeugo/zeugo/backend/internal/access"
	"github.com/zeugo/zeugo/backend/internal/apperr"
	"github.com/zeugo/zeugo/backend/internal/mount"
	"github.com/zeugo/zeugo/backend/internal/rpc"
)

// probeProcedure is a test-only rpc mounted through rpc.NewHandler, so the
// test sees what the server's own interceptor chain gives every handler.
const probeProcedure = "/zeugo.test.Probe/Call"

// pendingCheck is a session check that is still owed; fakeAuth settles it
// as "session gone" (no fresh principal) when gone is set.
type pendingCheck struct{}

func (pendingCheck) Statement() (string, []any)              { return "SELECT 1", nil }
func (pendingCheck) Scan(pgx.Row) (*access.Principal, error) { return nil, nil }

// fakeAuth admits every bearer token as one user; with defer set it hands
// the session check back as owed (like a remembered principal), and its
// Settle reports the session as gone when gone is set.
type fakeAuth struct {
	deferCheck bool
	gone       bool
	settled    atomic.Int32
}

func (a *fakeAuth) Authenticate(_ context.Context, _ string, mayDefer bool) (*access.Principal, access.SessionCheck, error) {
	p := &access.Principal{Kind: access.KindUser, ActorID: uuid.New(), UserID: uuid.New(), TenantID: uuid.New(), SessionID: uuid.New()}
	if a.deferCheck && mayDefer {
		return p, pendingCheck{}, nil
	}
	if a.gone { // a fresh check of a gone session refuses at once
		return nil, nil, apperr.ErrUnauthenticated
	}
	return p, nil, nil
}

func (a *fakeAuth) Settle(_ context.Context, call *access.Call) error {
	a.settled.Add(1)
	if a.gone {
		return call.Settle(nil, nil)
	}
	fresh := &access.Principal{Kind: access.KindUser}
	return call.Settle(fresh, nil)
}

// probeServer serves the probe rpc through rpc.NewHandler; handle is the
// probe's handler body.
func probeServer(t *testing.T, auth rpc.Authenticator, timeout time.Duration, handle func(context.Context) error) *connect.Client[emptypb.Empty, emptypb.Empty] {
	t.Helper()
	svc := mount.Service{Name: "zeugo.test.Probe", Handler: func(opts ...connect.HandlerOption) (string, http.Handler) {
		return probeProcedure, connect.NewUnaryHandler(probeProcedure,
			func(ctx context.Context, _ *connect.Request[emptypb.Empty]) (*connect.Response[emptypb.Empty], error) {
				if err := handle(ctx); err != nil {
					return nil, err
				}
				return connect.NewResponse(&emptypb.Empty{}), nil
			}, opts...)
	}}
	h := rpc.NewHandler(rpc.Deps{
		Log: zerolog.Nop(), Auth: auth, Services: []mount.Service{svc}, RPCTimeout: timeout,
		Rules: map[string]access.Rule{probeProcedure: {Level: access.SignedIn, Kinds: []access.Kind{access.KindUser}}},
	})
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return connect.NewClient[emptypb.Empty, emptypb.Empty](srv.Client(), srv.URL+probeProcedure)
}

func callProbe(c *connect.Client[emptypb.Empty, emptypb.Empty]) error {
	req := connect.NewRequest(&emptypb.Empty{})
	req.Header().Set("Authorization", "Bearer t")
	_, err := c.CallUnary(context.Background(), req)
	return err
}

// TestServerChainBoundsEveryCall: the handler of every rpc runs under the
// server deadline — the deadline interceptor is part of the server's chain,
// not only correct on its own (rpc/outage_test.go tests it alone).
func TestServerChainBoundsEveryCall(t *testing.T) {
	t.Parallel()
	type seen struct {
		deadline time.Time
		had      bool
	}
	got := make(chan seen, 1)
	c := probeServer(t, &fakeAuth{}, 7*time.Second, func(ctx context.Context) error {
		d, ok := ctx.Deadline()
		got <- seen{d, ok}
		return nil
	})
	start := time.Now()
	if err := callProbe(c); err != nil {
		t.Fatal(err)
	}
	s := <-got
	deadline, had := s.deadline, s.had
	// The client sets no deadline: any deadline is the server's. Bounds,
	// not timing: it lies between the call's start and its end plus 7 s.
	if !had || deadline.Before(start) || deadline.After(time.Now().Add(7*time.Second)) {
		t.Fatalf("the handler ran without the 7 s server deadline (deadline %v, set %v)", deadline, had)
	}
}

// TestOwedSessionCheckIsSettledAfterTheHandler: a call decided on a
// remembered principal owes its session check. When the handler touches no
// tenant data, or ignores the failed check of its first round trip, the
// access interceptor still settles it and refuses the call — so a revoked
// session never gets an answer.
func TestOwedSessionCheckIsSettledAfterTheHandler(t *testing.T) {
	t.Parallel()
	t.Run("handler touches no data", func(t *testing.T) {
		t.Parallel()
		auth := &fakeAuth{deferCheck: true, gone: true}
		var ran atomic.Bool
		c := probeServer(t, auth, 0, func(context.Context) error { ran.Store(true); return nil })
		if err := callProbe(c); connect.CodeOf(err) != connect.CodeUnauthenticated {
			t.Fatalf("dead session: got %v, want Unauthenticated", err)
		}
		if !ran.Load() || auth.settled.Load() != 1 {
			t.Fatalf("handler ran %v, check settled %d times; want once, after the handler", ran.Load(), auth.settled.Load())
		}
	})
	t.Run("handler ignores the failed check", func(t *testing.T) {
		t.Parallel()
		auth := &fakeAuth{deferCheck: true, gone: true}
		c := probeServer(t, auth, 0, func(ctx context.Context) error {
			// What a store's first round trip does (postgres.TenantTx …),
			// with the error dropped.
			call := access.CallFrom(ctx)
			if call == nil || call.Pending() == nil {
				return errors.New("no owed check in the handler's context")
			}
			_ = call.Settle(nil, nil)
			return nil
		})
		if err := callProbe(c); connect.CodeOf(err) != connect.CodeUnauthenticated {
			t.Fatalf("ignored failed check: got %v, want Unauthenticated", err)
		}
	})
	t.Run("live session", func(t *testing.T) {
		t.Parallel()
		auth := &fakeAuth{deferCheck: true}
		c := probeServer(t, auth, 0, func(context.Context) error { return nil })
		if err := callProbe(c); err != nil {
			t.Fatalf("live session refused: %v", err)
		}
		if auth.settled.Load() != 1 {
			t.Fatalf("check settled %d times, want 1", auth.settled.Load())
		}
	})
}
