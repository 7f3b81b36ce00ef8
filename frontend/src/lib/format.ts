// Dates as people read them in the UI language.
import { timestampDate, type Timestamp } from "@bufbuild/protobuf/wkt";

/** formatDateTime shows a protobuf timestamp in the UI language. */
export function formatDateTime(ts: Timestamp | undefined, language: string): string {
  if (!ts) return "";
  return new Intl.DateTimeFormat(language === "en" ? "en-GB" : "de-DE", {
    dateStyle: "medium",
    timeStyle: "short",
  }).format(timestampDate(ts));
}

/** formatNumber groups digits as the UI language does: 5.000 in German, 5,000 in English. */
export function formatNumber(n: number, language: string): string {
  return new Intl.NumberFormat(language === "en" ? "en-GB" : "de-DE").format(n);
}
