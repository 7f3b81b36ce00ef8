package handover

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strconv"
	"strings"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/zeugo/zeugo/backend/internal/access"
	"github.com/zeugo/zeugo/backend/internal/apperr"
	"github.com/zeugo/zeugo/backend/internal/certificates"
	"github.com/zeugo/zeugo/backend/internal/handover/dbsqlc"
	"github.com/zeugo/zeugo/backend/internal/keyring"
	"github.com/zeugo/zeugo/backend/internal/postgres"
	"github.com/zeugo/zeugo/backend/internal/uow"
	"github.com/zeugo/zeugo/backend/internal/users"
)

// Associated-data names of the encrypted columns.
const (
	colName    = "handovers.recipient_name"
	colEmail   = "handovers.recipient_email"
	colPhone   = "handovers.recipient_phone"
	colMessage = "handovers.message"
)

// Rule ids of this domain's field violations.
const (
	RuleReadOnlySection = "zeugo.handover.read_only_section"
	RuleNothingReadable = "zeugo.handover.nothing_readable"
	RuleCodeRequired    = "zeugo.handover.code_required"
	RuleChannel         = "zeugo.handover.channel"
	RulePhoneRequired   = "zeugo.handover.phone_required"
	RuleMaxDays         = "zeugo.handover.max_days"
	RuleState           = "zeugo.handover.state"
)

// newSecret is the link's secret (32 hex characters) and its stored hash.
func newSecret() (string, []byte) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		panic("handover: crypto/rand failed: " + err.Error())
	}
	secret := hex.EncodeToString(b)
	h := sha256.Sum256([]byte(secret))
	return secret, h[:]
}

// Create hands a certificate over: checks the grants against the tenant's
// settings and the operator's maximum, moves the certificate to "in
// progress", stores the handover and queues the mail with the link, all in
// one transaction.
func (s *Service) Create(ctx context.Context, in NewHandover) (*Handover, error) {
	if err := s.checkGrants(in); err != nil {
		return nil, err
	}
	days := in.ExpiresInDays
	if days == 0 {
		days = min(DefaultDays, s.maxDays)
	}
	if err := s.checkDays(days, "expires_in_days"); err != nil {
		return nil, err
	}
	var out *Handover
	err := s.work.Write(ctx, func(tx *uow.Tx) error {
		if err := s.checkChannel(tx, in); err != nil {
			return err
		}
		if _, err := s.certs.HandOver(tx, in.CertificateID); err != nil {
			return err
		}
		c, err := tx.Cipher()
		if err != nil {
			return err
		}
		now := s.work.Now()
		id := randomID()
		secret, hash := newSecret()
		h := dbsqlc.Handover{ID: id, TenantID: tx.P.TenantID, CertificateID: in.CertificateID, CreatedAt: now,
			Language: in.Language, ReadSections: sectionNames(in.Grants, false), WriteSections: sectionNames(in.Grants, true),
			Download: in.Download, SecretHash: hash, ExpiresAt: now.AddDate(0, 0, days), SentAt: now, Version: 1,
			RecipientNameEnc: c.SealString(id, colName, in.Recipient.Name), RecipientEmailEnc: c.SealString(id, colEmail, in.Recipient.Email)}
		if tx.P.UserID != uuid.Nil {
			h.CreatedBy = pgtype.UUID{Bytes: tx.P.UserID, Valid: true}
		}
		if in.Recipient.Phone != "" {
			h.RecipientPhoneEnc = c.SealString(id, colPhone, in.Recipient.Phone)
		}
		if in.Message != "" {
			h.MessageEnc = c.SealString(id, colMessage, in.Message)
		}
		if in.CodeChannel != "" {
			h.CodeChannel = pgtype.Text{String: in.CodeChannel, Valid: true}
		}
		if err := s.q.InsertHandover(ctx, tx, dbsqlc.InsertHandoverParams{ID: id, TenantID: h.TenantID,
			CertificateID: h.CertificateID, CreatedBy: h.CreatedBy, Now: now, RecipientNameEnc: h.RecipientNameEnc,
			RecipientEmailEnc: h.RecipientEmailEnc, RecipientPhoneEnc: h.RecipientPhoneEnc, MessageEnc: h.MessageEnc,
			Language: h.Language, ReadSections: h.ReadSections, WriteSections: h.WriteSections, Download: h.Download,
			CodeChannel: h.CodeChannel, SecretHash: hash, ExpiresAt: h.ExpiresAt}); err != nil {
			return err
		}
		if err := s.mailLink(tx, c, &h, in.Recipient, in.Message, secret); err != nil {
			return err
		}
		if err := tx.Record(ActionCreated, target(id), map[string]string{"certificate": in.CertificateID.String(),
			"read": strings.Join(h.ReadSections, ","), "write": strings.Join(h.WriteSections, ","),
			"download": strconv.FormatBool(in.Download), "code": in.CodeChannel, "days": strconv.Itoa(days)}); err != nil {
			return err
		}
		out, err = s.decrypt(ctx, tx, c, tx.P.TenantID, &h)
		return err
	})
	return out, err
}

// checkGrants refuses grants that give nothing to read, or write a section
// the recipient cannot fill.
func (s *Service) checkGrants(in NewHandover) error {
	readable := false
	for i, g := range in.Grants {
		if g.Write && slices.Contains(readOnlySections, g.Section) {
			return apperr.Field(apperr.InvalidArgument, "grants["+strconv.Itoa(i)+"].write", RuleReadOnlySection,
				"this section is chosen from the tenant's records and can be handed over for reading only")
		}
		readable = readable || g.Read || g.Write
	}
	if !readable {
		return apperr.Field(apperr.InvalidArgument, "grants", RuleNothingReadable, "grant at least one section")
	}
	if in.CodeChannel == ChannelSMS && in.Recipient.Phone == "" {
		return apperr.Field(apperr.InvalidArgument, "recipient.phone", RulePhoneRequired, "a code by SMS needs the recipient's mobile number")
	}
	return nil
}

// checkDays refuses a lifetime beyond the operator's maximum.
func (s *Service) checkDays(days int, field string) error {
	if days > s.maxDays {
		return apperr.Field(apperr.InvalidArgument, field, RuleMaxDays, "at most "+strconv.Itoa(s.maxDays)+" days")
	}
	return nil
}

// checkChannel holds the code channel against the tenant's privacy
// settings: a code when they require one, and only the channels they allow.
func (s *Service) checkChannel(tx *uow.Tx, in NewHandover) error {
	st, err := s.q.Settings(tx.Context(), tx, tx.P.TenantID)
	if err != nil {
		return err
	}
	if in.CodeChannel == "" {
		if st.HandoverCodeRequired {
			return apperr.Field(apperr.InvalidArgument, "code_channel", RuleCodeRequired,
				"the privacy settings require a one-time code for every handover")
		}
		return nil
	}
	if !slices.Contains(st.HandoverCodeChannels, in.CodeChannel) {
		return apperr.Field(apperr.InvalidArgument, "code_channel", RuleChannel,
			"the privacy settings do not allow codes by "+in.CodeChannel)
	}
	return nil
}

// List returns a certificate's handovers in the caller's reach, newest
// first; each is a recorded read (recipients' names and addresses).
func (s *Service) List(ctx context.Context, certificateID uuid.UUID) ([]*Handover, error) {
	var out []*Handover
	err := s.work.Read(ctx, func(rd *uow.Reader) error {
		if err := certificates.Reachable(ctx, rd.DB, rd.P, certificateID, false); err != nil {
			return err
		}
		rows, err := s.q.HandoversOf(ctx, rd.DB, dbsqlc.HandoversOfParams{TenantID: rd.P.TenantID, CertificateID: certificateID})
		if err != nil {
			return err
		}
		c, err := rd.Cipher()
		if err != nil {
			return err
		}
		out = make([]*Handover, 0, len(rows))
		for _, r := range rows {
			h, err := s.decrypt(ctx, rd.DB, c, rd.P.TenantID, &r.Handover)
			if err != nil {
				return err
			}
			out = append(out, h)
			rd.Audit(ActionRead, target(h.ID))
		}
		return nil
	})
	return out, err
}

// change runs fn on a handover locked for HR's change: in the caller's
// reach (its certificate), at version, and still changeable (not revoked
// or completed). It returns the handover as changed.
func (s *Service) change(ctx context.Context, id uuid.UUID, version int64, fn func(tx *uow.Tx, c *keyring.TenantCipher, h *dbsqlc.Handover) error) (*Handover, error) {
	var out *Handover
	err := s.work.Write(ctx, func(tx *uow.Tx) error {
		r, err := s.q.LockHandover(ctx, tx, dbsqlc.LockHandoverParams{TenantID: tx.P.TenantID, ID: id})
		if err != nil {
			return postgres.NotFoundOr(err)
		}
		h := &r.Handover
		if err := certificates.Reachable(ctx, tx, tx.P, h.CertificateID, false); err != nil {
			return err
		}
		if h.Version != version {
			return apperr.ErrConcurrentChange
		}
		if st := stateOf(h, s.work.Now()); st == StateRevoked || st == StateCompleted {
			return apperr.Field(apperr.FailedPrecondition, "id", RuleState, "the handover is "+string(st))
		}
		c, err := tx.Cipher()
		if err != nil {
			return err
		}
		if err := fn(tx, c, h); err != nil {
			return err
		}
		h.Version++
		out, err = s.decrypt(ctx, tx, c, tx.P.TenantID, h)
		return err
	})
	return out, err
}

// Revoke ends a handover now: the link and every recipient session stop
// working.
func (s *Service) Revoke(ctx context.Context, id uuid.UUID, version int64) (*Handover, error) {
	return s.change(ctx, id, version, func(tx *uow.Tx, _ *keyring.TenantCipher, h *dbsqlc.Handover) error {
		now := s.work.Now()
		if err := postgres.Affected(s.q.Revoke(tx.Context(), tx, dbsqlc.RevokeParams{TenantID: tx.P.TenantID, ID: h.ID,
			Now: pgtype.Timestamptz{Time: now, Valid: true}, Version: h.Version})); err != nil {
			return err
		}
		h.RevokedAt = pgtype.Timestamptz{Time: now, Valid: true}
		if err := s.endAccess(tx, h.ID); err != nil {
			return err
		}
		return tx.Record(ActionRevoked, target(h.ID), nil)
	})
}

// Resend mails a new link; the old one and every open session stop
// working. An expired handover is extended first.
func (s *Service) Resend(ctx context.Context, id uuid.UUID, version int64) (*Handover, error) {
	return s.change(ctx, id, version, func(tx *uow.Tx, c *keyring.TenantCipher, h *dbsqlc.Handover) error {
		if !open(h, s.work.Now()) {
			return apperr.Field(apperr.FailedPrecondition, "id", RuleState, "the handover has expired; extend it first")
		}
		now := s.work.Now()
		secret, hash := newSecret()
		if err := postgres.Affected(s.q.Resend(tx.Context(), tx, dbsqlc.ResendParams{TenantID: tx.P.TenantID, ID: h.ID,
			SecretHash: hash, Now: now, Version: h.Version})); err != nil {
			return err
		}
		h.SecretHash, h.SentAt = hash, now
		if err := s.endAccess(tx, h.ID); err != nil {
			return err
		}
		r, err := s.recipientOf(tx.Context(), c, h)
		if err != nil {
			return err
		}
		msg, err := openOptional(tx.Context(), c, h.ID, colMessage, h.MessageEnc)
		if err != nil {
			return err
		}
		if err := s.mailLink(tx, c, h, r, msg, secret); err != nil {
			return err
		}
		return tx.Record(ActionResent, target(h.ID), nil)
	})
}

// Extend sets the expiry to days from now (within the operator's
// maximum); an expired handover opens again.
func (s *Service) Extend(ctx context.Context, id uuid.UUID, version int64, days int) (*Handover, error) {
	if err := s.checkDays(days, "expires_in_days"); err != nil {
		return nil, err
	}
	return s.change(ctx, id, version, func(tx *uow.Tx, _ *keyring.TenantCipher, h *dbsqlc.Handover) error {
		exp := s.work.Now().AddDate(0, 0, days)
		if err := postgres.Affected(s.q.Extend(tx.Context(), tx, dbsqlc.ExtendParams{TenantID: tx.P.TenantID, ID: h.ID,
			ExpiresAt: exp, Version: h.Version})); err != nil {
			return err
		}
		h.ExpiresAt = exp
		return tx.Record(ActionExtended, target(h.ID), map[string]string{"days": strconv.Itoa(days)})
	})
}

// endAccess ends every recipient session and pending code of a handover.
func (s *Service) endAccess(tx *uow.Tx, id uuid.UUID) error {
	if err := s.q.EndSessions(tx.Context(), tx, dbsqlc.EndSessionsParams{TenantID: tx.P.TenantID, HandoverID: id}); err != nil {
		return err
	}
	return s.q.EndAttempts(tx.Context(), tx, dbsqlc.EndAttemptsParams{TenantID: tx.P.TenantID, HandoverID: id})
}

// recipientOf decrypts the recipient.
func (s *Service) recipientOf(ctx context.Context, c *keyring.TenantCipher, h *dbsqlc.Handover) (Recipient, error) {
	var r Recipient
	var err error
	if r.Name, err = c.OpenString(ctx, h.ID, colName, h.RecipientNameEnc); err != nil {
		return r, err
	}
	if r.Email, err = c.OpenString(ctx, h.ID, colEmail, h.RecipientEmailEnc); err != nil {
		return r, err
	}
	r.Phone, err = openOptional(ctx, c, h.ID, colPhone, h.RecipientPhoneEnc)
	return r, err
}

func openOptional(ctx context.Context, c *keyring.TenantCipher, id uuid.UUID, col string, v []byte) (string, error) {
	if v == nil {
		return "", nil
	}
	return c.OpenString(ctx, id, col, v)
}

// decrypt is the handover as HR sees it, with its creator's name.
func (s *Service) decrypt(ctx context.Context, db postgres.DBTX, c *keyring.TenantCipher, tenantID uuid.UUID, h *dbsqlc.Handover) (*Handover, error) {
	r, err := s.recipientOf(ctx, c, h)
	if err != nil {
		return nil, err
	}
	msg, err := openOptional(ctx, c, h.ID, colMessage, h.MessageEnc)
	if err != nil {
		return nil, err
	}
	out := &Handover{ID: h.ID, CertificateID: h.CertificateID, Recipient: r, Message: msg, Language: h.Language,
		Read: h.ReadSections, Write: h.WriteSections, Download: h.Download, CodeChannel: h.CodeChannel.String,
		State: stateOf(h, s.work.Now()), CreatedAt: h.CreatedAt, SentAt: h.SentAt, ExpiresAt: h.ExpiresAt,
		OpenedAt: h.OpenedAt.Time, CompletedAt: h.CompletedAt.Time, RevokedAt: h.RevokedAt.Time, Version: h.Version}
	if h.CreatedBy.Valid {
		out.CreatedBy = h.CreatedBy.Bytes
		names, err := users.Names(ctx, db, c, tenantID, []uuid.UUID{out.CreatedBy})
		if err != nil {
			return nil, err
		}
		out.CreatedByName = names[out.CreatedBy]
	}
	return out, nil
}

// recipientNames names recipients (the handover's id is their actor id)
// for the certificates' history, change log and "saved by".
func (s *Service) recipientNames(ctx context.Context, db postgres.DBTX, c *keyring.TenantCipher, tenantID uuid.UUID, ids []uuid.UUID) (map[uuid.UUID]string, error) {
	rows, err := s.q.RecipientNames(ctx, db, dbsqlc.RecipientNamesParams{TenantID: tenantID, Ids: ids})
	if err != nil {
		return nil, err
	}
	out := make(map[uuid.UUID]string, len(rows))
	for _, r := range rows {
		if out[r.ID], err = c.OpenString(ctx, r.ID, colName, r.RecipientNameEnc); err != nil {
			return nil, err
		}
	}
	return out, nil
}

const kindRecipient = access.KindHandoverRecipient
