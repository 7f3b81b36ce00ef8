package account

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/zeugo/zeugo/backend/internal/account/dbsqlc"
	"github.com/zeugo/zeugo/backend/internal/keyring"
	"github.com/zeugo/zeugo/backend/internal/postgres"
	"github.com/zeugo/zeugo/backend/internal/uow"
)

// Associated-data names of the encrypted user fields (as package auth and
// the tenant provisioner seal them).
const (
	colEmail     = "users.email"
	colFirstName = "users.first_name"
	colLastName  = "users.last_name"
	colPhone     = "users.phone"
)

func affected(n int64, err error) error { return postgres.Affected(n, err) }

type profileRow struct {
	ID                                            uuid.UUID
	EmailEnc, FirstNameEnc, LastNameEnc, PhoneEnc []byte
	Language                                      string
	Version                                       int64
}

func openProfile(ctx context.Context, c *keyring.TenantCipher, r profileRow) (*Profile, error) {
	p := &Profile{Version: r.Version, Fields: ProfileFields{Language: r.Language}}
	var err error
	if p.Email, err = c.OpenString(ctx, r.ID, colEmail, r.EmailEnc); err != nil {
		return nil, err
	}
	if p.Fields.FirstName, err = c.OpenString(ctx, r.ID, colFirstName, r.FirstNameEnc); err != nil {
		return nil, err
	}
	if p.Fields.LastName, err = c.OpenString(ctx, r.ID, colLastName, r.LastNameEnc); err != nil {
		return nil, err
	}
	if r.PhoneEnc != nil {
		if p.Fields.Phone, err = c.OpenString(ctx, r.ID, colPhone, r.PhoneEnc); err != nil {
			return nil, err
		}
	}
	return p, nil
}

func getProfile(ctx context.Context, q *dbsqlc.Queries, rd *uow.Reader) (*Profile, error) {
	c, err := rd.Cipher()
	if err != nil {
		return nil, err
	}
	r, err := q.GetMyProfile(ctx, rd.DB, dbsqlc.GetMyProfileParams{TenantID: rd.P.TenantID, ID: rd.P.UserID})
	if err != nil {
		return nil, postgres.NotFoundOr(err)
	}
	return openProfile(ctx, c, profileRow(*r))
}

func updateProfile(ctx context.Context, q *dbsqlc.Queries, tx *uow.Tx, version int64, f ProfileFields, now time.Time) (*Profile, error) {
	c, err := tx.Cipher()
	if err != nil {
		return nil, err
	}
	id := tx.P.UserID
	var phone []byte
	if f.Phone != "" {
		phone = c.SealString(id, colPhone, f.Phone)
	}
	r, err := q.UpdateMyProfile(ctx, tx, dbsqlc.UpdateMyProfileParams{TenantID: tx.P.TenantID, ID: id, Version: version, Now: now,
		FirstNameEnc: c.SealString(id, colFirstName, f.FirstName), LastNameEnc: c.SealString(id, colLastName, f.LastName),
		PhoneEnc: phone, Language: f.Language})
	if err != nil {
		if err := postgres.NotFoundOr(err); err == postgres.ErrNotFound {
			return nil, postgres.StaleOrMissing(ctx, tx, "users", tx.P.TenantID, id)
		}
		return nil, err
	}
	return openProfile(ctx, c, profileRow(*r))
}
