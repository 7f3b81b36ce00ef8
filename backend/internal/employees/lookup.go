package employees

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/zeugo/zeugo/backend/internal/access"
	"github.com/zeugo/zeugo/backend/internal/keyring"
	"github.com/zeugo/zeugo/backend/internal/postgres"
)

// What other domains (certificates) use of employees: a scoped lookup
// inside their own unit of work, the search condition over the blind
// indexes, and the decryption of the name columns they join in. They
// record their own audit events.

// Lookup reads one employee in p's certificate-access scope, in the
// caller's transaction or reader; an employee out of scope is NotFound.
func Lookup(ctx context.Context, db postgres.DBTX, c *keyring.TenantCipher, p *access.Principal, id uuid.UUID) (*Employee, error) {
	return getScoped(ctx, db, c, p, id, false)
}

// SearchCond is the list search over a table or view with the columns
// personnel_number_index and name_tokens: a personnel number matches
// whole, name words match word prefixes; nothing of q reaches the
// database but its MACs. ok is false for a blank q.
func SearchCond(idx *keyring.IndexKey, tenantID uuid.UUID, q string) (cond postgres.Cond, ok bool) {
	if q = strings.TrimSpace(q); q == "" {
		return postgres.Cond{}, false
	}
	pn := personnelIndex(idx, tenantID, q)
	if tokens := queryTokens(idx, tenantID, q); len(tokens) > 0 {
		return postgres.Where("personnel_number_index = ? OR name_tokens @> ?::bigint[]", pn, tokens), true
	}
	return postgres.Where("personnel_number_index = ?", pn), true
}

// OpenName decrypts the first name, last name and personnel number
// columns of employee id, as another domain joined them in.
func OpenName(ctx context.Context, c *keyring.TenantCipher, id uuid.UUID, firstEnc, lastEnc, pnEnc []byte) (first, last, pn string, err error) {
	if first, err = c.OpenString(ctx, id, colFirstName, firstEnc); err != nil {
		return
	}
	if last, err = c.OpenString(ctx, id, colLastName, lastEnc); err != nil {
		return
	}
	pn, err = c.OpenString(ctx, id, colPersonnelNumber, pnEnc)
	return
}

// FullName is the name as a certificate prints it: title, first and last
// name.
func (f *Fields) FullName() string {
	return strings.TrimSpace(strings.TrimSpace(f.Title+" "+f.FirstName) + " " + f.LastName)
}

// Today is the calendar date in Berlin at now, as UTC midnight (the form
// dates are kept in).
func Today(now time.Time) time.Time { return today(now) }

// Match is an employee a person may be (self-service matches a request to
// the employees it may be about).
type Match struct {
	Employee
	// ByPersonnelNumber is true when the personnel number matched (a
	// strong match), false when every word of the name did.
	ByPersonnelNumber bool
}

// FindMatches returns the employees in p's certificate-access scope whom a
// person with personnel number pn (may be "") and name may be: those with
// that personnel number first, then those whose name words start with
// every word of name, at most limit in all, in the caller's reader or
// transaction. Like the list search, nothing of pn or name reaches the
// database but its MACs.
func FindMatches(ctx context.Context, db postgres.DBTX, c *keyring.TenantCipher, idx *keyring.IndexKey, p *access.Principal,
	pn, name string, limit int) ([]Match, error) {
	var out []Match
	seen := map[uuid.UUID]bool{}
	find := func(cond postgres.Cond, byPN bool) error {
		sql, args := postgres.And("SELECT "+employeeColumns+" FROM employees WHERE tenant_id = $1",
			[]any{p.TenantID}, cond, scope(p))
		rows, err := db.Query(ctx, sql+" ORDER BY updated_at DESC, id LIMIT "+strconv.Itoa(limit), args...)
		if err != nil {
			return err
		}
		found, err := pgx.CollectRows(rows, scanRow)
		if err != nil {
			return err
		}
		for _, x := range found {
			if seen[x.id] || len(out) == limit {
				continue
			}
			seen[x.id] = true
			e, err := x.employee(ctx, c)
			if err != nil {
				return err
			}
			out = append(out, Match{Employee: *e, ByPersonnelNumber: byPN})
		}
		return nil
	}
	if strings.TrimSpace(pn) != "" {
		if err := find(postgres.Where("personnel_number_index = ?", personnelIndex(idx, p.TenantID, pn)), true); err != nil {
			return nil, err
		}
	}
	if tokens := queryTokens(idx, p.TenantID, name); len(tokens) > 0 && len(out) < limit {
		if err := find(postgres.Where("name_tokens @> ?::bigint[]", tokens), false); err != nil {
			return nil, err
		}
	}
	return out, nil
}
