// The document layout's form: its values (strings and numbers as the inputs
// hold them, lines as one text per block), the settings message they
// become, and the violations of a request as errors at the form's fields.
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { TFunction } from "i18next";
import {
  DocumentDateFormat,
  DocumentFont,
  SignatureArrangement,
  type DocumentLayout,
  type DocumentLayoutSettingsSchema,
} from "../../gen/zeugo/v1/layout_pb.js";
import { violationMessage, type FieldViolation } from "../../lib/validation.js";

/** Values are what the inputs hold; a cleared number input holds "". */
export type Values = {
  marginTopMm: number | string;
  marginBottomMm: number | string;
  marginLeftMm: number | string;
  marginRightMm: number | string;
  font: "serif" | "sans";
  fontSizePt: number | string;
  logoWidthMm: number | string;
  customLetterhead: boolean;
  letterheadName: string;
  /** One line per line of text. */
  letterheadLines: string;
  customFooter: boolean;
  footerLines: string;
  place: string;
  dateFormat: "long" | "numeric";
  signatureSpaceMm: number | string;
  signatureArrangement: "sideBySide" | "stacked";
  signatureFunctions: boolean;
  showHeadings: boolean;
};

/** The fields in visual order: focus goes to the first with an error. */
export const fieldOrder = [
  "marginTopMm",
  "marginBottomMm",
  "marginLeftMm",
  "marginRightMm",
  "font",
  "fontSizePt",
  "logo",
  "logoWidthMm",
  "letterheadName",
  "letterheadLines",
  "footerLines",
  "place",
  "dateFormat",
  "signatureSpaceMm",
  "signatureArrangement",
] as const;

/** The most lines a letterhead or footer has (proto: max_items 6). */
export const maxLines = 6;

/** valuesOf reads a stored layout into the form. */
export function valuesOf(layout: DocumentLayout): Values {
  const s = layout.settings;
  return {
    marginTopMm: s?.marginTopMm ?? 25,
    marginBottomMm: s?.marginBottomMm ?? 25,
    marginLeftMm: s?.marginLeftMm ?? 25,
    marginRightMm: s?.marginRightMm ?? 20,
    font: s?.font === DocumentFont.SANS ? "sans" : "serif",
    fontSizePt: s?.fontSizePt ?? 11,
    logoWidthMm: s?.logoWidthMm ?? 40,
    customLetterhead: s?.customLetterhead ?? false,
    letterheadName: s?.letterheadName ?? "",
    letterheadLines: (s?.letterheadLines ?? []).join("\n"),
    customFooter: s?.customFooter ?? false,
    footerLines: (s?.footerLines ?? []).join("\n"),
    place: s?.place ?? "",
    dateFormat: s?.dateFormat === DocumentDateFormat.NUMERIC ? "numeric" : "long",
    signatureSpaceMm: s?.signatureSpaceMm ?? 20,
    signatureArrangement: s?.signatureArrangement === SignatureArrangement.STACKED ? "stacked" : "sideBySide",
    signatureFunctions: s?.signatureFunctions ?? true,
    showHeadings: s?.showHeadings ?? false,
  };
}

/** number turns an input's value into the message's; a cleared input is 0, which every rule refuses. */
function number(v: number | string): number {
  if (typeof v === "number") return Number.isFinite(v) ? v : 0;
  const n = Number(v.replace(",", "."));
  return v.trim() === "" || !Number.isFinite(n) ? 0 : n;
}

/** linesOf splits a block into its lines, without blanks around them and without empty lines. */
export function linesOf(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== "");
}

/** settingsOf is the settings message of the form's values. */
export function settingsOf(v: Values): MessageInitShape<typeof DocumentLayoutSettingsSchema> {
  return {
    marginTopMm: number(v.marginTopMm),
    marginBottomMm: number(v.marginBottomMm),
    marginLeftMm: number(v.marginLeftMm),
    marginRightMm: number(v.marginRightMm),
    font: v.font === "sans" ? DocumentFont.SANS : DocumentFont.SERIF,
    fontSizePt: number(v.fontSizePt),
    logoWidthMm: number(v.logoWidthMm),
    customLetterhead: v.customLetterhead,
    letterheadName: v.letterheadName.trim(),
    letterheadLines: linesOf(v.letterheadLines),
    customFooter: v.customFooter,
    footerLines: linesOf(v.footerLines),
    place: v.place.trim(),
    dateFormat: v.dateFormat === "numeric" ? DocumentDateFormat.NUMERIC : DocumentDateFormat.LONG,
    signatureSpaceMm: number(v.signatureSpaceMm),
    signatureArrangement: v.signatureArrangement === "stacked" ? SignatureArrangement.STACKED : SignatureArrangement.SIDE_BY_SIDE,
    signatureFunctions: v.signatureFunctions,
    showHeadings: v.showHeadings,
  };
}

/** LayoutErrors: messages at the form's fields, and what belongs to none. */
export type LayoutErrors = { fields: Record<string, string>; other: string[] };

/**
 * layoutErrors puts violations of a request (paths "settings.marginTopMm",
 * "settings.footerLines.2", "image") at the form's fields; a line's
 * problem names the line. The first violation of a field wins.
 */
export function layoutErrors(violations: FieldViolation[], t: TFunction): LayoutErrors {
  const out: LayoutErrors = { fields: {}, other: [] };
  for (const v of violations) {
    const parts = v.field.split(".");
    if (parts[0] === "settings") parts.shift();
    let name = parts[0] ?? "";
    if (name === "image") name = "logo";
    const index = parts[1] !== undefined && /^\d+$/.test(parts[1]) ? Number(parts[1]) : undefined;
    // A line's rule is the field's rule, e.g. string.max_len of one line.
    let text = violationMessage(index !== undefined ? { ...v, field: name } : v, t);
    if (index !== undefined) text = t("layout.lineError", { line: index + 1, message: text });
    if ((fieldOrder as readonly string[]).includes(name)) {
      if (!(name in out.fields)) out.fields[name] = text;
    } else {
      out.other.push(text);
    }
  }
  return out;
}
