// Calls of the employee import wizard: the preview is an ordinary unary
// mutation; the commit is a server stream (progress, then the result), read
// with a plain client over the app's transport.
import { createClient } from "@connectrpc/connect";
import { createConnectQueryKey, useMutation, useTransport } from "@connectrpc/connect-query";
import { useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";
import {
  EmployeeService,
  type CommitEmployeeImportRequest,
  type ImportResult,
} from "../gen/zeugo/v1/employees_pb.js";
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { CommitEmployeeImportRequestSchema } from "../gen/zeugo/v1/employees_pb.js";

/** usePreviewImport reads and checks a file on the server; it stores nothing. */
export function usePreviewImport() {
  return useMutation(EmployeeService.method.previewEmployeeImport);
}

export type CommitProgress = { done: number; total: number };

/**
 * useCommitImport returns a function that stores a file's employees,
 * reporting the server's progress, and resolves with the result. Every
 * cached EmployeeService query is invalidated afterwards (and on failure,
 * which stores nothing, left alone).
 */
export function useCommitImport(): (
  req: MessageInitShape<typeof CommitEmployeeImportRequestSchema>,
  onProgress: (p: CommitProgress) => void,
  signal?: AbortSignal,
) => Promise<ImportResult> {
  const transport = useTransport();
  const queryClient = useQueryClient();
  return useCallback(
    async (req, onProgress, signal) => {
      const client = createClient(EmployeeService, transport);
      let result: ImportResult | undefined;
      for await (const res of client.commitEmployeeImport(req as CommitEmployeeImportRequest, { signal })) {
        if (res.event.case === "progress") onProgress({ done: res.event.value.done, total: res.event.value.total });
        if (res.event.case === "result") result = res.event.value;
      }
      if (!result) throw new Error("the import ended without a result");
      await queryClient.invalidateQueries({
        queryKey: createConnectQueryKey({ schema: EmployeeService, cardinality: undefined }),
      });
      return result;
    },
    [transport, queryClient],
  );
}
