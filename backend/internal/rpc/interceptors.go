package rpc

import (
	"context"
	"strings"
	"time"

	"connectrpc.com/connect"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/rs/zerolog"

	"github.com/zeugo/zeugo/backend/internal/apperr"
	"github.com/zeugo/zeugo/backend/internal/auth"
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

// authInterceptor authenticates every call except the public ones and puts
// the principal into the context.
type authInterceptor struct {
	auth   *auth.Authenticator
	public map[string]bool
	log    zerolog.Logger
}

func bearer(h interface{ Get(string) string }) string {
	v := h.Get("Authorization")
	if len(v) > 7 && strings.EqualFold(v[:7], "bearer ") {
		return strings.TrimSpace(v[7:])
	}
	return ""
}

func (a *authInterceptor) WrapUnary(next connect.UnaryFunc) connect.UnaryFunc {
	return func(ctx context.Context, req connect.AnyRequest) (connect.AnyResponse, error) {
		if a.public[req.Spec().Procedure] {
			return next(ctx, req)
		}
		tok := bearer(req.Header())
		if tok == "" {
			return nil, apperr.ErrUnauthenticated
		}
		p, err := a.auth.Authenticate(ctx, tok)
		if err != nil {
			return nil, err
		}
		res, err := next(auth.WithPrincipal(ctx, p), req)
		if apperr.CodeOf(err) == apperr.PermissionDenied {
			// Attributable refusals: who (ids only) tried what.
			a.log.Info().Str("request_id", requestinfo.From(ctx).RequestID).Str("procedure", req.Spec().Procedure).
				Str("tenant_id", p.TenantID.String()).Str("user_id", p.UserID.String()).Msg("permission denied")
		}
		return res, err
	}
}

func (a *authInterceptor) WrapStreamingClient(next connect.StreamingClientFunc) connect.StreamingClientFunc {
	return next
}

func (a *authInterceptor) WrapStreamingHandler(next connect.StreamingHandlerFunc) connect.StreamingHandlerFunc {
	return func(ctx context.Context, conn connect.StreamingHandlerConn) error {
		if a.public[conn.Spec().Procedure] {
			return next(ctx, conn)
		}
		tok := bearer(conn.RequestHeader())
		if tok == "" {
			return apperr.ErrUnauthenticated
		}
		p, err := a.auth.Authenticate(ctx, tok)
		if err != nil {
			return err
		}
		return next(auth.WithPrincipal(ctx, p), conn)
	}
}
