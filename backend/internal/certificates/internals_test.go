package certificates

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/zeugo/zeugo/backend/internal/generator"
	"github.com/zeugo/zeugo/backend/internal/keyring"
	"github.com/zeugo/zeugo/backend/internal/textcheck"
)

// What the external tests and benchmarks of this directory use of the
// package's internals.

// RowColumns are the columns a certificate is read with (FROM
// certificates).
const RowColumns = rowColumns

// ScanSummary reads one row of RowColumns as the list does.
func ScanSummary(ctx context.Context, c *keyring.TenantCipher, r pgx.CollectableRow) (Summary, error) {
	x, err := scanRow(r)
	if err != nil {
		return Summary{}, err
	}
	cert, err := x.certificate(ctx, c)
	if err != nil {
		return Summary{}, err
	}
	return Summary{ID: cert.ID, EmployeeID: cert.EmployeeID, EmployeeName: cert.EmployeeName, PersonnelNumber: cert.PersonnelNumber,
		CompanyID: cert.CompanyID, Kind: cert.Kind, Language: cert.Language, Status: cert.Status, Private: cert.Private,
		CreatedAt: cert.CreatedAt, UpdatedAt: cert.UpdatedAt}, nil
}

// SummaryToProto is the list row's conversion.
var SummaryToProto = summaryToProto

// BareGenerateAndCheck is the baseline of Generate: the text engine's two
// calls on a certificate's content (generator.Generate, then
// textcheck.Check of its paragraphs), without storage, RPC, audit or the
// comparison with the ratings.
func BareGenerateAndCheck(s *Service, c *Certificate, employer Employer) error {
	doc, err := generator.Generate(facts(c.ID.String(), &c.Content, employer), generator.MustDefaultLibrary())
	if err != nil {
		return err
	}
	paras := make([]textcheck.Paragraph, len(doc.Paragraphs))
	for i, p := range doc.Paragraphs {
		paras[i] = textcheck.Paragraph{Section: string(p.Section), Text: p.Text, Items: p.Items}
	}
	names := []string{c.Content.Personal.FirstName, c.Content.Personal.LastName, employer.Name}
	_, err = textcheck.Check(paras, textcheck.Options{Language: doc.Language, Kind: string(doc.Kind),
		Gender: string(salutationOf(c.Content.Personal.Salutation).Gender()), Names: names, Whole: true})
	return err
}
