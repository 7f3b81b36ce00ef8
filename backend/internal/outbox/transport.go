package outbox

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/google/uuid"
	gomail "github.com/wneessen/go-mail"
)

// Error classes recorded as a message's last error and counted in the
// job's output. They name what failed, never with the relay's text (which
// may quote the recipient).
const (
	ClassConnect         = "connect"          // the relay or gateway is unreachable
	ClassTLS             = "tls"              // no TLS ≥ 1.2, or the certificate is not trusted
	ClassAuth            = "auth"             // the relay refused our credentials
	ClassTemporary       = "temporary"        // the relay answered 4xx
	ClassRejected        = "rejected"         // the relay refused the recipient for good (5xx)
	ClassRelay           = "relay"            // any other relay failure
	ClassGateway         = "gateway"          // the SMS gateway failed or was unreachable
	ClassGatewayRejected = "gateway_rejected" // the SMS gateway refused the message (4xx)
	ClassNoTransport     = "no_transport"     // no relay or gateway is configured for the kind
	ClassTemplate        = "template"         // the message cannot be rendered
	ClassDecrypt         = "decrypt"          // the stored message cannot be decrypted
	ClassFile            = "file"             // the mail directory could not be written
)

// DeliveryError is a failed attempt: its class, whether retrying can help,
// and the cause (for the caller only; it is not stored or logged).
type DeliveryError struct {
	Class     string
	Permanent bool
	Err       error
}

func (e *DeliveryError) Error() string { return "outbox: " + e.Class + ": " + e.Err.Error() }

// Unwrap returns the cause.
func (e *DeliveryError) Unwrap() error { return e.Err }

// Mailer hands rendered mails to a relay or a sink.
type Mailer interface {
	// Open starts a session that sends a run's mails (one SMTP connection).
	Open(ctx context.Context) (MailSession, error)
}

// MailSession sends mails one after the other.
type MailSession interface {
	Send(ctx context.Context, m *gomail.Msg) error
	Close() error
}

// SMTP is the relay: STARTTLS (mandatory, the default) or implicit TLS,
// at least TLS 1.2, optionally with authentication.
type SMTP struct {
	Host string
	Port int
	// ImplicitTLS connects with TLS from the first byte (port 465) instead
	// of STARTTLS.
	ImplicitTLS bool
	// Username and Password, when set, authenticate (PLAIN/LOGIN or
	// SCRAM, whichever the relay offers, over TLS only).
	Username, Password string
	// RootCAs verify the relay's certificate; the system pool when nil.
	RootCAs *x509.CertPool
	// Timeout bounds every step of the conversation; 20 s when zero (the
	// delivery lease allows for about ten steps at this bound).
	Timeout time.Duration
	// HELO is the name we greet with; the host name when empty.
	HELO string
}

// Open connects, says EHLO, upgrades to TLS and authenticates.
func (s *SMTP) Open(ctx context.Context) (MailSession, error) {
	timeout := s.Timeout
	if timeout == 0 {
		timeout = 20 * time.Second
	}
	tc := &tls.Config{MinVersion: tls.VersionTLS12, ServerName: s.Host, RootCAs: s.RootCAs}
	opts := []gomail.Option{gomail.WithPort(s.Port), gomail.WithTimeout(timeout), gomail.WithTLSConfig(tc),
		gomail.WithTLSPortPolicy(gomail.TLSMandatory),
		// A NOOP before every mail costs a round trip each; a dead
		// connection shows at MAIL FROM instead, and the run dials again.
		gomail.WithoutNoop()}
	if s.ImplicitTLS {
		opts = append(opts, gomail.WithSSL())
	}
	if s.HELO != "" {
		opts = append(opts, gomail.WithHELO(s.HELO))
	}
	if s.Username != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover), gomail.WithUsername(s.Username),
			gomail.WithPassword(s.Password))
	}
	c, err := gomail.NewClient(s.Host, opts...)
	if err != nil {
		return nil, &DeliveryError{Class: ClassRelay, Err: err}
	}
	// WithPort after WithTLSPortPolicy would be overridden: set it last.
	if err := gomail.WithPort(s.Port)(c); err != nil {
		return nil, &DeliveryError{Class: ClassRelay, Err: err}
	}
	if err := c.DialWithContext(ctx); err != nil {
		return nil, classifyDial(err)
	}
	return &smtpSession{c: c}, nil
}

type smtpSession struct{ c *gomail.Client }

func (s *smtpSession) Send(_ context.Context, m *gomail.Msg) error {
	err := s.c.Send(m)
	if err == nil {
		return nil
	}
	var se *gomail.SendError
	if errors.As(err, &se) {
		switch {
		case se.Reason == gomail.ErrConnCheck:
			return &DeliveryError{Class: ClassConnect, Err: err}
		case se.IsTemp():
			return &DeliveryError{Class: ClassTemporary, Err: err}
		case se.Reason == gomail.ErrSMTPRcptTo:
			return &DeliveryError{Class: ClassRejected, Permanent: true, Err: err}
		}
	}
	return &DeliveryError{Class: ClassRelay, Err: err}
}

func (s *smtpSession) Close() error { return s.c.Close() }

// classifyDial names why a connection could not be established.
func classifyDial(err error) error {
	var (
		verr *tls.CertificateVerificationError
		rerr tls.RecordHeaderError
		aerr tls.AlertError
		uerr x509.UnknownAuthorityError
		herr x509.HostnameError
	)
	// The peer's TLS alert (no common version, say) comes as a net.OpError
	// "remote error".
	var oerr *net.OpError
	remoteAlert := errors.As(err, &oerr) && oerr.Op == "remote error"
	switch {
	case remoteAlert, errors.As(err, &verr), errors.As(err, &rerr), errors.As(err, &aerr), errors.As(err, &uerr), errors.As(err, &herr):
		return &DeliveryError{Class: ClassTLS, Err: err}
	case errors.Is(err, gomail.ErrSMTPAuthMethodIsNil) || errors.Is(err, gomail.ErrNoSupportedAuthDiscovered) || isAuthReply(err):
		return &DeliveryError{Class: ClassAuth, Err: err}
	}
	var nerr net.Error
	if errors.As(err, &nerr) || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, io.EOF) {
		return &DeliveryError{Class: ClassConnect, Err: err}
	}
	return &DeliveryError{Class: ClassRelay, Err: err}
}

// isAuthReply reports an SMTP 535/534/530 reply (authentication refused).
func isAuthReply(err error) bool {
	type coded interface{ ErrorCode() int }
	var c coded
	if errors.As(err, &c) {
		switch c.ErrorCode() {
		case 530, 534, 535:
			return true
		}
	}
	return false
}

// FileSink writes each mail as <id>.eml into Dir (development without a
// relay). The files hold personal data in clear: never use it in
// production.
type FileSink struct {
	Dir string
}

// Open implements Mailer.
func (f *FileSink) Open(context.Context) (MailSession, error) {
	if err := os.MkdirAll(f.Dir, 0o700); err != nil {
		return nil, &DeliveryError{Class: ClassFile, Err: err}
	}
	return f, nil
}

// Send writes m atomically, named by its id, so a mail sent again (after a
// crash) replaces its file instead of adding one.
func (f *FileSink) Send(_ context.Context, m *gomail.Msg) error {
	ids := m.GetGenHeader(gomail.HeaderMessageID)
	if len(ids) == 0 {
		return &DeliveryError{Class: ClassFile, Permanent: true, Err: errors.New("mail without Message-ID")}
	}
	id, err := uuid.Parse(messageIDValue(ids[0]))
	if err != nil {
		return &DeliveryError{Class: ClassFile, Permanent: true, Err: err}
	}
	var b bytes.Buffer
	if _, err := m.WriteTo(&b); err != nil {
		return &DeliveryError{Class: ClassFile, Err: err}
	}
	name := filepath.Join(f.Dir, id.String()+".eml")
	tmp := name + ".tmp"
	if err := os.WriteFile(tmp, b.Bytes(), 0o600); err != nil {
		return &DeliveryError{Class: ClassFile, Err: err}
	}
	if err := os.Rename(tmp, name); err != nil {
		return &DeliveryError{Class: ClassFile, Err: err}
	}
	return nil
}

// Close implements MailSession.
func (f *FileSink) Close() error { return nil }

// SMSGateway sends text messages.
type SMSGateway interface {
	// SendSMS delivers text to the phone number to; id is the message's
	// idempotency key (a gateway that honours it drops a repeated send).
	SendSMS(ctx context.Context, id uuid.UUID, to, text string) error
}

// HTTPGateway posts each SMS as JSON to URL:
//
//	POST URL
//	Authorization: Bearer <Token>
//	Idempotency-Key: <id>
//	{"id": "<id>", "to": "+49…", "text": "…"}
//
// Any 2xx answer is success; 408, 429 and 5xx are retried; other 4xx are
// final. Most commercial gateways take this shape behind a small adapter.
type HTTPGateway struct {
	URL   string
	Token string
	// Client is the HTTP client; one with a 30 s timeout and TLS ≥ 1.2
	// when nil.
	Client *http.Client
}

var defaultGatewayClient = &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
	TLSClientConfig: &tls.Config{MinVersion: tls.VersionTLS12}, Proxy: http.ProxyFromEnvironment}}

// SendSMS implements SMSGateway.
func (g *HTTPGateway) SendSMS(ctx context.Context, id uuid.UUID, to, text string) error {
	body, err := json.Marshal(map[string]string{"id": id.String(), "to": to, "text": text})
	if err != nil {
		return &DeliveryError{Class: ClassGateway, Permanent: true, Err: err}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, g.URL, bytes.NewReader(body))
	if err != nil {
		return &DeliveryError{Class: ClassGateway, Permanent: true, Err: err}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", id.String())
	if g.Token != "" {
		req.Header.Set("Authorization", "Bearer "+g.Token)
	}
	c := g.Client
	if c == nil {
		c = defaultGatewayClient
	}
	resp, err := c.Do(req)
	if err != nil {
		return &DeliveryError{Class: ClassGateway, Err: err}
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	switch {
	case resp.StatusCode >= 200 && resp.StatusCode < 300:
		return nil
	case resp.StatusCode == http.StatusRequestTimeout || resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
		return &DeliveryError{Class: ClassGateway, Err: fmt.Errorf("gateway answered %d", resp.StatusCode)}
	default:
		return &DeliveryError{Class: ClassGatewayRejected, Permanent: true, Err: fmt.Errorf("gateway answered %d", resp.StatusCode)}
	}
}
