package organization

import (
	"context"

	"connectrpc.com/connect"
	"github.com/google/uuid"
	"google.golang.org/protobuf/types/known/timestamppb"

	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
	"github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1/zeugov1connect"
)

// Handler is the Connect handler of OrganizationService: it converts between
// proto and domain and nothing else (validation runs in an interceptor,
// authorisation in the Service).
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
func (h *Handler) ListCompanies(ctx context.Context, _ *connect.Request[zeugov1.ListCompaniesRequest]) (*connect.Response[zeugov1.ListCompaniesResponse], error) {
	cs, err := h.svc.ListCompanies(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]*zeugov1.Company, len(cs))
	for i := range cs {
		out[i] = companyToProto(&cs[i])
	}
	return connect.NewResponse(&zeugov1.ListCompaniesResponse{Companies: out}), nil
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
	us, err := h.svc.ListUnits(ctx, kindFromProto(req.Msg.GetKind()))
	if err != nil {
		return nil, err
	}
	out := make([]*zeugov1.Unit, len(us))
	for i := range us {
		out[i] = unitToProto(&us[i])
	}
	return connect.NewResponse(&zeugov1.ListUnitsResponse{Units: out}), nil
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

func companyFieldsFromProto(f *zeugov1.CompanyFields) CompanyFields {
	return CompanyFields{Name: f.GetName(), Street: f.GetStreet(), Postcode: f.GetPostcode(), City: f.GetCity(),
		Country: f.GetCountry(), Phone: f.GetPhone(), Email: f.GetEmail(), Website: f.GetWebsite(),
		RegisterCourt: f.GetRegisterCourt(), RegisterNumber: f.GetRegisterNumber(), VATID: f.GetVatId(),
		ManagingDirectors: f.GetManagingDirectors(), Description: f.GetDescription()}
}

func companyToProto(c *Company) *zeugov1.Company {
	f := c.Fields
	return &zeugov1.Company{Id: c.ID.String(), Version: c.Version,
		CreateTime: timestamppb.New(c.CreatedAt), UpdateTime: timestamppb.New(c.UpdatedAt),
		Fields: &zeugov1.CompanyFields{Name: f.Name, Street: f.Street, Postcode: f.Postcode, City: f.City,
			Country: f.Country, Phone: f.Phone, Email: f.Email, Website: f.Website, RegisterCourt: f.RegisterCourt,
			RegisterNumber: f.RegisterNumber, VatId: f.VATID, ManagingDirectors: f.ManagingDirectors, Description: f.Description}}
}

var kinds = map[zeugov1.UnitKind]UnitKind{
	zeugov1.UnitKind_UNIT_KIND_LOCATION:      KindLocation,
	zeugov1.UnitKind_UNIT_KIND_DEPARTMENT:    KindDepartment,
	zeugov1.UnitKind_UNIT_KIND_ORG_UNIT:      KindOrgUnit,
	zeugov1.UnitKind_UNIT_KIND_EMPLOYEE_TYPE: KindEmployeeType,
}

func kindFromProto(k zeugov1.UnitKind) UnitKind { return kinds[k] }

func kindToProto(k UnitKind) zeugov1.UnitKind {
	for pk, dk := range kinds {
		if dk == k {
			return pk
		}
	}
	return zeugov1.UnitKind_UNIT_KIND_UNSPECIFIED
}

func unitFieldsFromProto(f *zeugov1.UnitFields) UnitFields {
	return UnitFields{Name: f.GetName(), Description: f.GetDescription()}
}

func unitToProto(u *Unit) *zeugov1.Unit {
	return &zeugov1.Unit{Id: u.ID.String(), Kind: kindToProto(u.Kind), Version: u.Version,
		CreateTime: timestamppb.New(u.CreatedAt), UpdateTime: timestamppb.New(u.UpdatedAt),
		Fields: &zeugov1.UnitFields{Name: u.Fields.Name, Description: u.Fields.Description}}
}
