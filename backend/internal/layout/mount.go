package layout

import (
	"net/http"

	"connectrpc.com/connect"

	"github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1/zeugov1connect"
	"github.com/zeugo/zeugo/backend/internal/mount"
)

// LogoRequestBytes is the request limit of SetDocumentLayoutLogo: a logo of
// up to 2 MiB, base64 in the Connect JSON form (4/3), and the envelope.
const LogoRequestBytes = 3 << 20

// Mount is DocumentLayoutService as the server serves it.
func Mount(s *Service) mount.Service {
	return mount.Service{Name: zeugov1connect.DocumentLayoutServiceName,
		Handler: func(opts ...connect.HandlerOption) (string, http.Handler) {
			return zeugov1connect.NewDocumentLayoutServiceHandler(&Handler{svc: s}, opts...)
		},
		Limits: map[string]int64{zeugov1connect.DocumentLayoutServiceSetDocumentLayoutLogoProcedure: LogoRequestBytes}}
}
