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
