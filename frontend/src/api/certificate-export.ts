// The bulk export of certificates: start it (a background job writes one
// ZIP of PDFs), follow its progress, and download the finished ZIP, which
// the server streams in chunks.
import { createClient, type Transport } from "@connectrpc/connect";
import { useMutation, useQuery, useTransport } from "@connectrpc/connect-query";
import { useCallback } from "react";
import { CertificateExportState, CertificateService } from "../gen/zeugo/v1/certificates_pb.js";
import { safeFileName, type DownloadFile } from "./employees.js";

const m = CertificateService.method;

/** How often a running export is asked for its progress. */
export const exportPollMs = 1000;

/** exportFinished: the export will not change any more. */
export function exportFinished(state: CertificateExportState | undefined): boolean {
  return state === CertificateExportState.DONE || state === CertificateExportState.FAILED;
}

/** useStartCertificateExport starts an export of up to 1,000 certificates. */
export function useStartCertificateExport() {
  return useMutation(m.startCertificateExport);
}

/** useCertificateExport follows an export until it is done or failed. */
export function useCertificateExport(id: string | undefined) {
  return useQuery(
    m.getCertificateExport,
    { id: id ?? "" },
    {
      enabled: id !== undefined && id !== "",
      refetchInterval: (query) => (exportFinished(query.state.data?.export?.state) ? false : exportPollMs),
    },
  );
}

/** downloadCertificateExport reads the finished ZIP's chunks into one Blob. */
export async function downloadCertificateExport(transport: Transport, id: string, signal?: AbortSignal): Promise<DownloadFile> {
  const client = createClient(CertificateService, transport);
  const parts: Uint8Array<ArrayBuffer>[] = [];
  let fileName = "";
  for await (const res of client.downloadCertificateExport({ id }, { signal })) {
    if (fileName === "" && res.fileName) fileName = res.fileName;
    if (res.chunk.length > 0) parts.push(new Uint8Array(res.chunk));
  }
  return { blob: new Blob(parts, { type: "application/zip" }), fileName: safeFileName(fileName) || "Zeugnisse.zip" };
}

/** useDownloadCertificateExport binds downloadCertificateExport to the app's transport. */
export function useDownloadCertificateExport(): (id: string) => Promise<DownloadFile> {
  const transport = useTransport();
  return useCallback((id) => downloadCertificateExport(transport, id), [transport]);
}
