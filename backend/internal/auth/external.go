package auth

import (
	"context"
	"net/http"

	"github.com/google/uuid"

	"github.com/zeugo/zeugo/backend/internal/apperr"
	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
	"github.com/zeugo/zeugo/backend/internal/postgres"
)

// MethodSSO is the login method of sessions started by single sign-on
// (package sso).
const MethodSSO = "sso"

// FinishExternal finishes a completed ExternalLogin on the wire exactly
// like a password login does in the browser (signedIn): the session the
// browser held before ends, and the refresh token goes into the HttpOnly
// __Host- cookie of in/out (a callback's request and response headers).
func FinishExternal(ctx context.Context, a *Authenticator, in, out http.Header, s *Session) {
	(&Handler{auth: a}).signedIn(ctx, in, out, s, false)
}

// ChallengeToProto is a login's second-factor challenge as Login answers
// it, for a login completed outside AuthService (single sign-on hands it to
// the SPA's login page).
func ChallengeToProto(c *Challenge) *zeugov1.SecondFactorChallenge { return challengeToProto(c) }

// errSSOOnly refuses a password step-up in a tenant that signs in through
// its identity provider only.
var errSSOOnly = apperr.Field(apperr.FailedPrecondition, "password", "zeugo.sso.sso_only",
	"this organisation signs in through single sign-on only; confirm with your second factor")

// ssoOnly tells whether the tenant's users may sign in through its
// identity provider only (table sso_configs, package sso): password login,
// password reset and password step-up are then refused.
func ssoOnly(ctx context.Context, q postgres.DBTX, tenantID uuid.UUID) (bool, error) {
	var only bool
	err := q.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM sso_configs WHERE tenant_id = $1 AND mode = 'sso_only')`,
		tenantID).Scan(&only)
	return only, err
}
