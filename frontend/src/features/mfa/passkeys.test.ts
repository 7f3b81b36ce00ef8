import { Code, ConnectError } from "@connectrpc/connect";
import { WebAuthnError } from "@simplewebauthn/browser";
import { describe, expect, it } from "vitest";
import { createI18n } from "../../i18n/index.js";
import { violation } from "../../test/fake-mfa.js";
import { browserFailure, passkeyErrorMessage } from "./passkeys.js";

const t = createI18n("de").t;

function browserError(name: string, code: ConstructorParameters<typeof WebAuthnError>[0]["code"]): WebAuthnError {
  const cause = new Error(name);
  cause.name = name;
  return new WebAuthnError({ message: name, code, cause });
}

describe("passkey failures", () => {
  it("tell the browser's reasons apart from the server's", () => {
    expect(browserFailure(browserError("NotAllowedError", "ERROR_PASSTHROUGH_SEE_CAUSE_PROPERTY"))).toBe("cancelled");
    expect(browserFailure(browserError("AbortError", "ERROR_CEREMONY_ABORTED"))).toBe("cancelled");
    expect(browserFailure(browserError("InvalidStateError", "ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED"))).toBe("registered");
    expect(browserFailure(browserError("SecurityError", "ERROR_INVALID_DOMAIN"))).toBe("other");
    expect(browserFailure(new Error("WebAuthn is not supported in this browser"))).toBe("unsupported");
    expect(browserFailure(new ConnectError("x", Code.InvalidArgument))).toBeUndefined();
  });

  it("become sentences: the browser's, the server's passkey rules, then any other error", () => {
    expect(passkeyErrorMessage(browserError("NotAllowedError", "ERROR_PASSTHROUGH_SEE_CAUSE_PROPERTY"), t)).toMatch(/abgebrochen/);
    expect(passkeyErrorMessage(violation(Code.AlreadyExists, "credential", "zeugo.mfa.webauthn_registered"), t)).toBe(
      "Dieser Passkey oder Sicherheitsschlüssel ist bereits registriert.",
    );
    expect(passkeyErrorMessage(violation(Code.InvalidArgument, "credential", "zeugo.mfa.webauthn_failed"), t)).toMatch(/konnte nicht bestätigt werden/);
    expect(passkeyErrorMessage(violation(Code.FailedPrecondition, "", "zeugo.mfa.method_not_allowed"), t)).toBe(
      "Ihre Organisation erlaubt diese Art von zweitem Faktor nicht.",
    );
    expect(passkeyErrorMessage(new ConnectError("slow down", Code.ResourceExhausted), t)).toBe(t("errors.rateLimited"));
  });
});
