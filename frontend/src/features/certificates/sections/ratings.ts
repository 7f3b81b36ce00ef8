// Which ratings a certificate has (the same rules as the server's
// ratingsAllowed in backend/internal/certificates/validate.go): a simple
// certificate has none, Führungserfolg needs a leader (Weitere Angaben),
// the final examination belongs to an apprenticeship.
import { CertificateKind } from "../../../gen/zeugo/v1/certificates_pb.js";

/** The grades as the form keeps them: "0" is "not rated". */
export const grades = ["1", "2", "3", "4", "5"] as const;

/** The performance categories in the order of a reference. */
export const performanceCategories = [
  "willingness",
  "ability",
  "knowledge",
  "learning",
  "workingStyle",
  "results",
  "leadership",
  "exam",
] as const;

/** The conduct categories. */
export const conductCategories = ["internal", "external"] as const;

export type PerformanceCategory = (typeof performanceCategories)[number];

/** RatingRules says which ratings the form offers. */
export type RatingRules = {
  /** No ratings at all (a simple certificate states only kind and duration of the work). */
  none: boolean;
  /** Führungserfolg may be rated: the employee is marked as a leader. */
  leadership: boolean;
  /** The final examination may be rated: an apprenticeship. */
  exam: boolean;
};

/** ratingRules derives the rules from the kind and the saved leader flag. */
export function ratingRules(kind: CertificateKind, leader: boolean): RatingRules {
  if (kind === CertificateKind.SIMPLE) return { none: true, leadership: false, exam: false };
  return { none: false, leadership: leader, exam: kind === CertificateKind.APPRENTICESHIP };
}

/** categoryAllowed: whether a performance category can be rated under the rules. */
export function categoryAllowed(rules: RatingRules, category: PerformanceCategory | "overall"): boolean {
  if (rules.none) return false;
  if (category === "leadership") return rules.leadership;
  if (category === "exam") return rules.exam;
  return true;
}

/**
 * derivedOverall is the grade "aus den Einzelnoten" as the generator
 * derives it (generator.Ratings.DeriveOverall): the mean of the rated
 * performance categories without the examination, a tie (x.5) rounding to
 * the better grade; 0 when nothing is rated.
 */
export function derivedOverall(values: Record<string, string>, rules: RatingRules): number {
  const rated = performanceCategories
    .filter((c) => c !== "exam" && categoryAllowed(rules, c))
    .map((c) => Number(values[c] ?? "0"))
    .filter((g) => g >= 1 && g <= 5);
  const n = rated.length;
  if (n === 0) return 0;
  const sum = rated.reduce((a, b) => a + b, 0);
  return Math.floor((2 * sum + n - 1) / (2 * n));
}
