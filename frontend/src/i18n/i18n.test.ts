import { describe, expect, it } from "vitest";
import { createI18n, isLanguage, translations } from "./index.js";

const { de, en } = translations;

function keys(value: unknown, prefix = ""): string[] {
  if (typeof value !== "object" || value === null) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1] ?? "").sort();
}

describe("translations", () => {
  it("German and English have the same keys", () => {
    expect(keys(en).sort()).toEqual(keys(de).sort());
  });

  it("use the same placeholders in both languages", () => {
    const i18nDe = createI18n("de");
    const i18nEn = createI18n("en");
    for (const key of keys(de)) {
      const a = i18nDe.getResource("de", "translation", key) as string;
      const b = i18nEn.getResource("en", "translation", key) as string;
      expect(placeholders(b), key).toEqual(placeholders(a));
    }
  });

  it("default to German and know only de and en", () => {
    expect(createI18n().language).toBe("de");
    expect(isLanguage("en")).toBe(true);
    expect(isLanguage("fr")).toBe(false);
  });
});
