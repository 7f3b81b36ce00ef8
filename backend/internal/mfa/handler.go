package mfa

import (
	"context"
	"net/http"

	"connectrpc.com/connect"
	"github.com/google/uuid"
	"google.golang.org/protobuf/types/known/timestamppb"

	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
	"github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1/zeugov1connect"
	"github.com/zeugo/zeugo/backend/internal/mount"
)

// Handler is the Connect handler of SecondFactorService: proto ↔ domain
// only.
type Handler struct {
	svc *Service
}

var _ zeugov1connect.SecondFactorServiceHandler = (*Handler)(nil)

// Mount is SecondFactorService as the server serves it.
func Mount(s *Service) mount.Service {
	return mount.Service{Name: zeugov1connect.SecondFactorServiceName,
		Handler: func(opts ...connect.HandlerOption) (string, http.Handler) {
			return zeugov1connect.NewSecondFactorServiceHandler(&Handler{svc: s}, opts...)
		}}
}

// ListMyFactors implements zeugov1connect.SecondFactorServiceHandler.
func (h *Handler) ListMyFactors(ctx context.Context, _ *connect.Request[zeugov1.ListMyFactorsRequest]) (*connect.Response[zeugov1.ListMyFactorsResponse], error) {
	m, err := h.svc.ListMine(ctx)
	if err != nil {
		return nil, err
	}
	out := &zeugov1.ListMyFactorsResponse{RecoveryCodesLeft: int32(m.RecoveryLeft), Required: m.Required}
	for i := range m.Factors {
		out.Factors = append(out.Factors, FactorToProto(&m.Factors[i]))
	}
	for _, a := range m.Allowed {
		out.AllowedMethods = append(out.AllowedMethods, MethodToProto(a))
	}
	if m.StepUpUntil != nil {
		out.StepUpValidUntil = timestamppb.New(*m.StepUpUntil)
	}
	return connect.NewResponse(out), nil
}

// StartTotpEnrollment implements zeugov1connect.SecondFactorServiceHandler.
func (h *Handler) StartTotpEnrollment(ctx context.Context, _ *connect.Request[zeugov1.StartTotpEnrollmentRequest]) (*connect.Response[zeugov1.StartTotpEnrollmentResponse], error) {
	e, err := h.svc.StartTOTP(ctx)
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.StartTotpEnrollmentResponse{Enrollment: EnrollmentToProto(e, true)}), nil
}

// ConfirmTotpEnrollment implements zeugov1connect.SecondFactorServiceHandler.
func (h *Handler) ConfirmTotpEnrollment(ctx context.Context, req *connect.Request[zeugov1.ConfirmTotpEnrollmentRequest]) (*connect.Response[zeugov1.ConfirmTotpEnrollmentResponse], error) {
	f, codes, err := h.svc.ConfirmTOTP(ctx, uuid.MustParse(req.Msg.GetEnrollmentId()), req.Msg.GetTotpCode(), req.Msg.GetName())
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.ConfirmTotpEnrollmentResponse{Factor: FactorToProto(f), RecoveryCodes: codes}), nil
}

// StartPasskeyRegistration implements zeugov1connect.SecondFactorServiceHandler.
func (h *Handler) StartPasskeyRegistration(ctx context.Context, _ *connect.Request[zeugov1.StartPasskeyRegistrationRequest]) (*connect.Response[zeugov1.StartPasskeyRegistrationResponse], error) {
	r, err := h.svc.StartPasskey(ctx)
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.StartPasskeyRegistrationResponse{RegistrationId: r.ID.String(), Options: r.Options}), nil
}

// FinishPasskeyRegistration implements zeugov1connect.SecondFactorServiceHandler.
func (h *Handler) FinishPasskeyRegistration(ctx context.Context, req *connect.Request[zeugov1.FinishPasskeyRegistrationRequest]) (*connect.Response[zeugov1.FinishPasskeyRegistrationResponse], error) {
	f, codes, err := h.svc.FinishPasskey(ctx, uuid.MustParse(req.Msg.GetRegistrationId()), req.Msg.GetCredential(),
		req.Msg.GetName(), req.Header().Get("Origin"))
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.FinishPasskeyRegistrationResponse{Factor: FactorToProto(f), RecoveryCodes: codes}), nil
}

// StartSmsEnrollment implements zeugov1connect.SecondFactorServiceHandler.
func (h *Handler) StartSmsEnrollment(ctx context.Context, req *connect.Request[zeugov1.StartSmsEnrollmentRequest]) (*connect.Response[zeugov1.StartSmsEnrollmentResponse], error) {
	e, err := h.svc.StartSMS(ctx, req.Msg.GetPhone())
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.StartSmsEnrollmentResponse{EnrollmentId: e.ID.String(), ExpiresAt: timestamppb.New(e.ExpiresAt)}), nil
}

// ConfirmSmsEnrollment implements zeugov1connect.SecondFactorServiceHandler.
func (h *Handler) ConfirmSmsEnrollment(ctx context.Context, req *connect.Request[zeugov1.ConfirmSmsEnrollmentRequest]) (*connect.Response[zeugov1.ConfirmSmsEnrollmentResponse], error) {
	f, codes, err := h.svc.ConfirmSMS(ctx, uuid.MustParse(req.Msg.GetEnrollmentId()), req.Msg.GetCode(), req.Msg.GetName())
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.ConfirmSmsEnrollmentResponse{Factor: FactorToProto(f), RecoveryCodes: codes}), nil
}

// RemoveFactor implements zeugov1connect.SecondFactorServiceHandler.
func (h *Handler) RemoveFactor(ctx context.Context, req *connect.Request[zeugov1.RemoveFactorRequest]) (*connect.Response[zeugov1.RemoveFactorResponse], error) {
	if err := h.svc.Remove(ctx, uuid.MustParse(req.Msg.GetId())); err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.RemoveFactorResponse{}), nil
}

// RegenerateRecoveryCodes implements zeugov1connect.SecondFactorServiceHandler.
func (h *Handler) RegenerateRecoveryCodes(ctx context.Context, _ *connect.Request[zeugov1.RegenerateRecoveryCodesRequest]) (*connect.Response[zeugov1.RegenerateRecoveryCodesResponse], error) {
	codes, err := h.svc.RenewRecoveryCodes(ctx)
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.RegenerateRecoveryCodesResponse{RecoveryCodes: codes}), nil
}

// ResetUserSecondFactors implements zeugov1connect.SecondFactorServiceHandler.
func (h *Handler) ResetUserSecondFactors(ctx context.Context, req *connect.Request[zeugov1.ResetUserSecondFactorsRequest]) (*connect.Response[zeugov1.ResetUserSecondFactorsResponse], error) {
	if err := h.svc.ResetUser(ctx, uuid.MustParse(req.Msg.GetUserId())); err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.ResetUserSecondFactorsResponse{}), nil
}

// FactorToProto converts a factor.
func FactorToProto(f *Factor) *zeugov1.SecondFactor {
	out := &zeugov1.SecondFactor{Id: f.ID.String(), Method: MethodToProto(f.Method), Name: f.Name,
		CreatedAt: timestamppb.New(f.CreatedAt)}
	if f.LastUsedAt != nil {
		out.LastUsedAt = timestamppb.New(*f.LastUsedAt)
	}
	return out
}

// EnrollmentToProto converts a new secret; withID for the signed-in
// enrollment (a login's is named by its challenge).
func EnrollmentToProto(e *Enrollment, withID bool) *zeugov1.TotpEnrollment {
	out := &zeugov1.TotpEnrollment{Secret: e.Secret, OtpauthUri: e.URI, ExpiresAt: timestamppb.New(e.ExpiresAt)}
	if withID {
		out.EnrollmentId = e.ID.String()
	}
	return out
}

// MethodToProto converts a method.
func MethodToProto(m Method) zeugov1.SecondFactorMethod {
	switch m {
	case MethodTOTP:
		return zeugov1.SecondFactorMethod_SECOND_FACTOR_METHOD_TOTP
	case MethodRecovery:
		return zeugov1.SecondFactorMethod_SECOND_FACTOR_METHOD_RECOVERY_CODE
	case MethodWebAuthn:
		return zeugov1.SecondFactorMethod_SECOND_FACTOR_METHOD_WEBAUTHN
	case MethodSMS:
		return zeugov1.SecondFactorMethod_SECOND_FACTOR_METHOD_SMS
	}
	return zeugov1.SecondFactorMethod_SECOND_FACTOR_METHOD_UNSPECIFIED
}
