package certificates

import (
	"context"

	"connectrpc.com/connect"
	"github.com/google/uuid"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/zeugo/zeugo/backend/internal/access"
	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
	"github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1/zeugov1connect"
	"github.com/zeugo/zeugo/backend/internal/paging"
	"github.com/zeugo/zeugo/backend/internal/protomap"
)

// Handler is the Connect handler of CertificateService: proto <-> domain
// only (validation and access run in interceptors, from the proto).
type Handler struct {
	svc *Service
}

var _ zeugov1connect.CertificateServiceHandler = (*Handler)(nil)

// NewHandler returns the handler over svc.
func NewHandler(svc *Service) *Handler { return &Handler{svc: svc} }

// out converts a certificate for the caller.
func out(ctx context.Context, c *Certificate) *zeugov1.Certificate {
	var caller uuid.UUID
	if p, err := access.From(ctx); err == nil {
		caller = p.UserID
	}
	return certificateToProto(c, caller)
}

// CreateCertificate implements zeugov1connect.CertificateServiceHandler.
func (h *Handler) CreateCertificate(ctx context.Context, req *connect.Request[zeugov1.CreateCertificateRequest]) (*connect.Response[zeugov1.CreateCertificateResponse], error) {
	m := req.Msg
	c, err := h.svc.Create(ctx, NewCertificate{EmployeeID: uuid.MustParse(m.GetEmployeeId()), Kind: kinds[m.GetKind()],
		Language: m.GetLanguage(), JobProfileID: m.GetJobProfileId(), Private: m.GetPrivate()})
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.CreateCertificateResponse{Certificate: out(ctx, c)}), nil
}

// GetCertificate implements zeugov1connect.CertificateServiceHandler.
func (h *Handler) GetCertificate(ctx context.Context, req *connect.Request[zeugov1.GetCertificateRequest]) (*connect.Response[zeugov1.GetCertificateResponse], error) {
	c, err := h.svc.Get(ctx, uuid.MustParse(req.Msg.GetId()))
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.GetCertificateResponse{Certificate: out(ctx, c)}), nil
}

// ListCertificates implements zeugov1connect.CertificateServiceHandler.
func (h *Handler) ListCertificates(ctx context.Context, req *connect.Request[zeugov1.ListCertificatesRequest]) (*connect.Response[zeugov1.ListCertificatesResponse], error) {
	page, err := h.svc.List(ctx, queryFromProto(req.Msg))
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.ListCertificatesResponse{
		Certificates: paging.Map(page, func(s *Summary) *zeugov1.CertificateSummary { return summaryToProto(*s) }),
		Page:         paging.InfoToProto(page)}), nil
}

// UpdateCertificateSection implements zeugov1connect.CertificateServiceHandler.
func (h *Handler) UpdateCertificateSection(ctx context.Context, req *connect.Request[zeugov1.UpdateCertificateSectionRequest]) (*connect.Response[zeugov1.UpdateCertificateSectionResponse], error) {
	content, err := contentFromUpdate(req.Msg)
	if err != nil {
		return nil, err
	}
	c, err := h.svc.UpdateSection(ctx, uuid.MustParse(req.Msg.GetId()), req.Msg.GetVersion(), content)
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.UpdateCertificateSectionResponse{Certificate: out(ctx, c)}), nil
}

// GenerateCertificateText implements zeugov1connect.CertificateServiceHandler.
func (h *Handler) GenerateCertificateText(ctx context.Context, req *connect.Request[zeugov1.GenerateCertificateTextRequest]) (*connect.Response[zeugov1.GenerateCertificateTextResponse], error) {
	c, problems, err := h.svc.Generate(ctx, uuid.MustParse(req.Msg.GetId()), req.Msg.GetVersion())
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.GenerateCertificateTextResponse{Certificate: out(ctx, c), Problems: problemsToProto(problems)}), nil
}

// CheckCertificateText implements zeugov1connect.CertificateServiceHandler.
func (h *Handler) CheckCertificateText(ctx context.Context, req *connect.Request[zeugov1.CheckCertificateTextRequest]) (*connect.Response[zeugov1.CheckCertificateTextResponse], error) {
	check, err := h.svc.CheckText(ctx, uuid.MustParse(req.Msg.GetId()), paragraphsFromProto(req.Msg.GetParagraphs()))
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.CheckCertificateTextResponse{Check: checkToProto(check)}), nil
}

// SetCertificatePrivate implements zeugov1connect.CertificateServiceHandler.
func (h *Handler) SetCertificatePrivate(ctx context.Context, req *connect.Request[zeugov1.SetCertificatePrivateRequest]) (*connect.Response[zeugov1.SetCertificatePrivateResponse], error) {
	c, err := h.svc.SetPrivate(ctx, uuid.MustParse(req.Msg.GetId()), req.Msg.GetVersion(), req.Msg.GetPrivate())
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.SetCertificatePrivateResponse{Certificate: out(ctx, c)}), nil
}

// TransitionCertificate implements zeugov1connect.CertificateServiceHandler.
func (h *Handler) TransitionCertificate(ctx context.Context, req *connect.Request[zeugov1.TransitionCertificateRequest]) (*connect.Response[zeugov1.TransitionCertificateResponse], error) {
	m := req.Msg
	c, err := h.svc.Transition(ctx, uuid.MustParse(m.GetId()), m.GetVersion(), statuses[m.GetStatus()], m.GetConfirmationReason())
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.TransitionCertificateResponse{Certificate: out(ctx, c)}), nil
}

// CorrectCertificate implements zeugov1connect.CertificateServiceHandler.
func (h *Handler) CorrectCertificate(ctx context.Context, req *connect.Request[zeugov1.CorrectCertificateRequest]) (*connect.Response[zeugov1.CorrectCertificateResponse], error) {
	c, err := h.svc.Correct(ctx, uuid.MustParse(req.Msg.GetId()))
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.CorrectCertificateResponse{Certificate: out(ctx, c)}), nil
}

// DeleteCertificate implements zeugov1connect.CertificateServiceHandler.
func (h *Handler) DeleteCertificate(ctx context.Context, req *connect.Request[zeugov1.DeleteCertificateRequest]) (*connect.Response[zeugov1.DeleteCertificateResponse], error) {
	if err := h.svc.Delete(ctx, uuid.MustParse(req.Msg.GetId())); err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.DeleteCertificateResponse{}), nil
}

// ListCertificateHistory implements zeugov1connect.CertificateServiceHandler.
func (h *Handler) ListCertificateHistory(ctx context.Context, req *connect.Request[zeugov1.ListCertificateHistoryRequest]) (*connect.Response[zeugov1.ListCertificateHistoryResponse], error) {
	entries, err := h.svc.History(ctx, uuid.MustParse(req.Msg.GetId()))
	if err != nil {
		return nil, err
	}
	res := &zeugov1.ListCertificateHistoryResponse{}
	for _, e := range entries {
		res.Entries = append(res.Entries, &zeugov1.HistoryEntry{Status: protomap.Reverse(statuses, e.To), PreviousStatus: protomap.Reverse(statuses, e.From),
			ActorName: e.ActorName, Time: timestamppb.New(e.At), Reason: e.Reason})
	}
	return connect.NewResponse(res), nil
}

// ListCertificateChanges implements zeugov1connect.CertificateServiceHandler.
func (h *Handler) ListCertificateChanges(ctx context.Context, req *connect.Request[zeugov1.ListCertificateChangesRequest]) (*connect.Response[zeugov1.ListCertificateChangesResponse], error) {
	page, err := h.svc.Changes(ctx, uuid.MustParse(req.Msg.GetId()), paging.FromProto(req.Msg.GetPage()))
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.ListCertificateChangesResponse{
		Changes: paging.Map(page, func(c *Change) *zeugov1.FieldChange {
			return &zeugov1.FieldChange{Section: protomap.Reverse(sectionsProto, c.Section), Field: c.Field, Before: c.Before, After: c.After,
				ActorName: c.ActorName, ActorKind: c.ActorKind, Time: timestamppb.New(c.At)}
		}),
		Page: paging.InfoToProto(page)}), nil
}

// DownloadCertificate implements zeugov1connect.CertificateServiceHandler.
func (h *Handler) DownloadCertificate(ctx context.Context, req *connect.Request[zeugov1.DownloadCertificateRequest]) (*connect.Response[zeugov1.DownloadCertificateResponse], error) {
	d, err := h.svc.Download(ctx, uuid.MustParse(req.Msg.GetId()))
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.DownloadCertificateResponse{Pdf: d.PDF, FileName: d.FileName, Sha256: d.SHA256, Issued: d.Issued}), nil
}

// GetCertificateCatalog implements zeugov1connect.CertificateServiceHandler.
func (h *Handler) GetCertificateCatalog(ctx context.Context, req *connect.Request[zeugov1.GetCertificateCatalogRequest]) (*connect.Response[zeugov1.GetCertificateCatalogResponse], error) {
	cat, err := h.svc.Catalog(ctx, req.Msg.GetLanguage())
	if err != nil {
		return nil, err
	}
	res := &zeugov1.GetCertificateCatalogResponse{Version: cat.Version}
	for _, p := range cat.Profiles {
		mp := &zeugov1.CatalogJobProfile{Id: p.ID, Title: p.Title}
		for _, t := range p.Tasks {
			mp.Tasks = append(mp.Tasks, &zeugov1.CatalogTask{Id: t.ID, Text: t.Text})
		}
		res.JobProfiles = append(res.JobProfiles, mp)
	}
	attrs := func(as []CatalogAttribute) []*zeugov1.CatalogAttribute {
		out := make([]*zeugov1.CatalogAttribute, len(as))
		for i, a := range as {
			out[i] = &zeugov1.CatalogAttribute{Id: a.ID, Text: a.Text}
			for _, g := range a.Grades {
				out[i].Grades = append(out[i].Grades, int32(g))
			}
		}
		return out
	}
	res.PersonalAttributes, res.ProfessionalAttributes = attrs(cat.Personal), attrs(cat.Professional)
	return connect.NewResponse(res), nil
}
