package roles

import (
	"context"
	"strings"

	"connectrpc.com/connect"
	"github.com/google/uuid"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/zeugo/zeugo/backend/internal/access"
	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
	"github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1/zeugov1connect"
	"github.com/zeugo/zeugo/backend/internal/paging"
)

// Handler is the Connect handler of RoleService (proto ↔ domain only).
type Handler struct {
	svc *Service
}

var _ zeugov1connect.RoleServiceHandler = (*Handler)(nil)

// NewHandler returns the handler over svc.
func NewHandler(svc *Service) *Handler { return &Handler{svc: svc} }

func fieldsFromProto(f *zeugov1.RoleFields) Fields {
	out := Fields{Name: f.GetName()}
	for _, a := range f.GetAreas() {
		if area := access.AreaFromProto(a); area != "" {
			out.Areas = append(out.Areas, area)
		}
	}
	return out
}

func roleToProto(r *Role) *zeugov1.Role {
	areas := make([]zeugov1.Area, 0, len(r.Fields.Areas))
	for _, a := range r.Fields.Areas {
		if p := access.AreaToProto(a); p != zeugov1.Area_AREA_UNSPECIFIED {
			areas = append(areas, p)
		}
	}
	return &zeugov1.Role{Id: r.ID.String(), Fields: &zeugov1.RoleFields{Name: r.Fields.Name, Areas: areas},
		Builtin: r.Builtin, UserCount: r.UserCount, Version: r.Version,
		CreateTime: timestamppb.New(r.CreatedAt), UpdateTime: timestamppb.New(r.UpdatedAt)}
}

// ListRoles implements zeugov1connect.RoleServiceHandler.
func (h *Handler) ListRoles(ctx context.Context, req *connect.Request[zeugov1.ListRolesRequest]) (*connect.Response[zeugov1.ListRolesResponse], error) {
	page, err := h.svc.List(ctx, Query{Page: paging.FromProto(req.Msg.GetPage()), Desc: paging.Descending(req.Msg.GetDirection()),
		Search: strings.TrimSpace(req.Msg.GetQuery())})
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.ListRolesResponse{Roles: paging.Map(page, roleToProto), Page: paging.InfoToProto(page)}), nil
}

// GetRole implements zeugov1connect.RoleServiceHandler.
func (h *Handler) GetRole(ctx context.Context, req *connect.Request[zeugov1.GetRoleRequest]) (*connect.Response[zeugov1.GetRoleResponse], error) {
	r, err := h.svc.Get(ctx, uuid.MustParse(req.Msg.GetId()))
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.GetRoleResponse{Role: roleToProto(r)}), nil
}

// CreateRole implements zeugov1connect.RoleServiceHandler.
func (h *Handler) CreateRole(ctx context.Context, req *connect.Request[zeugov1.CreateRoleRequest]) (*connect.Response[zeugov1.CreateRoleResponse], error) {
	r, err := h.svc.Create(ctx, fieldsFromProto(req.Msg.GetFields()))
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.CreateRoleResponse{Role: roleToProto(r)}), nil
}

// UpdateRole implements zeugov1connect.RoleServiceHandler.
func (h *Handler) UpdateRole(ctx context.Context, req *connect.Request[zeugov1.UpdateRoleRequest]) (*connect.Response[zeugov1.UpdateRoleResponse], error) {
	r, err := h.svc.Update(ctx, uuid.MustParse(req.Msg.GetId()), req.Msg.GetVersion(), fieldsFromProto(req.Msg.GetFields()))
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.UpdateRoleResponse{Role: roleToProto(r)}), nil
}

// DeleteRole implements zeugov1connect.RoleServiceHandler.
func (h *Handler) DeleteRole(ctx context.Context, req *connect.Request[zeugov1.DeleteRoleRequest]) (*connect.Response[zeugov1.DeleteRoleResponse], error) {
	if err := h.svc.Delete(ctx, uuid.MustParse(req.Msg.GetId())); err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.DeleteRoleResponse{}), nil
}
