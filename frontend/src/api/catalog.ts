// connect-query hooks for CatalogService (areas Berufsbilder, Brieftexte,
// Qualifikationen). Every change invalidates the catalogue and its history;
// the certificate editor's pickers read the catalogue through
// GetCertificateCatalog, so that is invalidated too.
import { createConnectQueryKey, useMutation, useQuery, useTransport } from "@connectrpc/connect-query";
import { useInfiniteQuery, useQueryClient } from "@tanstack/react-query";
import { createClient } from "@connectrpc/connect";
import { CatalogService } from "../gen/zeugo/v1/catalog_pb.js";
import { CertificateService } from "../gen/zeugo/v1/certificates_pb.js";

const m = CatalogService.method;

export function useCatalog() {
  return useQuery(m.getCatalog, {});
}

function useInvalidateCatalog() {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: createConnectQueryKey({ schema: CatalogService, cardinality: undefined }) }),
      queryClient.invalidateQueries({ queryKey: ["catalog-versions"] }),
      queryClient.invalidateQueries({
        queryKey: createConnectQueryKey({ schema: CertificateService.method.getCertificateCatalog, cardinality: undefined }),
      }),
    ]);
}

export function useUpdateJobProfile() {
  const invalidate = useInvalidateCatalog();
  return useMutation(m.updateJobProfile, { onSuccess: invalidate });
}

export function useUpdateAttribute() {
  const invalidate = useInvalidateCatalog();
  return useMutation(m.updateAttribute, { onSuccess: invalidate });
}

export function useUpdateLetterText() {
  const invalidate = useInvalidateCatalog();
  return useMutation(m.updateLetterText, { onSuccess: invalidate });
}

export function useHideCatalogEntry() {
  const invalidate = useInvalidateCatalog();
  return useMutation(m.hideCatalogEntry, { onSuccess: invalidate });
}

export function useResetCatalogEntry() {
  const invalidate = useInvalidateCatalog();
  return useMutation(m.resetCatalogEntry, { onSuccess: invalidate });
}

export function useImportCatalog() {
  const invalidate = useInvalidateCatalog();
  return useMutation(m.importCatalog, { onSuccess: invalidate });
}

/** useExportCatalog fetches the export on demand (it is an audited read). */
export function useExportCatalog() {
  return useMutation(m.exportCatalog);
}

/** useCatalogVersions pages through the history, newest first. */
export function useCatalogVersions() {
  const transport = useTransport();
  return useInfiniteQuery({
    queryKey: ["catalog-versions"],
    initialPageParam: 0n,
    queryFn: ({ pageParam }) => createClient(CatalogService, transport).listCatalogVersions({ beforeVersion: pageParam, pageSize: 50 }),
    getNextPageParam: (last) => (last.nextBeforeVersion > 0n ? last.nextBeforeVersion : undefined),
  });
}
