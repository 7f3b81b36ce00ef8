package outbox_test

import (
	"mime"
	"net/mail"
	"testing"

	"github.com/zeugo/zeugo/backend/internal/smtptest"
)

// The outbox's tests deliver to a real SMTP server in the test process
// (package smtptest): STARTTLS with a test certificate, stoppable, able to
// refuse a recipient.
type (
	mailServer = smtptest.Server
	parsedMail = smtptest.Parsed
)

func newMailServer(t testing.TB) *mailServer { return smtptest.New(t) }

func parseMail(t testing.TB, raw []byte) parsedMail { return smtptest.Parse(t, raw) }

// decodedHeader decodes an RFC 2047 header value.
func decodedHeader(t testing.TB, h mail.Header, name string) string {
	t.Helper()
	v, err := new(mime.WordDecoder).DecodeHeader(h.Get(name))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return v
}
