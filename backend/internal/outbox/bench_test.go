package outbox_test

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/rs/zerolog"
	gomail "github.com/wneessen/go-mail"

	"github.com/zeugo/zeugo/backend/internal/outbox"
	"github.com/zeugo/zeugo/backend/internal/uow"
)

// BenchmarkOutboxDelivery compares mails per second delivered through the
// outbox (claim with lease, decrypt, render both parts, send, record the
// outcome — the delivery job's whole path) to the in-process SMTP server
// with go-mail sending the same rendered messages directly: "ratio" against
// all of them over one STARTTLS connection (go-mail's best case), and
// "ratio_per_conn" against one connection per mail (what a request
// handler sending its own mail without an outbox does). Issue 13 asks for
// a ratio of at least 0.8.
//
//	go test -run '^$' -bench BenchmarkOutboxDelivery -benchtime 20x ./internal/outbox/
func BenchmarkOutboxDelivery(b *testing.B) {
	const perRun = 100
	f := newFixture(b, func(d *outbox.Deps) { d.Log = zerolog.New(io.Discard).Level(zerolog.InfoLevel) })
	ctx := context.Background()
	smtpCfg := f.mail.Mailer()
	direct := func(msgs []*gomail.Msg) error {
		c, err := gomail.NewClient(smtpCfg.Host, gomail.WithPort(smtpCfg.Port), gomail.WithTimeout(smtpCfg.Timeout),
			gomail.WithTLSPortPolicy(gomail.TLSMandatory), gomail.WithTLSConfig(&tls.Config{MinVersion: tls.VersionTLS12,
				ServerName: smtpCfg.Host, RootCAs: smtpCfg.RootCAs}))
		if err != nil {
			return err
		}
		if err := gomail.WithPort(smtpCfg.Port)(c); err != nil {
			return err
		}
		return c.DialAndSendWithContext(ctx, msgs...)
	}
	var viaOutbox, viaDirect, viaPerConn time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		f.mail.Clear()
		// The same messages for both: an invitation each, rendered for
		// the direct send as the outbox renders it.
		msgs := make([]*gomail.Msg, perRun)
		err := f.env.App.Work.Write(f.ctx(), func(tx *uow.Tx) error {
			for j := range perRun {
				m := invitation("de")
				m.Data["Name"] = fmt.Sprintf("Person %d", j)
				if _, err := f.ob.Enqueue(f.ctx(), tx, tx.P.TenantID, m); err != nil {
					return err
				}
				r, err := outbox.Defaults().Render(outbox.Email, m.Template, m.Language, map[string]string{"Sender": "Lese GmbH",
					"Name": m.Data["Name"], "Link": m.Data["Link"], "ExpiresAt": m.Data["ExpiresAt"]})
				if err != nil {
					return err
				}
				g := gomail.NewMsg()
				if err := g.FromFormat("Lese GmbH", senderAddr); err != nil {
					return err
				}
				if err := g.To(recipient); err != nil {
					return err
				}
				g.Subject(r.Subject)
				g.SetMessageID()
				g.SetDate()
				g.SetBodyString(gomail.TypeTextPlain, r.Plain)
				g.AddAlternativeString(gomail.TypeTextHTML, r.HTML)
				msgs[j] = g
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()

		t0 := time.Now()
		res, err := f.ob.Deliver(ctx)
		viaOutbox += time.Since(t0)
		if err != nil || res.Sent != perRun {
			b.Fatalf("outbox: %+v, %v", res, err)
		}
		t0 = time.Now()
		if err := direct(msgs); err != nil {
			b.Fatal(err)
		}
		viaDirect += time.Since(t0)
		t0 = time.Now()
		for _, m := range msgs {
			if err := direct([]*gomail.Msg{m}); err != nil {
				b.Fatal(err)
			}
		}
		viaPerConn += time.Since(t0)
		if n := len(f.mail.Mails()); n != 3*perRun {
			b.Fatalf("server received %d mails", n)
		}
	}
	b.StopTimer()
	outboxRate := float64(b.N*perRun) / viaOutbox.Seconds()
	directRate := float64(b.N*perRun) / viaDirect.Seconds()
	b.ReportMetric(outboxRate, "outbox_mails/s")
	b.ReportMetric(directRate, "direct_mails/s")
	perConnRate := float64(b.N*perRun) / viaPerConn.Seconds()
	b.ReportMetric(perConnRate, "direct_per_conn_mails/s")
	b.ReportMetric(outboxRate/directRate, "ratio")
	b.ReportMetric(outboxRate/perConnRate, "ratio_per_conn")
}
