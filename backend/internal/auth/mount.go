package auth

import (
	"net/http"

	"connectrpc.com/connect"

	"github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1/zeugov1connect"
	"github.com/zeugo/zeugo/backend/internal/mount"
)

// Mount is AuthService as the server serves it.
func Mount(a *Authenticator) mount.Service {
	return mount.Service{Name: zeugov1connect.AuthServiceName,
		Handler: func(opts ...connect.HandlerOption) (string, http.Handler) {
			return zeugov1connect.NewAuthServiceHandler(NewHandler(a), opts...)
		}}
}
