package roles

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/zeugo/zeugo/backend/internal/access"
	"github.com/zeugo/zeugo/backend/internal/paging"
	"github.com/zeugo/zeugo/backend/internal/postgres"
	"github.com/zeugo/zeugo/backend/internal/roles/dbsqlc"
	"github.com/zeugo/zeugo/backend/internal/uow"
)

// The unique index of role names (lower(name) per tenant).
func nameTaken(err error) error {
	return postgres.UniqueField(err, "fields.name", "roles_name_key")
}

func areasOf(names []string) []access.Area {
	out := make([]access.Area, 0, len(names))
	for _, n := range names {
		out = append(out, access.Area(n))
	}
	return out
}

func fromRow(r *dbsqlc.Role, users int64) *Role {
	return &Role{ID: r.ID, Fields: Fields{Name: r.Name, Areas: areasOf(r.Areas)}, Builtin: r.Builtin, UserCount: users,
		Version: r.Version, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

func insertRole(ctx context.Context, q *dbsqlc.Queries, tx *uow.Tx, id uuid.UUID, f Fields, now time.Time) (*Role, error) {
	r, err := q.InsertRole(ctx, tx, dbsqlc.InsertRoleParams{ID: id, TenantID: tx.P.TenantID, Name: f.Name,
		Areas: areaNames(f.Areas), Now: now})
	if err != nil {
		return nil, nameTaken(err)
	}
	return fromRow(r, 0), nil
}

func getRole(ctx context.Context, q *dbsqlc.Queries, db postgres.DBTX, tenantID, id uuid.UUID) (*Role, error) {
	r, err := q.GetRole(ctx, db, dbsqlc.GetRoleParams{TenantID: tenantID, ID: id})
	if err != nil {
		return nil, postgres.NotFoundOr(err)
	}
	return &Role{ID: r.ID, Fields: Fields{Name: r.Name, Areas: areasOf(r.Areas)}, Builtin: r.Builtin,
		UserCount: r.UserCount, Version: r.Version, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}, nil
}

func lockRole(ctx context.Context, q *dbsqlc.Queries, tx *uow.Tx, id uuid.UUID) (*dbsqlc.Role, error) {
	r, err := q.LockRole(ctx, tx, dbsqlc.LockRoleParams{TenantID: tx.P.TenantID, ID: id})
	return r, postgres.NotFoundOr(err)
}

func updateRole(ctx context.Context, q *dbsqlc.Queries, tx *uow.Tx, id uuid.UUID, version int64, f Fields, now time.Time) (*Role, error) {
	r, err := q.UpdateRole(ctx, tx, dbsqlc.UpdateRoleParams{TenantID: tx.P.TenantID, ID: id, Version: version,
		Name: f.Name, Areas: areaNames(f.Areas), Now: now})
	if err != nil {
		if err = nameTaken(postgres.NotFoundOr(err)); err == postgres.ErrNotFound {
			return nil, postgres.StaleOrMissing(ctx, tx, "roles", tx.P.TenantID, id)
		}
		return nil, err
	}
	n, err := q.CountRoleUsers(ctx, tx, dbsqlc.CountRoleUsersParams{TenantID: tx.P.TenantID, ID: id})
	if err != nil {
		return nil, err
	}
	return fromRow(r, n), nil
}

func deleteRole(ctx context.Context, q *dbsqlc.Queries, tx *uow.Tx, id uuid.UUID) error {
	return postgres.Affected(q.DeleteRole(ctx, tx, dbsqlc.DeleteRoleParams{TenantID: tx.P.TenantID, ID: id}))
}

const roleColumns = `id, name, areas, builtin, version, created_at, updated_at,
	(SELECT count(*) FROM users u WHERE u.tenant_id = roles.tenant_id AND u.role_id = roles.id)`

// listRoles pages through the roles by lower(name) (index roles_name_key).
func listRoles(rd *uow.Reader, q Query) (paging.Page[Role], error) {
	l := postgres.List{Table: "roles", Columns: roleColumns, Desc: q.Desc, Key: "lower(name)", KeyArg: "lower(?::text)"}
	if q.Search != "" {
		l.Where = append(l.Where, postgres.Where("strpos(lower(name), lower(?)) > 0", q.Search))
	}
	return uow.ListPage(rd, l, q.Page, func(row pgx.CollectableRow) (Role, error) {
		var r Role
		var areas []string
		err := row.Scan(&r.ID, &r.Fields.Name, &areas, &r.Builtin, &r.Version, &r.CreatedAt, &r.UpdatedAt, &r.UserCount) // roleColumns
		r.Fields.Areas = areasOf(areas)
		return r, err
	}, func(r *Role) (string, uuid.UUID) { return r.Fields.Name, r.ID })
}

// LockAdministrators serialises, per tenant, every change that may remove
// an active administrator (a role change or deactivation of a user, a
// role losing the Administrator area): a transaction-scoped advisory lock,
// taken before any row lock. Two such changes thus run one after the other,
// and the second one's EnsureAdministrator sees the first one's result.
func LockAdministrators(ctx context.Context, tx *uow.Tx) error {
	return dbsqlc.New().LockAdministrators(ctx, tx, "zeugo.administrators:"+tx.P.TenantID.String())
}

// EnsureAdministrator fails with ErrLastAdministrator when, after the
// change made so far in tx, no active user of the tenant holds a role that
// grants the Administrator area. Call it under LockAdministrators.
func EnsureAdministrator(ctx context.Context, tx *uow.Tx) error {
	n, err := dbsqlc.New().CountActiveAdministrators(ctx, tx, tx.P.TenantID)
	if err != nil {
		return err
	}
	if n == 0 {
		return ErrLastAdministrator
	}
	return nil
}
