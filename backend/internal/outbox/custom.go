package outbox

import (
	"bytes"
	"context"
	"fmt"
	htmltemplate "html/template"
	"slices"
	"strings"
	"sync"
	texttemplate "text/template"
	"text/template/parse"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/zeugo/zeugo/backend/internal/apperr"
)

// A tenant's own template (package mailtpl, table mail_templates) replaces
// the built-in one of its name and language. It has two parts, a subject
// and a plain text, each a text/template restricted to plain text and the
// template's placeholders ({{.Name}}): no functions, pipelines, actions,
// variables or nested templates, so a tenant can neither reach beyond the
// message's data nor make a template that fails at delivery. The HTML part
// is derived from the rendered text (see customHTML), so a tenant never
// writes markup and the data is escaped by html/template.

// Limits of a tenant's template (also the CHECK constraints of migration
// 00015 and the proto's rules).
const (
	MaxCustomSubject = 200
	MaxCustomText    = 10000
)

// Custom is the source of a tenant's template.
type Custom struct {
	Subject string
	Text    string
}

// TemplateNames are the templates a tenant may override, in display order.
var TemplateNames = []string{"invitation", "password_reset", "account_locked",
	"handover", "handover_code", "handover_completed", "handover_code_locked",
	"selfservice_code", "selfservice_declined", "second_factor_changed", "second_factor_code",
}

// placeholders are each template's data keys (Sender is the tenant's sender
// name, added at delivery).
var placeholders = map[string][]string{
	"invitation":     {"Name", "Link", "ExpiresAt", "Sender"},
	"password_reset": {"Name", "Link", "ExpiresAt", "Sender"},
	"account_locked": {"Name", "LockedAt", "Sender"},
	// Handovers (package handover): Name is the recipient (handover,
	// handover_code) or the HR user (handover_completed,
	// handover_code_locked); From the HR user who handed over; Message
	// HR's message (may be empty).
	"handover":             {"Name", "From", "Link", "Message", "ExpiresAt", "Sender"},
	"handover_code":        {"Name", "Code", "ExpiresAt", "Sender"},
	"handover_completed":   {"Name", "Recipient", "CompletedAt", "Link", "Sender"},
	"handover_code_locked": {"Name", "Recipient", "LockedAt", "Link", "Sender"},
	// Self-service (package selfservice): the code that confirms a
	// requester's address, and HR's answer to a declined request.
	"selfservice_code":     {"Name", "Code", "ExpiresAt", "Sender"},
	"selfservice_declined": {"Name", "Message", "RequestedAt", "Sender"},
	// Second factors (package mfa): Change is a sentence saying what
	// changed, in the mail's language; At is when.
	"second_factor_changed": {"Name", "Change", "At", "Sender"},
	// A sign-in code by SMS (package mfa; the mail form exists for the
	// template editor and tests, codes go by SMS only).
	"second_factor_code": {"Code", "ExpiresAt", "Sender"},
}

// requiredInText are the placeholders a template's text must contain: a
// mail whose purpose is its link cannot leave the link out.
var requiredInText = map[string][]string{
	"invitation":     {"Link"},
	"password_reset": {"Link"},
	"handover":       {"Link"},
	"handover_code":  {"Code"},
	// A code mail without its code, or a refusal without HR's message,
	// would be pointless.
	"selfservice_code":     {"Code"},
	"selfservice_declined": {"Message"},
	// A notice that does not say what changed tells nothing.
	"second_factor_changed": {"Change"},
	"second_factor_code":    {"Code"},
}

// Placeholders returns the data keys template name may use.
func Placeholders(name string) []string { return slices.Clone(placeholders[name]) }

// RequiredPlaceholders returns the keys template name's text must contain.
func RequiredPlaceholders(name string) []string { return slices.Clone(requiredInText[name]) }

// SampleData is example data for template name in lang, for checks and
// previews (without Sender).
func SampleData(name, lang string) map[string]string {
	de := lang == "de"
	pick := func(d, e string) string {
		if de {
			return d
		}
		return e
	}
	all := map[string]string{
		"Name":        pick("Erika Mustermann", "Jane Doe"),
		"Link":        "https://zeugo.example/link#beispiel",
		"ExpiresAt":   pick("31.12.2026, 18:00 Uhr", "31 Dec 2026, 18:00"),
		"LockedAt":    pick("31.12.2026, 09:15 Uhr", "31 Dec 2026, 09:15"),
		"From":        pick("Max Personaler", "John Recruiter"),
		"Message":     pick("Bitte ergänzen Sie die Bewertung bis Freitag.", "Please add the ratings by Friday."),
		"Code":        "493817",
		"Recipient":   pick("Petra Vorgesetzte", "Pat Manager"),
		"CompletedAt": pick("31.12.2026, 16:40 Uhr", "31 Dec 2026, 16:40"),
		"RequestedAt": pick("30.12.2026", "30 Dec 2026"),
		"Change": pick("Zu Ihrem Zugang wurde eine Authenticator-App als zweiter Faktor hinzugefügt.",
			"An authenticator app was added to your account as a second factor."),
		"At": pick("31.12.2026, 09:15 Uhr", "31 Dec 2026, 09:15"),
	}
	// A refused self-service request carries HR's answer, not a task.
	if name == "selfservice_declined" {
		all["Message"] = pick("Bitte wenden Sie sich direkt an Ihre Ansprechpartnerin in der Personalabteilung.",
			"Please contact your HR partner directly.")
	}
	out := map[string]string{}
	for _, k := range placeholders[name] {
		if v, ok := all[k]; ok {
			out[k] = v
		}
	}
	return out
}

// DefaultSource returns the built-in template's subject and text source,
// as a starting point for a tenant's own.
func (t *Templates) DefaultSource(name, lang string) (Custom, bool) {
	tt := t.text[name+"."+lang]
	if tt == nil || tt.Lookup("subject") == nil || tt.Lookup("text") == nil {
		return Custom{}, false
	}
	return Custom{Subject: strings.TrimSpace(tt.Lookup("subject").Tree.Root.String()),
		Text: strings.TrimSpace(tt.Lookup("text").Tree.Root.String())}, true
}

// compiledCustom is a checked tenant template.
type compiledCustom struct {
	subject, text *texttemplate.Template
}

// Overrides are a tenant's templates by name and language, ready to
// render (see Outbox.LoadOverrides).
type Overrides map[string]*compiledCustom

// CheckCustom checks a tenant's template for template name: its size, no
// line break in the subject, only plain text and the template's
// placeholders, the required ones present, and that it renders with sample
// data. A violation is an InvalidArgument on field "subject" or "text".
func CheckCustom(name string, c Custom) error {
	_, err := compileCustom(name, c)
	return err
}

func fieldErr(field, rule, format string, args ...any) error {
	return apperr.Field(apperr.InvalidArgument, field, rule, fmt.Sprintf(format, args...))
}

func compileCustom(name string, c Custom) (*compiledCustom, error) {
	allowed, ok := placeholders[name]
	if !ok {
		return nil, fieldErr("name", "zeugo.mail.unknown_template", "unknown template")
	}
	switch {
	case strings.TrimSpace(c.Subject) == "":
		return nil, fieldErr("subject", "zeugo.mail.required", "the subject is required")
	case utf8.RuneCountInString(c.Subject) > MaxCustomSubject:
		return nil, fieldErr("subject", "zeugo.mail.too_long", "the subject may have at most %d characters", MaxCustomSubject)
	case strings.ContainsAny(c.Subject, "\r\n\u2028\u2029\u0085"):
		return nil, fieldErr("subject", "zeugo.mail.subject_line_break", "the subject must be a single line")
	case strings.TrimSpace(c.Text) == "":
		return nil, fieldErr("text", "zeugo.mail.required", "the text is required")
	case utf8.RuneCountInString(c.Text) > MaxCustomText:
		return nil, fieldErr("text", "zeugo.mail.too_long", "the text may have at most %d characters", MaxCustomText)
	case !utf8.ValidString(c.Subject) || !utf8.ValidString(c.Text):
		return nil, fieldErr("text", "zeugo.mail.syntax", "the template is not valid UTF-8")
	}
	out := &compiledCustom{}
	for _, part := range []struct {
		field, src string
		dst        **texttemplate.Template
	}{{"subject", c.Subject, &out.subject}, {"text", c.Text, &out.text}} {
		used, err := checkSource(part.field, part.src, allowed)
		if err != nil {
			return nil, err
		}
		if part.field == "text" {
			for _, req := range requiredInText[name] {
				if !slices.Contains(used, req) {
					return nil, fieldErr("text", "zeugo.mail.placeholder_required", "the text must contain {{.%s}}", req)
				}
			}
		}
		tt, err := texttemplate.New(part.field).Option("missingkey=error").Parse(part.src)
		if err != nil {
			return nil, fieldErr(part.field, "zeugo.mail.syntax", "the template cannot be read: %v", err)
		}
		*part.dst = tt
	}
	// Render once with sample data: what passes here renders at delivery.
	for _, lang := range Languages {
		if _, err := out.render(Email, lang, withSender(SampleData(name, lang), "Zeugo")); err != nil {
			return nil, fieldErr("text", "zeugo.mail.syntax", "the template cannot be rendered: %v", err)
		}
	}
	return out, nil
}

// checkSource parses src and allows only text and {{.Key}} with Key one of
// allowed; it returns the keys used.
func checkSource(field, src string, allowed []string) ([]string, error) {
	tr := parse.New(field)
	tr.Mode = parse.SkipFuncCheck
	set := map[string]*parse.Tree{}
	if _, err := tr.Parse(src, "", "", set); err != nil {
		return nil, fieldErr(field, "zeugo.mail.syntax", "the template cannot be read: %v", err)
	}
	unsupported := func(n parse.Node) error {
		return fieldErr(field, "zeugo.mail.unsupported", "only placeholders like {{.Name}} are allowed, not %q", n.String())
	}
	if len(set) != 1 || tr.Root == nil {
		return nil, fieldErr(field, "zeugo.mail.unsupported", "only placeholders like {{.Name}} are allowed, not nested templates")
	}
	var used []string
	for _, n := range tr.Root.Nodes {
		switch n := n.(type) {
		case *parse.TextNode:
		case *parse.ActionNode:
			p := n.Pipe
			if p == nil || len(p.Decl) != 0 || p.IsAssign || len(p.Cmds) != 1 || len(p.Cmds[0].Args) != 1 {
				return nil, unsupported(n)
			}
			f, ok := p.Cmds[0].Args[0].(*parse.FieldNode)
			if !ok || len(f.Ident) != 1 {
				return nil, unsupported(n)
			}
			if !slices.Contains(allowed, f.Ident[0]) {
				return nil, fieldErr(field, "zeugo.mail.unknown_placeholder", "unknown placeholder {{.%s}}; allowed: %s",
					f.Ident[0], "{{."+strings.Join(allowed, "}}, {{.")+"}}")
			}
			used = append(used, f.Ident[0])
		default:
			return nil, unsupported(n)
		}
	}
	return used, nil
}

// render renders a tenant's template like Templates.Render renders a
// built-in one.
func (c *compiledCustom) render(kind Kind, lang string, data map[string]string) (Rendered, error) {
	var r Rendered
	var b bytes.Buffer
	if err := c.subject.Execute(&b, data); err != nil {
		return r, err
	}
	r.Subject = strings.Join(strings.Fields(b.String()), " ")
	b.Reset()
	if err := c.text.Execute(&b, data); err != nil {
		return r, err
	}
	r.Plain = strings.TrimSpace(b.String()) + "\n"
	if kind == SMS {
		r.Plain = strings.TrimSpace(r.Plain)
		return r, nil
	}
	html, err := customHTML(lang, r.Subject, r.Plain, data["Link"])
	if err != nil {
		return r, err
	}
	r.HTML = html
	return r, nil
}

// customLayout is the built-in layout with a content that shows the
// rendered text: a paragraph per block, a line break per line, a line that
// is exactly the message's link as a link. html/template escapes every
// value.
var customLayout = sync.OnceValue(func() *htmltemplate.Template {
	layout, err := defaultFS.ReadFile("templates/layout.html")
	if err != nil {
		panic(err)
	}
	t := htmltemplate.Must(htmltemplate.New("custom").Option("missingkey=error").Parse(string(layout)))
	return htmltemplate.Must(t.Parse(`{{define "content"}}{{range .Paragraphs}}<p>{{range $i, $l := .}}{{if $i}}<br>{{end}}` +
		`{{if $l.Href}}<a href="{{$l.Href}}">{{$l.Text}}</a>{{else}}{{$l.Text}}{{end}}{{end}}</p>{{end}}{{end}}` +
		`{{define "footer"}}{{end}}`))
})

type htmlLine struct{ Text, Href string }

func customHTML(lang, subject, text, link string) (string, error) {
	var paras [][]htmlLine
	for _, block := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n\n") {
		var lines []htmlLine
		for _, l := range strings.Split(strings.Trim(block, "\n"), "\n") {
			l = strings.TrimRight(l, " \t")
			hl := htmlLine{Text: l}
			if link != "" && strings.TrimSpace(l) == link {
				hl.Href = link
			}
			lines = append(lines, hl)
		}
		if len(lines) == 1 && strings.TrimSpace(lines[0].Text) == "" {
			continue
		}
		paras = append(paras, lines)
	}
	var b bytes.Buffer
	err := customLayout().ExecuteTemplate(&b, "layout", map[string]any{"Lang": lang, "Subject": subject,
		"Data": map[string]any{"Paragraphs": paras}})
	return b.String(), err
}

// RenderCustom renders a tenant's template c for template name (checked
// first) with data plus the sender name: the preview of package mailtpl.
func RenderCustom(name, lang string, c Custom, data map[string]string, sender string) (Rendered, error) {
	cc, err := compileCustom(name, c)
	if err != nil {
		return Rendered{}, err
	}
	return cc.render(Email, lang, withSender(data, sender))
}

// RenderDefault renders the built-in template name in lang with data plus
// the sender name.
func (t *Templates) RenderDefault(name, lang string, data map[string]string, sender string) (Rendered, error) {
	return t.Render(Email, name, lang, withSender(data, sender))
}

// renderFor renders m's template, the tenant's own if ov has one.
func (o *Outbox) renderFor(ov Overrides, kind Kind, name, lang string, data map[string]string) (Rendered, error) {
	if c := ov[name+"."+lang]; c != nil && kind == Email {
		return c.render(kind, lang, data)
	}
	return o.tmpl.Render(kind, name, lang, data)
}

// loadOverrides reads tenant t's own templates in its transaction (one
// query per delivery batch). A stored template that no longer passes the
// checks (a placeholder removed in a later release) is skipped with a
// warning: the built-in one is sent instead of failing the mail.
func (o *Outbox) loadOverrides(ctx context.Context, tx pgx.Tx, t uuid.UUID) (Overrides, error) {
	rows, err := o.q.TenantTemplates(ctx, tx, t)
	if err != nil || len(rows) == 0 {
		return nil, err
	}
	ov := Overrides{}
	for _, r := range rows {
		c, err := compileCustom(r.Name, Custom{Subject: r.Subject, Text: r.Body})
		if err != nil {
			o.log.Warn().Str("tenant", t.String()).Str("template", r.Name+"."+r.Language).Err(err).
				Msg("outbox: tenant template no longer valid, using the built-in one")
			continue
		}
		ov[r.Name+"."+r.Language] = c
	}
	return ov, nil
}
