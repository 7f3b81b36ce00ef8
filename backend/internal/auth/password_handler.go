package auth

import (
	"context"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/types/known/timestamppb"

	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
	"github.com/zeugo/zeugo/backend/internal/password"
)

// GetInvitation implements zeugov1connect.AuthServiceHandler.
func (h *Handler) GetInvitation(ctx context.Context, req *connect.Request[zeugov1.GetInvitationRequest]) (*connect.Response[zeugov1.GetInvitationResponse], error) {
	info, err := h.auth.GetInvitation(ctx, req.Msg.GetToken())
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.GetInvitationResponse{FirstName: info.FirstName, Email: info.Email,
		TenantName: info.TenantName, Policy: policyToProto(info.Policy), ExpiresAt: timestamppb.New(info.ExpiresAt)}), nil
}

// AcceptInvitation implements zeugov1connect.AuthServiceHandler.
func (h *Handler) AcceptInvitation(ctx context.Context, req *connect.Request[zeugov1.AcceptInvitationRequest]) (*connect.Response[zeugov1.AcceptInvitationResponse], error) {
	if err := h.auth.AcceptInvitation(ctx, req.Msg.GetToken(), req.Msg.GetPassword()); err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.AcceptInvitationResponse{}), nil
}

// RequestPasswordReset implements zeugov1connect.AuthServiceHandler.
func (h *Handler) RequestPasswordReset(ctx context.Context, req *connect.Request[zeugov1.RequestPasswordResetRequest]) (*connect.Response[zeugov1.RequestPasswordResetResponse], error) {
	if err := h.auth.RequestPasswordReset(ctx, req.Msg.GetEmail()); err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.RequestPasswordResetResponse{}), nil
}

// GetPasswordReset implements zeugov1connect.AuthServiceHandler.
func (h *Handler) GetPasswordReset(ctx context.Context, req *connect.Request[zeugov1.GetPasswordResetRequest]) (*connect.Response[zeugov1.GetPasswordResetResponse], error) {
	info, err := h.auth.GetPasswordReset(ctx, req.Msg.GetToken())
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.GetPasswordResetResponse{FirstName: info.FirstName, Email: info.Email,
		Policy: policyToProto(info.Policy), ExpiresAt: timestamppb.New(info.ExpiresAt)}), nil
}

// ResetPassword implements zeugov1connect.AuthServiceHandler.
func (h *Handler) ResetPassword(ctx context.Context, req *connect.Request[zeugov1.ResetPasswordRequest]) (*connect.Response[zeugov1.ResetPasswordResponse], error) {
	if err := h.auth.ResetPassword(ctx, req.Msg.GetToken(), req.Msg.GetPassword()); err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.ResetPasswordResponse{}), nil
}

// ChangePassword implements zeugov1connect.AuthServiceHandler.
func (h *Handler) ChangePassword(ctx context.Context, req *connect.Request[zeugov1.ChangePasswordRequest]) (*connect.Response[zeugov1.ChangePasswordResponse], error) {
	if err := h.auth.ChangePassword(ctx, req.Msg.GetCurrentPassword(), req.Msg.GetNewPassword()); err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.ChangePasswordResponse{}), nil
}

// GetPasswordPolicy implements zeugov1connect.AuthServiceHandler.
func (h *Handler) GetPasswordPolicy(ctx context.Context, _ *connect.Request[zeugov1.GetPasswordPolicyRequest]) (*connect.Response[zeugov1.GetPasswordPolicyResponse], error) {
	p, err := h.auth.PasswordPolicy(ctx)
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.GetPasswordPolicyResponse{Policy: policyToProto(p)}), nil
}

func policyToProto(p password.Policy) *zeugov1.PasswordPolicy {
	return &zeugov1.PasswordPolicy{MinLength: int32(p.MinLength), Composition: p.Composition}
}
