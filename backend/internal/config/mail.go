package config

import (
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/url"
	"os"
	"strconv"
	"strings"
)

// Mail is the outbox's delivery configuration (SPEC §7).
type Mail struct {
	// SMTPRelay is the relay as host:port. Empty: no relay — development
	// writes each mail as an .eml file under DataDir/mail, production keeps
	// mails pending (encrypted) until a relay is configured.
	SMTPRelay string
	// SMTPHost and SMTPPort are SMTPRelay split.
	SMTPHost string
	SMTPPort int
	// SMTPImplicitTLS speaks TLS from the first byte (port 465) instead of
	// upgrading with STARTTLS; either way TLS ≥ 1.2 is required.
	SMTPImplicitTLS bool
	// SMTPUsername and SMTPPassword authenticate at the relay (both or
	// neither).
	SMTPUsername, SMTPPassword string
	// SMTPCAFile holds PEM certificates that verify the relay (a private
	// CA); the system roots otherwise.
	SMTPCAFile string
	// From is the sender address of every mail; the display name is the
	// tenant's.
	From string
	// SMSGatewayURL receives each SMS as an HTTP JSON POST; empty: SMS stay
	// pending.
	SMSGatewayURL string
	// SMSGatewayToken is sent as the bearer token to the gateway.
	SMSGatewayToken string
}

// DevMailFrom is the sender address in development when ZEUGO_MAIL_FROM is
// not set.
const DevMailFrom = "zeugo@localhost"

// parseMail reads the ZEUGO_SMTP_*, ZEUGO_MAIL_FROM and ZEUGO_SMS_* variables.
func parseMail(getenv Getenv, env Environment) (Mail, error) {
	var m Mail
	m.SMTPRelay = strings.TrimSpace(getenv("ZEUGO_SMTP_RELAY"))
	if m.SMTPRelay != "" {
		host, port, err := net.SplitHostPort(m.SMTPRelay)
		p, perr := strconv.Atoi(port)
		if err != nil || host == "" || perr != nil || p < 1 || p > 65535 {
			return m, &Error{"ZEUGO_SMTP_RELAY", fmt.Sprintf("must be host:port (e.g. smtp.example.com:587), got %q", m.SMTPRelay)}
		}
		m.SMTPHost, m.SMTPPort = host, p
		m.SMTPImplicitTLS = p == 465
	}
	switch v := getenv("ZEUGO_SMTP_TLS"); v {
	case "":
	case "starttls":
		m.SMTPImplicitTLS = false
	case "tls":
		m.SMTPImplicitTLS = true
	default:
		return m, &Error{"ZEUGO_SMTP_TLS", fmt.Sprintf("must be starttls or tls, got %q", v)}
	}
	m.SMTPUsername, m.SMTPPassword = getenv("ZEUGO_SMTP_USERNAME"), getenv("ZEUGO_SMTP_PASSWORD")
	if (m.SMTPUsername == "") != (m.SMTPPassword == "") {
		v := "ZEUGO_SMTP_PASSWORD"
		if m.SMTPUsername == "" {
			v = "ZEUGO_SMTP_USERNAME"
		}
		return m, &Error{v, "is not set (set ZEUGO_SMTP_USERNAME and ZEUGO_SMTP_PASSWORD together)"}
	}
	if m.SMTPCAFile = getenv("ZEUGO_SMTP_CA_FILE"); m.SMTPCAFile != "" {
		if _, err := os.Stat(m.SMTPCAFile); err != nil {
			return m, &Error{"ZEUGO_SMTP_CA_FILE", fmt.Sprintf("cannot read %q: %v", m.SMTPCAFile, errors.Unwrap(err))}
		}
	}
	m.From = strings.TrimSpace(getenv("ZEUGO_MAIL_FROM"))
	switch {
	case m.From != "":
		a, err := mail.ParseAddress(m.From)
		if err != nil || a.Name != "" || a.Address != m.From {
			return m, &Error{"ZEUGO_MAIL_FROM", fmt.Sprintf("must be a bare address such as zeugo@example.com, got %q", m.From)}
		}
	case m.SMTPRelay != "":
		return m, &Error{"ZEUGO_MAIL_FROM", "is not set (the sender address of all mails; required with ZEUGO_SMTP_RELAY)"}
	default:
		m.From = DevMailFrom
	}
	if m.SMSGatewayURL = strings.TrimSpace(getenv("ZEUGO_SMS_GATEWAY_URL")); m.SMSGatewayURL != "" {
		u, err := url.Parse(m.SMSGatewayURL)
		loopback := u != nil && (u.Hostname() == "localhost" || net.ParseIP(u.Hostname()).IsLoopback())
		if err != nil || u.Host == "" || !(u.Scheme == "https" || u.Scheme == "http" && loopback && env == Development) {
			return m, &Error{"ZEUGO_SMS_GATEWAY_URL", fmt.Sprintf("must be an https URL (http only to localhost in development), got %q", m.SMSGatewayURL)}
		}
	}
	m.SMSGatewayToken = getenv("ZEUGO_SMS_GATEWAY_TOKEN")
	return m, nil
}
