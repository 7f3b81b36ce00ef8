// connect-query hooks for CertificateService (the list, the wizard and the
// editor's sections). Mutations invalidate every cached query of the
// service, so the list, the editor and its history refetch. Retrying is
// the query client's (only after Unavailable).
import type { MessageInitShape } from "@bufbuild/protobuf";
import { useMutation, useQuery } from "@connectrpc/connect-query";
import {
  CertificateOrder,
  CertificateService,
  type CertificateFilterSchema,
} from "../gen/zeugo/v1/certificates_pb.js";
import { SortDirection } from "../gen/zeugo/v1/paging_pb.js";
import { useInvalidateService } from "./invalidate.js";
import { usePagedQuery } from "./paging.js";

const m = CertificateService.method;

/** CertificateListFilter is the list's filter without the search (the hook owns that). */
export type CertificateListFilter = Omit<MessageInitShape<typeof CertificateFilterSchema>, "search" | "$typeName">;

/**
 * useCertificateList pages through the certificates matching filter, last
 * changed first unless the list sorts otherwise; the search (employee name
 * or personnel number) goes into filter.search.
 */
export function useCertificateList(filter: CertificateListFilter) {
  return usePagedQuery(
    m.listCertificates,
    { filter },
    {
      rows: (res) => res.certificates,
      orderBy: CertificateOrder.UPDATE_TIME,
      direction: SortDirection.DESCENDING,
      orderField: "order",
      searchInput: (search) => ({ filter: { ...filter, search } }),
    },
  );
}

/** useCertificate loads one certificate with every section the caller may read. */
export function useCertificate(id: string | undefined) {
  return useQuery(m.getCertificate, { id: id ?? "" }, { enabled: id !== undefined && id !== "" });
}

/** useCertificateCatalog loads the job profiles and attributes in one language. */
export function useCertificateCatalog(language: string) {
  return useQuery(m.getCertificateCatalog, { language: language === "en" ? "en" : "de" }, { staleTime: 10 * 60_000 });
}

export function useCreateCertificate() {
  const invalidate = useInvalidateService(CertificateService);
  return useMutation(m.createCertificate, { onSuccess: () => invalidate() });
}

export function useUpdateCertificateSection() {
  const invalidate = useInvalidateService(CertificateService);
  // The promise is returned, so mutateAsync resolves after the editor's
  // certificate has been refetched with the section's new version.
  return useMutation(m.updateCertificateSection, { onSuccess: () => invalidate() });
}

/** useDeleteCertificate removes a certificate (its own queries are left alone). */
export function useDeleteCertificate() {
  const invalidate = useInvalidateService(CertificateService);
  return useMutation(m.deleteCertificate, { onSuccess: (_res, req) => invalidate(req.id) });
}
