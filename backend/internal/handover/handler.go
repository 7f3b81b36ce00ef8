package handover

import (
	"context"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/types/known/timestamppb"

	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
	"github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1/zeugov1connect"
	"github.com/zeugo/zeugo/backend/internal/protomap"
)

// Handler serves HandoverService and HandoverRecipientService: proto <->
// domain only (validation and access run in interceptors, from the proto).
type Handler struct {
	svc *Service
}

var (
	_ zeugov1connect.HandoverServiceHandler          = (*Handler)(nil)
	_ zeugov1connect.HandoverRecipientServiceHandler = (*Handler)(nil)
)

// CreateHandover implements zeugov1connect.HandoverServiceHandler.
func (h *Handler) CreateHandover(ctx context.Context, req *connect.Request[zeugov1.CreateHandoverRequest]) (*connect.Response[zeugov1.CreateHandoverResponse], error) {
	m := req.Msg
	r := m.GetRecipient()
	out, err := h.svc.Create(ctx, NewHandover{CertificateID: protomap.ID(m.GetCertificateId()),
		Recipient: Recipient{Name: r.GetName(), Email: r.GetEmail(), Phone: r.GetPhone()}, Message: m.GetMessage(),
		Language: m.GetLanguage(), Grants: grantsFromProto(m.GetGrants()), Download: m.GetDownload(),
		CodeChannel: channels[m.GetCodeChannel()], ExpiresInDays: int(m.GetExpiresInDays())})
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.CreateHandoverResponse{Handover: handoverToProto(out)}), nil
}

// ListHandovers implements zeugov1connect.HandoverServiceHandler.
func (h *Handler) ListHandovers(ctx context.Context, req *connect.Request[zeugov1.ListHandoversRequest]) (*connect.Response[zeugov1.ListHandoversResponse], error) {
	list, err := h.svc.List(ctx, protomap.ID(req.Msg.GetCertificateId()))
	if err != nil {
		return nil, err
	}
	res := &zeugov1.ListHandoversResponse{}
	for _, x := range list {
		res.Handovers = append(res.Handovers, handoverToProto(x))
	}
	return connect.NewResponse(res), nil
}

// RevokeHandover implements zeugov1connect.HandoverServiceHandler.
func (h *Handler) RevokeHandover(ctx context.Context, req *connect.Request[zeugov1.RevokeHandoverRequest]) (*connect.Response[zeugov1.RevokeHandoverResponse], error) {
	out, err := h.svc.Revoke(ctx, protomap.ID(req.Msg.GetId()), req.Msg.GetVersion())
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.RevokeHandoverResponse{Handover: handoverToProto(out)}), nil
}

// ResendHandover implements zeugov1connect.HandoverServiceHandler.
func (h *Handler) ResendHandover(ctx context.Context, req *connect.Request[zeugov1.ResendHandoverRequest]) (*connect.Response[zeugov1.ResendHandoverResponse], error) {
	out, err := h.svc.Resend(ctx, protomap.ID(req.Msg.GetId()), req.Msg.GetVersion())
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.ResendHandoverResponse{Handover: handoverToProto(out)}), nil
}

// ExtendHandover implements zeugov1connect.HandoverServiceHandler.
func (h *Handler) ExtendHandover(ctx context.Context, req *connect.Request[zeugov1.ExtendHandoverRequest]) (*connect.Response[zeugov1.ExtendHandoverResponse], error) {
	out, err := h.svc.Extend(ctx, protomap.ID(req.Msg.GetId()), req.Msg.GetVersion(), int(req.Msg.GetExpiresInDays()))
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.ExtendHandoverResponse{Handover: handoverToProto(out)}), nil
}

// OpenHandover implements zeugov1connect.HandoverRecipientServiceHandler.
func (h *Handler) OpenHandover(ctx context.Context, req *connect.Request[zeugov1.OpenHandoverRequest]) (*connect.Response[zeugov1.OpenHandoverResponse], error) {
	m := req.Msg
	in := OpenRequest{ID: m.GetHandoverId(), Secret: m.GetSecret(), Code: m.GetCode()}
	if m.GetAttemptId() != "" {
		in.Attempt = protomap.ID(m.GetAttemptId())
	}
	o, err := h.svc.Open(ctx, in)
	if err != nil {
		return nil, err
	}
	res := &zeugov1.OpenHandoverResponse{}
	if c := o.CodeSent; c != nil {
		res.Result = &zeugov1.OpenHandoverResponse_CodeSent{CodeSent: &zeugov1.CodeSent{AttemptId: c.Attempt.String(),
			Channel: protomap.Reverse(channels, c.Channel), Destination: c.Destination, ExpireTime: timestamppb.New(c.Expires)}}
	} else {
		res.Result = &zeugov1.OpenHandoverResponse_Session{Session: &zeugov1.RecipientSession{Token: o.Token,
			ExpireTime: timestamppb.New(o.Expires)}}
	}
	return connect.NewResponse(res), nil
}

// GetMyHandover implements zeugov1connect.HandoverRecipientServiceHandler.
func (h *Handler) GetMyHandover(ctx context.Context, _ *connect.Request[zeugov1.GetMyHandoverRequest]) (*connect.Response[zeugov1.GetMyHandoverResponse], error) {
	m, err := h.svc.Mine(ctx)
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.GetMyHandoverResponse{Handover: &zeugov1.MyHandover{Id: m.ID.String(),
		CertificateId: m.CertificateID.String(), RecipientName: m.Recipient.Name, Message: m.Message, Language: m.Language,
		Grants: grantsToProto(m.Read, m.Write), Download: m.Download, ExpireTime: optTime(m.ExpiresAt), FromName: m.CreatedByName}}), nil
}

// CompleteHandover implements zeugov1connect.HandoverRecipientServiceHandler.
func (h *Handler) CompleteHandover(ctx context.Context, _ *connect.Request[zeugov1.CompleteHandoverRequest]) (*connect.Response[zeugov1.CompleteHandoverResponse], error) {
	at, err := h.svc.Complete(ctx)
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.CompleteHandoverResponse{CompleteTime: timestamppb.New(at)}), nil
}

// EndHandoverSession implements zeugov1connect.HandoverRecipientServiceHandler.
func (h *Handler) EndHandoverSession(ctx context.Context, _ *connect.Request[zeugov1.EndHandoverSessionRequest]) (*connect.Response[zeugov1.EndHandoverSessionResponse], error) {
	if err := h.svc.EndSession(ctx); err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.EndHandoverSessionResponse{}), nil
}
