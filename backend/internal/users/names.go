package users

import (
	"context"
	"errors"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/zeugo/zeugo/backend/internal/keyring"
	"github.com/zeugo/zeugo/backend/internal/postgres"
	"github.com/zeugo/zeugo/backend/internal/users/dbsqlc"
)

// Names returns "first last" of the given users of the tenant, for other
// domains that show who did something (a certificate's history, "saved
// by"); ids of users that no longer exist are absent. It runs in the
// caller's unit of work (db is its transaction or reader).
func Names(ctx context.Context, db postgres.DBTX, c *keyring.TenantCipher, tenantID uuid.UUID, ids []uuid.UUID) (map[uuid.UUID]string, error) {
	out := make(map[uuid.UUID]string, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := dbsqlc.New().NamesByID(ctx, db, dbsqlc.NamesByIDParams{TenantID: tenantID, Ids: ids})
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		first, err := c.OpenString(ctx, r.ID, colFirstName, r.FirstNameEnc)
		if err != nil {
			return nil, err
		}
		last, err := c.OpenString(ctx, r.ID, colLastName, r.LastNameEnc)
		if err != nil {
			return nil, err
		}
		out[r.ID] = first + " " + last
	}
	return out, nil
}

// Contact is how to mail a user.
type Contact struct {
	Name, Email, Language string
}

// ContactOf returns the name, address and mail language of an active user
// of the tenant (ok false for a user who is gone or not active), for other
// domains' mails to HR. It runs in the caller's unit of work.
func ContactOf(ctx context.Context, db postgres.DBTX, c *keyring.TenantCipher, tenantID, id uuid.UUID) (Contact, bool, error) {
	r, err := dbsqlc.New().ContactByID(ctx, db, dbsqlc.ContactByIDParams{TenantID: tenantID, ID: id})
	if err != nil {
		if errors.Is(err, pgx.ErrNoRows) {
			return Contact{}, false, nil
		}
		return Contact{}, false, err
	}
	email, err := c.OpenString(ctx, r.ID, colEmail, r.EmailEnc)
	if err != nil {
		return Contact{}, false, err
	}
	first, err := c.OpenString(ctx, r.ID, colFirstName, r.FirstNameEnc)
	if err != nil {
		return Contact{}, false, err
	}
	last, err := c.OpenString(ctx, r.ID, colLastName, r.LastNameEnc)
	if err != nil {
		return Contact{}, false, err
	}
	return Contact{Name: first + " " + last, Email: email, Language: r.Language}, true, nil
}
