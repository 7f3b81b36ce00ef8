// The 15 areas of SPEC §3.2 in their order, each with its i18n key below
// "roles.areas." (name and a one-line explanation).
import { Area } from "../../gen/zeugo/v1/access_pb.js";

export type AreaInfo = { area: Area; key: string };

export const areaInfos: readonly AreaInfo[] = [
  { area: Area.ADMINISTRATOR, key: "administrator" },
  { area: Area.EMPLOYEES, key: "employees" },
  { area: Area.COMPANY_STRUCTURE, key: "companyStructure" },
  { area: Area.USERS, key: "users" },
  { area: Area.ROLES, key: "roles" },
  { area: Area.JOB_PROFILES, key: "jobProfiles" },
  { area: Area.DOCUMENT_LAYOUT, key: "documentLayout" },
  { area: Area.LETTER_TEXTS, key: "letterTexts" },
  { area: Area.EMAIL_TEMPLATES, key: "emailTemplates" },
  { area: Area.QUALIFICATIONS, key: "qualifications" },
  { area: Area.SELF_SERVICE, key: "selfService" },
  { area: Area.BRANDING, key: "branding" },
  { area: Area.PRIVACY, key: "privacy" },
  { area: Area.API_KEYS, key: "apiKeys" },
  { area: Area.ACCOUNT, key: "account" },
];

/** areaKey is the i18n key of an area ("" for unknown values). */
export function areaKey(area: Area): string {
  return areaInfos.find((a) => a.area === area)?.key ?? "";
}

/**
 * toggleArea is what a click on an area's checkbox does. Administrator
 * grants every area, so checking it leaves it alone in the set (the others
 * would say nothing more), and the other boxes are locked while it is set.
 * The result is in the order of SPEC §3.2.
 */
export function toggleArea(current: readonly Area[], area: Area, checked: boolean): Area[] {
  if (area === Area.ADMINISTRATOR) return checked ? [Area.ADMINISTRATOR] : [];
  if (current.includes(Area.ADMINISTRATOR)) return [...current];
  const next = new Set(current);
  if (checked) next.add(area);
  else next.delete(area);
  return areaInfos.map((a) => a.area).filter((a) => next.has(a));
}
