// Package rpc wires the Connect services into one HTTP handler: Connect,
// gRPC and gRPC-Web on the same routes, gRPC health and reflection, the SPA,
// /healthz, /readyz and /metrics, behind the middleware that sets request
// ids, client addresses, security headers and body limits. Errors become
// Connect errors here and nowhere else.
package rpc

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"net/netip"
	"slices"
	"time"

	"connectrpc.com/connect"
	"connectrpc.com/grpchealth"
	"connectrpc.com/grpcreflect"
	"connectrpc.com/validate"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/rs/zerolog"

	"github.com/zeugo/zeugo/backend/internal/access"
	"github.com/zeugo/zeugo/backend/internal/config"
	"github.com/zeugo/zeugo/backend/internal/mount"
	"github.com/zeugo/zeugo/backend/internal/postgres"
	"github.com/zeugo/zeugo/backend/internal/requestinfo"
	"github.com/zeugo/zeugo/backend/internal/web"
)

// Authenticator turns a bearer token into the caller (package auth). With
// mayDefer it may answer from memory and return the session check the call
// then owes (access.SessionCheck); Settle runs an owed check on its own.
type Authenticator interface {
	Authenticate(ctx context.Context, bearer string, mayDefer bool) (*access.Principal, access.SessionCheck, error)
	Settle(ctx context.Context, call *access.Call) error
}

// RefusalRecorder is implemented by an Authenticator that records the
// calls the access rule refused for an authenticated principal (the audit
// event of an API key used outside its scope). It runs after the decision
// and cannot change it.
type RefusalRecorder interface {
	Refused(ctx context.Context, procedure string, rule access.Rule, p *access.Principal)
}

// Deps are what the handler serves.
type Deps struct {
	Log  zerolog.Logger
	Pool *pgxpool.Pool
	Auth Authenticator
	// Services are the domains' Connect services (package app lists them).
	Services []mount.Service
	// Rules are the access rules of every procedure of Services
	// (access.Rules); a procedure without one is refused.
	Rules          map[string]access.Rule
	TrustedProxies []netip.Prefix
	// Registry receives the metrics; a fresh one when nil.
	Registry *prometheus.Registry
	// MetricsToken, when set, is the bearer token /metrics requires.
	// Without it /metrics answers loopback clients in development and
	// nobody in production (behind a local reverse proxy every client would
	// look like loopback).
	MetricsToken string
	// Development allows loopback clients to read /metrics without a token.
	Development bool
	// AccessLog selects the requests the access log records.
	AccessLog config.AccessLog
	// RPCTimeout is the server deadline of every unary RPC;
	// DefaultRPCTimeout when zero.
	RPCTimeout time.Duration
}

// NewHandler returns the complete HTTP handler of the server.
func NewHandler(d Deps) http.Handler {
	reg := d.Registry
	if reg == nil {
		reg = prometheus.NewRegistry()
	}
	requests := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "zeugo_rpc_requests_total", Help: "RPCs handled, by procedure and result code.",
	}, []string{"procedure", "code"})
	latency := prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "zeugo_rpc_duration_seconds", Help: "RPC latency by procedure.",
		Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
	}, []string{"procedure"})
	reg.MustRegister(requests, latency, collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		newPoolCollector(d.Pool))

	// Limits every handler gets, including health and reflection, which are
	// served before any authentication: the request size, the capped gzip
	// reader (a small compressed body must not inflate to gigabytes) and
	// codecs whose errors name no Go types.
	base := []connect.HandlerOption{
		cappedGzip(MaxRequestBytes),
		codecs(),
		connect.WithReadMaxBytes(MaxRequestBytes),
	}
	opts := []connect.HandlerOption{
		connect.WithInterceptors(
			&observeInterceptor{log: d.Log, requests: requests, latency: latency},
			NewDeadlineInterceptor(d.RPCTimeout),
			&accessInterceptor{auth: d.Auth, rules: d.Rules, log: d.Log},
			validate.NewInterceptor(),
			NewNoNULInterceptor(),
		),
		// Below ~8 KiB a response fits the first TCP congestion window
		// (10 segments ≈ 14 KB) anyway: compressing it saves no round trip
		// and cost an eighth of the CPU of a list call.
		connect.WithCompressMinBytes(8 << 10),
		connect.WithRecover(func(ctx context.Context, spec connect.Spec, _ http.Header, p any) error {
			rid := requestinfo.From(ctx).RequestID
			d.Log.Error().Str("request_id", rid).Str("procedure", spec.Procedure).Str("panic", fmt.Sprint(p)).Msg("panic in handler")
			return connect.NewError(connect.CodeInternal, errors.New("internal error (id "+rid+")"))
		}),
	}
	opts = append(opts, base...)
	mux := http.NewServeMux()
	services := make([]string, 0, len(d.Services))
	limits := map[string]int64{}
	for _, s := range d.Services {
		mux.Handle(s.Handler(opts...))
		services = append(services, s.Name)
		// A procedure with its own limit gets its own handler, built with
		// that limit (connect-go applies options in order, the last wins);
		// the exact path is more specific than the service's prefix.
		for path, n := range s.Limits {
			_, h := s.Handler(append(slices.Clip(opts), cappedGzip(n), connect.WithReadMaxBytes(int(n)))...)
			mux.Handle(path, h)
			limits[path] = n
		}
		for pattern, h := range s.Routes {
			mux.Handle(pattern, h)
		}
	}
	mux.Handle(grpchealth.NewHandler(grpchealth.NewStaticChecker(services...), base...))
	reflector := grpcreflect.NewStaticReflector(services...)
	mux.Handle(grpcreflect.NewHandlerV1(reflector, base...))
	mux.Handle(grpcreflect.NewHandlerV1Alpha(reflector, base...))

	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		current, err := postgres.SchemaCurrent(ctx, d.Pool)
		switch {
		case err != nil:
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte("database unreachable\n"))
		case !current:
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte("migrations pending\n"))
		default:
			_, _ = w.Write([]byte("ready\n"))
		}
	})
	mux.Handle("GET /metrics", metricsGuard(d.MetricsToken, d.Development, promhttp.HandlerFor(reg, promhttp.HandlerOpts{})))
	spa, _ := web.New(DocumentCSP)
	mux.Handle("/", spa)
	return middleware(mux, d.Log, d.TrustedProxies, d.AccessLog, limits)
}

// poolCollector exposes pgx pool statistics.
type poolCollector struct {
	pool                                *pgxpool.Pool
	total, idle, acquired, max, waitDur *prometheus.Desc
}

func newPoolCollector(p *pgxpool.Pool) *poolCollector {
	d := func(name, help string) *prometheus.Desc {
		return prometheus.NewDesc("zeugo_db_pool_"+name, help, nil, nil)
	}
	return &poolCollector{pool: p, total: d("connections", "Open connections."), idle: d("idle_connections", "Idle connections."),
		acquired: d("acquired_connections", "Connections in use."), max: d("max_connections", "Pool size limit."),
		waitDur: d("acquire_wait_seconds_total", "Time spent waiting for a connection.")}
}

func (c *poolCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.total
	ch <- c.idle
	ch <- c.acquired
	ch <- c.max
	ch <- c.waitDur
}

func (c *poolCollector) Collect(ch chan<- prometheus.Metric) {
	s := c.pool.Stat()
	ch <- prometheus.MustNewConstMetric(c.total, prometheus.GaugeValue, float64(s.TotalConns()))
	ch <- prometheus.MustNewConstMetric(c.idle, prometheus.GaugeValue, float64(s.IdleConns()))
	ch <- prometheus.MustNewConstMetric(c.acquired, prometheus.GaugeValue, float64(s.AcquiredConns()))
	ch <- prometheus.MustNewConstMetric(c.max, prometheus.GaugeValue, float64(s.MaxConns()))
	ch <- prometheus.MustNewConstMetric(c.waitDur, prometheus.CounterValue, s.AcquireDuration().Seconds())
}

// metricsGuard keeps operational metrics from the public: a bearer token
// when configured, otherwise (development only) loopback clients.
func metricsGuard(token string, loopbackOK bool, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ok := false
		if token != "" {
			ok = subtle.ConstantTimeCompare([]byte(bearer(r.Header)), []byte(token)) == 1
		} else if loopbackOK {
			ip := requestinfo.From(r.Context()).IP
			ok = ip.IsValid() && ip.IsLoopback()
		}
		if !ok {
			http.NotFound(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}
