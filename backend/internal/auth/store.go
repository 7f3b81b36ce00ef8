package auth

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/zeugo/zeugo/backend/internal/access"
	"github.com/zeugo/zeugo/backend/internal/jobs"
	"github.com/zeugo/zeugo/backend/internal/postgres"
)

type loginAccount struct {
	TenantID, UserID uuid.UUID
}

// maxLoginAccounts bounds the accounts one email may name across tenants
// that a login tries (each costs one argon2id verification).
const maxLoginAccounts = 4

// findLogins maps a blind email index to its accounts — one per tenant that
// uses the address — through the one SECURITY DEFINER door (no tenant is
// known yet). Empty when unknown.
func findLogins(ctx context.Context, db *postgres.DB, emailIndex []byte) ([]loginAccount, error) {
	rows, err := db.Pool.Query(ctx, `SELECT tenant_id, user_id FROM auth_find_login($1) ORDER BY tenant_id LIMIT $2`,
		emailIndex, maxLoginAccounts)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (loginAccount, error) {
		var a loginAccount
		err := r.Scan(&a.TenantID, &a.UserID)
		return a, err
	})
}

type loginUser struct {
	Status       string
	PasswordHash string
	TenantStatus string
	// SSOOnly: the tenant signs in through its identity provider only.
	SSOOnly bool
}

func loadLoginUser(ctx context.Context, db *postgres.DB, tenantID, userID uuid.UUID) (loginUser, error) {
	var u loginUser
	err := db.TenantQuery(ctx, tenantID, func(rows pgx.Rows) error {
		var hash *string
		if !rows.Next() {
			return errors.Join(rows.Err(), pgx.ErrNoRows)
		}
		if err := rows.Scan(&u.Status, &hash, &u.TenantStatus, &u.SSOOnly); err != nil {
			return err
		}
		if hash != nil {
			u.PasswordHash = *hash
		}
		return nil
	}, `SELECT u.status, u.password_hash, t.status,
			EXISTS (SELECT 1 FROM sso_configs c WHERE c.tenant_id = u.tenant_id AND c.mode = 'sso_only')
		FROM users u JOIN tenants t ON t.id = u.tenant_id
		WHERE u.tenant_id = $1 AND u.id = $2`, tenantID, userID)
	return u, err
}

// countFailure records a failed login. Only wrong passwords count towards
// the lockout; the account locks when the count reaches max. It returns the
// count and whether this failure locked the account.
func countFailure(ctx context.Context, tx pgx.Tx, tenantID, userID uuid.UUID, max int, now time.Time, counts bool) (int, bool, error) {
	if !counts {
		return 0, false, nil
	}
	var failures int
	var lockedNow bool
	err := tx.QueryRow(ctx, `
		WITH before AS (SELECT status FROM users WHERE tenant_id = $1 AND id = $2 FOR UPDATE)
		UPDATE users u SET failed_logins = u.failed_logins + 1,
			status    = CASE WHEN u.failed_logins + 1 >= $3 AND u.status = 'active' THEN 'locked' ELSE u.status END,
			locked_at = CASE WHEN u.failed_logins + 1 >= $3 AND u.status = 'active' THEN $4 ELSE u.locked_at END,
			updated_at = $4, version = u.version + 1
		FROM before
		WHERE u.tenant_id = $1 AND u.id = $2
		RETURNING u.failed_logins, (before.status = 'active' AND u.status = 'locked')`,
		tenantID, userID, max, now).Scan(&failures, &lockedNow)
	return failures, lockedNow, err
}

// markLoginSuccess resets the failure count (and stores an upgraded hash);
// false when the account is no longer active.
func markLoginSuccess(ctx context.Context, tx pgx.Tx, tenantID, userID uuid.UUID, now time.Time, rehash string) (bool, error) {
	tag, err := tx.Exec(ctx, `UPDATE users SET failed_logins = 0, last_login_at = $3,
			password_hash = CASE WHEN $4 = '' THEN password_hash ELSE $4 END
		WHERE tenant_id = $1 AND id = $2 AND status = 'active'`, tenantID, userID, now, rehash)
	return tag.RowsAffected() == 1, err
}

// markPasswordRight stores an upgraded hash after a right password whose
// login continues with a second factor; false when the account is no
// longer active. The failure count is left alone: it resets only when the
// login completes.
func markPasswordRight(ctx context.Context, tx pgx.Tx, tenantID, userID uuid.UUID, rehash string) (bool, error) {
	tag, err := tx.Exec(ctx, `UPDATE users SET password_hash = CASE WHEN $3 = '' THEN password_hash ELSE $3 END
		WHERE tenant_id = $1 AND id = $2 AND status = 'active'`, tenantID, userID, rehash)
	return tag.RowsAffected() == 1, err
}

func insertRefreshToken(ctx context.Context, tx pgx.Tx, tenantID, sid uuid.UUID, hash []byte, now time.Time) error {
	_, err := tx.Exec(ctx, `INSERT INTO refresh_tokens (token_hash, tenant_id, session_id, issued_at) VALUES ($1, $2, $3, $4)`,
		hash, tenantID, sid, now)
	return err
}

type refreshRow struct {
	SessionID         uuid.UUID
	UserID            uuid.UUID
	UsedAt            *time.Time
	RevokedAt         *time.Time
	IdleExpiresAt     time.Time
	AbsoluteExpiresAt time.Time
	UserStatus        string
	TenantStatus      string
}

func (r *refreshRow) alive(now time.Time) bool {
	return r.RevokedAt == nil && now.Before(r.IdleExpiresAt) && now.Before(r.AbsoluteExpiresAt) &&
		r.UserStatus == "active" && (r.TenantStatus == "active" || r.TenantStatus == "terminated")
}

// lockRefreshToken loads a refresh token and its session, locking the token
// row so two concurrent refreshes with one token cannot both succeed.
func lockRefreshToken(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID, hash []byte) (*refreshRow, error) {
	var r refreshRow
	err := tx.QueryRow(ctx, `SELECT s.id, s.user_id, rt.used_at, s.revoked_at, s.idle_expires_at, s.absolute_expires_at, u.status, t.status
		FROM refresh_tokens rt
		JOIN sessions s ON s.tenant_id = rt.tenant_id AND s.id = rt.session_id
		JOIN users u ON u.tenant_id = s.tenant_id AND u.id = s.user_id
		JOIN tenants t ON t.id = s.tenant_id
		WHERE rt.tenant_id = $1 AND rt.token_hash = $2
		FOR UPDATE OF rt`, tenantID, hash).Scan(&r.SessionID, &r.UserID, &r.UsedAt, &r.RevokedAt, &r.IdleExpiresAt,
		&r.AbsoluteExpiresAt, &r.UserStatus, &r.TenantStatus)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	return &r, err
}

func markRefreshUsed(ctx context.Context, tx pgx.Tx, hash []byte, now time.Time) error {
	_, err := tx.Exec(ctx, `UPDATE refresh_tokens SET used_at = $2 WHERE token_hash = $1`, hash, now)
	return err
}

func revokeSession(ctx context.Context, tx pgx.Tx, tenantID, sid uuid.UUID, reason string, now time.Time) error {
	_, err := tx.Exec(ctx, `UPDATE sessions SET revoked_at = $3, revoke_reason = $4
		WHERE tenant_id = $1 AND id = $2 AND revoked_at IS NULL`, tenantID, sid, now, reason)
	return err
}

// RevokeUserSessions ends every live session of a user (deactivation, lock,
// password change) and every login of theirs still waiting for its second
// step; it returns how many sessions were revoked.
func RevokeUserSessions(ctx context.Context, tx pgx.Tx, tenantID, userID uuid.UUID, reason string, now time.Time) (int64, error) {
	tag, err := tx.Exec(ctx, `UPDATE sessions SET revoked_at = $3, revoke_reason = $4
		WHERE tenant_id = $1 AND user_id = $2 AND revoked_at IS NULL`, tenantID, userID, now, reason)
	if err != nil {
		return 0, err
	}
	return tag.RowsAffected(), endChallenges(ctx, tx, tenantID, userID, now)
}

// endChallenges ends a user's logins that wait for their second step: a
// changed password or reset factors must not leave a login begun before
// them open.
func endChallenges(ctx context.Context, tx pgx.Tx, tenantID, userID uuid.UUID, now time.Time) error {
	_, err := tx.Exec(ctx, `UPDATE login_challenges SET used_at = $3
		WHERE tenant_id = $1 AND user_id = $2 AND used_at IS NULL`, tenantID, userID, now)
	return err
}

// checkSession validates the session named by a token in one round trip
// and returns the principal, or nil when the session may no longer act
// (sessionCheckSQL).
func checkSession(ctx context.Context, db *postgres.DB, chk *sessionCheck) (*access.Principal, error) {
	return db.Check(ctx, chk.ids.TenantID, chk)
}

func loadPrincipal(ctx context.Context, tx pgx.Tx, tenantID, userID uuid.UUID) (*access.Principal, error) {
	var r rightsRow
	err := tx.QueryRow(ctx, `SELECT r.areas, t.status, u.authz_version, r.version, u.access_all, u.access_companies,
		       u.access_locations, u.access_departments, u.access_org_units, u.access_employee_types
		FROM users u
		JOIN roles r ON r.tenant_id = u.tenant_id AND r.id = u.role_id
		JOIN tenants t ON t.id = u.tenant_id
		WHERE u.tenant_id = $1 AND u.id = $2`, tenantID, userID).Scan(r.dest()...)
	if err != nil {
		return nil, err
	}
	return r.principal(tenantID, userID), nil
}

type profileRow struct {
	TenantName                          string
	RoleName                            string
	EmailEnc, FirstNameEnc, LastNameEnc []byte
}

func loadProfileRow(ctx context.Context, tx postgres.DBTX, tenantID, userID uuid.UUID) (profileRow, error) {
	var r profileRow
	err := tx.QueryRow(ctx, `SELECT t.name, r.name, u.email_enc, u.first_name_enc, u.last_name_enc FROM users u
		JOIN roles r ON r.tenant_id = u.tenant_id AND r.id = u.role_id
		JOIN tenants t ON t.id = u.tenant_id
		WHERE u.tenant_id = $1 AND u.id = $2`, tenantID, userID).Scan(&r.TenantName, &r.RoleName, &r.EmailEnc, &r.FirstNameEnc, &r.LastNameEnc)
	return r, err
}

func toAreas(names []string) []access.Area {
	out := make([]access.Area, 0, len(names))
	for _, n := range names {
		out = append(out, access.Area(n))
	}
	return out
}

func itoa(n int) string { return strconv.Itoa(n) }

func boolString(b bool) string { return strconv.FormatBool(b) }

// DeleteExpiredSessions removes, for one tenant, at most batch sessions that
// ended (revoked, idle or absolute expiry) more than grace ago, with their
// refresh tokens. The cleanup job calls it per tenant until fewer than batch
// rows are deleted.
func DeleteExpiredSessions(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID, before time.Time, batch int) (int64, error) {
	tag, err := tx.Exec(ctx, `DELETE FROM sessions WHERE tenant_id = $1 AND id IN (
			SELECT id FROM sessions WHERE tenant_id = $1
			  AND (absolute_expires_at < $2 OR idle_expires_at < $2 OR revoked_at < $2)
			LIMIT $3)`, tenantID, before, batch)
	return tag.RowsAffected(), err
}

// ChallengeSweeper removes login challenges a day after they lapsed.
func ChallengeSweeper() jobs.Sweeper {
	return jobs.Sweeper{Name: "login_challenges_deleted", Sweep: sweepChallenges}
}

// SessionSweeper is the cleanup job's sweeper of ended sessions, kept grace
// long after they ended (for the audit trail of a recent logout and for
// reuse detection).
func SessionSweeper(grace time.Duration) jobs.Sweeper {
	return jobs.Sweeper{Name: "sessions_deleted", Sweep: func(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID, now time.Time, batch int) (int64, error) {
		return DeleteExpiredSessions(ctx, tx, tenantID, now.Add(-grace), batch)
	}}
}
