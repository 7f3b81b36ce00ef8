package mailtpl

import (
	"context"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/types/known/timestamppb"

	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
	"github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1/zeugov1connect"
	"github.com/zeugo/zeugo/backend/internal/outbox"
)

// TemplateHandler is the Connect handler of MailTemplateService: proto ↔
// domain only.
type TemplateHandler struct{ svc *Service }

var _ zeugov1connect.MailTemplateServiceHandler = (*TemplateHandler)(nil)

// SenderHandler is the Connect handler of MailSenderService.
type SenderHandler struct{ svc *Service }

var _ zeugov1connect.MailSenderServiceHandler = (*SenderHandler)(nil)

var (
	_ zeugov1connect.MailTemplateServiceHandler = (*TemplateHandler)(nil)
	_ zeugov1connect.MailSenderServiceHandler   = (*SenderHandler)(nil)
)

// ListMailTemplates implements zeugov1connect.MailTemplateServiceHandler.
func (h *TemplateHandler) ListMailTemplates(ctx context.Context, _ *connect.Request[zeugov1.ListMailTemplatesRequest]) (*connect.Response[zeugov1.ListMailTemplatesResponse], error) {
	ts, err := h.svc.List(ctx)
	if err != nil {
		return nil, err
	}
	out := &zeugov1.ListMailTemplatesResponse{}
	for i := range ts {
		out.Templates = append(out.Templates, templateToProto(&ts[i]))
	}
	return connect.NewResponse(out), nil
}

// UpdateMailTemplate implements zeugov1connect.MailTemplateServiceHandler.
func (h *TemplateHandler) UpdateMailTemplate(ctx context.Context, req *connect.Request[zeugov1.UpdateMailTemplateRequest]) (*connect.Response[zeugov1.UpdateMailTemplateResponse], error) {
	m := req.Msg
	t, err := h.svc.Update(ctx, m.GetName(), m.GetLanguage(), m.GetVersion(), contentOf(m.GetFields()))
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.UpdateMailTemplateResponse{Template: templateToProto(t)}), nil
}

// ResetMailTemplate implements zeugov1connect.MailTemplateServiceHandler.
func (h *TemplateHandler) ResetMailTemplate(ctx context.Context, req *connect.Request[zeugov1.ResetMailTemplateRequest]) (*connect.Response[zeugov1.ResetMailTemplateResponse], error) {
	m := req.Msg
	t, err := h.svc.Reset(ctx, m.GetName(), m.GetLanguage(), m.GetVersion())
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.ResetMailTemplateResponse{Template: templateToProto(t)}), nil
}

// PreviewMailTemplate implements zeugov1connect.MailTemplateServiceHandler.
func (h *TemplateHandler) PreviewMailTemplate(ctx context.Context, req *connect.Request[zeugov1.PreviewMailTemplateRequest]) (*connect.Response[zeugov1.PreviewMailTemplateResponse], error) {
	m := req.Msg
	sender, r, err := h.svc.Preview(ctx, m.GetName(), m.GetLanguage(), contentOf(m.GetFields()))
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.PreviewMailTemplateResponse{SenderName: sender, Subject: r.Subject, Text: r.Plain,
		Html: r.HTML}), nil
}

// SendTestMailTemplate implements zeugov1connect.MailTemplateServiceHandler.
func (h *TemplateHandler) SendTestMailTemplate(ctx context.Context, req *connect.Request[zeugov1.SendTestMailTemplateRequest]) (*connect.Response[zeugov1.SendTestMailTemplateResponse], error) {
	m := req.Msg
	to, err := h.svc.SendTest(ctx, m.GetName(), m.GetLanguage(), contentOf(m.GetFields()))
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.SendTestMailTemplateResponse{To: to}), nil
}

// GetMailSender implements zeugov1connect.MailSenderServiceHandler.
func (h *SenderHandler) GetMailSender(ctx context.Context, _ *connect.Request[zeugov1.GetMailSenderRequest]) (*connect.Response[zeugov1.GetMailSenderResponse], error) {
	s, err := h.svc.Sender(ctx)
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.GetMailSenderResponse{Sender: senderToProto(s)}), nil
}

// UpdateMailSender implements zeugov1connect.MailSenderServiceHandler.
func (h *SenderHandler) UpdateMailSender(ctx context.Context, req *connect.Request[zeugov1.UpdateMailSenderRequest]) (*connect.Response[zeugov1.UpdateMailSenderResponse], error) {
	s, err := h.svc.UpdateSender(ctx, req.Msg.GetFields().GetSenderName())
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.UpdateMailSenderResponse{Sender: senderToProto(s)}), nil
}

func contentOf(c *zeugov1.MailTemplateContent) outbox.Custom {
	return outbox.Custom{Subject: c.GetSubject(), Text: c.GetText()}
}

func contentToProto(c outbox.Custom) *zeugov1.MailTemplateContent {
	return &zeugov1.MailTemplateContent{Subject: c.Subject, Text: c.Text}
}

func templateToProto(t *Template) *zeugov1.MailTemplate {
	p := &zeugov1.MailTemplate{Name: t.Name, Language: t.Language, DefaultContent: contentToProto(t.Default),
		Overridden: t.Overridden, Version: t.Version, Placeholders: t.Placeholders, RequiredPlaceholders: t.Required}
	if t.Overridden {
		p.CustomContent = contentToProto(t.Custom)
		p.UpdatedAt = timestamppb.New(t.UpdatedAt)
	}
	return p
}

func senderToProto(s *Sender) *zeugov1.MailSender {
	return &zeugov1.MailSender{SenderName: s.Name, Custom: s.Custom}
}
