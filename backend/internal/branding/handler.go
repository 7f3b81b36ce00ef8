package branding

import (
	"context"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/types/known/timestamppb"

	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
	"github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1/zeugov1connect"
)

// Handler is the Connect handler of BrandingService: proto ↔ domain only.
type Handler struct{ svc *Service }

var _ zeugov1connect.BrandingServiceHandler = (*Handler)(nil)

// GetBranding implements zeugov1connect.BrandingServiceHandler.
func (h *Handler) GetBranding(ctx context.Context, _ *connect.Request[zeugov1.GetBrandingRequest]) (*connect.Response[zeugov1.GetBrandingResponse], error) {
	b, err := h.svc.Get(ctx)
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.GetBrandingResponse{Branding: toProto(b)}), nil
}

// UpdateBranding implements zeugov1connect.BrandingServiceHandler.
func (h *Handler) UpdateBranding(ctx context.Context, req *connect.Request[zeugov1.UpdateBrandingRequest]) (*connect.Response[zeugov1.UpdateBrandingResponse], error) {
	b, err := h.svc.UpdateAccent(ctx, req.Msg.GetVersion(), req.Msg.GetAccentColor())
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.UpdateBrandingResponse{Branding: toProto(b)}), nil
}

// SetBrandingLogo implements zeugov1connect.BrandingServiceHandler.
func (h *Handler) SetBrandingLogo(ctx context.Context, req *connect.Request[zeugov1.SetBrandingLogoRequest]) (*connect.Response[zeugov1.SetBrandingLogoResponse], error) {
	b, err := h.svc.SetLogo(ctx, req.Msg.GetVersion(), req.Msg.GetImage())
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.SetBrandingLogoResponse{Branding: toProto(b)}), nil
}

// RemoveBrandingLogo implements zeugov1connect.BrandingServiceHandler.
func (h *Handler) RemoveBrandingLogo(ctx context.Context, req *connect.Request[zeugov1.RemoveBrandingLogoRequest]) (*connect.Response[zeugov1.RemoveBrandingLogoResponse], error) {
	b, err := h.svc.RemoveLogo(ctx, req.Msg.GetVersion())
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.RemoveBrandingLogoResponse{Branding: toProto(b)}), nil
}

func toProto(b *Branding) *zeugov1.Branding {
	p := &zeugov1.Branding{AccentColor: b.Accent, LogoPng: b.Logo, LogoWidthPx: int32(b.LogoWidth), LogoHeightPx: int32(b.LogoHeight),
		Version: b.Version}
	if b.Version > 0 {
		p.UpdatedAt = timestamppb.New(b.UpdatedAt)
	}
	return p
}
