// The small rules of second factors that screens share: how a secret and
// recovery codes are shown, what a typed code is, when a step-up still
// counts, and which server refusals name a rule of their own.
import { timestampMs, type Timestamp } from "@bufbuild/protobuf/wkt";
import type { TFunction } from "i18next";
import type { FieldViolation } from "../../lib/validation.js";
import { violationsFromError } from "../../lib/validation.js";

/** The rule of FailedPrecondition when a change needs a fresh step-up. */
export const stepUpRequiredRule = "zeugo.mfa.step_up_required";
/** The rule of FailedPrecondition when the last factor may not go. */
export const lastFactorRequiredRule = "zeugo.mfa.last_factor_required";

/** Below this many unused recovery codes the user is told to make new ones. */
export const fewRecoveryCodes = 3;

/** groupSecret shows a base32 secret in groups of four, for typing it into an app. */
export function groupSecret(secret: string): string {
  return (
    secret
      .replace(/[\s=]/g, "")
      .toUpperCase()
      .match(/.{1,4}/g)
      ?.join(" ") ?? ""
  );
}

/** totpDigits keeps the digits of what was typed or pasted ("123 456" → "123456"), at most six. */
export function totpDigits(value: string): string {
  return value.replace(/\D/g, "").slice(0, 6);
}

/**
 * recoveryCodeInput tidies a typed recovery code for sending: surrounding
 * space goes, inner whitespace becomes one dash (the server ignores case,
 * spaces and dashes, but its pattern allows no tabs or line breaks).
 */
export function recoveryCodeInput(value: string): string {
  return value.trim().replace(/\s+/g, "-").toUpperCase();
}

/** stepUpFresh reports whether a step-up still counts for a change started now. */
export function stepUpFresh(validUntil: Timestamp | undefined, nowMs: number): boolean {
  // A few seconds of margin: the request must reach the server in time.
  return validUntil !== undefined && timestampMs(validUntil) > nowMs + 5_000;
}

/** hasRule reports whether the server refused with a violation of the given rule. */
export function hasRule(err: unknown, ruleId: string): boolean {
  return violationsFromError(err).some((v) => v.ruleId === ruleId);
}

/**
 * codeMessage is the text next to a code field for a server violation: the
 * format rules have their own texts; any other rule on a code field means
 * the code was not right.
 */
export function codeMessage(v: FieldViolation, t: TFunction): string {
  const format = v.ruleId === "string.pattern" || v.ruleId === "string.min_len" || v.ruleId === "required";
  if (v.field.endsWith("password")) {
    if (format) return t("validation.rule.required");
    // A user with a factor confirms with it, not the password.
    return v.ruleId === "zeugo.mfa.factor_needed" ? t("mfa.factorNeeded") : t("mfa.passwordWrong");
  }
  if (v.field.endsWith("recoveryCode")) return format ? t("mfa.recoveryFormat") : t("mfa.recoveryWrong");
  if (v.field.endsWith("smsCode")) return format ? t("mfa.sms.codeFormat") : t("mfa.sms.codeWrong");
  return format ? t("mfa.codeFormat") : t("mfa.codeWrong");
}

/** recoveryCodesFile is the text of the downloaded .txt file. */
export function recoveryCodesFile(codes: string[], t: TFunction, about: { email: string; tenant: string; date: string }): string {
  const lines = [
    t("mfa.recovery.fileTitle"),
    `${about.email} · ${about.tenant}`,
    t("mfa.recovery.fileCreated", { date: about.date }),
    "",
    ...codes,
    "",
    t("mfa.recovery.fileHint"),
    "",
  ];
  return lines.join("\r\n");
}
