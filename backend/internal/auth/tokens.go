package auth

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"

	"github.com/zeugo/zeugo/backend/internal/keyring"
)

const (
	tokenIssuer   = "zeugo"
	tokenAudience = "zeugo-api"
)

// Signer issues and verifies access tokens with Ed25519 keys derived from
// the platform token-signing key versions (the newest signs; all verify, so
// a new version can be rolled out without logging anybody out).
type Signer struct {
	current  int
	private  ed25519.PrivateKey
	public   map[int]ed25519.PublicKey
	lifetime time.Duration
	now      func() time.Time

	// verified remembers tokens whose signature and claims checked out,
	// until they expire: Ed25519 verification was an eighth of the CPU of a
	// small authenticated call. Keyed by the whole token (a signature alone
	// could be paired with other claims); the session is still checked on
	// every call.
	mu       sync.Mutex
	verified map[string]verifiedToken
}

type verifiedToken struct {
	ids tokenIDs
	exp time.Time
}

// maxVerified bounds the cache (about 5 MB); it is cleared when full.
const maxVerified = 10000

// NewSigner builds a signer from the platform key versions (oldest first).
func NewSigner(versions []keyring.PlatformKey, lifetime time.Duration, now func() time.Time) (*Signer, error) {
	if len(versions) == 0 {
		return nil, errors.New("auth: no token signing key")
	}
	s := &Signer{public: map[int]ed25519.PublicKey{}, lifetime: lifetime, now: now, verified: map[string]verifiedToken{}}
	for _, v := range versions {
		if len(v.Key) != ed25519.SeedSize {
			return nil, fmt.Errorf("auth: signing key v%d has %d bytes", v.Version, len(v.Key))
		}
		priv := ed25519.NewKeyFromSeed(v.Key)
		s.public[v.Version] = priv.Public().(ed25519.PublicKey)
		s.current, s.private = v.Version, priv
	}
	return s, nil
}

// accessClaims are the claims of an access token.
type accessClaims struct {
	TenantID  string `json:"tid"`
	SessionID string `json:"sid"`
	jwt.RegisteredClaims
}

// Issue returns a signed access token for the session and its expiry.
func (s *Signer) Issue(tenantID, userID, sessionID uuid.UUID) (string, time.Time, error) {
	now := s.now().UTC()
	exp := now.Add(s.lifetime)
	jti := make([]byte, 12)
	if _, err := rand.Read(jti); err != nil {
		return "", time.Time{}, err
	}
	t := jwt.NewWithClaims(jwt.SigningMethodEdDSA, accessClaims{
		TenantID: tenantID.String(), SessionID: sessionID.String(),
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer: tokenIssuer, Subject: userID.String(), Audience: jwt.ClaimStrings{tokenAudience},
			IssuedAt: jwt.NewNumericDate(now), NotBefore: jwt.NewNumericDate(now), ExpiresAt: jwt.NewNumericDate(exp),
			ID: base64.RawURLEncoding.EncodeToString(jti),
		},
	})
	t.Header["kid"] = strconv.Itoa(s.current)
	signed, err := t.SignedString(s.private)
	return signed, exp, err
}

// tokenIDs are the ids an access token names.
type tokenIDs struct {
	TenantID, UserID, SessionID uuid.UUID
}

// Verify checks signature, algorithm, issuer, audience and expiry and
// returns the ids the token names. Whether the session is still alive is
// checked separately, on every call.
func (s *Signer) Verify(token string) (tokenIDs, error) {
	now := s.now()
	s.mu.Lock()
	v, ok := s.verified[token]
	s.mu.Unlock()
	if ok && now.Before(v.exp) {
		return v.ids, nil
	}
	ids, exp, err := s.verify(token)
	if err != nil {
		return tokenIDs{}, err
	}
	s.mu.Lock()
	if len(s.verified) >= maxVerified {
		clear(s.verified)
	}
	s.verified[token] = verifiedToken{ids: ids, exp: exp}
	s.mu.Unlock()
	return ids, nil
}

func (s *Signer) verify(token string) (tokenIDs, time.Time, error) {
	var c accessClaims
	_, err := jwt.ParseWithClaims(token, &c, func(t *jwt.Token) (any, error) {
		kid, _ := t.Header["kid"].(string)
		v, err := strconv.Atoi(kid)
		if err != nil {
			return nil, errors.New("bad kid")
		}
		pub, ok := s.public[v]
		if !ok {
			return nil, errors.New("unknown kid")
		}
		return pub, nil
	}, jwt.WithValidMethods([]string{jwt.SigningMethodEdDSA.Alg()}), jwt.WithIssuer(tokenIssuer),
		jwt.WithAudience(tokenAudience), jwt.WithExpirationRequired(), jwt.WithIssuedAt(),
		jwt.WithTimeFunc(s.now), jwt.WithLeeway(5*time.Second))
	if err != nil {
		return tokenIDs{}, time.Time{}, err
	}
	var ids tokenIDs
	if ids.TenantID, err = uuid.Parse(c.TenantID); err != nil {
		return tokenIDs{}, time.Time{}, err
	}
	if ids.UserID, err = uuid.Parse(c.Subject); err != nil {
		return tokenIDs{}, time.Time{}, err
	}
	if ids.SessionID, err = uuid.Parse(c.SessionID); err != nil {
		return tokenIDs{}, time.Time{}, err
	}
	return ids, c.ExpiresAt.Time, nil
}

// refreshPrefix starts every refresh token (format version 1).
const refreshPrefix = "zr1."

// newRefreshToken returns an opaque refresh token naming the tenant (so the
// server can bind the lookup to it) and the SHA-256 of its secret part.
func newRefreshToken(tenantID uuid.UUID) (string, []byte) {
	secret := make([]byte, 32)
	if _, err := rand.Read(secret); err != nil {
		panic("auth: crypto/rand failed: " + err.Error())
	}
	h := sha256.Sum256(secret)
	return refreshPrefix + strings.ReplaceAll(tenantID.String(), "-", "") + "." + base64.RawURLEncoding.EncodeToString(secret), h[:]
}

// parseRefreshToken splits a refresh token into tenant and secret hash.
func parseRefreshToken(token string) (uuid.UUID, []byte, bool) {
	rest, ok := strings.CutPrefix(token, refreshPrefix)
	if !ok {
		return uuid.Nil, nil, false
	}
	tid, sec, ok := strings.Cut(rest, ".")
	if !ok {
		return uuid.Nil, nil, false
	}
	tenantID, err := uuid.Parse(tid)
	if err != nil {
		return uuid.Nil, nil, false
	}
	secret, err := base64.RawURLEncoding.Strict().DecodeString(sec)
	if err != nil || len(secret) != 32 {
		return uuid.Nil, nil, false
	}
	h := sha256.Sum256(secret)
	return tenantID, h[:], true
}
