package layout

import (
	"context"

	"connectrpc.com/connect"
	"github.com/google/uuid"
	"google.golang.org/protobuf/types/known/timestamppb"

	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
	"github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1/zeugov1connect"
	"github.com/zeugo/zeugo/backend/internal/pdf"
)

// Handler is the Connect handler of DocumentLayoutService: proto ↔ domain
// only.
type Handler struct{ svc *Service }

var _ zeugov1connect.DocumentLayoutServiceHandler = (*Handler)(nil)

// GetDocumentLayout implements zeugov1connect.DocumentLayoutServiceHandler.
func (h *Handler) GetDocumentLayout(ctx context.Context, req *connect.Request[zeugov1.GetDocumentLayoutRequest]) (*connect.Response[zeugov1.GetDocumentLayoutResponse], error) {
	l, err := h.svc.Get(ctx, uuid.MustParse(req.Msg.GetCompanyId()))
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.GetDocumentLayoutResponse{Layout: toProto(l)}), nil
}

// UpdateDocumentLayout implements zeugov1connect.DocumentLayoutServiceHandler.
func (h *Handler) UpdateDocumentLayout(ctx context.Context, req *connect.Request[zeugov1.UpdateDocumentLayoutRequest]) (*connect.Response[zeugov1.UpdateDocumentLayoutResponse], error) {
	m := req.Msg
	l, err := h.svc.Update(ctx, uuid.MustParse(m.GetCompanyId()), m.GetVersion(), settingsOf(m.GetSettings()))
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.UpdateDocumentLayoutResponse{Layout: toProto(l)}), nil
}

// SetDocumentLayoutLogo implements zeugov1connect.DocumentLayoutServiceHandler.
func (h *Handler) SetDocumentLayoutLogo(ctx context.Context, req *connect.Request[zeugov1.SetDocumentLayoutLogoRequest]) (*connect.Response[zeugov1.SetDocumentLayoutLogoResponse], error) {
	m := req.Msg
	l, err := h.svc.SetLogo(ctx, uuid.MustParse(m.GetCompanyId()), m.GetVersion(), m.GetImage())
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.SetDocumentLayoutLogoResponse{Layout: toProto(l)}), nil
}

// RemoveDocumentLayoutLogo implements zeugov1connect.DocumentLayoutServiceHandler.
func (h *Handler) RemoveDocumentLayoutLogo(ctx context.Context, req *connect.Request[zeugov1.RemoveDocumentLayoutLogoRequest]) (*connect.Response[zeugov1.RemoveDocumentLayoutLogoResponse], error) {
	m := req.Msg
	l, err := h.svc.RemoveLogo(ctx, uuid.MustParse(m.GetCompanyId()), m.GetVersion())
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.RemoveDocumentLayoutLogoResponse{Layout: toProto(l)}), nil
}

// ResetDocumentLayout implements zeugov1connect.DocumentLayoutServiceHandler.
func (h *Handler) ResetDocumentLayout(ctx context.Context, req *connect.Request[zeugov1.ResetDocumentLayoutRequest]) (*connect.Response[zeugov1.ResetDocumentLayoutResponse], error) {
	m := req.Msg
	l, err := h.svc.Reset(ctx, uuid.MustParse(m.GetCompanyId()), m.GetVersion())
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.ResetDocumentLayoutResponse{Layout: toProto(l)}), nil
}

// PreviewDocumentLayout implements zeugov1connect.DocumentLayoutServiceHandler.
func (h *Handler) PreviewDocumentLayout(ctx context.Context, req *connect.Request[zeugov1.PreviewDocumentLayoutRequest]) (*connect.Response[zeugov1.PreviewDocumentLayoutResponse], error) {
	m := req.Msg
	b, pages, err := h.svc.Preview(ctx, uuid.MustParse(m.GetCompanyId()), settingsOf(m.GetSettings()), m.GetLanguage(),
		int(m.GetSignatories()))
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.PreviewDocumentLayoutResponse{Pdf: b, Pages: int32(pages)}), nil
}

var (
	fontOf   = map[zeugov1.DocumentFont]string{zeugov1.DocumentFont_DOCUMENT_FONT_SERIF: pdf.FontSerif, zeugov1.DocumentFont_DOCUMENT_FONT_SANS: pdf.FontSans}
	fontToPb = map[string]zeugov1.DocumentFont{pdf.FontSerif: zeugov1.DocumentFont_DOCUMENT_FONT_SERIF, pdf.FontSans: zeugov1.DocumentFont_DOCUMENT_FONT_SANS}
	dateOf   = map[zeugov1.DocumentDateFormat]string{zeugov1.DocumentDateFormat_DOCUMENT_DATE_FORMAT_LONG: pdf.DateLong,
		zeugov1.DocumentDateFormat_DOCUMENT_DATE_FORMAT_NUMERIC: pdf.DateNumeric}
	dateToPb = map[string]zeugov1.DocumentDateFormat{pdf.DateLong: zeugov1.DocumentDateFormat_DOCUMENT_DATE_FORMAT_LONG,
		pdf.DateNumeric: zeugov1.DocumentDateFormat_DOCUMENT_DATE_FORMAT_NUMERIC}
)

func settingsOf(p *zeugov1.DocumentLayoutSettings) Settings {
	return Settings{MarginTop: p.GetMarginTopMm(), MarginBottom: p.GetMarginBottomMm(), MarginLeft: p.GetMarginLeftMm(),
		MarginRight: p.GetMarginRightMm(), Font: fontOf[p.GetFont()], FontSize: p.GetFontSizePt(), LogoWidth: p.GetLogoWidthMm(),
		CustomLetterhead: p.GetCustomLetterhead(), LetterheadName: p.GetLetterheadName(), LetterheadLines: p.GetLetterheadLines(),
		CustomFooter: p.GetCustomFooter(), FooterLines: p.GetFooterLines(), Place: p.GetPlace(), DateFormat: dateOf[p.GetDateFormat()],
		SignatureSpace: p.GetSignatureSpaceMm(), SignatureStacked: p.GetSignatureArrangement() == zeugov1.SignatureArrangement_SIGNATURE_ARRANGEMENT_STACKED,
		SignatureFunctions: p.GetSignatureFunctions(), ShowHeadings: p.GetShowHeadings()}
}

func settingsToProto(s Settings) *zeugov1.DocumentLayoutSettings {
	arr := zeugov1.SignatureArrangement_SIGNATURE_ARRANGEMENT_SIDE_BY_SIDE
	if s.SignatureStacked {
		arr = zeugov1.SignatureArrangement_SIGNATURE_ARRANGEMENT_STACKED
	}
	return &zeugov1.DocumentLayoutSettings{MarginTopMm: s.MarginTop, MarginBottomMm: s.MarginBottom, MarginLeftMm: s.MarginLeft,
		MarginRightMm: s.MarginRight, Font: fontToPb[s.Font], FontSizePt: s.FontSize, LogoWidthMm: s.LogoWidth,
		CustomLetterhead: s.CustomLetterhead, LetterheadName: s.LetterheadName, LetterheadLines: s.LetterheadLines,
		CustomFooter: s.CustomFooter, FooterLines: s.FooterLines, Place: s.Place, DateFormat: dateToPb[s.DateFormat],
		SignatureSpaceMm: s.SignatureSpace, SignatureArrangement: arr, SignatureFunctions: s.SignatureFunctions,
		ShowHeadings: s.ShowHeadings}
}

func toProto(l *Layout) *zeugov1.DocumentLayout {
	p := &zeugov1.DocumentLayout{CompanyId: l.CompanyID.String(), Settings: settingsToProto(l.Settings), Customized: l.Customized,
		Version: l.Version, LogoPng: l.Logo, LogoWidthPx: int32(l.LogoWidth), LogoHeightPx: int32(l.LogoHeight)}
	if l.Customized {
		p.UpdatedAt = timestamppb.New(l.UpdatedAt)
	}
	if co := l.Company; co != nil {
		p.CompanyName, p.CompanyPlace = co.Fields.Name, co.Fields.City
		p.CompanyLetterheadLines, p.CompanyFooterLines = CompanyLetterhead(co), CompanyFooter(co, "de")
	}
	return p
}
