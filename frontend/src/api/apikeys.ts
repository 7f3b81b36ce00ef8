// connect-query hooks for ApiKeyService. Creating or revoking a key
// invalidates every cached query of the service, so the list refetches.
import { createConnectQueryKey, useMutation, useQuery } from "@connectrpc/connect-query";
import { useQueryClient } from "@tanstack/react-query";
import { ApiKeyOrder, ApiKeyService } from "../gen/zeugo/v1/apikeys_pb.js";
import { SortDirection } from "../gen/zeugo/v1/paging_pb.js";
import { usePagedQuery } from "./paging.js";

const m = ApiKeyService.method;

function useInvalidateApiKeys(): () => Promise<void> {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: createConnectQueryKey({ schema: ApiKeyService, cardinality: undefined }) });
}

/** useApiKeyList pages through the tenant's keys, newest first unless the table sorts otherwise. */
export function useApiKeyList() {
  return usePagedQuery(m.listApiKeys, {}, { rows: (res) => res.apiKeys, orderBy: ApiKeyOrder.CREATE_TIME, direction: SortDirection.DESCENDING });
}

/** useApiKeyScopes lists what a key can be granted (derived from the server's access rules). */
export function useApiKeyScopes() {
  return useQuery(m.listApiKeyScopes, {});
}

export function useCreateApiKey() {
  const invalidate = useInvalidateApiKeys();
  return useMutation(m.createApiKey, { onSuccess: () => invalidate() });
}

export function useRevokeApiKey() {
  const invalidate = useInvalidateApiKeys();
  return useMutation(m.revokeApiKey, { onSuccess: () => invalidate() });
}
