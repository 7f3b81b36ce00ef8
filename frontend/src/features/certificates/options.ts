// The enum choices and names of the certificate screens, with their i18n keys.
import type { TFunction } from "i18next";
import { CertificateKind, CertificateStatus, InterimReason } from "../../gen/zeugo/v1/certificates_pb.js";
import type { Choice } from "../employees/org-choices.js";

/** The kinds in the order the wizard offers them. */
export const kinds: readonly [CertificateKind, string][] = [
  [CertificateKind.FINAL, "final"],
  [CertificateKind.INTERIM, "interim"],
  [CertificateKind.APPRENTICESHIP, "apprenticeship"],
  [CertificateKind.SIMPLE, "simple"],
];

/** The statuses in workflow order, with the colour of their badge. */
export const statuses: readonly [CertificateStatus, string, string][] = [
  [CertificateStatus.DRAFT, "draft", "gray"],
  [CertificateStatus.IN_PROGRESS, "inProgress", "blue"],
  [CertificateStatus.REVIEW, "review", "orange"],
  [CertificateStatus.COMPLETED, "completed", "teal"],
  [CertificateStatus.ISSUED, "issued", "green"],
];

const interimReasons: readonly [InterimReason, string][] = [
  [InterimReason.UNSPECIFIED, "none"],
  [InterimReason.OWN_REQUEST, "ownRequest"],
  [InterimReason.SUPERVISOR_CHANGE, "supervisorChange"],
  [InterimReason.REORGANISATION, "reorganisation"],
  [InterimReason.TRANSFER, "transfer"],
  [InterimReason.PARENTAL_LEAVE, "parentalLeave"],
  [InterimReason.PROMOTION, "promotion"],
  [InterimReason.OTHER, "other"],
];

/** kindName is the kind as people say it ("Endzeugnis"). */
export function kindName(kind: CertificateKind, t: TFunction): string {
  const key = kinds.find(([k]) => k === kind)?.[1];
  return key ? t(`certificates.kinds.${key}`) : "–";
}

/** statusName is the workflow state as people say it ("Entwurf"). */
export function statusName(status: CertificateStatus, t: TFunction): string {
  const key = statuses.find(([s]) => s === status)?.[1];
  return key ? t(`certificates.statuses.${key}`) : "–";
}

/** statusColor is the Mantine colour of a status badge. */
export function statusColor(status: CertificateStatus): string {
  return statuses.find(([s]) => s === status)?.[2] ?? "gray";
}

export const kindChoices = (t: TFunction): Choice[] => kinds.map(([k, key]) => ({ value: String(k), label: t(`certificates.kinds.${key}`) }));
export const statusChoices = (t: TFunction): Choice[] =>
  statuses.map(([s, key]) => ({ value: String(s), label: t(`certificates.statuses.${key}`) }));
export const interimReasonChoices = (t: TFunction): Choice[] =>
  interimReasons.map(([r, key]) => ({ value: String(r), label: t(`certificates.interimReasons.${key}`) }));

/** languageName is "Deutsch" or "Englisch" in the UI language. */
export function languageName(language: string, t: TFunction): string {
  return language === "en" ? t("certificates.languages.en") : t("certificates.languages.de");
}
