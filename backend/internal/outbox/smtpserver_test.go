package outbox_test

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
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/zeugo/zeugo/backend/internal/devtls"
	"github.com/zeugo/zeugo/backend/internal/outbox"
)

// mailServer is a real SMTP server in the test process (go-smtp) that
// offers STARTTLS with a test certificate and keeps what it receives.
type mailServer struct {
	t     testing.TB
	addr  string
	roots *x509.CertPool
	tls   *tls.Config

	mu sync.Mutex
	// mails are the received messages, in order.
	mails []received
	// rejectRcpt answers 550 to RCPT TO of this address.
	rejectRcpt string
	srv        *smtp.Server
	l          net.Listener
}

// received is one mail as the server got it.
type received struct {
	From, To string
	Data     []byte
	// TLS is the negotiated TLS version (0: plain text).
	TLS uint16
}

func newMailServer(t testing.TB) *mailServer {
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
	s := &mailServer{t: t, roots: roots, tls: &tls.Config{Certificates: []tls.Certificate{pair}, MinVersion: tls.VersionTLS12}}
	s.start()
	t.Cleanup(s.stop)
	return s
}

// start listens (again on the same address after stop).
func (s *mailServer) start() {
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

// stop shuts the server down: connections are refused until start.
func (s *mailServer) stop() {
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

// Mailer is the outbox's SMTP relay setting for this server (STARTTLS,
// trusting the test certificate only).
func (s *mailServer) Mailer() *outbox.SMTP {
	_, port, _ := net.SplitHostPort(s.addr)
	p := 0
	for _, c := range port {
		p = p*10 + int(c-'0')
	}
	return &outbox.SMTP{Host: "127.0.0.1", Port: p, RootCAs: s.roots, Timeout: 5 * time.Second}
}

// Mails returns a copy of the received mails.
func (s *mailServer) Mails() []received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]received(nil), s.mails...)
}

// NewSession implements smtp.Backend.
func (s *mailServer) NewSession(c *smtp.Conn) (smtp.Session, error) {
	return &session{s: s, c: c}, nil
}

type session struct {
	s        *mailServer
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
	x.s.mails = append(x.s.mails, received{From: x.from, To: x.to, Data: b, TLS: v})
	x.s.mu.Unlock()
	return nil
}

// parsedMail is a received mail taken apart with net/mail and
// mime/multipart.
type parsedMail struct {
	Header      mail.Header
	Plain, HTML string
}

func parseMail(t testing.TB, raw []byte) parsedMail {
	t.Helper()
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("read message: %v", err)
	}
	mt, params, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/alternative" {
		t.Fatalf("content type %q (%v), want multipart/alternative", m.Header.Get("Content-Type"), err)
	}
	p := parsedMail{Header: m.Header}
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

// decodedHeader decodes an RFC 2047 header value.
func decodedHeader(t testing.TB, h mail.Header, name string) string {
	t.Helper()
	v, err := new(mime.WordDecoder).DecodeHeader(h.Get(name))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return v
}
