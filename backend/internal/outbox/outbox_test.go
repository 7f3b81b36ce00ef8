package outbox_test

import (
	"context"
	"crypto/tls"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/rs/zerolog"
	gomail "github.com/wneessen/go-mail"

	"github.com/zeugo/zeugo/backend/internal/access"
	"github.com/zeugo/zeugo/backend/internal/apperr"
	"github.com/zeugo/zeugo/backend/internal/apptest"
	"github.com/zeugo/zeugo/backend/internal/config"
	"github.com/zeugo/zeugo/backend/internal/outbox"
	"github.com/zeugo/zeugo/backend/internal/uow"
)

const (
	senderAddr = "zeugnisse@zeugo.example"
	recipient  = "erika.mustermann@kunde.example"
	inviteLink = "https://zeugo.example/register#geheimes-token-123"
)

// fixture is a server environment with a tenant and an outbox delivering
// to an in-process SMTP server.
type fixture struct {
	t    testing.TB
	env  *apptest.Env
	ten  *apptest.Tenant
	mail *mailServer
	log  *apptest.SyncBuffer
	ob   *outbox.Outbox
	deps outbox.Deps
}

func newFixture(t testing.TB, adjust ...func(*outbox.Deps)) *fixture {
	t.Helper()
	env := apptest.New(t)
	f := &fixture{t: t, env: env, ten: env.CreateTenant("Lese GmbH", "admin@lese.example"), mail: newMailServer(t), log: &apptest.SyncBuffer{}}
	f.deps = outbox.Deps{DB: env.App.DB, Keys: env.App.Keys, Now: env.Clock.Now, Log: zerolog.New(f.log),
		Mailer: f.mail.Mailer(), From: senderAddr, Audit: env.App.Audit}
	for _, a := range adjust {
		a(&f.deps)
	}
	f.ob = outbox.New(f.deps)
	return f
}

// ctx is the tenant administrator's call.
func (f *fixture) ctx() context.Context {
	return access.WithPrincipal(context.Background(), &access.Principal{Kind: access.KindUser, ActorID: f.ten.AdminID,
		UserID: f.ten.AdminID, TenantID: f.ten.TenantID, Areas: []access.Area{access.AreaAdministrator}, Scope: access.Scope{All: true}})
}

// enqueue writes m in a unit of work of the tenant, like a domain's action.
func (f *fixture) enqueue(m outbox.Message) uuid.UUID {
	f.t.Helper()
	var id uuid.UUID
	err := f.env.App.Work.Write(f.ctx(), func(tx *uow.Tx) (err error) {
		id, err = f.ob.Enqueue(f.ctx(), tx, tx.P.TenantID, m)
		return err
	})
	if err != nil {
		f.t.Fatalf("enqueue: %v", err)
	}
	return id
}

func (f *fixture) deliver() outbox.Result {
	f.t.Helper()
	res, err := f.ob.Deliver(context.Background())
	if err != nil {
		f.t.Fatalf("deliver: %v", err)
	}
	return res
}

func (f *fixture) status(id uuid.UUID) outbox.Status {
	f.t.Helper()
	st, err := f.ob.Get(context.Background(), f.ten.TenantID, id)
	if err != nil {
		f.t.Fatalf("status: %v", err)
	}
	return st
}

func invitation(lang string) outbox.Message {
	return outbox.Message{Kind: outbox.Email, To: recipient, Template: "invitation", Language: lang,
		Data: map[string]string{"Name": "Erika Mustermann", "Link": inviteLink, "ExpiresAt": "30.11.2026, 17:00 Uhr"}}
}

// TestInvitationIsDeliveredOverSTARTTLSWithBothParts: a committed
// invitation reaches a real SMTP server over STARTTLS (TLS ≥ 1.2) with a
// plain-text and an HTML part, the tenant's name as sender name, the
// configured sender address, the message id as Message-ID, and a link a
// person can follow; the log names the message by id only.
func TestInvitationIsDeliveredOverSTARTTLSWithBothParts(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	id := f.enqueue(invitation("de"))
	if st := f.status(id); st.State != outbox.Pending || st.Attempts != 0 {
		t.Fatalf("before delivery: %+v", st)
	}
	res := f.deliver()
	if res.Sent != 1 || res.Tenants != 1 {
		t.Fatalf("result %+v", res)
	}
	mails := f.mail.Mails()
	if len(mails) != 1 {
		t.Fatalf("received %d mails", len(mails))
	}
	got := mails[0]
	if got.TLS < 0x0303 { // TLS 1.2
		t.Fatalf("mail travelled with TLS version %#x", got.TLS)
	}
	if got.To != recipient || got.From != senderAddr {
		t.Fatalf("envelope %s -> %s", got.From, got.To)
	}
	p := parseMail(t, got.Data)
	from, err := mail.ParseAddress(decodedHeader(t, p.Header, "From"))
	if err != nil || from.Name != "Lese GmbH" || from.Address != senderAddr {
		t.Fatalf("From %q (%v)", p.Header.Get("From"), err)
	}
	if mid := p.Header.Get("Message-Id"); mid != "<"+id.String()+"@zeugo.example>" {
		t.Fatalf("Message-ID %q, want the message id", mid)
	}
	if subj := decodedHeader(t, p.Header, "Subject"); subj != "Einladung von Lese GmbH zu Zeugo" {
		t.Fatalf("subject %q", subj)
	}
	if p.Header.Get("Auto-Submitted") != "auto-generated" || p.Header.Get("Content-Language") != "de" {
		t.Fatalf("headers %v", p.Header)
	}
	for _, want := range []string{"Guten Tag Erika Mustermann,", "lädt Sie ein", inviteLink, "30.11.2026, 17:00 Uhr", "Mit freundlichen Grüßen\nLese GmbH"} {
		if !strings.Contains(strings.ReplaceAll(p.Plain, "\r\n", "\n"), want) {
			t.Errorf("plain part lacks %q:\n%s", want, p.Plain)
		}
	}
	if !strings.Contains(p.HTML, `href="`+inviteLink+`"`) || !strings.Contains(p.HTML, `<html lang="de">`) {
		t.Errorf("HTML part lacks the link or language:\n%s", p.HTML)
	}
	// Follow the link as a person would: it is the registration page with
	// the secret in the fragment.
	link := ""
	for _, line := range strings.Split(p.Plain, "\n") {
		if l := strings.TrimSpace(line); strings.HasPrefix(l, "https://") {
			link = l
		}
	}
	if link != inviteLink {
		t.Fatalf("followed link %q, want %q", link, inviteLink)
	}

	st := f.status(id)
	if st.State != outbox.Sent || st.SentAt == nil || st.Attempts != 1 || st.LastError != "" {
		t.Fatalf("after delivery: %+v", st)
	}
	if again := f.deliver(); again.Sent != 0 || len(f.mail.Mails()) != 1 {
		t.Fatalf("a sent message was delivered again: %+v", again)
	}
	logText := f.log.String()
	if !strings.Contains(logText, id.String()) && logText != "" {
		t.Errorf("log does not name the message id: %s", logText)
	}
	for _, secret := range []string{recipient, "Erika", inviteLink, "geheimes-token", "Einladung"} {
		if strings.Contains(logText, secret) {
			t.Errorf("log contains personal data %q: %s", secret, logText)
		}
	}

	// The tenant's own sender name, and English.
	if _, err := f.env.DB.Owner.Exec(context.Background(), `UPDATE tenants SET mail_sender_name = 'Personalabteilung Lese' WHERE id = $1`, f.ten.TenantID); err != nil {
		t.Fatal(err)
	}
	f.enqueue(invitation("en"))
	f.deliver()
	p = parseMail(t, f.mail.Mails()[1].Data)
	if from, _ := mail.ParseAddress(decodedHeader(t, p.Header, "From")); from == nil || from.Name != "Personalabteilung Lese" {
		t.Fatalf("From %q, want the tenant's sender name", p.Header.Get("From"))
	}
	if subj := decodedHeader(t, p.Header, "Subject"); subj != "Personalabteilung Lese invites you to Zeugo" || !strings.Contains(p.Plain, "Hello Erika Mustermann,") {
		t.Fatalf("English mail: %q\n%s", subj, p.Plain)
	}
}

// TestMessageExistsExactlyWhenTheActionCommitted: a message enqueued in a
// unit of work that fails is gone with it; enqueueing the same id again
// (the idempotency key) adds nothing.
func TestMessageExistsExactlyWhenTheActionCommitted(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	failed := errors.New("the action failed after enqueueing")
	m := invitation("de")
	m.ID = uuid.Must(uuid.NewV7())
	err := f.env.App.Work.Write(f.ctx(), func(tx *uow.Tx) error {
		if _, err := f.ob.Enqueue(f.ctx(), tx, tx.P.TenantID, m); err != nil {
			return err
		}
		return failed
	})
	if !errors.Is(err, failed) {
		t.Fatalf("write: %v", err)
	}
	if _, err := f.ob.Get(context.Background(), f.ten.TenantID, m.ID); !apperr.Is(err, apperr.NotFound) {
		t.Fatalf("message of a rolled-back action: %v", err)
	}
	if res := f.deliver(); res.Sent != 0 || len(f.mail.Mails()) != 0 {
		t.Fatalf("a rolled-back message was sent: %+v", res)
	}
	f.enqueue(m)
	f.enqueue(m)
	if res := f.deliver(); res.Sent != 1 || len(f.mail.Mails()) != 1 {
		t.Fatalf("same id enqueued twice: %+v, %d mails", res, len(f.mail.Mails()))
	}
}

// TestEnqueueRefusesUndeliverableMessages: mistakes of the calling domain
// fail its action (Internal), before anything is stored.
func TestEnqueueRefusesUndeliverableMessages(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	bad := map[string]outbox.Message{
		"not an address":          {Kind: outbox.Email, To: "erika", Subject: "s", Plain: "p"},
		"address with name":       {Kind: outbox.Email, To: "Erika <e@x.example>", Subject: "s", Plain: "p"},
		"phone not international": {Kind: outbox.SMS, To: "030 1234567", Plain: "p"},
		"unknown kind":            {Kind: "fax", To: recipient, Plain: "p"},
		"unknown template":        {Kind: outbox.Email, To: recipient, Template: "newsletter"},
		"missing template value":  {Kind: outbox.Email, To: recipient, Template: "invitation", Data: map[string]string{"Name": "E"}},
		"no content":              {Kind: outbox.Email, To: recipient},
		"subject with newline":    {Kind: outbox.Email, To: recipient, Subject: "a\r\nBcc: x@y.example", Plain: "p"},
		"template and content":    {Kind: outbox.Email, To: recipient, Template: "invitation", Plain: "p"},
	}
	for name, m := range bad {
		err := f.env.App.Work.Write(f.ctx(), func(tx *uow.Tx) error {
			_, err := f.ob.Enqueue(f.ctx(), tx, tx.P.TenantID, m)
			return err
		})
		if !apperr.Is(err, apperr.Internal) || !errors.Is(err, outbox.ErrInvalidMessage) {
			t.Errorf("%s: %v", name, err)
		}
	}
	var n int
	if err := f.env.DB.Owner.QueryRow(context.Background(), `SELECT count(*) FROM outbox_messages`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("%d messages stored (%v)", n, err)
	}
}

// TestNothingIsLostWhileTheRelayIsDown: with the SMTP server down, a
// committed message stays pending, is retried on the backoff schedule
// (injected clock, no sleeping), and is delivered once the server is back.
func TestNothingIsLostWhileTheRelayIsDown(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.mail.Stop()
	id := f.enqueue(invitation("de"))
	res := f.deliver()
	if res.Retried != 1 || res.Errors[outbox.ClassConnect] != 1 {
		t.Fatalf("relay down: %+v", res)
	}
	st := f.status(id)
	if st.State != outbox.Pending || st.Attempts != 1 || st.LastError != outbox.ClassConnect ||
		!st.NextAttemptAt.Equal(f.env.Clock.Now().Add(time.Minute)) {
		t.Fatalf("after a failed attempt: %+v", st)
	}
	// Not due yet: nothing is attempted.
	if res := f.deliver(); res.Tenants != 0 || res.Retried != 0 {
		t.Fatalf("attempted before its time: %+v", res)
	}
	f.mail.Start()
	f.env.Clock.Advance(59 * time.Second)
	if res := f.deliver(); res.Sent != 0 {
		t.Fatalf("sent before the backoff ended: %+v", res)
	}
	f.env.Clock.Advance(time.Second)
	if res := f.deliver(); res.Sent != 1 {
		t.Fatalf("relay back: %+v", res)
	}
	if st := f.status(id); st.State != outbox.Sent || st.Attempts != 2 {
		t.Fatalf("delivered: %+v", st)
	}
	if n := len(f.mail.Mails()); n != 1 {
		t.Fatalf("received %d mails", n)
	}
}

// TestFailedAfterTheRetryWindowThenOperatorRetry: a relay that stays down
// for longer than the retry window leaves the message failed, visible with
// its error class; each wait follows the exponential schedule; an operator
// retry (recorded in the tenant's audit log) sends it once the relay is
// back. Only failed messages can be retried.
func TestFailedAfterTheRetryWindowThenOperatorRetry(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	pol := f.ob.Policy()
	f.mail.Stop()
	id := f.enqueue(invitation("de"))
	for n := 1; n <= pol.MaxAttempts; n++ {
		res := f.deliver()
		st := f.status(id)
		if st.Attempts != n {
			t.Fatalf("attempt %d: %+v (%+v)", n, st, res)
		}
		if n < pol.MaxAttempts {
			if st.State != outbox.Pending || !st.NextAttemptAt.Equal(f.env.Clock.Now().Add(pol.Delay(n))) {
				t.Fatalf("attempt %d: %+v, want next in %v", n, st, pol.Delay(n))
			}
			f.env.Clock.Advance(pol.Delay(n))
		}
	}
	st := f.status(id)
	if st.State != outbox.Failed || st.LastError != outbox.ClassConnect {
		t.Fatalf("after the window: %+v", st)
	}
	if got := []time.Duration{pol.Delay(1), pol.Delay(2), pol.Delay(3), pol.Delay(7), pol.Delay(9)}; got[0] != time.Minute ||
		got[1] != 2*time.Minute || got[2] != 4*time.Minute || got[3] != time.Hour || got[4] != time.Hour {
		t.Fatalf("schedule %v", got)
	}
	failed, err := f.ob.Failed(context.Background(), f.ten.TenantID, 10)
	if err != nil || len(failed) != 1 || failed[0].ID != id {
		t.Fatalf("failed list %+v, %v", failed, err)
	}
	everywhere, err := outbox.FailedEverywhere(context.Background(), f.env.DB.Owner, 10)
	if err != nil || len(everywhere) != 1 || everywhere[0].TenantID != f.ten.TenantID {
		t.Fatalf("operator's failed list %+v, %v", everywhere, err)
	}
	f.env.Clock.Advance(24 * time.Hour)
	if res := f.deliver(); res.Tenants != 0 {
		t.Fatalf("a failed message was attempted: %+v", res)
	}

	f.mail.Start()
	tenantID, err := outbox.TenantOf(context.Background(), f.env.DB.Owner, id)
	if err != nil || tenantID != f.ten.TenantID {
		t.Fatalf("tenant of message: %v, %v", tenantID, err)
	}
	if _, err := outbox.TenantOf(context.Background(), f.env.DB.App, id); !apperr.Is(err, apperr.NotFound) {
		t.Fatalf("zeugo_app found a message unbound: %v", err)
	}
	if err := f.ob.Retry(context.Background(), f.ten.TenantID, id, outbox.Actor{Type: "operator"}); err != nil {
		t.Fatal(err)
	}
	if st := f.status(id); st.State != outbox.Pending || st.Attempts != 0 {
		t.Fatalf("after retry: %+v", st)
	}
	if res := f.deliver(); res.Sent != 1 || len(f.mail.Mails()) != 1 {
		t.Fatalf("after operator retry: %+v", res)
	}
	if err := f.ob.Retry(context.Background(), f.ten.TenantID, id, outbox.Actor{Type: "operator"}); !apperr.Is(err, apperr.NotFound) {
		t.Fatalf("retry of a sent message: %v", err)
	}
	var events int
	err = pgx.BeginFunc(context.Background(), f.env.DB.Owner, func(tx pgx.Tx) error {
		return tx.QueryRow(context.Background(), `SELECT count(*) FROM audit_events WHERE tenant_id = $1 AND action = $2
			AND target_id = $3 AND actor_type = 'operator'`, f.ten.TenantID, outbox.ActionRetried, id.String()).Scan(&events)
	})
	if err != nil || events != 1 {
		t.Fatalf("audit events of the retry: %d, %v", events, err)
	}
}

// TestRejectedRecipientFailsAtOnce: a permanent 5xx for the recipient ends
// the message at once (no retries against a definite no), with the class
// only — not the relay's text.
func TestRejectedRecipientFailsAtOnce(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.mail.RejectRcpt(recipient)
	id := f.enqueue(invitation("de"))
	ok := outbox.Message{Kind: outbox.Email, To: "max@kunde.example", Subject: "Hallo", Plain: "Text"}
	okID := f.enqueue(ok)
	res := f.deliver()
	if res.Failed != 1 || res.Sent != 1 {
		t.Fatalf("result %+v", res)
	}
	if st := f.status(id); st.State != outbox.Failed || st.LastError != outbox.ClassRejected || st.Attempts != 1 {
		t.Fatalf("rejected: %+v", st)
	}
	if st := f.status(okID); st.State != outbox.Sent {
		t.Fatalf("the next mail on the same connection: %+v", st)
	}
	if strings.Contains(f.log.String(), "no such user") || strings.Contains(f.log.String(), recipient) {
		t.Fatalf("log carries the relay's text or the recipient: %s", f.log.String())
	}
}

// crashingMailer hands each mail to the relay and then "kills" the
// process: the run's context ends before the outcome can be recorded,
// exactly like a kill -9 between the relay's 250 and the UPDATE.
type crashingMailer struct {
	real   outbox.Mailer
	cancel context.CancelFunc
}

func (c *crashingMailer) Open(ctx context.Context) (outbox.MailSession, error) {
	s, err := c.real.Open(ctx)
	if err != nil {
		return nil, err
	}
	return &crashingSession{MailSession: s, cancel: c.cancel}, nil
}

type crashingSession struct {
	outbox.MailSession
	cancel context.CancelFunc
}

func (s *crashingSession) Send(ctx context.Context, m *gomail.Msg) error {
	err := s.MailSession.Send(ctx, m)
	s.cancel()
	return err
}

// TestCrashAfterSendIsResentOnceAfterTheLease: a message whose sender died
// after the relay accepted it is not touched by any other run while its
// lease holds, then is sent exactly once more, with the same Message-ID —
// the documented at-least-once window — and never again.
func TestCrashAfterSendIsResentOnceAfterTheLease(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	id := f.enqueue(invitation("de"))
	ctx, cancel := context.WithCancel(context.Background())
	crashing := f.deps
	crashing.Mailer = &crashingMailer{real: f.mail.Mailer(), cancel: cancel}
	if _, err := outbox.New(crashing).Deliver(ctx); err == nil {
		t.Fatal("the crashed run recorded its outcome")
	}
	if n := len(f.mail.Mails()); n != 1 {
		t.Fatalf("before the crash the relay got %d mails", n)
	}
	if st := f.status(id); st.State != outbox.Pending || st.Attempts != 1 {
		t.Fatalf("after the crash: %+v", st)
	}
	// While the lease holds, other runs (other replicas) leave it alone.
	f.env.Clock.Advance(f.ob.Policy().Lease - time.Second)
	if res := f.deliver(); res.Sent != 0 || len(f.mail.Mails()) != 1 {
		t.Fatalf("sent during the lease: %+v", res)
	}
	f.env.Clock.Advance(time.Second)
	if res := f.deliver(); res.Sent != 1 {
		t.Fatalf("after the lease: %+v", res)
	}
	f.env.Clock.Advance(24 * time.Hour)
	f.deliver()
	mails := f.mail.Mails()
	if len(mails) != 2 {
		t.Fatalf("received %d mails, want the original and exactly one repeat", len(mails))
	}
	first, second := parseMail(t, mails[0].Data), parseMail(t, mails[1].Data)
	want := "<" + id.String() + "@zeugo.example>"
	if first.Header.Get("Message-Id") != want || second.Header.Get("Message-Id") != want {
		t.Fatalf("Message-IDs %q and %q, want both %q", first.Header.Get("Message-Id"), second.Header.Get("Message-Id"), want)
	}
	if st := f.status(id); st.State != outbox.Sent || st.Attempts != 2 {
		t.Fatalf("final: %+v", st)
	}
}

// TestConcurrentRunsSendOnce: several runs at the same moment (replicas)
// deliver every message exactly once.
func TestConcurrentRunsSendOnce(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	for range 20 {
		f.enqueue(outbox.Message{Kind: outbox.Email, To: recipient, Subject: "Hallo", Plain: "Text", HTML: "<p>Text</p>"})
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			if _, err := f.ob.Deliver(context.Background()); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	seen := map[string]int{}
	for _, m := range f.mail.Mails() {
		seen[parseMail(t, m.Data).Header.Get("Message-Id")]++
	}
	if len(seen) != 20 {
		t.Fatalf("%d distinct mails, want 20", len(seen))
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("%s received %d times", id, n)
		}
	}
}

// TestRelayWithoutSTARTTLSGetsNothing: a relay that does not offer
// STARTTLS never receives a mail in clear; the message waits.
func TestRelayWithoutSTARTTLSGetsNothing(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.mail.Stop()
	f.mail.SetTLSConfig(nil)
	f.mail.Start()
	id := f.enqueue(invitation("de"))
	if res := f.deliver(); res.Retried != 1 || len(f.mail.Mails()) != 0 {
		t.Fatalf("plain-text relay: %+v, %d mails", res, len(f.mail.Mails()))
	}
	if st := f.status(id); st.State != outbox.Pending || st.LastError == "" {
		t.Fatalf("%+v", st)
	}
}

// TestUntrustedRelayCertificateIsRefused: a relay whose certificate does
// not verify gets nothing; the class is tls.
func TestUntrustedRelayCertificateIsRefused(t *testing.T) {
	t.Parallel()
	f := newFixture(t, func(d *outbox.Deps) {
		m := d.Mailer.(*outbox.SMTP)
		m.RootCAs = nil // the system roots do not know the test certificate
	})
	id := f.enqueue(invitation("de"))
	if res := f.deliver(); res.Errors[outbox.ClassTLS] != 1 || len(f.mail.Mails()) != 0 {
		t.Fatalf("untrusted relay: %+v", res)
	}
	if st := f.status(id); st.LastError != outbox.ClassTLS {
		t.Fatalf("%+v", st)
	}
}

// TestAnotherTenantsMessagesAreInvisible: row-level security and the
// tenant filter hide a tenant's messages from every other tenant.
func TestAnotherTenantsMessagesAreInvisible(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	id := f.enqueue(invitation("de"))
	other := f.env.CreateTenant("Andere AG", "admin@andere.example")
	if _, err := f.ob.Get(context.Background(), other.TenantID, id); !apperr.Is(err, apperr.NotFound) {
		t.Fatalf("other tenant reads the message: %v", err)
	}
	if err := f.ob.Retry(context.Background(), other.TenantID, id, outbox.Actor{Type: "operator"}); !apperr.Is(err, apperr.NotFound) {
		t.Fatalf("other tenant retries the message: %v", err)
	}
	var n int
	err := f.env.App.DB.TenantTx(context.Background(), other.TenantID, func(tx pgx.Tx) error {
		// No tenant filter at all: row-level security alone must hide it.
		return tx.QueryRow(context.Background(), `SELECT count(*) FROM outbox_messages`).Scan(&n)
	})
	if err != nil || n != 0 {
		t.Fatalf("other tenant sees %d messages (%v)", n, err)
	}
	err = f.env.App.DB.TenantTx(context.Background(), other.TenantID, func(tx pgx.Tx) error {
		_, err := tx.Exec(context.Background(), `INSERT INTO outbox_messages (tenant_id, id, kind, recipient_enc, payload_enc,
			next_attempt_at, created_at, updated_at) VALUES ($1, $2, 'email', '\x00', '\x00', now(), now(), now())`, f.ten.TenantID, uuid.New())
		return err
	})
	if err == nil {
		t.Fatal("a tenant wrote a message into another tenant")
	}
	if st := f.status(id); st.State != outbox.Pending {
		t.Fatalf("%+v", st)
	}
}

// TestNoPlaintextIsStored: the table, dumped as the owner, holds neither
// the recipient nor the content, in text or as bytes; a sent message keeps
// no content at all.
func TestNoPlaintextIsStored(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	id := f.enqueue(invitation("de"))
	f.enqueue(outbox.Message{Kind: outbox.SMS, To: "+4915112345678", Plain: "Ihr Code lautet 918273"})
	dump := func() string {
		rows, err := f.env.DB.Owner.Query(context.Background(), `SELECT m::text FROM outbox_messages m`)
		if err != nil {
			t.Fatal(err)
		}
		lines, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			t.Fatal(err)
		}
		return strings.Join(lines, "\n")
	}
	d := dump()
	for _, secret := range []string{recipient, "Erika", "Mustermann", inviteLink, "geheimes-token", "+4915112345678", "918273"} {
		if strings.Contains(d, secret) || strings.Contains(d, hex.EncodeToString([]byte(secret))) {
			t.Errorf("the stored rows contain %q", secret)
		}
	}
	f.deliver()
	var payload []byte
	if err := f.env.DB.Owner.QueryRow(context.Background(), `SELECT payload_enc FROM outbox_messages WHERE id = $1`, id).Scan(&payload); err != nil || payload != nil {
		t.Fatalf("a sent message keeps its content: %d bytes, %v", len(payload), err)
	}
}

// TestDevelopmentWritesEMLFiles: without a relay, development writes each
// mail as <data dir>/mail/<id>.eml (both parts, same headers) and logs its
// id only; production without a relay leaves mails pending and encrypted.
func TestDevelopmentWritesEMLFiles(t *testing.T) {
	t.Parallel()
	dataDir := t.TempDir()
	mailer, sms, err := outbox.Transports(&config.Config{Env: config.Development, DataDir: dataDir, Mail: config.Mail{From: senderAddr}})
	if err != nil || sms != nil {
		t.Fatal(err)
	}
	f := newFixture(t, func(d *outbox.Deps) { d.Mailer = mailer })
	id := f.enqueue(invitation("de"))
	if res := f.deliver(); res.Sent != 1 || len(f.mail.Mails()) != 0 {
		t.Fatalf("%+v", res)
	}
	raw, err := os.ReadFile(filepath.Join(dataDir, "mail", id.String()+".eml"))
	if err != nil {
		t.Fatal(err)
	}
	p := parseMail(t, raw)
	if p.Header.Get("Message-Id") != "<"+id.String()+"@zeugo.example>" || !strings.Contains(p.Plain, inviteLink) {
		t.Fatalf("eml: %v\n%s", p.Header, p.Plain)
	}
	if fi, err := os.Stat(filepath.Join(dataDir, "mail", id.String()+".eml")); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("file mode %v, %v", fi.Mode(), err)
	}
	logText := f.log.String()
	if !strings.Contains(logText, id.String()) || !strings.Contains(logText, "mail directory") {
		t.Fatalf("log: %s", logText)
	}
	for _, secret := range []string{recipient, "Erika", inviteLink, "Einladung"} {
		if strings.Contains(logText, secret) {
			t.Errorf("log contains %q", secret)
		}
	}

	prodMailer, _, err := outbox.Transports(&config.Config{Env: config.Production, DataDir: dataDir})
	if err != nil || prodMailer != nil {
		t.Fatalf("production without relay: %v, %v", prodMailer, err)
	}
	prod := newFixture(t, func(d *outbox.Deps) { d.Mailer = nil })
	pid := prod.enqueue(invitation("de"))
	prod.env.Clock.Advance(30 * 24 * time.Hour)
	if res := prod.deliver(); res.Tenants != 0 {
		t.Fatalf("production without relay attempted: %+v", res)
	}
	if st := prod.status(pid); st.State != outbox.Pending || st.Attempts != 0 {
		t.Fatalf("production without relay: %+v", st)
	}
}

// TestSMSGoesThroughTheHTTPGateway: an SMS is posted as JSON with the
// bearer token and the id as idempotency key; 5xx is retried, 4xx fails.
func TestSMSGoesThroughTheHTTPGateway(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	status := http.StatusServiceUnavailable
	var got []map[string]string
	var headers []http.Header
	gw := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		var body map[string]string
		_ = json.Unmarshal(b, &body)
		mu.Lock()
		defer mu.Unlock()
		got = append(got, body)
		headers = append(headers, r.Header.Clone())
		w.WriteHeader(status)
	}))
	t.Cleanup(gw.Close)
	f := newFixture(t, func(d *outbox.Deps) {
		d.SMS = &outbox.HTTPGateway{URL: gw.URL + "/send", Token: "gw-token", Client: gw.Client()}
	})
	id := f.enqueue(outbox.Message{Kind: outbox.SMS, To: "+4915112345678", Plain: "Ihr Code lautet 918273"})
	if res := f.deliver(); res.Retried != 1 || res.Errors[outbox.ClassGateway] != 1 {
		t.Fatalf("gateway 503: %+v", res)
	}
	mu.Lock()
	status = http.StatusAccepted
	mu.Unlock()
	f.env.Clock.Advance(time.Minute)
	if res := f.deliver(); res.Sent != 1 {
		t.Fatalf("gateway 202: %+v", res)
	}
	mu.Lock()
	if len(got) != 2 || got[1]["to"] != "+4915112345678" || got[1]["text"] != "Ihr Code lautet 918273" || got[1]["id"] != id.String() {
		t.Fatalf("gateway got %v", got)
	}
	h := headers[1]
	if h.Get("Authorization") != "Bearer gw-token" || h.Get("Idempotency-Key") != id.String() || h.Get("Content-Type") != "application/json" {
		t.Fatalf("headers %v", h)
	}
	status = http.StatusBadRequest
	mu.Unlock()
	bad := f.enqueue(outbox.Message{Kind: outbox.SMS, To: "+4915112345679", Plain: "x"})
	if res := f.deliver(); res.Failed != 1 {
		t.Fatalf("gateway 400: %+v", res)
	}
	if st := f.status(bad); st.State != outbox.Failed || st.LastError != outbox.ClassGatewayRejected {
		t.Fatalf("%+v", st)
	}
}

// TestRetentionSweeper: sent messages go after their retention, failed
// ones after theirs, pending ones never.
func TestRetentionSweeper(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	sent := f.enqueue(invitation("de"))
	f.deliver()
	f.mail.RejectRcpt("weg@kunde.example")
	failed := f.enqueue(outbox.Message{Kind: outbox.Email, To: "weg@kunde.example", Subject: "s", Plain: "p"})
	f.deliver()
	f.mail.Stop()
	pending := f.enqueue(invitation("en"))
	sw := f.ob.Sweeper(7*24*time.Hour, 30*24*time.Hour)
	sweep := func() int64 {
		var n int64
		err := f.env.App.DB.TenantTx(context.Background(), f.ten.TenantID, func(tx pgx.Tx) (err error) {
			n, err = sw.Sweep(context.Background(), tx, f.ten.TenantID, f.env.Clock.Now(), 1000)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := sweep(); n != 0 {
		t.Fatalf("swept %d fresh messages", n)
	}
	f.env.Clock.Advance(7*24*time.Hour + time.Second)
	if n := sweep(); n != 1 {
		t.Fatalf("after 7 days swept %d", n)
	}
	f.env.Clock.Advance(23 * 24 * time.Hour)
	if n := sweep(); n != 1 {
		t.Fatalf("after 30 days swept %d", n)
	}
	for id, want := range map[uuid.UUID]bool{sent: false, failed: false, pending: true} {
		_, err := f.ob.Get(context.Background(), f.ten.TenantID, id)
		if (err == nil) != want {
			t.Errorf("%s: %v", id, err)
		}
	}
}

// TestRelayOfferingOnlyTLS11GetsNothing: below TLS 1.2 the handshake
// fails; the message waits with the class tls.
func TestRelayOfferingOnlyTLS11GetsNothing(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.mail.Stop()
	old := f.mail.TLSConfig().Clone()
	old.MinVersion, old.MaxVersion = tls.VersionTLS10, tls.VersionTLS11
	f.mail.SetTLSConfig(old)
	f.mail.Start()
	id := f.enqueue(invitation("de"))
	if res := f.deliver(); res.Retried != 1 || len(f.mail.Mails()) != 0 {
		t.Fatalf("TLS 1.1 relay: %+v, %d mails", res, len(f.mail.Mails()))
	}
	if st := f.status(id); st.State != outbox.Pending || st.LastError != outbox.ClassTLS {
		t.Fatalf("%+v", st)
	}
}

// slowMailer moves the clock by step with every mail (a relay that takes
// that long per mail).
type slowMailer struct {
	real  outbox.Mailer
	clock *apptest.Clock
	step  time.Duration
}

func (s *slowMailer) Open(ctx context.Context) (outbox.MailSession, error) {
	sess, err := s.real.Open(ctx)
	if err != nil {
		return nil, err
	}
	return &slowSession{MailSession: sess, m: s}, nil
}

type slowSession struct {
	outbox.MailSession
	m *slowMailer
}

func (s *slowSession) Send(ctx context.Context, msg *gomail.Msg) error {
	err := s.MailSession.Send(ctx, msg)
	s.m.clock.Advance(s.m.step)
	return err
}

// TestRunGivesBackWhatItCannotSendWithinItsLease: once half the lease is
// used up, a run stops attempting and gives the rest of its batch back
// without counting an attempt; the next run sends them.
func TestRunGivesBackWhatItCannotSendWithinItsLease(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	slow := f.deps
	slow.Mailer = &slowMailer{real: f.mail.Mailer(), clock: f.env.Clock, step: f.ob.Policy().Lease/2 + time.Second}
	f.ob = outbox.New(slow)
	ids := []uuid.UUID{f.enqueue(invitation("de")), f.enqueue(invitation("de")), f.enqueue(invitation("de"))}
	res := f.deliver()
	if res.Sent < 1 || res.Released < 1 {
		t.Fatalf("first run: %+v", res)
	}
	released := 0
	for _, id := range ids {
		if st := f.status(id); st.State == outbox.Pending {
			released++
			if st.Attempts != 0 || st.LastError != "" {
				t.Fatalf("a released message counted an attempt: %+v", st)
			}
		}
	}
	if released != res.Released {
		t.Fatalf("%d pending, %d released", released, res.Released)
	}
	for range 3 {
		f.deliver()
	}
	for _, id := range ids {
		if st := f.status(id); st.State != outbox.Sent {
			t.Fatalf("never sent: %+v", st)
		}
	}
	if n := len(f.mail.Mails()); n != 3 {
		t.Fatalf("received %d mails", n)
	}
}
