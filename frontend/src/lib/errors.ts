// ConnectError → a message a person can act on, in the user's language.
// The server's own messages are for developers and logs; the only part shown
// verbatim is the id of an internal error, so support can find the log line.
import { Code, ConnectError } from "@connectrpc/connect";
import type { TFunction } from "i18next";

/** Where an error happened, when that changes what the person should read. */
export type ErrorContext = "login" | "default";

const internalIdPattern = /internal error \(id ([A-Za-z0-9_-]+)\)/;

/** internalErrorId extracts the id from "internal error (id …)", if present. */
export function internalErrorId(err: ConnectError): string | undefined {
  return internalIdPattern.exec(err.rawMessage)?.[1];
}

/** errorMessageKey picks the i18n key (and parameters) for an error. */
export function errorMessageKey(
  err: unknown,
  context: ErrorContext = "default",
): { key: string; params?: Record<string, string> } {
  const ce = ConnectError.from(err);
  switch (ce.code) {
    case Code.Unauthenticated:
      return { key: context === "login" ? "errors.loginFailed" : "errors.sessionExpired" };
    case Code.ResourceExhausted:
      return { key: "errors.rateLimited" };
    case Code.Aborted:
      return { key: "errors.conflict" };
    case Code.NotFound:
      return { key: "errors.notFound" };
    case Code.AlreadyExists:
      return { key: "errors.alreadyExists" };
    case Code.PermissionDenied:
      return { key: "errors.permissionDenied" };
    case Code.InvalidArgument:
      return { key: "errors.invalid" };
    case Code.FailedPrecondition:
      return { key: "errors.failedPrecondition" };
    case Code.Unavailable:
      return { key: "errors.unavailable" };
    case Code.DeadlineExceeded:
      return { key: "errors.timeout" };
    case Code.Canceled:
      return { key: "errors.canceled" };
    default: {
      if (isNetworkFailure(ce)) return { key: "errors.unavailable" };
      const id = internalErrorId(ce);
      return id ? { key: "errors.internalWithId", params: { id } } : { key: "errors.internal" };
    }
  }
}

/** errorMessage is the translated message for an error. */
export function errorMessage(err: unknown, t: TFunction, context: ErrorContext = "default"): string {
  const { key, params } = errorMessageKey(err, context);
  return t(key, params ?? {});
}

/** isCode reports whether err is a ConnectError with the given code. */
export function isCode(err: unknown, code: Code): boolean {
  return err instanceof ConnectError && err.code === code;
}

/** isNetworkFailure: the request never got an answer (fetch itself failed). */
function isNetworkFailure(err: ConnectError): boolean {
  return err.code === Code.Unknown && err.cause instanceof TypeError;
}

/**
 * isUnavailable reports whether retrying may help: the server said
 * Unavailable or could not be reached at all. Queries retry only then.
 */
export function isUnavailable(err: unknown): boolean {
  const ce = ConnectError.from(err);
  return ce.code === Code.Unavailable || isNetworkFailure(ce);
}
