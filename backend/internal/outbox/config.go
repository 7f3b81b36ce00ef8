package outbox

import (
	"crypto/x509"
	"fmt"
	"os"
	"path/filepath"

	"github.com/zeugo/zeugo/backend/internal/config"
)

// Transports builds the mailer and SMS gateway cfg describes: the SMTP
// relay when one is configured; otherwise, in development, the mail
// directory <data dir>/mail, and in production none (mails stay pending,
// encrypted, until a relay is configured). The gateway is nil without
// ZEUGO_SMS_GATEWAY_URL.
func Transports(cfg *config.Config) (Mailer, SMSGateway, error) {
	var mailer Mailer
	m := cfg.Mail
	switch {
	case m.SMTPRelay != "":
		s := &SMTP{Host: m.SMTPHost, Port: m.SMTPPort, ImplicitTLS: m.SMTPImplicitTLS, Username: m.SMTPUsername, Password: m.SMTPPassword}
		if m.SMTPCAFile != "" {
			pem, err := os.ReadFile(m.SMTPCAFile)
			if err != nil {
				return nil, nil, &config.Error{Var: "ZEUGO_SMTP_CA_FILE", Problem: err.Error()}
			}
			s.RootCAs = x509.NewCertPool()
			if !s.RootCAs.AppendCertsFromPEM(pem) {
				return nil, nil, &config.Error{Var: "ZEUGO_SMTP_CA_FILE", Problem: fmt.Sprintf("%q holds no PEM certificate", m.SMTPCAFile)}
			}
		}
		mailer = s
	case cfg.Env == config.Development && cfg.DataDir != "":
		mailer = &FileSink{Dir: filepath.Join(cfg.DataDir, "mail")}
	}
	var sms SMSGateway
	if m.SMSGatewayURL != "" {
		sms = &HTTPGateway{URL: m.SMSGatewayURL, Token: m.SMSGatewayToken}
	}
	return mailer, sms, nil
}
