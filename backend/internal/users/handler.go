package users

import (
	"context"

	"connectrpc.com/connect"
	"github.com/google/uuid"

	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
	"github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1/zeugov1connect"
	"github.com/zeugo/zeugo/backend/internal/paging"
)

// Handler is the Connect handler of UserService (proto ↔ domain only;
// validation and access run in interceptors).
type Handler struct {
	svc *Service
}

var _ zeugov1connect.UserServiceHandler = (*Handler)(nil)

// NewHandler returns the handler over svc.
func NewHandler(svc *Service) *Handler { return &Handler{svc: svc} }

// ListUsers implements zeugov1connect.UserServiceHandler.
func (h *Handler) ListUsers(ctx context.Context, req *connect.Request[zeugov1.ListUsersRequest]) (*connect.Response[zeugov1.ListUsersResponse], error) {
	page, err := h.svc.List(ctx, queryFromProto(req.Msg))
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.ListUsersResponse{Users: paging.Map(page, userToProto), Page: paging.InfoToProto(page)}), nil
}

// GetUser implements zeugov1connect.UserServiceHandler.
func (h *Handler) GetUser(ctx context.Context, req *connect.Request[zeugov1.GetUserRequest]) (*connect.Response[zeugov1.GetUserResponse], error) {
	u, err := h.svc.Get(ctx, uuid.MustParse(req.Msg.GetId()))
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.GetUserResponse{User: userToProto(u)}), nil
}

// ListAccessOptions implements zeugov1connect.UserServiceHandler.
func (h *Handler) ListAccessOptions(ctx context.Context, _ *connect.Request[zeugov1.ListAccessOptionsRequest]) (*connect.Response[zeugov1.ListAccessOptionsResponse], error) {
	o, err := h.svc.AccessOptions(ctx)
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.ListAccessOptionsResponse{Companies: optionsToProto(o.Companies),
		Locations: optionsToProto(o.Locations), Departments: optionsToProto(o.Departments),
		OrgUnits: optionsToProto(o.OrgUnits), EmployeeTypes: optionsToProto(o.EmployeeTypes)}), nil
}

// InviteUser implements zeugov1connect.UserServiceHandler.
func (h *Handler) InviteUser(ctx context.Context, req *connect.Request[zeugov1.InviteUserRequest]) (*connect.Response[zeugov1.InviteUserResponse], error) {
	u, err := h.svc.Invite(ctx, req.Msg.GetEmail(), fieldsFromProto(req.Msg.GetFields()))
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.InviteUserResponse{User: userToProto(u)}), nil
}

// ResendInvitation implements zeugov1connect.UserServiceHandler.
func (h *Handler) ResendInvitation(ctx context.Context, req *connect.Request[zeugov1.ResendInvitationRequest]) (*connect.Response[zeugov1.ResendInvitationResponse], error) {
	u, err := h.svc.ResendInvitation(ctx, uuid.MustParse(req.Msg.GetId()))
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.ResendInvitationResponse{User: userToProto(u)}), nil
}

// CancelInvitation implements zeugov1connect.UserServiceHandler.
func (h *Handler) CancelInvitation(ctx context.Context, req *connect.Request[zeugov1.CancelInvitationRequest]) (*connect.Response[zeugov1.CancelInvitationResponse], error) {
	if err := h.svc.CancelInvitation(ctx, uuid.MustParse(req.Msg.GetId())); err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.CancelInvitationResponse{}), nil
}

// UpdateUser implements zeugov1connect.UserServiceHandler.
func (h *Handler) UpdateUser(ctx context.Context, req *connect.Request[zeugov1.UpdateUserRequest]) (*connect.Response[zeugov1.UpdateUserResponse], error) {
	u, err := h.svc.Update(ctx, uuid.MustParse(req.Msg.GetId()), req.Msg.GetVersion(), fieldsFromProto(req.Msg.GetFields()))
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.UpdateUserResponse{User: userToProto(u)}), nil
}

// DeactivateUser implements zeugov1connect.UserServiceHandler.
func (h *Handler) DeactivateUser(ctx context.Context, req *connect.Request[zeugov1.DeactivateUserRequest]) (*connect.Response[zeugov1.DeactivateUserResponse], error) {
	u, err := h.svc.Deactivate(ctx, uuid.MustParse(req.Msg.GetId()))
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.DeactivateUserResponse{User: userToProto(u)}), nil
}

// EndUserSessions implements zeugov1connect.UserServiceHandler.
func (h *Handler) EndUserSessions(ctx context.Context, req *connect.Request[zeugov1.EndUserSessionsRequest]) (*connect.Response[zeugov1.EndUserSessionsResponse], error) {
	n, err := h.svc.EndSessions(ctx, uuid.MustParse(req.Msg.GetId()))
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.EndUserSessionsResponse{Ended: int32(min(n, 1<<30))}), nil
}

// ReactivateUser implements zeugov1connect.UserServiceHandler.
func (h *Handler) ReactivateUser(ctx context.Context, req *connect.Request[zeugov1.ReactivateUserRequest]) (*connect.Response[zeugov1.ReactivateUserResponse], error) {
	u, err := h.svc.Reactivate(ctx, uuid.MustParse(req.Msg.GetId()))
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.ReactivateUserResponse{User: userToProto(u)}), nil
}

// UnlockUser implements zeugov1connect.UserServiceHandler.
func (h *Handler) UnlockUser(ctx context.Context, req *connect.Request[zeugov1.UnlockUserRequest]) (*connect.Response[zeugov1.UnlockUserResponse], error) {
	u, err := h.svc.Unlock(ctx, uuid.MustParse(req.Msg.GetId()))
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.UnlockUserResponse{User: userToProto(u)}), nil
}
