package certificates_test

import (
	"sync"
	"testing"

	"connectrpc.com/connect"
	"github.com/jackc/pgx/v5"

	"github.com/zeugo/zeugo/backend/internal/apptest"
	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
)

// TestRacingWritesSeeWhatWasCommittedBefore: writes to one certificate run
// one after the other, and each sees what the one before it committed.
// Several transitions with the same version: one moves, every other is
// Aborted (a stale version) — not NotFound, which a write that read the
// certificate as it was before it waited would answer. Edits racing with
// the issue never change the certificate after it was issued.
func TestRacingWritesSeeWhatWasCommittedBefore(t *testing.T) {
	t.Parallel()
	f := setup(t, "wettlauf")
	co, err := f.admin.Org.CreateCompany(ctx(), connect.NewRequest(&zeugov1.CreateCompanyRequest{Fields: &zeugov1.CompanyFields{
		Name: "Wettlauf GmbH", City: "Bremen"}}))
	if err != nil {
		t.Fatal(err)
	}
	emp := f.employee(t, f.admin, "W1", "Renner", co.Msg.GetCompany().GetId())
	// Each caller its own connection: the races are real.
	callers := make([]*client, 6)
	for i := range callers {
		callers[i] = signIn(t, f.env, f.ten.Email, f.ten.Password, apptest.Protocol(i%2))
	}

	for round := range 3 {
		cert := create(t, f.admin, emp.GetId(), final, false)
		codes := make([]connect.Code, len(callers))
		var wg sync.WaitGroup
		for i, c := range callers {
			wg.Go(func() {
				_, err := c.Cert.TransitionCertificate(ctx(), connect.NewRequest(&zeugov1.TransitionCertificateRequest{Id: cert.GetId(),
					Version: cert.GetVersion(), Status: stInProgress}))
				codes[i] = connect.CodeOf(err)
				if err == nil {
					codes[i] = 0
				}
			})
		}
		wg.Wait()
		ok := 0
		for _, code := range codes {
			switch code {
			case 0:
				ok++
			case connect.CodeAborted:
			default:
				t.Errorf("round %d: a racing transition answered %v, want Aborted", round, code)
			}
		}
		if ok != 1 {
			t.Errorf("round %d: %d transitions succeeded, want 1 (%v)", round, ok, codes)
		}
	}

	// Issue and edits at once: whatever order they take, no edit lands
	// after the issue (the audit chain orders the commits).
	for round := range 3 {
		cert := generate(t, f.admin, rated(t, f.admin, create(t, f.admin, emp.GetId(), final, false)))
		cert = transition(t, f.admin, cert, stReview, stCompleted)
		var wg sync.WaitGroup
		for i, c := range callers {
			wg.Go(func() {
				if i == 0 {
					_, _ = c.Cert.TransitionCertificate(ctx(), connect.NewRequest(&zeugov1.TransitionCertificateRequest{Id: cert.GetId(),
						Version: cert.GetVersion(), Status: stIssued}))
					return
				}
				_, _ = update(c, cert, secSuccesses, &zeugov1.UpdateCertificateSectionRequest{Version: version(t, cert, secSuccesses),
					Section: &zeugov1.UpdateCertificateSectionRequest_Successes{Successes: &zeugov1.TextListSection{
						Items: []string{"Einführung eines neuen Mahnwesens"}}}})
			})
		}
		wg.Wait()
		var actions []string
		f.env.AsOwner(f.ten.TenantID, func(tx pgx.Tx) error {
			rows, err := tx.Query(ctx(), `SELECT action FROM audit_events WHERE tenant_id = $1 AND target_id = $2::text
				AND action IN ('certificate.issued', 'certificate.section_updated') ORDER BY seq`, f.ten.TenantID, cert.GetId())
			if err != nil {
				return err
			}
			actions, err = pgx.CollectRows(rows, pgx.RowTo[string])
			return err
		})
		issued := false
		for _, a := range actions {
			if a == "certificate.issued" {
				issued = true
			} else if issued {
				t.Errorf("round %d: a section was saved after the issue: %v", round, actions)
			}
		}
	}
}
