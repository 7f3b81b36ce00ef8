package branding

import (
	"net/http"

	"connectrpc.com/connect"

	"github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1/zeugov1connect"
	"github.com/zeugo/zeugo/backend/internal/mount"
)

// LogoRequestBytes is the request limit of SetBrandingLogo: a logo of up
// to 2 MiB, base64 in the Connect JSON form (4/3), and the envelope.
const LogoRequestBytes = 3 << 20

// Mount is BrandingService as the server serves it.
func Mount(s *Service) mount.Service {
	return mount.Service{Name: zeugov1connect.BrandingServiceName,
		Handler: func(opts ...connect.HandlerOption) (string, http.Handler) {
			return zeugov1connect.NewBrandingServiceHandler(&Handler{svc: s}, opts...)
		},
		Limits: map[string]int64{zeugov1connect.BrandingServiceSetBrandingLogoProcedure: LogoRequestBytes}}
}
