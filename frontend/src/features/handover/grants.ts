// The rights matrix of a handover (SPEC §6): per section Lesen and
// Bearbeiten. Bearbeiten implies Lesen, so ticking it ticks Lesen and
// unticking Lesen unticks Bearbeiten. Unternehmen and Unterschriften are
// chosen from the tenant's records, which a recipient cannot browse: they
// can be granted for reading only (the server refuses the rest with
// zeugo.handover.read_only_section; the matrix does not offer it).
import type { MessageInitShape } from "@bufbuild/protobuf";
import { CertificateSection } from "../../gen/zeugo/v1/certificates_pb.js";
import type { SectionGrantSchema } from "../../gen/zeugo/v1/handover_pb.js";
import { inputSections, type SectionKey } from "../certificates/sections/mapping.js";

/** GrantKey names a section as the editor's tabs do; "result" is the text. */
export type GrantKey = SectionKey | "result";

/** The 17 sections in the editor's order: the input sections, then the text. */
export const grantSections: readonly { key: GrantKey; section: CertificateSection }[] = [
  ...inputSections,
  { key: "result", section: CertificateSection.RESULT },
];

/** Sections a recipient may read but never change. */
export const readOnlySections: ReadonlySet<CertificateSection> = new Set([CertificateSection.COMPANY, CertificateSection.SIGNATURES]);

/** Grant is one row of the matrix. */
export type Grant = { read: boolean; write: boolean };

/** Grants is the matrix, by section enum value (absent: nothing granted). */
export type Grants = Readonly<Record<number, Grant>>;

/** canGrantWrite: the section can be handed over for editing. */
export function canGrantWrite(section: CertificateSection): boolean {
  return !readOnlySections.has(section);
}

/**
 * setGrant changes one box of the matrix and keeps the rules: Bearbeiten
 * ticks Lesen, unticking Lesen unticks Bearbeiten, and a read-only section
 * never gets Bearbeiten.
 */
export function setGrant(grants: Grants, section: CertificateSection, box: "read" | "write", on: boolean): Grants {
  const now = grants[section] ?? { read: false, write: false };
  let next: Grant;
  if (box === "write") {
    if (on && !canGrantWrite(section)) return grants;
    next = on ? { read: true, write: true } : { read: now.read, write: false };
  } else {
    next = on ? { read: true, write: now.write } : { read: false, write: false };
  }
  return { ...grants, [section]: next };
}

/** toSectionGrants is the matrix as the request's list, in section order, without empty rows. */
export function toSectionGrants(grants: Grants): MessageInitShape<typeof SectionGrantSchema>[] {
  return grantSections
    .map(({ section }) => ({ section, g: grants[section] }))
    .filter(({ g }) => g !== undefined && (g.read || g.write))
    .map(({ section, g }) => ({ section, read: true, write: Boolean(g?.write) && canGrantWrite(section) }));
}

/** grantsFrom reads the granted list of a handover into a matrix. */
export function grantsFrom(list: readonly { section: CertificateSection; read: boolean; write: boolean }[]): Grants {
  const out: Record<number, Grant> = {};
  for (const g of list) out[g.section] = { read: g.read || g.write, write: g.write };
  return out;
}

/** keyOf is the tab key of a section enum value. */
export function keyOf(section: CertificateSection): GrantKey | undefined {
  return grantSections.find((s) => s.section === section)?.key;
}

/** grantIndexOf maps the request's grants[i] back to its section (violations name the index). */
export function grantIndexOf(grants: Grants, index: number): CertificateSection | undefined {
  return toSectionGrants(grants)[index]?.section;
}
