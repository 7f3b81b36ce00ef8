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
};

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

function requireStepUp(fake: FakeMfa) {
  if (fake.forceStepUp || fake.stepUpUntil <= Date.now()) {
    fake.forceStepUp = false;
    throw violation(Code.FailedPrecondition, "", "zeugo.mfa.step_up_required");
  }
}

function newFactor(name: string, n: number): SecondFactor {
  return create(SecondFactorSchema, {
    id: `00000000-0000-7000-8000-00000000010${n}`,
    method: SecondFactorMethod.TOTP,
    name: name || "Authenticator-App",
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
      if (req.proof.case === "totpCode" && req.proof.value !== goodCode) throw violation(Code.InvalidArgument, "totp_code", "zeugo.mfa.code_wrong");
      if (req.proof.case === "recoveryCode" && !useRecovery(fake, req.proof.value))
        throw violation(Code.InvalidArgument, "recovery_code", "zeugo.mfa.code_wrong");
      fake.liveChallenge = "";
      return { ...session(fake), recoveryCodesLeft: fake.recoveryLeft };
    },
    startLoginEnrollment(req) {
      fake.calls.push("startLogin");
      checkChallenge(fake, req.challengeToken);
      return { enrollment: { ...enrollment, enrollmentId: "" } };
    },
    confirmLoginEnrollment(req) {
      fake.calls.push(`confirmLogin:${req.name}`);
      checkChallenge(fake, req.challengeToken);
      if (req.totpCode !== goodCode) throw violation(Code.InvalidArgument, "totp_code", "zeugo.mfa.code_wrong");
      fake.liveChallenge = "";
      fake.factors.push(newFactor(req.name, fake.factors.length));
      fake.unusedRecovery = [...fakeRecoveryCodes];
      fake.recoveryLeft = 10;
      return { ...session(fake), recoveryCodes: fakeRecoveryCodes };
    },
    stepUp(req) {
      fake.stepUps.push(req.proof.case ?? "");
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
    removeFactor(req) {
      fake.calls.push(`remove:${req.id}`);
      requireStepUp(fake);
      if (fake.required && fake.factors.length === 1) throw violation(Code.FailedPrecondition, "", "zeugo.mfa.last_factor_required");
      fake.factors = fake.factors.filter((f) => f.id !== req.id);
      if (fake.factors.length === 0) fake.recoveryLeft = 0;
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

/** withFactor is a fake whose user has one app and some recovery codes left. */
export function withFactor(init: Partial<FakeMfa> = {}): FakeMfa {
  return fakeMfa({ factors: [newFactor("Diensthandy", 0)], recoveryLeft: 10, ...init });
}
