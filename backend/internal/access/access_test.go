package access

import (
	"testing"

	"github.com/google/uuid"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/descriptorpb"

	"github.com/zeugo/zeugo/backend/internal/apperr"
	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
)

// ok marks an allowed call in the table below.
const ok apperr.Code = -1

func TestAllowDecidesByLevelKindAreaAndReadOnly(t *testing.T) {
	t.Parallel()
	user := func(areas ...Area) *Principal {
		return &Principal{Kind: KindUser, ActorID: uuid.New(), TenantID: uuid.New(), Areas: areas}
	}
	readStructure := Rule{Level: Read, Areas: []Area{AreaCompanyStructure, AreaEmployees}, Kinds: []Kind{KindUser}}
	writeStructure := Rule{Level: Write, Areas: []Area{AreaCompanyStructure}, Kinds: []Kind{KindUser}}
	signedIn := Rule{Level: SignedIn, Kinds: []Kind{KindUser}}
	readOnlyAdmin := user(AreaAdministrator)
	readOnlyAdmin.ReadOnly = true
	key := &Principal{Kind: KindAPIKey, Areas: []Area{AreaAdministrator}}
	readKey := &Principal{Kind: KindAPIKey, Areas: []Area{AreaCompanyStructure}, Grants: Grants{"organization": Read}}
	writeKey := &Principal{Kind: KindAPIKey, Areas: []Area{AreaCompanyStructure}, Grants: Grants{"organization": Write}}
	keyRead := Rule{Level: Read, Areas: []Area{AreaCompanyStructure}, Kinds: []Kind{KindUser, KindAPIKey}, KeyScope: "organization"}
	keyWrite := Rule{Level: Write, Areas: []Area{AreaCompanyStructure}, Kinds: []Kind{KindUser, KindAPIKey}, KeyScope: "organization"}
	for _, c := range []struct {
		name string
		rule Rule
		p    *Principal
		want apperr.Code
	}{
		{"public, nobody", Rule{Level: Public}, nil, ok},
		{"signed-in, nobody", signedIn, nil, apperr.Unauthenticated},
		{"signed-in, user without areas", signedIn, user(), ok},
		{"read, one of the areas", readStructure, user(AreaEmployees), ok},
		{"read, administrator", readStructure, user(AreaAdministrator), ok},
		{"read, other area", readStructure, user(AreaLetterTexts), apperr.PermissionDenied},
		{"write, area", writeStructure, user(AreaCompanyStructure), ok},
		{"write, read-only area is not enough", writeStructure, user(AreaEmployees), apperr.PermissionDenied},
		{"write, terminated tenant", writeStructure, readOnlyAdmin, apperr.FailedPrecondition},
		{"read, terminated tenant", readStructure, readOnlyAdmin, ok},
		{"api key on a users-only rpc", readStructure, key, apperr.PermissionDenied},
		{"api key without a grant", Rule{Level: Read, Areas: []Area{AreaEmployees}, Kinds: []Kind{KindUser, KindAPIKey}, KeyScope: "employee"}, key, apperr.PermissionDenied},
		{"api key with a read grant", keyRead, readKey, ok},
		{"api key with a write grant reads", keyRead, writeKey, ok},
		{"api key with a read grant writes", keyWrite, readKey, apperr.PermissionDenied},
		{"api key with a write grant", keyWrite, writeKey, ok},
		{"api key with another service's grant", Rule{Level: Read, Areas: []Area{AreaEmployees}, Kinds: []Kind{KindAPIKey}, KeyScope: "employee"}, writeKey, apperr.PermissionDenied},
		{"api key whose user lacks the area", keyRead, &Principal{Kind: KindAPIKey, Areas: []Area{AreaAPIKeys}, Grants: Grants{"organization": Write}}, apperr.PermissionDenied},
		{"api key, signed-in rpc of its service", Rule{Level: SignedIn, Kinds: []Kind{KindAPIKey}, KeyScope: "organization"}, readKey, ok},
		{"api key, signed-in rpc of another service", Rule{Level: SignedIn, Kinds: []Kind{KindAPIKey}, KeyScope: "auth"}, readKey, apperr.PermissionDenied},
	} {
		err := c.rule.Allow(c.p)
		if c.want == ok && err != nil || c.want != ok && apperr.CodeOf(err) != c.want {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
		// Refusal names a reason exactly when Allow refuses a principal.
		if r := c.rule.Refusal(c.p); (r == "") != (err == nil || c.p == nil) {
			t.Errorf("%s: refusal %q for %v", c.name, r, err)
		}
	}
}

// method builds a one-method service descriptor carrying opt.
func method(t *testing.T, opt *zeugov1.Access) protoreflect.MethodDescriptor {
	t.Helper()
	mo := &descriptorpb.MethodOptions{}
	if opt != nil {
		proto.SetExtension(mo, zeugov1.E_Access, opt)
	}
	fd := &descriptorpb.FileDescriptorProto{
		Name: proto.String("t.proto"), Package: proto.String("t"), Syntax: proto.String("proto3"),
		MessageType: []*descriptorpb.DescriptorProto{{Name: proto.String("M")}},
		Service: []*descriptorpb.ServiceDescriptorProto{{Name: proto.String("S"), Method: []*descriptorpb.MethodDescriptorProto{{
			Name: proto.String("Do"), InputType: proto.String(".t.M"), OutputType: proto.String(".t.M"), Options: mo}}}},
	}
	f, err := protodesc.NewFile(fd, nil)
	if err != nil {
		t.Fatal(err)
	}
	return f.Services().Get(0).Methods().Get(0)
}

func TestRuleOfRefusesMissingAndIncoherentRules(t *testing.T) {
	t.Parallel()
	area := []zeugov1.Area{zeugov1.Area_AREA_EMPLOYEES}
	for name, opt := range map[string]*zeugov1.Access{
		"no option":                nil,
		"unspecified level":        {},
		"read without areas":       {Level: zeugov1.AccessLevel_ACCESS_LEVEL_READ},
		"write without areas":      {Level: zeugov1.AccessLevel_ACCESS_LEVEL_WRITE},
		"public with areas":        {Level: zeugov1.AccessLevel_ACCESS_LEVEL_PUBLIC, Areas: area},
		"signed-in with areas":     {Level: zeugov1.AccessLevel_ACCESS_LEVEL_SIGNED_IN, Areas: area},
		"unspecified area":         {Level: zeugov1.AccessLevel_ACCESS_LEVEL_READ, Areas: []zeugov1.Area{0}},
		"unspecified actor":        {Level: zeugov1.AccessLevel_ACCESS_LEVEL_READ, Areas: area, Actors: []zeugov1.ActorKind{0}},
		"public naming its actors": {Level: zeugov1.AccessLevel_ACCESS_LEVEL_PUBLIC, Actors: []zeugov1.ActorKind{zeugov1.ActorKind_ACTOR_KIND_USER}},
	} {
		if r, err := RuleOf(method(t, opt)); err == nil {
			t.Errorf("%s: accepted as %+v", name, r)
		}
	}
	r, err := RuleOf(method(t, &zeugov1.Access{Level: zeugov1.AccessLevel_ACCESS_LEVEL_WRITE, Areas: area}))
	if err != nil || r.Level != Write || len(r.Kinds) != 1 || r.Kinds[0] != KindUser {
		t.Fatalf("write rule: %+v, %v; want users only by default", r, err)
	}
}

func TestScopeNameAndRulesKnowTheirService(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"zeugo.v1.OrganizationService": "organization", "zeugo.v1.ApiKeyService": "api_key",
		"zeugo.v1.AuthService": "auth", "Plain": "plain"} {
		if got := ScopeName(in); got != want {
			t.Errorf("ScopeName(%q) = %q, want %q", in, got, want)
		}
	}
	rules, err := Rules("zeugo.v1.OrganizationService")
	if err != nil {
		t.Fatal(err)
	}
	r := rules["/zeugo.v1.OrganizationService/ListCompanies"]
	if r.Service != "zeugo.v1.OrganizationService" || r.KeyScope != "organization" || r.Level != Read {
		t.Fatalf("rule = %+v", r)
	}
}

func TestCertificateScope(t *testing.T) {
	c := uuid.New()
	restricted := Scope{Companies: []uuid.UUID{c}}
	if s := CertificateScope([]Area{AreaEmployees}, true, restricted); !s.All {
		t.Errorf("access all: %+v", s)
	}
	if s := CertificateScope([]Area{AreaAdministrator}, false, restricted); !s.All {
		t.Errorf("Administrator area cannot be restricted: %+v", s)
	}
	if s := CertificateScope([]Area{AreaEmployees}, false, restricted); s.All || len(s.Companies) != 1 || s.Companies[0] != c {
		t.Errorf("restricted: %+v", s)
	}
	if s := CertificateScope(nil, false, Scope{}); s.All {
		t.Errorf("nothing listed must admit nothing: %+v", s)
	}
}
