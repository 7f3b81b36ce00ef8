// The tenant's password rules, checked as the person types — the same
// rules the server enforces (package password): length in Unicode code
// points of the NFKC form, and with the composition rule a lower-case and
// an upper-case letter, a digit and a character that is neither.

/** Policy mirrors zeugo.v1.PasswordPolicy. */
export type Policy = { minLength: number; composition: boolean };

/** The server's byte limit (any Unicode, at least 64 characters fit). */
export const maxPasswordBytes = 1024;

export type RuleId = "length" | "lower" | "upper" | "digit" | "special";

export type RuleState = { id: RuleId; met: boolean };

/** passwordLength counts characters as the server does. */
export function passwordLength(password: string): number {
  return [...password.normalize("NFKC")].length;
}

/** ruleStates lists the rules of policy and whether password meets each. */
export function ruleStates(password: string, policy: Policy): RuleState[] {
  const n = password.normalize("NFKC");
  const out: RuleState[] = [{ id: "length", met: passwordLength(n) >= policy.minLength }];
  if (policy.composition) {
    out.push(
      { id: "lower", met: /\p{Ll}/u.test(n) },
      { id: "upper", met: /\p{Lu}/u.test(n) },
      { id: "digit", met: /\p{Nd}/u.test(n) },
      { id: "special", met: /[^\p{L}\p{N}]/u.test(n) },
    );
  }
  return out;
}

/** meetsPolicy: every rule is met. */
export function meetsPolicy(password: string, policy: Policy): boolean {
  return ruleStates(password, policy).every((r) => r.met);
}
