package tenantcatalog

import (
	"context"
	"net/http"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/zeugo/zeugo/backend/internal/catalog"
	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
	"github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1/zeugov1connect"
	"github.com/zeugo/zeugo/backend/internal/generator"
	"github.com/zeugo/zeugo/backend/internal/mount"
)

// Handler is the Connect handler of CatalogService: proto ↔ domain only.
type Handler struct{ svc *Service }

var _ zeugov1connect.CatalogServiceHandler = (*Handler)(nil)

// Mount is CatalogService as the server serves it.
func Mount(s *Service) mount.Service {
	return mount.Service{Name: zeugov1connect.CatalogServiceName,
		Handler: func(opts ...connect.HandlerOption) (string, http.Handler) {
			return zeugov1connect.NewCatalogServiceHandler(&Handler{svc: s}, opts...)
		}}
}

// GetCatalog implements zeugov1connect.CatalogServiceHandler.
func (h *Handler) GetCatalog(ctx context.Context, _ *connect.Request[zeugov1.GetCatalogRequest]) (*connect.Response[zeugov1.GetCatalogResponse], error) {
	v, err := h.svc.Get(ctx)
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(viewToProto(v)), nil
}

// UpdateJobProfile implements zeugov1connect.CatalogServiceHandler.
func (h *Handler) UpdateJobProfile(ctx context.Context, req *connect.Request[zeugov1.UpdateJobProfileRequest]) (*connect.Response[zeugov1.UpdateJobProfileResponse], error) {
	m := req.Msg
	v, err := h.svc.UpdateProfile(ctx, m.GetCatalogVersion(), profileOf(m.GetId(), m.GetFields()))
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.UpdateJobProfileResponse{Version: v}), nil
}

// UpdateAttribute implements zeugov1connect.CatalogServiceHandler.
func (h *Handler) UpdateAttribute(ctx context.Context, req *connect.Request[zeugov1.UpdateAttributeRequest]) (*connect.Response[zeugov1.UpdateAttributeResponse], error) {
	m := req.Msg
	v, err := h.svc.UpdateAttribute(ctx, m.GetCatalogVersion(), attributeOf(m.GetId(), m.GetFields()))
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.UpdateAttributeResponse{Version: v}), nil
}

// UpdateLetterText implements zeugov1connect.CatalogServiceHandler.
func (h *Handler) UpdateLetterText(ctx context.Context, req *connect.Request[zeugov1.UpdateLetterTextRequest]) (*connect.Response[zeugov1.UpdateLetterTextResponse], error) {
	m := req.Msg
	v, err := h.svc.UpdateLetter(ctx, m.GetCatalogVersion(), m.GetKey(),
		map[string][]string{"de": m.GetFields().GetDe(), "en": m.GetFields().GetEn()})
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.UpdateLetterTextResponse{Version: v}), nil
}

// HideCatalogEntry implements zeugov1connect.CatalogServiceHandler.
func (h *Handler) HideCatalogEntry(ctx context.Context, req *connect.Request[zeugov1.HideCatalogEntryRequest]) (*connect.Response[zeugov1.HideCatalogEntryResponse], error) {
	m := req.Msg
	v, err := h.svc.Hide(ctx, m.GetCatalogVersion(), kindOf(m.GetKind()), m.GetId(), m.GetHidden())
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.HideCatalogEntryResponse{Version: v}), nil
}

// ResetCatalogEntry implements zeugov1connect.CatalogServiceHandler.
func (h *Handler) ResetCatalogEntry(ctx context.Context, req *connect.Request[zeugov1.ResetCatalogEntryRequest]) (*connect.Response[zeugov1.ResetCatalogEntryResponse], error) {
	m := req.Msg
	v, err := h.svc.Reset(ctx, m.GetCatalogVersion(), kindOf(m.GetKind()), m.GetId())
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.ResetCatalogEntryResponse{Version: v}), nil
}

// ListCatalogVersions implements zeugov1connect.CatalogServiceHandler.
func (h *Handler) ListCatalogVersions(ctx context.Context, req *connect.Request[zeugov1.ListCatalogVersionsRequest]) (*connect.Response[zeugov1.ListCatalogVersionsResponse], error) {
	size := int(req.Msg.GetPageSize())
	if size == 0 {
		size = 50
	}
	vs, err := h.svc.Versions(ctx, req.Msg.GetBeforeVersion(), size)
	if err != nil {
		return nil, err
	}
	out := &zeugov1.ListCatalogVersionsResponse{}
	for _, v := range vs {
		out.Versions = append(out.Versions, &zeugov1.CatalogVersion{Version: v.Version, Summary: v.Summary,
			CreatedByName: v.CreatedByName, CreatedAt: timestamppb.New(v.CreatedAt)})
	}
	if len(vs) == size && vs[len(vs)-1].Version > 1 {
		out.NextBeforeVersion = vs[len(vs)-1].Version
	}
	return connect.NewResponse(out), nil
}

// ExportCatalog implements zeugov1connect.CatalogServiceHandler.
func (h *Handler) ExportCatalog(ctx context.Context, _ *connect.Request[zeugov1.ExportCatalogRequest]) (*connect.Response[zeugov1.ExportCatalogResponse], error) {
	body, v, err := h.svc.Export(ctx)
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.ExportCatalogResponse{Version: v, Json: string(body)}), nil
}

// ImportCatalog implements zeugov1connect.CatalogServiceHandler.
func (h *Handler) ImportCatalog(ctx context.Context, req *connect.Request[zeugov1.ImportCatalogRequest]) (*connect.Response[zeugov1.ImportCatalogResponse], error) {
	v, err := h.svc.Import(ctx, req.Msg.GetCatalogVersion(), []byte(req.Msg.GetJson()))
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.ImportCatalogResponse{Version: v}), nil
}

func kindOf(k zeugov1.CatalogEntryKind) string {
	switch k {
	case zeugov1.CatalogEntryKind_CATALOG_ENTRY_KIND_JOB_PROFILE:
		return catalog.EntryJobProfile
	case zeugov1.CatalogEntryKind_CATALOG_ENTRY_KIND_ATTRIBUTE:
		return catalog.EntryAttribute
	}
	return catalog.EntryLetterText
}

func stateToProto(s State) zeugov1.CatalogEntryState {
	switch s {
	case StateChanged:
		return zeugov1.CatalogEntryState_CATALOG_ENTRY_STATE_CHANGED
	case StateAdded:
		return zeugov1.CatalogEntryState_CATALOG_ENTRY_STATE_ADDED
	}
	return zeugov1.CatalogEntryState_CATALOG_ENTRY_STATE_DEFAULT
}

func titleOf(t *zeugov1.GenderedTitle) catalog.GenderedTitle {
	return catalog.GenderedTitle{M: t.GetMasculine(), F: t.GetFeminine(), N: t.GetNeutral()}
}

func titleToProto(t catalog.GenderedTitle) *zeugov1.GenderedTitle {
	return &zeugov1.GenderedTitle{Masculine: t.M, Feminine: t.F, Neutral: t.N}
}

// textOf builds a Text of the non-empty languages.
func textOf(de, en string) catalog.Text {
	t := catalog.Text{}
	if de != "" {
		t["de"] = de
	}
	if en != "" {
		t["en"] = en
	}
	return t
}

func in(t catalog.Text, lang string) string {
	s, _ := t.In(lang)
	return s
}

func profileOf(id string, f *zeugov1.JobProfileFields) catalog.JobProfile {
	p := catalog.JobProfile{ID: id, Area: f.GetArea(), Title: map[string]catalog.GenderedTitle{"de": titleOf(f.GetTitleDe())}}
	if en := titleOf(f.GetTitleEn()); en != (catalog.GenderedTitle{}) {
		p.Title["en"] = en
	}
	for _, t := range f.GetTasks() {
		p.Tasks = append(p.Tasks, catalog.Task{ID: t.GetId(), Text: textOf(t.GetDe(), t.GetEn())})
	}
	return p
}

func profileFields(p *catalog.JobProfile) *zeugov1.JobProfileFields {
	if p == nil {
		return nil
	}
	f := &zeugov1.JobProfileFields{Area: p.Area, TitleDe: titleToProto(p.Title["de"]), TitleEn: titleToProto(p.Title["en"])}
	for _, t := range p.Tasks {
		f.Tasks = append(f.Tasks, &zeugov1.CatalogTaskFields{Id: t.ID, De: in(t.Text, "de"), En: in(t.Text, "en")})
	}
	return f
}

func attributeOf(id string, f *zeugov1.AttributeFields) catalog.Attribute {
	return catalog.Attribute{ID: id, Kind: f.GetKind(), Name: textOf(f.GetNameDe(), f.GetNameEn()), MaxGrade: int(f.GetMaxGrade())}
}

func attributeFields(a *catalog.Attribute) *zeugov1.AttributeFields {
	if a == nil {
		return nil
	}
	return &zeugov1.AttributeFields{Kind: a.Kind, NameDe: in(a.Name, "de"), NameEn: in(a.Name, "en"), MaxGrade: int32(band(*a))}
}

func viewToProto(v *View) *zeugov1.GetCatalogResponse {
	out := &zeugov1.GetCatalogResponse{Version: v.Version, DefaultVersion: v.DefaultVersion, Placeholders: generator.Placeholders()}
	for i := range v.Profiles {
		e := &v.Profiles[i]
		out.JobProfiles = append(out.JobProfiles, &zeugov1.CatalogJobProfileEntry{Id: e.Profile.ID, Fields: profileFields(&e.Profile),
			DefaultFields: profileFields(e.Default), State: stateToProto(e.State), Hidden: e.Hidden, MissingLanguages: e.Missing})
	}
	for i := range v.Attributes {
		e := &v.Attributes[i]
		out.Attributes = append(out.Attributes, &zeugov1.CatalogAttributeEntry{Id: e.Attribute.ID, Fields: attributeFields(&e.Attribute),
			DefaultFields: attributeFields(e.Default), State: stateToProto(e.State), Hidden: e.Hidden, MissingLanguages: e.Missing})
	}
	for _, e := range v.Letters {
		out.LetterTexts = append(out.LetterTexts, &zeugov1.CatalogLetterTextEntry{Key: e.Key,
			Fields:        &zeugov1.LetterTextFields{De: e.Texts["de"], En: e.Texts["en"]},
			DefaultFields: &zeugov1.LetterTextFields{De: e.Default["de"], En: e.Default["en"]},
			State:         stateToProto(e.State), ChangedLanguages: e.Changed})
	}
	return out
}
