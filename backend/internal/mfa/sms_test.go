package mfa_test

import (
	"context"
	"regexp"
	"sync"
	"testing"
	"time"

	"connectrpc.com/connect"
	"github.com/google/uuid"

	"github.com/zeugo/zeugo/backend/internal/apptest"
	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
	"github.com/zeugo/zeugo/backend/internal/outbox"
)

// phone is an SMS gateway in the test process: what the outbox delivers
// by SMS lands here (there is no real network to send texts through).
type phone struct {
	mu   sync.Mutex
	msgs map[string][]string
}

func (p *phone) SendSMS(_ context.Context, _ uuid.UUID, to, text string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.msgs[to] = append(p.msgs[to], text)
	return nil
}

var sixDigits = regexp.MustCompile(`\b[0-9]{6}\b`)

// lastCode delivers the outbox and returns the code of the newest SMS to
// number.
func (p *phone) lastCode(t testing.TB, env *apptest.Env, number string) string {
	t.Helper()
	ob := outbox.New(outbox.Deps{DB: env.App.DB, Keys: env.App.Keys, Now: env.Clock.Now, SMS: p, Audit: env.App.Audit})
	if _, err := ob.Deliver(context.Background()); err != nil {
		t.Fatal(err)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	msgs := p.msgs[number]
	if len(msgs) == 0 {
		t.Fatalf("no SMS to %s", number)
	}
	code := sixDigits.FindString(msgs[len(msgs)-1])
	if code == "" {
		t.Fatalf("no code in %q", msgs[len(msgs)-1])
	}
	return code
}

func setMethods(t testing.TB, env *apptest.Env, admin *client, methods ...zeugov1.SecondFactorMethod) error {
	t.Helper()
	return updateSettings(t, env, admin, func(f *zeugov1.SecuritySettingsFields) { f.SecondFactorMethods = methods })
}

// TestSMSFactor: a number becomes a factor only by answering a code;
// login codes are bound to their login, sent at most three times, good
// once; SMS alone is never the tenant's only kind.
func TestSMSFactor(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	gw := &phone{msgs: map[string][]string{}}
	const number = "+4915112345678"
	ten := env.CreateTenant("Alpha AG", "anna@alpha.example")
	admin := newClient(t, env, apptest.Connect)
	if _, err := admin.login(ten.Email, ten.Password); err != nil {
		t.Fatal(err)
	}
	sms := zeugov1.SecondFactorMethod_SECOND_FACTOR_METHOD_SMS
	if err := admin.stepUpPassword(ten.Password); err != nil {
		t.Fatal(err)
	}
	_, err := admin.factors().StartSmsEnrollment(context.Background(), connect.NewRequest(&zeugov1.StartSmsEnrollmentRequest{Phone: number}))
	apptest.WantCode(t, err, connect.CodeFailedPrecondition, "SMS before the tenant allows it")
	err = setMethods(t, env, admin, sms)
	if v := apptest.Violations(t, err); v["fields.second_factor_methods"] != "zeugo.mfa.sms_alone" {
		t.Fatalf("SMS alone: %v", err)
	}
	if err := setMethods(t, env, admin, zeugov1.SecondFactorMethod_SECOND_FACTOR_METHOD_TOTP, sms); err != nil {
		t.Fatal(err)
	}
	st, err := admin.factors().StartSmsEnrollment(context.Background(), connect.NewRequest(&zeugov1.StartSmsEnrollmentRequest{Phone: number}))
	if err != nil {
		t.Fatal(err)
	}
	code := gw.lastCode(t, env, number)
	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	_, err = admin.factors().ConfirmSmsEnrollment(context.Background(), connect.NewRequest(&zeugov1.ConfirmSmsEnrollmentRequest{
		EnrollmentId: st.Msg.GetEnrollmentId(), Code: wrong}))
	apptest.WantCode(t, err, connect.CodeInvalidArgument, "a wrong enrollment code")
	res, err := admin.factors().ConfirmSmsEnrollment(context.Background(), connect.NewRequest(&zeugov1.ConfirmSmsEnrollmentRequest{
		EnrollmentId: st.Msg.GetEnrollmentId(), Code: code, Name: "Diensthandy"}))
	if err != nil || len(res.Msg.GetRecoveryCodes()) != 10 || res.Msg.GetFactor().GetMethod() != sms {
		t.Fatalf("confirm = %v %v", res, err)
	}

	// Step-up by SMS in the session that added the number.
	if _, err := admin.auth().SendStepUpSms(context.Background(), connect.NewRequest(&zeugov1.SendStepUpSmsRequest{})); err != nil {
		t.Fatal(err)
	}
	_, err = admin.auth().StepUp(context.Background(), connect.NewRequest(&zeugov1.StepUpRequest{
		Proof: &zeugov1.StepUpRequest_SmsCode{SmsCode: gw.lastCode(t, env, number)}}))
	if err != nil {
		t.Fatalf("step-up by SMS: %v", err)
	}

	// Login: the challenge names the number's end; the code is sent on
	// request, bound to that login, good once.
	c := newClient(t, env, apptest.GRPC)
	ch, err := c.login(ten.Email, ten.Password)
	if err != nil || ch.GetSmsPhoneHint() != "+49 ••• 5678" {
		t.Fatalf("challenge = %v %v", ch, err)
	}
	send := func(ch *zeugov1.SecondFactorChallenge) error {
		_, err := c.auth().SendLoginSms(context.Background(), connect.NewRequest(&zeugov1.SendLoginSmsRequest{ChallengeToken: ch.GetToken()}))
		return err
	}
	if err := send(ch); err != nil {
		t.Fatal(err)
	}
	first := gw.lastCode(t, env, number)
	other, _ := newClient(t, env, apptest.GRPC).login(ten.Email, ten.Password)
	verifySMS := func(x *client, ch *zeugov1.SecondFactorChallenge, code string) error {
		_, err := x.auth().VerifySecondFactor(context.Background(), connect.NewRequest(&zeugov1.VerifySecondFactorRequest{
			ChallengeToken: ch.GetToken(), Proof: &zeugov1.VerifySecondFactorRequest_SmsCode{SmsCode: code}, RefreshTokenInBody: true}))
		return err
	}
	apptest.WantCode(t, verifySMS(c, other, first), connect.CodeInvalidArgument, "a code sent for another login")
	if err := send(ch); err != nil {
		t.Fatal(err)
	}
	second := gw.lastCode(t, env, number)
	if second != first {
		apptest.WantCode(t, verifySMS(c, ch, first), connect.CodeInvalidArgument, "a code a newer one replaced")
	}
	if err := send(ch); err != nil {
		t.Fatal(err)
	}
	apptest.WantCode(t, send(ch), connect.CodeResourceExhausted, "a fourth code for one login")
	third := gw.lastCode(t, env, number)
	// Five codes went out so far, the most one user gets in a quarter
	// hour (mfa.SMSPerUser); the next login comes in the next.
	env.Clock.Advance(16 * time.Minute)
	apptest.WantCode(t, verifySMS(c, ch, third), connect.CodeUnauthenticated, "a code of a lapsed login")

	ch, _ = c.login(ten.Email, ten.Password)
	if err := send(ch); err != nil {
		t.Fatal(err)
	}
	code = gw.lastCode(t, env, number)
	res2, err := c.auth().VerifySecondFactor(context.Background(), connect.NewRequest(&zeugov1.VerifySecondFactorRequest{
		ChallengeToken: ch.GetToken(), Proof: &zeugov1.VerifySecondFactorRequest_SmsCode{SmsCode: code}, RefreshTokenInBody: true}))
	if err != nil {
		t.Fatalf("login with the SMS code: %v", err)
	}
	c.token = res2.Msg.GetTokens().GetAccessToken()
	if err := c.me(); err != nil {
		t.Fatal(err)
	}
}

// TestSMSEnrollmentCodeCannotBeGuessed: five wrong codes end an SMS
// enrollment — a number is not added by guessing its code.
func TestSMSEnrollmentCodeCannotBeGuessed(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	gw := &phone{msgs: map[string][]string{}}
	const number = "+4917098765432"
	ten := env.CreateTenant("Alpha AG", "anna@alpha.example")
	admin := newClient(t, env, apptest.Connect)
	if _, err := admin.login(ten.Email, ten.Password); err != nil {
		t.Fatal(err)
	}
	// The step-up comes first: the settings' change needs one too.
	if err := admin.stepUpPassword(ten.Password); err != nil {
		t.Fatal(err)
	}
	if err := setMethods(t, env, admin, zeugov1.SecondFactorMethod_SECOND_FACTOR_METHOD_TOTP,
		zeugov1.SecondFactorMethod_SECOND_FACTOR_METHOD_SMS); err != nil {
		t.Fatal(err)
	}
	st, err := admin.factors().StartSmsEnrollment(context.Background(), connect.NewRequest(&zeugov1.StartSmsEnrollmentRequest{Phone: number}))
	if err != nil {
		t.Fatal(err)
	}
	code := gw.lastCode(t, env, number)
	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	confirm := func(c string) error {
		_, err := admin.factors().ConfirmSmsEnrollment(context.Background(), connect.NewRequest(&zeugov1.ConfirmSmsEnrollmentRequest{
			EnrollmentId: st.Msg.GetEnrollmentId(), Code: c}))
		return err
	}
	for range 5 {
		apptest.WantCode(t, confirm(wrong), connect.CodeInvalidArgument, "a wrong enrollment code")
	}
	apptest.WantCode(t, confirm(code), connect.CodeNotFound, "the right code after five wrong ones")
}
