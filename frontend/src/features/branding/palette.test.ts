import { describe, expect, it } from "vitest";
import { accentShades, accentVariables, contrastWithWhite, isHexColor, minContrast } from "./palette.js";

describe("accent palette", () => {
  it("measures contrast as WCAG does", () => {
    expect(contrastWithWhite("#000000")).toBeCloseTo(21, 1);
    expect(contrastWithWhite("#ffffff")).toBeCloseTo(1, 5);
    // The darkest grey that passes AA, and the next one that does not.
    expect(contrastWithWhite("#767676")).toBeGreaterThanOrEqual(minContrast);
    expect(contrastWithWhite("#777777")).toBeLessThan(minContrast);
  });

  it("keeps the accent as shade 7, lighter before, darker after", () => {
    const s = accentShades("#8C1B5A");
    expect(s).toHaveLength(10);
    expect(s[7]).toBe("#8c1b5a");
    for (let i = 0; i < 9; i++) expect(contrastWithWhite(s[i]!)).toBeLessThan(contrastWithWhite(s[i + 1]!));
    expect(s.every(isHexColor)).toBe(true);
  });

  it("replaces the theme colour and the primary colour", () => {
    const v = accentVariables("#005177");
    expect(v["--mantine-color-zeugo-7"]).toBe("#005177");
    expect(v["--mantine-primary-color-7"]).toBe("#005177");
    expect(Object.keys(v)).toHaveLength(20);
  });
});
