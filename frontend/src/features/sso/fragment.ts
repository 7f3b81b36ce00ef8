// The single sign-on callback sends the browser to the login page with its
// outcome in the URL fragment (never the query: a fragment is not sent to
// any server, logged or passed on as Referer): sso_error=<code> after a
// refusal, or sso_challenge=<challenge> when the login continues with
// Zeugo's second factor — the SecondFactorChallenge exactly as Login
// answers it, as protobuf in base64url.
import { fromBinary } from "@bufbuild/protobuf";
import { SecondFactorChallengeSchema, type SecondFactorChallenge } from "../../gen/zeugo/v1/auth_pb.js";

const errorCodes = ["sso_failed", "sso_no_account", "sso_unavailable"] as const;
type ErrorCode = (typeof errorCodes)[number];

export type SsoOutcome = { kind: "error"; code: ErrorCode } | { kind: "challenge"; challenge: SecondFactorChallenge };

function isErrorCode(code: string): code is ErrorCode {
  return (errorCodes as readonly string[]).includes(code);
}

function fromBase64Url(s: string): Uint8Array {
  const b64 = s.replace(/-/g, "+").replace(/_/g, "/");
  const bin = atob(b64 + "=".repeat((4 - (b64.length % 4)) % 4));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

/** parseSsoFragment reads the outcome from a location hash ("#…"); undefined when there is none. */
export function parseSsoFragment(hash: string): SsoOutcome | undefined {
  const params = new URLSearchParams(hash.startsWith("#") ? hash.slice(1) : hash);
  const encoded = params.get("sso_challenge");
  if (encoded) {
    try {
      const challenge = fromBinary(SecondFactorChallengeSchema, fromBase64Url(encoded));
      if (challenge.token) return { kind: "challenge", challenge };
    } catch {
      // A damaged link reads as a failed sign-in.
    }
    return { kind: "error", code: "sso_failed" };
  }
  const code = params.get("sso_error");
  if (code === null) return undefined;
  // An unknown code (a hand-made link) reads as the generic failure.
  return { kind: "error", code: isErrorCode(code) ? code : "sso_failed" };
}

/**
 * takeSsoOutcome reads the outcome from the address bar once and removes
 * it, so that a reload or the history does not keep the token.
 */
export function takeSsoOutcome(): SsoOutcome | undefined {
  if (typeof window === "undefined") return undefined;
  const outcome = parseSsoFragment(window.location.hash);
  if (outcome) window.history.replaceState(window.history.state, "", window.location.pathname + window.location.search);
  return outcome;
}
