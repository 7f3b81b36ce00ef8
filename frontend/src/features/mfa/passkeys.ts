// The browser's side of passkeys and security keys (WebAuthn): the server's
// options (JSON) go to navigator.credentials through @simplewebauthn/browser,
// the authenticator's answer goes back as JSON. What can go wrong on the way
// — the person cancelled, the key is registered already, the browser has no
// WebAuthn, the server could not verify the answer — becomes a sentence.
import { Code, ConnectError } from "@connectrpc/connect";
import { browserSupportsWebAuthn, startAuthentication, startRegistration, WebAuthnError } from "@simplewebauthn/browser";
import type { TFunction } from "i18next";
import { errorMessage } from "../../lib/errors.js";
import { hasRule } from "./codes.js";

/** The rule of AlreadyExists when the authenticator's credential is registered already (this or another user). */
export const passkeyRegisteredRule = "zeugo.mfa.webauthn_registered";
/** The rule of InvalidArgument when the server could not verify an authenticator's answer. */
export const passkeyFailedRule = "zeugo.mfa.webauthn_failed";
/** The rule of FailedPrecondition when the tenant does not allow the kind of factor. */
export const methodNotAllowedRule = "zeugo.mfa.method_not_allowed";

/** passkeysSupported reports whether this browser can use passkeys at all. */
export function passkeysSupported(): boolean {
  return browserSupportsWebAuthn();
}

/** createPasskey lets the browser create a credential for the server's creation options; returns the answer as JSON. */
export async function createPasskey(optionsJSON: string): Promise<string> {
  const result = await startRegistration({ optionsJSON: JSON.parse(optionsJSON) });
  return JSON.stringify(result);
}

/** signWithPasskey lets the browser sign the server's request options with a passkey; returns the answer as JSON. */
export async function signWithPasskey(optionsJSON: string): Promise<string> {
  const result = await startAuthentication({ optionsJSON: JSON.parse(optionsJSON) });
  return JSON.stringify(result);
}

/** BrowserFailure: what the browser's part of a ceremony reported (no server call was made). */
export type BrowserFailure = "cancelled" | "registered" | "unsupported" | "other";

/**
 * browserFailure classifies an error of createPasskey/signWithPasskey; undefined
 * for errors that did not come from the browser (e.g. the server's).
 */
export function browserFailure(err: unknown): BrowserFailure | undefined {
  if (err instanceof ConnectError) return undefined;
  if (err instanceof WebAuthnError) {
    if (err.code === "ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED") return "registered";
    if (err.code === "ERROR_CEREMONY_ABORTED") return "cancelled";
    // NotAllowedError: cancelled, timed out, or no matching passkey — the
    // browser does not tell these apart (on purpose).
    if (err.name === "NotAllowedError" || err.name === "AbortError") return "cancelled";
    return "other";
  }
  if (err instanceof Error && (err.name === "NotAllowedError" || err.name === "AbortError")) return "cancelled";
  if (err instanceof Error && /not supported/i.test(err.message)) return "unsupported";
  if (err instanceof Error && err.name === "InvalidStateError") return "registered";
  return "other";
}

/**
 * passkeyErrorMessage is the sentence for a failed ceremony: the browser's
 * reasons first, then the server's passkey rules, then any other error.
 */
export function passkeyErrorMessage(err: unknown, t: TFunction): string {
  const browser = browserFailure(err);
  if (browser) return t(`passkeys.error.${browser}`);
  if (hasRule(err, passkeyRegisteredRule) || (err instanceof ConnectError && err.code === Code.AlreadyExists)) return t("passkeys.error.registered");
  if (hasRule(err, passkeyFailedRule)) return t("passkeys.error.failed");
  if (hasRule(err, methodNotAllowedRule)) return t("passkeys.error.notAllowed");
  return errorMessage(err, t);
}
