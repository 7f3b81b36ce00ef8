// connect-query hooks for EmployeeService. Mutations invalidate every cached
// query of the service, so the list and the detail refetch. The export is a
// server stream: its chunks are collected and saved as one file download.
import type { MessageInitShape } from "@bufbuild/protobuf";
import { createClient, type Transport } from "@connectrpc/connect";
import { useMutation, useQuery, useTransport } from "@connectrpc/connect-query";
import { useCallback } from "react";
import {
  EmployeeOrder,
  EmployeeService,
  ExportFormat,
  type EmployeeFilterSchema,
} from "../gen/zeugo/v1/employees_pb.js";
import { SortDirection } from "../gen/zeugo/v1/paging_pb.js";
import { useInvalidateService } from "./invalidate.js";
import { usePagedQuery } from "./paging.js";

const m = EmployeeService.method;

/** EmployeeListFilter is the list's filter without the search (the hook owns that). */
export type EmployeeListFilter = Omit<MessageInitShape<typeof EmployeeFilterSchema>, "query" | "$typeName">;

/**
 * useEmployeeList pages through the employees matching filter (last changed
 * first unless the table sorts otherwise); the search goes into
 * filter.query. A changed filter starts again at page one.
 */
export function useEmployeeList(filter: EmployeeListFilter) {
  return usePagedQuery(
    m.listEmployees,
    { filter },
    {
      rows: (res) => res.employees,
      orderBy: EmployeeOrder.UNSPECIFIED,
      direction: SortDirection.DESCENDING,
      searchInput: (query) => ({ filter: { ...filter, query } }),
    },
  );
}

export function useEmployee(id: string | undefined) {
  return useQuery(m.getEmployee, { id: id ?? "" }, { enabled: id !== undefined });
}

export function useCreateEmployee() {
  const invalidate = useInvalidateService(EmployeeService);
  return useMutation(m.createEmployee, { onSuccess: () => invalidate() });
}

export function useUpdateEmployee() {
  const invalidate = useInvalidateService(EmployeeService);
  return useMutation(m.updateEmployee, { onSuccess: () => invalidate() });
}

export function useDeleteEmployee() {
  const invalidate = useInvalidateService(EmployeeService);
  return useMutation(m.deleteEmployee, { onSuccess: (_res, req) => invalidate(req.id) });
}

export function useSetLegalHold() {
  const invalidate = useInvalidateService(EmployeeService);
  return useMutation(m.setLegalHold, { onSuccess: () => invalidate() });
}

/** useExportEmployeeData fetches the data subject's JSON document (GDPR Art. 15/20). */
export function useExportEmployeeData() {
  return useMutation(m.exportEmployeeData);
}

export function useEraseEmployee() {
  const invalidate = useInvalidateService(EmployeeService);
  return useMutation(m.eraseEmployee, { onSuccess: (_res, req) => invalidate(req.id) });
}

/** DownloadFile is a file assembled in the browser. */
export type DownloadFile = { blob: Blob; fileName: string };

/** fallbackExportName is the file name when the server names none. */
function fallbackExportName(format: ExportFormat): string {
  return format === ExportFormat.JSON ? "mitarbeiter.json" : "mitarbeiter.csv";
}

/**
 * exportEmployees runs the streamed ExportEmployees and returns the chunks
 * concatenated as one Blob, with the media type and file name of the first
 * message.
 */
export async function exportEmployees(
  transport: Transport,
  format: ExportFormat,
  filter: MessageInitShape<typeof EmployeeFilterSchema>,
  signal?: AbortSignal,
): Promise<DownloadFile> {
  const client = createClient(EmployeeService, transport);
  const parts: Uint8Array<ArrayBuffer>[] = [];
  let contentType = "";
  let fileName = "";
  let first = true;
  for await (const res of client.exportEmployees({ format, filter }, { signal })) {
    if (first) {
      contentType = res.contentType;
      fileName = res.fileName;
      first = false;
    }
    if (res.chunk.length > 0) parts.push(new Uint8Array(res.chunk));
  }
  const type = contentType || (format === ExportFormat.JSON ? "application/json" : "text/csv; charset=utf-8");
  return { blob: new Blob(parts, { type }), fileName: safeFileName(fileName) || fallbackExportName(format) };
}

/** useExportEmployees binds exportEmployees to the app's transport. */
export function useExportEmployees(): (
  format: ExportFormat,
  filter: MessageInitShape<typeof EmployeeFilterSchema>,
) => Promise<DownloadFile> {
  const transport = useTransport();
  return useCallback((format, filter) => exportEmployees(transport, format, filter), [transport]);
}

/** safeFileName keeps a server-given name to its last path segment, without control characters. */
export function safeFileName(name: string): string {
  const last = name.split(/[/\\]/).pop() ?? "";
  // eslint-disable-next-line no-control-regex
  return last.replace(/[\u0000-\u001f\u007f]/g, "").trim();
}

/** saveFile offers a file to the browser as a download. */
export function saveFile({ blob, fileName }: DownloadFile): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = fileName;
  a.rel = "noopener";
  a.style.display = "none";
  document.body.append(a);
  a.click();
  a.remove();
  // The download has started from the URL; give the browser a moment before freeing it.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
