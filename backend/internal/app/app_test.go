package app_test

import (
	"slices"
	"strings"
	"testing"

	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"

	"github.com/zeugo/zeugo/backend/internal/access"
	"github.com/zeugo/zeugo/backend/internal/app"
	"github.com/zeugo/zeugo/backend/internal/apptest"
	_ "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1" // registers every zeugo.v1 file
)

// zeugoServices lists every service declared in proto/zeugo/.
func zeugoServices() []protoreflect.ServiceDescriptor {
	var out []protoreflect.ServiceDescriptor
	protoregistry.GlobalFiles.RangeFiles(func(f protoreflect.FileDescriptor) bool {
		if strings.HasPrefix(string(f.Package()), "zeugo.") {
			for i := range f.Services().Len() {
				out = append(out, f.Services().Get(i))
			}
		}
		return true
	})
	return out
}

// TestEveryRPCDeclaresItsAccess walks every service of the API: a method
// without a valid (zeugo.v1.access) option fails here — and the server
// would refuse to start with it (app.Build reads the same rules).
func TestEveryRPCDeclaresItsAccess(t *testing.T) {
	t.Parallel()
	services := zeugoServices()
	if len(services) < 2 {
		t.Fatalf("found %d services; the generated packages are not registered", len(services))
	}
	methods := 0
	for _, s := range services {
		for i := range s.Methods().Len() {
			methods++
			if _, err := access.RuleOf(s.Methods().Get(i)); err != nil {
				t.Error(err)
			}
		}
	}
	t.Logf("%d services, %d rpcs, each with its rule", len(services), methods)
}

// TestEveryServiceIsMounted: a service in the proto that no domain mounts
// is dead API; a mounted name that is not in the proto cannot be reflected.
func TestEveryServiceIsMounted(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	mounted := app.ServiceNames(env.App.Services)
	for _, s := range zeugoServices() {
		if !slices.Contains(mounted, string(s.FullName())) {
			t.Errorf("service %s is declared but not mounted in app.Build", s.FullName())
		}
	}
	if len(mounted) != len(zeugoServices()) {
		t.Errorf("mounted %v; the proto declares %d services", mounted, len(zeugoServices()))
	}
	for proc, r := range env.App.Rules {
		if r.Level == 0 {
			t.Errorf("%s: rule without level", proc)
		}
	}
}
