// Package account is "Mein Konto" (SPEC §3.1, issue 13 items 6 and 10): a
// signed-in user's own sessions and profile. Every use case acts on the
// caller only (the rpcs are SIGNED_IN, users only); an id that is not the
// caller's is NotFound.
package account

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/zeugo/zeugo/backend/internal/account/dbsqlc"
	"github.com/zeugo/zeugo/backend/internal/uow"
)

// Audit actions of this domain. The actor of each is the caller (by whom).
const (
	// ActionSessionRevoked: the caller ended one of their sessions.
	ActionSessionRevoked = "account.session.revoked"
	// ActionLogoutEverywhere: the caller ended all of their sessions.
	ActionLogoutEverywhere = "account.logout_everywhere"
	// ActionProfileUpdated: the caller changed their own profile.
	ActionProfileUpdated = "account.profile.updated"
)

// Revocation reasons (sessions.revoke_reason).
const (
	reasonRevokedByOwner   = "revoked_by_owner"
	reasonLogoutEverywhere = "logout_everywhere"
)

const (
	targetSession = "session"
	targetUser    = "user"
)

// Session is one live session of the caller.
type Session struct {
	ID            uuid.UUID
	Browser       string
	OS            string
	Mobile        bool
	ClientNetwork string
	LoginMethod   string
	CreatedAt     time.Time
	LastActiveAt  time.Time
	ExpiresAt     time.Time
	// Current is the session of the call.
	Current bool
}

// ProfileFields are what a user edits of their own profile.
type ProfileFields struct {
	FirstName, LastName, Phone, Language string
}

// Profile is the caller's own profile.
type Profile struct {
	Email   string
	Fields  ProfileFields
	Version int64
}

// Service implements the use cases, each one unit of work.
type Service struct {
	work *uow.Runner
	q    *dbsqlc.Queries
}

// NewService returns a Service.
func NewService(work *uow.Runner) *Service {
	return &Service{work: work, q: dbsqlc.New()}
}

// ListMySessions returns the caller's live sessions, most recently active
// first (at most 100).
func (s *Service) ListMySessions(ctx context.Context) ([]Session, error) {
	var out []Session
	err := s.work.Read(ctx, func(rd *uow.Reader) error {
		rows, err := s.q.ListMySessions(ctx, rd.DB, dbsqlc.ListMySessionsParams{TenantID: rd.P.TenantID,
			UserID: rd.P.UserID, Now: s.work.Now()})
		if err != nil {
			return err
		}
		out = make([]Session, 0, len(rows))
		for _, r := range rows {
			out = append(out, Session{ID: r.ID, Browser: r.UserAgentBrowser, OS: r.UserAgentOs, Mobile: r.UserAgentMobile,
				ClientNetwork: r.ClientNetwork, LoginMethod: r.LoginMethod, CreatedAt: r.CreatedAt,
				LastActiveAt: r.LastSeenAt, ExpiresAt: r.AbsoluteExpiresAt, Current: r.ID == rd.P.SessionID})
		}
		return nil
	})
	return out, err
}

// RevokeMySession ends one live session of the caller; NotFound for any
// other id (another user's, another tenant's, an ended session).
func (s *Service) RevokeMySession(ctx context.Context, id uuid.UUID) error {
	return s.work.Write(ctx, func(tx *uow.Tx) error {
		n, err := s.q.RevokeMySession(ctx, tx, dbsqlc.RevokeMySessionParams{Now: s.work.Now(), Reason: reasonRevokedByOwner,
			TenantID: tx.P.TenantID, UserID: tx.P.UserID, ID: id})
		if err := affected(n, err); err != nil {
			return err
		}
		return tx.Record(ActionSessionRevoked, uow.Target{Type: targetSession, ID: id},
			map[string]string{"reason": reasonRevokedByOwner, "current": strconv.FormatBool(id == tx.P.SessionID)})
	})
}

// LogoutEverywhere ends every session of the caller, the current one
// included, and returns how many ended.
func (s *Service) LogoutEverywhere(ctx context.Context) (int, error) {
	var n int64
	err := s.work.Write(ctx, func(tx *uow.Tx) error {
		var err error
		if n, err = s.q.RevokeAllMySessions(ctx, tx, dbsqlc.RevokeAllMySessionsParams{Now: s.work.Now(),
			Reason: reasonLogoutEverywhere, TenantID: tx.P.TenantID, UserID: tx.P.UserID}); err != nil {
			return err
		}
		return tx.Record(ActionLogoutEverywhere, uow.Target{Type: targetUser, ID: tx.P.UserID},
			map[string]string{"sessions": strconv.FormatInt(n, 10)})
	})
	return int(n), err
}

// GetMyProfile returns the caller's profile.
func (s *Service) GetMyProfile(ctx context.Context) (*Profile, error) {
	var p *Profile
	err := s.work.Read(ctx, func(rd *uow.Reader) (err error) {
		p, err = getProfile(ctx, s.q, rd)
		return err
	})
	return p, err
}

// UpdateMyProfile replaces the caller's editable fields if version is
// current (else Aborted).
func (s *Service) UpdateMyProfile(ctx context.Context, version int64, f ProfileFields) (*Profile, error) {
	f.FirstName, f.LastName, f.Phone = strings.TrimSpace(f.FirstName), strings.TrimSpace(f.LastName), strings.TrimSpace(f.Phone)
	var p *Profile
	err := s.work.Write(ctx, func(tx *uow.Tx) error {
		var err error
		if p, err = updateProfile(ctx, s.q, tx, version, f, s.work.Now()); err != nil {
			return err
		}
		return tx.Record(ActionProfileUpdated, uow.Target{Type: targetUser, ID: tx.P.UserID}, nil)
	})
	return p, err
}
