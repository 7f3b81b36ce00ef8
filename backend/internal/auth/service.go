package auth

import (
	"context"
	"net/http"
	"time"

	"connectrpc.com/connect"
	"github.com/google/uuid"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/zeugo/zeugo/backend/internal/access"
	"github.com/zeugo/zeugo/backend/internal/apperr"
	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
	"github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1/zeugov1connect"
	"github.com/zeugo/zeugo/backend/internal/mfa"
)

// RefreshCookie is the name of the refresh-token cookie. The __Host- prefix
// makes browsers insist on Secure, Path=/ and no Domain.
const RefreshCookie = "__Host-zeugo_refresh"

// CSRFHeader must be present on calls that rely on the refresh cookie:
// browsers do not let other origins set custom headers without a CORS
// preflight, which Zeugo never grants.
const CSRFHeader = "Zeugo-CSRF"

// Handler is the Connect handler of AuthService.
type Handler struct {
	auth *Authenticator
}

var _ zeugov1connect.AuthServiceHandler = (*Handler)(nil)

// NewHandler returns the handler over a.
func NewHandler(a *Authenticator) *Handler { return &Handler{auth: a} }

// Login implements zeugov1connect.AuthServiceHandler.
func (h *Handler) Login(ctx context.Context, req *connect.Request[zeugov1.LoginRequest]) (*connect.Response[zeugov1.LoginResponse], error) {
	s, err := h.auth.Login(ctx, req.Msg.GetEmail(), req.Msg.GetPassword())
	if err != nil {
		return nil, err
	}
	if s.Challenge != nil {
		return connect.NewResponse(&zeugov1.LoginResponse{Challenge: challengeToProto(s.Challenge)}), nil
	}
	inBody := req.Msg.GetRefreshTokenInBody()
	res := connect.NewResponse(&zeugov1.LoginResponse{Tokens: tokensToProto(s, inBody), Principal: profileToProto(s.Profile)})
	h.signedIn(ctx, req.Header(), res.Header(), s, inBody)
	return res, nil
}

// signedIn finishes a completed login on the wire.
func (h *Handler) signedIn(ctx context.Context, in, out http.Header, s *Session, inBody bool) {
	// The browser signed in again while it still held a session: that
	// session ends (ASVS V7.2.4). The new login stands even if this fails;
	// the old session then ends with its timeouts.
	if old := cookieValue(in, RefreshCookie); old != "" {
		if err := h.auth.EndReplaced(ctx, old, s); err != nil {
			h.auth.log.Warn().Str("event", "session_replace_failed").Str("error_code", apperr.CodeOf(err).String()).
				Msg("the session this browser held before signing in again was not ended")
		}
	}
	// A refresh token travels one way only: in the body for clients that
	// asked (no cookie then), otherwise as the HttpOnly cookie that page
	// script cannot read.
	if !inBody {
		setRefreshCookie(out, s.RefreshToken, s.RefreshExpiresAt, s.AccessExpiresAt)
	}
}

// VerifySecondFactor implements zeugov1connect.AuthServiceHandler.
func (h *Handler) VerifySecondFactor(ctx context.Context, req *connect.Request[zeugov1.VerifySecondFactorRequest]) (*connect.Response[zeugov1.VerifySecondFactorResponse], error) {
	st, err := h.auth.VerifySecondFactor(ctx, req.Msg.GetChallengeToken(),
		mfa.Proof{TOTP: req.Msg.GetTotpCode(), Recovery: req.Msg.GetRecoveryCode(), WebAuthn: req.Msg.GetWebauthnAssertion(),
			SMS: req.Msg.GetSmsCode()},
		req.Header().Get("Origin"))
	if err != nil {
		return nil, err
	}
	inBody := req.Msg.GetRefreshTokenInBody()
	res := connect.NewResponse(&zeugov1.VerifySecondFactorResponse{Tokens: tokensToProto(st.Session, inBody),
		Principal: profileToProto(st.Session.Profile), RecoveryCodesLeft: int32(st.RecoveryLeft)})
	h.signedIn(ctx, req.Header(), res.Header(), st.Session, inBody)
	return res, nil
}

// StartLoginEnrollment implements zeugov1connect.AuthServiceHandler.
func (h *Handler) StartLoginEnrollment(ctx context.Context, req *connect.Request[zeugov1.StartLoginEnrollmentRequest]) (*connect.Response[zeugov1.StartLoginEnrollmentResponse], error) {
	method := mfa.MethodTOTP
	if req.Msg.GetMethod() == zeugov1.SecondFactorMethod_SECOND_FACTOR_METHOD_WEBAUTHN {
		method = mfa.MethodWebAuthn
	}
	e, err := h.auth.StartLoginEnrollment(ctx, req.Msg.GetChallengeToken(), method)
	if err != nil {
		return nil, err
	}
	out := &zeugov1.StartLoginEnrollmentResponse{WebauthnOptions: e.WebAuthnOptions}
	if e.TOTP != nil {
		out.Enrollment = mfa.EnrollmentToProto(e.TOTP, false)
	}
	return connect.NewResponse(out), nil
}

// ConfirmLoginEnrollment implements zeugov1connect.AuthServiceHandler.
func (h *Handler) ConfirmLoginEnrollment(ctx context.Context, req *connect.Request[zeugov1.ConfirmLoginEnrollmentRequest]) (*connect.Response[zeugov1.ConfirmLoginEnrollmentResponse], error) {
	st, err := h.auth.ConfirmLoginEnrollment(ctx, req.Msg.GetChallengeToken(), req.Msg.GetTotpCode(), req.Msg.GetWebauthnCredential(),
		req.Msg.GetName(), req.Header().Get("Origin"))
	if err != nil {
		return nil, err
	}
	inBody := req.Msg.GetRefreshTokenInBody()
	res := connect.NewResponse(&zeugov1.ConfirmLoginEnrollmentResponse{Tokens: tokensToProto(st.Session, inBody),
		Principal: profileToProto(st.Session.Profile), RecoveryCodes: st.RecoveryCodes})
	h.signedIn(ctx, req.Header(), res.Header(), st.Session, inBody)
	return res, nil
}

// StepUp implements zeugov1connect.AuthServiceHandler.
func (h *Handler) StepUp(ctx context.Context, req *connect.Request[zeugov1.StepUpRequest]) (*connect.Response[zeugov1.StepUpResponse], error) {
	proof := StepProof{Proof: mfa.Proof{TOTP: req.Msg.GetTotpCode(), Recovery: req.Msg.GetRecoveryCode(), SMS: req.Msg.GetSmsCode()},
		Password: req.Msg.GetPassword()}
	if w := req.Msg.GetWebauthn(); w != nil {
		proof.WebAuthn, proof.Ceremony, proof.WebAuthnField = w.GetAssertion(), uuid.MustParse(w.GetCeremonyId()), "webauthn.assertion"
	}
	until, err := h.auth.StepUp(ctx, proof, req.Header().Get("Origin"))
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.StepUpResponse{ValidUntil: timestamppb.New(until)}), nil
}

// BeginPasskeyLogin implements zeugov1connect.AuthServiceHandler.
func (h *Handler) BeginPasskeyLogin(ctx context.Context, _ *connect.Request[zeugov1.BeginPasskeyLoginRequest]) (*connect.Response[zeugov1.BeginPasskeyLoginResponse], error) {
	id, opts, err := h.auth.BeginPasskeyLogin(ctx)
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.BeginPasskeyLoginResponse{CeremonyId: id.String(), WebauthnOptions: opts}), nil
}

// FinishPasskeyLogin implements zeugov1connect.AuthServiceHandler.
func (h *Handler) FinishPasskeyLogin(ctx context.Context, req *connect.Request[zeugov1.FinishPasskeyLoginRequest]) (*connect.Response[zeugov1.FinishPasskeyLoginResponse], error) {
	s, err := h.auth.FinishPasskeyLogin(ctx, uuid.MustParse(req.Msg.GetCeremonyId()), req.Msg.GetAssertion(), req.Header().Get("Origin"))
	if err != nil {
		return nil, err
	}
	inBody := req.Msg.GetRefreshTokenInBody()
	res := connect.NewResponse(&zeugov1.FinishPasskeyLoginResponse{Tokens: tokensToProto(s, inBody), Principal: profileToProto(s.Profile)})
	h.signedIn(ctx, req.Header(), res.Header(), s, inBody)
	return res, nil
}

// SendLoginSms implements zeugov1connect.AuthServiceHandler.
func (h *Handler) SendLoginSms(ctx context.Context, req *connect.Request[zeugov1.SendLoginSmsRequest]) (*connect.Response[zeugov1.SendLoginSmsResponse], error) {
	expires, err := h.auth.SendLoginSMS(ctx, req.Msg.GetChallengeToken())
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.SendLoginSmsResponse{ExpiresAt: timestamppb.New(expires)}), nil
}

// SendStepUpSms implements zeugov1connect.AuthServiceHandler.
func (h *Handler) SendStepUpSms(ctx context.Context, _ *connect.Request[zeugov1.SendStepUpSmsRequest]) (*connect.Response[zeugov1.SendStepUpSmsResponse], error) {
	expires, hint, err := h.auth.SendStepUpSMS(ctx)
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.SendStepUpSmsResponse{ExpiresAt: timestamppb.New(expires), PhoneHint: hint}), nil
}

// BeginStepUp implements zeugov1connect.AuthServiceHandler.
func (h *Handler) BeginStepUp(ctx context.Context, _ *connect.Request[zeugov1.BeginStepUpRequest]) (*connect.Response[zeugov1.BeginStepUpResponse], error) {
	id, opts, err := h.auth.BeginStepUp(ctx)
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.BeginStepUpResponse{CeremonyId: id.String(), WebauthnOptions: opts}), nil
}

func challengeToProto(c *Challenge) *zeugov1.SecondFactorChallenge {
	out := &zeugov1.SecondFactorChallenge{Token: c.Token, ExpiresAt: timestamppb.New(c.ExpiresAt),
		EnrollmentRequired: c.EnrollmentRequired, WebauthnOptions: c.WebAuthnOptions, SmsPhoneHint: c.SMSHint}
	for _, m := range c.Methods {
		out.Methods = append(out.Methods, mfa.MethodToProto(m))
	}
	for _, m := range c.EnrollmentMethods {
		out.EnrollmentMethods = append(out.EnrollmentMethods, mfa.MethodToProto(m))
	}
	return out
}

// Refresh implements zeugov1connect.AuthServiceHandler.
func (h *Handler) Refresh(ctx context.Context, req *connect.Request[zeugov1.RefreshRequest]) (*connect.Response[zeugov1.RefreshResponse], error) {
	token := req.Msg.GetRefreshToken()
	fromCookie := token == ""
	if fromCookie {
		if req.Header().Get(CSRFHeader) != "1" {
			return nil, apperr.New(apperr.PermissionDenied, "missing "+CSRFHeader+" header")
		}
		token = cookieValue(req.Header(), RefreshCookie)
		if token == "" {
			return nil, apperr.ErrUnauthenticated
		}
	}
	s, err := h.auth.Refresh(ctx, token)
	if err != nil {
		if fromCookie && apperr.Is(err, apperr.Unauthenticated) {
			// A dead cookie is cleared so the browser stops sending it.
			return nil, withClearedCookie(err)
		}
		return nil, err
	}
	// The rotated token goes back the way the old one came: a cookie-based
	// refresh never reveals the token in the body, even when asked to.
	inBody := !fromCookie && req.Msg.GetRefreshTokenInBody()
	res := connect.NewResponse(&zeugov1.RefreshResponse{Tokens: tokensToProto(s, inBody), Principal: profileToProto(s.Profile)})
	if fromCookie {
		setRefreshCookie(res.Header(), s.RefreshToken, s.RefreshExpiresAt, s.AccessExpiresAt)
	}
	return res, nil
}

// Logout implements zeugov1connect.AuthServiceHandler.
func (h *Handler) Logout(ctx context.Context, _ *connect.Request[zeugov1.LogoutRequest]) (*connect.Response[zeugov1.LogoutResponse], error) {
	if err := h.auth.Logout(ctx); err != nil {
		return nil, err
	}
	res := connect.NewResponse(&zeugov1.LogoutResponse{})
	res.Header().Add("Set-Cookie", clearedCookie())
	return res, nil
}

// Me implements zeugov1connect.AuthServiceHandler.
func (h *Handler) Me(ctx context.Context, _ *connect.Request[zeugov1.MeRequest]) (*connect.Response[zeugov1.MeResponse], error) {
	prof, err := h.auth.Me(ctx)
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.MeResponse{Principal: profileToProto(prof)}), nil
}

func tokensToProto(s *Session, refreshInBody bool) *zeugov1.Tokens {
	t := &zeugov1.Tokens{AccessToken: s.AccessToken, AccessTokenExpiresAt: timestamppb.New(s.AccessExpiresAt)}
	if refreshInBody {
		t.RefreshToken = s.RefreshToken
	}
	return t
}

func setRefreshCookie(h http.Header, token string, expires, now time.Time) {
	c := &http.Cookie{Name: RefreshCookie, Value: token, Path: "/", Secure: true, HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Expires: expires.UTC()}
	if d := expires.Sub(now); d > 0 {
		c.MaxAge = int(d.Seconds()) + 600 // the access token's lifetime before "now" was later
	}
	h.Add("Set-Cookie", c.String())
}

func clearedCookie() string {
	c := &http.Cookie{Name: RefreshCookie, Value: "", Path: "/", Secure: true, HttpOnly: true,
		SameSite: http.SameSiteStrictMode, MaxAge: -1}
	return c.String()
}

func withClearedCookie(err error) error {
	ce := connect.NewError(connect.CodeUnauthenticated, errUnauthenticatedMsg)
	ce.Meta().Add("Set-Cookie", clearedCookie())
	return ce
}

type plainError string

func (e plainError) Error() string { return string(e) }

var errUnauthenticatedMsg = plainError(apperr.ErrUnauthenticated.Message)

func cookieValue(h http.Header, name string) string {
	r := http.Request{Header: http.Header{"Cookie": h.Values("Cookie")}}
	c, err := r.Cookie(name)
	if err != nil {
		return ""
	}
	return c.Value
}

func profileToProto(p *Profile) *zeugov1.Principal {
	areas := make([]zeugov1.Area, 0, len(p.Principal.Areas))
	for _, a := range p.Principal.Areas {
		if pa := access.AreaToProto(a); pa != zeugov1.Area_AREA_UNSPECIFIED {
			areas = append(areas, pa)
		}
	}
	return &zeugov1.Principal{UserId: p.Principal.UserID.String(), TenantId: p.Principal.TenantID.String(),
		TenantName: p.TenantName, Email: p.Email, FirstName: p.FirstName, LastName: p.LastName, RoleName: p.RoleName,
		Areas: areas, SessionId: p.Principal.SessionID.String(), TenantReadOnly: p.Principal.ReadOnly}
}
