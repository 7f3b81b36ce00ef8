import i18next, { type i18n as I18n } from "i18next";
import de from "./de.json";
import en from "./en.json";

/** The languages of the user interface; German first. */
export const languages = ["de", "en"] as const;
export type Language = (typeof languages)[number];

const storageKey = "zeugo.language";

type Tree = { [key: string]: string | Tree };

/**
 * Each feature keeps its texts beside the shared ones, in
 * `parts/<feature>.de.json` and `parts/<feature>.en.json`, so that features
 * never edit the same file. A part's keys are merged into the translation
 * (a part may add keys under an existing top-level key, never replace one).
 */
const parts = import.meta.glob<Tree>("./parts/*.json", { eager: true, import: "default" });

function merge(into: Tree, from: Tree, path: string): Tree {
  const out: Tree = { ...into };
  for (const [key, value] of Object.entries(from)) {
    const existing = out[key];
    if (existing === undefined) {
      out[key] = value;
    } else if (typeof existing === "object" && typeof value === "object") {
      out[key] = merge(existing, value, `${path}${key}.`);
    } else {
      throw new Error(`i18n: key ${path}${key} is defined twice`);
    }
  }
  return out;
}

/** translationOf merges the shared texts of a language with every part of it. */
function translationOf(language: string, base: Tree): Tree {
  return Object.entries(parts)
    .filter(([file]) => file.endsWith(`.${language}.json`))
    .sort(([a], [b]) => a.localeCompare(b))
    .reduce((acc, [, part]) => merge(acc, part, ""), base);
}

/** The complete texts of each language (shared + feature parts). */
export const translations = {
  de: translationOf("de", de as Tree),
  en: translationOf("en", en as Tree),
};

export const resources = {
  de: { translation: translations.de },
  en: { translation: translations.en },
} as const;

/** isLanguage narrows a string to a supported language. */
export function isLanguage(value: unknown): value is Language {
  return typeof value === "string" && (languages as readonly string[]).includes(value);
}

/**
 * createI18n returns an initialised i18next instance with both languages
 * loaded synchronously (the resources are bundled; no network requests).
 */
export function createI18n(language: Language = "de"): I18n {
  const instance = i18next.createInstance();
  void instance.init({
    resources,
    lng: language,
    fallbackLng: "de",
    supportedLngs: [...languages],
    initAsync: false,
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  return instance;
}

/** storedLanguage reads the language the user chose last time (not sensitive). */
export function storedLanguage(): Language {
  try {
    const value = window.localStorage.getItem(storageKey);
    if (isLanguage(value)) return value;
  } catch {
    // Storage may be disabled; German is the default.
  }
  return "de";
}

/** rememberLanguage stores the choice and sets <html lang> for assistive technology. */
export function rememberLanguage(language: Language): void {
  document.documentElement.lang = language;
  try {
    window.localStorage.setItem(storageKey, language);
  } catch {
    // Not fatal: the choice just is not remembered.
  }
}
