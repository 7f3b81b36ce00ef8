package auth_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net"
	"net/mail"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/zeugo/zeugo/backend/internal/apptest"
	"github.com/zeugo/zeugo/backend/internal/devtls"
	"github.com/zeugo/zeugo/backend/internal/outbox"
)

// mailbox is a real SMTP server in the test process (go-smtp, STARTTLS
// with a test certificate) and an outbox run that delivers the server's
// queued mails to it.
type mailbox struct {
	t     testing.TB
	env   *apptest.Env
	addr  string
	roots *x509.CertPool
	mu    sync.Mutex
	mails []gotMail
}

// gotMail is a received mail: recipient, subject and plain-text body.
type gotMail struct {
	To, Subject, Plain string
}

func newMailbox(t testing.TB, env *apptest.Env) *mailbox {
	t.Helper()
	dir := t.TempDir()
	certFile, keyFile := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if _, err := devtls.Ensure(certFile, keyFile, time.Now()); err != nil {
		t.Fatal(err)
	}
	pair, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		t.Fatal(err)
	}
	certPEM, err := os.ReadFile(certFile)
	if err != nil {
		t.Fatal(err)
	}
	block, _ := pem.Decode(certPEM)
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	m := &mailbox{t: t, env: env, roots: x509.NewCertPool()}
	m.roots.AddCert(cert)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	m.addr = l.Addr().String()
	srv := smtp.NewServer(m)
	srv.Domain = "localhost"
	srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{pair}, MinVersion: tls.VersionTLS12}
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	go func() { _ = srv.Serve(l) }()
	t.Cleanup(func() { _ = l.Close(); _ = srv.Close() })
	return m
}

// deliver runs the outbox once against this server and returns the mails
// received so far.
func (m *mailbox) deliver() []gotMail {
	m.t.Helper()
	_, port, _ := net.SplitHostPort(m.addr)
	p, _ := strconv.Atoi(port)
	ob := outbox.New(outbox.Deps{DB: m.env.App.DB, Keys: m.env.App.Keys, Now: m.env.Clock.Now,
		Mailer: &outbox.SMTP{Host: "127.0.0.1", Port: p, RootCAs: m.roots, Timeout: 5 * time.Second},
		From:   "zeugo@zeugo.test", Audit: m.env.App.Audit})
	if _, err := ob.Deliver(context.Background()); err != nil {
		m.t.Fatalf("deliver: %v", err)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]gotMail(nil), m.mails...)
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

// NewSession implements smtp.Backend.
func (m *mailbox) NewSession(*smtp.Conn) (smtp.Session, error) { return &mboxSession{m: m}, nil }

type mboxSession struct {
	m  *mailbox
	to string
}

func (s *mboxSession) Reset()                                    { s.to = "" }
func (s *mboxSession) Logout() error                             { return nil }
func (s *mboxSession) Mail(string, *smtp.MailOptions) error      { return nil }
func (s *mboxSession) Rcpt(to string, _ *smtp.RcptOptions) error { s.to = to; return nil }

func (s *mboxSession) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return err
	}
	subject, _ := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	g := gotMail{To: s.to, Subject: subject}
	_, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil {
		return err
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		body, err := io.ReadAll(part)
		if err != nil {
			return err
		}
		if strings.HasPrefix(part.Header.Get("Content-Type"), "text/plain") {
			g.Plain = string(body)
		}
	}
	s.m.mu.Lock()
	s.m.mails = append(s.m.mails, g)
	s.m.mu.Unlock()
	return nil
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
