// After a mutation, every cached query of the service is marked stale, so
// lists and detail views refetch. The key is the generated descriptor's
// (connect-query), so hooks of different files share it without sharing code.
import type { DescService } from "@bufbuild/protobuf";
import { createConnectQueryKey } from "@connectrpc/connect-query";
import { useQueryClient } from "@tanstack/react-query";

/**
 * useInvalidateService returns a function that marks all queries of the
 * service stale. After a delete, pass the gone id: the queries for it are
 * left alone (refetching them would only answer NotFound while the page
 * closes or navigates away).
 */
export function useInvalidateService(service: DescService): (goneId?: string) => Promise<void> {
  const queryClient = useQueryClient();
  return (goneId) =>
    queryClient.invalidateQueries({
      queryKey: createConnectQueryKey({ schema: service, cardinality: undefined }),
      predicate: (query) => {
        if (goneId === undefined) return true;
        const input = (query.queryKey[1] as { input?: { id?: unknown } } | undefined)?.input;
        return input?.id !== goneId;
      },
    });
}
