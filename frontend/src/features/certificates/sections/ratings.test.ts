import { describe, expect, it } from "vitest";
import { CertificateKind } from "../../../gen/zeugo/v1/certificates_pb.js";
import { categoryAllowed, derivedOverall, performanceCategories, ratingRules } from "./ratings.js";

describe("ratingRules", () => {
  it("offers Führungserfolg only to leaders and the examination only in an apprenticeship", () => {
    const final = ratingRules(CertificateKind.FINAL, false);
    expect(performanceCategories.filter((c) => categoryAllowed(final, c))).toEqual([
      "willingness",
      "ability",
      "knowledge",
      "learning",
      "workingStyle",
      "results",
    ]);
    expect(categoryAllowed(ratingRules(CertificateKind.INTERIM, true), "leadership")).toBe(true);
    expect(categoryAllowed(ratingRules(CertificateKind.INTERIM, true), "exam")).toBe(false);
    const apprentice = ratingRules(CertificateKind.APPRENTICESHIP, false);
    expect(categoryAllowed(apprentice, "exam")).toBe(true);
    expect(categoryAllowed(apprentice, "leadership")).toBe(false);
  });

  it("gives a simple certificate no ratings at all, not even the overall grade", () => {
    const simple = ratingRules(CertificateKind.SIMPLE, true);
    expect(simple.none).toBe(true);
    expect([...performanceCategories, "overall" as const].some((c) => categoryAllowed(simple, c))).toBe(false);
  });
});

describe("derivedOverall", () => {
  const rules = ratingRules(CertificateKind.APPRENTICESHIP, false);
  it("is 0 without any grade", () => {
    expect(derivedOverall({ willingness: "0" }, rules)).toBe(0);
  });
  it("rounds a tie to the better grade, as the generator does", () => {
    expect(derivedOverall({ willingness: "1", results: "2" }, rules)).toBe(1);
    expect(derivedOverall({ willingness: "2", results: "3", ability: "3" }, rules)).toBe(3);
    expect(derivedOverall({ willingness: "2", results: "3", ability: "2" }, rules)).toBe(2);
  });
  it("leaves out the examination and categories the rules do not offer", () => {
    expect(derivedOverall({ willingness: "1", exam: "5" }, rules)).toBe(1);
    expect(derivedOverall({ willingness: "1", leadership: "5" }, rules)).toBe(1);
    expect(derivedOverall({ willingness: "1", leadership: "5" }, ratingRules(CertificateKind.FINAL, true))).toBe(3);
  });
});
