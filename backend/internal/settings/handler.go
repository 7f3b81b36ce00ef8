package settings

import (
	"context"
	"slices"

	"connectrpc.com/connect"

	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
	"github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1/zeugov1connect"
	"github.com/zeugo/zeugo/backend/internal/protomap"
)

// Handler is the Connect handler of SecuritySettingsService: proto ↔
// domain only.
type Handler struct {
	svc *Service
}

var _ zeugov1connect.SecuritySettingsServiceHandler = (*Handler)(nil)

// NewHandler returns the handler over svc.
func NewHandler(svc *Service) *Handler { return &Handler{svc: svc} }

// GetSecuritySettings implements zeugov1connect.SecuritySettingsServiceHandler.
func (h *Handler) GetSecuritySettings(ctx context.Context, _ *connect.Request[zeugov1.GetSecuritySettingsRequest]) (*connect.Response[zeugov1.GetSecuritySettingsResponse], error) {
	v, err := h.svc.Get(ctx)
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.GetSecuritySettingsResponse{Settings: toProto(v), Bounds: boundsToProto(h.svc.Bounds())}), nil
}

// UpdateSecuritySettings implements zeugov1connect.SecuritySettingsServiceHandler.
func (h *Handler) UpdateSecuritySettings(ctx context.Context, req *connect.Request[zeugov1.UpdateSecuritySettingsRequest]) (*connect.Response[zeugov1.UpdateSecuritySettingsResponse], error) {
	f := req.Msg.GetFields()
	v, err := h.svc.Update(ctx, req.Msg.GetVersion(), Security{PasswordMinLength: int(f.GetPasswordMinLength()),
		PasswordComposition: f.GetPasswordComposition(), InvitationTTLHours: int(f.GetInvitationTtlHours()),
		SessionIdleMinutes: int(f.GetSessionIdleMinutes()), SessionAbsoluteHours: int(f.GetSessionAbsoluteHours()),
		CertificateChangeTracking: f.GetCertificateChangeTracking(), HandoverCodeRequired: f.GetHandoverCodeRequired(),
		HandoverCodeChannels: channelsFromProto(f.GetHandoverCodeChannels()), SecondFactorRequired: f.GetSecondFactorRequired(),
		SecondFactorMethods: methodsFromProto(f.GetSecondFactorMethods()), PasskeyLogin: f.GetPasskeyLogin()})
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.UpdateSecuritySettingsResponse{Settings: toProto(v), Bounds: boundsToProto(h.svc.Bounds())}), nil
}

// The values are within the bounds (at most a few hundred), so they fit
// int32.
func toProto(v *Versioned) *zeugov1.SecuritySettings {
	return &zeugov1.SecuritySettings{Version: v.Version, Fields: &zeugov1.SecuritySettingsFields{
		PasswordMinLength: i32(v.PasswordMinLength), PasswordComposition: v.PasswordComposition,
		InvitationTtlHours: i32(v.InvitationTTLHours), SessionIdleMinutes: i32(v.SessionIdleMinutes),
		SessionAbsoluteHours: i32(v.SessionAbsoluteHours), CertificateChangeTracking: v.CertificateChangeTracking,
		HandoverCodeRequired: v.HandoverCodeRequired, HandoverCodeChannels: channelsToProto(v.HandoverCodeChannels),
		SecondFactorRequired: v.SecondFactorRequired, SecondFactorMethods: methodsToProto(v.SecondFactorMethods),
		PasskeyLogin: v.PasskeyLogin}}
}

// codeChannels are the stored names of the handover code channels.
var codeChannels = map[zeugov1.HandoverCodeChannel]string{
	zeugov1.HandoverCodeChannel_HANDOVER_CODE_CHANNEL_EMAIL: "email",
	zeugov1.HandoverCodeChannel_HANDOVER_CODE_CHANNEL_SMS:   "sms",
}

// channelsFromProto lists the channels in a fixed order (email, sms), so
// the stored array and the audit record do not depend on the client's.
func channelsFromProto(in []zeugov1.HandoverCodeChannel) []string {
	out := []string{}
	for _, c := range []zeugov1.HandoverCodeChannel{zeugov1.HandoverCodeChannel_HANDOVER_CODE_CHANNEL_EMAIL,
		zeugov1.HandoverCodeChannel_HANDOVER_CODE_CHANNEL_SMS} {
		if slices.Contains(in, c) {
			out = append(out, codeChannels[c])
		}
	}
	return out
}

func channelsToProto(in []string) []zeugov1.HandoverCodeChannel {
	var out []zeugov1.HandoverCodeChannel
	for _, c := range in {
		out = append(out, protomap.Reverse(codeChannels, c))
	}
	return out
}

// factorMethods name the kinds of second factor a tenant allows.
var factorMethods = map[zeugov1.SecondFactorMethod]string{
	zeugov1.SecondFactorMethod_SECOND_FACTOR_METHOD_TOTP:     "totp",
	zeugov1.SecondFactorMethod_SECOND_FACTOR_METHOD_WEBAUTHN: "webauthn",
	zeugov1.SecondFactorMethod_SECOND_FACTOR_METHOD_SMS:      "sms",
}

// methodsFromProto keeps a fixed order (the proto's rules admit only the
// three kinds, each once).
func methodsFromProto(in []zeugov1.SecondFactorMethod) []string {
	out := []string{}
	for _, m := range []zeugov1.SecondFactorMethod{zeugov1.SecondFactorMethod_SECOND_FACTOR_METHOD_TOTP,
		zeugov1.SecondFactorMethod_SECOND_FACTOR_METHOD_WEBAUTHN, zeugov1.SecondFactorMethod_SECOND_FACTOR_METHOD_SMS} {
		if slices.Contains(in, m) {
			out = append(out, factorMethods[m])
		}
	}
	return out
}

func methodsToProto(in []string) []zeugov1.SecondFactorMethod {
	var out []zeugov1.SecondFactorMethod
	for _, m := range in {
		out = append(out, protomap.Reverse(factorMethods, m))
	}
	return out
}

func boundsToProto(b Bounds) *zeugov1.SecuritySettingsBounds {
	return &zeugov1.SecuritySettingsBounds{
		PasswordMinLengthMin: i32(b.PasswordMinLengthMin), PasswordMinLengthMax: i32(b.PasswordMinLengthMax),
		InvitationTtlHoursMin: i32(b.InvitationTTLHoursMin), InvitationTtlHoursMax: i32(b.InvitationTTLHoursMax),
		SessionIdleMinutesMin: i32(b.SessionIdleMinutesMin), SessionIdleMinutesMax: i32(b.SessionIdleMinutesMax),
		SessionAbsoluteHoursMin: i32(b.SessionAbsoluteHoursMin), SessionAbsoluteHoursMax: i32(b.SessionAbsoluteHoursMax)}
}

func i32(v int) int32 { return int32(min(max(v, -1<<31), 1<<31-1)) }
