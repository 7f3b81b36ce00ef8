package audit_test

import (
	"context"
	"net"
	"testing"

	"connectrpc.com/connect"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/zeugo/zeugo/backend/internal/apptest"
	"github.com/zeugo/zeugo/backend/internal/audit"
	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
)

// TestLoginEventsCarryRequestFacts goes through the real server: a failed
// and a successful login are recorded with time, actor, target, and the
// client's IP address and user agent — encrypted, bound to the event, and
// readable by the tenant — and the tenant's chain verifies.
func TestLoginEventsCarryRequestFacts(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ten := env.CreateTenant("Protokoll AG", "admin@protokoll.example")
	const ua = "Protokolltest/2.0 (Audit)"
	c := env.AuthClient(env.HTTPClient(), apptest.Connect)
	login := func(pw string) error {
		req := connect.NewRequest(&zeugov1.LoginRequest{Email: ten.Email, Password: pw})
		req.Header().Set("User-Agent", ua)
		_, err := c.Login(context.Background(), req)
		return err
	}
	if err := login("falsch-falsch-falsch"); err == nil {
		t.Fatal("wrong password accepted")
	}
	if err := login(ten.Password); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	type event struct {
		action, outcome, actorType, actorID, targetType string
		ip, ua                                          string
	}
	var events []event
	err := env.App.DB.TenantTx(ctx, ten.TenantID, func(tx pgx.Tx) error {
		cipher, err := env.App.Keys.Tenant(ctx, tx, ten.TenantID)
		if err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT id, action, outcome, actor_type, actor_id, target_type, ip_enc, user_agent_enc, occurred_at = $2
			FROM audit_events WHERE tenant_id = $1 AND action LIKE 'auth.%' ORDER BY seq`, ten.TenantID, env.Clock.Now())
		if err != nil {
			return err
		}
		type raw struct {
			id           uuid.UUID
			e            event
			ipEnc, uaEnc []byte
			atClock      bool
		}
		var rs []raw
		for rows.Next() {
			var r raw
			if err := rows.Scan(&r.id, &r.e.action, &r.e.outcome, &r.e.actorType, &r.e.actorID, &r.e.targetType, &r.ipEnc, &r.uaEnc, &r.atClock); err != nil {
				return err
			}
			rs = append(rs, r)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		for _, r := range rs {
			if !r.atClock {
				t.Errorf("%s: occurred_at is not the server clock's time", r.e.action)
			}
			if r.e.ip, err = cipher.OpenString(ctx, r.id, "audit.ip", r.ipEnc); err != nil {
				return err
			}
			if r.e.ua, err = cipher.OpenString(ctx, r.id, "audit.user_agent", r.uaEnc); err != nil {
				return err
			}
			// Bound to its event: under another event id it does not open.
			if _, err := cipher.Open(ctx, uuid.New(), "audit.ip", r.ipEnc); err == nil {
				t.Errorf("%s: the IP ciphertext opens under another event id", r.e.action)
			}
			events = append(events, r.e)
		}
		res, err := env.App.AuditChain.Verify(ctx, tx, ten.TenantID)
		if err != nil {
			return err
		}
		if !res.OK {
			t.Errorf("chain after logins: %+v", res)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// The client connects to the test server's loopback address.
	ip, _, _ := net.SplitHostPort(env.Server.Listener.Addr().String())
	want := []event{
		{audit.ActionLoginFailed, audit.OutcomeFailure, audit.ActorAnonymous, "", "user", ip, ua},
		{audit.ActionLoginSucceeded, audit.OutcomeSuccess, audit.ActorUser, ten.AdminID.String(), "session", ip, ua},
	}
	if len(events) != len(want) {
		t.Fatalf("auth events %+v, want %+v", events, want)
	}
	for i := range want {
		if events[i] != want[i] {
			t.Errorf("event %d = %+v, want %+v", i, events[i], want[i])
		}
	}
}
