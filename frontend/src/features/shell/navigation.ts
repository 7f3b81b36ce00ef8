// The navigation of the signed-in app as one table: each entry's path, label,
// icon and the areas of which the principal needs one (as the proto's
// access rules say for the reads behind the page). The side navigation, the
// start page and the route guard are all generated from it, so a page added
// here is shown and guarded alike. The server checks every call again.
import type { ComponentType } from "react";
import { Area } from "../../gen/zeugo/v1/access_pb.js";
import type { Principal } from "../../gen/zeugo/v1/auth_pb.js";
import { hasAnyArea } from "../../lib/access.js";
import { IconBuilding, IconCertificate, IconHierarchy, IconHome, IconId, IconKey, IconLock, IconMapPin, IconPencil, IconUsersGroup } from "../../components/icons.js";
import { IconUserCard } from "../employees/icons.js";
import { IconInbox } from "../selfservice/icons.js";
import { IconLayout } from "../layout/icons.js";
import { unitKinds, unitKindSlugs, type UnitKindSlug } from "../organization/unit-kinds.js";

/** NavEntry is one page in the navigation. */
export type NavEntry = {
  /** The page's path; its sub-paths (/new, /:id) belong to it. */
  path: string;
  /** i18n key of the label. */
  labelKey: string;
  icon: ComponentType<{ size?: number }>;
  /** One of these areas is needed (Administrator has all); empty: everyone signed in. */
  areas: readonly Area[];
  /** Active only on the exact path (the start page). */
  end?: boolean;
};

/** NavSection groups entries under an optional heading. */
export type NavSection = {
  id: string;
  /** i18n key of the heading; none for the top entries. */
  labelKey?: string;
  entries: NavEntry[];
};

/**
 * structureReadAreas may read the company structure: Unternehmen, and
 * Mitarbeiter (filing employees means picking their company and units).
 * Changes need Unternehmen (lib/access.ts canEditStructure).
 */
export const structureReadAreas: readonly Area[] = [Area.COMPANY_STRUCTURE, Area.EMPLOYEES];

const unitIcons: Record<UnitKindSlug, NavEntry["icon"]> = {
  locations: IconMapPin,
  departments: IconUsersGroup,
  "org-units": IconHierarchy,
  "employee-types": IconId,
};

/** navigation is the table; every area of SPEC §3.2 adds its section here once it is built. */
export const navigation: readonly NavSection[] = [
  { id: "main", entries: [{ path: "/", labelKey: "nav.start", icon: IconHome, areas: [], end: true }] },
  {
    id: "people",
    labelKey: "nav.people",
    entries: [
      { path: "/employees", labelKey: "nav.employees", icon: IconUserCard, areas: [Area.EMPLOYEES] },
      { path: "/certificates", labelKey: "nav.certificates", icon: IconCertificate, areas: [Area.EMPLOYEES] },
      { path: "/self-service", labelKey: "nav.selfService", icon: IconInbox, areas: [Area.SELF_SERVICE] },
    ],
  },
  {
    id: "structure",
    labelKey: "nav.companyStructure",
    entries: [
      { path: "/organisation/companies", labelKey: "nav.companies", icon: IconBuilding, areas: structureReadAreas },
      ...unitKindSlugs.map((slug) => ({
        path: `/organisation/${slug}`,
        labelKey: `nav.${unitKinds[slug].navKey}`,
        icon: unitIcons[slug],
        areas: structureReadAreas,
      })),
    ],
  },
  {
    id: "access",
    labelKey: "nav.access",
    entries: [
      // ListUsers needs Benutzer; ListRoles admits Benutzer too, but the roles page is for Rollen.
      { path: "/users", labelKey: "nav.users", icon: IconUsersGroup, areas: [Area.USERS] },
      { path: "/roles", labelKey: "nav.roles", icon: IconLock, areas: [Area.ROLES] },
    ],
  },
  {
    id: "integration",
    labelKey: "nav.integration",
    entries: [{ path: "/api-keys", labelKey: "nav.apiKeys", icon: IconKey, areas: [Area.API_KEYS] }],
  },
  {
    id: "settings",
    labelKey: "nav.settings",
    entries: [
      { path: "/settings/security", labelKey: "nav.securitySettings", icon: IconLock, areas: [Area.PRIVACY] },
      { path: "/settings/sso", labelKey: "nav.ssoSettings", icon: IconKey, areas: [Area.PRIVACY] },
      { path: "/settings/email-templates", labelKey: "nav.mailTemplates", icon: IconPencil, areas: [Area.EMAIL_TEMPLATES] },
      { path: "/settings/branding", labelKey: "nav.branding", icon: IconId, areas: [Area.BRANDING] },
      {
        path: "/settings/catalog",
        labelKey: "nav.catalog",
        icon: IconPencil,
        areas: [Area.JOB_PROFILES, Area.LETTER_TEXTS, Area.QUALIFICATIONS],
      },
      { path: "/settings/layout", labelKey: "nav.documentLayout", icon: IconLayout, areas: [Area.DOCUMENT_LAYOUT] },
    ],
  },
];

/** visibleNavigation is the table without what the principal cannot use (and without empty sections). */
export function visibleNavigation(principal: Principal, table: readonly NavSection[] = navigation): NavSection[] {
  return table
    .map((section) => ({ ...section, entries: section.entries.filter((e) => hasAnyArea(principal, e.areas)) }))
    .filter((section) => section.entries.length > 0);
}

/**
 * entryFor finds the entry a path belongs to: the entry itself or a
 * sub-path of it (/organisation/locations/new); the longest match wins.
 */
export function entryFor(pathname: string, table: readonly NavSection[] = navigation): NavEntry | undefined {
  let best: NavEntry | undefined;
  for (const entry of table.flatMap((s) => s.entries)) {
    const matches = entry.end
      ? pathname === entry.path
      : pathname === entry.path || pathname.startsWith(entry.path.endsWith("/") ? entry.path : `${entry.path}/`);
    if (matches && (!best || entry.path.length > best.path.length)) best = entry;
  }
  return best;
}

/**
 * mayOpen: whether the principal may use the page at pathname. Paths that
 * belong to no entry (the not-found page) are open to everyone signed in;
 * an area's path without the area is not.
 */
export function mayOpen(principal: Principal, pathname: string, table: readonly NavSection[] = navigation): boolean {
  const entry = entryFor(pathname, table);
  return entry === undefined || hasAnyArea(principal, entry.areas);
}
