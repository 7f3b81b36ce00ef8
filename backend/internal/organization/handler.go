package organization

import (
	"context"

	"connectrpc.com/connect"
	"github.com/google/uuid"

	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
	"github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1/zeugov1connect"
	"github.com/zeugo/zeugo/backend/internal/paging"
)

// Handler is the Connect handler of OrganizationService: it converts between
// proto and domain and nothing else (validation runs in an interceptor,
// access in another, from the rule each rpc declares in the proto).
type Handler struct {
	svc *Service
}

var _ zeugov1connect.OrganizationServiceHandler = (*Handler)(nil)

// NewHandler returns the handler over svc.
func NewHandler(svc *Service) *Handler { return &Handler{svc: svc} }

// CreateCompany implements zeugov1connect.OrganizationServiceHandler.
func (h *Handler) CreateCompany(ctx context.Context, req *connect.Request[zeugov1.CreateCompanyRequest]) (*connect.Response[zeugov1.CreateCompanyResponse], error) {
	c, err := h.svc.CreateCompany(ctx, companyFieldsFromProto(req.Msg.GetFields()))
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.CreateCompanyResponse{Company: companyToProto(c)}), nil
}

// ListCompanies implements zeugov1connect.OrganizationServiceHandler.
func (h *Handler) ListCompanies(ctx context.Context, req *connect.Request[zeugov1.ListCompaniesRequest]) (*connect.Response[zeugov1.ListCompaniesResponse], error) {
	page, err := h.svc.ListCompanies(ctx, companyQueryFromProto(req.Msg))
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.ListCompaniesResponse{Companies: paging.Map(page, companyToProto),
		Page: paging.InfoToProto(page)}), nil
}

// GetCompany implements zeugov1connect.OrganizationServiceHandler.
func (h *Handler) GetCompany(ctx context.Context, req *connect.Request[zeugov1.GetCompanyRequest]) (*connect.Response[zeugov1.GetCompanyResponse], error) {
	c, err := h.svc.GetCompany(ctx, uuid.MustParse(req.Msg.GetId()))
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.GetCompanyResponse{Company: companyToProto(c)}), nil
}

// UpdateCompany implements zeugov1connect.OrganizationServiceHandler.
func (h *Handler) UpdateCompany(ctx context.Context, req *connect.Request[zeugov1.UpdateCompanyRequest]) (*connect.Response[zeugov1.UpdateCompanyResponse], error) {
	c, err := h.svc.UpdateCompany(ctx, uuid.MustParse(req.Msg.GetId()), req.Msg.GetVersion(), companyFieldsFromProto(req.Msg.GetFields()))
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.UpdateCompanyResponse{Company: companyToProto(c)}), nil
}

// DeleteCompany implements zeugov1connect.OrganizationServiceHandler.
func (h *Handler) DeleteCompany(ctx context.Context, req *connect.Request[zeugov1.DeleteCompanyRequest]) (*connect.Response[zeugov1.DeleteCompanyResponse], error) {
	if err := h.svc.DeleteCompany(ctx, uuid.MustParse(req.Msg.GetId())); err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.DeleteCompanyResponse{}), nil
}

// CreateUnit implements zeugov1connect.OrganizationServiceHandler.
func (h *Handler) CreateUnit(ctx context.Context, req *connect.Request[zeugov1.CreateUnitRequest]) (*connect.Response[zeugov1.CreateUnitResponse], error) {
	u, err := h.svc.CreateUnit(ctx, kindFromProto(req.Msg.GetKind()), unitFieldsFromProto(req.Msg.GetFields()))
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.CreateUnitResponse{Unit: unitToProto(u)}), nil
}

// ListUnits implements zeugov1connect.OrganizationServiceHandler.
func (h *Handler) ListUnits(ctx context.Context, req *connect.Request[zeugov1.ListUnitsRequest]) (*connect.Response[zeugov1.ListUnitsResponse], error) {
	page, err := h.svc.ListUnits(ctx, unitQueryFromProto(req.Msg))
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.ListUnitsResponse{Units: paging.Map(page, unitToProto), Page: paging.InfoToProto(page)}), nil
}

// GetUnit implements zeugov1connect.OrganizationServiceHandler.
func (h *Handler) GetUnit(ctx context.Context, req *connect.Request[zeugov1.GetUnitRequest]) (*connect.Response[zeugov1.GetUnitResponse], error) {
	u, err := h.svc.GetUnit(ctx, uuid.MustParse(req.Msg.GetId()))
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.GetUnitResponse{Unit: unitToProto(u)}), nil
}

// UpdateUnit implements zeugov1connect.OrganizationServiceHandler.
func (h *Handler) UpdateUnit(ctx context.Context, req *connect.Request[zeugov1.UpdateUnitRequest]) (*connect.Response[zeugov1.UpdateUnitResponse], error) {
	u, err := h.svc.UpdateUnit(ctx, uuid.MustParse(req.Msg.GetId()), req.Msg.GetVersion(), unitFieldsFromProto(req.Msg.GetFields()))
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.UpdateUnitResponse{Unit: unitToProto(u)}), nil
}

// DeleteUnit implements zeugov1connect.OrganizationServiceHandler.
func (h *Handler) DeleteUnit(ctx context.Context, req *connect.Request[zeugov1.DeleteUnitRequest]) (*connect.Response[zeugov1.DeleteUnitResponse], error) {
	if err := h.svc.DeleteUnit(ctx, uuid.MustParse(req.Msg.GetId())); err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.DeleteUnitResponse{}), nil
}
