// Package outbox is the transactional outbox of Zeugo's emails and SMS
// (SPEC §7). A domain writes a message with Enqueue in the same transaction
// as the action that causes it (an invitation, a reset link, a lock
// notice), so the message exists exactly when the action committed. A River
// job (Periodic) delivers due messages afterwards: emails over SMTP with
// STARTTLS or implicit TLS (at least TLS 1.2) through go-mail, SMS through a
// pluggable HTTP gateway; in development without a relay, each mail is
// written as an .eml file instead. A request never waits for SMTP.
//
// Recipient and content are personal data: they are stored as ciphertext
// under the tenant's data key, and the application log names messages by id
// only. A failed delivery is retried with exponential backoff; a message
// that still fails at the end of its retry window stays visible as failed,
// with the class of its last error (never the relay's text), until an
// operator retries it (Retry, `zeugo outbox retry`).
//
// Delivery is at least once, with one narrow window: a message is claimed
// with a lease before it is handed to the relay, so no other run touches it
// while the lease holds; if the process dies after the relay accepted a
// message but before it was recorded as sent (at most the last two mails
// of a run, see recorder), that message is sent once more after the lease,
// with the same Message-ID (its id), which lets receiving systems and
// people recognise the duplicate.
package outbox

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/mail"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/rs/zerolog"

	"github.com/zeugo/zeugo/backend/internal/apperr"
	"github.com/zeugo/zeugo/backend/internal/audit"
	"github.com/zeugo/zeugo/backend/internal/keyring"
	"github.com/zeugo/zeugo/backend/internal/outbox/dbsqlc"
	"github.com/zeugo/zeugo/backend/internal/postgres"
)

// Kind is the channel of a message.
type Kind string

const (
	// Email is delivered over SMTP (or to the development mail directory).
	Email Kind = "email"
	// SMS is delivered through the SMS gateway.
	SMS Kind = "sms"
)

// Languages the default templates are written in; the first is the
// default.
var Languages = []string{"de", "en"}

// Message is what a domain hands to Enqueue: either a template with its
// data (rendered at delivery, in the tenant's language) or rendered content.
type Message struct {
	// ID is the idempotency key and the mail's Message-ID; a new UUIDv7
	// when zero. Enqueueing the same id again changes nothing.
	ID   uuid.UUID
	Kind Kind
	// To is the recipient: an email address, or a phone number in
	// international form (+4930…) for SMS.
	To string
	// Template names a template ("invitation", "password_reset",
	// "account_locked"); Data are its values (links, names, dates, all
	// formatted by the caller).
	Template string
	Language string
	Data     map[string]string
	// Subject, Plain and HTML are rendered content, used when Template is
	// empty (Plain is the text of an SMS; HTML is optional).
	Subject, Plain, HTML string
}

// payload is the encrypted part of a message besides its recipient.
type payload struct {
	Data    map[string]string `json:"data,omitempty"`
	Subject string            `json:"subject,omitempty"`
	Plain   string            `json:"plain,omitempty"`
	HTML    string            `json:"html,omitempty"`
}

// Column names in the associated data of the ciphertexts.
const (
	colRecipient = "outbox_messages.recipient"
	colPayload   = "outbox_messages.payload"
)

// Policy is the retry schedule: the n-th failed attempt waits
// min(Base·2^(n-1), Max); after MaxAttempts attempts a message is failed.
type Policy struct {
	Base, Max   time.Duration
	MaxAttempts int
	// Lease is how long a claimed message is reserved for the run that
	// claimed it; it bounds how late a message whose sender died is sent
	// again.
	Lease time.Duration
	// Batch is how many messages one claim takes.
	Batch int
}

// DefaultPolicy retries for about four hours (1, 2, 4, … 32 minutes, then
// hourly; ten attempts) before a message is failed.
var DefaultPolicy = Policy{Base: time.Minute, Max: time.Hour, MaxAttempts: 10, Lease: 10 * time.Minute, Batch: 50}

// Delay is the wait after the attempt-th failed attempt.
func (p Policy) Delay(attempt int) time.Duration {
	d := p.Base
	for i := 1; i < attempt && d < p.Max; i++ {
		d *= 2
	}
	return min(d, p.Max)
}

// Window is the time from the first attempt to the last.
func (p Policy) Window() time.Duration {
	var w time.Duration
	for n := 1; n < p.MaxAttempts; n++ {
		w += p.Delay(n)
	}
	return w
}

// Deps are what an Outbox needs.
type Deps struct {
	DB   *postgres.DB
	Keys *keyring.Keyring
	Now  func() time.Time
	Log  zerolog.Logger
	// Mailer delivers emails; nil leaves them pending (production without
	// a relay: nothing is written in clear anywhere).
	Mailer Mailer
	// SMS delivers text messages; nil leaves them pending.
	SMS SMSGateway
	// From is the sender address of every mail (the operator's); the
	// display name is the tenant's sender name.
	From string
	// Templates renders template messages; Defaults() when nil.
	Templates *Templates
	// Policy is the retry schedule; DefaultPolicy when zero.
	Policy Policy
	// Audit records operator retries in the tenant's log.
	Audit *audit.Writer
}

// Outbox writes and delivers messages.
type Outbox struct {
	db     *postgres.DB
	keys   *keyring.Keyring
	now    func() time.Time
	log    zerolog.Logger
	mailer Mailer
	sms    SMSGateway
	from   string
	tmpl   *Templates
	policy Policy
	audit  *audit.Writer
	q      *dbsqlc.Queries
}

// New returns an Outbox.
func New(d Deps) *Outbox {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Templates == nil {
		d.Templates = Defaults()
	}
	if d.Policy == (Policy{}) {
		d.Policy = DefaultPolicy
	}
	return &Outbox{db: d.DB, keys: d.Keys, now: d.Now, log: d.Log, mailer: d.Mailer, sms: d.SMS, from: d.From,
		tmpl: d.Templates, policy: d.Policy, audit: d.Audit, q: dbsqlc.New()}
}

// Policy is the outbox's retry schedule.
func (o *Outbox) Policy() Policy { return o.policy }

var (
	phoneRe    = regexp.MustCompile(`^\+[1-9][0-9]{6,14}$`)
	templateRe = regexp.MustCompile(`^[a-z0-9_]{1,64}$`)
)

// ErrInvalidMessage is the cause of an Enqueue refused for its content: a
// programming error of the calling domain, never the caller's input (the
// domain validated that before).
var ErrInvalidMessage = errors.New("outbox: invalid message")

func invalid(format string, args ...any) error {
	return apperr.Wrap(apperr.Internal, "internal error", fmt.Errorf("%w: "+format, append([]any{ErrInvalidMessage}, args...)...))
}

// Enqueue writes m for tenantID in tx, the transaction of the action that
// causes it (a *uow.Tx is a pgx.Tx, bound to its tenant); it is delivered
// once tx commits, and never if it rolls back. A template message is
// rendered once here as a check, so a message that could never be
// delivered fails its action instead of failing later. It returns the
// message id.
func (o *Outbox) Enqueue(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID, m Message) (uuid.UUID, error) {
	if err := o.check(&m); err != nil {
		return uuid.Nil, err
	}
	if m.Template != "" {
		if _, err := o.tmpl.Render(m.Kind, m.Template, m.Language, withSender(m.Data, "Zeugo")); err != nil {
			return uuid.Nil, invalid("template %s/%s: %v", m.Template, m.Language, err)
		}
	}
	ciph, err := o.keys.Tenant(ctx, tx, tenantID)
	if err != nil {
		return uuid.Nil, postgres.Classify(err)
	}
	body, err := json.Marshal(payload{Data: m.Data, Subject: m.Subject, Plain: m.Plain, HTML: m.HTML})
	if err != nil {
		return uuid.Nil, invalid("payload: %v", err)
	}
	_, err = o.q.InsertMessage(ctx, tx, dbsqlc.InsertMessageParams{TenantID: tenantID, ID: m.ID, Kind: string(m.Kind),
		Template: m.Template, Language: m.Language, RecipientEnc: ciph.SealString(m.ID, colRecipient, m.To),
		PayloadEnc: ciph.Seal(m.ID, colPayload, body), Now: o.now()})
	if err != nil {
		return uuid.Nil, postgres.Classify(err)
	}
	return m.ID, nil
}

// check validates and completes m (id, language).
func (o *Outbox) check(m *Message) error {
	if m.ID == uuid.Nil {
		m.ID = uuid.Must(uuid.NewV7())
	}
	m.To = strings.TrimSpace(m.To)
	switch m.Kind {
	case Email:
		a, err := mail.ParseAddress(m.To)
		if err != nil || a.Name != "" || a.Address != m.To {
			return invalid("recipient is not a bare email address")
		}
	case SMS:
		if !phoneRe.MatchString(m.To) {
			return invalid("recipient is not a phone number in international form")
		}
	default:
		return invalid("kind %q", m.Kind)
	}
	if m.Template != "" {
		if !templateRe.MatchString(m.Template) {
			return invalid("template name %q", m.Template)
		}
		if !slices.Contains(Languages, m.Language) {
			m.Language = Languages[0]
		}
		if m.Subject != "" || m.Plain != "" || m.HTML != "" {
			return invalid("template and rendered content together")
		}
		return nil
	}
	if !slices.Contains(Languages, m.Language) {
		m.Language = ""
	}
	if m.Plain == "" || m.Kind == Email && m.Subject == "" {
		return invalid("neither a template nor rendered content")
	}
	if strings.ContainsAny(m.Subject, "\r\n") {
		return invalid("subject with a line break")
	}
	return nil
}

// State is where a message stands.
type State string

const (
	// Pending: waiting for its (next) attempt, or being sent.
	Pending State = "pending"
	// Sent: accepted by the relay or gateway (or written to the mail
	// directory).
	Sent State = "sent"
	// Failed: given up after the retry window or rejected for good; an
	// operator may retry it.
	Failed State = "failed"
)

// Status is what may be shown about a message: no recipient, no content.
type Status struct {
	ID            uuid.UUID
	TenantID      uuid.UUID
	Kind          Kind
	Template      string
	Language      string
	State         State
	Attempts      int
	NextAttemptAt time.Time
	// LastError is the class of the last failure (ErrorClass).
	LastError string
	CreatedAt time.Time
	UpdatedAt time.Time
	SentAt    *time.Time
}

// Get returns the status of message id of tenantID.
func (o *Outbox) Get(ctx context.Context, tenantID, id uuid.UUID) (Status, error) {
	var st Status
	err := o.db.TenantTx(ctx, tenantID, func(tx pgx.Tx) error {
		r, err := o.q.GetStatus(ctx, tx, dbsqlc.GetStatusParams{TenantID: tenantID, ID: id})
		if err != nil {
			return postgres.NotFoundOr(err)
		}
		st = Status{ID: r.ID, TenantID: tenantID, Kind: Kind(r.Kind), Template: r.Template, Language: r.Language,
			State: State(r.State), Attempts: int(r.Attempts), NextAttemptAt: r.NextAttemptAt, LastError: r.LastError,
			CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
		if r.SentAt.Valid {
			t := r.SentAt.Time
			st.SentAt = &t
		}
		return nil
	})
	return st, postgres.Classify(err)
}

// Failed lists up to limit failed messages of tenantID, oldest first.
func (o *Outbox) Failed(ctx context.Context, tenantID uuid.UUID, limit int) ([]Status, error) {
	var out []Status
	err := o.db.TenantTx(ctx, tenantID, func(tx pgx.Tx) error {
		rows, err := o.q.ListFailed(ctx, tx, dbsqlc.ListFailedParams{TenantID: tenantID, Batch: int32(min(max(limit, 1), 1000))})
		for _, r := range rows {
			out = append(out, Status{ID: r.ID, TenantID: tenantID, Kind: Kind(r.Kind), Template: r.Template, Language: r.Language,
				State: State(r.State), Attempts: int(r.Attempts), NextAttemptAt: r.NextAttemptAt, LastError: r.LastError,
				CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt})
		}
		return err
	})
	return out, postgres.Classify(err)
}

// ActionRetried is the audit action of a retried message.
const ActionRetried = "outbox.message.retried"

// Actor is who retries a message, for the tenant's audit log.
type Actor struct {
	// Type is an audit actor type (audit.ActorOperator, audit.ActorUser).
	Type string
	ID   string
}

// Retry puts failed message id of tenantID back into delivery with a fresh
// retry window, and records who did so in the tenant's audit log (the
// same transaction). A message that is not failed (pending, sent, unknown
// or another tenant's) is NotFound: only a failed message can be retried.
func (o *Outbox) Retry(ctx context.Context, tenantID, id uuid.UUID, by Actor) error {
	return postgres.Classify(o.db.TenantTx(ctx, tenantID, func(tx pgx.Tx) error {
		err := postgres.Affected(o.q.RetryFailed(ctx, tx, dbsqlc.RetryFailedParams{TenantID: tenantID, ID: id, Now: o.now()}))
		if err != nil || o.audit == nil {
			return err
		}
		return o.audit.Write(ctx, tx, tenantID, audit.Event{Action: ActionRetried, Outcome: audit.OutcomeSuccess,
			ActorType: by.Type, ActorID: by.ID, TargetType: "outbox_message", TargetID: id.String()})
	}))
}

// TenantOf finds the tenant of message id. Only the owner role (operator
// commands) sees across tenants; for zeugo_app every id is NotFound.
func TenantOf(ctx context.Context, q postgres.DBTX, id uuid.UUID) (uuid.UUID, error) {
	var t uuid.UUID
	err := q.QueryRow(ctx, `SELECT tenant_id FROM outbox_messages WHERE id = $1`, id).Scan(&t)
	return t, postgres.Classify(postgres.NotFoundOr(err))
}

// FailedEverywhere lists up to limit failed messages of all tenants, oldest
// first, for the operator (owner role; zeugo_app sees none unbound).
func FailedEverywhere(ctx context.Context, q postgres.DBTX, limit int) ([]Status, error) {
	rows, err := q.Query(ctx, `SELECT tenant_id, id, kind, template, language, attempts, last_error, created_at, updated_at
		FROM outbox_messages WHERE state = 'failed' ORDER BY updated_at, id LIMIT $1`, min(max(limit, 1), 1000))
	if err != nil {
		return nil, postgres.Classify(err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Status, error) {
		s := Status{State: Failed}
		err := r.Scan(&s.TenantID, &s.ID, &s.Kind, &s.Template, &s.Language, &s.Attempts, &s.LastError, &s.CreatedAt, &s.UpdatedAt)
		return s, err
	})
	return out, postgres.Classify(err)
}

// withSender adds the tenant's sender name to a template's data (as
// .Sender), without changing the caller's map.
func withSender(data map[string]string, sender string) map[string]string {
	out := make(map[string]string, len(data)+1)
	for k, v := range data {
		out[k] = v
	}
	out["Sender"] = sender
	return out
}
