package auth_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"buf.build/gen/go/bufbuild/protovalidate/protocolbuffers/go/buf/validate"
	"connectrpc.com/connect"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/zeugo/zeugo/backend/internal/apptest"
	"github.com/zeugo/zeugo/backend/internal/auth"
	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
	"github.com/zeugo/zeugo/backend/internal/keyring"
	"github.com/zeugo/zeugo/backend/internal/secretlink"
)

const goodPassword = "Tx9#kq2Lm!vB"

// addUser inserts a user of the tenant's administrator role in status
// with names and email, as the user administration would.
func addUser(t *testing.T, env *apptest.Env, ten *apptest.Tenant, first, last, email, status string) uuid.UUID {
	t.Helper()
	id := uuid.Must(uuid.NewV7())
	ctx := context.Background()
	env.AsOwner(ten.TenantID, func(tx pgx.Tx) error {
		c, err := env.Owner.Keys.Tenant(ctx, tx, ten.TenantID)
		if err != nil {
			return err
		}
		e := keyring.NormalizeEmail(email)
		_, err = tx.Exec(ctx, `INSERT INTO users (id, tenant_id, email_index, email_enc, first_name_enc, last_name_enc, role_id,
				status, created_at, updated_at, invited_at)
			SELECT $1, $2, $3, $4, $5, $6, role_id, $7, $8, $8, $8 FROM users WHERE tenant_id = $2 AND id = $9`,
			id, ten.TenantID, env.App.Index.Email(e), c.SealString(id, "users.email", e),
			c.SealString(id, "users.first_name", first), c.SealString(id, "users.last_name", last), status, env.Clock.Now(), ten.AdminID)
		return err
	})
	return id
}

// addLink stores a link of purpose for the user, valid for ttl, and
// returns its token.
func addLink(t *testing.T, env *apptest.Env, tenantID, userID uuid.UUID, purpose string, ttl time.Duration) string {
	t.Helper()
	token, hash := secretlink.New(tenantID)
	now := env.Clock.Now()
	env.AsOwner(tenantID, func(tx pgx.Tx) error {
		_, err := tx.Exec(context.Background(), `INSERT INTO user_links (tenant_id, id, user_id, purpose, token_hash, created_at, expires_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, tenantID, uuid.Must(uuid.NewV7()), userID, purpose, hash, now, now.Add(ttl))
		return err
	})
	return token
}

// tamper changes one character of the token's secret.
func tamper(token string) string {
	b := []byte(token)
	if b[len(b)-2] == 'A' {
		b[len(b)-2] = 'B'
	} else {
		b[len(b)-2] = 'A'
	}
	return string(b)
}

// rules returns the rule ids of the violations on field in err.
func rules(t *testing.T, err error, field string) []string {
	t.Helper()
	var ce *connect.Error
	if !errors.As(err, &ce) || ce.Code() != connect.CodeInvalidArgument {
		t.Fatalf("got %v, want InvalidArgument", err)
	}
	var out []string
	for _, d := range ce.Details() {
		m, derr := d.Value()
		v, ok := m.(*validate.Violations)
		if derr != nil || !ok {
			continue
		}
		for _, vi := range v.GetViolations() {
			var names []string
			for _, el := range vi.GetField().GetElements() {
				names = append(names, el.GetFieldName())
			}
			if strings.Join(names, ".") == field {
				out = append(out, vi.GetRuleId())
			}
		}
	}
	return out
}

func hasRule(t *testing.T, err error, field, rule string) {
	t.Helper()
	got := rules(t, err, field)
	for _, r := range got {
		if r == rule {
			return
		}
	}
	t.Fatalf("violations on %s = %v, want %s", field, got, rule)
}

func auditCount(t *testing.T, env *apptest.Env, tenantID uuid.UUID, action string) int {
	t.Helper()
	var n int
	env.AsOwner(tenantID, func(tx pgx.Tx) error {
		return tx.QueryRow(context.Background(), `SELECT count(*) FROM audit_events WHERE tenant_id = $1 AND action = $2`,
			tenantID, action).Scan(&n)
	})
	return n
}

func userState(t *testing.T, env *apptest.Env, tenantID, userID uuid.UUID) string {
	t.Helper()
	var s string
	env.AsOwner(tenantID, func(tx pgx.Tx) error {
		return tx.QueryRow(context.Background(), `SELECT status FROM users WHERE tenant_id = $1 AND id = $2`, tenantID, userID).Scan(&s)
	})
	return s
}

func notFound(t *testing.T, what string, err error) {
	t.Helper()
	if code(err) != connect.CodeNotFound {
		t.Fatalf("%s: got %v, want NotFound", what, err)
	}
}

func TestInvitationLink(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ten := env.CreateTenant("Alpha AG", "chefin@alpha.example")
	uid := addUser(t, env, ten, "Johanna", "Hofmeister", "j.hofmeister@alpha.example", "invited")
	token := addLink(t, env, ten.TenantID, uid, auth.PurposeInvitation, 72*time.Hour)
	ctx := context.Background()
	for _, p := range protocols {
		c := env.AuthClient(env.HTTPClient(), p)
		// Tampered, malformed, unknown and reset-purpose tokens: one answer.
		for name, tok := range map[string]string{"tampered": tamper(token), "malformed": "kein-token",
			"unknown":      func() string { s, _ := secretlink.New(ten.TenantID); return s }(),
			"other tenant": func() string { s, _ := secretlink.New(uuid.New()); return s }()} {
			_, err := c.GetInvitation(ctx, connect.NewRequest(&zeugov1.GetInvitationRequest{Token: tok}))
			notFound(t, p.String()+" get "+name, err)
			_, err = c.AcceptInvitation(ctx, connect.NewRequest(&zeugov1.AcceptInvitationRequest{Token: tok, Password: goodPassword}))
			notFound(t, p.String()+" accept "+name, err)
		}
		res, err := c.GetInvitation(ctx, connect.NewRequest(&zeugov1.GetInvitationRequest{Token: token}))
		if err != nil {
			t.Fatalf("%s get: %v", p, err)
		}
		if m := res.Msg; m.GetFirstName() != "Johanna" || m.GetEmail() != "j.hofmeister@alpha.example" || m.GetTenantName() != "Alpha AG" ||
			m.GetPolicy().GetMinLength() != 8 || !m.GetPolicy().GetComposition() {
			t.Fatalf("%s invitation = %v", p, m)
		}
		// The reset endpoints do not take an invitation.
		_, err = c.GetPasswordReset(ctx, connect.NewRequest(&zeugov1.GetPasswordResetRequest{Token: token}))
		notFound(t, "invitation as reset", err)
	}
	env.Clock.Advance(time.Minute) // a new window of the per-address limit
	c := env.AuthClient(env.HTTPClient(), apptest.Connect)
	accept := func(pw string) error {
		_, err := c.AcceptInvitation(ctx, connect.NewRequest(&zeugov1.AcceptInvitationRequest{Token: token, Password: pw}))
		return err
	}
	// Meets the composition rule, but is on the breached list.
	hasRule(t, accept("Passwort2024!"), "password", "password.breached")
	// Contains the name (case-insensitive) or the email's local part.
	hasRule(t, accept("X9#hofmeister"), "password", "password.contains_name")
	hasRule(t, accept("JOHANNA-q7#Lz"), "password", "password.contains_name")
	hasRule(t, accept("Kurz1!"), "password", "password.min_len")
	hasRule(t, accept("alllowercase9!x"), "password", "password.composition")
	if s := userState(t, env, ten.TenantID, uid); s != "invited" {
		t.Fatalf("refused passwords changed the state to %s", s)
	}
	// Two concurrent acceptances with one link: exactly one succeeds.
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i := range errs {
		wg.Add(1)
		go func() { defer wg.Done(); errs[i] = accept(goodPassword) }()
	}
	wg.Wait()
	if (errs[0] == nil) == (errs[1] == nil) {
		t.Fatalf("concurrent accepts: %v, %v; want exactly one success", errs[0], errs[1])
	}
	for _, err := range errs {
		if err != nil {
			notFound(t, "losing accept", err)
		}
	}
	if s := userState(t, env, ten.TenantID, uid); s != "active" {
		t.Fatalf("state %s, want active", s)
	}
	if _, err := login(t, c, "J.Hofmeister@alpha.example", goodPassword); err != nil {
		t.Fatalf("login after registration: %v", err)
	}
	// Reused.
	notFound(t, "reused", accept("Anders-9#xQzz"))
	_, err := c.GetInvitation(ctx, connect.NewRequest(&zeugov1.GetInvitationRequest{Token: token}))
	notFound(t, "get reused", err)
	if n := auditCount(t, env, ten.TenantID, auth.ActionInvitationAccepted); n != 1 {
		t.Errorf("%d acceptance events, want 1", n)
	}
	// Expired.
	uid2 := addUser(t, env, ten, "Karl", "Brenner", "k.brenner@alpha.example", "invited")
	token2 := addLink(t, env, ten.TenantID, uid2, auth.PurposeInvitation, time.Hour)
	env.Clock.Advance(time.Hour + time.Second)
	_, err = c.GetInvitation(ctx, connect.NewRequest(&zeugov1.GetInvitationRequest{Token: token2}))
	notFound(t, "expired", err)
	_, err = c.AcceptInvitation(ctx, connect.NewRequest(&zeugov1.AcceptInvitationRequest{Token: token2, Password: goodPassword}))
	notFound(t, "accept expired", err)
	if s := userState(t, env, ten.TenantID, uid2); s != "invited" {
		t.Fatalf("expired link changed the state to %s", s)
	}
}

func TestPasswordReset(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	mb := newMailbox(t, env)
	ten := env.CreateTenant("Beta GmbH", "chef@beta.example")
	hc := env.HTTPClient()
	c := env.AuthClient(hc, apptest.Connect)
	ctx := context.Background()
	live, err := login(t, c, ten.Email, ten.Password)
	if err != nil {
		t.Fatal(err)
	}
	request := func(email string) time.Duration {
		start := time.Now()
		if _, err := c.RequestPasswordReset(ctx, connect.NewRequest(&zeugov1.RequestPasswordResetRequest{Email: email})); err != nil {
			t.Fatalf("request reset for %s: %v", email, err)
		}
		return time.Since(start)
	}
	// Unknown and known address: the same empty answer, both taking at
	// least the floor; only the known one gets a mail.
	dUnknown := request("niemand@beta.example")
	dKnown := request("Chef@Beta.example")
	if floor := auth.DefaultLinkRules.ResetMinDuration; dUnknown < floor || dKnown < floor {
		t.Errorf("durations unknown %v, known %v; want both ≥ %v", dUnknown, dKnown, floor)
	}
	all := mb.deliver()
	if len(all) != 1 || !strings.EqualFold(all[0].To, ten.Email) {
		t.Fatalf("mails %+v, want one to %s", all, ten.Email)
	}
	token := fragment(t, all[0].Plain, "/reset")
	if _, err := c.GetPasswordReset(ctx, connect.NewRequest(&zeugov1.GetPasswordResetRequest{Token: token})); err != nil {
		t.Fatalf("get reset: %v", err)
	}
	_, err = c.GetPasswordReset(ctx, connect.NewRequest(&zeugov1.GetPasswordResetRequest{Token: tamper(token)}))
	notFound(t, "tampered reset", err)
	reset := func(tok, pw string) error {
		_, err := c.ResetPassword(ctx, connect.NewRequest(&zeugov1.ResetPasswordRequest{Token: tok, Password: pw}))
		return err
	}
	hasRule(t, reset(token, "Sommer2024!"), "password", "password.breached")
	hasRule(t, reset(token, "chef-X9#zqq"), "password", "password.contains_name") // the email's local part
	// The refusals left the live session and the link alone.
	if err := me(env, hc, apptest.Connect, live.Msg.GetTokens().GetAccessToken()); err != nil {
		t.Fatalf("session after refused reset: %v", err)
	}
	if err := reset(token, goodPassword); err != nil {
		t.Fatalf("reset: %v", err)
	}
	// Every session ended: the live one's next call is refused.
	if err := me(env, hc, apptest.Connect, live.Msg.GetTokens().GetAccessToken()); code(err) != connect.CodeUnauthenticated {
		t.Fatalf("session after reset: got %v, want Unauthenticated", err)
	}
	notFound(t, "reused reset", reset(token, "Anders-9#xQzz"))
	if _, err := login(t, c, ten.Email, ten.Password); code(err) != connect.CodeUnauthenticated {
		t.Fatalf("old password: got %v", err)
	}
	if _, err := login(t, c, ten.Email, goodPassword); err != nil {
		t.Fatalf("new password: %v", err)
	}
	if n := auditCount(t, env, ten.TenantID, auth.ActionPasswordResetRequest); n != 1 {
		t.Errorf("%d reset requests audited, want 1", n)
	}
	if n := auditCount(t, env, ten.TenantID, auth.ActionPasswordReset); n != 1 {
		t.Errorf("%d resets audited, want 1", n)
	}

	// A newer link replaces the older one; an expired one is refused.
	request(ten.Email)
	request(ten.Email)
	mails := mb.to(ten.Email)
	if len(mails) != 3 {
		t.Fatalf("%d mails, want 3", len(mails))
	}
	older, newer := fragment(t, mails[1].Plain, "/reset"), fragment(t, mails[2].Plain, "/reset")
	notFound(t, "replaced link", reset(older, "Anders-9#xQzz"))
	// The per-address limit (3 an hour) sends nothing more but answers alike.
	request(ten.Email)
	if n := len(mb.to(ten.Email)); n != 3 {
		t.Errorf("%d mails after the limit, want still 3", n)
	}
	env.Clock.Advance(auth.DefaultLinkRules.ResetTTL + time.Second)
	notFound(t, "expired link", reset(newer, "Anders-9#xQzz"))
}

// A reset does not unlock a locked account (SPEC §3.1: an administrator
// unlocks); the new password works once it is unlocked.
func TestResetKeepsLock(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ten := env.CreateTenant("Gamma KG", "chefin@gamma.example")
	env.AsOwner(ten.TenantID, func(tx pgx.Tx) error {
		_, err := tx.Exec(context.Background(), `UPDATE users SET status = 'locked', locked_at = now() WHERE id = $1`, ten.AdminID)
		return err
	})
	token := addLink(t, env, ten.TenantID, ten.AdminID, auth.PurposeReset, time.Hour)
	c := env.AuthClient(env.HTTPClient(), apptest.GRPC)
	if _, err := c.ResetPassword(context.Background(), connect.NewRequest(&zeugov1.ResetPasswordRequest{Token: token, Password: goodPassword})); err != nil {
		t.Fatalf("reset: %v", err)
	}
	if s := userState(t, env, ten.TenantID, ten.AdminID); s != "locked" {
		t.Fatalf("state %s, want locked", s)
	}
	if _, err := login(t, c, ten.Email, goodPassword); code(err) != connect.CodeUnauthenticated {
		t.Fatalf("login while locked: %v", err)
	}
}

func changePassword(env *apptest.Env, hc *http.Client, token, current, next string) error {
	c := env.AuthClient(hc, apptest.Connect)
	req := connect.NewRequest(&zeugov1.ChangePasswordRequest{CurrentPassword: current, NewPassword: next})
	req.Header().Set("Authorization", "Bearer "+token)
	_, err := c.ChangePassword(context.Background(), req)
	return err
}

func TestChangePassword(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ten := env.CreateTenant("Delta AG", "chefin@delta.example")
	hc := env.HTTPClient()
	c := env.AuthClient(hc, apptest.Connect)
	a, err := login(t, c, ten.Email, ten.Password)
	if err != nil {
		t.Fatal(err)
	}
	b, err := login(t, c, ten.Email, ten.Password)
	if err != nil {
		t.Fatal(err)
	}
	ta, tb := a.Msg.GetTokens().GetAccessToken(), b.Msg.GetTokens().GetAccessToken()

	hasRule(t, changePassword(env, hc, ta, "Falsch-9#xyz", goodPassword), "current_password", "password.current_wrong")
	hasRule(t, changePassword(env, hc, ta, ten.Password, "Passwort2024!"), "new_password", "password.breached")
	hasRule(t, changePassword(env, hc, ta, ten.Password, "X9#delta-Qzzq"), "new_password", "password.contains_name") // the tenant's name
	if n := auditCount(t, env, ten.TenantID, auth.ActionPasswordChangeFailed); n != 1 {
		t.Errorf("%d failed changes audited, want 1", n)
	}
	// Both sessions still work after the refusals.
	for _, tok := range []string{ta, tb} {
		if err := me(env, hc, apptest.Connect, tok); err != nil {
			t.Fatalf("session after refusals: %v", err)
		}
	}
	if err := changePassword(env, hc, ta, ten.Password, goodPassword); err != nil {
		t.Fatalf("change: %v", err)
	}
	if err := me(env, hc, apptest.Connect, ta); err != nil {
		t.Fatalf("current session after change: %v", err)
	}
	if err := me(env, hc, apptest.Connect, tb); code(err) != connect.CodeUnauthenticated {
		t.Fatalf("other session after change: got %v, want Unauthenticated", err)
	}
	if _, err := login(t, c, ten.Email, goodPassword); err != nil {
		t.Fatalf("login with new password: %v", err)
	}
	if n := auditCount(t, env, ten.TenantID, auth.ActionPasswordChanged); n != 1 {
		t.Errorf("%d changes audited, want 1", n)
	}
	// The policy for the SPA.
	req := connect.NewRequest(&zeugov1.GetPasswordPolicyRequest{})
	req.Header().Set("Authorization", "Bearer "+ta)
	pol, err := c.GetPasswordPolicy(context.Background(), req)
	if err != nil || pol.Msg.GetPolicy().GetMinLength() != 8 || !pol.Msg.GetPolicy().GetComposition() {
		t.Fatalf("policy %v, %v", pol, err)
	}
}

// Wrong current passwords count like failed logins: the throttle makes
// the caller wait, and the fifth locks the account (ending the session).
func TestChangePasswordIsThrottled(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	mb := newMailbox(t, env)
	ten := env.CreateTenant("Epsilon SE", "chef@epsilon.example")
	hc := env.HTTPClient()
	res, err := login(t, env.AuthClient(hc, apptest.Connect), ten.Email, ten.Password)
	if err != nil {
		t.Fatal(err)
	}
	tok := res.Msg.GetTokens().GetAccessToken()
	p := auth.DefaultPolicy
	for n := 0; n < p.MaxFailedLogins; n++ {
		if n == 2 { // the third attempt comes too early
			if err := changePassword(env, hc, tok, "Falsch-9#xyz", goodPassword); code(err) != connect.CodeResourceExhausted {
				t.Fatalf("attempt without waiting: got %v, want ResourceExhausted", err)
			}
		}
		env.Clock.Advance(p.LoginBackoff.Delay(n))
		hasRule(t, changePassword(env, hc, tok, "Falsch-9#xyz", goodPassword), "current_password", "password.current_wrong")
	}
	if s := userState(t, env, ten.TenantID, ten.AdminID); s != "locked" {
		t.Fatalf("state %s, want locked", s)
	}
	if err := me(env, hc, apptest.Connect, tok); code(err) != connect.CodeUnauthenticated {
		t.Fatalf("session of a locked account: %v", err)
	}
	if got := mb.to(ten.Email); len(got) != 1 || !strings.Contains(got[0].Subject, "gesperrt") {
		t.Fatalf("lock notices %+v, want one", got)
	}
}

// The owner of an account that failed logins lock gets the lock notice.
func TestLockNotice(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	mb := newMailbox(t, env)
	ten := env.CreateTenant("Zeta GmbH", "chefin@zeta.example")
	c := env.AuthClient(env.HTTPClient(), apptest.GRPC)
	p := auth.DefaultPolicy
	for n := 0; n < p.MaxFailedLogins; n++ {
		env.Clock.Advance(p.LoginBackoff.Delay(n))
		if _, err := login(t, c, ten.Email, "Falsch-Rate-1!"); code(err) != connect.CodeUnauthenticated {
			t.Fatalf("attempt %d: %v", n+1, err)
		}
		if n < p.MaxFailedLogins-1 && len(mb.to(ten.Email)) != 0 {
			t.Fatalf("lock notice after %d failures", n+1)
		}
	}
	if s := userState(t, env, ten.TenantID, ten.AdminID); s != "locked" {
		t.Fatalf("state %s, want locked", s)
	}
	got := mb.to(ten.Email)
	if len(got) != 1 || got[0].Subject != "Ihr Zugang zu Zeugo wurde gesperrt" || !strings.Contains(got[0].Plain, "Uhr") {
		t.Fatalf("lock notices %+v, want one", got)
	}
}
