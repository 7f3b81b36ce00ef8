package account

import (
	"context"

	"connectrpc.com/connect"
	"github.com/google/uuid"
	"google.golang.org/protobuf/types/known/timestamppb"

	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
	"github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1/zeugov1connect"
)

// Handler is the Connect handler of AccountService: proto ↔ domain only.
type Handler struct {
	svc *Service
}

var _ zeugov1connect.AccountServiceHandler = (*Handler)(nil)

// NewHandler returns the handler over svc.
func NewHandler(svc *Service) *Handler { return &Handler{svc: svc} }

// ListMySessions implements zeugov1connect.AccountServiceHandler.
func (h *Handler) ListMySessions(ctx context.Context, _ *connect.Request[zeugov1.ListMySessionsRequest]) (*connect.Response[zeugov1.ListMySessionsResponse], error) {
	list, err := h.svc.ListMySessions(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]*zeugov1.MySession, len(list))
	for i := range list {
		out[i] = sessionToProto(&list[i])
	}
	return connect.NewResponse(&zeugov1.ListMySessionsResponse{Sessions: out}), nil
}

// RevokeMySession implements zeugov1connect.AccountServiceHandler.
func (h *Handler) RevokeMySession(ctx context.Context, req *connect.Request[zeugov1.RevokeMySessionRequest]) (*connect.Response[zeugov1.RevokeMySessionResponse], error) {
	if err := h.svc.RevokeMySession(ctx, uuid.MustParse(req.Msg.GetId())); err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.RevokeMySessionResponse{}), nil
}

// LogoutEverywhere implements zeugov1connect.AccountServiceHandler.
func (h *Handler) LogoutEverywhere(ctx context.Context, _ *connect.Request[zeugov1.LogoutEverywhereRequest]) (*connect.Response[zeugov1.LogoutEverywhereResponse], error) {
	n, err := h.svc.LogoutEverywhere(ctx)
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.LogoutEverywhereResponse{Revoked: int32(min(n, 1<<31-1))}), nil
}

// GetMyProfile implements zeugov1connect.AccountServiceHandler.
func (h *Handler) GetMyProfile(ctx context.Context, _ *connect.Request[zeugov1.GetMyProfileRequest]) (*connect.Response[zeugov1.GetMyProfileResponse], error) {
	p, err := h.svc.GetMyProfile(ctx)
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.GetMyProfileResponse{Profile: profileToProto(p)}), nil
}

// UpdateMyProfile implements zeugov1connect.AccountServiceHandler.
func (h *Handler) UpdateMyProfile(ctx context.Context, req *connect.Request[zeugov1.UpdateMyProfileRequest]) (*connect.Response[zeugov1.UpdateMyProfileResponse], error) {
	f := req.Msg.GetFields()
	p, err := h.svc.UpdateMyProfile(ctx, req.Msg.GetVersion(), ProfileFields{FirstName: f.GetFirstName(),
		LastName: f.GetLastName(), Phone: f.GetPhone(), Language: f.GetLanguage()})
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.UpdateMyProfileResponse{Profile: profileToProto(p)}), nil
}

func sessionToProto(s *Session) *zeugov1.MySession {
	return &zeugov1.MySession{Id: s.ID.String(), Browser: s.Browser, OperatingSystem: s.OS, Mobile: s.Mobile,
		ClientNetwork: s.ClientNetwork, LoginMethod: s.LoginMethod, CreateTime: timestamppb.New(s.CreatedAt),
		LastActiveTime: timestamppb.New(s.LastActiveAt), ExpireTime: timestamppb.New(s.ExpiresAt), Current: s.Current}
}

func profileToProto(p *Profile) *zeugov1.MyProfile {
	return &zeugov1.MyProfile{Email: p.Email, Version: p.Version, Fields: &zeugov1.MyProfileFields{
		FirstName: p.Fields.FirstName, LastName: p.Fields.LastName, Phone: p.Fields.Phone, Language: p.Fields.Language}}
}
