// Package handover is SPEC §6: HR hands one certificate to a named person
// (usually a supervisor, sometimes the employee) by a link in an email,
// with read and/or write rights per section and, optionally, the download.
//
// The link is https://…/h/<id>#<secret>: id and secret are 128 random bits
// each (32 hex characters); only the secret's SHA-256 is stored, and the
// fragment never reaches a server log or a Referer. Opening the link — with
// a one-time code by email or SMS when the handover or the tenant asks for
// one — starts a recipient session bound to that handover alone: its
// bearer token (TokenPrefix) authenticates the recipient as a principal of
// kind handover recipient whose grant (access.Handover) package
// certificates enforces section by section. Every step is in the audit log
// with the recipient (the handover id) as the actor.
package handover

import (
	"crypto/rand"
	"net/url"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/zeugo/zeugo/backend/internal/certificates"
	"github.com/zeugo/zeugo/backend/internal/handover/dbsqlc"
	"github.com/zeugo/zeugo/backend/internal/keyring"
	"github.com/zeugo/zeugo/backend/internal/outbox"
	"github.com/zeugo/zeugo/backend/internal/postgres"
	"github.com/zeugo/zeugo/backend/internal/ratelimit"
	"github.com/zeugo/zeugo/backend/internal/uow"
)

// Audit actions; the target type is "handover".
const (
	ActionCreated      = "handover.created"
	ActionRead         = "handover.read"
	ActionRevoked      = "handover.revoked"
	ActionResent       = "handover.resent"
	ActionExtended     = "handover.extended"
	ActionCodeSent     = "handover.code_sent"
	ActionCodeFailed   = "handover.code_failed"
	ActionCodeLocked   = "handover.code_locked"
	ActionOpened       = "handover.opened"
	ActionOpenRefused  = "handover.open_refused"
	ActionCompleted    = "handover.completed"
	ActionSessionEnded = "handover.session_ended"
	TargetHandover     = "handover"
)

// State is where a handover stands.
type State string

// States, derived from the stored times.
const (
	StateSent      State = "sent"
	StateOpened    State = "opened"
	StateCompleted State = "completed"
	StateExpired   State = "expired"
	StateRevoked   State = "revoked"
)

// Code channels.
const (
	ChannelEmail = "email"
	ChannelSMS   = "sms"
)

// Recipient is who receives the handover.
type Recipient struct {
	Name, Email, Phone string
}

// Handover is one handover as HR sees it.
type Handover struct {
	ID, CertificateID uuid.UUID
	Recipient         Recipient
	Message, Language string
	// Read and Write are section names (certificates.Section); write
	// implies read, so Write ⊆ Read.
	Read, Write   []string
	Download      bool
	CodeChannel   string // "" for none
	State         State
	CreatedBy     uuid.UUID
	CreatedByName string
	CreatedAt     time.Time
	SentAt        time.Time
	ExpiresAt     time.Time
	OpenedAt      time.Time
	CompletedAt   time.Time
	RevokedAt     time.Time
	Version       int64
}

// Grant is what HR gives for one section.
type Grant struct {
	Section     certificates.Section
	Read, Write bool
}

// NewHandover is what CreateHandover asks for.
type NewHandover struct {
	CertificateID uuid.UUID
	Recipient     Recipient
	Message       string
	Language      string
	Grants        []Grant
	Download      bool
	CodeChannel   string
	// ExpiresInDays: 0 for the default (30).
	ExpiresInDays int
}

// Timings and limits.
const (
	// DefaultDays is a handover's lifetime unless HR says otherwise.
	DefaultDays = 30
	// SessionTTL bounds a recipient session (and the handover's expiry
	// bounds it sooner).
	SessionTTL = 2 * time.Hour
	// CodeTTL is how long a one-time code is valid.
	CodeTTL = 10 * time.Minute
	// MaxCodeFailures wrong codes end an attempt and notify HR.
	MaxCodeFailures = 5
)

// Rate limits of opening: per client address and per handover, counted on
// every opening call (with or without a code), so guessing secrets or codes
// is bounded however it is spread.
var (
	OpensPerIP       = ratelimit.Rule{Name: "handover-open-ip", Limit: 30, Window: 10 * time.Minute}
	OpensPerHandover = ratelimit.Rule{Name: "handover-open", Limit: 20, Window: 10 * time.Minute}
)

// readOnlySections are chosen from the tenant's records (companies,
// employees as signatories), which a recipient cannot browse: they can be
// handed over for reading only.
var readOnlySections = []certificates.Section{certificates.SecCompany, certificates.SecSignatures}

// Service implements the use cases.
type Service struct {
	work    *uow.Runner
	db      *postgres.DB
	q       *dbsqlc.Queries
	certs   *certificates.Service
	outbox  *outbox.Outbox
	limiter *ratelimit.Limiter
	index   *keyring.IndexKey
	public  *url.URL
	maxDays int
}

// Deps are a Service's collaborators.
type Deps struct {
	Work    *uow.Runner
	DB      *postgres.DB
	Certs   *certificates.Service
	Outbox  *outbox.Outbox
	Limiter *ratelimit.Limiter
	// Index keys the one-time codes' MACs.
	Index *keyring.IndexKey
	// PublicURL is the base of the links in the mails.
	PublicURL *url.URL
	// MaxDays is the operator's maximum lifetime.
	MaxDays int
}

// NewService returns a Service and teaches the certificates to name
// recipients in their histories.
func NewService(d Deps) *Service {
	s := &Service{work: d.Work, db: d.DB, q: dbsqlc.New(), certs: d.Certs, outbox: d.Outbox, limiter: d.Limiter, index: d.Index,
		public: d.PublicURL, maxDays: d.MaxDays}
	if s.maxDays <= 0 {
		s.maxDays = DefaultDays
	}
	d.Certs.AddActorNames(kindRecipient, s.recipientNames)
	return s
}

func target(id uuid.UUID) uow.Target { return uow.Target{Type: TargetHandover, ID: id} }

// randomID is 128 random bits (the link's public half; not a UUIDv7,
// which would tell when it was made).
func randomID() uuid.UUID {
	var id uuid.UUID
	if _, err := rand.Read(id[:]); err != nil {
		panic("handover: crypto/rand failed: " + err.Error())
	}
	return id
}

// stateOf derives the state at now.
func stateOf(h *dbsqlc.Handover, now time.Time) State {
	switch {
	case h.RevokedAt.Valid:
		return StateRevoked
	case h.CompletedAt.Valid:
		return StateCompleted
	case !now.Before(h.ExpiresAt):
		return StateExpired
	case h.OpenedAt.Valid:
		return StateOpened
	}
	return StateSent
}

// open reports whether the recipient may still use the handover.
func open(h *dbsqlc.Handover, now time.Time) bool {
	st := stateOf(h, now)
	return st == StateSent || st == StateOpened
}

// sectionNames are the stored names of the granted sections, in the order
// of SPEC §5.1.
func sectionNames(grants []Grant, write bool) []string {
	out := []string{}
	for _, sec := range certificates.Sections {
		i := slices.IndexFunc(grants, func(g Grant) bool { return g.Section == sec })
		if i < 0 {
			continue
		}
		if g := grants[i]; g.Write || !write && g.Read {
			out = append(out, string(sec))
		}
	}
	return out
}
