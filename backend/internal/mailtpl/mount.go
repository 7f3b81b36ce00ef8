package mailtpl

import (
	"net/http"

	"connectrpc.com/connect"

	"github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1/zeugov1connect"
	"github.com/zeugo/zeugo/backend/internal/mount"
)

// MountTemplates is MailTemplateService as the server serves it.
func MountTemplates(s *Service) mount.Service {
	return mount.Service{Name: zeugov1connect.MailTemplateServiceName,
		Handler: func(opts ...connect.HandlerOption) (string, http.Handler) {
			return zeugov1connect.NewMailTemplateServiceHandler(&TemplateHandler{svc: s}, opts...)
		}}
}

// MountSender is MailSenderService as the server serves it.
func MountSender(s *Service) mount.Service {
	return mount.Service{Name: zeugov1connect.MailSenderServiceName,
		Handler: func(opts ...connect.HandlerOption) (string, http.Handler) {
			return zeugov1connect.NewMailSenderServiceHandler(&SenderHandler{svc: s}, opts...)
		}}
}
