// connect-query hooks for DocumentLayoutService (area Zeugnisformatierung).
import { createConnectQueryKey, useMutation, useQuery } from "@connectrpc/connect-query";
import { useQueryClient } from "@tanstack/react-query";
import type { MessageInitShape } from "@bufbuild/protobuf";
import { DocumentLayoutService, type PreviewDocumentLayoutRequestSchema } from "../gen/zeugo/v1/layout_pb.js";

const m = DocumentLayoutService.method;

export function useDocumentLayout(companyId: string | undefined) {
  return useQuery(m.getDocumentLayout, { companyId: companyId ?? "" }, { enabled: !!companyId });
}

function useInvalidateLayout() {
  const queryClient = useQueryClient();
  return () =>
    queryClient.invalidateQueries({ queryKey: createConnectQueryKey({ schema: DocumentLayoutService, cardinality: undefined }) });
}

export function useUpdateDocumentLayout() {
  return useMutation(m.updateDocumentLayout, { onSuccess: useInvalidateLayout() });
}

export function useSetDocumentLayoutLogo() {
  return useMutation(m.setDocumentLayoutLogo, { onSuccess: useInvalidateLayout() });
}

export function useRemoveDocumentLayoutLogo() {
  return useMutation(m.removeDocumentLayoutLogo, { onSuccess: useInvalidateLayout() });
}

export function useResetDocumentLayout() {
  return useMutation(m.resetDocumentLayout, { onSuccess: useInvalidateLayout() });
}

/** usePreviewDocumentLayout prints the (debounced) settings; undefined: nothing to print. */
export function usePreviewDocumentLayout(input: MessageInitShape<typeof PreviewDocumentLayoutRequestSchema> | undefined) {
  return useQuery(m.previewDocumentLayout, input ?? {}, { enabled: input !== undefined, retry: false, placeholderData: (prev) => prev });
}
