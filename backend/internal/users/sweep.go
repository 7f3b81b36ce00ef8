package users

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/zeugo/zeugo/backend/internal/jobs"
)

// LinkSweeper is the cleanup job's sweeper of single-use links
// (user_links) that can no longer do anything: links used more than grace
// ago and password-reset links expired more than grace ago. An invited
// user's invitation link stays while the user is invited (the user list
// shows until when it was valid; resending replaces it, cancelling deletes
// it with the user).
func LinkSweeper(grace time.Duration) jobs.Sweeper {
	return jobs.Sweeper{Name: "user_links_deleted", Sweep: func(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID, now time.Time, batch int) (int64, error) {
		before := now.Add(-grace)
		tag, err := tx.Exec(ctx, `DELETE FROM user_links WHERE tenant_id = $1 AND id IN (
				SELECT id FROM user_links WHERE tenant_id = $1
				  AND (used_at < $2 OR (purpose = 'reset' AND expires_at < $2))
				LIMIT $3)`, tenantID, before, batch)
		return tag.RowsAffected(), err
	}}
}
