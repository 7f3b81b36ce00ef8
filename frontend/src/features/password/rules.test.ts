import { describe, expect, it } from "vitest";
import { meetsPolicy, passwordLength, ruleStates } from "./rules.js";

const policy = { minLength: 8, composition: true };

describe("password rules", () => {
  it("count characters like the server (NFKC code points)", () => {
    expect(passwordLength("e\u0301")).toBe(1);
    expect(passwordLength("😀😀")).toBe(2);
  });

  it("list each rule of the policy with its state", () => {
    expect(ruleStates("abc", policy)).toEqual([
      { id: "length", met: false },
      { id: "lower", met: true },
      { id: "upper", met: false },
      { id: "digit", met: false },
      { id: "special", met: false },
    ]);
    expect(meetsPolicy("Tx9#kq2Lm", policy)).toBe(true);
    expect(meetsPolicy("Ünïcødé-Päß-9", policy)).toBe(true);
  });

  it("drop the composition rules when the tenant switched them off", () => {
    expect(ruleStates("kornblumenblau", { minLength: 12, composition: false })).toEqual([{ id: "length", met: true }]);
  });
});
