// The single sign-on callback sends the browser to the login page with its
// outcome in the URL fragment (never the query: a fragment is not sent to
// any server, logged or passed on as Referer): sso_error=<code> after a
// refusal, or sso_challenge=<token>&enroll=<bool> when the login continues
// with Zeugo's second factor.

/** The outcome of a single sign-on the login page shows or continues. */
const errorCodes = ["sso_failed", "sso_no_account", "sso_unavailable"] as const;
type ErrorCode = (typeof errorCodes)[number];

export type SsoOutcome = { kind: "error"; code: ErrorCode } | { kind: "challenge"; token: string; enrollmentRequired: boolean };

function isErrorCode(code: string): code is ErrorCode {
  return (errorCodes as readonly string[]).includes(code);
}

/** parseSsoFragment reads the outcome from a location hash ("#…"); undefined when there is none. */
export function parseSsoFragment(hash: string): SsoOutcome | undefined {
  const params = new URLSearchParams(hash.startsWith("#") ? hash.slice(1) : hash);
  const token = params.get("sso_challenge");
  if (token) return { kind: "challenge", token, enrollmentRequired: params.get("enroll") === "true" };
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
