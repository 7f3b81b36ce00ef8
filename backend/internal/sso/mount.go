package sso

import (
	"context"
	"net/http"
	"time"

	"connectrpc.com/connect"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1/zeugov1connect"
	"github.com/zeugo/zeugo/backend/internal/jobs"
	"github.com/zeugo/zeugo/backend/internal/mount"
	"github.com/zeugo/zeugo/backend/internal/sso/dbsqlc"
)

// Mount is SsoService and the callback route as the server serves them.
func Mount(s *Service) mount.Service {
	return mount.Service{Name: zeugov1connect.SsoServiceName,
		Handler: func(opts ...connect.HandlerOption) (string, http.Handler) {
			path, h := zeugov1connect.NewSsoServiceHandler(NewHandler(s), opts...)
			return path, withOrigin(h)
		},
		Routes: map[string]http.Handler{"GET " + CallbackPath: http.HandlerFunc(s.Callback)}}
}

// Sweeper deletes started logins a day after they lapsed.
func Sweeper() jobs.Sweeper {
	q := dbsqlc.New()
	return jobs.Sweeper{Name: "sso_logins_deleted", Sweep: func(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID, now time.Time, batch int) (int64, error) {
		return q.SweepLogins(ctx, tx, dbsqlc.SweepLoginsParams{TenantID: tenantID, Before: now.Add(-24 * time.Hour), Batch: int32(batch)})
	}}
}
