import i18next, { type i18n as I18n } from "i18next";
import de from "./de.json";
import en from "./en.json";

/** The languages of the user interface; German first. */
export const languages = ["de", "en"] as const;
export type Language = (typeof languages)[number];

const storageKey = "zeugo.language";

export const resources = {
  de: { translation: de },
  en: { translation: en },
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
