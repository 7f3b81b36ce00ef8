package handover

import (
	"context"
	"time"

	"github.com/zeugo/zeugo/backend/internal/handover/dbsqlc"
	"github.com/zeugo/zeugo/backend/internal/postgres"
	"github.com/zeugo/zeugo/backend/internal/uow"
)

// Mine returns the caller's (a recipient's) handover; a recorded read.
func (s *Service) Mine(ctx context.Context) (*Handover, error) {
	var out *Handover
	err := s.work.Read(ctx, func(rd *uow.Reader) error {
		r, err := s.q.Handover(ctx, rd.DB, dbsqlc.HandoverParams{TenantID: rd.P.TenantID, ID: rd.P.ActorID})
		if err != nil {
			return postgres.NotFoundOr(err)
		}
		c, err := rd.Cipher()
		if err != nil {
			return err
		}
		h, err := s.decrypt(ctx, rd.DB, c, rd.P.TenantID, &r.Handover)
		if err != nil {
			return err
		}
		out = h
		rd.Audit(ActionRead, target(h.ID))
		return nil
	})
	return out, err
}

// Complete ends the recipient's work ("Bearbeitung abschließen"): the
// handover is locked (every session of it ends), the certificate moves to
// review unless another handover of it is still open, and the HR user who
// handed it over is mailed — one transaction.
func (s *Service) Complete(ctx context.Context) (time.Time, error) {
	var at time.Time
	err := s.work.Write(ctx, func(tx *uow.Tx) error {
		r, err := s.q.LockHandover(ctx, tx, dbsqlc.LockHandoverParams{TenantID: tx.P.TenantID, ID: tx.P.ActorID})
		if err != nil {
			return postgres.NotFoundOr(err)
		}
		h := &r.Handover
		now := s.work.Now()
		if !open(h, now) {
			return errClosed
		}
		if err := s.q.Complete(ctx, tx, dbsqlc.CompleteParams{TenantID: tx.P.TenantID, ID: h.ID, Now: pgTime(now)}); err != nil {
			return err
		}
		if err := s.endAccess(tx, h.ID); err != nil {
			return err
		}
		others, err := s.q.OthersOpen(ctx, tx, dbsqlc.OthersOpenParams{TenantID: tx.P.TenantID, CertificateID: h.CertificateID,
			ID: h.ID, Now: now})
		if err != nil {
			return err
		}
		if err := s.certs.HandBack(tx, h.CertificateID, others); err != nil {
			return err
		}
		c, err := tx.Cipher()
		if err != nil {
			return err
		}
		if err := s.mailHR(tx, c, h, "handover_completed", "CompletedAt", now); err != nil {
			return err
		}
		at = now
		return tx.Record(ActionCompleted, target(h.ID), nil)
	})
	return at, err
}

// EndSession ends the caller's recipient session.
func (s *Service) EndSession(ctx context.Context) error {
	return s.work.Write(ctx, func(tx *uow.Tx) error {
		if err := s.q.EndSession(ctx, tx, dbsqlc.EndSessionParams{TenantID: tx.P.TenantID, ID: tx.P.SessionID}); err != nil {
			return err
		}
		return tx.Record(ActionSessionEnded, target(tx.P.ActorID), nil)
	})
}
