package auth_test

import (
	"context"
	"strings"
	"testing"

	"github.com/zeugo/zeugo/backend/internal/apptest"
	"github.com/zeugo/zeugo/backend/internal/outbox"
	"github.com/zeugo/zeugo/backend/internal/smtptest"
)

// mailbox is a real SMTP server in the test process (smtptest, STARTTLS
// with a test certificate) and an outbox run that delivers the server's
// queued mails to it.
type mailbox struct {
	t   testing.TB
	env *apptest.Env
	srv *smtptest.Server
}

// gotMail is a received mail: recipient, subject and plain-text body.
type gotMail struct {
	To, Subject, Plain string
}

func newMailbox(t testing.TB, env *apptest.Env) *mailbox {
	t.Helper()
	return &mailbox{t: t, env: env, srv: smtptest.New(t)}
}

// deliver runs the outbox once against this server and returns the mails
// received so far.
func (m *mailbox) deliver() []gotMail {
	m.t.Helper()
	ob := outbox.New(outbox.Deps{DB: m.env.App.DB, Keys: m.env.App.Keys, Now: m.env.Clock.Now,
		Mailer: m.srv.Mailer(), From: "zeugo@zeugo.test", Audit: m.env.App.Audit})
	if _, err := ob.Deliver(context.Background()); err != nil {
		m.t.Fatalf("deliver: %v", err)
	}
	var out []gotMail
	for _, r := range m.srv.Mails() {
		p := smtptest.Parse(m.t, r.Data)
		out = append(out, gotMail{To: r.To, Subject: p.Subject, Plain: p.Plain})
	}
	return out
}

// to returns the mails to addr.
func (m *mailbox) to(addr string) []gotMail {
	var out []gotMail
	for _, g := range m.deliver() {
		if strings.EqualFold(g.To, addr) {
			out = append(out, g)
		}
	}
	return out
}

// fragment returns the token of the first link with path in text.
func fragment(t testing.TB, text, path string) string {
	t.Helper()
	i := strings.Index(text, path+"#")
	if i < 0 {
		t.Fatalf("no %s link in %q", path, text)
	}
	rest := text[i+len(path)+1:]
	end := strings.IndexFunc(rest, func(r rune) bool { return r == ' ' || r == '\n' || r == '\r' || r == '"' || r == '<' })
	if end < 0 {
		end = len(rest)
	}
	return rest[:end]
}
