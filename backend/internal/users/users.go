// Package users manages the people who sign in to a tenant (SPEC §3.1,
// §3.3): invitations with a single-use registration link sent through the
// outbox, editing (names, phone, language, role, certificate access),
// deactivation, reactivation and unlocking.
//
// Every change of what a user may do bumps users.authz_version in the same
// transaction (the session check compares it, so the user's very next call
// is decided on the new rights); deactivation also revokes every session.
// Changes that may remove an active administrator run under the tenant's
// administrators' lock (roles.LockAdministrators) and fail when none would
// be left (roles.EnsureAdministrator).
package users

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/zeugo/zeugo/backend/internal/apperr"
	"github.com/zeugo/zeugo/backend/internal/keyring"
	"github.com/zeugo/zeugo/backend/internal/outbox"
	"github.com/zeugo/zeugo/backend/internal/paging"
	"github.com/zeugo/zeugo/backend/internal/roles"
	"github.com/zeugo/zeugo/backend/internal/uow"
	"github.com/zeugo/zeugo/backend/internal/users/dbsqlc"
)

// State is where a user is in its life cycle (users.status).
type State string

// States as stored.
const (
	StateInvited     State = "invited"
	StateActive      State = "active"
	StateLocked      State = "locked"
	StateDeactivated State = "deactivated"
)

// Access is a user's certificate access (SPEC §3.3): All, or the AND of the
// listed dimensions.
type Access struct {
	All                                                        bool
	Companies, Locations, Departments, OrgUnits, EmployeeTypes []uuid.UUID
}

func (a Access) equal(b Access) bool {
	return a.All == b.All && slices.Equal(a.Companies, b.Companies) && slices.Equal(a.Locations, b.Locations) &&
		slices.Equal(a.Departments, b.Departments) && slices.Equal(a.OrgUnits, b.OrgUnits) &&
		slices.Equal(a.EmployeeTypes, b.EmployeeTypes)
}

// Fields are what an invitation sets and UpdateUser replaces.
type Fields struct {
	FirstName, LastName string
	// Phone is E.164 or empty.
	Phone string
	// Language of the user's emails, "de" or "en".
	Language string
	RoleID   uuid.UUID
	Access   Access
}

// User is a stored user.
type User struct {
	ID       uuid.UUID
	Email    string
	Fields   Fields
	RoleName string
	State    State
	Version  int64
	// InvitationExpiresAt is the expiry of the pending invitation link.
	InvitedAt, InvitationExpiresAt, LastLoginAt, LockedAt, DeactivatedAt *time.Time
	CreatedAt, UpdatedAt                                                 time.Time
}

// Option is a company or unit that certificate access can name.
type Option struct {
	ID   uuid.UUID
	Name string
}

// Options are the choices of certificate access, per dimension.
type Options struct {
	Companies, Locations, Departments, OrgUnits, EmployeeTypes []Option
}

// Query selects a page of users (by creation time).
type Query struct {
	Page paging.Request
	Desc bool
	// State filters; empty for all.
	State State
	// Search: an exact email (contains "@") or a part of a name.
	Search string
}

// Audit actions of this domain (SPEC §8).
const (
	ActionInvitationSent      = "user.invitation.sent"
	ActionInvitationResent    = "user.invitation.resent"
	ActionInvitationCancelled = "user.invitation.cancelled"
	ActionUpdated             = "user.updated"
	ActionRoleAssigned        = "user.role.assigned"
	ActionAccessChanged       = "user.certificate_access.changed"
	ActionDeactivated         = "user.deactivated"
	ActionReactivated         = "user.reactivated"
	ActionUnlocked            = "user.unlocked"
	ActionSessionsEnded       = "user.sessions.ended"
	// ActionRead records that a user's record (names, email, phone) was
	// opened (SPEC §8: reads of personal data). Lists are not recorded per
	// row: they show what the detail shows only for the rows on screen, and
	// their reader is recorded by the access log of the call.
	ActionRead = "user.read"
	targetUser = "user"
)

// MaxNameSearch bounds the users a name search decrypts (names are stored
// encrypted, so they are compared in the server).
const MaxNameSearch = 5000

// Errors of this domain.
var (
	errNotInvited  = apperr.New(apperr.FailedPrecondition, "the user is not in state invited")
	errSelf        = apperr.New(apperr.FailedPrecondition, "you cannot deactivate yourself")
	errOwnSessions = apperr.New(apperr.FailedPrecondition,
		"to end your own sessions, use \"log out everywhere\" in your account")
	errTooMany = apperr.New(apperr.FailedPrecondition,
		"too many users to search by name; search by the exact email address")
)

// Service implements the user use cases, each one unit of work.
type Service struct {
	work      *uow.Runner
	q         *dbsqlc.Queries
	outbox    *outbox.Outbox
	index     *keyring.IndexKey
	publicURL string
}

// NewService returns a Service; links in emails start with publicURL.
func NewService(work *uow.Runner, ob *outbox.Outbox, index *keyring.IndexKey, publicURL *url.URL) *Service {
	base := ""
	if publicURL != nil {
		base = strings.TrimSuffix(publicURL.String(), "/")
	}
	return &Service{work: work, q: dbsqlc.New(), outbox: ob, index: index, publicURL: base}
}

func sortedIDs(ids []uuid.UUID) []uuid.UUID {
	out := slices.Clone(ids)
	slices.SortFunc(out, func(a, b uuid.UUID) int { return strings.Compare(a.String(), b.String()) })
	return slices.Compact(out)
}

func normalize(f *Fields) {
	f.FirstName, f.LastName, f.Phone = strings.TrimSpace(f.FirstName), strings.TrimSpace(f.LastName), strings.TrimSpace(f.Phone)
	if f.Language == "" {
		f.Language = "de"
	}
	a := &f.Access
	if a.All {
		*a = Access{All: true}
	}
	a.Companies, a.Locations, a.Departments = sortedIDs(a.Companies), sortedIDs(a.Locations), sortedIDs(a.Departments)
	a.OrgUnits, a.EmployeeTypes = sortedIDs(a.OrgUnits), sortedIDs(a.EmployeeTypes)
}

// Invite creates the user in state invited, its registration link and the
// invitation email, in one transaction.
func (s *Service) Invite(ctx context.Context, email string, f Fields) (*User, error) {
	normalize(&f)
	email = keyring.NormalizeEmail(email)
	var u *User
	err := s.work.Write(ctx, func(tx *uow.Tx) error {
		if err := s.checkFields(ctx, tx, f); err != nil {
			return err
		}
		id := uuid.Must(uuid.NewV7())
		now := s.work.Now()
		if err := insertInvited(ctx, s.q, tx, s.index, id, email, f, now); err != nil {
			return err
		}
		expires, err := s.sendInvitation(ctx, tx, id, email, f, now)
		if err != nil {
			return err
		}
		if err := tx.Record(ActionInvitationSent, uow.Target{Type: targetUser, ID: id},
			map[string]string{"role_id": f.RoleID.String(), "expires_at": expires.UTC().Format(time.RFC3339)}); err != nil {
			return err
		}
		u, err = s.getInTx(ctx, tx, id)
		return err
	})
	return u, err
}

// ResendInvitation replaces the user's registration link with a new one
// and sends it.
func (s *Service) ResendInvitation(ctx context.Context, id uuid.UUID) (*User, error) {
	var u *User
	err := s.work.Write(ctx, func(tx *uow.Tx) error {
		now := s.work.Now()
		n, err := s.q.TouchInvitedUser(ctx, tx, dbsqlc.TouchInvitedUserParams{TenantID: tx.P.TenantID, ID: id,
			InvitedBy: tx.P.ActorID, Now: now})
		if err != nil {
			return err
		}
		if n == 0 {
			return s.notInState(ctx, tx, id, errNotInvited)
		}
		if _, err := s.q.DeleteLinks(ctx, tx, dbsqlc.DeleteLinksParams{TenantID: tx.P.TenantID, UserID: id, Purpose: purposeInvitation}); err != nil {
			return err
		}
		cur, err := s.getInTx(ctx, tx, id)
		if err != nil {
			return err
		}
		expires, err := s.sendInvitation(ctx, tx, id, cur.Email, cur.Fields, now)
		if err != nil {
			return err
		}
		if err := tx.Record(ActionInvitationResent, uow.Target{Type: targetUser, ID: id},
			map[string]string{"expires_at": expires.UTC().Format(time.RFC3339)}); err != nil {
			return err
		}
		u, err = s.getInTx(ctx, tx, id)
		return err
	})
	return u, err
}

// CancelInvitation removes an invited user and its link.
func (s *Service) CancelInvitation(ctx context.Context, id uuid.UUID) error {
	return s.work.Write(ctx, func(tx *uow.Tx) error {
		n, err := s.q.DeleteInvitedUser(ctx, tx, dbsqlc.DeleteInvitedUserParams{TenantID: tx.P.TenantID, ID: id})
		if err != nil {
			return err
		}
		if n == 0 {
			return s.notInState(ctx, tx, id, errNotInvited)
		}
		return tx.Record(ActionInvitationCancelled, uow.Target{Type: targetUser, ID: id}, nil)
	})
}

// List returns one page of the tenant's users.
func (s *Service) List(ctx context.Context, q Query) (paging.Page[User], error) {
	var page paging.Page[User]
	err := s.work.Read(ctx, func(rd *uow.Reader) (err error) {
		page, err = s.listUsers(rd, q)
		return err
	})
	return page, err
}

// Get returns one user; NotFound for another tenant's id.
func (s *Service) Get(ctx context.Context, id uuid.UUID) (*User, error) {
	var u *User
	err := s.work.Read(ctx, func(rd *uow.Reader) error {
		c, err := rd.Cipher()
		if err != nil {
			return err
		}
		if u, err = getUser(ctx, s.q, rd.DB, c, rd.P.TenantID, id); err != nil {
			return err
		}
		rd.Audit(ActionRead, uow.Target{Type: targetUser, ID: id})
		return nil
	})
	return u, err
}

// AccessOptions lists what certificate access can name.
func (s *Service) AccessOptions(ctx context.Context) (*Options, error) {
	var o *Options
	err := s.work.Read(ctx, func(rd *uow.Reader) (err error) {
		o, err = accessOptions(ctx, s.q, rd)
		return err
	})
	return o, err
}

// Update replaces the user's fields if version is current.
func (s *Service) Update(ctx context.Context, id uuid.UUID, version int64, f Fields) (*User, error) {
	normalize(&f)
	var u *User
	err := s.work.Write(ctx, func(tx *uow.Tx) error {
		// First the administrators' lock, then the user's row: the same
		// order as every other change that may remove an administrator.
		if err := roles.LockAdministrators(ctx, tx); err != nil {
			return err
		}
		before, err := s.q.LockUser(ctx, tx, dbsqlc.LockUserParams{TenantID: tx.P.TenantID, ID: id})
		if err != nil {
			return notFoundOr(err)
		}
		if before.Version != version {
			return apperr.ErrConcurrentChange
		}
		if err := s.checkFields(ctx, tx, f); err != nil {
			return err
		}
		old := Access{All: before.AccessAll, Companies: before.AccessCompanies, Locations: before.AccessLocations,
			Departments: before.AccessDepartments, OrgUnits: before.AccessOrgUnits, EmployeeTypes: before.AccessEmployeeTypes}
		roleChanged, accessChanged := before.RoleID != f.RoleID, !old.equal(f.Access)
		if err := updateUser(ctx, s.q, tx, id, version, f, roleChanged || accessChanged, s.work.Now()); err != nil {
			return err
		}
		target := uow.Target{Type: targetUser, ID: id}
		if roleChanged {
			if err := roles.EnsureAdministrator(ctx, tx); err != nil {
				if err == roles.ErrLastAdministrator {
					return roles.LastAdministratorOn("fields.role_id")
				}
				return err
			}
			if err := tx.Record(ActionRoleAssigned, target, map[string]string{"role_before": before.RoleID.String(),
				"role": f.RoleID.String()}); err != nil {
				return err
			}
		}
		if accessChanged {
			if err := tx.Record(ActionAccessChanged, target, accessDetails(f.Access)); err != nil {
				return err
			}
		}
		if err := tx.Record(ActionUpdated, target, nil); err != nil {
			return err
		}
		u, err = s.getInTx(ctx, tx, id)
		return err
	})
	return u, err
}

// Deactivate ends the user's access: state deactivated, every session
// revoked, rights version bumped (API keys of the user are refused by
// their check, which requires an active user).
func (s *Service) Deactivate(ctx context.Context, id uuid.UUID) (*User, error) {
	var u *User
	err := s.work.Write(ctx, func(tx *uow.Tx) error {
		if id == tx.P.ActorID {
			return errSelf
		}
		if err := roles.LockAdministrators(ctx, tx); err != nil {
			return err
		}
		now := s.work.Now()
		if err := s.setState(ctx, tx, id, StateDeactivated, now, StateActive, StateLocked); err != nil {
			return err
		}
		revoked, err := s.q.RevokeSessions(ctx, tx, dbsqlc.RevokeSessionsParams{TenantID: tx.P.TenantID, UserID: id,
			Now: now, Reason: "user_deactivated"})
		if err != nil {
			return err
		}
		if err := roles.EnsureAdministrator(ctx, tx); err != nil {
			if err == roles.ErrLastAdministrator {
				return roles.LastAdministratorOn("id")
			}
			return err
		}
		if err := tx.Record(ActionDeactivated, uow.Target{Type: targetUser, ID: id},
			map[string]string{"sessions_revoked": itoa(revoked)}); err != nil {
			return err
		}
		u, err = s.getInTx(ctx, tx, id)
		return err
	})
	return u, err
}

// EndSessions ends every live session of another user and keeps the
// account (ASVS V7.4.5); it returns how many ended.
func (s *Service) EndSessions(ctx context.Context, id uuid.UUID) (int64, error) {
	var ended int64
	err := s.work.Write(ctx, func(tx *uow.Tx) error {
		if id == tx.P.ActorID {
			return errOwnSessions
		}
		if _, err := s.getInTx(ctx, tx, id); err != nil { // NotFound across tenants
			return err
		}
		var err error
		ended, err = s.q.RevokeSessions(ctx, tx, dbsqlc.RevokeSessionsParams{TenantID: tx.P.TenantID, UserID: id,
			Now: s.work.Now(), Reason: "ended_by_administrator"})
		if err != nil {
			return err
		}
		return tx.Record(ActionSessionsEnded, uow.Target{Type: targetUser, ID: id},
			map[string]string{"sessions_ended": itoa(ended)})
	})
	return ended, err
}

// Reactivate makes a deactivated user active again.
func (s *Service) Reactivate(ctx context.Context, id uuid.UUID) (*User, error) {
	return s.transition(ctx, id, StateActive, ActionReactivated, StateDeactivated)
}

// Unlock makes a locked user active again and clears its failure count.
func (s *Service) Unlock(ctx context.Context, id uuid.UUID) (*User, error) {
	return s.transition(ctx, id, StateActive, ActionUnlocked, StateLocked)
}

func (s *Service) transition(ctx context.Context, id uuid.UUID, to State, action string, from ...State) (*User, error) {
	var u *User
	err := s.work.Write(ctx, func(tx *uow.Tx) error {
		if err := s.setState(ctx, tx, id, to, s.work.Now(), from...); err != nil {
			return err
		}
		if err := tx.Record(action, uow.Target{Type: targetUser, ID: id}, nil); err != nil {
			return err
		}
		var err error
		u, err = s.getInTx(ctx, tx, id)
		return err
	})
	return u, err
}
