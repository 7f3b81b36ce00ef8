package selfservice

import (
	"context"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/types/known/timestamppb"

	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
	"github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1/zeugov1connect"
	"github.com/zeugo/zeugo/backend/internal/paging"
	"github.com/zeugo/zeugo/backend/internal/protomap"
)

// Handler is the Connect handler of SelfServiceService: proto <-> domain
// only (validation and access run in interceptors, from the proto).
type Handler struct {
	svc *Service
}

var _ zeugov1connect.SelfServiceServiceHandler = (*Handler)(nil)

// NewHandler returns the handler over svc.
func NewHandler(svc *Service) *Handler { return &Handler{svc: svc} }

// GetSelfServiceForm implements zeugov1connect.SelfServiceServiceHandler.
func (h *Handler) GetSelfServiceForm(ctx context.Context, req *connect.Request[zeugov1.GetSelfServiceFormRequest]) (*connect.Response[zeugov1.GetSelfServiceFormResponse], error) {
	f, err := h.svc.GetForm(ctx, req.Msg.GetFormId())
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.GetSelfServiceFormResponse{CompanyName: f.CompanyName, Intro: f.Intro}), nil
}

// StartSelfServiceRequest implements zeugov1connect.SelfServiceServiceHandler.
func (h *Handler) StartSelfServiceRequest(ctx context.Context, req *connect.Request[zeugov1.StartSelfServiceRequestRequest]) (*connect.Response[zeugov1.StartSelfServiceRequestResponse], error) {
	f, err := fieldsFromProto(req.Msg.GetFields())
	if err != nil {
		return nil, err
	}
	st, err := h.svc.Start(ctx, req.Msg.GetFormId(), f)
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.StartSelfServiceRequestResponse{Pending: st.Pending, ExpireTime: timestamppb.New(st.ExpiresAt)}), nil
}

// ConfirmSelfServiceRequest implements zeugov1connect.SelfServiceServiceHandler.
func (h *Handler) ConfirmSelfServiceRequest(ctx context.Context, req *connect.Request[zeugov1.ConfirmSelfServiceRequestRequest]) (*connect.Response[zeugov1.ConfirmSelfServiceRequestResponse], error) {
	if err := h.svc.Confirm(ctx, req.Msg.GetPending(), req.Msg.GetCode()); err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.ConfirmSelfServiceRequestResponse{}), nil
}

// ListSelfServiceForms implements zeugov1connect.SelfServiceServiceHandler.
func (h *Handler) ListSelfServiceForms(ctx context.Context, _ *connect.Request[zeugov1.ListSelfServiceFormsRequest]) (*connect.Response[zeugov1.ListSelfServiceFormsResponse], error) {
	fs, free, err := h.svc.ListForms(ctx)
	if err != nil {
		return nil, err
	}
	res := &zeugov1.ListSelfServiceFormsResponse{}
	for i := range fs {
		res.Forms = append(res.Forms, formToProto(&fs[i]))
	}
	for _, c := range free {
		res.CompaniesWithoutForm = append(res.CompaniesWithoutForm, &zeugov1.SelfServiceCompany{Id: c.ID.String(), Name: c.Name})
	}
	return connect.NewResponse(res), nil
}

// CreateSelfServiceForm implements zeugov1connect.SelfServiceServiceHandler.
func (h *Handler) CreateSelfServiceForm(ctx context.Context, req *connect.Request[zeugov1.CreateSelfServiceFormRequest]) (*connect.Response[zeugov1.CreateSelfServiceFormResponse], error) {
	f, err := h.svc.CreateForm(ctx, protomap.ID(req.Msg.GetCompanyId()), req.Msg.GetIntro(), req.Msg.GetEnabled())
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.CreateSelfServiceFormResponse{Form: formToProto(f)}), nil
}

// UpdateSelfServiceForm implements zeugov1connect.SelfServiceServiceHandler.
func (h *Handler) UpdateSelfServiceForm(ctx context.Context, req *connect.Request[zeugov1.UpdateSelfServiceFormRequest]) (*connect.Response[zeugov1.UpdateSelfServiceFormResponse], error) {
	m := req.Msg
	f, err := h.svc.UpdateForm(ctx, protomap.ID(m.GetId()), m.GetVersion(), m.GetEnabled(), m.GetIntro())
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.UpdateSelfServiceFormResponse{Form: formToProto(f)}), nil
}

// RotateSelfServiceForm implements zeugov1connect.SelfServiceServiceHandler.
func (h *Handler) RotateSelfServiceForm(ctx context.Context, req *connect.Request[zeugov1.RotateSelfServiceFormRequest]) (*connect.Response[zeugov1.RotateSelfServiceFormResponse], error) {
	f, err := h.svc.RotateForm(ctx, protomap.ID(req.Msg.GetId()), req.Msg.GetVersion())
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.RotateSelfServiceFormResponse{Form: formToProto(f)}), nil
}

// DeleteSelfServiceForm implements zeugov1connect.SelfServiceServiceHandler.
func (h *Handler) DeleteSelfServiceForm(ctx context.Context, req *connect.Request[zeugov1.DeleteSelfServiceFormRequest]) (*connect.Response[zeugov1.DeleteSelfServiceFormResponse], error) {
	if err := h.svc.DeleteForm(ctx, protomap.ID(req.Msg.GetId())); err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.DeleteSelfServiceFormResponse{}), nil
}

// ListSelfServiceRequests implements zeugov1connect.SelfServiceServiceHandler.
func (h *Handler) ListSelfServiceRequests(ctx context.Context, req *connect.Request[zeugov1.ListSelfServiceRequestsRequest]) (*connect.Response[zeugov1.ListSelfServiceRequestsResponse], error) {
	page, err := h.svc.List(ctx, states[req.Msg.GetState()],
		req.Msg.GetDirection() == zeugov1.SortDirection_SORT_DIRECTION_ASCENDING, paging.FromProto(req.Msg.GetPage()))
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.ListSelfServiceRequestsResponse{Requests: paging.Map(page, requestToProto),
		Page: paging.InfoToProto(page)}), nil
}

// GetSelfServiceRequest implements zeugov1connect.SelfServiceServiceHandler.
func (h *Handler) GetSelfServiceRequest(ctx context.Context, req *connect.Request[zeugov1.GetSelfServiceRequestRequest]) (*connect.Response[zeugov1.GetSelfServiceRequestResponse], error) {
	r, cands, err := h.svc.Get(ctx, protomap.ID(req.Msg.GetId()))
	if err != nil {
		return nil, err
	}
	res := &zeugov1.GetSelfServiceRequestResponse{Request: requestToProto(r)}
	for _, c := range cands {
		res.Candidates = append(res.Candidates, candidateToProto(c))
	}
	return connect.NewResponse(res), nil
}

// ConvertSelfServiceRequest implements zeugov1connect.SelfServiceServiceHandler.
func (h *Handler) ConvertSelfServiceRequest(ctx context.Context, req *connect.Request[zeugov1.ConvertSelfServiceRequestRequest]) (*connect.Response[zeugov1.ConvertSelfServiceRequestResponse], error) {
	m := req.Msg
	r, err := h.svc.Convert(ctx, protomap.ID(m.GetId()), m.GetVersion(), protomap.ID(m.GetEmployeeId()))
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.ConvertSelfServiceRequestResponse{Request: requestToProto(r),
		CertificateId: protomap.IDString(r.CertificateID)}), nil
}

// DeclineSelfServiceRequest implements zeugov1connect.SelfServiceServiceHandler.
func (h *Handler) DeclineSelfServiceRequest(ctx context.Context, req *connect.Request[zeugov1.DeclineSelfServiceRequestRequest]) (*connect.Response[zeugov1.DeclineSelfServiceRequestResponse], error) {
	m := req.Msg
	r, err := h.svc.Decline(ctx, protomap.ID(m.GetId()), m.GetVersion(), m.GetMessage())
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.DeclineSelfServiceRequestResponse{Request: requestToProto(r)}), nil
}
