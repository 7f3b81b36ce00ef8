package certificates

import (
	"context"

	"connectrpc.com/connect"
	"github.com/google/uuid"
	"google.golang.org/protobuf/types/known/timestamppb"

	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
)

var exportStates = map[ExportState]zeugov1.CertificateExportState{
	ExportPending: zeugov1.CertificateExportState_CERTIFICATE_EXPORT_STATE_PENDING,
	ExportRunning: zeugov1.CertificateExportState_CERTIFICATE_EXPORT_STATE_RUNNING,
	ExportDone:    zeugov1.CertificateExportState_CERTIFICATE_EXPORT_STATE_DONE,
	ExportFailed:  zeugov1.CertificateExportState_CERTIFICATE_EXPORT_STATE_FAILED,
}

func exportToProto(x *Export) *zeugov1.CertificateExport {
	return &zeugov1.CertificateExport{Id: x.ID.String(), State: exportStates[x.State], Total: int32(x.Total),
		Done: int32(x.Done), SizeBytes: x.SizeBytes, CreateTime: timestamppb.New(x.CreatedAt), ExpireTime: timestamppb.New(x.ExpiresAt)}
}

// StartCertificateExport implements zeugov1connect.CertificateServiceHandler.
func (h *Handler) StartCertificateExport(ctx context.Context, req *connect.Request[zeugov1.StartCertificateExportRequest]) (*connect.Response[zeugov1.StartCertificateExportResponse], error) {
	ids := make([]uuid.UUID, len(req.Msg.GetIds()))
	for i, id := range req.Msg.GetIds() {
		ids[i] = uuid.MustParse(id)
	}
	x, err := h.svc.StartExport(ctx, ids)
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.StartCertificateExportResponse{Export: exportToProto(x)}), nil
}

// GetCertificateExport implements zeugov1connect.CertificateServiceHandler.
func (h *Handler) GetCertificateExport(ctx context.Context, req *connect.Request[zeugov1.GetCertificateExportRequest]) (*connect.Response[zeugov1.GetCertificateExportResponse], error) {
	x, err := h.svc.GetExport(ctx, uuid.MustParse(req.Msg.GetId()))
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.GetCertificateExportResponse{Export: exportToProto(x)}), nil
}

// DownloadCertificateExport implements zeugov1connect.CertificateServiceHandler.
func (h *Handler) DownloadCertificateExport(ctx context.Context, req *connect.Request[zeugov1.DownloadCertificateExportRequest], stream *connect.ServerStream[zeugov1.DownloadCertificateExportResponse]) error {
	return h.svc.DownloadExport(ctx, uuid.MustParse(req.Msg.GetId()), func(chunk []byte, name string) error {
		return stream.Send(&zeugov1.DownloadCertificateExportResponse{Chunk: chunk, FileName: name})
	})
}
