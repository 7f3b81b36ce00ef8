package handover

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/zeugo/zeugo/backend/internal/access"
	"github.com/zeugo/zeugo/backend/internal/apperr"
	"github.com/zeugo/zeugo/backend/internal/handover/dbsqlc"
	"github.com/zeugo/zeugo/backend/internal/postgres"
	"github.com/zeugo/zeugo/backend/internal/ratelimit"
	"github.com/zeugo/zeugo/backend/internal/requestinfo"
	"github.com/zeugo/zeugo/backend/internal/uow"
)

// RuleWrongCode is the rule id of a wrong one-time code; RuleAttemptEnded
// of a code for an attempt that is over (expired, used, five wrong codes).
const (
	RuleWrongCode    = "zeugo.handover.wrong_code"
	RuleAttemptEnded = "zeugo.handover.attempt_ended"
)

// errClosed is the one answer to every link that does not open: an
// unknown id, a wrong secret, an expired, revoked or completed handover.
var errClosed = apperr.New(apperr.NotFound, "this link is not valid (any more)")

// OpenRequest is the link, and on the second step the attempt and code.
type OpenRequest struct {
	// ID and Secret are the link's halves (32 hex characters each).
	ID, Secret string
	Attempt    uuid.UUID
	Code       string
}

// Opened is a code step (CodeSent set) or a session (Token set).
type Opened struct {
	CodeSent *CodeSent
	Token    string
	Expires  time.Time
}

// CodeSent says where a code went.
type CodeSent struct {
	Attempt     uuid.UUID
	Channel     string
	Destination string
	Expires     time.Time
}

// Open checks a link and starts a recipient session, with a one-time code
// step when the handover asks for one. Every call counts against the
// client address and the handover (OpensPerIP, OpensPerHandover) before
// anything is looked up; refusals and wrong codes are recorded in the
// audit log in transactions of their own, so they stay when the call fails.
func (s *Service) Open(ctx context.Context, in OpenRequest) (*Opened, error) {
	if err := s.limiter.Allow(ctx, OpensPerIP, ratelimit.ClientKey(requestinfo.From(ctx).IP)); err != nil {
		return nil, err
	}
	id, err := parseHex(in.ID)
	if err != nil {
		return nil, errClosed
	}
	if err := s.limiter.Allow(ctx, OpensPerHandover, id.String()); err != nil {
		return nil, err
	}
	tenantID, err := s.tenantOf(ctx, id)
	if err != nil {
		return nil, err
	}
	// From here the recipient acts: the audit log names the handover.
	p := &access.Principal{Kind: access.KindHandoverRecipient, ActorID: id, TenantID: tenantID}
	ctx = access.WithPrincipal(ctx, p)
	var out *Opened
	var refusal error
	hash := sha256.Sum256([]byte(in.Secret))
	err = s.work.Write(ctx, func(tx *uow.Tx) error {
		r, err := s.q.LockHandover(ctx, tx, dbsqlc.LockHandoverParams{TenantID: tenantID, ID: id})
		if err != nil {
			return postgres.NotFoundOr(err)
		}
		h := &r.Handover
		if subtle.ConstantTimeCompare(h.SecretHash, hash[:]) != 1 || !open(h, s.work.Now()) {
			refusal = errClosed
			return tx.Record(ActionOpenRefused, target(id), map[string]string{"state": string(stateOf(h, s.work.Now()))})
		}
		if h.CodeChannel.Valid {
			if in.Attempt == uuid.Nil {
				out, err = s.sendCode(tx, h)
				return err
			}
			if refusal, err = s.checkCode(tx, h, in.Attempt, in.Code); err != nil || refusal != nil {
				return err
			}
		}
		out, err = s.startSession(tx, h)
		return err
	})
	if err != nil {
		if apperr.Is(err, apperr.NotFound) {
			return nil, errClosed
		}
		return nil, err
	}
	if refusal != nil {
		return nil, refusal
	}
	return out, nil
}

// tenantOf names the tenant of a handover id (NotFound for none).
func (s *Service) tenantOf(ctx context.Context, id uuid.UUID) (uuid.UUID, error) {
	var t *uuid.UUID
	err := s.db.Pool.QueryRow(ctx, `SELECT handover_tenant($1)`, id).Scan(&t)
	if err != nil {
		return uuid.Nil, postgres.Classify(err)
	}
	if t == nil {
		return uuid.Nil, errClosed
	}
	return *t, nil
}

// sendCode starts an attempt and sends its code.
func (s *Service) sendCode(tx *uow.Tx, h *dbsqlc.Handover) (*Opened, error) {
	c, err := tx.Cipher()
	if err != nil {
		return nil, err
	}
	r, err := s.recipientOf(tx.Context(), c, h)
	if err != nil {
		return nil, err
	}
	now := s.work.Now()
	attempt, err := uuid.NewV7()
	if err != nil {
		return nil, err
	}
	code := newCode()
	expires := now.Add(CodeTTL)
	if err := s.q.InsertAttempt(tx.Context(), tx, dbsqlc.InsertAttemptParams{ID: attempt, TenantID: tx.P.TenantID,
		HandoverID: h.ID, CodeMac: s.codeMAC(attempt, code), Now: now, ExpiresAt: expires}); err != nil {
		return nil, err
	}
	if err := s.mailCode(tx, h, r, code, expires); err != nil {
		return nil, err
	}
	if err := tx.Record(ActionCodeSent, target(h.ID), map[string]string{"channel": h.CodeChannel.String}); err != nil {
		return nil, err
	}
	to := r.Email
	if h.CodeChannel.String == ChannelSMS {
		to = r.Phone
	}
	return &Opened{CodeSent: &CodeSent{Attempt: attempt, Channel: h.CodeChannel.String,
		Destination: mask(h.CodeChannel.String, to), Expires: expires}}, nil
}

// checkCode checks the code of an attempt. A wrong code counts (and is
// recorded); the fifth ends the attempt and tells HR. It returns the
// refusal to answer after the transaction commits.
func (s *Service) checkCode(tx *uow.Tx, h *dbsqlc.Handover, attempt uuid.UUID, code string) (error, error) {
	ctx := tx.Context()
	a, err := s.q.LockAttempt(ctx, tx, dbsqlc.LockAttemptParams{TenantID: tx.P.TenantID, ID: attempt, HandoverID: h.ID})
	if errors.Is(err, pgx.ErrNoRows) {
		return attemptEnded(), nil
	}
	if err != nil {
		return nil, err
	}
	now := s.work.Now()
	if a.UsedAt.Valid || !now.Before(a.ExpiresAt) {
		return attemptEnded(), nil
	}
	if subtle.ConstantTimeCompare(a.CodeMac, s.codeMAC(attempt, code)) == 1 {
		return nil, s.q.UseAttempt(ctx, tx, dbsqlc.UseAttemptParams{TenantID: tx.P.TenantID, ID: attempt, Now: pgTime(now)})
	}
	failures, err := s.q.FailAttempt(ctx, tx, dbsqlc.FailAttemptParams{TenantID: tx.P.TenantID, ID: attempt, Now: pgTime(now)})
	if err != nil {
		return nil, err
	}
	if err := tx.Record(ActionCodeFailed, target(h.ID), map[string]string{"failures": strconv.Itoa(int(failures))}); err != nil {
		return nil, err
	}
	if failures < MaxCodeFailures {
		return apperr.Field(apperr.InvalidArgument, "code", RuleWrongCode,
			fmt.Sprintf("wrong code; %d attempts left", MaxCodeFailures-int(failures))), nil
	}
	c, err := tx.Cipher()
	if err != nil {
		return nil, err
	}
	if err := s.mailHR(tx, c, h, "handover_code_locked", "LockedAt", now); err != nil {
		return nil, err
	}
	if err := tx.Record(ActionCodeLocked, target(h.ID), nil); err != nil {
		return nil, err
	}
	return attemptEnded(), nil
}

func attemptEnded() error {
	return apperr.Field(apperr.FailedPrecondition, "code", RuleAttemptEnded,
		"this code is no longer valid; request a new one")
}

// startSession starts a recipient session and records the opening.
func (s *Service) startSession(tx *uow.Tx, h *dbsqlc.Handover) (*Opened, error) {
	now := s.work.Now()
	sid, err := uuid.NewV7()
	if err != nil {
		return nil, err
	}
	tok, hash := newToken(tx.P.TenantID, sid)
	expires := now.Add(SessionTTL)
	if h.ExpiresAt.Before(expires) {
		expires = h.ExpiresAt
	}
	if err := s.q.InsertSession(tx.Context(), tx, dbsqlc.InsertSessionParams{ID: sid, TenantID: tx.P.TenantID,
		HandoverID: h.ID, SecretHash: hash, Now: now, ExpiresAt: expires}); err != nil {
		return nil, err
	}
	if err := s.q.MarkOpened(tx.Context(), tx, dbsqlc.MarkOpenedParams{TenantID: tx.P.TenantID, ID: h.ID, Now: pgTime(now)}); err != nil {
		return nil, err
	}
	if err := tx.Record(ActionOpened, target(h.ID), map[string]string{"session": sid.String()}); err != nil {
		return nil, err
	}
	return &Opened{Token: tok, Expires: expires}, nil
}

// newCode is a six-digit code from crypto/rand.
func newCode() string {
	n, err := rand.Int(rand.Reader, big.NewInt(1_000_000))
	if err != nil {
		panic("handover: crypto/rand failed: " + err.Error())
	}
	return fmt.Sprintf("%06d", n.Int64())
}

// codeMAC is the stored form of a code: keyed and bound to its attempt, so
// a database reader cannot try the million codes offline.
func (s *Service) codeMAC(attempt uuid.UUID, code string) []byte {
	return s.index.Sum("handover-code", attempt.String()+":"+code)
}

// parseHex reads a 32-hex-character id.
func parseHex(s string) (uuid.UUID, error) {
	var id uuid.UUID
	if len(s) != 32 {
		return id, errClosed
	}
	_, err := hex.Decode(id[:], []byte(s))
	return id, err
}
