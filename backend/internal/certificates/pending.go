package certificates

import (
	"context"
	"errors"

	"connectrpc.com/connect"

	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
)

// The bulk export (a River job writing one ZIP) is built in export.go.

// StartCertificateExport implements zeugov1connect.CertificateServiceHandler.
func (h *Handler) StartCertificateExport(context.Context, *connect.Request[zeugov1.StartCertificateExportRequest]) (*connect.Response[zeugov1.StartCertificateExportResponse], error) {
	return nil, connect.NewError(connect.CodeUnimplemented, errors.New("bulk export is not available yet"))
}

// GetCertificateExport implements zeugov1connect.CertificateServiceHandler.
func (h *Handler) GetCertificateExport(context.Context, *connect.Request[zeugov1.GetCertificateExportRequest]) (*connect.Response[zeugov1.GetCertificateExportResponse], error) {
	return nil, connect.NewError(connect.CodeUnimplemented, errors.New("bulk export is not available yet"))
}

// DownloadCertificateExport implements zeugov1connect.CertificateServiceHandler.
func (h *Handler) DownloadCertificateExport(context.Context, *connect.Request[zeugov1.DownloadCertificateExportRequest], *connect.ServerStream[zeugov1.DownloadCertificateExportResponse]) error {
	return connect.NewError(connect.CodeUnimplemented, errors.New("bulk export is not available yet"))
}
