package config_test

import (
	"errors"
	"path/filepath"
	"testing"

	"github.com/zeugo/zeugo/backend/internal/config"
)

// TestMailConfiguration: the relay, sender and SMS gateway settings are
// read for serve; without a relay nothing is required; every mistake names
// its variable.
func TestMailConfiguration(t *testing.T) {
	t.Parallel()
	m := production(t)
	c, err := config.Load(env(m), true)
	if err != nil {
		t.Fatal(err)
	}
	if c.Mail.SMTPRelay != "" || c.Mail.From != config.DevMailFrom || c.Mail.SMSGatewayURL != "" {
		t.Fatalf("defaults without relay: %+v", c.Mail)
	}

	m["ZEUGO_SMTP_RELAY"] = "smtp.example.com:587"
	m["ZEUGO_MAIL_FROM"] = "zeugnisse@example.com"
	m["ZEUGO_SMTP_USERNAME"] = "zeugo"
	m["ZEUGO_SMTP_PASSWORD"] = "relay-geheim"
	m["ZEUGO_SMS_GATEWAY_URL"] = "https://sms.example.com/v1/send"
	m["ZEUGO_SMS_GATEWAY_TOKEN"] = "gateway-token"
	if c, err = config.Load(env(m), true); err != nil {
		t.Fatal(err)
	}
	want := config.Mail{SMTPRelay: "smtp.example.com:587", SMTPHost: "smtp.example.com", SMTPPort: 587,
		SMTPUsername: "zeugo", SMTPPassword: "relay-geheim", From: "zeugnisse@example.com",
		SMSGatewayURL: "https://sms.example.com/v1/send", SMSGatewayToken: "gateway-token"}
	if c.Mail != want {
		t.Fatalf("mail: %+v\nwant %+v", c.Mail, want)
	}
	m["ZEUGO_SMTP_RELAY"] = "smtp.example.com:465"
	if c, err = config.Load(env(m), true); err != nil || !c.Mail.SMTPImplicitTLS {
		t.Fatalf("port 465 means implicit TLS: %+v, %v", c.Mail, err)
	}
	m["ZEUGO_SMTP_TLS"] = "starttls"
	if c, err = config.Load(env(m), true); err != nil || c.Mail.SMTPImplicitTLS {
		t.Fatalf("ZEUGO_SMTP_TLS=starttls wins: %+v, %v", c.Mail, err)
	}
	// Operator commands do not read the mail settings at all.
	m["ZEUGO_SMTP_RELAY"] = "no port"
	if _, err := config.Load(env(m), false); err != nil {
		t.Fatalf("operator command with a bad relay setting: %v", err)
	}
}

func TestMailConfigurationRejectsMistakes(t *testing.T) {
	t.Parallel()
	missing := filepath.Join(t.TempDir(), "ca.pem")
	cases := []struct {
		name    string
		change  map[string]string
		wantVar string
	}{
		{"relay without port", map[string]string{"ZEUGO_SMTP_RELAY": "smtp.example.com", "ZEUGO_MAIL_FROM": "a@example.com"}, "ZEUGO_SMTP_RELAY"},
		{"relay port out of range", map[string]string{"ZEUGO_SMTP_RELAY": "smtp.example.com:70000", "ZEUGO_MAIL_FROM": "a@example.com"}, "ZEUGO_SMTP_RELAY"},
		{"relay without sender", map[string]string{"ZEUGO_SMTP_RELAY": "smtp.example.com:587"}, "ZEUGO_MAIL_FROM"},
		{"sender with display name", map[string]string{"ZEUGO_MAIL_FROM": "Zeugo <a@example.com>"}, "ZEUGO_MAIL_FROM"},
		{"sender not an address", map[string]string{"ZEUGO_MAIL_FROM": "zeugo"}, "ZEUGO_MAIL_FROM"},
		{"tls mode", map[string]string{"ZEUGO_SMTP_TLS": "none"}, "ZEUGO_SMTP_TLS"},
		{"username without password", map[string]string{"ZEUGO_SMTP_USERNAME": "zeugo"}, "ZEUGO_SMTP_PASSWORD"},
		{"password without username", map[string]string{"ZEUGO_SMTP_PASSWORD": "pw"}, "ZEUGO_SMTP_USERNAME"},
		{"ca file missing", map[string]string{"ZEUGO_SMTP_CA_FILE": missing}, "ZEUGO_SMTP_CA_FILE"},
		{"gateway over http", map[string]string{"ZEUGO_SMS_GATEWAY_URL": "http://sms.example.com/send"}, "ZEUGO_SMS_GATEWAY_URL"},
		{"gateway over http to localhost in production", map[string]string{"ZEUGO_SMS_GATEWAY_URL": "http://127.0.0.1:9000/send"}, "ZEUGO_SMS_GATEWAY_URL"},
		{"gateway not a url", map[string]string{"ZEUGO_SMS_GATEWAY_URL": "sms.example.com"}, "ZEUGO_SMS_GATEWAY_URL"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m := production(t)
			for k, v := range tc.change {
				m[k] = v
			}
			_, err := config.Load(env(m), true)
			var ce *config.Error
			if !errors.As(err, &ce) || ce.Var != tc.wantVar {
				t.Fatalf("got %v, want an error naming %s", err, tc.wantVar)
			}
		})
	}
	// Development may reach a gateway on the own machine over http.
	m := map[string]string{"ZEUGO_ENV": "development", "ZEUGO_DATA_DIR": t.TempDir(), "ZEUGO_SMS_GATEWAY_URL": "http://localhost:9000/send"}
	if _, err := config.Load(env(m), true); err != nil {
		t.Fatalf("development gateway on localhost: %v", err)
	}
}
