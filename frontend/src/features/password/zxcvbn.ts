// The strength estimator with its dictionaries (common passwords, German
// and English words and names). It is large, so screens load this module
// with a dynamic import: it becomes a chunk of its own, fetched only where a
// password is chosen, and the main bundle stays small.
import { ZxcvbnFactory, type OptionsType } from "@zxcvbn-ts/core";
import { adjacencyGraphs, dictionary as common } from "@zxcvbn-ts/language-common";
import { dictionary as de, translations as deTranslations } from "@zxcvbn-ts/language-de";
import { dictionary as en, translations as enTranslations } from "@zxcvbn-ts/language-en";

/** Estimate is what the meter shows. */
export type Estimate = {
  /** 0 (too guessable) … 4 (very unguessable). */
  score: 0 | 1 | 2 | 3 | 4;
  /** Why the password is weak, in the language asked for; "" when none. */
  warning: string;
  suggestions: string[];
};

const dictionary = { ...common, ...de, ...en };
const factories = new Map<string, ZxcvbnFactory>();

function factory(language: string): ZxcvbnFactory {
  const lang = language === "en" ? "en" : "de";
  let f = factories.get(lang);
  if (!f) {
    const options: OptionsType = {
      dictionary,
      graphs: adjacencyGraphs,
      translations: (lang === "en" ? enTranslations : deTranslations) as OptionsType["translations"],
    };
    f = new ZxcvbnFactory(options);
    factories.set(lang, f);
  }
  return f;
}

/** estimate rates password; userInputs (names, email) count as guessable. */
export function estimate(password: string, userInputs: string[], language: string): Estimate {
  const inputs = userInputs.flatMap((s) => s.toLowerCase().split(/[\s@.+_-]+/)).filter((s) => s.length >= 3);
  const r = factory(language).check(password, inputs);
  return {
    score: r.score as Estimate["score"],
    warning: r.feedback.warning ?? "",
    suggestions: r.feedback.suggestions ?? [],
  };
}
