package settings_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"buf.build/gen/go/bufbuild/protovalidate/protocolbuffers/go/buf/validate"
	"connectrpc.com/connect"

	"github.com/zeugo/zeugo/backend/internal/apptest"
	"github.com/zeugo/zeugo/backend/internal/auth"
	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
	"github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1/zeugov1connect"
)

func signIn(t *testing.T, env *apptest.Env, ten *apptest.Tenant) zeugov1connect.SecuritySettingsServiceClient {
	t.Helper()
	c, _ := signInWithAuth(t, env, ten)
	return c
}

// signInWithAuth also returns the session's AuthService (for a step-up).
func signInWithAuth(t *testing.T, env *apptest.Env, ten *apptest.Tenant) (zeugov1connect.SecuritySettingsServiceClient, zeugov1connect.AuthServiceClient) {
	t.Helper()
	hc := env.HTTPClient()
	res, err := env.AuthClient(hc, apptest.Connect).Login(context.Background(), connect.NewRequest(&zeugov1.LoginRequest{Email: ten.Email, Password: ten.Password}))
	if err != nil {
		t.Fatalf("login: %v", err)
	}
	bearer := connect.WithInterceptors(apptest.Bearer(res.Msg.GetTokens().GetAccessToken()))
	return zeugov1connect.NewSecuritySettingsServiceClient(hc, env.Server.URL, bearer),
		zeugov1connect.NewAuthServiceClient(hc, env.Server.URL, append(apptest.ClientOptions(apptest.Connect), bearer)...)
}

// stepUp proves the password again (the tenant's admin has no factor).
func stepUp(t *testing.T, a zeugov1connect.AuthServiceClient, password string) {
	t.Helper()
	if _, err := a.StepUp(context.Background(), connect.NewRequest(&zeugov1.StepUpRequest{
		Proof: &zeugov1.StepUpRequest_Password{Password: password}})); err != nil {
		t.Fatalf("step-up: %v", err)
	}
}

// violation returns the field and rule of the first violation of err.
func violation(t *testing.T, err error) (string, string) {
	t.Helper()
	var ce *connect.Error
	if !errors.As(err, &ce) || ce.Code() != connect.CodeInvalidArgument {
		t.Fatalf("want InvalidArgument, got %v", err)
	}
	for _, d := range ce.Details() {
		m, derr := d.Value()
		if derr != nil {
			continue
		}
		if v, ok := m.(*validate.Violations); ok && len(v.GetViolations()) > 0 {
			vi := v.GetViolations()[0]
			var path []string
			for _, el := range vi.GetField().GetElements() {
				path = append(path, el.GetFieldName())
			}
			return strings.Join(path, "."), vi.GetRuleId()
		}
	}
	t.Fatalf("no violations in %v", err)
	return "", ""
}

func TestSecuritySettingsDefaultsBoundsAndUpdate(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ten := env.CreateTenant("Regeln GmbH", "admin@regeln.example")
	c, a := signInWithAuth(t, env, ten)
	ctx := context.Background()
	got, err := c.GetSecuritySettings(ctx, connect.NewRequest(&zeugov1.GetSecuritySettingsRequest{}))
	if err != nil {
		t.Fatal(err)
	}
	s, b := got.Msg.GetSettings(), got.Msg.GetBounds()
	f := s.GetFields()
	if f.GetPasswordMinLength() != 8 || !f.GetPasswordComposition() || f.GetInvitationTtlHours() != 72 ||
		f.GetSessionIdleMinutes() != 30 || f.GetSessionAbsoluteHours() != 12 || s.GetVersion() != 1 ||
		f.GetHandoverCodeRequired() || len(f.GetHandoverCodeChannels()) != 2 || f.GetSecondFactorRequired() ||
		len(f.GetSecondFactorMethods()) != 2 {
		t.Fatalf("defaults = %v", s)
	}
	// The timeouts' maxima are the operator's (auth.DefaultPolicy: 30 min, 12 h).
	if b.GetPasswordMinLengthMin() != 8 || b.GetPasswordMinLengthMax() != 128 || b.GetInvitationTtlHoursMin() != 1 ||
		b.GetInvitationTtlHoursMax() != 168 || b.GetSessionIdleMinutesMin() != 5 || b.GetSessionIdleMinutesMax() != 30 ||
		b.GetSessionAbsoluteHoursMin() != 1 || b.GetSessionAbsoluteHoursMax() != 12 {
		t.Fatalf("bounds = %v", b)
	}

	valid := func() *zeugov1.SecuritySettingsFields {
		return &zeugov1.SecuritySettingsFields{PasswordMinLength: 12, PasswordComposition: false, InvitationTtlHours: 24,
			SessionIdleMinutes: 15, SessionAbsoluteHours: 8, HandoverCodeRequired: true, SecondFactorRequired: true, HandoverCodeChannels: []zeugov1.HandoverCodeChannel{zeugov1.HandoverCodeChannel_HANDOVER_CODE_CHANNEL_EMAIL}, SecondFactorMethods: appOnly}
	}
	for _, tc := range []struct {
		name        string
		edit        func(f *zeugov1.SecuritySettingsFields)
		field, rule string
	}{
		{"password too short", func(f *zeugov1.SecuritySettingsFields) { f.PasswordMinLength = 7 }, "fields.password_min_length", "int32.gte_lte"},
		{"password too long", func(f *zeugov1.SecuritySettingsFields) { f.PasswordMinLength = 129 }, "fields.password_min_length", "int32.gte_lte"},
		{"link lifetime zero", func(f *zeugov1.SecuritySettingsFields) { f.InvitationTtlHours = 0 }, "fields.invitation_ttl_hours", "int32.gte_lte"},
		{"link lifetime over 7 days", func(f *zeugov1.SecuritySettingsFields) { f.InvitationTtlHours = 169 }, "fields.invitation_ttl_hours", "int32.gte_lte"},
		{"idle under 5 min", func(f *zeugov1.SecuritySettingsFields) { f.SessionIdleMinutes = 4 }, "fields.session_idle_minutes", "int32.gte_lte"},
		{"idle over the operator's", func(f *zeugov1.SecuritySettingsFields) { f.SessionIdleMinutes = 31 }, "fields.session_idle_minutes", "int32.lte"},
		{"absolute zero", func(f *zeugov1.SecuritySettingsFields) { f.SessionAbsoluteHours = 0 }, "fields.session_absolute_hours", "int32.gte_lte"},
		{"absolute over the operator's", func(f *zeugov1.SecuritySettingsFields) { f.SessionAbsoluteHours = 13 }, "fields.session_absolute_hours", "int32.lte"},
		{"no code channel", func(f *zeugov1.SecuritySettingsFields) { f.HandoverCodeChannels = nil }, "fields.handover_code_channels", "repeated.min_items"},
		{"a channel twice", func(f *zeugov1.SecuritySettingsFields) {
			f.HandoverCodeChannels = append(f.HandoverCodeChannels, f.HandoverCodeChannels[0])
		}, "fields.handover_code_channels", "repeated.unique"},
	} {
		f := valid()
		tc.edit(f)
		_, err := c.UpdateSecuritySettings(ctx, connect.NewRequest(&zeugov1.UpdateSecuritySettingsRequest{Version: 1, Fields: f}))
		if field, rule := violation(t, err); field != tc.field || rule != tc.rule {
			t.Errorf("%s: violation %s %s, want %s %s", tc.name, field, rule, tc.field, tc.rule)
		}
	}

	// The update requires a second factor: a step-up first (TestSecondFactorSettingsNeedAStepUp).
	stepUp(t, a, ten.Password)
	up, err := c.UpdateSecuritySettings(ctx, connect.NewRequest(&zeugov1.UpdateSecuritySettingsRequest{Version: 1, Fields: valid()}))
	if err != nil {
		t.Fatalf("update: %v", err)
	}
	if uf := up.Msg.GetSettings().GetFields(); up.Msg.GetSettings().GetVersion() != 2 || uf.GetSessionIdleMinutes() != 15 ||
		!uf.GetHandoverCodeRequired() || len(uf.GetHandoverCodeChannels()) != 1 || !uf.GetSecondFactorRequired() ||
		len(uf.GetSecondFactorMethods()) != 1 || uf.GetSecondFactorMethods()[0] != zeugov1.SecondFactorMethod_SECOND_FACTOR_METHOD_TOTP {
		t.Fatalf("updated = %v", up.Msg.GetSettings())
	}
	// Recovery codes are not a kind of factor a tenant allows or forbids.
	f = valid()
	f.SecondFactorMethods = []zeugov1.SecondFactorMethod{zeugov1.SecondFactorMethod_SECOND_FACTOR_METHOD_RECOVERY_CODE}
	_, err = c.UpdateSecuritySettings(ctx, connect.NewRequest(&zeugov1.UpdateSecuritySettingsRequest{Version: 2, Fields: f}))
	if v := apptest.Violations(t, err); v["fields.second_factor_methods[0]"] == "" {
		t.Fatalf("recovery codes as an allowed kind: %v", err)
	}
	// A stale version is refused and changes nothing.
	f = valid()
	f.PasswordMinLength = 20
	if _, err := c.UpdateSecuritySettings(ctx, connect.NewRequest(&zeugov1.UpdateSecuritySettingsRequest{Version: 1, Fields: f})); connect.CodeOf(err) != connect.CodeAborted {
		t.Fatalf("stale update: %v", err)
	}
	again, err := c.GetSecuritySettings(ctx, connect.NewRequest(&zeugov1.GetSecuritySettingsRequest{}))
	if err != nil || again.Msg.GetSettings().GetFields().GetPasswordMinLength() != 12 || again.Msg.GetSettings().GetVersion() != 2 {
		t.Fatalf("after the stale update: %v %v", again, err)
	}
	// The change is audited with old → new of what changed, once (the
	// refused updates left nothing).
	rows, err := env.DB.Owner.Query(ctx, `SELECT details FROM audit_events WHERE tenant_id = $1 AND action = 'settings.security.updated'`, ten.TenantID)
	if err != nil {
		t.Fatal(err)
	}
	var details []string
	for rows.Next() {
		var d string
		if err := rows.Scan(&d); err != nil {
			t.Fatal(err)
		}
		details = append(details, d)
	}
	if len(details) != 1 {
		t.Fatalf("audit events: %v", details)
	}
	for _, want := range []string{`"password_min_length":"8 → 12"`, `"password_composition":"true → false"`, `"invitation_ttl_hours":"72 → 24"`,
		`"session_idle_minutes":"30 → 15"`, `"session_absolute_hours":"12 → 8"`} {
		if !strings.Contains(details[0], want) {
			t.Errorf("audit details %s lack %s", details[0], want)
		}
	}
}

func TestIdleLongerThanAbsoluteIsRefused(t *testing.T) {
	t.Parallel()
	policy := auth.DefaultPolicy
	policy.IdleTimeout = 8 * time.Hour
	env := apptest.New(t, apptest.Options{Policy: &policy})
	ten := env.CreateTenant("Lang GmbH", "admin@lang.example")
	c := signIn(t, env, ten)
	f := &zeugov1.SecuritySettingsFields{HandoverCodeChannels: []zeugov1.HandoverCodeChannel{zeugov1.HandoverCodeChannel_HANDOVER_CODE_CHANNEL_EMAIL}, SecondFactorMethods: appOnly, PasswordMinLength: 8, PasswordComposition: true, InvitationTtlHours: 72,
		SessionIdleMinutes: 120, SessionAbsoluteHours: 1}
	_, err := c.UpdateSecuritySettings(context.Background(), connect.NewRequest(&zeugov1.UpdateSecuritySettingsRequest{Version: 1, Fields: f}))
	if field, rule := violation(t, err); field != "fields.session_idle_minutes" || rule != "zeugo.idle_exceeds_absolute" {
		t.Fatalf("violation %s %s", field, rule)
	}
}

func TestSettingsNeedThePrivacyArea(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ten := env.CreateTenant("Ohne GmbH", "admin@ohne.example")
	ctx := context.Background()
	setRole := func(name, areas string) {
		t.Helper()
		if _, err := env.DB.Owner.Exec(ctx, `WITH r AS (INSERT INTO roles (id, tenant_id, name, areas, created_at, updated_at)
				VALUES (gen_random_uuid(), $1, $2, $3::text[], now(), now()) RETURNING id)
			UPDATE users SET role_id = (SELECT id FROM r), authz_version = authz_version + 1 WHERE id = $4`, ten.TenantID, name, areas, ten.AdminID); err != nil {
			t.Fatal(err)
		}
	}
	for _, areas := range []string{"{}", "{employees,users,roles,api_keys}"} {
		setRole("Rolle "+areas, areas)
		c := signIn(t, env, ten)
		if _, err := c.GetSecuritySettings(ctx, connect.NewRequest(&zeugov1.GetSecuritySettingsRequest{})); connect.CodeOf(err) != connect.CodePermissionDenied {
			t.Errorf("areas %s: get: %v", areas, err)
		}
		f := &zeugov1.SecuritySettingsFields{HandoverCodeChannels: []zeugov1.HandoverCodeChannel{zeugov1.HandoverCodeChannel_HANDOVER_CODE_CHANNEL_EMAIL}, SecondFactorMethods: appOnly, PasswordMinLength: 8, PasswordComposition: true, InvitationTtlHours: 72, SessionIdleMinutes: 30, SessionAbsoluteHours: 12}
		if _, err := c.UpdateSecuritySettings(ctx, connect.NewRequest(&zeugov1.UpdateSecuritySettingsRequest{Version: 1, Fields: f})); connect.CodeOf(err) != connect.CodePermissionDenied {
			t.Errorf("areas %s: update: %v", areas, err)
		}
	}
	// With the privacy area alone both work.
	setRole("Datenschutz", "{privacy}")
	c := signIn(t, env, ten)
	got, err := c.GetSecuritySettings(ctx, connect.NewRequest(&zeugov1.GetSecuritySettingsRequest{}))
	if err != nil {
		t.Fatalf("get with Datenschutz: %v", err)
	}
	if _, err := c.UpdateSecuritySettings(ctx, connect.NewRequest(&zeugov1.UpdateSecuritySettingsRequest{Version: got.Msg.GetSettings().GetVersion(),
		Fields: got.Msg.GetSettings().GetFields()})); err != nil {
		t.Fatalf("update with Datenschutz: %v", err)
	}
}

// appOnly allows authenticator apps only.
var appOnly = []zeugov1.SecondFactorMethod{zeugov1.SecondFactorMethod_SECOND_FACTOR_METHOD_TOTP}

// TestSecondFactorSettingsNeedAStepUp (docs/security.md G31): a change to
// whether a second factor is required, to the kinds allowed, or to the
// passwordless passkey sign-in needs a fresh step-up of the session, as a
// change of one's own factors does; without one the update is refused and
// nothing changes. Other settings change without one.
func TestSecondFactorSettingsNeedAStepUp(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ten := env.CreateTenant("Stufe GmbH", "admin@stufe.example")
	c, a := signInWithAuth(t, env, ten)
	ctx := context.Background()
	get := func() *zeugov1.SecuritySettings {
		t.Helper()
		got, err := c.GetSecuritySettings(ctx, connect.NewRequest(&zeugov1.GetSecuritySettingsRequest{}))
		if err != nil {
			t.Fatal(err)
		}
		return got.Msg.GetSettings()
	}
	update := func(edit func(f *zeugov1.SecuritySettingsFields)) (*zeugov1.SecuritySettings, error) {
		cur := get()
		edit(cur.GetFields())
		res, err := c.UpdateSecuritySettings(ctx, connect.NewRequest(&zeugov1.UpdateSecuritySettingsRequest{Version: cur.GetVersion(), Fields: cur.GetFields()}))
		if err != nil {
			return nil, err
		}
		return res.Msg.GetSettings(), nil
	}
	// A setting of its own needs none.
	if _, err := update(func(f *zeugov1.SecuritySettingsFields) { f.PasswordMinLength = 10 }); err != nil {
		t.Fatalf("password length without a step-up: %v", err)
	}
	sms := zeugov1.SecondFactorMethod_SECOND_FACTOR_METHOD_SMS
	refused := func(what string, edit func(f *zeugov1.SecuritySettingsFields)) {
		t.Helper()
		before := get()
		_, err := update(func(f *zeugov1.SecuritySettingsFields) {
			f.SessionIdleMinutes = 10 // changes nothing either
			edit(f)
		})
		apptest.WantCode(t, err, connect.CodeFailedPrecondition, what)
		if v := apptest.Violations(t, err); v[""] != "zeugo.mfa.step_up_required" {
			t.Fatalf("%s: violations %v", what, v)
		}
		if after := get(); after.GetVersion() != before.GetVersion() || after.GetFields().GetSessionIdleMinutes() != before.GetFields().GetSessionIdleMinutes() ||
			after.GetFields().GetSecondFactorRequired() != before.GetFields().GetSecondFactorRequired() ||
			len(after.GetFields().GetSecondFactorMethods()) != len(before.GetFields().GetSecondFactorMethods()) ||
			after.GetFields().GetPasskeyLogin() != before.GetFields().GetPasskeyLogin() {
			t.Fatalf("%s changed the settings: %v → %v", what, before, after)
		}
	}
	refused("requiring a second factor", func(f *zeugov1.SecuritySettingsFields) { f.SecondFactorRequired = true })
	refused("allowing SMS", func(f *zeugov1.SecuritySettingsFields) { f.SecondFactorMethods = append(f.SecondFactorMethods, sms) })
	refused("allowing fewer kinds", func(f *zeugov1.SecuritySettingsFields) { f.SecondFactorMethods = appOnly })
	refused("passwordless passkeys", func(f *zeugov1.SecuritySettingsFields) { f.PasskeyLogin = true })
	// The kinds in another order are no change.
	if _, err := update(func(f *zeugov1.SecuritySettingsFields) { slices.Reverse(f.SecondFactorMethods) }); err != nil {
		t.Fatalf("the same kinds in another order: %v", err)
	}

	// After a step-up the change is accepted …
	stepUp(t, a, ten.Password)
	got, err := update(func(f *zeugov1.SecuritySettingsFields) {
		f.SecondFactorRequired, f.PasskeyLogin = true, true
		f.SecondFactorMethods = append(f.SecondFactorMethods, sms)
	})
	if err != nil || !got.GetFields().GetSecondFactorRequired() || !got.GetFields().GetPasskeyLogin() || len(got.GetFields().GetSecondFactorMethods()) != 3 {
		t.Fatalf("after a step-up: %v %v", got, err)
	}
	// … for five minutes (mfa.StepUpValidity), then it is needed again.
	env.Clock.Advance(5*time.Minute + time.Second)
	refused("switching the requirement off later", func(f *zeugov1.SecuritySettingsFields) { f.SecondFactorRequired = false })
	stepUp(t, a, ten.Password)
	if got, err := update(func(f *zeugov1.SecuritySettingsFields) { f.SecondFactorRequired = false }); err != nil || got.GetFields().GetSecondFactorRequired() {
		t.Fatalf("switching off after a new step-up: %v %v", got, err)
	}
}
