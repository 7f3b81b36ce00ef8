package apikey

import (
	"context"

	"connectrpc.com/connect"
	"github.com/google/uuid"

	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
	"github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1/zeugov1connect"
	"github.com/zeugo/zeugo/backend/internal/paging"
)

// Handler is the Connect handler of ApiKeyService: proto ↔ domain only
// (validation and access run in interceptors).
type Handler struct {
	svc *Service
}

var _ zeugov1connect.ApiKeyServiceHandler = (*Handler)(nil)

// NewHandler returns the handler over svc.
func NewHandler(svc *Service) *Handler { return &Handler{svc: svc} }

// CreateApiKey implements zeugov1connect.ApiKeyServiceHandler.
func (h *Handler) CreateApiKey(ctx context.Context, req *connect.Request[zeugov1.CreateApiKeyRequest]) (*connect.Response[zeugov1.CreateApiKeyResponse], error) {
	k, secret, err := h.svc.Create(ctx, newKeyFromProto(req.Msg))
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.CreateApiKeyResponse{ApiKey: keyToProto(k, h.svc.Now()), Secret: secret}), nil
}

// ListApiKeys implements zeugov1connect.ApiKeyServiceHandler.
func (h *Handler) ListApiKeys(ctx context.Context, req *connect.Request[zeugov1.ListApiKeysRequest]) (*connect.Response[zeugov1.ListApiKeysResponse], error) {
	page, err := h.svc.List(ctx, queryFromProto(req.Msg))
	if err != nil {
		return nil, err
	}
	now := h.svc.Now()
	return connect.NewResponse(&zeugov1.ListApiKeysResponse{
		ApiKeys: paging.Map(page, func(k *Key) *zeugov1.ApiKey { return keyToProto(k, now) }),
		Page:    paging.InfoToProto(page)}), nil
}

// RevokeApiKey implements zeugov1connect.ApiKeyServiceHandler.
func (h *Handler) RevokeApiKey(ctx context.Context, req *connect.Request[zeugov1.RevokeApiKeyRequest]) (*connect.Response[zeugov1.RevokeApiKeyResponse], error) {
	k, err := h.svc.Revoke(ctx, uuid.MustParse(req.Msg.GetId()))
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.RevokeApiKeyResponse{ApiKey: keyToProto(k, h.svc.Now())}), nil
}

// ListApiKeyScopes implements zeugov1connect.ApiKeyServiceHandler.
func (h *Handler) ListApiKeyScopes(context.Context, *connect.Request[zeugov1.ListApiKeyScopesRequest]) (*connect.Response[zeugov1.ListApiKeyScopesResponse], error) {
	res := &zeugov1.ListApiKeyScopesResponse{}
	for _, o := range h.svc.Scopes() {
		res.Scopes = append(res.Scopes, optionToProto(o))
	}
	return connect.NewResponse(res), nil
}
