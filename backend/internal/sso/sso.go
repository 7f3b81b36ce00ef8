// Package sso is a tenant's OpenID Connect single sign-on (SPEC §3.1,
// issue 17 item 7): its configuration (area Datenschutz), the start of a
// login (SsoService.StartSso) and the identity provider's callback
// (/auth/sso/callback, a plain HTTP route), which matches the verified email
// to an active user of the tenant — or provisions one just in time when the
// tenant allows it — and hands the login to auth.ExternalLogin: a session,
// or Zeugo's second-factor step unless the identity provider proved a
// factor itself.
//
// The flow is the authorization code flow with PKCE (S256), state and
// nonce (go-oidc for discovery and id-token verification, x/oauth2 for the
// exchange). What the start must remember lives in table sso_logins, keyed
// by the hash of the state, single use, valid LoginTTL, and bound to the
// browser by the __Host- cookie FlowCookie. Every refusal at the callback
// sends the browser to the login page with a generic error code in the URL
// fragment and writes an audit record with the reason; it never tells
// which account exists.
package sso

import (
	"context"
	"errors"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/rs/zerolog"

	"github.com/zeugo/zeugo/backend/internal/apperr"
	"github.com/zeugo/zeugo/backend/internal/audit"
	"github.com/zeugo/zeugo/backend/internal/auth"
	"github.com/zeugo/zeugo/backend/internal/keyring"
	"github.com/zeugo/zeugo/backend/internal/postgres"
	"github.com/zeugo/zeugo/backend/internal/ratelimit"
	"github.com/zeugo/zeugo/backend/internal/sso/dbsqlc"
	"github.com/zeugo/zeugo/backend/internal/uow"
)

// Modes of a tenant's single sign-on.
const (
	ModeOff      = "off"
	ModeOptional = "optional"
	ModeSSOOnly  = "sso_only"
)

// Audit actions.
const (
	ActionSettingsUpdated = "sso.settings.updated"
	ActionLoginRefused    = "sso.login.refused"
	ActionUserProvisioned = "sso.user.provisioned"
)

// LoginTTL is how long a started login waits for its callback.
const LoginTTL = 10 * time.Minute

// CallbackPath is the redirect URI's path (register it at the identity
// provider with the public origin in front).
const CallbackPath = "/auth/sso/callback"

const colSecret = "sso_configs.client_secret"

// Rules are the rate limits of the public endpoints.
type Rules struct {
	StartPerIP    ratelimit.Rule
	CallbackPerIP ratelimit.Rule
}

// DefaultRules bound one client address; the flow itself is bounded by the
// identity provider's login.
var DefaultRules = Rules{
	StartPerIP:    ratelimit.Rule{Name: "sso-start-ip", Limit: 30, Window: time.Minute},
	CallbackPerIP: ratelimit.Rule{Name: "sso-callback-ip", Limit: 30, Window: time.Minute},
}

// Service is SsoService and the callback.
type Service struct {
	work      *uow.Runner
	db        *postgres.DB
	keys      *keyring.Keyring
	index     *keyring.IndexKey
	audit     *audit.Writer
	limiter   *ratelimit.Limiter
	auth      *auth.Authenticator
	q         *dbsqlc.Queries
	publicURL string
	dev       bool
	rules     Rules
	now       func() time.Time
	log       zerolog.Logger
	client    *oidcClient

	mu        sync.Mutex
	providers map[string]cachedProvider
}

type cachedProvider struct {
	p       *oidc.Provider
	fetched time.Time
}

// providerTTL is how long a discovery document is reused.
const providerTTL = 10 * time.Minute

// Deps are the collaborators of a Service.
type Deps struct {
	Work    *uow.Runner
	DB      *postgres.DB
	Keys    *keyring.Keyring
	Index   *keyring.IndexKey
	Audit   *audit.Writer
	Limiter *ratelimit.Limiter
	Auth    *auth.Authenticator
	// PublicURL is the origin people use (the redirect URI is PublicURL +
	// CallbackPath); when empty (tests that build a configuration by hand)
	// it is the origin of each request.
	PublicURL string
	// Development admits http:// issuers on loopback addresses (a local
	// identity provider, the tests' in-process one) and lets the client
	// reach loopback and link-local addresses, which production refuses.
	Development bool
	Rules       Rules
	Now         func() time.Time
	Log         zerolog.Logger
}

// NewService wires a Service.
func NewService(d Deps) *Service {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Rules == (Rules{}) {
		d.Rules = DefaultRules
	}
	return &Service{work: d.Work, db: d.DB, keys: d.Keys, index: d.Index, audit: d.Audit, limiter: d.Limiter, auth: d.Auth,
		q: dbsqlc.New(), publicURL: strings.TrimSuffix(d.PublicURL, "/"), dev: d.Development, rules: d.Rules, now: d.Now,
		log: d.Log, client: newOIDCClient(d.Development), providers: map[string]cachedProvider{}}
}

// Settings are a tenant's stored configuration.
type Settings struct {
	Issuer      string
	ClientID    string
	SecretSet   bool
	Mode        string
	Domains     []string
	JITEnabled  bool
	JITRoleID   uuid.UUID
	Version     int64
	RedirectURI string
}

// Update is a new configuration.
type Update struct {
	Issuer      string
	ClientID    string
	Secret      string
	ClearSecret bool
	Mode        string
	Domains     []string
	JITEnabled  bool
	JITRoleID   string
}

// Get returns the caller's tenant's configuration (Mode off and Version 0
// while none is stored).
func (s *Service) Get(ctx context.Context, origin string) (*Settings, error) {
	var out *Settings
	err := s.work.Read(ctx, func(rd *uow.Reader) error {
		out = &Settings{Mode: ModeOff, RedirectURI: s.redirectURI(origin), Domains: []string{}}
		r, err := s.q.GetConfig(ctx, rd.DB, rd.P.TenantID)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		fill(out, r.Issuer, r.ClientID, r.ClientSecretEnc, r.Mode, r.JitEnabled, r.JitRoleID, r.Version)
		out.Domains, err = s.q.ListDomains(ctx, rd.DB, rd.P.TenantID)
		return err
	})
	return out, err
}

func fill(out *Settings, issuer, clientID string, secret []byte, mode string, jit bool, role pgtype.UUID, version int64) {
	out.Issuer, out.ClientID, out.SecretSet, out.Mode, out.Version = issuer, clientID, len(secret) > 0, mode, version
	if role.Valid {
		out.JITRoleID = role.Bytes
	}
	out.JITEnabled = jit && role.Valid
}

// Update replaces the configuration if version is current (0 for the
// first one), else Aborted. A domain another tenant claimed is
// AlreadyExists on "fields.email_domains".
func (s *Service) Update(ctx context.Context, version int64, in Update, origin string) (*Settings, error) {
	domains, err := s.check(&in)
	if err != nil {
		return nil, err
	}
	var out *Settings
	err = s.work.Write(ctx, func(tx *uow.Tx) error {
		tenantID := tx.P.TenantID
		now := s.now()
		var role pgtype.UUID
		if in.JITEnabled {
			id, _ := uuid.Parse(in.JITRoleID)
			ok, err := s.q.RoleExists(ctx, tx, dbsqlc.RoleExistsParams{TenantID: tenantID, ID: id})
			if err != nil {
				return err
			}
			if !ok {
				return apperr.Field(apperr.InvalidArgument, "fields.jit_role_id", "zeugo.sso.role_unknown", "the role does not exist")
			}
			role = pgtype.UUID{Bytes: id, Valid: true}
		}
		c, err := tx.Cipher()
		if err != nil {
			return err
		}
		old, err := s.q.LockConfig(ctx, tx, tenantID)
		exists := err == nil
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		if (!exists && version != 0) || (exists && old.Version != version) {
			return apperr.ErrConcurrentChange
		}
		details := map[string]string{"mode": in.Mode, "domains": strings.Join(domains, ","), "jit": boolString(in.JITEnabled)}
		var secret []byte
		switch {
		case in.Secret != "":
			secret = c.SealString(tenantID, colSecret, in.Secret)
			details["client_secret"] = "changed"
		case in.ClearSecret:
			details["client_secret"] = "cleared"
		case exists:
			secret = old.ClientSecretEnc
		}
		newVersion := int64(1)
		if exists {
			if old.Issuer != in.Issuer {
				details["issuer"] = old.Issuer + " → " + in.Issuer
			}
			if old.ClientID != in.ClientID {
				details["client_id"] = "changed"
			}
			if old.Mode != in.Mode {
				details["mode"] = old.Mode + " → " + in.Mode
			}
			newVersion, err = s.q.UpdateConfig(ctx, tx, dbsqlc.UpdateConfigParams{TenantID: tenantID, Issuer: in.Issuer,
				ClientID: in.ClientID, ClientSecretEnc: secret, Mode: in.Mode, JitEnabled: in.JITEnabled, JitRoleID: role, Now: now})
		} else {
			details["issuer"] = in.Issuer
			err = s.q.InsertConfig(ctx, tx, dbsqlc.InsertConfigParams{TenantID: tenantID, Issuer: in.Issuer, ClientID: in.ClientID,
				ClientSecretEnc: secret, Mode: in.Mode, JitEnabled: in.JITEnabled, JitRoleID: role, Now: now})
		}
		if err != nil {
			return err
		}
		if err := s.q.DeleteDomains(ctx, tx, tenantID); err != nil {
			return err
		}
		if len(domains) > 0 {
			if err := s.q.InsertDomains(ctx, tx, dbsqlc.InsertDomainsParams{Domains: domains, TenantID: tenantID}); err != nil {
				return postgres.UniqueField(err, "fields.email_domains", "sso_domains_pkey")
			}
		}
		out = &Settings{RedirectURI: s.redirectURI(origin), Domains: domains}
		fill(out, in.Issuer, in.ClientID, secret, in.Mode, in.JITEnabled, role, newVersion)
		return tx.Record(ActionSettingsUpdated, uow.Target{Type: "tenant", ID: tenantID}, details)
	})
	if err != nil {
		return nil, err
	}
	s.forget(in.Issuer)
	return out, nil
}

var domainRE = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$`)

// check validates an update and returns its normalised domains.
func (s *Service) check(in *Update) ([]string, error) {
	in.Issuer = strings.TrimSpace(in.Issuer)
	in.ClientID = strings.TrimSpace(in.ClientID)
	if err := s.checkIssuer(in.Issuer); err != nil {
		return nil, apperr.Field(apperr.InvalidArgument, "fields.issuer", "zeugo.sso.issuer_invalid", err.Error())
	}
	if in.ClientID == "" {
		return nil, apperr.Field(apperr.InvalidArgument, "fields.client_id", "required", "value is required")
	}
	if !slices.Contains([]string{ModeOff, ModeOptional, ModeSSOOnly}, in.Mode) {
		return nil, apperr.Field(apperr.InvalidArgument, "fields.mode", "enum.defined_only", "value must be one of the defined enum values")
	}
	domains := make([]string, 0, len(in.Domains))
	for _, d := range in.Domains {
		d = strings.TrimPrefix(strings.ToLower(strings.TrimSpace(d)), "@")
		if d == "" {
			continue
		}
		if len(d) > 253 || !domainRE.MatchString(d) {
			return nil, apperr.Field(apperr.InvalidArgument, "fields.email_domains", "zeugo.sso.domain_invalid",
				"each entry must be a domain such as example.com")
		}
		if !slices.Contains(domains, d) {
			domains = append(domains, d)
		}
	}
	slices.Sort(domains)
	if in.JITEnabled {
		if _, err := uuid.Parse(in.JITRoleID); err != nil {
			return nil, apperr.Field(apperr.InvalidArgument, "fields.jit_role_id", "zeugo.sso.role_required",
				"just-in-time provisioning needs a default role")
		}
		if len(domains) == 0 {
			return nil, apperr.Field(apperr.InvalidArgument, "fields.email_domains", "zeugo.sso.domains_required",
				"just-in-time provisioning needs at least one email domain")
		}
	}
	return domains, nil
}

// errIssuer explains an issuer the service does not accept.
type errIssuer string

func (e errIssuer) Error() string { return string(e) }

// checkIssuer accepts an absolute https URL without credentials, query or
// fragment; http only for a loopback host in development. Microsoft's
// multi-tenant issuers (common, organizations, consumers) are refused: a
// tenant names its own Entra ID tenant (docs/operations.md).
func (s *Service) checkIssuer(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" || u.Opaque != "" {
		return errIssuer("the issuer must be an absolute https URL")
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !s.dev || !isLoopbackHost(u.Hostname()) {
			return errIssuer("the issuer must use https")
		}
	default:
		return errIssuer("the issuer must be an absolute https URL")
	}
	if strings.EqualFold(u.Hostname(), entraHost) {
		seg := strings.Split(strings.Trim(u.Path, "/"), "/")
		if seg[0] == "" || slices.Contains([]string{"common", "organizations", "consumers"}, strings.ToLower(seg[0])) {
			return errIssuer("use the tenant-specific Entra ID issuer https://login.microsoftonline.com/<tenant id>/v2.0")
		}
	}
	return nil
}

const entraHost = "login.microsoftonline.com"

// redirectURI is the callback's absolute URL.
func (s *Service) redirectURI(origin string) string {
	if s.publicURL != "" {
		return s.publicURL + CallbackPath
	}
	return origin + CallbackPath
}

func boolString(b bool) string {
	if b {
		return "true"
	}
	return "false"
}
