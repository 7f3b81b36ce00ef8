// In-memory second factors for component tests: the public second step of
// a login (AuthService) and SecondFactorService, with the server's rules
// that the screens react to — wrong codes on their field, a dead challenge,
// the step-up window, the last factor a tenant requires. Requests are
// recorded.
import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { ViolationsSchema } from "@bufbuild/protovalidate/gen/buf/validate/validate_pb.js";
import { Code, ConnectError, type ConnectRouter, type ServiceImpl } from "@connectrpc/connect";
import {
  AuthService,
  PrincipalSchema,
  SecondFactorMethod,
  TokensSchema,
  TotpEnrollmentSchema,
  type Principal,
} from "../gen/zeugo/v1/auth_pb.js";
import { SecondFactorSchema, SecondFactorService, type SecondFactor } from "../gen/zeugo/v1/factors_pb.js";

/** The code the fake app shows; any other six digits are wrong. */
export const goodCode = "123456";
/** The fake's secret, base32. */
export const fakeSecret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
/** Ten recovery codes as the server creates them. */
export const fakeRecoveryCodes = Array.from({ length: 10 }, (_, i) => `AB${i}D-EFGH-JKMN-PQRS-TVWX-YZ${i}2`);

export type FakeMfa = {
  principal: Principal;
  factors: SecondFactor[];
  recoveryLeft: number;
  unusedRecovery: string[];
  required: boolean;
  /** Until when the session's step-up counts (ms); 0: none. */
  stepUpUntil: number;
  /** When set, the server wants a step-up regardless of stepUpUntil (once). */
  forceStepUp: boolean;
  /** The challenge token that is still alive. */
  liveChallenge: string;
  calls: string[];
  stepUps: string[];
  /** The kinds the tenant lets users add (empty: as an older server, none named). */
  allowedMethods: SecondFactorMethod[];
  /** Whether the tenant allows signing in with a passkey alone. */
  passkeyLogin: boolean;
  /** The SMS codes sent so far (the newest counts). */
  smsSent: string[];
  /** How many more SMS the server sends before it says too many. */
  smsLeft: number;
};

/** The code every fake SMS carries. */
export const smsCode = "654321";

/** The id of the fake authenticator's credential; an answer with another id does not verify. */
export const goodCredentialId = "cred-good";
/** Request or creation options as the server sends them (the browser is mocked in tests). */
export const fakeWebauthnOptions = JSON.stringify({ challenge: "Y2hhbGxlbmdl", rpId: "localhost" });

/** passkeyAnswerOk: the JSON answer of the (mocked) browser names the good credential. */
function passkeyAnswerOk(json: string): boolean {
  try {
    return (JSON.parse(json) as { id?: string }).id === goodCredentialId;
  } catch {
    return false;
  }
}

/** violation is the server's InvalidArgument or FailedPrecondition with one violation. */
export function violation(code: Code, field: string, ruleId: string): ConnectError {
  return new ConnectError(ruleId, code, undefined, [
    {
      desc: ViolationsSchema,
      value: create(ViolationsSchema, {
        violations: [{ ...(field ? { field: { elements: [{ fieldName: field }] } } : {}), ruleId, message: ruleId }],
      }),
    },
  ]);
}

export function fakeMfa(init: Partial<FakeMfa> = {}): FakeMfa {
  return {
    principal: create(PrincipalSchema, { userId: "u1", tenantName: "Muster GmbH", firstName: "Erika", email: "erika@muster.example" }),
    factors: [],
    recoveryLeft: 0,
    unusedRecovery: [...fakeRecoveryCodes],
    required: false,
    stepUpUntil: 0,
    forceStepUp: false,
    liveChallenge: "challenge-1",
    calls: [],
    stepUps: [],
    allowedMethods: [],
    passkeyLogin: false,
    smsSent: [],
    smsLeft: 5,
    ...init,
  };
}

const normal = (code: string) => code.replace(/[\s-]/g, "").toUpperCase();

function session(fake: FakeMfa) {
  return {
    principal: fake.principal,
    tokens: create(TokensSchema, { accessToken: "t-mfa", accessTokenExpiresAt: timestampFromMs(Date.now() + 600_000) }),
  };
}

function checkChallenge(fake: FakeMfa, token: string) {
  if (token !== fake.liveChallenge) throw new ConnectError("invalid challenge", Code.Unauthenticated);
}

function useRecovery(fake: FakeMfa, code: string): boolean {
  const i = fake.unusedRecovery.findIndex((c) => normal(c) === normal(code));
  if (i < 0) return false;
  fake.unusedRecovery.splice(i, 1);
  fake.recoveryLeft = fake.unusedRecovery.length;
  return true;
}

/** requireStepUp refuses a change as the server does without a recent step-up. */
export function requireStepUp(fake: FakeMfa) {
  if (fake.forceStepUp || fake.stepUpUntil <= Date.now()) {
    fake.forceStepUp = false;
    throw violation(Code.FailedPrecondition, "", "zeugo.mfa.step_up_required");
  }
}

/** sendSms texts the fake code, or refuses as the server's rate limit does. */
function sendSms(fake: FakeMfa, to: string) {
  if (fake.smsLeft <= 0) throw new ConnectError("too many attempts", Code.ResourceExhausted);
  fake.smsLeft--;
  fake.smsSent.push(to);
  return timestampFromMs(Date.now() + 300_000);
}

function newFactor(name: string, n: number, method = SecondFactorMethod.TOTP): SecondFactor {
  return create(SecondFactorSchema, {
    id: `00000000-0000-7000-8000-00000000010${n}`,
    method,
    name: name || (method === SecondFactorMethod.WEBAUTHN ? "Passkey" : method === SecondFactorMethod.SMS ? "SMS" : "Authenticator-App"),
    createdAt: timestampFromMs(Date.UTC(2026, 10, 20, 9, 0)),
  });
}

/** routeMfa adds the fake's services to a router transport. */
export function routeMfa(router: ConnectRouter, fake: FakeMfa, extraAuth: Partial<ServiceImpl<typeof AuthService>> = {}): void {
  const enrollment: MessageInitShape<typeof TotpEnrollmentSchema> = {
    enrollmentId: "00000000-0000-7000-8000-0000000000e1",
    secret: fakeSecret,
    otpauthUri: `otpauth://totp/Zeugo:erika@muster.example?secret=${fakeSecret}&issuer=Zeugo`,
    expiresAt: timestampFromMs(Date.now() + 600_000),
  };
  router.service(AuthService, {
    ...extraAuth,
    verifySecondFactor(req) {
      fake.calls.push(`verify:${req.proof.case}`);
      checkChallenge(fake, req.challengeToken);
      if (req.proof.case === "webauthnAssertion" && !passkeyAnswerOk(req.proof.value)) {
        // The challenge's ceremony is used up; the challenge itself lives on.
        throw violation(Code.InvalidArgument, "webauthn_assertion", "zeugo.mfa.webauthn_failed");
      }
      if (req.proof.case === "totpCode" && req.proof.value !== goodCode) throw violation(Code.InvalidArgument, "totp_code", "zeugo.mfa.code_wrong");
      if (req.proof.case === "recoveryCode" && !useRecovery(fake, req.proof.value))
        throw violation(Code.InvalidArgument, "recovery_code", "zeugo.mfa.code_wrong");
      if (req.proof.case === "smsCode" && (req.proof.value !== smsCode || fake.smsSent.length === 0))
        throw violation(Code.InvalidArgument, "sms_code", "zeugo.mfa.code_wrong");
      fake.liveChallenge = "";
      return { ...session(fake), recoveryCodesLeft: fake.recoveryLeft };
    },
    startLoginEnrollment(req) {
      fake.calls.push(req.method === SecondFactorMethod.WEBAUTHN ? "startLogin:passkey" : "startLogin");
      checkChallenge(fake, req.challengeToken);
      if (req.method === SecondFactorMethod.WEBAUTHN) return { webauthnOptions: fakeWebauthnOptions };
      return { enrollment: { ...enrollment, enrollmentId: "" } };
    },
    confirmLoginEnrollment(req) {
      const passkey = req.webauthnCredential !== "";
      fake.calls.push(`confirmLogin${passkey ? ":passkey" : ""}:${req.name}`);
      checkChallenge(fake, req.challengeToken);
      if (passkey && !passkeyAnswerOk(req.webauthnCredential))
        throw violation(Code.InvalidArgument, "webauthn_credential", "zeugo.mfa.webauthn_failed");
      if (!passkey && req.totpCode !== goodCode) throw violation(Code.InvalidArgument, "totp_code", "zeugo.mfa.code_wrong");
      fake.liveChallenge = "";
      fake.factors.push(newFactor(req.name, fake.factors.length, passkey ? SecondFactorMethod.WEBAUTHN : SecondFactorMethod.TOTP));
      fake.unusedRecovery = [...fakeRecoveryCodes];
      fake.recoveryLeft = 10;
      return { ...session(fake), recoveryCodes: fakeRecoveryCodes };
    },
    beginStepUp() {
      fake.calls.push("beginStepUp");
      if (!fake.factors.some((f) => f.method === SecondFactorMethod.WEBAUTHN)) throw violation(Code.FailedPrecondition, "", "zeugo.mfa.no_passkey");
      return { ceremonyId: "00000000-0000-7000-8000-0000000000c1", webauthnOptions: fakeWebauthnOptions };
    },
    beginPasskeyLogin() {
      fake.calls.push("beginPasskeyLogin");
      return { ceremonyId: "00000000-0000-7000-8000-0000000000c2", webauthnOptions: fakeWebauthnOptions };
    },
    finishPasskeyLogin(req) {
      fake.calls.push("finishPasskeyLogin");
      if (!fake.passkeyLogin || !passkeyAnswerOk(req.assertion)) throw new ConnectError("passkey sign-in failed", Code.Unauthenticated);
      return session(fake);
    },
    sendStepUpSms() {
      fake.calls.push("sendStepUpSms");
      if (!fake.factors.some((f) => f.method === SecondFactorMethod.SMS)) throw violation(Code.FailedPrecondition, "", "zeugo.mfa.no_sms");
      return { expiresAt: sendSms(fake, "step-up"), phoneHint: "+49 ••• 5678" };
    },
    sendLoginSms(req) {
      checkChallenge(fake, req.challengeToken);
      fake.calls.push("sendLoginSms");
      return { expiresAt: sendSms(fake, "login") };
    },
    stepUp(req) {
      fake.stepUps.push(req.proof.case ?? "");
      if (req.proof.case === "smsCode") {
        if (req.proof.value !== smsCode || fake.smsSent.length === 0) throw violation(Code.InvalidArgument, "sms_code", "zeugo.mfa.code_wrong");
        fake.stepUpUntil = Date.now() + 300_000;
        return { validUntil: timestampFromMs(fake.stepUpUntil) };
      }
      if (req.proof.case === "webauthn") {
        if (!passkeyAnswerOk(req.proof.value.assertion)) throw violation(Code.InvalidArgument, "webauthn.assertion", "zeugo.mfa.webauthn_failed");
        fake.stepUpUntil = Date.now() + 300_000;
        return { validUntil: timestampFromMs(fake.stepUpUntil) };
      }
      const ok =
        req.proof.case === "password"
          ? fake.factors.length === 0 && req.proof.value === "richtig"
          : req.proof.case === "totpCode"
            ? fake.factors.length > 0 && req.proof.value === goodCode
            : req.proof.case === "recoveryCode" && useRecovery(fake, req.proof.value);
      if (!ok) {
        if (req.proof.case === "password") throw violation(Code.InvalidArgument, "password", "password.current_wrong");
        throw violation(Code.InvalidArgument, req.proof.case === "totpCode" ? "totp_code" : "recovery_code", "zeugo.mfa.code_wrong");
      }
      fake.stepUpUntil = Date.now() + 300_000;
      return { validUntil: timestampFromMs(fake.stepUpUntil) };
    },
  });
  router.service(SecondFactorService, {
    listMyFactors: () => ({
      factors: fake.factors,
      recoveryCodesLeft: fake.recoveryLeft,
      required: fake.required,
      allowedMethods: fake.allowedMethods,
      ...(fake.stepUpUntil > 0 ? { stepUpValidUntil: timestampFromMs(fake.stepUpUntil) } : {}),
    }),
    startTotpEnrollment() {
      fake.calls.push("startTotp");
      requireStepUp(fake);
      return { enrollment };
    },
    confirmTotpEnrollment(req) {
      fake.calls.push(`confirmTotp:${req.name}`);
      requireStepUp(fake);
      if (req.totpCode !== goodCode) throw violation(Code.InvalidArgument, "totp_code", "zeugo.mfa.code_wrong");
      const first = fake.factors.length === 0;
      const f = newFactor(req.name, fake.factors.length);
      fake.factors.push(f);
      if (first) {
        fake.unusedRecovery = [...fakeRecoveryCodes];
        fake.recoveryLeft = 10;
      }
      return { factor: f, recoveryCodes: first ? fakeRecoveryCodes : [] };
    },
    startSmsEnrollment(req) {
      fake.calls.push(`startSms:${req.phone}`);
      requireStepUp(fake);
      return { enrollmentId: "00000000-0000-7000-8000-0000000000c5", expiresAt: sendSms(fake, req.phone) };
    },
    confirmSmsEnrollment(req) {
      fake.calls.push(`confirmSms:${req.name}`);
      requireStepUp(fake);
      if (req.code !== smsCode) throw violation(Code.InvalidArgument, "code", "zeugo.mfa.code_wrong");
      const first = fake.factors.length === 0;
      const f = newFactor(req.name, fake.factors.length, SecondFactorMethod.SMS);
      fake.factors.push(f);
      if (first) {
        fake.unusedRecovery = [...fakeRecoveryCodes];
        fake.recoveryLeft = 10;
      }
      return { factor: f, recoveryCodes: first ? fakeRecoveryCodes : [] };
    },
    removeFactor(req) {
      fake.calls.push(`remove:${req.id}`);
      requireStepUp(fake);
      if (fake.required && fake.factors.length === 1) throw violation(Code.FailedPrecondition, "", "zeugo.mfa.last_factor_required");
      fake.factors = fake.factors.filter((f) => f.id !== req.id);
      if (fake.factors.length === 0) fake.recoveryLeft = 0;
      return {};
    },
    startPasskeyRegistration() {
      fake.calls.push("startPasskey");
      requireStepUp(fake);
      return { registrationId: "00000000-0000-7000-8000-0000000000a1", options: fakeWebauthnOptions };
    },
    finishPasskeyRegistration(req) {
      fake.calls.push(`finishPasskey:${req.name}`);
      requireStepUp(fake);
      if (!passkeyAnswerOk(req.credential)) throw violation(Code.InvalidArgument, "credential", "zeugo.mfa.webauthn_failed");
      const first = fake.factors.length === 0;
      const f = newFactor(req.name, fake.factors.length, SecondFactorMethod.WEBAUTHN);
      fake.factors.push(f);
      if (first) {
        fake.unusedRecovery = [...fakeRecoveryCodes];
        fake.recoveryLeft = 10;
      }
      return { factor: f, recoveryCodes: first ? fakeRecoveryCodes : [] };
    },
    resetUserSecondFactors(req) {
      fake.calls.push(`reset:${req.userId}`);
      requireStepUp(fake);
      if (req.userId === fake.principal.userId) throw violation(Code.FailedPrecondition, "user_id", "zeugo.mfa.reset_self");
      return {};
    },
    regenerateRecoveryCodes() {
      fake.calls.push("regenerate");
      requireStepUp(fake);
      fake.unusedRecovery = [...fakeRecoveryCodes];
      fake.recoveryLeft = 10;
      return { recoveryCodes: fakeRecoveryCodes };
    },
  });
}

/** withPasskey is a fake whose user has one passkey and some recovery codes left. */
export function withPasskey(init: Partial<FakeMfa> = {}): FakeMfa {
  return fakeMfa({ factors: [newFactor("Laptop", 0, SecondFactorMethod.WEBAUTHN)], recoveryLeft: 10, ...init });
}

/** withFactor is a fake whose user has one app and some recovery codes left. */
export function withFactor(init: Partial<FakeMfa> = {}): FakeMfa {
  return fakeMfa({ factors: [newFactor("Diensthandy", 0)], recoveryLeft: 10, ...init });
}
