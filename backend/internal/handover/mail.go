package handover

import (
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/zeugo/zeugo/backend/internal/handover/dbsqlc"
	"github.com/zeugo/zeugo/backend/internal/keyring"
	"github.com/zeugo/zeugo/backend/internal/outbox"
	"github.com/zeugo/zeugo/backend/internal/uow"
	"github.com/zeugo/zeugo/backend/internal/users"
)

// link is the recipient's link: the id in the path, the secret in the
// fragment (never sent to a server, never in a Referer).
func (s *Service) link(id uuid.UUID, secret string) string {
	return s.base() + "/h/" + strings.ReplaceAll(id.String(), "-", "") + "#" + secret
}

// certificateLink is HR's link to the certificate in the SPA.
func (s *Service) certificateLink(id uuid.UUID) string {
	return s.base() + "/certificates/" + id.String()
}

// base is the public address without a trailing slash ("" when the
// operator command that built the service has none).
func (s *Service) base() string {
	if s.public == nil {
		return ""
	}
	return strings.TrimRight(s.public.String(), "/")
}

// mailLink queues the handover mail with the link, in tx.
func (s *Service) mailLink(tx *uow.Tx, c *keyring.TenantCipher, h *dbsqlc.Handover, r Recipient, message, secret string) error {
	from := ""
	if h.CreatedBy.Valid {
		names, err := users.Names(tx.Context(), tx, c, tx.P.TenantID, []uuid.UUID{h.CreatedBy.Bytes})
		if err != nil {
			return err
		}
		from = names[h.CreatedBy.Bytes]
	}
	if from == "" {
		from = map[string]string{"de": "Die Personalabteilung", "en": "HR"}[h.Language]
	}
	_, err := s.outbox.Enqueue(tx.Context(), tx, tx.P.TenantID, outbox.Message{Kind: outbox.Email, To: r.Email,
		Template: "handover", Language: h.Language, Data: map[string]string{"Name": r.Name, "From": from,
			"Link": s.link(h.ID, secret), "Message": message, "ExpiresAt": outbox.Time(h.ExpiresAt, h.Language)}})
	return err
}

// mailCode queues a one-time code by the handover's channel.
func (s *Service) mailCode(tx *uow.Tx, h *dbsqlc.Handover, r Recipient, code string, expires time.Time) error {
	m := outbox.Message{Kind: outbox.Email, To: r.Email, Template: "handover_code", Language: h.Language,
		Data: map[string]string{"Name": r.Name, "Code": code, "ExpiresAt": outbox.Time(expires, h.Language)}}
	if h.CodeChannel.String == ChannelSMS {
		m.Kind, m.To = outbox.SMS, r.Phone
	}
	_, err := s.outbox.Enqueue(tx.Context(), tx, tx.P.TenantID, m)
	return err
}

// mailHR tells the HR user who handed over about the recipient (template
// handover_completed or handover_code_locked, at is its time value); a
// creator who is gone or no longer active gets nothing (the audit log and
// the list keep the fact).
func (s *Service) mailHR(tx *uow.Tx, c *keyring.TenantCipher, h *dbsqlc.Handover, template, timeKey string, at time.Time) error {
	if !h.CreatedBy.Valid {
		return nil
	}
	to, ok, err := users.ContactOf(tx.Context(), tx, c, tx.P.TenantID, h.CreatedBy.Bytes)
	if err != nil || !ok {
		return err
	}
	name, err := c.OpenString(tx.Context(), h.ID, colName, h.RecipientNameEnc)
	if err != nil {
		return err
	}
	_, err = s.outbox.Enqueue(tx.Context(), tx, tx.P.TenantID, outbox.Message{Kind: outbox.Email, To: to.Email,
		Template: template, Language: to.Language, Data: map[string]string{"Name": to.Name, "Recipient": name,
			timeKey: outbox.Time(at, to.Language), "Link": s.certificateLink(h.CertificateID)}})
	return err
}

// mask shows where a code went without showing the address
// ("e•••@example.com", "+49 ••• 12").
func mask(channel, to string) string {
	if channel == ChannelSMS {
		if len(to) <= 5 {
			return "•••"
		}
		return to[:3] + " ••• " + to[len(to)-2:]
	}
	local, domain, ok := strings.Cut(to, "@")
	if !ok || local == "" {
		return "•••"
	}
	r := []rune(local)
	return string(r[0]) + "•••@" + domain
}
