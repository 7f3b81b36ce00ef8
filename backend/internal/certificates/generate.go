package certificates

import (
	"context"
	"errors"
	"strconv"

	"github.com/google/uuid"

	"github.com/zeugo/zeugo/backend/internal/apperr"
	"github.com/zeugo/zeugo/backend/internal/generator"
	"github.com/zeugo/zeugo/backend/internal/uow"
)

// Generate writes the text from the sections, stores it as the result
// section (keeping, per paragraph, what was generated, so a hand edit shows)
// and stores the checker's reading with it. When the sections do not say
// enough for a text, nothing is stored and the problems come back by
// section and field; warnings come back with a stored text.
func (s *Service) Generate(ctx context.Context, id uuid.UUID, version int64) (*Certificate, []Problem, error) {
	var cert *Certificate
	var problems []Problem
	err := s.work.Write(ctx, func(tx *uow.Tx) error {
		if err := mayWrite(tx.P, SecResult); err != nil {
			return err
		}
		cur, c, err := s.lockWritable(tx, id)
		if err != nil {
			return err
		}
		if cur.Sections[SecResult].Version != version {
			return apperr.ErrConcurrentChange
		}
		employer, err := s.employer(ctx, tx, c, tx.P, &cur.Content)
		if err != nil {
			return err
		}
		lib, catVersion, err := s.libs.Current(ctx, tx, tx.P.TenantID)
		if err != nil {
			return err
		}
		doc, err := generator.Generate(facts(id.String(), &cur.Content, employer), lib)
		var invalid *generator.ValidationError
		if errors.As(err, &invalid) {
			problems = problemsOf(invalid.Problems, false)
			if cert, err = s.read(ctx, tx, c, tx.P, id, false); err != nil {
				return err
			}
			cert = cert.forCaller(tx.P)
			// Nothing is stored, but the certificate goes back to the
			// caller: a read of personal data like Get's.
			return tx.Record(ActionRead, target(id), nil)
		}
		if err != nil {
			return err
		}
		problems = problemsOf(doc.Warnings, true)
		next, err := cur.Content.clone()
		if err != nil {
			return err
		}
		if err := signatoryNames(ctx, tx, c, tx.P, &next); err != nil {
			return err
		}
		res := &Result{CatalogVersion: doc.Version, TenantCatalogVersion: catVersion, GeneratedAt: s.work.Now()}
		for _, p := range doc.Paragraphs {
			res.Paragraphs = append(res.Paragraphs, Paragraph{Section: string(p.Section), Heading: p.Heading, Text: p.Text,
				Items: p.Items, GeneratedText: p.Text, GeneratedItems: p.Items})
		}
		if res.Check, err = checkText(&next, employer, res.Paragraphs); err != nil {
			return err
		}
		next.Result = res
		if err := s.store(tx, c, cur, &next, SecResult, version); err != nil {
			return err
		}
		if err := s.touch(tx, id, &next); err != nil {
			return err
		}
		if err := tx.Record(ActionGenerated, target(id), map[string]string{"catalog": doc.Version,
			"tenantCatalog": strconv.FormatInt(catVersion, 10)}); err != nil {
			return err
		}
		cert, err = s.written(tx, c, cur, &next, []Section{SecResult})
		cert = cert.forCaller(tx.P)
		return err
	})
	return cert, problems, err
}

// CheckText reads paragraphs that are not saved (the editor's live pane)
// as the certificate's text. It stores nothing; the read of the
// certificate is recorded.
func (s *Service) CheckText(ctx context.Context, id uuid.UUID, paras []Paragraph) (*TextCheck, error) {
	var check *TextCheck
	err := s.work.Read(ctx, func(rd *uow.Reader) error {
		if err := mayRead(rd.P, SecResult); err != nil {
			return err
		}
		c, err := rd.Cipher()
		if err != nil {
			return err
		}
		cert, err := s.read(ctx, rd.DB, c, rd.P, id, false)
		if err != nil {
			return err
		}
		employer, err := s.employer(ctx, rd.DB, c, rd.P, &cert.Content)
		if err != nil {
			return err
		}
		if check, err = checkText(&cert.Content, employer, paras); err != nil {
			return err
		}
		rd.Audit(ActionChecked, target(id))
		return nil
	})
	return check, err
}
