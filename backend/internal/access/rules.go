package access

import (
	"fmt"
	"slices"
	"strings"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"

	"github.com/zeugo/zeugo/backend/internal/apperr"
	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
)

// Level is how much a caller must have shown to call an rpc.
type Level int

// The levels of option zeugo.v1.access.
const (
	Public Level = iota + 1
	SignedIn
	Read
	Write
)

func (l Level) String() string {
	switch l {
	case Public:
		return "public"
	case SignedIn:
		return "signed-in"
	case Read:
		return "read"
	case Write:
		return "write"
	}
	return "invalid"
}

// Rule is the access rule of one rpc, as declared in its proto.
type Rule struct {
	Level Level
	// Areas of which the caller's role must grant one (Read, Write).
	Areas []Area
	// Kinds of principal admitted; never empty (users when the proto
	// names none).
	Kinds []Kind
	// Service is the full name of the rpc's service
	// ("zeugo.v1.OrganizationService") and KeyScope its scope name
	// ("organization", ScopeName): an API key needs a grant of KeyScope at
	// the rule's level (Principal.Grants).
	Service, KeyScope string
}

// ScopeName is the name API-key scopes give a service: its simple name
// without "Service", in snake case ("zeugo.v1.OrganizationService" →
// "organization", "zeugo.v1.ApiKeyService" → "api_key").
func ScopeName(service string) string {
	if i := strings.LastIndexByte(service, '.'); i >= 0 {
		service = service[i+1:]
	}
	service = strings.TrimSuffix(service, "Service")
	var b strings.Builder
	for i, r := range service {
		if r >= 'A' && r <= 'Z' {
			if i > 0 {
				b.WriteByte('_')
			}
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Allow decides a call by p under r. It returns nil, Unauthenticated
// (no principal where one is needed), PermissionDenied (wrong kind, an API
// key without a grant of the rpc's service at its level, or no area — an
// API key's areas are its user's, so a key never exceeds its user) or the
// read-only error (a write while the tenant is terminated).
func (r Rule) Allow(p *Principal) error {
	if r.Level == Public {
		return nil
	}
	if p == nil {
		return apperr.ErrUnauthenticated
	}
	if !slices.Contains(r.Kinds, p.Kind) {
		return apperr.ErrPermissionDenied
	}
	if p.Kind == KindAPIKey && !p.Grants.Allow(r.KeyScope, r.Level) {
		return apperr.ErrPermissionDenied
	}
	if r.Level >= Read && p.Kind.HasAreas() && !p.HasAny(r.Areas) {
		return apperr.ErrPermissionDenied
	}
	if r.Level == Write && p.ReadOnly {
		return apperr.ErrReadOnly
	}
	return nil
}

// Refusal names why r refuses p, for the audit log of refused API-key
// calls: "actor" (the rpc does not admit p's kind), "scope" (the key has no
// grant for it), "area" (the user's role lacks its areas), "read_only" (a
// write while the tenant is terminated), or "" when r admits p.
func (r Rule) Refusal(p *Principal) string {
	switch {
	case r.Level == Public || p == nil:
		return ""
	case !slices.Contains(r.Kinds, p.Kind):
		return "actor"
	case p.Kind == KindAPIKey && !p.Grants.Allow(r.KeyScope, r.Level):
		return "scope"
	case r.Level >= Read && p.Kind.HasAreas() && !p.HasAny(r.Areas):
		return "area"
	case r.Level == Write && p.ReadOnly:
		return "read_only"
	}
	return ""
}

// AreaFromProto maps the proto enum to an Area ("" for unspecified or
// unknown values).
func AreaFromProto(a zeugov1.Area) Area {
	for k, v := range areaProto {
		if v == a {
			return k
		}
	}
	return ""
}

// AreaToProto maps an Area to the proto enum (unspecified for unknown names).
func AreaToProto(a Area) zeugov1.Area { return areaProto[a] }

var areaProto = map[Area]zeugov1.Area{
	AreaAdministrator: zeugov1.Area_AREA_ADMINISTRATOR, AreaEmployees: zeugov1.Area_AREA_EMPLOYEES,
	AreaCompanyStructure: zeugov1.Area_AREA_COMPANY_STRUCTURE, AreaUsers: zeugov1.Area_AREA_USERS,
	AreaRoles: zeugov1.Area_AREA_ROLES, AreaJobProfiles: zeugov1.Area_AREA_JOB_PROFILES,
	AreaDocumentLayout: zeugov1.Area_AREA_DOCUMENT_LAYOUT, AreaLetterTexts: zeugov1.Area_AREA_LETTER_TEXTS,
	AreaEmailTemplates: zeugov1.Area_AREA_EMAIL_TEMPLATES, AreaQualifications: zeugov1.Area_AREA_QUALIFICATIONS,
	AreaSelfService: zeugov1.Area_AREA_SELF_SERVICE, AreaBranding: zeugov1.Area_AREA_BRANDING,
	AreaPrivacy: zeugov1.Area_AREA_PRIVACY, AreaAPIKeys: zeugov1.Area_AREA_API_KEYS, AreaAccount: zeugov1.Area_AREA_ACCOUNT,
}

var kindProto = map[zeugov1.ActorKind]Kind{
	zeugov1.ActorKind_ACTOR_KIND_USER:               KindUser,
	zeugov1.ActorKind_ACTOR_KIND_API_KEY:            KindAPIKey,
	zeugov1.ActorKind_ACTOR_KIND_HANDOVER_RECIPIENT: KindHandoverRecipient,
	zeugov1.ActorKind_ACTOR_KIND_SUPPORT_PERSON:     KindSupportPerson,
}

// RuleOf reads and checks the rule declared on method m. A method without
// the option, with an unspecified level, with areas missing for Read/Write
// or present for Public/SignedIn, or naming an unknown area or kind is an
// error: such an rpc must not be served.
func RuleOf(m protoreflect.MethodDescriptor) (Rule, error) {
	fail := func(format string, a ...any) (Rule, error) {
		return Rule{}, fmt.Errorf("rpc %s: %s", m.FullName(), fmt.Sprintf(format, a...))
	}
	opts := m.Options()
	if opts == nil || !proto.HasExtension(opts, zeugov1.E_Access) {
		return fail("no (zeugo.v1.access) option")
	}
	a, _ := proto.GetExtension(opts, zeugov1.E_Access).(*zeugov1.Access)
	var r Rule
	switch a.GetLevel() {
	case zeugov1.AccessLevel_ACCESS_LEVEL_PUBLIC:
		r.Level = Public
	case zeugov1.AccessLevel_ACCESS_LEVEL_SIGNED_IN:
		r.Level = SignedIn
	case zeugov1.AccessLevel_ACCESS_LEVEL_READ:
		r.Level = Read
	case zeugov1.AccessLevel_ACCESS_LEVEL_WRITE:
		r.Level = Write
	default:
		return fail("access level %v", a.GetLevel())
	}
	for _, pa := range a.GetAreas() {
		ar := AreaFromProto(pa)
		if ar == "" {
			return fail("unknown area %v", pa)
		}
		r.Areas = append(r.Areas, ar)
	}
	for _, pk := range a.GetActors() {
		k, ok := kindProto[pk]
		if !ok {
			return fail("unknown actor kind %v", pk)
		}
		r.Kinds = append(r.Kinds, k)
	}
	if r.Level == Public && len(r.Kinds) > 0 {
		return fail("a public rpc admits everyone; it names no actors")
	}
	if len(r.Kinds) == 0 {
		r.Kinds = []Kind{KindUser}
	}
	// Areas are what a role grants, so a read or write rpc that admits a
	// kind with a role names them; one that admits only recipients names
	// none (their rights are their grant, which the domain checks).
	if needAreas := r.Level >= Read && slices.ContainsFunc(r.Kinds, Kind.HasAreas); needAreas != (len(r.Areas) > 0) {
		return fail("level %s needs areas exactly when it is read or write and admits users or API keys", r.Level)
	}
	return r, nil
}

// Rules reads the rules of every method of the named services from the
// global registry, keyed by Connect procedure ("/pkg.Service/Method").
func Rules(services ...string) (map[string]Rule, error) {
	out := map[string]Rule{}
	var errs []string
	for _, name := range services {
		d, err := findService(name)
		if err != nil {
			return nil, err
		}
		methods := d.Methods()
		for i := range methods.Len() {
			m := methods.Get(i)
			r, err := RuleOf(m)
			if err != nil {
				errs = append(errs, err.Error())
				continue
			}
			r.Service, r.KeyScope = string(d.FullName()), keyScope(d)
			out["/"+string(d.FullName())+"/"+string(m.Name())] = r
		}
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("access rules: %s", strings.Join(errs, "; "))
	}
	return out, nil
}

// keyScope is the service's api_key_scope option, or its ScopeName.
func keyScope(d protoreflect.ServiceDescriptor) string {
	if opts := d.Options(); opts != nil && proto.HasExtension(opts, zeugov1.E_ApiKeyScope) {
		if s, _ := proto.GetExtension(opts, zeugov1.E_ApiKeyScope).(string); s != "" {
			return s
		}
	}
	return ScopeName(string(d.FullName()))
}

func findService(name string) (protoreflect.ServiceDescriptor, error) {
	d, err := protoregistry.GlobalFiles.FindDescriptorByName(protoreflect.FullName(name))
	if err != nil {
		return nil, fmt.Errorf("service %s: %w", name, err)
	}
	sd, ok := d.(protoreflect.ServiceDescriptor)
	if !ok {
		return nil, fmt.Errorf("%s is not a service", name)
	}
	return sd, nil
}
