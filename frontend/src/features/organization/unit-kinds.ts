import { UnitKind } from "../../gen/zeugo/v1/organization_pb.js";

/** The URL slugs of the four unit lists, in navigation order. */
export const unitKindSlugs = ["locations", "departments", "org-units", "employee-types"] as const;
export type UnitKindSlug = (typeof unitKindSlugs)[number];

/** UnitKindInfo ties a slug to its proto enum and its i18n keys. */
export type UnitKindInfo = {
  slug: UnitKindSlug;
  kind: UnitKind;
  /** Key below "unit.kinds." in the i18n files. */
  textKey: "location" | "department" | "orgUnit" | "employeeType";
  /** Key below "nav." for the navigation label. */
  navKey: "locations" | "departments" | "orgUnits" | "employeeTypes";
};

export const unitKinds: Record<UnitKindSlug, UnitKindInfo> = {
  locations: { slug: "locations", kind: UnitKind.LOCATION, textKey: "location", navKey: "locations" },
  departments: { slug: "departments", kind: UnitKind.DEPARTMENT, textKey: "department", navKey: "departments" },
  "org-units": { slug: "org-units", kind: UnitKind.ORG_UNIT, textKey: "orgUnit", navKey: "orgUnits" },
  "employee-types": {
    slug: "employee-types",
    kind: UnitKind.EMPLOYEE_TYPE,
    textKey: "employeeType",
    navKey: "employeeTypes",
  },
};
