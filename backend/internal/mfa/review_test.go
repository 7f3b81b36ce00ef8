package mfa_test

import (
	"context"
	"testing"

	"connectrpc.com/connect"

	"github.com/zeugo/zeugo/backend/internal/apptest"
	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
)

// TestEnrollmentLoginCannotPassAnEnrolledFactor: two logins of a user who
// must enroll; once one has enrolled a factor, the other cannot enroll one
// of its own and get past it.
func TestEnrollmentLoginCannotPassAnEnrolledFactor(t *testing.T) {
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
	requireFactor(t, env, admin, []zeugov1.SecondFactorMethod{zeugov1.SecondFactorMethod_SECOND_FACTOR_METHOD_TOTP})
	attacker, victim := newClient(t, env, apptest.Connect), newClient(t, env, apptest.Connect)
	chA, _ := attacker.login(ten.Email, ten.Password)
	chV, _ := victim.login(ten.Email, ten.Password)
	start := func(c *client, ch *zeugov1.SecondFactorChallenge) (*zeugov1.TotpEnrollment, error) {
		res, err := c.auth().StartLoginEnrollment(context.Background(), connect.NewRequest(&zeugov1.StartLoginEnrollmentRequest{
			ChallengeToken: ch.GetToken()}))
		if err != nil {
			return nil, err
		}
		return res.Msg.GetEnrollment(), nil
	}
	confirm := func(c *client, ch *zeugov1.SecondFactorChallenge, secret string) error {
		_, err := c.auth().ConfirmLoginEnrollment(context.Background(), connect.NewRequest(&zeugov1.ConfirmLoginEnrollmentRequest{
			ChallengeToken: ch.GetToken(), TotpCode: code(t, env, secret, 0)}))
		return err
	}
	eA, err := start(attacker, chA)
	if err != nil {
		t.Fatal(err)
	}
	eV, err := start(victim, chV)
	if err != nil {
		t.Fatal(err)
	}
	if err := confirm(victim, chV, eV.GetSecret()); err != nil {
		t.Fatalf("the victim's enrollment: %v", err)
	}
	apptest.WantCode(t, confirm(attacker, chA, eA.GetSecret()), connect.CodeUnauthenticated, "an enrollment after the user enrolled")
	_, err = start(attacker, chA)
	apptest.WantCode(t, err, connect.CodeUnauthenticated, "starting one after the user enrolled")
}

// TestPasswordChangeEndsWaitingLogins: a login waiting for its second step
// does not survive the password it was begun with.
func TestPasswordChangeEndsWaitingLogins(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ten := env.CreateTenant("Alpha AG", "anna@alpha.example")
	owner := newClient(t, env, apptest.Connect)
	if _, err := owner.login(ten.Email, ten.Password); err != nil {
		t.Fatal(err)
	}
	secret, _ := owner.enroll(ten.Password)
	attacker := newClient(t, env, apptest.Connect)
	ch, err := attacker.login(ten.Email, ten.Password)
	if err != nil || ch == nil {
		t.Fatalf("challenge: %v %v", ch, err)
	}
	if _, err := owner.auth().ChangePassword(context.Background(), connect.NewRequest(&zeugov1.ChangePasswordRequest{
		CurrentPassword: ten.Password, NewPassword: "Ganz-Neues-Passwort-2026!"})); err != nil {
		t.Fatal(err)
	}
	_, err = attacker.verify(ch.GetToken(), code(t, env, secret, 1), "")
	apptest.WantCode(t, err, connect.CodeUnauthenticated, "a login begun with the old password")
}

// TestStepUpCeremonyIsTheSessions: a passkey answer to one session's
// step-up ceremony does not step up another session.
func TestStepUpCeremonyIsTheSessions(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ten := env.CreateTenant("Alpha AG", "anna@alpha.example")
	s1 := newClient(t, env, apptest.Connect)
	if _, err := s1.login(ten.Email, ten.Password); err != nil {
		t.Fatal(err)
	}
	key := newSoftKey(t)
	if _, err := s1.registerKey(ten.Password, key); err != nil {
		t.Fatal(err)
	}
	s2 := newClient(t, env, apptest.Connect)
	ch, _ := s2.login(ten.Email, ten.Password)
	if err := s2.verifyKey(ch, key.get(ch.GetWebauthnOptions())); err != nil {
		t.Fatal(err)
	}
	begin, err := s1.auth().BeginStepUp(context.Background(), connect.NewRequest(&zeugov1.BeginStepUpRequest{}))
	if err != nil {
		t.Fatal(err)
	}
	_, err = s2.auth().StepUp(context.Background(), connect.NewRequest(&zeugov1.StepUpRequest{
		Proof: &zeugov1.StepUpRequest_Webauthn{Webauthn: &zeugov1.WebAuthnAssertion{
			CeremonyId: begin.Msg.GetCeremonyId(), Assertion: key.get(begin.Msg.GetWebauthnOptions())}}}))
	apptest.WantCode(t, err, connect.CodeInvalidArgument, "another session's step-up ceremony")
}
