// The text as the editor holds it while it is being changed: one entry per
// paragraph, the list items as lines of one field, so a paragraph is two
// text areas at most.
import { CertificateSection, type Certificate, type ResultParagraph, type SectionInfo } from "../../../gen/zeugo/v1/certificates_pb.js";
import type { ParagraphInit } from "../../../api/certificate-workflow.js";

/** DraftParagraph is one paragraph being edited. */
export type DraftParagraph = {
  section: string;
  heading: string;
  text: string;
  /** The list items, one per line; "" without a list. */
  items: string;
  /** The paragraph had a list when it was loaded (it keeps its list field). */
  hasItems: boolean;
  /** The text as last generated (to show and to reset to). */
  generatedText: string;
  /** The server found the saved paragraph edited by hand. */
  savedEdited: boolean;
};

/** draftOf turns the saved paragraphs into the editor's state. */
export function draftOf(paragraphs: readonly ResultParagraph[]): DraftParagraph[] {
  return paragraphs.map((p) => ({
    section: p.section,
    heading: p.heading,
    text: p.text,
    items: p.items.join("\n"),
    hasItems: p.items.length > 0,
    generatedText: p.generatedText,
    savedEdited: p.edited,
  }));
}

/** itemsOf splits the list field into entries; blank lines are no entries. */
export function itemsOf(lines: string): string[] {
  return lines
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "");
}

/** paragraphsOf is the draft as sent to the checker and saved. */
export function paragraphsOf(draft: readonly DraftParagraph[]): ParagraphInit[] {
  return draft.map((d) => ({ section: d.section, heading: d.heading, text: d.text.trim(), items: itemsOf(d.items) }));
}

/** sameText: the draft says what the saved paragraphs say (nothing to save). */
export function sameText(draft: readonly DraftParagraph[], saved: readonly ResultParagraph[]): boolean {
  if (draft.length !== saved.length) return false;
  const now = paragraphsOf(draft);
  return now.every((p, i) => {
    const s = saved[i];
    if (!s) return false;
    const items = p.items ?? [];
    return p.text === s.text && items.length === s.items.length && items.every((it, j) => it === s.items[j]);
  });
}

/**
 * isEdited: the paragraph differs from what was generated. The generated
 * list items are not sent back, so a list counts as edited when it changed
 * here, or when the server said so for a paragraph whose text is as
 * generated (then it was the list).
 */
export function isEdited(d: DraftParagraph, saved: ResultParagraph | undefined): boolean {
  if (d.text.trim() !== d.generatedText) return true;
  if (saved === undefined) return false;
  if (itemsOf(d.items).join("\n") !== saved.items.join("\n")) return true;
  return d.savedEdited && saved.text === d.generatedText;
}

/** resultInfo is the result section's version and last save. */
export function resultInfo(certificate: Certificate): SectionInfo | undefined {
  return certificate.sections.find((s) => s.section === CertificateSection.RESULT);
}
