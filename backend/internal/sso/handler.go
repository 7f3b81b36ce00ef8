package sso

import (
	"context"
	"net/http"

	"connectrpc.com/connect"
	"github.com/google/uuid"

	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
	"github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1/zeugov1connect"
)

// Handler is the Connect handler of SsoService.
type Handler struct {
	svc *Service
}

var _ zeugov1connect.SsoServiceHandler = (*Handler)(nil)

// NewHandler returns the handler over svc.
func NewHandler(svc *Service) *Handler { return &Handler{svc: svc} }

// StartSso implements zeugov1connect.SsoServiceHandler.
func (h *Handler) StartSso(ctx context.Context, req *connect.Request[zeugov1.StartSsoRequest]) (*connect.Response[zeugov1.StartSsoResponse], error) {
	st, err := h.svc.Start(ctx, req.Msg.GetEmail(), req.Msg.GetTenantSlug(), originFrom(ctx))
	if err != nil {
		return nil, err
	}
	res := connect.NewResponse(&zeugov1.StartSsoResponse{AuthorizationUrl: st.AuthorizationURL})
	res.Header().Add("Set-Cookie", st.Cookie.String())
	return res, nil
}

// GetSsoSettings implements zeugov1connect.SsoServiceHandler.
func (h *Handler) GetSsoSettings(ctx context.Context, _ *connect.Request[zeugov1.GetSsoSettingsRequest]) (*connect.Response[zeugov1.GetSsoSettingsResponse], error) {
	st, err := h.svc.Get(ctx, originFrom(ctx))
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.GetSsoSettingsResponse{Settings: settingsToProto(st)}), nil
}

// UpdateSsoSettings implements zeugov1connect.SsoServiceHandler.
func (h *Handler) UpdateSsoSettings(ctx context.Context, req *connect.Request[zeugov1.UpdateSsoSettingsRequest]) (*connect.Response[zeugov1.UpdateSsoSettingsResponse], error) {
	f := req.Msg.GetFields()
	st, err := h.svc.Update(ctx, req.Msg.GetVersion(), Update{Issuer: f.GetIssuer(), ClientID: f.GetClientId(),
		Secret: f.GetClientSecret(), ClearSecret: f.GetClearClientSecret(), Mode: modeFromProto(f.GetMode()),
		Domains: f.GetEmailDomains(), JITEnabled: f.GetJitEnabled(), JITRoleID: f.GetJitRoleId()}, originFrom(ctx))
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.UpdateSsoSettingsResponse{Settings: settingsToProto(st)}), nil
}

// TestSsoConnection implements zeugov1connect.SsoServiceHandler.
func (h *Handler) TestSsoConnection(ctx context.Context, req *connect.Request[zeugov1.TestSsoConnectionRequest]) (*connect.Response[zeugov1.TestSsoConnectionResponse], error) {
	d, err := h.svc.TestConnection(ctx, req.Msg.GetIssuer())
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.TestSsoConnectionResponse{Ok: d.OK, Error: d.Error,
		AuthorizationEndpoint: d.Authorization, TokenEndpoint: d.Token}), nil
}

func settingsToProto(s *Settings) *zeugov1.SsoSettings {
	out := &zeugov1.SsoSettings{Issuer: s.Issuer, ClientId: s.ClientID, ClientSecretSet: s.SecretSet, Mode: modeToProto(s.Mode),
		EmailDomains: s.Domains, JitEnabled: s.JITEnabled, Version: s.Version, RedirectUri: s.RedirectURI}
	if s.JITRoleID != uuid.Nil {
		out.JitRoleId = s.JITRoleID.String()
	}
	return out
}

func modeToProto(m string) zeugov1.SsoMode {
	switch m {
	case ModeOptional:
		return zeugov1.SsoMode_SSO_MODE_OPTIONAL
	case ModeSSOOnly:
		return zeugov1.SsoMode_SSO_MODE_SSO_ONLY
	}
	return zeugov1.SsoMode_SSO_MODE_OFF
}

func modeFromProto(m zeugov1.SsoMode) string {
	switch m {
	case zeugov1.SsoMode_SSO_MODE_OFF:
		return ModeOff
	case zeugov1.SsoMode_SSO_MODE_OPTIONAL:
		return ModeOptional
	case zeugov1.SsoMode_SSO_MODE_SSO_ONLY:
		return ModeSSOOnly
	}
	return ""
}

type originKey struct{}

// withOrigin gives the Connect handlers the request's origin, from which
// the redirect URI is built when no public URL is configured.
func withOrigin(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), originKey{}, origin(r))))
	})
}

func originFrom(ctx context.Context) string {
	o, _ := ctx.Value(originKey{}).(string)
	return o
}
