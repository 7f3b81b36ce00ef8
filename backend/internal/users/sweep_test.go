package users_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/zeugo/zeugo/backend/internal/apptest"
	"github.com/zeugo/zeugo/backend/internal/users"
)

// TestLinkSweeperKeepsWhatCanStillMatter: used links and expired reset
// links go after the grace period; an open invitation's link, a fresh
// reset link and a recently used link stay.
func TestLinkSweeperKeepsWhatCanStillMatter(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ten := env.CreateTenant("Muster AG", "admin@muster.example")
	now := time.Now().UTC()
	day := 24 * time.Hour
	type link struct {
		purpose          string
		created, expires time.Time
		used             *time.Time
		keep             bool
	}
	old := now.Add(-10 * day)
	recent := now.Add(-day)
	links := map[string]link{
		"used long ago":                     {"invitation", old.Add(-day), old.Add(2 * day), &old, false},
		"reset expired long ago":            {"reset", old, old.Add(time.Hour), nil, false},
		"open invitation, expired long ago": {"invitation", old, old.Add(3 * day), nil, true},
		"fresh reset":                       {"reset", now, now.Add(time.Hour), nil, true},
		"used recently":                     {"reset", recent, recent.Add(time.Hour), &recent, true},
	}
	ids := map[string]uuid.UUID{}
	env.AsOwner(ten.TenantID, func(tx pgx.Tx) error {
		for name, l := range links {
			id := uuid.New()
			ids[name] = id
			hash := make([]byte, 32)
			copy(hash, id[:])
			if _, err := tx.Exec(context.Background(), `INSERT INTO user_links (tenant_id, id, user_id, purpose, token_hash, created_at, expires_at, used_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, ten.TenantID, id, ten.AdminID, l.purpose, hash, l.created, l.expires, l.used); err != nil {
				return err
			}
		}
		return nil
	})
	sweep := users.LinkSweeper(7 * day)
	var n int64
	env.AsOwner(ten.TenantID, func(tx pgx.Tx) (err error) {
		n, err = sweep.Sweep(context.Background(), tx, ten.TenantID, now, 1000)
		return err
	})
	if n != 2 {
		t.Errorf("swept %d links, want 2", n)
	}
	for name, l := range links {
		var left int
		env.AsOwner(ten.TenantID, func(tx pgx.Tx) error {
			return tx.QueryRow(context.Background(), `SELECT count(*) FROM user_links WHERE id = $1`, ids[name]).Scan(&left)
		})
		if (left == 1) != l.keep {
			t.Errorf("%s: kept %v, want %v", name, left == 1, l.keep)
		}
	}
}
