// connect-query hooks for OrganizationService. Mutations invalidate every
// cached query of the service, so lists and detail views refetch.
import { useMutation, useQuery } from "@connectrpc/connect-query";
import { CompanyOrder, OrganizationService, UnitKind, UnitOrder } from "../gen/zeugo/v1/organization_pb.js";
import { useInvalidateService } from "./invalidate.js";
import { usePagedQuery } from "./paging.js";

const m = OrganizationService.method;

/** useCompanyList pages through the companies, by name unless the table sorts otherwise. */
export function useCompanyList() {
  return usePagedQuery(m.listCompanies, {}, { rows: (res) => res.companies, orderBy: CompanyOrder.NAME });
}

export function useCompany(id: string | undefined) {
  return useQuery(m.getCompany, { id: id ?? "" }, { enabled: id !== undefined });
}

export function useCreateCompany() {
  const invalidate = useInvalidateService(OrganizationService);
  return useMutation(m.createCompany, { onSuccess: () => invalidate() });
}

export function useUpdateCompany() {
  const invalidate = useInvalidateService(OrganizationService);
  return useMutation(m.updateCompany, { onSuccess: () => invalidate() });
}

export function useDeleteCompany() {
  const invalidate = useInvalidateService(OrganizationService);
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
  const invalidate = useInvalidateService(OrganizationService);
  return useMutation(m.createUnit, { onSuccess: () => invalidate() });
}

export function useUpdateUnit() {
  const invalidate = useInvalidateService(OrganizationService);
  return useMutation(m.updateUnit, { onSuccess: () => invalidate() });
}

export function useDeleteUnit() {
  const invalidate = useInvalidateService(OrganizationService);
  return useMutation(m.deleteUnit, { onSuccess: (_res, req) => invalidate(req.id) });
}
