package certificates

import (
	"context"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/zeugo/zeugo/backend/internal/access"
	"github.com/zeugo/zeugo/backend/internal/apperr"
	"github.com/zeugo/zeugo/backend/internal/keyring"
	"github.com/zeugo/zeugo/backend/internal/postgres"
	"github.com/zeugo/zeugo/backend/internal/uow"
)

// A handover recipient (SPEC §6, package handover) reaches the one
// certificate of its grant, whatever its scope or private flag: HR chose
// to hand it over. What it may do there is the grant, checked here at each
// use case — a response leaves out every section it may not read
// (forCaller), a write outside its writable sections is refused whole
// before anything is read or changed (mayWrite), a download needs the
// grant's download right.

// RuleNotGranted is the rule id of a recipient's refused write.
const RuleNotGranted = "zeugo.not_granted"

// grantOf is the handover grant of a recipient principal (nil for every
// other kind).
func grantOf(p *access.Principal) *access.Handover {
	if p.Kind != access.KindHandoverRecipient {
		return nil
	}
	if p.Handover == nil {
		return &access.Handover{} // a recipient without a grant reaches nothing
	}
	return p.Handover
}

// recipientReach is reach for a recipient: its certificate only.
func recipientReach(g *access.Handover) []postgres.Cond {
	return []postgres.Cond{postgres.Where("certificates.id = ?", g.CertificateID)}
}

// mayWrite refuses a recipient's write of sec outside its grant.
func mayWrite(p *access.Principal, sec Section) error {
	if g := grantOf(p); g != nil && !g.CanWrite(string(sec)) {
		return apperr.Field(apperr.PermissionDenied, "section", RuleNotGranted,
			"this handover does not let you change "+string(sec))
	}
	return nil
}

// mayWriteAll refuses a recipient's write whose consequences change a
// section it may not write (a new kind clears the ratings the kind does
// not have; a new job profile replaces the tasks): the write is refused
// whole. The checker's new reading of an unchanged text is not a change of
// the text and needs no grant.
func mayWriteAll(p *access.Principal, changed []Section) error {
	for _, sec := range changed {
		if err := mayWrite(p, sec); err != nil {
			return apperr.Field(apperr.PermissionDenied, "section", RuleNotGranted,
				"this change would also change "+string(sec)+", which this handover does not let you change")
		}
	}
	return nil
}

// mayRead refuses a recipient's read of sec outside its grant.
func mayRead(p *access.Principal, sec Section) error {
	if g := grantOf(p); g != nil && !g.CanRead(string(sec)) {
		return apperr.Field(apperr.PermissionDenied, "section", RuleNotGranted,
			"this handover does not let you read "+string(sec))
	}
	return nil
}

// mayDownload refuses a recipient's download unless its grant allows it.
func mayDownload(p *access.Principal) error {
	if g := grantOf(p); g != nil && !g.Download {
		return apperr.New(apperr.PermissionDenied, "this handover does not include the download")
	}
	return nil
}

// recipientWritable refuses a recipient's change once HR has taken the
// certificate back (it is no longer "in progress").
func recipientWritable(p *access.Principal, cur *Certificate) error {
	if grantOf(p) != nil && cur.Status != InProgress {
		return apperr.Field(apperr.FailedPrecondition, "id", RuleReadOnly,
			"the certificate is no longer in progress; HR has taken it back")
	}
	return nil
}

// forCaller is cert as the caller may see it: for a recipient, only the
// readable sections (content, versions, the checker's reading only with
// the text), and nothing of the certificate's own administration
// (creator, private flag, workflow moves, personnel number without the
// personal section). Other callers see it whole.
func (cert *Certificate) forCaller(p *access.Principal) *Certificate {
	g := grantOf(p)
	if g == nil || cert == nil {
		return cert
	}
	out := *cert
	out.Content = Content{}
	out.Sections = map[Section]SectionInfo{}
	for _, sec := range Sections {
		if !g.CanRead(string(sec)) {
			continue
		}
		if si, ok := cert.Sections[sec]; ok {
			out.Sections[sec] = si
		}
		// The section itself, not a copy through its stored form: what the
		// read filled in (the signatories' names) stays. cert is only
		// answered, never stored, so sharing it is safe.
		out.Content.value(sec).Set(cert.Content.value(sec))
	}
	out.Private, out.CreatedBy, out.CreatedByName, out.CorrectsID = false, uuid.Nil, "", uuid.Nil
	out.DocumentSHA256, out.recipient = nil, true
	if !g.CanRead(string(SecPersonal)) {
		out.PersonnelNumber = ""
	}
	if !g.CanRead(string(SecCompany)) {
		out.CompanyID = uuid.Nil
	}
	return &out
}

// ActorNamer names actors of one kind by id, for the history, the change
// log and the last saver of a section (package handover names its
// recipients).
type ActorNamer func(ctx context.Context, db postgres.DBTX, c *keyring.TenantCipher, tenantID uuid.UUID, ids []uuid.UUID) (map[uuid.UUID]string, error)

// AddActorNames registers how actors of kind are named. Call it while the
// application is built, before serving.
func (s *Service) AddActorNames(kind access.Kind, f ActorNamer) {
	if s.namers == nil {
		s.namers = map[access.Kind]ActorNamer{}
	}
	s.namers[kind] = f
}

// HandOver moves the certificate to "in progress" for a handover, in the
// caller's transaction and reach (SPEC §6: "handing over moves the
// certificate to in progress"). A draft or a certificate in review moves;
// one in progress stays; a completed or issued one cannot be handed over.
func (s *Service) HandOver(tx *uow.Tx, id uuid.UUID) (*Certificate, error) {
	c, err := tx.Cipher()
	if err != nil {
		return nil, err
	}
	cur, err := s.read(tx.Context(), tx, c, tx.P, id, true)
	if err != nil {
		return nil, err
	}
	switch cur.Status {
	case InProgress:
		return cur, nil
	case Draft, Review:
		return cur, s.move(tx, cur, InProgress, "handover")
	}
	return nil, apperr.Field(apperr.FailedPrecondition, "certificate_id", RuleTransition,
		"a "+string(cur.Status)+" certificate cannot be handed over; allowed: draft, in_progress, review")
}

// HandBack moves the certificate of a completed handover to review, in
// the caller's (the recipient's) transaction, when it is still in
// progress and open is false (no other handover of it is still open).
func (s *Service) HandBack(tx *uow.Tx, id uuid.UUID, open bool) error {
	c, err := tx.Cipher()
	if err != nil {
		return err
	}
	cur, err := s.read(tx.Context(), tx, c, tx.P, id, true)
	if err != nil {
		return err
	}
	if open || cur.Status != InProgress {
		return nil
	}
	return s.move(tx, cur, Review, "handover_completed")
}

// move changes the status of a locked certificate outside Transition's
// table (a handover's moves), with its history, change log and audit
// event.
func (s *Service) move(tx *uow.Tx, cur *Certificate, to Status, by string) error {
	if err := s.setStatus(tx, cur, to, "", pgtype.Timestamptz{}); err != nil {
		return err
	}
	return tx.Record(ActionTransitioned, target(cur.ID), map[string]string{"from": string(cur.Status), "to": string(to), "by": by})
}

// Reachable returns NotFound unless the certificate id is in p's reach
// (other domains that hang off a certificate — its handovers — ask before
// they show or change anything of it). It runs in the caller's unit of
// work; forUpdate locks the certificate row, so a handover's change waits
// for a write to the certificate and the other way round.
func Reachable(ctx context.Context, db postgres.DBTX, p *access.Principal, id uuid.UUID, forUpdate bool) error {
	sql, args := postgres.And("SELECT certificates.id FROM certificates WHERE certificates.tenant_id = $1 AND certificates.id = $2",
		[]any{p.TenantID, id}, reach(p)...)
	if forUpdate {
		sql += " FOR UPDATE OF certificates"
	}
	var got uuid.UUID
	return postgres.NotFoundOr(db.QueryRow(ctx, sql, args...).Scan(&got))
}
