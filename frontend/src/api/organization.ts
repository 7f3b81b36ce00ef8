// connect-query hooks for OrganizationService. Mutations invalidate every
// cached query of the service, so lists and detail views refetch.
import { createConnectQueryKey, useMutation, useQuery } from "@connectrpc/connect-query";
import { useQueryClient } from "@tanstack/react-query";
import { CompanyOrder, OrganizationService, UnitKind, UnitOrder } from "../gen/zeugo/v1/organization_pb.js";
import { usePagedQuery } from "./paging.js";

const m = OrganizationService.method;

/**
 * useInvalidateOrganization marks all OrganizationService queries stale. After
 * a delete, the detail query of the deleted id is left alone: refetching it
 * would only produce a NotFound while the page navigates away.
 */
function useInvalidateOrganization(): (deletedId?: string) => Promise<void> {
  const queryClient = useQueryClient();
  return (deletedId) =>
    queryClient.invalidateQueries({
      queryKey: createConnectQueryKey({ schema: OrganizationService, cardinality: undefined }),
      predicate: (query) => {
        if (deletedId === undefined) return true;
        const input = (query.queryKey[1] as { input?: { id?: unknown } } | undefined)?.input;
        return input?.id !== deletedId;
      },
    });
}

/** useCompanyList pages through the companies, by name unless the table sorts otherwise. */
export function useCompanyList() {
  return usePagedQuery(m.listCompanies, {}, { rows: (res) => res.companies, orderBy: CompanyOrder.NAME });
}

export function useCompany(id: string | undefined) {
  return useQuery(m.getCompany, { id: id ?? "" }, { enabled: id !== undefined });
}

export function useCreateCompany() {
  const invalidate = useInvalidateOrganization();
  return useMutation(m.createCompany, { onSuccess: () => invalidate() });
}

export function useUpdateCompany() {
  const invalidate = useInvalidateOrganization();
  return useMutation(m.updateCompany, { onSuccess: () => invalidate() });
}

export function useDeleteCompany() {
  const invalidate = useInvalidateOrganization();
  return useMutation(m.deleteCompany, { onSuccess: (_res, req) => invalidate(req.id) });
}

/** useUnitList pages through the units of one kind, by name unless the table sorts otherwise. */
export function useUnitList(kind: UnitKind) {
  return usePagedQuery(m.listUnits, { kind }, { rows: (res) => res.units, orderBy: UnitOrder.NAME });
}

export function useUnit(id: string | undefined) {
  return useQuery(m.getUnit, { id: id ?? "" }, { enabled: id !== undefined });
}

export function useCreateUnit() {
  const invalidate = useInvalidateOrganization();
  return useMutation(m.createUnit, { onSuccess: () => invalidate() });
}

export function useUpdateUnit() {
  const invalidate = useInvalidateOrganization();
  return useMutation(m.updateUnit, { onSuccess: () => invalidate() });
}

export function useDeleteUnit() {
  const invalidate = useInvalidateOrganization();
  return useMutation(m.deleteUnit, { onSuccess: (_res, req) => invalidate(req.id) });
}
