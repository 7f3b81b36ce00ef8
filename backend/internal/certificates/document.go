package certificates

import (
	"context"
	"errors"
	"strings"
	"unicode"

	"github.com/google/uuid"

	"github.com/zeugo/zeugo/backend/internal/apperr"
	"github.com/zeugo/zeugo/backend/internal/generator"
	"github.com/zeugo/zeugo/backend/internal/postgres"
)

// document is the certificate as the PDF prints it: title, date line and
// signature block as the generator writes them from the sections, the
// paragraphs as stored in the result section (generated or edited by
// hand). Problems come back when the sections do not say enough.
func (s *Service) document(ctx context.Context, db postgres.DBTX, tenantID uuid.UUID, id string, c *Content, employer Employer) (generator.Document, []Problem, error) {
	lib, err := s.libraryOf(ctx, db, tenantID, c)
	if err != nil {
		return generator.Document{}, nil, err
	}
	doc, err := generator.Generate(facts(id, c, employer), lib)
	var invalid *generator.ValidationError
	if errors.As(err, &invalid) {
		return doc, problemsOf(invalid.Problems, false), nil
	}
	if err != nil {
		return doc, nil, err
	}
	if c.Result != nil && len(c.Result.Paragraphs) > 0 {
		doc.Paragraphs = doc.Paragraphs[:0]
		for _, p := range c.Result.Paragraphs {
			doc.Paragraphs = append(doc.Paragraphs, generator.Paragraph{Section: generator.Section(p.Section),
				Heading: p.Heading, Text: p.Text, Items: p.Items})
		}
	}
	return doc, nil, nil
}

// problemsError refuses an action on a certificate whose sections do not
// say enough for a document.
func problemsError(ps []Problem) error {
	var v violations
	for _, p := range ps {
		field := string(p.Section)
		if p.Field != "" {
			field += "." + p.Field
		}
		v.add(field, "zeugo.facts", p.En)
	}
	e := v.err("the certificate lacks what its text needs")
	var ae *apperr.Error
	if errors.As(e, &ae) {
		ae.Code = apperr.FailedPrecondition
	}
	return e
}

// fileName names a certificate's PDF: its title and the person's name,
// letters, digits and hyphens only ("Arbeitszeugnis_Schäfer_Anna.pdf").
func fileName(title string, c *Content) string {
	parts := []string{title}
	if p := c.Personal; p != nil {
		parts = append(parts, p.LastName, p.FirstName)
	}
	clean := func(s string) string {
		return strings.Map(func(r rune) rune {
			if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' {
				return r
			}
			return '-'
		}, s)
	}
	for i := range parts {
		parts[i] = strings.Trim(clean(parts[i]), "-")
	}
	return strings.Join(parts, "_") + ".pdf"
}
