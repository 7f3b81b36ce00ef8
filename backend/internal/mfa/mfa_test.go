package mfa_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"connectrpc.com/connect"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/zeugo/zeugo/backend/internal/apptest"
	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
	"github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1/zeugov1connect"
	"github.com/zeugo/zeugo/backend/internal/outbox"
	"github.com/zeugo/zeugo/backend/internal/smtptest"
)

// code is the app's code for secret at the env's clock, offset by steps
// of 30 s.
func code(t testing.TB, env *apptest.Env, secret string, steps int) string {
	t.Helper()
	c, err := totp.GenerateCodeCustom(secret, env.Clock.Now().Add(time.Duration(steps)*30*time.Second),
		totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// wrongCode is a six-digit code that is none of the accepted ones.
func wrongCode(t testing.TB, env *apptest.Env, secret string) string {
	t.Helper()
	for _, c := range []string{"000000", "111111", "222222", "333333"} {
		if c != code(t, env, secret, -1) && c != code(t, env, secret, 0) && c != code(t, env, secret, 1) {
			return c
		}
	}
	t.Fatal("no wrong code")
	return ""
}

// client is one browser of a user: its HTTP client, protocol and token.
type client struct {
	t     testing.TB
	env   *apptest.Env
	hc    *http.Client
	p     apptest.Protocol
	token string
}

func newClient(t testing.TB, env *apptest.Env, p apptest.Protocol) *client {
	return &client{t: t, env: env, hc: env.HTTPClient(), p: p}
}

func (c *client) auth() zeugov1connect.AuthServiceClient {
	return zeugov1connect.NewAuthServiceClient(c.hc, c.env.Server.URL,
		append(apptest.ClientOptions(c.p), connect.WithInterceptors(apptest.Bearer(c.token)))...)
}

func (c *client) factors() zeugov1connect.SecondFactorServiceClient {
	return zeugov1connect.NewSecondFactorServiceClient(c.hc, c.env.Server.URL,
		append(apptest.ClientOptions(c.p), connect.WithInterceptors(apptest.Bearer(c.token)))...)
}

// login signs in with the password; the answer is the challenge (nil when
// the login completed, and the client then holds the session).
func (c *client) login(email, pw string) (*zeugov1.SecondFactorChallenge, error) {
	res, err := c.auth().Login(context.Background(), connect.NewRequest(&zeugov1.LoginRequest{Email: email, Password: pw,
		RefreshTokenInBody: true}))
	if err != nil {
		return nil, err
	}
	if ch := res.Msg.GetChallenge(); ch != nil {
		if res.Msg.GetTokens() != nil || res.Msg.GetPrincipal() != nil {
			c.t.Fatalf("a challenged login carried a session: %v", res.Msg)
		}
		return ch, nil
	}
	c.token = res.Msg.GetTokens().GetAccessToken()
	return nil, nil
}

func (c *client) verify(token string, totpCode, recovery string) (*zeugov1.VerifySecondFactorResponse, error) {
	req := &zeugov1.VerifySecondFactorRequest{ChallengeToken: token, RefreshTokenInBody: true}
	if recovery != "" {
		req.Proof = &zeugov1.VerifySecondFactorRequest_RecoveryCode{RecoveryCode: recovery}
	} else {
		req.Proof = &zeugov1.VerifySecondFactorRequest_TotpCode{TotpCode: totpCode}
	}
	res, err := c.auth().VerifySecondFactor(context.Background(), connect.NewRequest(req))
	if err != nil {
		return nil, err
	}
	c.token = res.Msg.GetTokens().GetAccessToken()
	return res.Msg, nil
}

func (c *client) stepUpPassword(pw string) error {
	_, err := c.auth().StepUp(context.Background(), connect.NewRequest(&zeugov1.StepUpRequest{
		Proof: &zeugov1.StepUpRequest_Password{Password: pw}}))
	return err
}

func (c *client) stepUpCode(totpCode string) error {
	_, err := c.auth().StepUp(context.Background(), connect.NewRequest(&zeugov1.StepUpRequest{
		Proof: &zeugov1.StepUpRequest_TotpCode{TotpCode: totpCode}}))
	return err
}

// enroll adds an authenticator app through Mein Konto (after a step-up
// with the password) and returns its secret and the recovery codes.
func (c *client) enroll(pw string) (string, []string) {
	c.t.Helper()
	if err := c.stepUpPassword(pw); err != nil {
		c.t.Fatalf("step-up: %v", err)
	}
	st, err := c.factors().StartTotpEnrollment(context.Background(), connect.NewRequest(&zeugov1.StartTotpEnrollmentRequest{}))
	if err != nil {
		c.t.Fatalf("start enrollment: %v", err)
	}
	e := st.Msg.GetEnrollment()
	res, err := c.factors().ConfirmTotpEnrollment(context.Background(), connect.NewRequest(&zeugov1.ConfirmTotpEnrollmentRequest{
		EnrollmentId: e.GetEnrollmentId(), TotpCode: code(c.t, c.env, e.GetSecret(), 0), Name: "Handy"}))
	if err != nil {
		c.t.Fatalf("confirm enrollment: %v", err)
	}
	return e.GetSecret(), res.Msg.GetRecoveryCodes()
}

func (c *client) me() error {
	_, err := c.auth().Me(context.Background(), connect.NewRequest(&zeugov1.MeRequest{}))
	return err
}

func rule(t testing.TB, err error) string {
	t.Helper()
	for _, v := range apptest.FieldViolations(t, err) {
		return v.RuleID
	}
	return ""
}

// mails delivers the outbox to a real SMTP server and returns what it got.
func mails(t testing.TB, env *apptest.Env, srv *smtptest.Server) []smtptest.Parsed {
	t.Helper()
	ob := outbox.New(outbox.Deps{DB: env.App.DB, Keys: env.App.Keys, Now: env.Clock.Now,
		Mailer: srv.Mailer(), From: "zeugo@zeugo.test", Audit: env.App.Audit})
	if _, err := ob.Deliver(context.Background()); err != nil {
		t.Fatalf("deliver: %v", err)
	}
	var out []smtptest.Parsed
	for _, r := range srv.Mails() {
		out = append(out, smtptest.Parse(t, r.Data))
	}
	return out
}

func auditActions(t testing.TB, env *apptest.Env, tenantID uuid.UUID) map[string]int {
	t.Helper()
	out := map[string]int{}
	env.AsOwner(tenantID, func(tx pgx.Tx) error {
		rows, err := tx.Query(context.Background(), `SELECT action FROM audit_events WHERE tenant_id = $1`, tenantID)
		if err != nil {
			return err
		}
		actions, err := pgx.CollectRows(rows, pgx.RowTo[string])
		for _, a := range actions {
			out[a]++
		}
		return err
	})
	return out
}

// TestEnrollThenLoginWithTOTP is the whole loop over Connect and gRPC: a
// change needs a step-up, the app is confirmed by its code, the next login
// is challenged, a code is good once in its step, and the session starts
// only after the second step.
func TestEnrollThenLoginWithTOTP(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	srv := smtptest.New(t)
	for i, p := range []apptest.Protocol{apptest.Connect, apptest.GRPC} {
		t.Run(p.String(), func(t *testing.T) {
			email := []string{"anna@alpha.example", "bert@beta.example"}[i]
			ten := env.CreateTenant([]string{"Alpha AG", "Beta AG"}[i], email)
			c := newClient(t, env, p)
			if ch, err := c.login(email, ten.Password); err != nil || ch != nil {
				t.Fatalf("login without factor: %v %v", ch, err)
			}
			// A change needs a step-up first.
			_, err := c.factors().StartTotpEnrollment(context.Background(), connect.NewRequest(&zeugov1.StartTotpEnrollmentRequest{}))
			apptest.WantCode(t, err, connect.CodeFailedPrecondition, "enroll without step-up")
			if r := rule(t, err); r != "zeugo.mfa.step_up_required" {
				t.Fatalf("rule = %q", r)
			}
			apptest.WantCode(t, c.stepUpPassword("falsch-falsch"), connect.CodeInvalidArgument, "step-up with a wrong password")
			if err := c.stepUpPassword(ten.Password); err != nil {
				t.Fatalf("step-up: %v", err)
			}
			st, err := c.factors().StartTotpEnrollment(context.Background(), connect.NewRequest(&zeugov1.StartTotpEnrollmentRequest{}))
			if err != nil {
				t.Fatal(err)
			}
			e := st.Msg.GetEnrollment()
			if !strings.HasPrefix(e.GetOtpauthUri(), "otpauth://totp/") || !strings.Contains(e.GetOtpauthUri(), "secret="+e.GetSecret()) {
				t.Fatalf("uri = %q", e.GetOtpauthUri())
			}
			_, err = c.factors().ConfirmTotpEnrollment(context.Background(), connect.NewRequest(&zeugov1.ConfirmTotpEnrollmentRequest{
				EnrollmentId: e.GetEnrollmentId(), TotpCode: wrongCode(t, env, e.GetSecret())}))
			apptest.WantCode(t, err, connect.CodeInvalidArgument, "confirm with a wrong code")
			if v := apptest.Violations(t, err); v["totp_code"] != "zeugo.mfa.code_wrong" {
				t.Fatalf("violations = %v", v)
			}
			used := code(t, env, e.GetSecret(), 0)
			res, err := c.factors().ConfirmTotpEnrollment(context.Background(), connect.NewRequest(&zeugov1.ConfirmTotpEnrollmentRequest{
				EnrollmentId: e.GetEnrollmentId(), TotpCode: used, Name: "Diensthandy"}))
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Msg.GetRecoveryCodes()) != 10 || res.Msg.GetFactor().GetName() != "Diensthandy" {
				t.Fatalf("confirm = %v", res.Msg)
			}

			// The next login needs the app.
			c2 := newClient(t, env, p)
			ch, err := c2.login(email, ten.Password)
			if err != nil || ch == nil || ch.GetEnrollmentRequired() || len(ch.GetMethods()) != 2 {
				t.Fatalf("challenge = %v, %v", ch, err)
			}
			// The code used to confirm is spent for its step.
			_, err = c2.verify(ch.GetToken(), used, "")
			apptest.WantCode(t, err, connect.CodeInvalidArgument, "a code twice in its step")
			// So is a code of the step before it (within the skew).
			_, err = c2.verify(ch.GetToken(), code(t, env, e.GetSecret(), -1), "")
			apptest.WantCode(t, err, connect.CodeInvalidArgument, "a code of an earlier step")
			// The next step's code works (clock skew of one step).
			out, err := c2.verify(ch.GetToken(), code(t, env, e.GetSecret(), 1), "")
			if err != nil {
				t.Fatalf("verify: %v", err)
			}
			if out.GetRecoveryCodesLeft() != 10 || out.GetPrincipal().GetEmail() != email {
				t.Fatalf("verify = %v", out)
			}
			if err := c2.me(); err != nil {
				t.Fatalf("me: %v", err)
			}
			// A completed challenge is single-use.
			_, err = c2.verify(ch.GetToken(), code(t, env, e.GetSecret(), 1), "")
			apptest.WantCode(t, err, connect.CodeUnauthenticated, "a used challenge")

			// The login counted as a step-up; the factor is listed.
			l, err := c2.factors().ListMyFactors(context.Background(), connect.NewRequest(&zeugov1.ListMyFactorsRequest{}))
			if err != nil {
				t.Fatal(err)
			}
			if len(l.Msg.GetFactors()) != 1 || l.Msg.GetFactors()[0].GetLastUsedAt() == nil || l.Msg.GetRecoveryCodesLeft() != 10 ||
				l.Msg.GetStepUpValidUntil() == nil || l.Msg.GetRequired() {
				t.Fatalf("list = %v", l.Msg)
			}
			// A user with a factor steps up with it, not with the password.
			apptest.WantCode(t, c2.stepUpPassword(ten.Password), connect.CodeInvalidArgument, "password step-up with a factor")
			env.Clock.Advance(30 * time.Second)
			if err := c2.stepUpCode(code(t, env, e.GetSecret(), 1)); err != nil {
				t.Fatalf("step-up with the app: %v", err)
			}
			acts := auditActions(t, env, ten.TenantID)
			for _, a := range []string{"mfa.step_up", "mfa.step_up.failed", "mfa.enrollment.started", "mfa.factor.added",
				"auth.login.second_factor_required", "auth.login.succeeded"} {
				if acts[a] == 0 {
					t.Errorf("no audit record %s in %v", a, acts)
				}
			}
		})
	}
	// Each user was told about the new factor.
	got := 0
	for _, m := range mails(t, env, srv) {
		if strings.Contains(m.Plain, "Authenticator-App als zweiter Faktor hinzugefügt") {
			got++
		}
	}
	if got != 2 {
		t.Fatalf("%d notices of a new factor, want 2", got)
	}
}

// TestWrongCodesEndTheAttemptAndLock: the fifth wrong code ends the
// challenge — even the right code is refused afterwards — and, counting
// like wrong passwords, locks the account (with its notice).
func TestWrongCodesEndTheAttemptAndLock(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	srv := smtptest.New(t)
	ten := env.CreateTenant("Alpha AG", "anna@alpha.example")
	c := newClient(t, env, apptest.Connect)
	if _, err := c.login(ten.Email, ten.Password); err != nil {
		t.Fatal(err)
	}
	secret, _ := c.enroll(ten.Password)
	env.Clock.Advance(30 * time.Second)

	ch, err := newClient(t, env, apptest.Connect).login(ten.Email, ten.Password)
	if err != nil || ch == nil {
		t.Fatalf("challenge: %v %v", ch, err)
	}
	for i := 1; i <= 4; i++ {
		_, err := c.verify(ch.GetToken(), wrongCode(t, env, secret), "")
		apptest.WantCode(t, err, connect.CodeInvalidArgument, "wrong code")
	}
	_, err = c.verify(ch.GetToken(), wrongCode(t, env, secret), "")
	apptest.WantCode(t, err, connect.CodeUnauthenticated, "the fifth wrong code")
	_, err = c.verify(ch.GetToken(), code(t, env, secret, 0), "")
	apptest.WantCode(t, err, connect.CodeUnauthenticated, "the right code after the fifth wrong one")
	// Five wrong codes are five failed logins: the account is locked.
	_, err = newClient(t, env, apptest.Connect).login(ten.Email, ten.Password)
	apptest.WantCode(t, err, connect.CodeUnauthenticated, "login of the locked account")
	locked := false
	for _, m := range mails(t, env, srv) {
		locked = locked || strings.Contains(m.Subject, "gesperrt")
	}
	if !locked {
		t.Fatal("no lock notice")
	}
	if n := auditActions(t, env, ten.TenantID)["mfa.code.failed"]; n != 5 {
		t.Fatalf("%d failed-code records, want 5", n)
	}
}

// TestRecoveryCodes: a recovery code signs in once, its owner is told,
// new codes void the old ones.
func TestRecoveryCodes(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	srv := smtptest.New(t)
	ten := env.CreateTenant("Alpha AG", "anna@alpha.example")
	c := newClient(t, env, apptest.GRPC)
	if _, err := c.login(ten.Email, ten.Password); err != nil {
		t.Fatal(err)
	}
	secret, codes := c.enroll(ten.Password)

	b := newClient(t, env, apptest.GRPC)
	ch, _ := b.login(ten.Email, ten.Password)
	// Case, spaces and dashes do not matter.
	typed := strings.ToLower(strings.ReplaceAll(codes[3], "-", " "))
	out, err := b.verify(ch.GetToken(), "", typed)
	if err != nil {
		t.Fatalf("recovery login: %v", err)
	}
	if out.GetRecoveryCodesLeft() != 9 {
		t.Fatalf("left = %d", out.GetRecoveryCodesLeft())
	}
	ch, _ = b.login(ten.Email, ten.Password)
	_, err = b.verify(ch.GetToken(), "", codes[3])
	apptest.WantCode(t, err, connect.CodeInvalidArgument, "a recovery code twice")
	if v := apptest.Violations(t, err); v["recovery_code"] != "zeugo.mfa.code_wrong" {
		t.Fatalf("violations = %v", v)
	}
	// New codes: the old ones stop working.
	env.Clock.Advance(30 * time.Second)
	if err := c.stepUpCode(code(t, env, secret, 0)); err != nil {
		t.Fatal(err)
	}
	renewed, err := c.factors().RegenerateRecoveryCodes(context.Background(), connect.NewRequest(&zeugov1.RegenerateRecoveryCodesRequest{}))
	if err != nil || len(renewed.Msg.GetRecoveryCodes()) != 10 {
		t.Fatalf("renew: %v %v", renewed, err)
	}
	_, err = b.verify(ch.GetToken(), "", codes[5])
	apptest.WantCode(t, err, connect.CodeInvalidArgument, "an old recovery code")
	if _, err := b.verify(ch.GetToken(), "", renewed.Msg.GetRecoveryCodes()[0]); err != nil {
		t.Fatalf("new recovery code: %v", err)
	}
	var used, renewedMail bool
	for _, m := range mails(t, env, srv) {
		used = used || strings.Contains(m.Plain, "Wiederherstellungscodes verwendet")
		renewedMail = renewedMail || strings.Contains(m.Plain, "neue Wiederherstellungscodes erzeugt")
	}
	if !used || !renewedMail {
		t.Fatalf("notices: used %v, renewed %v", used, renewedMail)
	}
	if auditActions(t, env, ten.TenantID)["mfa.recovery_code.used"] != 2 {
		t.Fatal("recovery-code use not audited twice")
	}
}

// TestRequiredFactorIsEnrolledAtLogin: where the tenant requires a second
// factor, a user without one gets no session before enrolling; the last
// factor cannot be removed; an administrator's reset starts over.
func TestRequiredFactorIsEnrolledAtLogin(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ten := env.CreateTenant("Alpha AG", "anna@alpha.example")
	admin := newClient(t, env, apptest.Connect)
	if _, err := admin.login(ten.Email, ten.Password); err != nil {
		t.Fatal(err)
	}
	user := apptest.AddUser(t, env, ten, "bert@alpha.example", []string{"employees"}, apptest.Restriction{All: true})
	userPW := setPassword(t, env, ten, user.UserID)
	// Changing the second-factor settings needs a step-up (the password: no factor yet).
	if err := admin.stepUpPassword(ten.Password); err != nil {
		t.Fatal(err)
	}
	requireFactor(t, env, admin, []zeugov1.SecondFactorMethod{zeugov1.SecondFactorMethod_SECOND_FACTOR_METHOD_TOTP,
		zeugov1.SecondFactorMethod_SECOND_FACTOR_METHOD_WEBAUTHN})

	c := newClient(t, env, apptest.Connect)
	ch, err := c.login("bert@alpha.example", userPW)
	if err != nil || ch == nil || !ch.GetEnrollmentRequired() || len(ch.GetMethods()) != 0 {
		t.Fatalf("challenge = %v, %v", ch, err)
	}
	// Nothing but enrollment: no code is accepted, confirming before
	// starting is refused.
	_, err = c.verify(ch.GetToken(), "123456", "")
	apptest.WantCode(t, err, connect.CodeUnauthenticated, "verify before enrolling")
	confirm := func(totpCode string) (*zeugov1.ConfirmLoginEnrollmentResponse, error) {
		res, err := c.auth().ConfirmLoginEnrollment(context.Background(), connect.NewRequest(&zeugov1.ConfirmLoginEnrollmentRequest{
			ChallengeToken: ch.GetToken(), TotpCode: totpCode, RefreshTokenInBody: true}))
		if err != nil {
			return nil, err
		}
		return res.Msg, nil
	}
	_, err = confirm("123456")
	apptest.WantCode(t, err, connect.CodeUnauthenticated, "confirm before starting")
	st, err := c.auth().StartLoginEnrollment(context.Background(), connect.NewRequest(&zeugov1.StartLoginEnrollmentRequest{
		ChallengeToken: ch.GetToken()}))
	if err != nil {
		t.Fatal(err)
	}
	secret := st.Msg.GetEnrollment().GetSecret()
	if st.Msg.GetEnrollment().GetEnrollmentId() != "" || !strings.Contains(st.Msg.GetEnrollment().GetOtpauthUri(), "Alpha") {
		t.Fatalf("enrollment = %v", st.Msg.GetEnrollment())
	}
	_, err = confirm(wrongCode(t, env, secret))
	apptest.WantCode(t, err, connect.CodeInvalidArgument, "confirm with a wrong code")
	done, err := confirm(code(t, env, secret, 0))
	if err != nil {
		t.Fatalf("confirm: %v", err)
	}
	if len(done.GetRecoveryCodes()) != 10 || done.GetTokens().GetAccessToken() == "" {
		t.Fatalf("confirm = %v", done)
	}
	c.token = done.GetTokens().GetAccessToken()
	if err := c.me(); err != nil {
		t.Fatal(err)
	}
	// The last factor stays while the tenant requires one.
	l, err := c.factors().ListMyFactors(context.Background(), connect.NewRequest(&zeugov1.ListMyFactorsRequest{}))
	if err != nil || !l.Msg.GetRequired() || len(l.Msg.GetFactors()) != 1 {
		t.Fatalf("list = %v %v", l, err)
	}
	_, err = c.factors().RemoveFactor(context.Background(), connect.NewRequest(&zeugov1.RemoveFactorRequest{Id: l.Msg.GetFactors()[0].GetId()}))
	apptest.WantCode(t, err, connect.CodeFailedPrecondition, "remove the last required factor")
	if r := rule(t, err); r != "zeugo.mfa.last_factor_required" {
		t.Fatalf("rule = %q", r)
	}

	// The administrator resets the user's factors (a lost phone): step-up
	// first, not for themselves, and the user's session ends.
	reset := func(id uuid.UUID) error {
		_, err := admin.factors().ResetUserSecondFactors(context.Background(), connect.NewRequest(&zeugov1.ResetUserSecondFactorsRequest{
			UserId: id.String()}))
		return err
	}
	env.Clock.Advance(5*time.Minute + time.Second) // mfa.StepUpValidity: the step-up for the settings above has lapsed
	apptest.WantCode(t, reset(user.UserID), connect.CodeFailedPrecondition, "reset without step-up")
	if err := admin.stepUpPassword(ten.Password); err != nil {
		t.Fatal(err)
	}
	// Another user's factor is not the caller's to remove.
	_, err = admin.factors().RemoveFactor(context.Background(), connect.NewRequest(&zeugov1.RemoveFactorRequest{Id: l.Msg.GetFactors()[0].GetId()}))
	apptest.WantCode(t, err, connect.CodeNotFound, "remove another user's factor")
	apptest.WantCode(t, reset(ten.AdminID), connect.CodeFailedPrecondition, "reset of oneself")
	apptest.WantCode(t, reset(uuid.New()), connect.CodeNotFound, "reset of an unknown user")
	if err := reset(user.UserID); err != nil {
		t.Fatal(err)
	}
	apptest.WantCode(t, c.me(), connect.CodeUnauthenticated, "the reset user's session")
	ch, err = newClient(t, env, apptest.Connect).login("bert@alpha.example", userPW)
	if err != nil || !ch.GetEnrollmentRequired() {
		t.Fatalf("after reset: %v %v", ch, err)
	}
}

// setPassword gives a test user a known password (as an operator would).
func setPassword(t testing.TB, env *apptest.Env, ten *apptest.Tenant, userID uuid.UUID) string {
	t.Helper()
	pw := "Bekanntes-Passwort-" + uuid.NewString()[:8]
	hash, err := env.App.Hasher.Hash(context.Background(), pw)
	if err != nil {
		t.Fatal(err)
	}
	env.AsOwner(ten.TenantID, func(tx pgx.Tx) error {
		_, err := tx.Exec(context.Background(), `UPDATE users SET password_hash = $3 WHERE tenant_id = $1 AND id = $2`,
			ten.TenantID, userID, hash)
		return err
	})
	return pw
}

// TestChallengeTokens: a tampered, foreign or lapsed challenge is refused
// alike.
func TestChallengeTokens(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	a := env.CreateTenant("Alpha AG", "anna@alpha.example")
	b := env.CreateTenant("Beta AG", "bert@beta.example")
	var secrets []string
	for _, ten := range []*apptest.Tenant{a, b} {
		c := newClient(t, env, apptest.Connect)
		if _, err := c.login(ten.Email, ten.Password); err != nil {
			t.Fatal(err)
		}
		s, _ := c.enroll(ten.Password)
		secrets = append(secrets, s)
	}
	env.Clock.Advance(30 * time.Second)
	c := newClient(t, env, apptest.Connect)
	chA, _ := c.login(a.Email, a.Password)
	chB, _ := c.login(b.Email, b.Password)
	// B's code on A's challenge is just a wrong code.
	_, err := c.verify(chA.GetToken(), code(t, env, secrets[1], 0), "")
	if code(t, env, secrets[1], 0) != code(t, env, secrets[0], 0) {
		apptest.WantCode(t, err, connect.CodeInvalidArgument, "another user's code")
	}
	// A's challenge secret under B's tenant id is unknown there.
	_, aSecret, _ := strings.Cut(chA.GetToken(), ".")
	bTenant, _, _ := strings.Cut(chB.GetToken(), ".")
	for name, tok := range map[string]string{"tenant swapped": bTenant + "." + aSecret, "garbage": "x.y",
		"truncated": chA.GetToken()[:len(chA.GetToken())-2]} {
		_, err := c.verify(tok, code(t, env, secrets[0], 0), "")
		apptest.WantCode(t, err, connect.CodeUnauthenticated, name)
	}
	env.Clock.Advance(6 * time.Minute)
	_, err = c.verify(chA.GetToken(), code(t, env, secrets[0], 0), "")
	apptest.WantCode(t, err, connect.CodeUnauthenticated, "a lapsed challenge")
}
