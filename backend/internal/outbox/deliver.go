package outbox

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/riverqueue/river"
	gomail "github.com/wneessen/go-mail"

	"github.com/zeugo/zeugo/backend/internal/jobs"
	"github.com/zeugo/zeugo/backend/internal/outbox/dbsqlc"
	"github.com/zeugo/zeugo/backend/internal/postgres"
)

// Result counts what one delivery run did; it is the job's recorded
// output (counts and classes, never content).
type Result struct {
	Tenants int `json:"tenants"`
	Sent    int `json:"sent"`
	Retried int `json:"retried"`
	Failed  int `json:"failed"`
	// Released are claimed messages given back unattempted because the
	// run neared the end of its lease.
	Released int `json:"released"`
	// LeaseLost counts outcomes not recorded because another run had
	// taken the message over after this run's lease ended.
	LeaseLost int `json:"lease_lost,omitempty"`
	// Errors counts failed attempts by class.
	Errors map[string]int `json:"errors,omitempty"`
}

// claimed is a leased message, decrypted.
type claimed struct {
	id                 uuid.UUID
	kind               Kind
	template, language string
	to                 string
	body               payload
	attempts           int
	// broken is set when the stored message cannot be read (decryption).
	broken error
}

// run is one delivery pass: the relay session is opened at the first mail
// and shared by all; once the relay proved unreachable, the run's other
// mails wait for their next attempt instead of dialling again each.
type run struct {
	o       *Outbox
	res     Result
	session MailSession
	down    error
}

// kinds are the kinds this process can deliver: a message without a
// transport (no relay, no gateway) stays pending, untouched, and keeps its
// whole retry window for when one is configured.
func (o *Outbox) kinds() []string {
	var k []string
	if o.mailer != nil {
		k = append(k, string(Email))
	}
	if o.sms != nil {
		k = append(k, string(SMS))
	}
	return k
}

// Deliver sends every message that is due now: tenant by tenant, a batch
// at a time, each batch claimed with a lease in one short transaction and
// each outcome recorded right after its attempt. It holds no transaction
// while it talks to the relay. It is safe to run on several replicas at
// once: a claimed message is skipped by every other run until its lease
// ends.
func (o *Outbox) Deliver(ctx context.Context) (Result, error) {
	r := &run{o: o}
	defer r.closeSession()
	kinds := o.kinds()
	if len(kinds) == 0 {
		return r.res, nil
	}
	rows, err := o.db.Pool.Query(ctx, `SELECT outbox_due_tenants($1, $2)`, o.now(), kinds)
	if err != nil {
		return r.res, postgres.Classify(err)
	}
	tenants, err := pgx.CollectRows(rows, pgx.RowTo[uuid.UUID])
	if err != nil {
		return r.res, postgres.Classify(err)
	}
	r.res.Tenants = len(tenants)
	for _, t := range tenants {
		for {
			n, err := r.batch(ctx, t, kinds)
			if err != nil {
				return r.res, err
			}
			if n < o.policy.Batch {
				break
			}
		}
	}
	return r.res, nil
}

func ts(t time.Time) pgtype.Timestamptz { return pgtype.Timestamptz{Time: t, Valid: true} }

// batch claims, sends and records one batch of tenant t; it returns how
// many messages it claimed.
func (r *run) batch(ctx context.Context, t uuid.UUID, kinds []string) (int, error) {
	o := r.o
	now := o.now()
	lease := now.Add(o.policy.Lease)
	var msgs []claimed
	var sender string
	var ov Overrides
	err := o.db.TenantTx(ctx, t, func(tx pgx.Tx) error {
		// Like the outcome records (asyncCommit), the claim does not wait
		// for the WAL flush: WAL is flushed in order, so a database crash
		// can only lose a suffix of the last fraction of a second — claims
		// and outcomes alike — and adds no other window.
		if _, err := tx.Exec(ctx, `SELECT set_config('synchronous_commit', 'off', true)`); err != nil {
			return err
		}
		rows, err := o.q.ClaimDue(ctx, tx, dbsqlc.ClaimDueParams{LeaseUntil: ts(lease), Now: now, TenantID: t, Kinds: kinds,
			Batch: int32(o.policy.Batch)})
		if err != nil || len(rows) == 0 {
			return err
		}
		if sender, err = o.q.SenderName(ctx, tx, t); err != nil {
			return err
		}
		if ov, err = o.loadOverrides(ctx, tx, t); err != nil {
			return err
		}
		ciph, err := o.keys.Tenant(ctx, tx, t)
		if err != nil {
			return err
		}
		for _, row := range rows {
			m := claimed{id: row.ID, kind: Kind(row.Kind), template: row.Template, language: row.Language, attempts: int(row.Attempts)}
			var body []byte
			m.to, m.broken = ciph.OpenString(ctx, row.ID, colRecipient, row.RecipientEnc)
			if m.broken == nil {
				body, m.broken = ciph.Open(ctx, row.ID, colPayload, row.PayloadEnc)
			}
			if m.broken == nil {
				m.broken = json.Unmarshal(body, &m.body)
			}
			msgs = append(msgs, m)
		}
		return nil
	})
	if err != nil {
		return 0, postgres.Classify(err)
	}
	// Stop attempting while half the lease is left, so that no other run
	// can take a message over while this one may still be sending it: one
	// mail against a stalled relay takes at most about ten SMTP steps of
	// SMTP.Timeout each (connection and mail), well within that half.
	deadline := lease.Add(-o.policy.Lease / 2)
	rec := r.recorder(ctx, t, lease)
	for i, m := range msgs {
		if rec.failed() {
			break // the database is in trouble: the rest wait for the lease
		}
		if o.now().After(deadline) {
			for _, rest := range msgs[i:] {
				rec.add(outcome{m: rest, release: true})
			}
			break
		}
		rec.add(outcome{m: m, err: r.send(ctx, o.prepare(m, sender, ov))})
	}
	return len(msgs), rec.wait()
}

// prepared is a claimed message rendered for its transport, or the
// permanent error that keeps it from being sent.
type prepared struct {
	m    claimed
	mail *gomail.Msg
	text string // the SMS text
	err  error
}

// prepare renders and composes m; an error is a permanent *DeliveryError.
func (o *Outbox) prepare(m claimed, sender string, ov Overrides) prepared {
	p := prepared{m: m}
	if m.broken != nil {
		p.err = &DeliveryError{Class: ClassDecrypt, Permanent: true, Err: m.broken}
		return p
	}
	content := Rendered{Subject: m.body.Subject, Plain: m.body.Plain, HTML: m.body.HTML}
	if m.template != "" {
		var err error
		if content, err = o.renderFor(ov, m.kind, m.template, m.language, withSender(m.body.Data, sender)); err != nil {
			p.err = &DeliveryError{Class: ClassTemplate, Permanent: true, Err: err}
			return p
		}
	}
	if m.kind == SMS {
		p.text = content.Plain
		return p
	}
	msg, err := o.compose(m, sender, content)
	if err != nil {
		p.err = &DeliveryError{Class: ClassTemplate, Permanent: true, Err: err}
		return p
	}
	p.mail = msg
	return p
}

// outcome is an attempt to record (or, with release, a claim to give back).
type outcome struct {
	m       claimed
	err     error
	release bool
}

// recorder records outcomes in the order of the attempts, in a goroutine
// of its own, so that recording mail n overlaps sending mail n+1 (a
// database round trip per mail would otherwise halve the throughput). The
// hand-over is unbuffered: at any moment at most two mails have left
// without their outcome recorded — the one being recorded and the one
// just sent — which bounds the duplicates a crash can cause.
type recorder struct {
	ch   chan outcome
	done chan struct{}
	mu   sync.Mutex
	err  error
}

func (r *run) recorder(ctx context.Context, t uuid.UUID, lease time.Time) *recorder {
	rec := &recorder{ch: make(chan outcome), done: make(chan struct{})}
	go func() {
		defer close(rec.done)
		for oc := range rec.ch {
			if rec.failed() {
				continue
			}
			if err := r.record(ctx, t, lease, oc.m, oc.err, oc.release); err != nil {
				rec.mu.Lock()
				rec.err = err
				rec.mu.Unlock()
			}
		}
	}()
	return rec
}

func (rec *recorder) add(oc outcome) { rec.ch <- oc }

func (rec *recorder) failed() bool {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return rec.err != nil
}

// wait records what is left and returns the first error.
func (rec *recorder) wait() error {
	close(rec.ch)
	<-rec.done
	return rec.err
}

// send makes one attempt; the error is a *DeliveryError.
func (r *run) send(ctx context.Context, p prepared) error {
	o, m := r.o, p.m
	if p.err != nil {
		return p.err
	}
	if m.kind == SMS {
		if o.sms == nil {
			return &DeliveryError{Class: ClassNoTransport, Err: errors.New("no SMS gateway configured")}
		}
		return asDelivery(o.sms.SendSMS(ctx, m.id, m.to, p.text), ClassGateway)
	}
	if o.mailer == nil {
		return &DeliveryError{Class: ClassNoTransport, Err: errors.New("no SMTP relay configured")}
	}
	msg := p.mail
	if r.down != nil {
		return r.down
	}
	if r.session == nil {
		s, err := o.mailer.Open(ctx)
		if err != nil {
			r.down = asDelivery(err, ClassConnect)
			return r.down
		}
		r.session = s
	}
	err := asDelivery(r.session.Send(ctx, msg), ClassRelay)
	var de *DeliveryError
	if errors.As(err, &de) && de.Class != ClassRejected && de.Class != ClassTemporary {
		// The connection may be broken (sessions skip the NOOP before each
		// mail): the next mail dials again.
		r.closeSession()
	}
	return err
}

// asDelivery makes err a *DeliveryError (class fallback when it is not).
func asDelivery(err error, fallback string) error {
	if err == nil {
		return nil
	}
	var de *DeliveryError
	if errors.As(err, &de) {
		return de
	}
	return &DeliveryError{Class: fallback, Err: err}
}

func (r *run) closeSession() {
	if r.session != nil {
		_ = r.session.Close()
		r.session = nil
	}
}

// domainOf is the domain of the sender address, for Message-IDs.
func domainOf(addr string) string {
	if i := strings.LastIndexByte(addr, '@'); i >= 0 && i < len(addr)-1 {
		return addr[i+1:]
	}
	return "zeugo.invalid"
}

// MessageID is the Message-ID header value of message id sent from the
// address from: stable across attempts, so a mail sent twice is
// recognisable as one.
func MessageID(id uuid.UUID, from string) string { return id.String() + "@" + domainOf(from) }

// messageIDValue extracts the id from a Message-ID header value.
func messageIDValue(h string) string {
	h = strings.Trim(strings.TrimSpace(h), "<>")
	if i := strings.IndexByte(h, '@'); i >= 0 {
		h = h[:i]
	}
	return h
}

// compose builds the mail: both parts, the tenant's sender name, the
// stable Message-ID and the date of this attempt.
func (o *Outbox) compose(m claimed, sender string, c Rendered) (*gomail.Msg, error) {
	from := o.from
	if from == "" {
		from = "zeugo@localhost"
	}
	msg := gomail.NewMsg()
	if err := msg.FromFormat(sender, from); err != nil {
		return nil, err
	}
	if err := msg.To(m.to); err != nil {
		return nil, err
	}
	msg.Subject(c.Subject)
	msg.SetMessageIDWithValue(MessageID(m.id, from))
	msg.SetDateWithValue(o.now())
	msg.SetUserAgent("Zeugo")
	// RFC 3834: no vacation auto-replies to machine-sent mail.
	msg.SetGenHeader(gomail.Header("Auto-Submitted"), "auto-generated")
	if m.language != "" {
		msg.SetGenHeader(gomail.Header("Content-Language"), m.language)
	}
	msg.SetBodyString(gomail.TypeTextPlain, c.Plain)
	if c.HTML != "" {
		msg.AddAlternativeString(gomail.TypeTextHTML, c.HTML)
	}
	return msg, nil
}

// record stores the outcome of attempt err (nil: sent) — or, with
// release, gives the message back unattempted. Only the lease holder's
// record counts.
func (r *run) record(ctx context.Context, t uuid.UUID, lease time.Time, m claimed, err error, release bool) error {
	o := r.o
	now := o.now()
	db := asyncCommit{db: o.db, tenant: t}
	log := o.log.With().Str("component", "outbox").Str("tenant", t.String()).Str("message_id", m.id.String()).
		Str("kind", string(m.kind)).Int("attempt", m.attempts).Logger()
	var n int64
	var dberr error
	var de *DeliveryError
	switch {
	case release:
		n, dberr = o.q.Release(ctx, db, dbsqlc.ReleaseParams{TenantID: t, ID: m.id, LeaseUntil: ts(lease), Now: now})
		r.res.Released++
	case err == nil:
		n, dberr = o.q.MarkSent(ctx, db, dbsqlc.MarkSentParams{TenantID: t, ID: m.id, LeaseUntil: ts(lease), Now: ts(now)})
		r.res.Sent++
		if _, file := o.mailer.(*FileSink); file && m.kind == Email {
			log.Info().Msg("mail written to the mail directory (no SMTP relay configured)")
		} else {
			log.Debug().Msg("message sent")
		}
	case errors.As(err, &de) && (de.Permanent || m.attempts >= o.policy.MaxAttempts):
		n, dberr = o.q.MarkFailed(ctx, db, dbsqlc.MarkFailedParams{TenantID: t, ID: m.id, LeaseUntil: ts(lease), Now: now, LastError: de.Class})
		r.res.Failed++
		r.count(de.Class)
		log.Error().Str("error_class", de.Class).Msg("message failed; it stays visible as failed until an operator retries it")
	default:
		if de == nil {
			de = &DeliveryError{Class: ClassRelay, Err: err}
		}
		next := now.Add(o.policy.Delay(m.attempts))
		n, dberr = o.q.MarkRetry(ctx, db, dbsqlc.MarkRetryParams{TenantID: t, ID: m.id, LeaseUntil: ts(lease), Now: now,
			LastError: de.Class, NextAttemptAt: next})
		r.res.Retried++
		r.count(de.Class)
		log.Warn().Str("error_class", de.Class).Time("next_attempt_at", next).Msg("delivery attempt failed; retrying later")
	}
	if dberr != nil {
		return postgres.Classify(dberr)
	}
	if n == 0 {
		r.res.LeaseLost++
		log.Warn().Msg("outcome not recorded: the lease had ended and another run took the message over")
	}
	return nil
}

// asyncCommit runs an outcome record in one round trip, bound to the
// tenant, with synchronous_commit off for that transaction only: the
// record does not wait for the WAL flush (about 2 ms per mail, which would
// otherwise dominate delivery). A crash of the application after the
// commit loses nothing; only a crash of the database server within the
// flush delay (≤ 3 × wal_writer_delay, 0.6 s by default) can lose recent
// "sent" records, and those messages are then sent once more with the
// same Message-ID — the at-least-once window, widened by that fraction of
// a second.
type asyncCommit struct {
	db     *postgres.DB
	tenant uuid.UUID
}

// Exec runs one statement (what sqlc's :execrows queries need).
func (a asyncCommit) Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	var tag pgconn.CommandTag
	err := a.db.TenantBatch(ctx, a.tenant, func(b *pgx.Batch) {
		b.Queue("SELECT set_config('synchronous_commit', 'off', true)")
		b.Queue(sql, args...).Exec(func(ct pgconn.CommandTag) error {
			tag = ct
			return nil
		})
	})
	return tag, err
}

var errExecOnly = errors.New("outbox: outcome records only execute statements")

// Query is not used by outcome records.
func (a asyncCommit) Query(context.Context, string, ...any) (pgx.Rows, error) {
	return nil, errExecOnly
}

// QueryRow is not used by outcome records.
func (a asyncCommit) QueryRow(context.Context, string, ...any) pgx.Row { return errRow{} }

type errRow struct{}

func (errRow) Scan(...any) error { return errExecOnly }

func (r *run) count(class string) {
	if r.res.Errors == nil {
		r.res.Errors = map[string]int{}
	}
	r.res.Errors[class]++
}

// DeliverArgs is the periodic delivery job.
type DeliverArgs struct{}

// Kind implements river.JobArgs.
func (DeliverArgs) Kind() string { return "outbox" }

// Worker runs Deliver as a River job.
type Worker struct {
	river.WorkerDefaults[DeliverArgs]
	Outbox *Outbox
}

// Work implements river.Worker.
func (w *Worker) Work(ctx context.Context, _ *river.Job[DeliverArgs]) error {
	res, err := w.Outbox.Deliver(ctx)
	if err != nil {
		return err
	}
	if res.Tenants > 0 {
		w.Outbox.log.Info().Str("job", "outbox").Int("tenants", res.Tenants).Int("sent", res.Sent).Int("retried", res.Retried).
			Int("failed", res.Failed).Int("released", res.Released).Msg("job done")
	}
	return river.RecordOutput(ctx, res)
}

// Queue is the River queue of the delivery job: its own, so that a relay
// that answers slowly never holds up the housekeeping jobs.
const Queue = "outbox"

// Periodic is the delivery job for jobs.Start, run every interval (and
// at start, so that mails committed while the server was down go out at
// once).
func (o *Outbox) Periodic(interval time.Duration) jobs.Periodic {
	return jobs.Periodic{Queue: Queue, Interval: interval, Args: func() river.JobArgs { return DeliverArgs{} },
		Register: func(ws *river.Workers) { river.AddWorker(ws, &Worker{Outbox: o}) }}
}

// Sweeper deletes finished messages: sent ones (which keep only their
// encrypted recipient) after keepSent, failed ones after keepFailed.
func (o *Outbox) Sweeper(keepSent, keepFailed time.Duration) jobs.Sweeper {
	return jobs.Sweeper{Name: "outbox_messages_deleted", Sweep: func(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID, now time.Time, batch int) (int64, error) {
		return o.q.DeleteFinished(ctx, tx, dbsqlc.DeleteFinishedParams{TenantID: tenantID, SentBefore: now.Add(-keepSent),
			FailedBefore: now.Add(-keepFailed), Batch: int32(batch)})
	}}
}
