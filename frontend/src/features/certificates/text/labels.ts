// Names and colours the text pane and the workflow share.
import type { TFunction } from "i18next";
import type { CertificateSection } from "../../../gen/zeugo/v1/certificates_pb.js";
import type { FindingKind } from "./highlight.js";

/** gradeName is the German (English) school grade; 0 reads "no grading". */
export function gradeName(t: TFunction, grade: number): string {
  const g = Math.min(Math.max(Math.round(grade), 0), 5);
  return t(`certificateText.grade.${g}`);
}

/** paragraphName names a paragraph: its heading, else what it is about. */
export function paragraphName(t: TFunction, p: { section: string; heading: string }): string {
  if (p.heading.trim() !== "") return p.heading;
  return t(`certificateText.paragraph.${p.section}`, { defaultValue: p.section });
}

/** sectionName is the name of an editor tab (a section of SPEC §5.1). */
export function sectionName(t: TFunction, section: CertificateSection): string {
  return t(`certificateText.section.${section}`, { defaultValue: String(section) });
}

/** kindColor: a coded phrase red, a grade orange, gender and tense yellow. */
export function kindColor(kind: FindingKind): string {
  switch (kind) {
    case "code":
      return "red";
    case "grade":
      return "orange";
    case "gender":
    case "tense":
      return "yellow";
    default:
      return "gray";
  }
}

/** kindName is the finding's kind as a person reads it. */
export function kindName(t: TFunction, kind: FindingKind): string {
  return t(`certificateText.check.kind.${kind}`, { defaultValue: kind });
}
