package mailtpl_test

import (
	"context"
	"errors"
	"net/mail"
	"strings"
	"testing"
	"time"

	"buf.build/gen/go/bufbuild/protovalidate/protocolbuffers/go/buf/validate"
	"connectrpc.com/connect"
	"github.com/jackc/pgx/v5"
	"github.com/rs/zerolog"

	"github.com/zeugo/zeugo/backend/internal/apptest"
	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
	"github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1/zeugov1connect"
	"github.com/zeugo/zeugo/backend/internal/outbox"
	"github.com/zeugo/zeugo/backend/internal/smtptest"
)

type clients struct {
	tpl    zeugov1connect.MailTemplateServiceClient
	sender zeugov1connect.MailSenderServiceClient
}

func signIn(t *testing.T, env *apptest.Env, ten *apptest.Tenant) clients {
	t.Helper()
	hc := env.HTTPClient()
	res, err := env.AuthClient(hc, apptest.Connect).Login(context.Background(), connect.NewRequest(&zeugov1.LoginRequest{Email: ten.Email, Password: ten.Password}))
	if err != nil {
		t.Fatalf("login: %v", err)
	}
	opt := connect.WithInterceptors(apptest.Bearer(res.Msg.GetTokens().GetAccessToken()))
	return clients{tpl: zeugov1connect.NewMailTemplateServiceClient(hc, env.Server.URL, opt),
		sender: zeugov1connect.NewMailSenderServiceClient(hc, env.Server.URL, opt)}
}

// violation returns the field and rule of the first violation of err.
func violation(t *testing.T, err error) (string, string) {
	t.Helper()
	var ce *connect.Error
	if !errors.As(err, &ce) || ce.Code() != connect.CodeInvalidArgument {
		t.Fatalf("want InvalidArgument, got %v", err)
	}
	for _, d := range ce.Details() {
		m, derr := d.Value()
		if derr != nil {
			continue
		}
		if v, ok := m.(*validate.Violations); ok && len(v.GetViolations()) > 0 {
			vi := v.GetViolations()[0]
			var path []string
			for _, el := range vi.GetField().GetElements() {
				path = append(path, el.GetFieldName())
			}
			return strings.Join(path, "."), vi.GetRuleId()
		}
	}
	t.Fatalf("no violations in %v", err)
	return "", ""
}

func code(err error) connect.Code { return connect.CodeOf(err) }

func find(t *testing.T, c clients, name, lang string) *zeugov1.MailTemplate {
	t.Helper()
	res, err := c.tpl.ListMailTemplates(context.Background(), connect.NewRequest(&zeugov1.ListMailTemplatesRequest{}))
	if err != nil {
		t.Fatal(err)
	}
	if n, want := len(res.Msg.GetTemplates()), len(outbox.TemplateNames)*len(outbox.Languages); n != want {
		t.Fatalf("%d templates, want every name in every language (%d)", n, want)
	}
	for _, m := range res.Msg.GetTemplates() {
		if m.GetName() == name && m.GetLanguage() == lang {
			return m
		}
	}
	t.Fatalf("no template %s/%s", name, lang)
	return nil
}

// enqueue writes a password reset mail for tenant ten as the auth domain
// would.
func enqueue(t *testing.T, env *apptest.Env, ten *apptest.Tenant, to, name string) {
	t.Helper()
	env.AsOwner(ten.TenantID, func(tx pgx.Tx) error {
		_, err := env.App.Outbox.Enqueue(context.Background(), tx, ten.TenantID, outbox.Message{Kind: outbox.Email, To: to,
			Template: "password_reset", Language: "de",
			Data: map[string]string{"Name": name, "Link": "https://zeugo.test/reset#tok", "ExpiresAt": "heute 18:00"}})
		return err
	})
}

type got struct {
	To, From string
	smtptest.Parsed
}

func deliver(t *testing.T, env *apptest.Env, srv *smtptest.Server) map[string]got {
	t.Helper()
	ob := outbox.New(outbox.Deps{DB: env.App.DB, Keys: env.App.Keys, Now: env.Clock.Now, Log: zerolog.Nop(),
		Mailer: srv.Mailer(), From: "zeugo@zeugo.test", Audit: env.App.Audit})
	if _, err := ob.Deliver(context.Background()); err != nil {
		t.Fatalf("deliver: %v", err)
	}
	out := map[string]got{}
	for _, m := range srv.Mails() {
		p := smtptest.Parse(t, m.Data)
		out[m.To] = got{To: m.To, From: p.Header.Get("From"), Parsed: p}
	}
	srv.Clear()
	return out
}

const ownText = "Hallo {{.Name}},\n\nIhr Link:\n{{.Link}}\n\nGültig bis {{.ExpiresAt}}.\nEIGENE VORLAGE\n{{.Sender}}"

func TestOverrideIsDeliveredAndResetRestoresTheDefault(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	a := env.CreateTenant("Vorlagen GmbH", "admin@vorlagen.example")
	b := env.CreateTenant("Andere AG", "admin@andere.example")
	ca := signIn(t, env, a)
	ctx := context.Background()
	srv := smtptest.New(t)

	snd, err := ca.sender.UpdateMailSender(ctx, connect.NewRequest(&zeugov1.UpdateMailSenderRequest{Fields: &zeugov1.MailSenderFields{SenderName: "Personal Vorlagen"}}))
	if err != nil || snd.Msg.GetSender().GetSenderName() != "Personal Vorlagen" || !snd.Msg.GetSender().GetCustom() {
		t.Fatalf("sender: %v %v", snd, err)
	}
	before := find(t, ca, "password_reset", "de")
	if before.GetOverridden() || before.GetVersion() != 0 || !strings.Contains(before.GetDefaultContent().GetText(), "{{.Link}}") ||
		strings.Join(before.GetRequiredPlaceholders(), ",") != "Link" {
		t.Fatalf("before = %v", before)
	}
	up, err := ca.tpl.UpdateMailTemplate(ctx, connect.NewRequest(&zeugov1.UpdateMailTemplateRequest{Name: "password_reset", Language: "de",
		Fields: &zeugov1.MailTemplateContent{Subject: "Neues Passwort bei {{.Sender}}", Text: ownText}}))
	if err != nil {
		t.Fatal(err)
	}
	v1 := up.Msg.GetTemplate().GetVersion()
	if v := up.Msg.GetTemplate(); !v.GetOverridden() || v1 <= 0 || v.GetCustomContent().GetText() != ownText {
		t.Fatalf("updated = %v", v)
	}

	enqueue(t, env, a, "erika@vorlagen.example", `<b>Erika & "Co"</b>`)
	enqueue(t, env, b, "max@andere.example", "Max")
	mails := deliver(t, env, srv)
	ma, mb := mails["erika@vorlagen.example"], mails["max@andere.example"]
	if ma.Subject != "Neues Passwort bei Personal Vorlagen" || !strings.Contains(ma.Plain, "EIGENE VORLAGE") ||
		!strings.Contains(ma.Plain, "Hallo <b>Erika & \"Co\"</b>,") {
		t.Fatalf("tenant's own template not used: %q\n%s", ma.Subject, ma.Plain)
	}
	if addr, err := mail.ParseAddress(ma.From); err != nil || addr.Name != "Personal Vorlagen" {
		t.Fatalf("From = %q (%v)", ma.From, err)
	}
	// The HTML part is derived from the text: data escaped, the link a link.
	if strings.Contains(ma.HTML, "<b>Erika") || !strings.Contains(ma.HTML, "&lt;b&gt;Erika &amp; &#34;Co&#34;&lt;/b&gt;") ||
		!strings.Contains(ma.HTML, `<a href="https://zeugo.test/reset#tok">`) || !strings.Contains(ma.HTML, "EIGENE VORLAGE") {
		t.Fatalf("HTML part:\n%s", ma.HTML)
	}
	// Another tenant's mail never uses it.
	if strings.Contains(mb.Plain, "EIGENE") || mb.Subject == "" || strings.Contains(mb.Subject, "Vorlagen") {
		t.Fatalf("other tenant got %q\n%s", mb.Subject, mb.Plain)
	}

	// Nor does it see it.
	if other := find(t, signIn(t, env, b), "password_reset", "de"); other.GetOverridden() || other.GetCustomContent() != nil {
		t.Fatalf("other tenant sees %v", other)
	}

	// The audit log names the template, not its content.
	var details string
	env.AsOwner(a.TenantID, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `SELECT details::text FROM audit_events WHERE action = 'mail.template.updated'`).Scan(&details)
	})
	if !strings.Contains(details, "password_reset") || strings.Contains(details, "EIGENE") {
		t.Fatalf("audit details = %s", details)
	}

	if _, err := ca.tpl.ResetMailTemplate(ctx, connect.NewRequest(&zeugov1.ResetMailTemplateRequest{Name: "password_reset", Language: "de", Version: v1})); err != nil {
		t.Fatal(err)
	}
	if after := find(t, ca, "password_reset", "de"); after.GetOverridden() || after.GetVersion() != 0 {
		t.Fatalf("after reset = %v", after)
	}
	enqueue(t, env, a, "erika@vorlagen.example", "Erika")
	ma = deliver(t, env, srv)["erika@vorlagen.example"]
	if strings.Contains(ma.Plain, "EIGENE") || ma.Subject != mb.Subject {
		t.Fatalf("default not restored: %q\n%s", ma.Subject, ma.Plain)
	}
}

func TestRefusedTemplatesSaveNothing(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	c := signIn(t, env, env.CreateTenant("Streng GmbH", "admin@streng.example"))
	ctx := context.Background()
	for _, tc := range []struct {
		name, subject, text string
		field, rule         string
	}{
		{"unknown placeholder", "Hallo", "{{.Link}} {{.Password}}", "fields.text", "zeugo.mail.unknown_placeholder"},
		{"unknown placeholder in subject", "Hallo {{.Secret}}", "{{.Link}}", "fields.subject", "zeugo.mail.unknown_placeholder"},
		{"function call", "Hallo", `{{.Link}} {{printf "%s" .Name}}`, "fields.text", "zeugo.mail.unsupported"},
		{"call", "Hallo", `{{.Link}} {{call .Name}}`, "fields.text", "zeugo.mail.unsupported"},
		{"define", "Hallo", `{{.Link}}{{define "x"}}y{{end}}`, "fields.text", "zeugo.mail.unsupported"},
		{"template", "Hallo", `{{.Link}}{{template "text"}}`, "fields.text", "zeugo.mail.unsupported"},
		{"if", "Hallo", `{{.Link}}{{if .Name}}x{{end}}`, "fields.text", "zeugo.mail.unsupported"},
		{"nested field", "Hallo", `{{.Link}}{{.Name.X}}`, "fields.text", "zeugo.mail.unsupported"},
		{"syntax", "Hallo", `{{.Link}} {{.Name`, "fields.text", "zeugo.mail.syntax"},
		{"missing link", "Hallo", "Hallo {{.Name}}", "fields.text", "zeugo.mail.placeholder_required"},
		{"line break in subject", "Hallo\nBcc: x@y.z", "{{.Link}}", "fields.subject", "zeugo.mail.subject_line_break"},
		{"subject too long", strings.Repeat("x", 201), "{{.Link}}", "fields.subject", "string.max_len"},
		{"text too long", "Hallo", "{{.Link}}" + strings.Repeat("x", 10000), "fields.text", "string.max_len"},
		{"blank subject", "   ", "{{.Link}}", "fields.subject", "zeugo.mail.required"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			content := &zeugov1.MailTemplateContent{Subject: tc.subject, Text: tc.text}
			_, err := c.tpl.UpdateMailTemplate(ctx, connect.NewRequest(&zeugov1.UpdateMailTemplateRequest{Name: "invitation",
				Language: "de", Fields: content}))
			if f, r := violation(t, err); f != tc.field || r != tc.rule {
				t.Fatalf("update: %s %s, want %s %s (%v)", f, r, tc.field, tc.rule, err)
			}
			_, err = c.tpl.PreviewMailTemplate(ctx, connect.NewRequest(&zeugov1.PreviewMailTemplateRequest{Name: "invitation",
				Language: "de", Fields: content}))
			if f, r := violation(t, err); f != tc.field || r != tc.rule {
				t.Fatalf("preview: %s %s, want %s %s", f, r, tc.field, tc.rule)
			}
		})
	}
	if got := find(t, c, "invitation", "de"); got.GetOverridden() {
		t.Fatalf("a refused template was saved: %v", got)
	}
	// account_locked has no link, so it needs none.
	if _, err := c.tpl.UpdateMailTemplate(ctx, connect.NewRequest(&zeugov1.UpdateMailTemplateRequest{Name: "account_locked",
		Language: "en", Fields: &zeugov1.MailTemplateContent{Subject: "Locked", Text: "Hello {{.Name}}, locked at {{.LockedAt}}."}})); err != nil {
		t.Fatal(err)
	}
	// …but may not use the link it is not given.
	_, err := c.tpl.UpdateMailTemplate(ctx, connect.NewRequest(&zeugov1.UpdateMailTemplateRequest{Name: "account_locked",
		Language: "en", Version: 1, Fields: &zeugov1.MailTemplateContent{Subject: "Locked", Text: "{{.Link}}"}}))
	if f, r := violation(t, err); f != "fields.text" || r != "zeugo.mail.unknown_placeholder" {
		t.Fatalf("%s %s", f, r)
	}
	for _, bad := range []string{"Zeile\nzwei", "", strings.Repeat("x", 201)} {
		if _, err := c.sender.UpdateMailSender(ctx, connect.NewRequest(&zeugov1.UpdateMailSenderRequest{Fields: &zeugov1.MailSenderFields{SenderName: bad}})); code(err) != connect.CodeInvalidArgument {
			t.Fatalf("sender %q: %v", bad, err)
		}
	}
}

func TestStaleVersionsAreAborted(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	c := signIn(t, env, env.CreateTenant("Takt GmbH", "admin@takt.example"))
	ctx := context.Background()
	save := func(version int64, text string) (int64, error) {
		res, err := c.tpl.UpdateMailTemplate(ctx, connect.NewRequest(&zeugov1.UpdateMailTemplateRequest{Name: "invitation", Language: "en",
			Version: version, Fields: &zeugov1.MailTemplateContent{Subject: "Welcome", Text: text}}))
		if err != nil {
			return 0, err
		}
		return res.Msg.GetTemplate().GetVersion(), nil
	}
	reset := func(version int64) error {
		_, err := c.tpl.ResetMailTemplate(ctx, connect.NewRequest(&zeugov1.ResetMailTemplateRequest{Name: "invitation", Language: "en", Version: version}))
		return err
	}
	v1, err := save(0, "one {{.Link}}")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := save(0, "two {{.Link}}"); code(err) != connect.CodeAborted {
		t.Fatalf("second first save: %v", err)
	}
	v2, err := save(v1, "three {{.Link}}")
	if err != nil || v2 != v1+1 {
		t.Fatal(v2, err)
	}
	if _, err := save(v1, "four {{.Link}}"); code(err) != connect.CodeAborted {
		t.Fatalf("stale save: %v", err)
	}
	if err := reset(v1); code(err) != connect.CodeAborted {
		t.Fatalf("stale reset: %v", err)
	}
	if got := find(t, c, "invitation", "en"); got.GetVersion() != v2 || got.GetCustomContent().GetText() != "three {{.Link}}" {
		t.Fatalf("stored = %v", got)
	}
	if err := reset(v2); err != nil {
		t.Fatal(err)
	}
	if err := reset(v2); code(err) != connect.CodeAborted {
		t.Fatalf("reset twice: %v", err)
	}
	// Saved again after the reset, the template never repeats an old
	// version: a client still holding one is refused.
	env.Clock.Advance(time.Second)
	v3, err := save(0, "five {{.Link}}")
	if err != nil || v3 == v1 || v3 == v2 {
		t.Fatal(v3, err)
	}
	if _, err := save(v2, "six {{.Link}}"); code(err) != connect.CodeAborted {
		t.Fatalf("save with a version from before the reset: %v", err)
	}
}

func TestPreviewRendersWithSampleDataAndSender(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	c := signIn(t, env, env.CreateTenant("Vorschau GmbH", "admin@vorschau.example"))
	ctx := context.Background()
	s, err := c.sender.GetMailSender(ctx, connect.NewRequest(&zeugov1.GetMailSenderRequest{}))
	if err != nil || s.Msg.GetSender().GetSenderName() != "Vorschau GmbH" || s.Msg.GetSender().GetCustom() {
		t.Fatalf("default sender = %v %v", s, err)
	}
	res, err := c.tpl.PreviewMailTemplate(ctx, connect.NewRequest(&zeugov1.PreviewMailTemplateRequest{Name: "invitation", Language: "en",
		Fields: &zeugov1.MailTemplateContent{Subject: "Join {{.Sender}}", Text: "Dear {{.Name}},\n\n{{.Link}}\n\nuntil {{.ExpiresAt}}"}}))
	if err != nil {
		t.Fatal(err)
	}
	p := res.Msg
	if p.GetSenderName() != "Vorschau GmbH" || p.GetSubject() != "Join Vorschau GmbH" || !strings.HasPrefix(p.GetText(), "Dear Jane Doe,") ||
		!strings.Contains(p.GetHtml(), "<a href=") {
		t.Fatalf("preview = %v", p)
	}
	if got := find(t, c, "invitation", "en"); got.GetOverridden() {
		t.Fatal("preview saved the template")
	}
}

// Without row-level security the queries' own tenant filter keeps one
// tenant's templates from another (the second line of isolation).
func TestTenantFilterWithoutRLS(t *testing.T) {
	t.Parallel()
	env := apptest.New(t, apptest.Options{BypassRLS: true})
	a := env.CreateTenant("Erste GmbH", "admin@erste.example")
	b := env.CreateTenant("Zweite GmbH", "admin@zweite.example")
	ca, cb := signIn(t, env, a), signIn(t, env, b)
	ctx := context.Background()
	saved, err := ca.tpl.UpdateMailTemplate(ctx, connect.NewRequest(&zeugov1.UpdateMailTemplateRequest{Name: "invitation", Language: "de",
		Fields: &zeugov1.MailTemplateContent{Subject: "Erste", Text: "{{.Link}}"}}))
	if err != nil {
		t.Fatal(err)
	}
	if got := find(t, cb, "invitation", "de"); got.GetOverridden() {
		t.Fatalf("tenant B sees A's template: %v", got)
	}
	// B's reset of A's version finds nothing to delete.
	if _, err := cb.tpl.ResetMailTemplate(ctx, connect.NewRequest(&zeugov1.ResetMailTemplateRequest{Name: "invitation", Language: "de", Version: saved.Msg.GetTemplate().GetVersion()})); code(err) != connect.CodeAborted {
		t.Fatalf("reset across tenants: %v", err)
	}
	if got := find(t, ca, "invitation", "de"); !got.GetOverridden() {
		t.Fatal("A's template is gone")
	}
	srv := smtptest.New(t)
	enqueue(t, env, b, "max@zweite.example", "Max")
	if m := deliver(t, env, srv)["max@zweite.example"]; m.Subject == "Erste" {
		t.Fatalf("B's mail used A's template: %q", m.Subject)
	}
}

func TestTestMailGoesToTheCallerOnlyAndIsLimited(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	srv := smtptest.New(t)
	ten := env.CreateTenant("Probe GmbH", "admin@probe.example")
	c := signIn(t, env, ten)
	content := &zeugov1.MailTemplateContent{Subject: "Willkommen bei {{.Sender}}", Text: ownText}
	res, err := c.tpl.SendTestMailTemplate(context.Background(), connect.NewRequest(&zeugov1.SendTestMailTemplateRequest{
		Name: "password_reset", Language: "de", Fields: content}))
	if err != nil || res.Msg.GetTo() != "admin@probe.example" {
		t.Fatalf("send test: %v %v", err, res)
	}
	mails := deliver(t, env, srv)
	m, ok := mails["admin@probe.example"]
	if !ok || len(mails) != 1 {
		t.Fatalf("delivered: %v", mails)
	}
	if !strings.HasPrefix(m.Subject, "[Test] Willkommen bei") || !strings.Contains(m.Plain, "EIGENE VORLAGE") {
		t.Fatalf("test mail: %q\n%s", m.Subject, m.Plain)
	}
	// Nothing was saved: the template is still the built-in one.
	if tpl := find(t, c, "password_reset", "de"); tpl.GetOverridden() {
		t.Fatal("a test mail saved the template")
	}
	// A broken template is refused and queues nothing.
	_, err = c.tpl.SendTestMailTemplate(context.Background(), connect.NewRequest(&zeugov1.SendTestMailTemplateRequest{
		Name: "password_reset", Language: "de", Fields: &zeugov1.MailTemplateContent{Subject: "x", Text: "{{.Unbekannt}} {{.Link}}"}}))
	if code(err) != connect.CodeInvalidArgument {
		t.Fatalf("unknown placeholder: %v", err)
	}
	if got := deliver(t, env, srv); len(got) != 0 {
		t.Fatalf("a refused test mail was sent: %v", got)
	}
	// Four more pass, the sixth within the quarter hour is refused.
	for i := range 5 {
		_, err := c.tpl.SendTestMailTemplate(context.Background(), connect.NewRequest(&zeugov1.SendTestMailTemplateRequest{
			Name: "password_reset", Language: "en", Fields: content}))
		if i < 4 && err != nil {
			t.Fatalf("test mail %d: %v", i+2, err)
		}
		if i == 4 && code(err) != connect.CodeResourceExhausted {
			t.Fatalf("sixth test mail: %v", err)
		}
	}
}
