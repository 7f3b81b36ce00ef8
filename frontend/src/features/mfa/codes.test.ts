import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { createI18n } from "../../i18n/index.js";
import { violation } from "../../test/fake-mfa.js";
import { codeMessage, groupSecret, hasRule, recoveryCodeInput, recoveryCodesFile, stepUpFresh, stepUpRequiredRule, totpDigits } from "./codes.js";

const t = createI18n("de").t;

describe("second-factor codes", () => {
  it("show a secret in groups of four, whatever its padding or case", () => {
    expect(groupSecret("jbswy3dpehpk3pxp")).toBe("JBSW Y3DP EHPK 3PXP");
    expect(groupSecret("JBSWY3DPEHPK3PXPJB======")).toBe("JBSW Y3DP EHPK 3PXP JB");
    expect(groupSecret("")).toBe("");
  });

  it("keep six digits of a typed or pasted app code", () => {
    expect(totpDigits("123 456")).toBe("123456");
    expect(totpDigits("12-34-56-78")).toBe("123456");
    expect(totpDigits("abc")).toBe("");
  });

  it("tidy a recovery code without changing its characters", () => {
    expect(recoveryCodeInput("  abcd efgh\tjklm-npqr ")).toBe("ABCD-EFGH-JKLM-NPQR");
    expect(recoveryCodeInput("ABCD-EFGH-JKLM-NPQR")).toBe("ABCD-EFGH-JKLM-NPQR");
  });

  it("count a step-up only while it is valid for a few more seconds", () => {
    const now = Date.UTC(2026, 10, 28, 6, 0);
    expect(stepUpFresh(undefined, now)).toBe(false);
    expect(stepUpFresh(timestampFromMs(now + 60_000), now)).toBe(true);
    expect(stepUpFresh(timestampFromMs(now + 2_000), now)).toBe(false);
    expect(stepUpFresh(timestampFromMs(now - 1), now)).toBe(false);
  });

  it("find a refusal's rule among the server's violations", () => {
    expect(hasRule(violation(Code.FailedPrecondition, "", stepUpRequiredRule), stepUpRequiredRule)).toBe(true);
    expect(hasRule(new ConnectError("zeugo.mfa.step_up_required", Code.FailedPrecondition), stepUpRequiredRule)).toBe(false);
    expect(hasRule(new Error(stepUpRequiredRule), stepUpRequiredRule)).toBe(false);
  });

  it("say a wrong code is wrong and a malformed one malformed, at its field", () => {
    expect(codeMessage({ field: "totpCode", ruleId: "zeugo.mfa.code_wrong", message: "" }, t)).toMatch(/nicht richtig/);
    expect(codeMessage({ field: "totpCode", ruleId: "string.pattern", message: "" }, t)).toMatch(/sechs Ziffern/);
    expect(codeMessage({ field: "recoveryCode", ruleId: "zeugo.mfa.code_wrong", message: "" }, t)).toMatch(/schon verwendet/);
    expect(codeMessage({ field: "recoveryCode", ruleId: "string.pattern", message: "" }, t)).toMatch(/24 Zeichen/);
    expect(codeMessage({ field: "password", ruleId: "password.current_wrong", message: "" }, t)).toBe("Das Passwort ist nicht richtig.");
    expect(codeMessage({ field: "password", ruleId: "zeugo.mfa.factor_needed", message: "" }, t)).toMatch(/Code Ihrer Authenticator-App/);
  });

  it("write the downloaded file with whose codes they are, one per line", () => {
    const text = recoveryCodesFile(["AAAA-BBBB-CCCC-DDDD", "EEEE-FFFF-GGGG-HHHH"], t, { email: "erika@muster.example", tenant: "Muster GmbH", date: "28.11.2026, 07:00" });
    const lines = text.split("\r\n");
    expect(lines[0]).toBe("Zeugo – Wiederherstellungscodes");
    expect(lines[1]).toBe("erika@muster.example · Muster GmbH");
    expect(lines).toContain("Erzeugt am 28.11.2026, 07:00");
    expect(lines).toContain("AAAA-BBBB-CCCC-DDDD");
    expect(lines).toContain("EEEE-FFFF-GGGG-HHHH");
  });
});
