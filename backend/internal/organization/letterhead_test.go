package organization_test

import (
	"context"
	"testing"

	"connectrpc.com/connect"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/rs/zerolog"

	"github.com/zeugo/zeugo/backend/internal/apptest"
	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
	"github.com/zeugo/zeugo/backend/internal/jobs"
	"github.com/zeugo/zeugo/backend/internal/organization/dbsqlc"
)

// TestLegacyLetterheadsAreEncryptedByTheCleanupJob: managing directors
// written in plain text before migration 00006 read back unchanged, and the
// cleanup job's sweeper moves them into the encrypted column.
func TestLegacyLetterheadsAreEncryptedByTheCleanupJob(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ten := env.CreateTenant("Alt GmbH", "admin@alt.example")
	c := signIn(t, env, ten, apptest.Connect)
	ctx := context.Background()
	co, err := c.CreateCompany(ctx, connect.NewRequest(&zeugov1.CreateCompanyRequest{Fields: &zeugov1.CompanyFields{Name: "Alt GmbH"}}))
	if err != nil {
		t.Fatal(err)
	}
	id := co.Msg.GetCompany().GetId()
	// The state of a row written before 00006.
	env.AsOwner(ten.TenantID, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE companies SET managing_directors = 'Hedwig Altbestand', managing_directors_enc = NULL WHERE id = $1`, id)
		return err
	})
	get := func() string {
		t.Helper()
		g, err := c.GetCompany(ctx, connect.NewRequest(&zeugov1.GetCompanyRequest{Id: id}))
		if err != nil {
			t.Fatal(err)
		}
		return g.Msg.GetCompany().GetFields().GetManagingDirectors()
	}
	if got := get(); got != "Hedwig Altbestand" {
		t.Fatalf("legacy row reads %q", got)
	}
	w := &jobs.CleanupWorker{DB: env.App.DB, Now: env.Clock.Now, Sweepers: env.App.Sweepers, Log: zerolog.Nop()}
	res, err := w.Run(ctx)
	if err != nil || res.Swept["letterheads_encrypted"] != 1 {
		t.Fatalf("sweep: %+v, %v", res.Swept, err)
	}
	var plain string
	var enc []byte
	env.AsOwner(ten.TenantID, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `SELECT managing_directors, managing_directors_enc FROM companies WHERE id = $1`, id).Scan(&plain, &enc)
	})
	if plain != "" || len(enc) == 0 {
		t.Fatalf("after the sweep: plain %q, %d encrypted bytes", plain, len(enc))
	}
	if got := get(); got != "Hedwig Altbestand" {
		t.Fatalf("encrypted row reads %q", got)
	}
	if res, err := w.Run(ctx); err != nil || res.Swept["letterheads_encrypted"] != 0 {
		t.Fatalf("second sweep: %+v, %v", res.Swept, err)
	}
}

// TestLetterheadSweeperNeverOverwritesAnEdit: an edit committed between the
// sweeper's read and its write wins.
func TestLetterheadSweeperNeverOverwritesAnEdit(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ten := env.CreateTenant("Eile GmbH", "admin@eile.example")
	c := signIn(t, env, ten, apptest.Connect)
	ctx := context.Background()
	co, err := c.CreateCompany(ctx, connect.NewRequest(&zeugov1.CreateCompanyRequest{Fields: &zeugov1.CompanyFields{Name: "Eile GmbH"}}))
	if err != nil {
		t.Fatal(err)
	}
	id := uuid.MustParse(co.Msg.GetCompany().GetId())
	bound := func(fn func(tx pgx.Tx) error) { env.AsOwner(ten.TenantID, fn) }
	bound(func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE companies SET managing_directors = 'Alt Name', managing_directors_enc = NULL WHERE id = $1`, id)
		return err
	})
	q := dbsqlc.New()
	var legacy []*dbsqlc.LegacyLetterheadsRow
	bound(func(tx pgx.Tx) (err error) {
		legacy, err = q.LegacyLetterheads(ctx, tx, dbsqlc.LegacyLetterheadsParams{TenantID: ten.TenantID, Batch: 10})
		return err
	})
	if len(legacy) != 1 {
		t.Fatalf("legacy rows: %d", len(legacy))
	}
	// The user saves a new name in between.
	if _, err := c.UpdateCompany(ctx, connect.NewRequest(&zeugov1.UpdateCompanyRequest{Id: id.String(), Version: co.Msg.GetCompany().GetVersion(),
		Fields: &zeugov1.CompanyFields{Name: "Eile GmbH", ManagingDirectors: "Neu Name"}})); err != nil {
		t.Fatal(err)
	}
	// The sweeper's write of the old text must not land.
	bound(func(tx pgx.Tx) error {
		return q.EncryptLetterhead(ctx, tx, dbsqlc.EncryptLetterheadParams{TenantID: ten.TenantID, ID: id,
			ManagingDirectors: legacy[0].ManagingDirectors, ManagingDirectorsEnc: []byte("stale ciphertext")})
	})
	g, err := c.GetCompany(ctx, connect.NewRequest(&zeugov1.GetCompanyRequest{Id: id.String()}))
	if err != nil || g.Msg.GetCompany().GetFields().GetManagingDirectors() != "Neu Name" {
		t.Fatalf("after the sweeper's late write: %v, %q", err, g.Msg.GetCompany().GetFields().GetManagingDirectors())
	}
}
