package rpc

import (
	"context"
	"strings"
	"time"

	"connectrpc.com/connect"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/rs/zerolog"

	"github.com/zeugo/zeugo/backend/internal/access"
	"github.com/zeugo/zeugo/backend/internal/apperr"
	"github.com/zeugo/zeugo/backend/internal/requestinfo"
)

// observeInterceptor is the outermost interceptor: it maps every error once
// (toConnect) and records per-procedure metrics with the final code.
type observeInterceptor struct {
	log      zerolog.Logger
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
}

func (o *observeInterceptor) WrapUnary(next connect.UnaryFunc) connect.UnaryFunc {
	return func(ctx context.Context, req connect.AnyRequest) (connect.AnyResponse, error) {
		start := time.Now()
		proc := req.Spec().Procedure
		res, err := next(ctx, req)
		err = toConnect(ctx, o.log, proc, err)
		code := "ok"
		if err != nil {
			code = connect.CodeOf(err).String()
			switch connect.CodeOf(err) {
			case connect.CodePermissionDenied, connect.CodeResourceExhausted, connect.CodeUnauthenticated, connect.CodeInvalidArgument:
				// Security-relevant refusals: procedure, code, request id and
				// the client's network (pseudonymised, see ClientNetwork),
				// never the request's content.
				info := requestinfo.From(ctx)
				o.log.Info().Str("request_id", info.RequestID).Str("client_net", info.ClientNetwork()).
					Str("procedure", proc).Str("code", code).Msg("request refused")
			}
		}
		o.requests.WithLabelValues(proc, code).Inc()
		o.latency.WithLabelValues(proc).Observe(time.Since(start).Seconds())
		return res, err
	}
}

func (o *observeInterceptor) WrapStreamingClient(next connect.StreamingClientFunc) connect.StreamingClientFunc {
	return next
}

func (o *observeInterceptor) WrapStreamingHandler(next connect.StreamingHandlerFunc) connect.StreamingHandlerFunc {
	return func(ctx context.Context, conn connect.StreamingHandlerConn) error {
		return toConnect(ctx, o.log, conn.Spec().Procedure, next(ctx, conn))
	}
}

// accessInterceptor enforces the rule each rpc declares in its proto
// (option zeugo.v1.access): public calls pass; every other call needs a
// valid bearer token whose principal the rule admits. Handlers never decide
// who may call them, and a procedure without a rule is refused.
type accessInterceptor struct {
	auth  Authenticator
	rules map[string]access.Rule
	log   zerolog.Logger
}

func bearer(h interface{ Get(string) string }) string {
	v := h.Get("Authorization")
	if len(v) > 7 && strings.EqualFold(v[:7], "bearer ") {
		return strings.TrimSpace(v[7:])
	}
	return ""
}

// admit authenticates the call (unless public) and applies the rule; it
// returns the context the handler runs with and the call's access state
// (nil for public calls). A unary call may carry its session check into its
// first database round trip; a stream is checked before it starts.
func (a *accessInterceptor) admit(ctx context.Context, procedure string, h interface{ Get(string) string }, unary bool) (context.Context, *access.Call, error) {
	rule, ok := a.rules[procedure]
	if !ok {
		a.log.Error().Str("procedure", procedure).Msg("no access rule; refused")
		return nil, nil, apperr.ErrPermissionDenied
	}
	if rule.Level == access.Public {
		return ctx, nil, nil
	}
	tok := bearer(h)
	if tok == "" {
		return nil, nil, apperr.ErrUnauthenticated
	}
	p, chk, err := a.auth.Authenticate(ctx, tok, unary)
	if err != nil {
		return nil, nil, err
	}
	call := access.NewCall(rule, p, chk)
	if err := rule.Allow(p); err != nil {
		if chk != nil {
			// Decided on a remembered principal: the role may have gained
			// the area since. Decide again on the session's current state.
			err = a.auth.Settle(ctx, call)
		}
		if err != nil {
			if call.Stale() {
				return nil, call, err // decided on stale rights: the caller decides again
			}
			if apperr.CodeOf(err) == apperr.PermissionDenied {
				// Attributable refusals: who (ids only) tried what.
				a.log.Info().Str("request_id", requestinfo.From(ctx).RequestID).Str("procedure", procedure).
					Str("tenant_id", p.TenantID.String()).Str("actor_kind", string(p.Kind)).
					Str("actor_id", p.ActorID.String()).Msg("permission denied")
			}
			if rec, ok := a.auth.(RefusalRecorder); ok {
				rec.Refused(ctx, procedure, rule, p)
			}
			return nil, nil, err
		}
	}
	return access.WithCall(ctx, call), call, nil
}

// settled makes sure the call paid its session check: a handler that
// touched no tenant data has it run now, and a failed check refuses the
// call whatever the handler answered, so nothing it read leaves.
func (a *accessInterceptor) settled(ctx context.Context, call *access.Call) error {
	if call == nil {
		return nil
	}
	if call.Pending() != nil {
		return a.auth.Settle(ctx, call) // the check runs without the call state (auth)
	}
	return call.Err()
}

func (a *accessInterceptor) WrapUnary(next connect.UnaryFunc) connect.UnaryFunc {
	return func(ctx context.Context, req connect.AnyRequest) (connect.AnyResponse, error) {
		res, stale, err := a.unary(ctx, req, next, true)
		if stale {
			// The check the call owed refused: its session ended, or only
			// the remembered rights it was decided on changed (role, areas,
			// certificate access, tenant state). Everything behind the check
			// was aborted, so the call is decided once more, on a fresh
			// check — which refuses for good if the session ended.
			res, _, err = a.unary(ctx, req, next, false)
		}
		return res, err
	}
}

// unary admits and runs one attempt of a unary call; stale reports a
// refusal by an owed check (Call.Stale).
func (a *accessInterceptor) unary(ctx context.Context, req connect.AnyRequest, next connect.UnaryFunc, mayDefer bool) (connect.AnyResponse, bool, error) {
	ctx, call, err := a.admit(ctx, req.Spec().Procedure, req.Header(), mayDefer)
	if err != nil {
		return nil, call != nil && call.Stale(), err
	}
	res, err := next(ctx, req)
	if serr := a.settled(ctx, call); serr != nil {
		return nil, call.Stale(), serr
	}
	return res, false, err
}

func (a *accessInterceptor) WrapStreamingClient(next connect.StreamingClientFunc) connect.StreamingClientFunc {
	return next
}

func (a *accessInterceptor) WrapStreamingHandler(next connect.StreamingHandlerFunc) connect.StreamingHandlerFunc {
	return func(ctx context.Context, conn connect.StreamingHandlerConn) error {
		ctx, _, err := a.admit(ctx, conn.Spec().Procedure, conn.RequestHeader(), false)
		if err != nil {
			return err
		}
		return next(ctx, conn)
	}
}
