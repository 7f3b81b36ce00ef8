package apikey

import (
	"context"
	"net/netip"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/zeugo/zeugo/backend/internal/apikey/dbsqlc"
	"github.com/zeugo/zeugo/backend/internal/keyring"
	"github.com/zeugo/zeugo/backend/internal/paging"
	"github.com/zeugo/zeugo/backend/internal/postgres"
	"github.com/zeugo/zeugo/backend/internal/uow"
)

func insertKey(ctx context.Context, q *dbsqlc.Queries, tx *uow.Tx, id uuid.UUID, prefix string, hash []byte, nk NewKey,
	scopes []string, cidrs []netip.Prefix, now time.Time) error {
	var exp pgtype.Timestamptz
	if nk.ExpiresAt != nil {
		exp = pgtype.Timestamptz{Time: nk.ExpiresAt.UTC(), Valid: true}
	}
	return q.InsertAPIKey(ctx, tx, dbsqlc.InsertAPIKeyParams{TenantID: tx.P.TenantID, ID: id, UserID: tx.P.UserID,
		Name: nk.Name, Prefix: prefix, SecretHash: hash, Scopes: scopes, ExpiresAt: exp, AllowedCidrs: cidrs, Now: now})
}

func getKey(ctx context.Context, q *dbsqlc.Queries, tx *uow.Tx, id uuid.UUID) (*Key, error) {
	r, err := q.GetAPIKey(ctx, tx, dbsqlc.GetAPIKeyParams{TenantID: tx.P.TenantID, ID: id})
	if err != nil {
		return nil, postgres.NotFoundOr(err)
	}
	c, err := tx.Cipher()
	if err != nil {
		return nil, err
	}
	return keyFromRow(ctx, c, r)
}

// optTime turns a nullable timestamp into a pointer.
func optTime(t pgtype.Timestamptz) *time.Time {
	if !t.Valid {
		return nil
	}
	v := t.Time
	return &v
}

// keyFromRow builds a key; the creator's name is decrypted (personal data,
// sealed per user row).
func keyFromRow(ctx context.Context, c *keyring.TenantCipher, r *dbsqlc.GetAPIKeyRow) (*Key, error) {
	first, err := c.OpenString(ctx, r.CreatedBy, "users.first_name", r.FirstNameEnc)
	if err != nil {
		return nil, err
	}
	last, err := c.OpenString(ctx, r.CreatedBy, "users.last_name", r.LastNameEnc)
	if err != nil {
		return nil, err
	}
	k := &Key{ID: r.ID, Name: r.Name, Prefix: r.Prefix, CreatedBy: r.CreatedBy,
		CreatedByName: strings.TrimSpace(first + " " + last), CreatedAt: r.CreatedAt, LastUsedAt: optTime(r.LastUsedAt),
		ExpiresAt: optTime(r.ExpiresAt), RevokedAt: optTime(r.RevokedAt), AllowedCIDRs: r.AllowedCidrs}
	for svc, lvl := range grantsOf(r.Scopes) {
		k.Grants = append(k.Grants, Grant{Service: svc, Level: lvl})
	}
	sortGrants(k.Grants)
	return k, nil
}

// listTable is the keys with their creators' (encrypted) names, as one
// relation for postgres.List (its tenant filter and keyset apply to the
// key's columns; PostgreSQL flattens the join).
const listTable = `(SELECT k.tenant_id, k.id, k.name, k.prefix, k.scopes, k.expires_at, k.allowed_cidrs, k.created_at,
		k.created_by, k.last_used_at, k.revoked_at, u.first_name_enc, u.last_name_enc
	FROM api_keys k JOIN users u ON u.tenant_id = k.tenant_id AND u.id = k.created_by) AS api_keys`

const listColumns = `id, name, prefix, scopes, expires_at, allowed_cidrs, created_at, created_by, last_used_at,
	revoked_at, first_name_enc, last_name_enc`

// listKeys pages through the keys by created_at or lower(name), each with
// id as the tie-breaker (indexes in migration 00013).
func listKeys(rd *uow.Reader, q Query) (paging.Page[Key], error) {
	l := postgres.List{Table: listTable, Columns: listColumns, Desc: q.Desc}
	var key func(k *Key) string
	switch q.Order {
	case ByName:
		l.Key, l.KeyArg, key = "lower(name)", "lower(?::text)", func(k *Key) string { return k.Name }
	default:
		l.Key, l.KeyArg, key = "created_at", "?::timestamptz", func(k *Key) string { return k.CreatedAt.UTC().Format(time.RFC3339Nano) }
	}
	if q.Search != "" {
		l.Where = append(l.Where, postgres.Where("strpos(lower(name), lower(?)) > 0", q.Search))
	}
	c, err := rd.Cipher()
	if err != nil {
		return paging.Page[Key]{}, err
	}
	return uow.ListPage(rd, l, q.Page, func(row pgx.CollectableRow) (Key, error) {
		var r dbsqlc.GetAPIKeyRow
		if err := row.Scan(&r.ID, &r.Name, &r.Prefix, &r.Scopes, &r.ExpiresAt, &r.AllowedCidrs, &r.CreatedAt, &r.CreatedBy,
			&r.LastUsedAt, &r.RevokedAt, &r.FirstNameEnc, &r.LastNameEnc); err != nil { // listColumns, in order
			return Key{}, err
		}
		k, err := keyFromRow(rd.Context(), c, &r)
		if err != nil {
			return Key{}, err
		}
		return *k, nil
	}, func(k *Key) (string, uuid.UUID) { return key(k), k.ID })
}
