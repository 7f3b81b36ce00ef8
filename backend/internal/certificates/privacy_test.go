package certificates_test

import (
	"bytes"
	"strings"
	"testing"

	"connectrpc.com/connect"
	"github.com/jackc/pgx/v5"

	"github.com/zeugo/zeugo/backend/internal/apptest"
	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
)

func personal(first, last string) *zeugov1.UpdateCertificateSectionRequest {
	return &zeugov1.UpdateCertificateSectionRequest{Section: &zeugov1.UpdateCertificateSectionRequest_Personal{Personal: &zeugov1.PersonalSection{
		Salutation: zeugov1.Salutation_SALUTATION_FRAU, FirstName: first, LastName: last}}}
}

// TestChangeTrackingKeepsEveryFieldEncrypted: off by default (nothing is
// kept); on, every save keeps its changed fields with before and after,
// encrypted at rest, named with the actor; regenerating the text is a
// change; deleting the certificate deletes its log.
func TestChangeTrackingKeepsEveryFieldEncrypted(t *testing.T) {
	t.Parallel()
	f := setup(t, "verlauf")
	c := f.admin
	cert := f.issuable(t, c, "T1")
	id := mustUUID(cert.GetId())
	cert = mustUpdate(t, c, cert, zeugov1.CertificateSection_CERTIFICATE_SECTION_PERSONAL, personal("Anna", "Vorher"))
	if n := f.count(t, "SELECT count(*) FROM certificate_changes WHERE certificate_id = $1", id); n != 0 || len(changes(t, c, cert.GetId())) != 0 {
		t.Fatalf("change tracking is off, yet %d changes are kept", n)
	}

	setTracking(t, c, true)
	cert = mustUpdate(t, c, cert, zeugov1.CertificateSection_CERTIFICATE_SECTION_PERSONAL, personal("Annegret", "Nachher"))
	got := map[string]*zeugov1.FieldChange{}
	for _, ch := range changes(t, c, cert.GetId()) {
		got[ch.GetSection().String()+" "+ch.GetField()] = ch
	}
	first := got["CERTIFICATE_SECTION_PERSONAL first_name"]
	last := got["CERTIFICATE_SECTION_PERSONAL last_name"]
	if first.GetBefore() != "Anna" || first.GetAfter() != "Annegret" || last.GetBefore() != "Vorher" || last.GetAfter() != "Nachher" {
		t.Fatalf("changes: %v", got)
	}
	if first.GetActorKind() != "user" || first.GetActorName() == "" || first.GetTime() == nil {
		t.Fatalf("who and when: %v", first)
	}
	if len(got) != 2 {
		t.Errorf("unchanged fields are logged: %v", got)
	}
	// At rest: ciphertext, not the values.
	f.env.AsOwner(f.ten.TenantID, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx(), `SELECT coalesce(before_enc, ''), coalesce(after_enc, '') FROM certificate_changes WHERE certificate_id = $1`, id)
		if err != nil {
			return err
		}
		for rows.Next() {
			var b, a []byte
			if err := rows.Scan(&b, &a); err != nil {
				return err
			}
			for _, clear := range []string{"Anna", "Annegret", "Vorher", "Nachher"} {
				if bytes.Contains(b, []byte(clear)) || bytes.Contains(a, []byte(clear)) {
					t.Errorf("a change value is stored in clear: %q", clear)
				}
			}
		}
		return rows.Err()
	})

	// An API key's save names the key.
	key := keyClient(f.env, c.NewAPIKey(t, "certificates", zeugov1.ApiKeyAccess_API_KEY_ACCESS_WRITE), apptest.GRPC)
	cert = mustUpdate(t, key, cert, secConduct, &zeugov1.UpdateCertificateSectionRequest{Section: &zeugov1.UpdateCertificateSectionRequest_Conduct{
		Conduct: &zeugov1.ConductSection{Internal: 1, External: 2}}})
	byKey := changes(t, c, cert.GetId())[0]
	if byKey.GetSection() != secConduct || byKey.GetField() != "internal" || byKey.GetBefore() != "2" || byKey.GetAfter() != "1" ||
		byKey.GetActorKind() != "api_key" || byKey.GetActorName() != "HR-System certificates" {
		t.Fatalf("a key's change: %v", byKey)
	}
	for _, si := range get(t, c, cert.GetId()).GetSections() {
		if si.GetSection() == secConduct && si.GetUpdatedByName() != "HR-System certificates" {
			t.Errorf("conduct saved by %q", si.GetUpdatedByName())
		}
	}

	// Regenerating the text (the name changed) is a change of the text.
	n := len(changes(t, c, cert.GetId()))
	cert = generate(t, c, cert)
	var textChanges int
	for _, ch := range changes(t, c, cert.GetId())[:len(changes(t, c, cert.GetId()))-n] {
		if ch.GetSection() != secResult || !strings.HasPrefix(ch.GetField(), "paragraphs[") {
			t.Errorf("generate logged %v", ch)
		}
		if strings.Contains(ch.GetAfter(), "Nachher") && strings.Contains(ch.GetBefore(), "Ausgestellt") { // the text was generated before the renames
			textChanges++
		}
	}
	if textChanges == 0 {
		t.Error("regenerating the text logged no change of the name in it")
	}

	// The certificate itself: its status and private flag.
	cert = transition(t, c, cert, zeugov1.CertificateStatus_CERTIFICATE_STATUS_REVIEW)
	if _, err := c.Cert.SetCertificatePrivate(ctx(), connect.NewRequest(&zeugov1.SetCertificatePrivateRequest{Id: cert.GetId(),
		Version: cert.GetVersion(), Private: true})); err != nil {
		t.Fatal(err)
	}
	own := map[string]string{}
	for _, ch := range changes(t, c, cert.GetId())[:2] {
		if ch.GetSection() != zeugov1.CertificateSection_CERTIFICATE_SECTION_UNSPECIFIED {
			t.Errorf("a change of the certificate itself in section %v", ch.GetSection())
		}
		own[ch.GetField()] = ch.GetBefore() + " → " + ch.GetAfter()
	}
	if own["status"] == "" || own["private"] != "false → true" {
		t.Fatalf("status and private flag in the log: %v", own)
	}

	// A stale save logs nothing (TestStaleSaveChangesNothing); a delete
	// deletes the log.
	if _, err := c.Cert.DeleteCertificate(ctx(), connect.NewRequest(&zeugov1.DeleteCertificateRequest{Id: cert.GetId()})); err != nil {
		t.Fatal(err)
	}
	if n := f.count(t, "SELECT count(*) FROM certificate_changes WHERE certificate_id = $1", id); n != 0 {
		t.Fatalf("%d changes outlive their certificate", n)
	}
}

// TestSectionsAreEncryptedAndBoundToTheirRow: no name or free text in
// clear in certificate_sections; a ciphertext moved to another
// certificate's row, or another section's, does not decrypt (the
// certificate id and section are its associated data).
func TestSectionsAreEncryptedAndBoundToTheirRow(t *testing.T) {
	t.Parallel()
	f := setup(t, "geheim")
	c := f.admin
	emp := f.employee(t, c, "G1", "Geheimrath", "")
	a := create(t, c, emp.GetId(), final, false)
	b := create(t, c, emp.GetId(), final, false)
	a = mustUpdate(t, c, a, secSuccesses, &zeugov1.UpdateCertificateSectionRequest{Section: &zeugov1.UpdateCertificateSectionRequest_Successes{
		Successes: &zeugov1.TextListSection{Items: []string{"Aufbau der Niederlassung Wolfsburg"}}}})
	f.env.AsOwner(f.ten.TenantID, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx(), `SELECT section, content_enc FROM certificate_sections WHERE certificate_id = $1`, mustUUID(a.GetId()))
		if err != nil {
			return err
		}
		n := 0
		for rows.Next() {
			var sec string
			var enc []byte
			if err := rows.Scan(&sec, &enc); err != nil {
				return err
			}
			n++
			for _, clear := range []string{"Geheimrath", "Anna", "Wolfsburg", "Kreditorenbuchhaltung", "Sachbearbeiterin"} {
				if bytes.Contains(enc, []byte(clear)) {
					t.Errorf("section %s holds %q in clear", sec, clear)
				}
			}
		}
		if n != 17 {
			t.Errorf("%d section rows, want 17", n)
		}
		return rows.Err()
	})
	get(t, c, a.GetId())
	// b's personal section moved into a's row.
	f.env.AsOwner(f.ten.TenantID, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx(), `UPDATE certificate_sections SET content_enc = (SELECT content_enc FROM certificate_sections
			WHERE certificate_id = $2 AND section = 'personal') WHERE certificate_id = $1 AND section = 'personal'`,
			mustUUID(a.GetId()), mustUUID(b.GetId()))
		return err
	})
	_, err := c.Cert.GetCertificate(ctx(), connect.NewRequest(&zeugov1.GetCertificateRequest{Id: a.GetId()}))
	apptest.WantCode(t, err, connect.CodeInternal, "a ciphertext of another certificate")
	// b's personal section moved into b's further section.
	f.env.AsOwner(f.ten.TenantID, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx(), `UPDATE certificate_sections SET content_enc = (SELECT content_enc FROM certificate_sections
			WHERE certificate_id = $1 AND section = 'personal') WHERE certificate_id = $1 AND section = 'further'`, mustUUID(b.GetId()))
		return err
	})
	_, err = c.Cert.GetCertificate(ctx(), connect.NewRequest(&zeugov1.GetCertificateRequest{Id: b.GetId()}))
	apptest.WantCode(t, err, connect.CodeInternal, "a ciphertext of another section")
	if strings.Contains(f.env.Log.String(), "Geheimrath") {
		t.Error("the log holds the name")
	}
}

// events returns the audit events (chained or still queued) of a target
// with action, as their details.
func (f *fixture) events(t testing.TB, action, target string) []string {
	t.Helper()
	var out []string
	f.env.AsOwner(f.ten.TenantID, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx(), `SELECT details FROM audit_events WHERE tenant_id = $1 AND action = $2 AND target_id = $3
			UNION ALL SELECT details FROM audit_pending WHERE tenant_id = $1 AND action = $2 AND target_id = $3`, f.ten.TenantID, action, target)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, pgx.RowTo[string])
		return err
	})
	return out
}

// TestReadsAndWritesAreAudited: every read (get, each listed row, history,
// change log, text check, download with the PDF's SHA-256) is an audit
// event; a write's event is written in its transaction, so a refused
// write leaves none.
func TestReadsAndWritesAreAudited(t *testing.T) {
	t.Parallel()
	f := setup(t, "protokoll")
	c := f.admin
	cert := f.issuable(t, c, "P1")
	id := cert.GetId()
	if n := len(f.events(t, "certificate.created", id)); n != 1 {
		t.Fatalf("%d creation events", n)
	}
	before := map[string]int{}
	for _, a := range []string{"certificate.read", "certificate.listed", "certificate.history_read", "certificate.changes_read",
		"certificate.text_checked", "certificate.downloaded"} {
		before[a] = len(f.events(t, a, id))
	}
	get(t, c, id)
	if _, err := c.Cert.ListCertificates(ctx(), connect.NewRequest(&zeugov1.ListCertificatesRequest{})); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Cert.ListCertificateHistory(ctx(), connect.NewRequest(&zeugov1.ListCertificateHistoryRequest{Id: id})); err != nil {
		t.Fatal(err)
	}
	changes(t, c, id)
	if _, err := c.Cert.CheckCertificateText(ctx(), connect.NewRequest(&zeugov1.CheckCertificateTextRequest{Id: id})); err != nil {
		t.Fatal(err)
	}
	d, err := c.Cert.DownloadCertificate(ctx(), connect.NewRequest(&zeugov1.DownloadCertificateRequest{Id: id}))
	if err != nil {
		t.Fatal(err)
	}
	for a, n := range before {
		if got := len(f.events(t, a, id)); got != n+1 {
			t.Errorf("%s: %d events after one read, had %d", a, got, n)
		}
	}
	dl := f.events(t, "certificate.downloaded", id)
	if last := dl[len(dl)-1]; !strings.Contains(last, d.Msg.GetSha256()) || strings.Contains(last, "Ausgestellt") {
		t.Errorf("download event: %s", last)
	}

	// Refused writes leave no event.
	updated := len(f.events(t, "certificate.section_updated", id))
	_, err = update(c, cert, secConduct, &zeugov1.UpdateCertificateSectionRequest{Version: 99, Section: &zeugov1.UpdateCertificateSectionRequest_Conduct{
		Conduct: &zeugov1.ConductSection{Internal: 1}}})
	apptest.WantCode(t, err, connect.CodeAborted, "stale save")
	_, err = update(c, cert, secPerformance, perf(&zeugov1.PerformanceSection{Exam: 1}))
	apptest.WantCode(t, err, connect.CodeInvalidArgument, "refused save")
	if got := len(f.events(t, "certificate.section_updated", id)); got != updated {
		t.Errorf("refused saves left %d events", got-updated)
	}
	cert = mustUpdate(t, c, cert, secConduct, &zeugov1.UpdateCertificateSectionRequest{Section: &zeugov1.UpdateCertificateSectionRequest_Conduct{
		Conduct: &zeugov1.ConductSection{Internal: 2, External: 2}}})
	if got := len(f.events(t, "certificate.section_updated", id)); got != updated+1 {
		t.Errorf("a save left %d events", got-updated)
	}
	// A failed issue: the text does not fit the ratings now.
	cert = mustUpdate(t, c, cert, secPerformance, perf(&zeugov1.PerformanceSection{Willingness: 5, Ability: 5, Knowledge: 5, Learning: 5,
		WorkingStyle: 5, Results: 5}))
	cert = transition(t, c, cert, stReview, stCompleted)
	_, err = c.Cert.TransitionCertificate(ctx(), connect.NewRequest(&zeugov1.TransitionCertificateRequest{Id: id, Version: cert.GetVersion(),
		Status: stIssued}))
	wantViolation(t, err, connect.CodeFailedPrecondition, "confirmation_reason", "zeugo.confirmation")
	if n := len(f.events(t, "certificate.issued", id)); n != 0 {
		t.Errorf("a refused issue left %d events", n)
	}
	if n := f.count(t, "SELECT count(*) FROM certificate_documents WHERE certificate_id = $1", mustUUID(id)); n != 0 {
		t.Errorf("a refused issue stored the PDF")
	}
}

// TestGenerationThatStoresNothingIsStillAnAuditedRead: when the sections do
// not say enough for a text, GenerateCertificateText stores nothing but
// answers the whole certificate — a read of personal data, so it is in
// the audit log like every other.
func TestGenerationThatStoresNothingIsStillAnAuditedRead(t *testing.T) {
	t.Parallel()
	f := setup(t, "unvollstaendig")
	c := f.admin
	cert := create(t, c, f.employee(t, c, "U1", "Unvollständig", "").GetId(), final, false) // no company, no ratings
	reads := len(f.events(t, "certificate.read", cert.GetId()))
	res, err := c.Cert.GenerateCertificateText(ctx(), connect.NewRequest(&zeugov1.GenerateCertificateTextRequest{Id: cert.GetId(),
		Version: version(t, cert, secResult)}))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Msg.GetProblems()) == 0 || res.Msg.GetCertificate().GetContent().GetPersonal().GetLastName() != "Unvollständig" {
		t.Fatalf("want problems and the certificate: %v", res.Msg)
	}
	if got := len(f.events(t, "certificate.read", cert.GetId())); got != reads+1 {
		t.Fatalf("the certificate answered with the problems is not an audited read (%d events, had %d)", got, reads)
	}
	if n := len(f.events(t, "certificate.text_generated", cert.GetId())); n != 0 {
		t.Fatalf("nothing was generated, yet %d generation events", n)
	}
}
