// Package smtptest is a real SMTP server for tests, in the test's own
// process (github.com/emersion/go-smtp): it offers STARTTLS with a
// certificate made for the test, keeps every mail it receives with its
// envelope and the TLS version it travelled with, can be stopped and
// started again on the same address (a relay outage), and can refuse a
// recipient (a 550). Tests of the outbox and of every feature that sends
// mail (invitations, resets, lock notices) read their mails here and
// follow the links in them. Only test code imports this package.
package smtptest

import (
	"bytes"
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

	"github.com/zeugo/zeugo/backend/internal/devtls"
	"github.com/zeugo/zeugo/backend/internal/outbox"
)

// Mail is one received mail as the server got it.
type Mail struct {
	// From and To are the envelope (MAIL FROM, RCPT TO).
	From, To string
	// Data is the message as sent.
	Data []byte
	// TLS is the negotiated TLS version (0: plain text).
	TLS uint16
}

// Server is the running server.
type Server struct {
	t     testing.TB
	addr  string
	roots *x509.CertPool
	tls   *tls.Config

	mu         sync.Mutex
	mails      []Mail
	rejectRcpt string
	srv        *smtp.Server
	l          net.Listener
}

// New starts a server on a free port of 127.0.0.1; it stops with the test.
func New(t testing.TB) *Server {
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
	roots := x509.NewCertPool()
	block, _ := pem.Decode(certPEM)
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	roots.AddCert(cert)
	s := &Server{t: t, roots: roots, tls: &tls.Config{Certificates: []tls.Certificate{pair}, MinVersion: tls.VersionTLS12}}
	s.Start()
	t.Cleanup(s.Stop)
	return s
}

// Addr is the server's host:port.
func (s *Server) Addr() string { return s.addr }

// Roots trusts the server's certificate (and nothing else).
func (s *Server) Roots() *x509.CertPool { return s.roots }

// Start listens (again on the same address after Stop).
func (s *Server) Start() {
	s.t.Helper()
	addr := s.addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	l, err := net.Listen("tcp", addr)
	if err != nil {
		s.t.Fatal(err)
	}
	s.addr = l.Addr().String()
	srv := smtp.NewServer(s)
	srv.Domain = "localhost"
	srv.TLSConfig = s.tls
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	s.mu.Lock()
	s.srv, s.l = srv, l
	s.mu.Unlock()
	go func() { _ = srv.Serve(l) }()
}

// Stop shuts the server down: connections are refused until Start.
func (s *Server) Stop() {
	s.mu.Lock()
	srv, l := s.srv, s.l
	s.srv, s.l = nil, nil
	s.mu.Unlock()
	if srv != nil {
		// Closing the listener ourselves also covers a Serve that has not
		// registered it yet.
		_ = l.Close()
		_ = srv.Close()
	}
}

// TLSConfig is the server's TLS configuration (nil: no STARTTLS).
func (s *Server) TLSConfig() *tls.Config { return s.tls }

// SetTLSConfig replaces the TLS configuration from the next Start on (nil:
// the server offers no STARTTLS — a relay that would take mail in clear).
func (s *Server) SetTLSConfig(c *tls.Config) { s.tls = c }

// RejectRcpt makes the server answer 550 to RCPT TO of addr ("" accepts
// every recipient again).
func (s *Server) RejectRcpt(addr string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rejectRcpt = addr
}

// Mailer is the outbox's relay setting for this server (STARTTLS, trusting
// the test certificate only).
func (s *Server) Mailer() *outbox.SMTP {
	_, port, _ := net.SplitHostPort(s.addr)
	p, _ := strconv.Atoi(port)
	return &outbox.SMTP{Host: "127.0.0.1", Port: p, RootCAs: s.roots, Timeout: 5 * time.Second}
}

// Mails returns a copy of the received mails, in order.
func (s *Server) Mails() []Mail {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Mail(nil), s.mails...)
}

// Clear forgets the received mails.
func (s *Server) Clear() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mails = nil
}

// NewSession implements smtp.Backend.
func (s *Server) NewSession(c *smtp.Conn) (smtp.Session, error) {
	return &session{s: s, c: c}, nil
}

type session struct {
	s        *Server
	c        *smtp.Conn
	from, to string
}

func (x *session) Reset()        { x.from, x.to = "", "" }
func (x *session) Logout() error { return nil }
func (x *session) Mail(from string, _ *smtp.MailOptions) error {
	x.from = from
	return nil
}

func (x *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	x.s.mu.Lock()
	reject := x.s.rejectRcpt
	x.s.mu.Unlock()
	if reject != "" && strings.EqualFold(to, reject) {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such user"}
	}
	x.to = to
	return nil
}

func (x *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	var v uint16
	if st, ok := x.c.TLSConnectionState(); ok {
		v = st.Version
	}
	x.s.mu.Lock()
	x.s.mails = append(x.s.mails, Mail{From: x.from, To: x.to, Data: b, TLS: v})
	x.s.mu.Unlock()
	return nil
}

// Parsed is a received mail taken apart with net/mail and mime/multipart.
type Parsed struct {
	Header mail.Header
	// Subject is the decoded subject (RFC 2047).
	Subject     string
	Plain, HTML string
}

// Parse takes a Zeugo mail apart: a multipart/alternative message with a
// plain-text and an HTML part (quoted-printable decoded).
func Parse(t testing.TB, raw []byte) Parsed {
	t.Helper()
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("read message: %v", err)
	}
	mt, params, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/alternative" {
		t.Fatalf("content type %q (%v), want multipart/alternative", m.Header.Get("Content-Type"), err)
	}
	p := Parsed{Header: m.Header}
	if p.Subject, err = new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject")); err != nil {
		t.Fatalf("subject: %v", err)
	}
	mr := multipart.NewReader(m.Body, params["boundary"])
	for {
		part, err := mr.NextPart() // decodes quoted-printable
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(part)
		if err != nil {
			t.Fatal(err)
		}
		ct, _, _ := mime.ParseMediaType(part.Header.Get("Content-Type"))
		switch ct {
		case "text/plain":
			p.Plain = string(body)
		case "text/html":
			p.HTML = string(body)
		default:
			t.Fatalf("unexpected part %q", ct)
		}
	}
	if p.Plain == "" || p.HTML == "" {
		t.Fatalf("want both parts, got plain %d bytes, html %d bytes", len(p.Plain), len(p.HTML))
	}
	return p
}
