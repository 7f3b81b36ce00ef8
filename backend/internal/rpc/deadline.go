package rpc

import (
	"context"
	"errors"
	"time"

	"connectrpc.com/connect"
)

// DefaultRPCTimeout is the server deadline of a unary RPC when none is
// configured (config ZEUGO_RPC_TIMEOUT).
const DefaultRPCTimeout = 10 * time.Second

// NewDeadlineInterceptor gives every unary RPC a server deadline of d (d ≤ 0
// means DefaultRPCTimeout). A client's shorter deadline still wins: connect
// has already put it into the context, and a derived context keeps the
// earlier of the two. Without it a request whose client sets no deadline
// waited as long as a frozen database let it (15 s measured, unbounded in
// principle). Streaming RPCs are left alone: exports may take longer and
// bound themselves.
func NewDeadlineInterceptor(d time.Duration) connect.Interceptor {
	if d <= 0 {
		d = DefaultRPCTimeout
	}
	return deadlineInterceptor{timeout: d}
}

type deadlineInterceptor struct{ timeout time.Duration }

func (i deadlineInterceptor) WrapUnary(next connect.UnaryFunc) connect.UnaryFunc {
	return func(ctx context.Context, req connect.AnyRequest) (connect.AnyResponse, error) {
		if req.Spec().IsClient {
			return next(ctx, req)
		}
		ctx, cancel := context.WithTimeout(ctx, i.timeout)
		defer cancel()
		res, err := next(ctx, req)
		if err != nil && errors.Is(ctx.Err(), context.DeadlineExceeded) {
			// Whatever failed inside failed because the deadline passed:
			// DeadlineExceeded, not the Unavailable a cancelled database
			// call classifies as (which clients would retry at once).
			return nil, connect.NewError(connect.CodeDeadlineExceeded, errors.New("request timed out"))
		}
		return res, err
	}
}

func (i deadlineInterceptor) WrapStreamingClient(next connect.StreamingClientFunc) connect.StreamingClientFunc {
	return next
}

func (i deadlineInterceptor) WrapStreamingHandler(next connect.StreamingHandlerFunc) connect.StreamingHandlerFunc {
	return next
}
