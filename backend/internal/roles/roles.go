// Package roles manages the tenant's roles (SPEC §3.2): named sets of the
// 15 areas. The builtin Administrator role grants everything and cannot be
// changed or removed, and the tenant always keeps at least one active
// administrator (Guard, also used by package users).
package roles

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/zeugo/zeugo/backend/internal/access"
	"github.com/zeugo/zeugo/backend/internal/apperr"
	"github.com/zeugo/zeugo/backend/internal/paging"
	"github.com/zeugo/zeugo/backend/internal/roles/dbsqlc"
	"github.com/zeugo/zeugo/backend/internal/uow"
)

// Fields are the editable fields of a role.
type Fields struct {
	Name  string
	Areas []access.Area
}

// Role is a stored role.
type Role struct {
	ID        uuid.UUID
	Fields    Fields
	Builtin   bool
	UserCount int64
	Version   int64
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Audit actions of this domain (SPEC §8: role created, changed, deleted).
const (
	ActionCreated = "role.created"
	ActionUpdated = "role.updated"
	ActionDeleted = "role.deleted"
	targetRole    = "role"
)

// Query selects a page of roles (by name).
type Query struct {
	Page paging.Request
	Desc bool
	// Search matches the name, case-insensitively.
	Search string
}

// Errors of this domain.
var (
	// ErrBuiltin refuses changes to the Administrator role.
	ErrBuiltin = apperr.New(apperr.FailedPrecondition, "the Administrator role cannot be changed or deleted")
	// ErrLastAdministrator refuses a change that would leave the tenant
	// without an active administrator.
	ErrLastAdministrator = apperr.New(apperr.FailedPrecondition,
		"the tenant needs at least one active user whose role grants the Administrator area")
)

// RuleLastAdministrator is the rule id of ErrLastAdministrator on a field
// (LastAdministratorOn), which clients translate.
const RuleLastAdministrator = "zeugo.last_administrator"

// LastAdministratorOn is ErrLastAdministrator as a violation of field, so
// that a client shows it where the change was made.
func LastAdministratorOn(field string) error {
	return apperr.Field(apperr.FailedPrecondition, field, RuleLastAdministrator, ErrLastAdministrator.Message)
}

// onField turns ErrLastAdministrator into a violation of field.
func onField(err error, field string) error {
	if err == ErrLastAdministrator {
		return LastAdministratorOn(field)
	}
	return err
}

// Service implements the role use cases, each one unit of work.
type Service struct {
	work *uow.Runner
	q    *dbsqlc.Queries
}

// NewService returns a Service.
func NewService(work *uow.Runner) *Service {
	return &Service{work: work, q: dbsqlc.New()}
}

// normalize trims the name and sorts the areas in the order of SPEC §3.2
// (without duplicates), so equal sets are stored alike.
func normalize(f *Fields) {
	f.Name = strings.TrimSpace(f.Name)
	var out []access.Area
	for _, a := range access.AllAreas {
		if slices.Contains(f.Areas, a) {
			out = append(out, a)
		}
	}
	f.Areas = out
}

func areaNames(areas []access.Area) []string {
	out := make([]string, len(areas))
	for i, a := range areas {
		out[i] = string(a)
	}
	return out
}

func areaDetail(areas []access.Area) string { return strings.Join(areaNames(areas), ",") }

// Create stores a new role.
func (s *Service) Create(ctx context.Context, f Fields) (*Role, error) {
	normalize(&f)
	var r *Role
	err := s.work.Write(ctx, func(tx *uow.Tx) error {
		var err error
		if r, err = insertRole(ctx, s.q, tx, uuid.Must(uuid.NewV7()), f, s.work.Now()); err != nil {
			return err
		}
		return tx.Record(ActionCreated, uow.Target{Type: targetRole, ID: r.ID}, map[string]string{"areas": areaDetail(f.Areas)})
	})
	return r, err
}

// List returns one page of the tenant's roles.
func (s *Service) List(ctx context.Context, q Query) (paging.Page[Role], error) {
	var page paging.Page[Role]
	err := s.work.Read(ctx, func(rd *uow.Reader) (err error) {
		page, err = listRoles(rd, q)
		return err
	})
	return page, err
}

// Get returns one role; NotFound for another tenant's id.
func (s *Service) Get(ctx context.Context, id uuid.UUID) (*Role, error) {
	var r *Role
	err := s.work.Read(ctx, func(rd *uow.Reader) (err error) {
		r, err = getRole(ctx, s.q, rd.DB, rd.P.TenantID, id)
		return err
	})
	return r, err
}

// Update replaces name and areas if version is current. The version grows,
// so every holder's next call is decided on the new areas.
func (s *Service) Update(ctx context.Context, id uuid.UUID, version int64, f Fields) (*Role, error) {
	normalize(&f)
	var r *Role
	err := s.work.Write(ctx, func(tx *uow.Tx) error {
		// The administrators' lock comes first, before the role's row, in
		// the same order as in package users (no deadlock).
		if err := LockAdministrators(ctx, tx); err != nil {
			return err
		}
		before, err := lockRole(ctx, s.q, tx, id)
		if err != nil {
			return err
		}
		if before.Builtin {
			return ErrBuiltin
		}
		if r, err = updateRole(ctx, s.q, tx, id, version, f, s.work.Now()); err != nil {
			return err
		}
		if slices.Contains(before.Areas, string(access.AreaAdministrator)) && !slices.Contains(f.Areas, access.AreaAdministrator) {
			if err := EnsureAdministrator(ctx, tx); err != nil {
				return onField(err, "fields.areas")
			}
		}
		details := map[string]string{"areas": areaDetail(f.Areas), "areas_before": strings.Join(before.Areas, ",")}
		return tx.Record(ActionUpdated, uow.Target{Type: targetRole, ID: id}, details)
	})
	return r, err
}

// Delete removes a role no user holds.
func (s *Service) Delete(ctx context.Context, id uuid.UUID) error {
	return s.work.Write(ctx, func(tx *uow.Tx) error {
		before, err := lockRole(ctx, s.q, tx, id)
		if err != nil {
			return err
		}
		if before.Builtin {
			return ErrBuiltin
		}
		n, err := s.q.CountRoleUsers(ctx, tx, dbsqlc.CountRoleUsersParams{TenantID: tx.P.TenantID, ID: id})
		if err != nil {
			return err
		}
		if n > 0 {
			return apperr.Field(apperr.FailedPrecondition, "id", "zeugo.role_in_use", "the role is held by "+
				strconv.FormatInt(n, 10)+" user(s); assign them another role first")
		}
		if err := deleteRole(ctx, s.q, tx, id); err != nil {
			return err
		}
		return tx.Record(ActionDeleted, uow.Target{Type: targetRole, ID: id}, map[string]string{"areas": strings.Join(before.Areas, ",")})
	})
}
