package mfa_test

import (
	"context"
	"testing"

	"connectrpc.com/connect"

	"github.com/zeugo/zeugo/backend/internal/apptest"
	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
	"github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1/zeugov1connect"
)

// registerKey adds key as a passkey of c's user (after a password
// step-up) and returns the recovery codes.
func (c *client) registerKey(pw string, key *softKey) ([]string, error) {
	c.t.Helper()
	if pw != "" {
		if err := c.stepUpPassword(pw); err != nil {
			c.t.Fatalf("step-up: %v", err)
		}
	}
	st, err := c.factors().StartPasskeyRegistration(context.Background(), connect.NewRequest(&zeugov1.StartPasskeyRegistrationRequest{}))
	if err != nil {
		return nil, err
	}
	res, err := c.factors().FinishPasskeyRegistration(context.Background(), connect.NewRequest(&zeugov1.FinishPasskeyRegistrationRequest{
		RegistrationId: st.Msg.GetRegistrationId(), Credential: key.create(st.Msg.GetOptions()), Name: "YubiKey"}))
	if err != nil {
		return nil, err
	}
	return res.Msg.GetRecoveryCodes(), nil
}

func (c *client) verifyKey(ch *zeugov1.SecondFactorChallenge, assertion string) error {
	req := &zeugov1.VerifySecondFactorRequest{ChallengeToken: ch.GetToken(), RefreshTokenInBody: true,
		Proof: &zeugov1.VerifySecondFactorRequest_WebauthnAssertion{WebauthnAssertion: assertion}}
	res, err := c.auth().VerifySecondFactor(context.Background(), connect.NewRequest(req))
	if err == nil {
		c.token = res.Msg.GetTokens().GetAccessToken()
	}
	return err
}

// TestPasskeyAsSecondFactor: a security key is registered once, answers a
// login's challenge and a step-up, and every answer that is not its own
// to this ceremony — another site's, another origin's, another user's
// key, a replay, a cloned key's — is refused like a wrong code.
func TestPasskeyAsSecondFactor(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	for i, p := range []apptest.Protocol{apptest.Connect, apptest.GRPC} {
		t.Run(p.String(), func(t *testing.T) {
			email := []string{"anna@alpha.example", "bert@beta.example"}[i]
			ten := env.CreateTenant([]string{"Alpha AG", "Beta AG"}[i], email)
			c := newClient(t, env, p)
			if _, err := c.login(email, ten.Password); err != nil {
				t.Fatal(err)
			}
			key := newSoftKey(t)
			codes, err := c.registerKey(ten.Password, key)
			if err != nil {
				t.Fatalf("register: %v", err)
			}
			if len(codes) != 10 {
				t.Fatalf("%d recovery codes with the first factor", len(codes))
			}
			// The same authenticator twice is refused.
			_, err = c.registerKey("", key)
			apptest.WantCode(t, err, connect.CodeAlreadyExists, "the same key twice")

			b := newClient(t, env, p)
			ch, err := b.login(email, ten.Password)
			if err != nil || ch == nil || ch.GetWebauthnOptions() == "" {
				t.Fatalf("challenge = %v, %v", ch, err)
			}
			methods := map[zeugov1.SecondFactorMethod]bool{}
			for _, m := range ch.GetMethods() {
				methods[m] = true
			}
			if !methods[zeugov1.SecondFactorMethod_SECOND_FACTOR_METHOD_WEBAUTHN] || methods[zeugov1.SecondFactorMethod_SECOND_FACTOR_METHOD_TOTP] {
				t.Fatalf("methods = %v", ch.GetMethods())
			}
			// Another site's answer (relying party id), another origin's,
			// and another key's are wrong codes; each ends the ceremony, so
			// each try logs in anew.
			evilRP := *key
			evilRP.rpID = "evil.example"
			evilOrigin := *key
			evilOrigin.origin = "https://evil.example"
			stranger := newSoftKey(t)
			for name, k := range map[string]*softKey{"relying party": &evilRP, "origin": &evilOrigin, "another key": stranger} {
				ch, _ := b.login(email, ten.Password)
				err := b.verifyKey(ch, k.get(ch.GetWebauthnOptions()))
				apptest.WantCode(t, err, connect.CodeInvalidArgument, name)
			}
			key.count = evilRP.count // the refused answers counted on copies
			ch, _ = b.login(email, ten.Password)
			assertion := key.get(ch.GetWebauthnOptions())
			if err := b.verifyKey(ch, assertion); err != nil {
				t.Fatalf("verify with the key: %v", err)
			}
			if err := b.me(); err != nil {
				t.Fatal(err)
			}
			// A replayed answer is refused: its challenge is used up.
			ch2, _ := newClient(t, env, p).login(email, ten.Password)
			apptest.WantCode(t, b.verifyKey(ch2, assertion), connect.CodeInvalidArgument, "a replayed assertion")

			// Step-up with the key.
			begin, err := b.auth().BeginStepUp(context.Background(), connect.NewRequest(&zeugov1.BeginStepUpRequest{}))
			if err != nil {
				t.Fatal(err)
			}
			stepUp := func(k *softKey) error {
				_, err := b.auth().StepUp(context.Background(), connect.NewRequest(&zeugov1.StepUpRequest{
					Proof: &zeugov1.StepUpRequest_Webauthn{Webauthn: &zeugov1.WebAuthnAssertion{
						CeremonyId: begin.Msg.GetCeremonyId(), Assertion: k.get(begin.Msg.GetWebauthnOptions())}}}))
				return err
			}
			// A cloned key (its counter behind the stored one) is refused.
			clone := *key
			clone.count = 0
			apptest.WantCode(t, stepUp(&clone), connect.CodeInvalidArgument, "a cloned key")
			begin, _ = b.auth().BeginStepUp(context.Background(), connect.NewRequest(&zeugov1.BeginStepUpRequest{}))
			if err := stepUp(key); err != nil {
				t.Fatalf("step-up with the key: %v", err)
			}
			l, err := b.factors().ListMyFactors(context.Background(), connect.NewRequest(&zeugov1.ListMyFactorsRequest{}))
			if err != nil || len(l.Msg.GetFactors()) != 1 || l.Msg.GetFactors()[0].GetMethod() != zeugov1.SecondFactorMethod_SECOND_FACTOR_METHOD_WEBAUTHN ||
				l.Msg.GetFactors()[0].GetName() != "YubiKey" || len(l.Msg.GetAllowedMethods()) != 2 {
				t.Fatalf("list = %v %v", l, err)
			}
		})
	}
}

// TestPasskeyEnrollmentAtLogin: where the tenant requires a factor and
// allows passkeys only, the login enrolls a passkey; an app is refused.
func TestPasskeyEnrollmentAtLogin(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ten := env.CreateTenant("Alpha AG", "anna@alpha.example")
	admin := newClient(t, env, apptest.Connect)
	if _, err := admin.login(ten.Email, ten.Password); err != nil {
		t.Fatal(err)
	}
	// Changing the second-factor settings needs a step-up (the password: no factor yet).
	if err := admin.stepUpPassword(ten.Password); err != nil {
		t.Fatal(err)
	}
	requireFactor(t, env, admin, []zeugov1.SecondFactorMethod{zeugov1.SecondFactorMethod_SECOND_FACTOR_METHOD_WEBAUTHN})

	c := newClient(t, env, apptest.Connect)
	ch, err := c.login(ten.Email, ten.Password)
	if err != nil || !ch.GetEnrollmentRequired() || len(ch.GetEnrollmentMethods()) != 1 ||
		ch.GetEnrollmentMethods()[0] != zeugov1.SecondFactorMethod_SECOND_FACTOR_METHOD_WEBAUTHN {
		t.Fatalf("challenge = %v %v", ch, err)
	}
	_, err = c.auth().StartLoginEnrollment(context.Background(), connect.NewRequest(&zeugov1.StartLoginEnrollmentRequest{
		ChallengeToken: ch.GetToken(), Method: zeugov1.SecondFactorMethod_SECOND_FACTOR_METHOD_TOTP}))
	apptest.WantCode(t, err, connect.CodeFailedPrecondition, "an app where only passkeys are allowed")
	st, err := c.auth().StartLoginEnrollment(context.Background(), connect.NewRequest(&zeugov1.StartLoginEnrollmentRequest{
		ChallengeToken: ch.GetToken(), Method: zeugov1.SecondFactorMethod_SECOND_FACTOR_METHOD_WEBAUTHN}))
	if err != nil || st.Msg.GetWebauthnOptions() == "" {
		t.Fatalf("start = %v %v", st, err)
	}
	key := newSoftKey(t)
	res, err := c.auth().ConfirmLoginEnrollment(context.Background(), connect.NewRequest(&zeugov1.ConfirmLoginEnrollmentRequest{
		ChallengeToken: ch.GetToken(), WebauthnCredential: key.create(st.Msg.GetWebauthnOptions()), RefreshTokenInBody: true}))
	if err != nil || len(res.Msg.GetRecoveryCodes()) != 10 || res.Msg.GetTokens().GetAccessToken() == "" {
		t.Fatalf("confirm = %v %v", res, err)
	}
	// The next login asks the key.
	ch, _ = c.login(ten.Email, ten.Password)
	if err := c.verifyKey(ch, key.get(ch.GetWebauthnOptions())); err != nil {
		t.Fatal(err)
	}
}

// requireFactor makes the admin's tenant require a second factor of the
// kinds allowed.
func requireFactor(t testing.TB, env *apptest.Env, admin *client, allowed []zeugov1.SecondFactorMethod) {
	t.Helper()
	if err := updateSettings(t, env, admin, func(f *zeugov1.SecuritySettingsFields) {
		f.SecondFactorRequired, f.SecondFactorMethods = true, allowed
	}); err != nil {
		t.Fatal(err)
	}
}

// updateSettings changes the admin's tenant's security settings.
func updateSettings(t testing.TB, env *apptest.Env, admin *client, change func(*zeugov1.SecuritySettingsFields)) error {
	t.Helper()
	settings := zeugov1connect.NewSecuritySettingsServiceClient(admin.hc, env.Server.URL,
		connect.WithInterceptors(apptest.Bearer(admin.token)))
	cur, err := settings.GetSecuritySettings(context.Background(), connect.NewRequest(&zeugov1.GetSecuritySettingsRequest{}))
	if err != nil {
		t.Fatal(err)
	}
	f := cur.Msg.GetSettings().GetFields()
	change(f)
	_, err = settings.UpdateSecuritySettings(context.Background(), connect.NewRequest(&zeugov1.UpdateSecuritySettingsRequest{
		Version: cur.Msg.GetSettings().GetVersion(), Fields: f}))
	return err
}
