// Package apikey implements the API keys of SPEC §3.1 (area
// Schnittstellen): HR systems and scripts call the API with
// `Authorization: Bearer zk_<tenant>_<prefix>_<secret>` over Connect or
// gRPC. The package has two halves: the ApiKeyService (create, list,
// revoke, the grantable scopes) and the Authenticator that checks a key on
// every call and dispatches every other bearer token to the session
// authenticator.
//
// A key acts for the user who created it and never exceeds that user: the
// per-call check reads the user's role areas, certificate access, state and
// rights versions exactly like the session check, so a deactivated user's
// keys stop on their very next call. Its scopes name services at read or
// write level; the access rule of each rpc (access.Rule.Allow) admits a key
// only if the rpc admits API keys, the key's grant covers the rpc's service
// and level, and the user has the rpc's areas.
package apikey

import (
	"context"
	"net/netip"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/zeugo/zeugo/backend/internal/access"
	"github.com/zeugo/zeugo/backend/internal/apikey/dbsqlc"
	"github.com/zeugo/zeugo/backend/internal/apperr"
	"github.com/zeugo/zeugo/backend/internal/paging"
	"github.com/zeugo/zeugo/backend/internal/uow"
)

// Audit actions of this domain. Used is written at most once a minute per
// key; every refusal is written.
const (
	ActionCreated = "apikey.created"
	ActionRevoked = "apikey.revoked"
	ActionUsed    = "apikey.used"
	ActionRefused = "apikey.refused"
	targetAPIKey  = "api_key"
)

// MaxLifetime bounds an expiry: at most two years (731 days) ahead.
const MaxLifetime = 731 * 24 * time.Hour

// Grant is one scope of a key: a service (by scope name) at Read or Write.
type Grant struct {
	Service string
	Level   access.Level
}

// State is a key's state at a moment.
type State int

// Key states.
const (
	StateActive State = iota + 1
	StateExpired
	StateRevoked
)

// Key is a stored key, without its secret.
type Key struct {
	ID            uuid.UUID
	Name          string
	Prefix        string
	Grants        []Grant
	CreatedBy     uuid.UUID
	CreatedByName string
	CreatedAt     time.Time
	LastUsedAt    *time.Time
	ExpiresAt     *time.Time
	RevokedAt     *time.Time
	AllowedCIDRs  []netip.Prefix
}

// StateAt is the key's state at now.
func (k *Key) StateAt(now time.Time) State {
	switch {
	case k.RevokedAt != nil:
		return StateRevoked
	case k.ExpiresAt != nil && !now.Before(*k.ExpiresAt):
		return StateExpired
	}
	return StateActive
}

// NewKey describes a key to create.
type NewKey struct {
	Name   string
	Grants []Grant
	// ExpiresAt is optional: in the future, at most MaxLifetime ahead.
	ExpiresAt *time.Time
	// AllowedCIDRs is the optional allow-list, as written by the caller.
	AllowedCIDRs []string
}

// ScopeOption is one service a key can be granted: the levels at which it
// has rpcs that admit API keys, and the areas those rpcs need.
type ScopeOption struct {
	Service     string
	FullName    string
	Read, Write bool
	Areas       []access.Area
}

// Order is the sort key of List.
type Order int

// Sort keys.
const (
	ByCreateTime Order = iota
	ByName
)

// Query selects a page of keys.
type Query struct {
	Page  paging.Request
	Order Order
	Desc  bool
	// Search matches the name, case-insensitively.
	Search string
}

// Service implements the key use cases, each one unit of work. Who may
// call which is declared on the rpcs in apikeys.proto.
type Service struct {
	work    *uow.Runner
	q       *dbsqlc.Queries
	options []ScopeOption
}

// NewService returns a Service that offers the scopes the access rules
// admit API keys to (ScopesFromRules).
func NewService(work *uow.Runner) *Service {
	return &Service{work: work, q: dbsqlc.New()}
}

// UseRules sets the grantable scopes from the server's access rules; app
// calls it once the rules are read, before serving.
func (s *Service) UseRules(rules map[string]access.Rule) { s.options = ScopesFromRules(rules) }

// ScopesFromRules derives what keys can be granted from the rpc rules: per
// service whose rpcs admit API keys, read if a Read (or SignedIn) rpc does,
// write if a Write rpc does, with the union of their areas.
func ScopesFromRules(rules map[string]access.Rule) []ScopeOption {
	by := map[string]*ScopeOption{}
	for _, r := range rules {
		if r.Level == access.Public || !slices.Contains(r.Kinds, access.KindAPIKey) || r.KeyScope == "" {
			continue
		}
		o := by[r.KeyScope]
		if o == nil {
			o = &ScopeOption{Service: r.KeyScope, FullName: r.Service}
			by[r.KeyScope] = o
		}
		if r.Level == access.Write {
			o.Write = true
		} else {
			o.Read = true
		}
		for _, a := range r.Areas {
			if !slices.Contains(o.Areas, a) {
				o.Areas = append(o.Areas, a)
			}
		}
	}
	out := make([]ScopeOption, 0, len(by))
	for _, o := range by {
		slices.SortFunc(o.Areas, func(a, b access.Area) int {
			return slices.Index(access.AllAreas, a) - slices.Index(access.AllAreas, b)
		})
		out = append(out, *o)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Service < out[j].Service })
	return out
}

// Scopes lists what a key can be granted.
func (s *Service) Scopes() []ScopeOption { return slices.Clone(s.options) }

// validate checks a new key against the grantable scopes and the clock and
// returns its stored scopes and allow-list.
func (s *Service) validate(k *NewKey, now time.Time) ([]string, []netip.Prefix, error) {
	k.Name = strings.TrimSpace(k.Name)
	if k.Name == "" {
		return nil, nil, apperr.Field(apperr.InvalidArgument, "name", "required", "a name is required")
	}
	seen := map[string]bool{}
	scopes := make([]string, 0, len(k.Grants))
	for _, g := range k.Grants {
		i := slices.IndexFunc(s.options, func(o ScopeOption) bool { return o.Service == g.Service })
		switch {
		case seen[g.Service]:
			return nil, nil, apperr.Field(apperr.InvalidArgument, "scopes", "zeugo.apikey.scope_duplicate", "a service is named twice")
		case i < 0, g.Level == access.Write && !s.options[i].Write, g.Level == access.Read && !s.options[i].Read,
			g.Level != access.Read && g.Level != access.Write:
			return nil, nil, apperr.Field(apperr.InvalidArgument, "scopes", "zeugo.apikey.scope_unknown", "this scope cannot be granted")
		}
		seen[g.Service] = true
		scopes = append(scopes, scopeString(g.Service, g.Level))
	}
	if len(scopes) == 0 {
		return nil, nil, apperr.Field(apperr.InvalidArgument, "scopes", "repeated.min_items", "at least one scope is required")
	}
	if k.ExpiresAt != nil {
		if !k.ExpiresAt.After(now) {
			return nil, nil, apperr.Field(apperr.InvalidArgument, "expire_time", "timestamp.gt_now", "the expiry must lie in the future")
		}
		if k.ExpiresAt.After(now.Add(MaxLifetime)) {
			return nil, nil, apperr.Field(apperr.InvalidArgument, "expire_time", "timestamp.within", "the expiry may lie at most two years ahead")
		}
	}
	cidrs := make([]netip.Prefix, 0, len(k.AllowedCIDRs))
	for _, c := range k.AllowedCIDRs {
		p, err := netip.ParsePrefix(strings.TrimSpace(c))
		if err != nil || p.Masked() != p {
			return nil, nil, apperr.Field(apperr.InvalidArgument, "allowed_cidrs", "string.ip_prefix", "not a network in CIDR notation")
		}
		if slices.Contains(cidrs, p) {
			return nil, nil, apperr.Field(apperr.InvalidArgument, "allowed_cidrs", "repeated.unique", "a network is named twice")
		}
		cidrs = append(cidrs, p)
	}
	return scopes, cidrs, nil
}

// Create stores a key for the caller and returns it with its token (shown
// this once; only the secret's hash is kept).
func (s *Service) Create(ctx context.Context, nk NewKey) (*Key, string, error) {
	now := s.work.Now().UTC()
	scopes, cidrs, err := s.validate(&nk, now)
	if err != nil {
		return nil, "", err
	}
	var k *Key
	var secret string
	err = s.work.Write(ctx, func(tx *uow.Tx) error {
		id := uuid.Must(uuid.NewV7())
		tok, prefix, hash := newToken(tx.P.TenantID)
		if err := insertKey(ctx, s.q, tx, id, prefix, hash, nk, scopes, cidrs, now); err != nil {
			return err
		}
		var err error
		if k, err = getKey(ctx, s.q, tx, id); err != nil {
			return err
		}
		secret = tok
		return tx.Record(ActionCreated, uow.Target{Type: targetAPIKey, ID: id},
			map[string]string{"scopes": strings.Join(scopes, " "), "prefix": prefix})
	})
	if err != nil {
		return nil, "", err
	}
	return k, secret, nil
}

// List returns one page of the tenant's keys.
func (s *Service) List(ctx context.Context, q Query) (paging.Page[Key], error) {
	var page paging.Page[Key]
	err := s.work.Read(ctx, func(rd *uow.Reader) (err error) {
		page, err = listKeys(rd, q)
		return err
	})
	return page, err
}

// Revoke ends a key at once; revoking a revoked key changes nothing.
func (s *Service) Revoke(ctx context.Context, id uuid.UUID) (*Key, error) {
	var k *Key
	err := s.work.Write(ctx, func(tx *uow.Tx) error {
		n, err := s.q.RevokeAPIKey(ctx, tx, dbsqlc.RevokeAPIKeyParams{Now: s.work.Now().UTC(), RevokedBy: tx.P.UserID,
			TenantID: tx.P.TenantID, ID: id})
		if err != nil {
			return err
		}
		if k, err = getKey(ctx, s.q, tx, id); err != nil {
			return err
		}
		if n == 0 {
			return nil // already revoked
		}
		return tx.Record(ActionRevoked, uow.Target{Type: targetAPIKey, ID: id}, nil)
	})
	return k, err
}

// Now is the service's clock (for the state of keys in answers).
func (s *Service) Now() time.Time { return s.work.Now() }

func sortGrants(g []Grant) {
	sort.Slice(g, func(i, j int) bool { return g[i].Service < g[j].Service })
}
