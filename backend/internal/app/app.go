// Package app is the composition root: it builds every component from a
// Config in one place, for the server, the operator commands and the tests.
package app

import (
	"cmp"
	"context"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/rs/zerolog"

	"github.com/zeugo/zeugo/backend/internal/access"
	"github.com/zeugo/zeugo/backend/internal/account"
	"github.com/zeugo/zeugo/backend/internal/apikey"
	"github.com/zeugo/zeugo/backend/internal/audit"
	"github.com/zeugo/zeugo/backend/internal/auth"
	"github.com/zeugo/zeugo/backend/internal/branding"
	"github.com/zeugo/zeugo/backend/internal/certificates"
	"github.com/zeugo/zeugo/backend/internal/config"
	"github.com/zeugo/zeugo/backend/internal/employees"
	"github.com/zeugo/zeugo/backend/internal/handover"
	"github.com/zeugo/zeugo/backend/internal/jobs"
	"github.com/zeugo/zeugo/backend/internal/keyring"
	"github.com/zeugo/zeugo/backend/internal/layout"
	"github.com/zeugo/zeugo/backend/internal/mailtpl"
	"github.com/zeugo/zeugo/backend/internal/mfa"
	"github.com/zeugo/zeugo/backend/internal/mount"
	"github.com/zeugo/zeugo/backend/internal/organization"
	"github.com/zeugo/zeugo/backend/internal/outbox"
	"github.com/zeugo/zeugo/backend/internal/paging"
	"github.com/zeugo/zeugo/backend/internal/password"
	"github.com/zeugo/zeugo/backend/internal/postgres"
	"github.com/zeugo/zeugo/backend/internal/ratelimit"
	"github.com/zeugo/zeugo/backend/internal/roles"
	"github.com/zeugo/zeugo/backend/internal/rpc"
	"github.com/zeugo/zeugo/backend/internal/selfservice"
	"github.com/zeugo/zeugo/backend/internal/settings"
	"github.com/zeugo/zeugo/backend/internal/sso"
	"github.com/zeugo/zeugo/backend/internal/tenant"
	"github.com/zeugo/zeugo/backend/internal/tenantcatalog"
	"github.com/zeugo/zeugo/backend/internal/uow"
	"github.com/zeugo/zeugo/backend/internal/users"

	"net/http"
)

// App holds the built components.
type App struct {
	Cfg  *config.Config
	Log  zerolog.Logger
	Now  func() time.Time
	Pool *pgxpool.Pool
	DB   *postgres.DB

	Keys         *keyring.Keyring
	Index        *keyring.IndexKey
	Hasher       *password.Hasher
	Signer       *auth.Signer
	Audit        *audit.Writer
	AuditChain   *audit.ChainKey
	Limiter      *ratelimit.Limiter
	Auth         *auth.Authenticator
	Work         *uow.Runner
	Organization *organization.Service
	Employees    *employees.Service
	Certificates *certificates.Service
	Provisioner  *tenant.Provisioner

	// APIKeys is the ApiKeyService; Authenticator checks every call's
	// bearer token: handover recipients' sessions itself, API keys and
	// user sessions through the authenticators behind it.
	APIKeys       *apikey.Service
	Authenticator *handover.Authenticator
	// Handovers is HandoverService and HandoverRecipientService.
	Handovers *handover.Service

	// Outbox writes emails and SMS in the actions' transactions and
	// delivers them (its job: Outbox.Periodic).
	Outbox   *outbox.Outbox
	Registry *prometheus.Registry
	// Services are the Connect services the server mounts, one line per
	// domain; Rules are their access rules, read from the proto.
	Services []mount.Service
	Rules    map[string]access.Rule
	// Sweepers are the domains' housekeeping for the cleanup job, one line
	// per domain.
	Sweepers []jobs.Sweeper
	// FrequentSweepers run every few seconds (chaining queued read events).
	FrequentSweepers []jobs.Sweeper
	// Jobs inserts on-demand jobs in requests' transactions; OnDemand are
	// those jobs' queues and workers for jobs.Start, one line per domain.
	Jobs     *jobs.Inserter
	OnDemand []jobs.Periodic
}

// Options adjust what Build does.
type Options struct {
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// Policy overrides the sign-in policy; auth.DefaultPolicy when zero.
	Policy *auth.Policy
	// HashParams overrides argon2id parameters (benchmarks compare against
	// the same parameters); password.OWASP when nil.
	HashParams *password.Params
}

// Build wires the components over pool. For the server, pool is the
// zeugo_app pool; for operator commands, the owner pool.
func Build(ctx context.Context, cfg *config.Config, log zerolog.Logger, pool *pgxpool.Pool, opts Options) (*App, error) {
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	master, err := keyring.NewMaster(cfg.MasterKeys)
	if err != nil {
		return nil, err
	}
	keys := keyring.New(master, now)
	idx, err := keys.EnsurePlatformKey(ctx, pool, keyring.BlindIndexKey)
	if err != nil {
		return nil, fmt.Errorf("blind-index key: %w", err)
	}
	sig, err := keys.EnsurePlatformKey(ctx, pool, keyring.TokenSigningKey)
	if err != nil {
		return nil, fmt.Errorf("token signing key: %w", err)
	}
	chain, err := keys.EnsurePlatformKey(ctx, pool, keyring.AuditChainKey)
	if err != nil {
		return nil, fmt.Errorf("audit chain key: %w", err)
	}
	policy := auth.DefaultPolicy
	if opts.Policy != nil {
		policy = *opts.Policy
	}
	signer, err := auth.NewSigner(sig, policy.AccessTokenTTL, now)
	if err != nil {
		return nil, err
	}
	params := password.OWASP
	if opts.HashParams != nil {
		params = *opts.HashParams
	}
	a := &App{Cfg: cfg, Log: log, Now: now, Pool: pool, DB: &postgres.DB{Pool: pool}, Keys: keys,
		Index: keyring.NewIndexKey(idx[len(idx)-1].Key), Hasher: password.NewHasher(params, cfg.HashConcurrency),
		Signer: signer, AuditChain: audit.NewChainKey(chain[0].Key), Registry: prometheus.NewRegistry()}
	a.Audit = audit.NewWriter(keys, a.AuditChain, now)
	a.Limiter = ratelimit.New(pool, a.Index, now)
	pages, err := paging.NewCodec(a.Index.Sum("zeugo page tokens", "v1"))
	if err != nil {
		return nil, err
	}
	a.Work = uow.New(a.DB, keys, a.Audit, pages, now)
	mailer, sms, err := outbox.Transports(cfg)
	if err != nil {
		a.Close()
		return nil, err
	}
	a.Outbox = outbox.New(outbox.Deps{DB: a.DB, Keys: keys, Now: now, Log: log, Mailer: mailer, SMS: sms, From: cfg.Mail.From,
		Audit: a.Audit})
	factors := mfa.NewFactors(keys, a.Index, a.Outbox, a.Limiter)
	rp, err := mfa.NewRelyingParty(cfg.PublicURL, cfg.Env == config.Development)
	if err != nil {
		a.Close()
		return nil, err
	}
	a.Auth = auth.NewAuthenticator(auth.Deps{DB: a.DB, Keys: keys, Index: a.Index, Hasher: a.Hasher, Signer: signer,
		Audit: a.Audit, Limiter: a.Limiter, Policy: policy, Now: now, Log: log, Work: a.Work,
		Outbox: a.Outbox, PublicURL: publicURL(cfg), Factors: factors, RelyingParty: rp})
	a.Organization = organization.NewService(a.Work)
	a.Employees = employees.NewService(a.Work, a.Index)
	a.Certificates = certificates.NewService(a.Work, a.Index)
	if a.Jobs, err = jobs.NewInserter(pool); err != nil {
		a.Close()
		return nil, err
	}
	a.Certificates.UseJobs(a.Jobs)
	catalogs := tenantcatalog.NewService(a.Work)
	a.Certificates.UseLibraries(catalogs)
	a.Employees.AddDataSection(a.Certificates.SubjectData())
	a.OnDemand = []jobs.Periodic{a.Certificates.ExportJob()}
	a.APIKeys = apikey.NewService(a.Work)
	a.Authenticator = handover.NewAuthenticator(apikey.NewAuthenticator(apikey.AuthDeps{Session: a.Auth, DB: a.DB,
		Audit: a.Audit, Now: now, Log: log, Limiter: a.Limiter}), a.DB, now)
	a.Handovers = handover.NewService(handover.Deps{Work: a.Work, DB: a.DB, Certs: a.Certificates, Outbox: a.Outbox,
		Limiter: a.Limiter, Index: a.Index, PublicURL: cfg.PublicURL, MaxDays: cmp.Or(cfg.HandoverMaxDays, config.DefaultHandoverMaxDays)})
	mfaService := mfa.NewService(a.Work, factors, rp)
	a.Provisioner = &tenant.Provisioner{DB: a.DB, Keys: keys, Index: a.Index, Hasher: a.Hasher, Audit: a.Audit, Now: now}
	a.Services = []mount.Service{
		auth.Mount(a.Auth),
		organization.Mount(a.Organization),
		account.Mount(account.NewService(a.Work)),
		mfa.Mount(mfaService),
		settings.Mount(settings.NewService(a.Work, settings.BoundsFor(policy.IdleTimeout, policy.AbsoluteTimeout), mfaService)),
		apikey.Mount(a.APIKeys),
		users.Mount(users.NewService(a.Work, a.Outbox, a.Index, cfg.PublicURL)),
		roles.Mount(roles.NewService(a.Work)),
		employees.Mount(a.Employees),
		certificates.Mount(a.Certificates),
		tenantcatalog.Mount(catalogs),
		mailtpl.MountTemplates(mailtpl.NewService(a.Work, a.Outbox, a.Limiter)),
		mailtpl.MountSender(mailtpl.NewService(a.Work, a.Outbox, a.Limiter)),
		layout.Mount(layout.NewService(a.Work)),
		branding.Mount(branding.NewService(a.Work)),
		selfservice.Mount(selfservice.NewService(selfservice.Deps{Work: a.Work, DB: a.DB, Keys: keys, Index: a.Index,
			Audit: a.Audit, Limiter: a.Limiter, Outbox: a.Outbox, Certificates: a.Certificates})),
	}
	a.Services = append(a.Services, handover.Mount(a.Handovers)...)
	a.Services = append(a.Services, sso.Mount(sso.NewService(sso.Deps{Work: a.Work, DB: a.DB, Keys: keys, Index: a.Index,
		Audit: a.Audit, Limiter: a.Limiter, Auth: a.Auth, PublicURL: ssoPublicURL(cfg), Development: cfg.Env == config.Development,
		Now: now, Log: log})))
	a.Sweepers = []jobs.Sweeper{
		auth.SessionSweeper(24 * time.Hour),
		auth.ChallengeSweeper(),
		factors.Sweeper(),
		users.LinkSweeper(7 * 24 * time.Hour),
		organization.LetterheadSweeper(keys),
		a.Outbox.Sweeper(7*24*time.Hour, 30*24*time.Hour),
		certificates.ExportSweeper(),
		sso.Sweeper(),
	}
	a.Sweepers = append(a.Sweepers, handover.Sweepers()...)
	a.FrequentSweepers = []jobs.Sweeper{uow.AuditChainer(a.Audit)}
	if a.Rules, err = access.Rules(ServiceNames(a.Services)...); err != nil {
		a.Close()
		return nil, err
	}
	a.APIKeys.UseRules(a.Rules)
	return a, nil
}

// ServiceNames are the names of services, for health, reflection and the
// access rules.
func ServiceNames(services []mount.Service) []string {
	names := make([]string, len(services))
	for i, s := range services {
		names[i] = s.Name
	}
	return names
}

// publicURL is the origin of links in mails ("" when the configuration
// names none: links are then relative).
func publicURL(cfg *config.Config) string {
	if cfg.PublicURL == nil {
		return ""
	}
	return cfg.PublicURL.String()
}

// ssoPublicURL is the origin of single sign-on's redirect URI: the
// configured public URL in production; in development none, so that it
// follows the address the browser used (a developer's server, the browser
// tests' server on a free port).
func ssoPublicURL(cfg *config.Config) string {
	if cfg.Env == config.Development {
		return ""
	}
	return publicURL(cfg)
}

// Close releases what Build started (the hashing threads).
func (a *App) Close() { a.Hasher.Close() }

// TuneRuntime gives the Go scheduler one processor more per hashing thread,
// so that request goroutines always find a processor while every hashing
// thread is busy; the kernel then favours them by priority (see package
// password). Call once at start of a serving process.
//
// It also applies docs/performance.md's recommendation for PDF rendering
// (downloads and exports): go-pdf/fpdf allocates ≈ 15 MB per document, so
// at the default GOGC=100 the collector costs more than the rendering.
// Unless GOGC is set, the collector runs at 400; unless GOMEMLIMIT is set,
// the heap is limited to 80 % of the container's memory (cgroup v2
// memory.max), so the higher GOGC cannot outgrow the container.
func TuneRuntime(cfg *config.Config) {
	runtime.GOMAXPROCS(runtime.NumCPU() + cfg.HashConcurrency)
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		if b, err := os.ReadFile("/sys/fs/cgroup/memory.max"); err == nil {
			if limit, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64); err == nil && limit > 0 {
				debug.SetMemoryLimit(limit / 10 * 8)
			}
		}
	}
}

// Handler is the server's HTTP handler.
func (a *App) Handler() http.Handler {
	return rpc.NewHandler(rpc.Deps{Log: a.Log, Pool: a.Pool, Auth: a.Authenticator, Services: a.Services, Rules: a.Rules,
		TrustedProxies: a.Cfg.TrustedProxies, Registry: a.Registry, MetricsToken: a.Cfg.MetricsToken,
		Development: a.Cfg.Env == config.Development, AccessLog: a.Cfg.AccessLog, RPCTimeout: a.Cfg.RPCTimeout})
}
