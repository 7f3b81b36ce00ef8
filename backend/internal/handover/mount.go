package handover

import (
	"net/http"

	"connectrpc.com/connect"

	"github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1/zeugov1connect"
	"github.com/zeugo/zeugo/backend/internal/mount"
)

// Mount is HandoverService and HandoverRecipientService as the server
// serves them.
func Mount(s *Service) []mount.Service {
	h := &Handler{svc: s}
	return []mount.Service{
		{Name: zeugov1connect.HandoverServiceName, Handler: func(opts ...connect.HandlerOption) (string, http.Handler) {
			return zeugov1connect.NewHandoverServiceHandler(h, opts...)
		}},
		{Name: zeugov1connect.HandoverRecipientServiceName, Handler: func(opts ...connect.HandlerOption) (string, http.Handler) {
			return zeugov1connect.NewHandoverRecipientServiceHandler(h, opts...)
		}},
	}
}
