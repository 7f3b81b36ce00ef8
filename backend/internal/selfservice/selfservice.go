// Package selfservice lets employees ask for a reference themselves (SPEC
// §3.2, area Self-Service): a tenant publishes one request form per company
// at /s/<public id> (128 random bits); an employee fills it in and confirms
// their email address with a six-digit code; HR finds the confirmed
// request in an inbox, matched to employees by personnel number or name
// within HR's certificate access, and turns it into a draft certificate or
// declines it with a message that is mailed to the requester.
//
// The public half (public.go) runs before anyone is signed in: a form's
// public id leads to its tenant through one SECURITY DEFINER function
// (migration 00023), and nothing of a request is stored until its code is
// confirmed — until then it is a token sealed with the tenant's key
// (pending.go). Its answers never depend on whether an employee exists,
// because matching happens only in HR's inbox. The HR half (forms.go,
// inbox.go) runs in the unit of work like every other domain.
package selfservice

import (
	"time"

	"github.com/google/uuid"

	"github.com/zeugo/zeugo/backend/internal/audit"
	"github.com/zeugo/zeugo/backend/internal/certificates"
	"github.com/zeugo/zeugo/backend/internal/generator"
	"github.com/zeugo/zeugo/backend/internal/keyring"
	"github.com/zeugo/zeugo/backend/internal/outbox"
	"github.com/zeugo/zeugo/backend/internal/postgres"
	"github.com/zeugo/zeugo/backend/internal/ratelimit"
	"github.com/zeugo/zeugo/backend/internal/selfservice/dbsqlc"
	"github.com/zeugo/zeugo/backend/internal/uow"
)

// Audit actions (SPEC §8). Starting a request stores nothing and records
// nothing; the confirmed request is recorded with the anonymous actor.
const (
	ActionFormCreated      = "selfservice.form.created"
	ActionFormUpdated      = "selfservice.form.updated"
	ActionFormRotated      = "selfservice.form.rotated"
	ActionFormDeleted      = "selfservice.form.deleted"
	ActionFormsListed      = "selfservice.form.listed"
	ActionRequestSubmitted = "selfservice.request.submitted"
	ActionRequestListed    = "selfservice.request.listed"
	ActionRequestRead      = "selfservice.request.read"
	ActionRequestConverted = "selfservice.request.converted"
	ActionRequestDeclined  = "selfservice.request.declined"
)

// Audit target types.
const (
	TargetForm    = "selfservice_form"
	TargetRequest = "selfservice_request"
)

// Associated-data names of the encrypted columns.
const (
	colFirstName       = "selfservice_requests.first_name"
	colLastName        = "selfservice_requests.last_name"
	colEmail           = "selfservice_requests.email"
	colPersonnelNumber = "selfservice_requests.personnel_number"
	colReason          = "selfservice_requests.reason"
	colDeclineMessage  = "selfservice_requests.decline_message"
)

// Mail templates (outbox/templates).
const (
	templateCode     = "selfservice_code"
	templateDeclined = "selfservice_declined"
)

// Rules are the limits of the public rpcs. They are counted in PostgreSQL
// (package ratelimit), so they hold across replicas.
type Rules struct {
	// ReadPerIP bounds GetSelfServiceForm and ConfirmSelfServiceRequest
	// per client address (guessing a 128-bit form id or a sealed token is
	// hopeless; this bounds the work one client causes).
	ReadPerIP ratelimit.Rule
	// StartPerIP bounds StartSelfServiceRequest per client address: each
	// one sends a mail.
	StartPerIP ratelimit.Rule
	// StartPerForm bounds the requests started on one form from all
	// addresses together (a leaked URL cannot be used to mail-bomb).
	StartPerForm ratelimit.Rule
	// StartPerEmail bounds the code mails one address receives.
	StartPerEmail ratelimit.Rule
	// WrongCodes is how many wrong codes one pending request survives;
	// its Window must cover PendingTTL, so a pending request's count never
	// ages out while the request lives.
	WrongCodes ratelimit.Rule
	// PendingTTL is how long a started request and its code are valid.
	PendingTTL time.Duration
}

// DefaultRules are the production limits.
var DefaultRules = Rules{
	ReadPerIP:     ratelimit.Rule{Name: "selfservice-read-ip", Limit: 60, Window: time.Minute},
	StartPerIP:    ratelimit.Rule{Name: "selfservice-start-ip", Limit: 10, Window: time.Hour},
	StartPerForm:  ratelimit.Rule{Name: "selfservice-start-form", Limit: 200, Window: time.Hour},
	StartPerEmail: ratelimit.Rule{Name: "selfservice-start-email", Limit: 5, Window: time.Hour},
	WrongCodes:    ratelimit.Rule{Name: "selfservice-code", Limit: 5, Window: 20 * time.Minute},
	PendingTTL:    15 * time.Minute,
}

// Deps are what the service needs.
type Deps struct {
	Work         *uow.Runner
	DB           *postgres.DB
	Keys         *keyring.Keyring
	Index        *keyring.IndexKey
	Audit        *audit.Writer
	Limiter      *ratelimit.Limiter
	Outbox       *outbox.Outbox
	Certificates *certificates.Service
	// Rules are the public limits; DefaultRules when zero.
	Rules Rules
}

// Service is self-service.
type Service struct {
	Deps
	q *dbsqlc.Queries
}

// NewService returns the service.
func NewService(d Deps) *Service {
	if d.Rules == (Rules{}) {
		d.Rules = DefaultRules
	}
	return &Service{Deps: d, q: dbsqlc.New()}
}

// State is where a request is.
type State string

// The states of a request.
const (
	Open      State = "open"
	Converted State = "converted"
	Declined  State = "declined"
)

// Fields are what a requester enters.
type Fields struct {
	FirstName       string         `json:"fn"`
	LastName        string         `json:"ln"`
	PersonnelNumber string         `json:"pn,omitempty"`
	Email           string         `json:"em"`
	Kind            generator.Kind `json:"k"`
	Reason          string         `json:"r"`
	WishedDate      time.Time      `json:"wd,omitzero"`
	Language        string         `json:"l"`
}

// Name is the requester's full name.
func (f *Fields) Name() string { return f.FirstName + " " + f.LastName }

// Form is a published form.
type Form struct {
	ID          uuid.UUID
	PublicID    string
	CompanyID   uuid.UUID
	CompanyName string
	Enabled     bool
	Intro       string
	Version     int64
	CreatedAt   time.Time
}

// PublicForm is what the form page shows.
type PublicForm struct {
	CompanyName string
	Intro       string
}

// Request is a confirmed request.
type Request struct {
	ID             uuid.UUID
	Fields         Fields
	CompanyID      uuid.UUID
	CompanyName    string
	State          State
	CertificateID  uuid.UUID
	DeclineMessage string
	CreatedAt      time.Time
	DecidedAt      time.Time
	Version        int64
}

// Candidate is an employee a request may be about.
type Candidate struct {
	EmployeeID                           uuid.UUID
	FirstName, LastName, PersonnelNumber string
	ByPersonnelNumber                    bool
}

func formTarget(id uuid.UUID) uow.Target    { return uow.Target{Type: TargetForm, ID: id} }
func requestTarget(id uuid.UUID) uow.Target { return uow.Target{Type: TargetRequest, ID: id} }
