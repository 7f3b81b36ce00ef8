// @vitest-environment happy-dom
import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, createRouterTransport } from "@connectrpc/connect";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import {
  CertificateKind,
  CertificateSchema,
  CertificateSection,
  CertificateService,
  CertificateStatus,
  type Certificate,
  type UpdateCertificateSectionRequest,
} from "../../../gen/zeugo/v1/certificates_pb.js";
import { providers } from "../../../test/render.js";
import { ConductSectionForm } from "./ConductSectionForm.js";
import { EditorContext } from "./SectionForm.js";

function certificate(internal: number, version: bigint, by = "Erika Mustermann", status = CertificateStatus.DRAFT): Certificate {
  return create(CertificateSchema, {
    id: "0190a3c2-8a1b-7c3d-9e4f-000000000001",
    kind: CertificateKind.FINAL,
    status,
    content: { conduct: { internal, external: 0 } },
    sections: [
      { section: CertificateSection.CONDUCT, version, updatedByName: by, updateTime: timestampFromMs(Date.UTC(2026, 10, 27, 13, 7)) },
    ],
  });
}

function renderConduct(start: Certificate, update: (req: UpdateCertificateSectionRequest) => Certificate, fresh: () => Certificate) {
  const requests: UpdateCertificateSectionRequest[] = [];
  const transport = createRouterTransport(({ service }) => {
    service(CertificateService, {
      updateCertificateSection(req) {
        requests.push(req);
        return { certificate: update(req) };
      },
    });
  });
  const Wrapper = providers(transport);
  render(
    <Wrapper>
      <EditorContext.Provider value={{ reportDirty: () => undefined, reload: () => Promise.resolve(fresh()) }}>
        <ConductSectionForm certificate={start} />
      </EditorContext.Provider>
    </Wrapper>,
  );
  return requests;
}

const internalGroup = () => screen.getByRole("radiogroup", { name: "Verhalten zu Vorgesetzten und Kollegen" });

describe("section form", () => {
  afterEach(cleanup);

  it("saves the section with the version it was read at", async () => {
    const requests = renderConduct(certificate(2, 3n), (req) => certificate(req.section.case === "conduct" ? req.section.value.internal : 0, 4n), () => certificate(1, 4n));
    fireEvent.click(within(internalGroup()).getByLabelText("1 · sehr gut"));
    expect(screen.getByText("„Das Verhalten gegenüber Vorgesetzten und Kollegen war stets vorbildlich.“")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Abschnitt speichern" }));
    await waitFor(() => expect(requests).toHaveLength(1));
    expect(requests[0]).toMatchObject({ version: 3n, section: { case: "conduct", value: { internal: 1, external: 0 } } });
  });

  it("on a stale version names who saved in between, keeps the edit, and reloads only when asked", async () => {
    renderConduct(
      certificate(2, 3n),
      () => {
        throw new ConnectError("stale", Code.Aborted);
      },
      () => certificate(4, 5n, "Max Muster"),
    );
    fireEvent.click(within(internalGroup()).getByLabelText("1 · sehr gut"));
    fireEvent.click(screen.getByRole("button", { name: "Abschnitt speichern" }));
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toMatch(/Max Muster hat diesen Abschnitt um \d{2}:\d{2} gespeichert/);
    // The edit is still there.
    expect((within(internalGroup()).getByLabelText("1 · sehr gut") as HTMLInputElement).checked).toBe(true);
    fireEvent.click(within(alert).getByRole("button", { name: /Neu laden/ }));
    await waitFor(() => expect(screen.queryByRole("alert")).toBeNull());
  });

  it("shows an issued certificate read-only", () => {
    renderConduct(certificate(2, 3n, "Erika Mustermann", CertificateStatus.ISSUED), () => certificate(2, 3n), () => certificate(2, 3n));
    expect(screen.getByText(/Ausgestellt – schreibgeschützt/)).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Abschnitt speichern" })).toBeNull();
    // Every input sits in a disabled fieldset (the browser disables them all).
    expect(within(internalGroup()).getByLabelText("1 · sehr gut").closest("fieldset")?.disabled).toBe(true);
  });
});
