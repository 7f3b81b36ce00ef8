package sso

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

// maxIdPResponse bounds every answer of an identity provider (discovery,
// keys, tokens): they are a few kilobytes.
const maxIdPResponse = 1 << 20

// oidcClient is the HTTP client the server talks to identity providers
// with: short timeouts, bounded answers, no redirects to other hosts'
// internals, and — outside development — no loopback, link-local
// (cloud metadata), multicast or unspecified addresses, so that the issuer
// an administrator types cannot make the server probe itself. Private
// (RFC 1918) addresses stay reachable: an on-premises identity provider
// (Keycloak, ADFS) usually lives there.
type oidcClient struct {
	http *http.Client
}

func newOIDCClient(dev bool) *oidcClient {
	dialer := &net.Dialer{Timeout: 5 * time.Second}
	if !dev {
		dialer.Control = func(_, address string, _ syscall.RawConn) error {
			ap, err := netip.ParseAddrPort(address)
			if err != nil {
				return err
			}
			a := ap.Addr().Unmap()
			if a.IsLoopback() || a.IsLinkLocalUnicast() || a.IsLinkLocalMulticast() || a.IsMulticast() || a.IsUnspecified() {
				return errForbiddenAddress
			}
			return nil
		}
	}
	tr := &http.Transport{Proxy: http.ProxyFromEnvironment, DialContext: dialer.DialContext, ForceAttemptHTTP2: true,
		TLSHandshakeTimeout: 5 * time.Second, ResponseHeaderTimeout: 10 * time.Second, MaxIdleConns: 20,
		IdleConnTimeout: 90 * time.Second}
	return &oidcClient{http: &http.Client{Timeout: 15 * time.Second, Transport: limitedTransport{tr},
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= 3 {
				return errors.New("too many redirects")
			}
			return nil
		}}}
}

var errForbiddenAddress = errors.New("address not allowed")

// limitedTransport caps response bodies at maxIdPResponse.
type limitedTransport struct{ next http.RoundTripper }

func (t limitedTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	res, err := t.next.RoundTrip(r)
	if err != nil {
		return nil, err
	}
	res.Body = &limitedBody{rc: res.Body, left: maxIdPResponse}
	return res, nil
}

type limitedBody struct {
	rc   io.ReadCloser
	left int64
}

func (b *limitedBody) Read(p []byte) (int, error) {
	if b.left <= 0 {
		return 0, errors.New("identity provider answer too large")
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.rc.Read(p)
	b.left -= int64(n)
	return n, err
}

func (b *limitedBody) Close() error { return b.rc.Close() }

// ctx is ctx with the client for go-oidc and x/oauth2.
func (c *oidcClient) ctx(ctx context.Context) context.Context {
	ctx = oidc.ClientContext(ctx, c.http)
	return context.WithValue(ctx, oauth2.HTTPClient, c.http)
}

// provider returns the issuer's discovered configuration, reused for
// providerTTL (its keys are cached by go-oidc and refreshed when a token
// names an unknown key).
func (s *Service) provider(ctx context.Context, issuer string) (*oidc.Provider, error) {
	now := time.Now()
	s.mu.Lock()
	if c, ok := s.providers[issuer]; ok && now.Sub(c.fetched) < providerTTL {
		s.mu.Unlock()
		return c.p, nil
	}
	s.mu.Unlock()
	dctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	p, err := oidc.NewProvider(s.client.ctx(context.WithoutCancel(dctx)), issuer)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	if len(s.providers) > 1000 { // many tenants' issuers: start over rather than grow
		clear(s.providers)
	}
	s.providers[issuer] = cachedProvider{p: p, fetched: now}
	s.mu.Unlock()
	return p, nil
}

// forget drops an issuer's cached configuration (after a settings change).
func (s *Service) forget(issuer string) {
	s.mu.Lock()
	delete(s.providers, issuer)
	s.mu.Unlock()
}

// Discovery is the outcome of a connection test.
type Discovery struct {
	OK            bool
	Error         string
	Authorization string
	Token         string
}

// TestConnection runs discovery against issuer (the stored one when empty)
// and reports the outcome as a short reason code; it never returns the
// provider's answer or the network error's text (which could show the
// server's network to the caller).
func (s *Service) TestConnection(ctx context.Context, issuer string) (*Discovery, error) {
	issuer = strings.TrimSpace(issuer)
	if issuer == "" {
		st, err := s.Get(ctx, "")
		if err != nil {
			return nil, err
		}
		if st.Version == 0 {
			return &Discovery{Error: "not_configured"}, nil
		}
		issuer = st.Issuer
	}
	if err := s.checkIssuer(issuer); err != nil {
		return &Discovery{Error: "invalid_issuer"}, nil
	}
	s.forget(issuer)
	p, err := s.provider(ctx, issuer)
	if err != nil {
		reason := discoveryReason(err)
		s.log.Info().Str("event", "sso_discovery_failed").Str("reason", reason).Msg("identity provider discovery failed")
		return &Discovery{Error: reason}, nil
	}
	ep := p.Endpoint()
	return &Discovery{OK: true, Authorization: ep.AuthURL, Token: ep.TokenURL}, nil
}

// discoveryReason classifies a discovery failure: go-oidc returns the
// transport's *url.Error when the issuer cannot be reached, an
// *oidc.IssuerMismatchError for metadata naming another issuer, and otherwise got an answer that is not a discovery document
// (an HTTP error status, not JSON).
func discoveryReason(err error) string {
	var ue *url.Error
	var mismatch *oidc.IssuerMismatchError
	switch {
	case errors.As(err, &ue):
		return "unreachable"
	case errors.As(err, &mismatch):
		return "issuer_mismatch"
	default:
		return "not_openid_configuration"
	}
}

// isLoopbackHost: localhost or a loopback address.
func isLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	a, err := netip.ParseAddr(host)
	return err == nil && a.IsLoopback()
}
