import { Code, ConnectError } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { shouldRetry } from "../api/query-client.js";
import { createI18n } from "../i18n/index.js";
import { errorMessage, errorMessageKey, internalErrorId, isUnavailable } from "./errors.js";

const de = createI18n("de").t;
const en = createI18n("en").t;

describe("errorMessage", () => {
  it("gives one generic login message for every Unauthenticated answer", () => {
    const err = new ConnectError("invalid credentials", Code.Unauthenticated);
    expect(errorMessage(err, de, "login")).toBe("E-Mail-Adresse oder Passwort ist falsch, oder das Konto ist gesperrt.");
    expect(errorMessage(err, en, "login")).toBe("The email address or password is wrong, or the account is locked.");
    expect(errorMessage(err, de)).toBe("Ihre Sitzung ist abgelaufen. Bitte melden Sie sich erneut an.");
  });

  it("says when the caller was rate-limited", () => {
    const err = new ConnectError("slow down", Code.ResourceExhausted);
    expect(errorMessage(err, de, "login")).toMatch(/^Zu viele Versuche/);
    expect(errorMessage(err, en)).toMatch(/^Too many attempts/);
  });

  it("explains an optimistic-concurrency conflict", () => {
    const err = new ConnectError("version mismatch", Code.Aborted);
    expect(errorMessage(err, de)).toBe("Der Eintrag wurde inzwischen von jemand anderem geändert. Bitte neu laden.");
  });

  it("maps NotFound, PermissionDenied, AlreadyExists and FailedPrecondition", () => {
    expect(errorMessage(new ConnectError("x", Code.NotFound), de)).toMatch(/nicht gefunden/);
    expect(errorMessage(new ConnectError("x", Code.PermissionDenied), de)).toMatch(/Berechtigung/);
    expect(errorMessage(new ConnectError("x", Code.AlreadyExists), de)).toMatch(/existiert bereits/);
    expect(errorMessage(new ConnectError("x", Code.FailedPrecondition), en)).toMatch(/not possible/);
  });

  it("shows the id of an internal error, never the rest of the server message", () => {
    const err = new ConnectError("internal error (id 01JD3Z6Q7K)", Code.Internal);
    expect(internalErrorId(err)).toBe("01JD3Z6Q7K");
    const text = errorMessage(err, de);
    expect(text).toContain("01JD3Z6Q7K");
    expect(text).toMatch(/^Ein unerwarteter Fehler/);
    expect(errorMessage(new ConnectError("boom: pq: relation foo", Code.Internal), de)).not.toContain("pq");
  });

  it("treats a failed fetch as the server being unreachable", () => {
    const err = ConnectError.from(new TypeError("Failed to fetch"));
    expect(errorMessageKey(err).key).toBe("errors.unavailable");
    expect(isUnavailable(err)).toBe(true);
    expect(errorMessage(new ConnectError("x", Code.Unavailable), de)).toMatch(/nicht erreichbar/);
  });

  it("accepts errors that are not ConnectErrors", () => {
    expect(errorMessageKey(new Error("plain")).key).toBe("errors.internal");
    expect(errorMessageKey("string").key).toBe("errors.internal");
  });
});

describe("shouldRetry", () => {
  it("retries only while the server is unavailable, at most five times", () => {
    const unavailable = new ConnectError("x", Code.Unavailable);
    expect(shouldRetry(0, unavailable)).toBe(true);
    expect(shouldRetry(4, unavailable)).toBe(true);
    expect(shouldRetry(5, unavailable)).toBe(false);
    for (const code of [Code.InvalidArgument, Code.NotFound, Code.Unauthenticated, Code.Internal, Code.Aborted]) {
      expect(shouldRetry(0, new ConnectError("x", code))).toBe(false);
    }
  });
});
