// Package access says who a caller is and what it may do: the Principal of
// a request (user, API key, handover recipient or support person), the
// areas of SPEC §3.2 its role grants, its certificate-access scope
// (SPEC §3.3), and the per-rpc rules declared in the proto
// (option zeugo.v1.access) that one interceptor enforces. Domains read the
// principal from the context; they never decide whether a call is allowed.
package access

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

// Kind is who stands behind a principal; the audit log records it as the
// actor type (SPEC §8: by whom).
type Kind string

// The kinds of principal.
const (
	KindUser              Kind = "user"
	KindAPIKey            Kind = "api_key"
	KindHandoverRecipient Kind = "handover_recipient"
	KindSupportPerson     Kind = "support_person"
)

// HasAreas reports whether principals of kind k act with a role's areas
// (users, and API keys with their user's): the area check of a rule
// applies to them. A handover recipient has no role; what it may do is its
// Handover grant, which the domain enforces section by section.
func (k Kind) HasAreas() bool { return k == KindUser || k == KindAPIKey }

// Handover is a handover recipient's grant (SPEC §6): one certificate, the
// sections it may read and write (by their stored names; write implies
// read) and whether it may download the PDF.
type Handover struct {
	CertificateID uuid.UUID
	Read, Write   []string
	Download      bool
}

// CanRead reports whether the grant reads section.
func (h *Handover) CanRead(section string) bool {
	return slices.Contains(h.Read, section) || slices.Contains(h.Write, section)
}

// CanWrite reports whether the grant writes section.
func (h *Handover) CanWrite(section string) bool { return slices.Contains(h.Write, section) }

// Principal is the authenticated caller of a request. Later features add
// to it (a handover's section rights, an API key's scopes); they never
// change what the fields below mean.
type Principal struct {
	// Kind says who the caller is; ActorID is that actor's id (the user,
	// the API key, the handover, the support grant).
	Kind    Kind
	ActorID uuid.UUID
	// UserID is the user behind the call: the signed-in user, the user an
	// API key belongs to, or uuid.Nil for recipients and support persons.
	UserID    uuid.UUID
	TenantID  uuid.UUID
	SessionID uuid.UUID
	// Areas are what the caller's role grants.
	Areas []Area
	// Scope limits the certificates and employees the caller sees.
	Scope Scope
	// ReadOnly is true while the tenant is terminated: reads only.
	ReadOnly bool
	// Grants are an API key's scopes (nil for every other kind): the
	// services it may call and at which level.
	Grants Grants
	// Handover is a handover recipient's grant (nil for every other kind).
	Handover *Handover
}

// Grants map a service's scope name (Rule.KeyScope, e.g. "organization")
// to the level an API key may call it at: Read, or Write (which includes
// Read).
type Grants map[string]Level

// Allow reports whether the grants admit an rpc of service at level: a
// Read or Write rpc needs a grant of at least its level, a SignedIn one a
// grant of the service at all.
func (g Grants) Allow(service string, level Level) bool {
	need := max(level, Read)
	return service != "" && g[service] >= need
}

// Has reports whether the principal's role grants area (Administrator
// grants everything).
func (p *Principal) Has(area Area) bool {
	return slices.Contains(p.Areas, AreaAdministrator) || slices.Contains(p.Areas, area)
}

// HasAny reports whether the principal's role grants at least one of areas.
func (p *Principal) HasAny(areas []Area) bool {
	return slices.ContainsFunc(areas, p.Has)
}

// Scope is the certificate access of SPEC §3.3: everything (Administrator,
// or a user without restriction), or only the employees that match every
// dimension that lists ids (within one dimension, any listed id matches).
// A scope that is not All and lists no ids admits nothing (deny by
// default). A store turns it into one SQL condition (postgres.ScopeCond)
// that every read of employees and certificates includes.
type Scope struct {
	// All grants every employee and certificate of the tenant.
	All bool
	// Companies, Locations, Departments, OrgUnits and EmployeeTypes restrict
	// by the employee's structure; an empty list leaves that dimension free.
	Companies, Locations, Departments, OrgUnits, EmployeeTypes []uuid.UUID
	// Employees restricts to these employees (a handover, self-service).
	Employees []uuid.UUID
}

// CertificateScope is the scope of a user with the certificate access
// stored for them (users.access_*, SPEC §3.3): everything when the access
// is "all" or the role grants the Administrator area (which cannot be
// restricted), else the listed dimensions. Sessions and API keys of the
// user get the same scope.
func CertificateScope(areas []Area, all bool, restricted Scope) Scope {
	if all || slices.Contains(areas, AreaAdministrator) {
		return Scope{All: true}
	}
	restricted.All = false
	return restricted
}

// Unrestricted reports whether the scope admits every row.
func (s Scope) Unrestricted() bool {
	return s.All
}

type principalKey struct{}

// WithPrincipal returns ctx carrying p.
func WithPrincipal(ctx context.Context, p *Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// From returns the caller, or Unauthenticated outside an authenticated
// call.
func From(ctx context.Context) (*Principal, error) {
	p, ok := ctx.Value(principalKey{}).(*Principal)
	if !ok || p == nil {
		return nil, apperr.ErrUnauthenticated
	}
	return p, nil
}
