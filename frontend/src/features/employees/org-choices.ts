// The organisation rows an employee can be filed under, as Select choices:
// the first page of the largest size of each list, by name. Tenants have a
// few dozen companies and units at most.
import { useQuery } from "@connectrpc/connect-query";
import { maxPageSize } from "../../api/paging.js";
import { CompanyOrder, OrganizationService, UnitKind, UnitOrder } from "../../gen/zeugo/v1/organization_pb.js";
import { SortDirection } from "../../gen/zeugo/v1/paging_pb.js";

const m = OrganizationService.method;

/** Choice is one option of a Select. */
export type Choice = { value: string; label: string };

/** OrgChoices are the options of each organisation dimension. */
export type OrgChoices = {
  companies: Choice[];
  locations: Choice[];
  departments: Choice[];
  orgUnits: Choice[];
  employeeTypes: Choice[];
  /** names finds the name of any organisation row by id ("" if unknown). */
  name: (id: string) => string;
};

function useUnits(kind: UnitKind, enabled: boolean) {
  return useQuery(
    m.listUnits,
    {
      kind,
      page: { pageSize: maxPageSize, pageToken: "" },
      orderBy: UnitOrder.NAME,
      direction: SortDirection.ASCENDING,
    },
    { enabled },
  );
}

/**
 * useOrgChoices loads the companies and the units of every kind. Not
 * enabled, it loads nothing and offers no choices (a handover recipient's
 * page, which may not read the tenant's organisation).
 */
export function useOrgChoices(enabled = true): OrgChoices {
  const companies = useQuery(
    m.listCompanies,
    {
      page: { pageSize: maxPageSize, pageToken: "" },
      orderBy: CompanyOrder.NAME,
      direction: SortDirection.ASCENDING,
    },
    { enabled },
  );
  const locations = useUnits(UnitKind.LOCATION, enabled);
  const departments = useUnits(UnitKind.DEPARTMENT, enabled);
  const orgUnits = useUnits(UnitKind.ORG_UNIT, enabled);
  const types = useUnits(UnitKind.EMPLOYEE_TYPE, enabled);
  const units = (q: typeof locations) => (q.data?.units ?? []).map((u) => ({ value: u.id, label: u.fields?.name ?? "" }));
  const out = {
    companies: (companies.data?.companies ?? []).map((c) => ({ value: c.id, label: c.fields?.name ?? "" })),
    locations: units(locations),
    departments: units(departments),
    orgUnits: units(orgUnits),
    employeeTypes: units(types),
  };
  const byId = new Map<string, string>();
  for (const list of Object.values(out)) for (const c of list) byId.set(c.value, c.label);
  return { ...out, name: (id) => byId.get(id) ?? "" };
}
