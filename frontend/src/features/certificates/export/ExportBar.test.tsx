// @vitest-environment happy-dom
import { createRouterTransport } from "@connectrpc/connect";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { CertificateExportState, CertificateService } from "../../../gen/zeugo/v1/certificates_pb.js";
import { providers } from "../../../test/render.js";
import { ExportBar } from "./ExportBar.js";

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

describe("ExportBar", () => {
  it("starts an export of the picked certificates, follows it and downloads the streamed ZIP", async () => {
    let polls = 0;
    const started: string[][] = [];
    const transport = createRouterTransport(({ service }) => {
      service(CertificateService, {
        startCertificateExport(req) {
          started.push(req.ids);
          return { export: { id: "x", state: CertificateExportState.PENDING, total: 2 } };
        },
        getCertificateExport() {
          polls++;
          return polls < 2
            ? { export: { id: "x", state: CertificateExportState.RUNNING, total: 2, done: 1 } }
            : { export: { id: "x", state: CertificateExportState.DONE, total: 2, done: 2 } };
        },
        async *downloadCertificateExport() {
          yield { chunk: new Uint8Array([0x50, 0x4b]), fileName: "Zeugnisse_2026-11-28.zip" };
          yield { chunk: new Uint8Array([3, 4]) };
        },
      });
    });
    const blobs: Blob[] = [];
    vi.spyOn(URL, "createObjectURL").mockImplementation((b) => {
      blobs.push(b as Blob);
      return "blob:zip";
    });
    vi.spyOn(URL, "revokeObjectURL").mockImplementation(() => {});
    const cleared = vi.fn();
    render(<ExportBar selected={new Set(["a", "b"])} onClear={cleared} />, { wrapper: providers(transport) });
    expect(screen.getByText("2 Zeugnisse ausgewählt")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Als ZIP exportieren" }));
    await waitFor(() => expect(started).toEqual([["a", "b"]]));
    expect(cleared).toHaveBeenCalled();
    await waitFor(() => expect(screen.getByText("Fertig: 2 Zeugnisse im ZIP.")).toBeTruthy(), { timeout: 4000 });
    fireEvent.click(screen.getByRole("button", { name: "ZIP herunterladen" }));
    await waitFor(() => expect(blobs).toHaveLength(1));
    expect(blobs[0]?.size).toBe(4);
  });

  it("refuses more than the server takes", () => {
    const transport = createRouterTransport(() => {});
    const many = new Set(Array.from({ length: 1001 }, (_, i) => String(i)));
    render(<ExportBar selected={many} onClear={() => {}} />, { wrapper: providers(transport) });
    expect(screen.getByText("Höchstens 1.000 auf einmal.")).toBeTruthy();
    expect((screen.getByRole("button", { name: "Als ZIP exportieren" }) as HTMLButtonElement).disabled).toBe(true);
  });
});
