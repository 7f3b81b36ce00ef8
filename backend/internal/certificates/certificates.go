// Package certificates is the HR user's main job (SPEC §5): a certificate
// (Arbeitszeugnis) of one employee, filled section by section, its text
// generated from the sections by package generator, read back by package
// textcheck, edited by hand, moved through the workflow of SPEC §5.2 and
// issued as a PDF (package pdf) that is stored, so every later download
// returns the same bytes.
//
// Every section is stored on its own (one row, encrypted with the tenant
// key, the certificate id and section as associated data) with its own
// version, which is what a handover grants and what change tracking
// records. Who may reach a certificate is decided in SQL on every path:
// the caller's certificate-access scope over the employee's organisation
// (SPEC §3.3) and the private flag (creator and Administrator access
// only); anything out of reach is NotFound.
package certificates

import (
	"time"

	"github.com/google/uuid"

	"github.com/zeugo/zeugo/backend/internal/access"
	"github.com/zeugo/zeugo/backend/internal/certificates/dbsqlc"
	"github.com/zeugo/zeugo/backend/internal/generator"
	"github.com/zeugo/zeugo/backend/internal/jobs"
	"github.com/zeugo/zeugo/backend/internal/keyring"
	"github.com/zeugo/zeugo/backend/internal/paging"
	"github.com/zeugo/zeugo/backend/internal/uow"
)

// Status is the workflow state (SPEC §5.2).
type Status string

// Statuses as stored.
const (
	Draft      Status = "draft"
	InProgress Status = "in_progress"
	Review     Status = "review"
	Completed  Status = "completed"
	Issued     Status = "issued"
)

// Audit actions of this domain; the target type is "certificate".
const (
	ActionCreated        = "certificate.created"
	ActionRead           = "certificate.read"
	ActionListed         = "certificate.listed"
	ActionSectionUpdated = "certificate.section_updated"
	ActionGenerated      = "certificate.text_generated"
	ActionChecked        = "certificate.text_checked"
	ActionTransitioned   = "certificate.status_changed"
	ActionIssued         = "certificate.issued"
	ActionPrivateSet     = "certificate.private_set"
	ActionCorrected      = "certificate.correction_started"
	ActionDeleted        = "certificate.deleted"
	ActionDownloaded     = "certificate.downloaded"
	ActionHistoryRead    = "certificate.history_read"
	ActionChangesRead    = "certificate.changes_read"
	TargetCertificate    = "certificate"
)

// SectionInfo is a section's version and its last save.
type SectionInfo struct {
	Version       int64
	UpdatedByKind string
	UpdatedBy     uuid.UUID
	UpdatedByName string
	UpdatedAt     time.Time
}

// Certificate is a stored certificate with the sections read.
type Certificate struct {
	ID              uuid.UUID
	EmployeeID      uuid.UUID
	EmployeeName    string
	PersonnelNumber string
	CompanyID       uuid.UUID
	Kind            generator.Kind
	Language        string
	Status          Status
	Private         bool
	Version         int64
	CreatedBy       uuid.UUID // uuid.Nil once that user is gone
	CreatedByName   string
	CreatedAt       time.Time
	UpdatedAt       time.Time
	CorrectsID      uuid.UUID
	IssuedAt        time.Time
	DocumentSHA256  []byte
	Content         Content
	Sections        map[Section]SectionInfo
	// tracking is the tenant's change tracking, read with the lock of a
	// write.
	tracking bool
	// recipient: cut for a handover recipient (forCaller), who moves no
	// status and learns no ids beyond its sections.
	recipient bool
}

// Summary is a row of the list.
type Summary struct {
	ID              uuid.UUID
	EmployeeID      uuid.UUID
	EmployeeName    string
	PersonnelNumber string
	CompanyID       uuid.UUID
	Kind            generator.Kind
	Language        string
	Status          Status
	Private         bool
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

// Order is the sort key of a list.
type Order int

// Sort keys.
const (
	ByUpdateTime Order = iota
	ByCreateTime
)

// Filter narrows a list.
type Filter struct {
	Statuses    []Status
	Kinds       []generator.Kind
	Company     uuid.UUID
	Employee    uuid.UUID
	PrivateOnly bool
	// Search is the employee's personnel number or name words.
	Search string
}

// Query selects a page.
type Query struct {
	Page   paging.Request
	Order  Order
	Desc   bool
	Filter Filter
}

// HistoryEntry is one step of the workflow (From "" for creation).
type HistoryEntry struct {
	From, To  Status
	ActorKind string
	ActorID   uuid.UUID
	ActorName string
	At        time.Time
	Reason    string
}

// Change is one changed field of the change log.
type Change struct {
	ID            uuid.UUID
	Section       Section
	Field         string
	Before, After string
	ActorKind     string
	ActorID       uuid.UUID
	ActorName     string
	At            time.Time
}

// Service implements the certificate use cases, each one unit of work.
type Service struct {
	work  *uow.Runner
	q     *dbsqlc.Queries
	index *keyring.IndexKey
	// libs gives the tenant's library (UseLibraries); the default one
	// without.
	libs Libraries
	// jobs inserts export jobs (UseJobs).
	jobs *jobs.Inserter
	// namers name actors of the kinds other domains add (AddActorNames).
	namers map[access.Kind]ActorNamer
}

// NewService returns a Service; index is the platform blind-index key
// (the list searches the employee's name through it). The text is written
// with the embedded default catalogue (SPEC §5.1: "a new tenant starts
// with a sensible German default set").
func NewService(work *uow.Runner, index *keyring.IndexKey) *Service {
	return &Service{work: work, q: dbsqlc.New(), index: index, libs: defaultLibraries{generator.MustDefaultLibrary()}}
}

func target(id uuid.UUID) uow.Target { return uow.Target{Type: TargetCertificate, ID: id} }
