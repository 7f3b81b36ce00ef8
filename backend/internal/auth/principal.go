// Package auth signs users in and out and authenticates every call: password
// login with lockout, EdDSA access tokens bound to a server-side session,
// rotating refresh tokens with reuse detection, and the areas (SPEC §3.2) a
// principal's role grants.
package auth

import (
	"context"
	"slices"

	"github.com/google/uuid"

	"github.com/zeugo/zeugo/backend/internal/apperr"
)

// Area is a part of the product a role can grant; stored by name in roles.areas.
type Area string

// The areas of SPEC §3.2.
const (
	AreaAdministrator    Area = "administrator"
	AreaEmployees        Area = "employees"
	AreaCompanyStructure Area = "company_structure"
	AreaUsers            Area = "users"
	AreaRoles            Area = "roles"
	AreaJobProfiles      Area = "job_profiles"
	AreaDocumentLayout   Area = "document_layout"
	AreaLetterTexts      Area = "letter_texts"
	AreaEmailTemplates   Area = "email_templates"
	AreaQualifications   Area = "qualifications"
	AreaSelfService      Area = "self_service"
	AreaBranding         Area = "branding"
	AreaPrivacy          Area = "privacy"
	AreaAPIKeys          Area = "api_keys"
	AreaAccount          Area = "account"
)

// AllAreas lists every area in the order of SPEC §3.2.
var AllAreas = []Area{AreaAdministrator, AreaEmployees, AreaCompanyStructure, AreaUsers, AreaRoles,
	AreaJobProfiles, AreaDocumentLayout, AreaLetterTexts, AreaEmailTemplates, AreaQualifications,
	AreaSelfService, AreaBranding, AreaPrivacy, AreaAPIKeys, AreaAccount}

// Principal is the authenticated caller of a request.
type Principal struct {
	UserID    uuid.UUID
	TenantID  uuid.UUID
	SessionID uuid.UUID
	Areas     []Area
	// ReadOnly is true while the tenant is terminated: reads only.
	ReadOnly bool
}

// Has reports whether the principal's role grants area (Administrator
// grants everything).
func (p *Principal) Has(area Area) bool {
	return slices.Contains(p.Areas, AreaAdministrator) || slices.Contains(p.Areas, area)
}

type principalKey struct{}

// WithPrincipal returns ctx carrying p.
func WithPrincipal(ctx context.Context, p *Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// PrincipalFrom returns the caller, or Unauthenticated outside an
// authenticated call.
func PrincipalFrom(ctx context.Context) (*Principal, error) {
	p, ok := ctx.Value(principalKey{}).(*Principal)
	if !ok || p == nil {
		return nil, apperr.ErrUnauthenticated
	}
	return p, nil
}

// Read returns the caller; any signed-in user of the tenant may read.
func Read(ctx context.Context) (*Principal, error) {
	return PrincipalFrom(ctx)
}

// Write returns the caller if its role grants area and the tenant is not
// read-only.
func Write(ctx context.Context, area Area) (*Principal, error) {
	p, err := PrincipalFrom(ctx)
	if err != nil {
		return nil, err
	}
	if !p.Has(area) {
		return nil, apperr.ErrPermissionDenied
	}
	if p.ReadOnly {
		return nil, apperr.ErrReadOnly
	}
	return p, nil
}
