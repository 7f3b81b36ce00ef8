// @vitest-environment happy-dom
import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, createRouterTransport } from "@connectrpc/connect";
import { useQuery } from "@connectrpc/connect-query";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { createMemoryRouter, RouterProvider } from "react-router";
import { afterEach, describe, expect, it } from "vitest";
import {
  CertificateSchema,
  CertificateSection,
  CertificateService,
  CertificateStatus,
  GenerationProblemSchema,
  TextCheckSchema,
  type Certificate,
} from "../../../gen/zeugo/v1/certificates_pb.js";
import { providers, signedIn, testPrincipal } from "../../../test/render.js";
import { ResultPane } from "./ResultPane.js";

afterEach(cleanup);

const id = "00000000-0000-7000-8000-0000000000c1";

function certificate(version: bigint, savedBy = "Erika Mustermann"): Certificate {
  return create(CertificateSchema, {
    id,
    employeeName: "Carla Beispiel",
    status: CertificateStatus.DRAFT,
    version: 1n,
    sections: [{ section: CertificateSection.RESULT, version, updatedByName: savedBy, updateTime: timestampFromMs(Date.UTC(2026, 10, 27, 13, 45)) }],
    content: {
      result: {
        paragraphs: [
          { section: "intro", heading: "Angaben zur Person", text: "Frau Beispiel war bei uns tätig.", generatedText: "Frau Beispiel war bei uns tätig." },
          { section: "performance", heading: "Leistung", text: "Sie arbeitete stets sorgfältig.", generatedText: "Sie arbeitete stets sorgfältig." },
        ],
      },
    },
    check: { overallGrade: 2, expectedOverallGrade: 2 },
  });
}

/** Host reads the certificate as the editor does and hands it to the pane. */
function Host() {
  const q = useQuery(CertificateService.method.getCertificate, { id });
  return q.data?.certificate ? <ResultPane certificate={q.data.certificate} /> : null;
}

async function renderPane(handlers: Parameters<typeof createRouterTransport>[0]) {
  const transport = createRouterTransport(handlers);
  const session = await signedIn(testPrincipal([]));
  // A data router: the pane's guard against leaving with unsaved changes needs one.
  const router = createMemoryRouter([{ path: "/", element: <Host /> }]);
  render(<RouterProvider router={router} />, { wrapper: providers(transport, null, session) });
  return screen.findByRole("textbox", { name: "Leistung: Text" });
}

describe("ResultPane", () => {
  it("marks a coded phrase the live check finds while typing, without saving", async () => {
    const checked: string[] = [];
    const performance = await renderPane(({ service }) =>
      service(CertificateService, {
        getCertificate: () => ({ certificate: certificate(3n) }),
        checkCertificateText: (req) => {
          checked.push(req.paragraphs[1]?.text ?? "");
          return {
            check: create(TextCheckSchema, {
              findings: [{ kind: "code", fragment: "stets bemüht", paragraph: 1, messageDe: "betont das Bemühen", messageEn: "stresses effort" }],
              paragraphs: [{ index: 1, section: "performance", grade: 4, expectedGrade: 2 }],
              overallGrade: 4,
              expectedOverallGrade: 2,
              needsConfirmation: true,
            }),
          };
        },
        updateCertificateSection: () => {
          throw new Error("not saved in this test");
        },
      }),
    );
    fireEvent.change(performance, { target: { value: "Sie war stets bemüht." } });
    const region = screen.getByRole("region", { name: "Zeugnistext" });
    const mark = await within(region).findByText("stets bemüht", { selector: "mark" });
    expect(mark.getAttribute("data-kind")).toBe("code");
    expect(checked).toEqual(["Sie war stets bemüht."]);
    expect(screen.getByText(/liest sich wie „ausreichend“ · Bewertung ergibt „gut“/)).toBeTruthy();
    expect(screen.getByText("von Hand geändert")).toBeTruthy();
    expect(screen.getByText("Zum Ausstellen ist eine Bestätigung mit Begründung nötig.")).toBeTruthy();
  });

  it("lists what generation needs by tab and keeps the text", async () => {
    await renderPane(({ service }) =>
      service(CertificateService, {
        getCertificate: () => ({ certificate: certificate(3n) }),
        generateCertificateText: () => ({
          certificate: certificate(3n),
          problems: [
            create(GenerationProblemSchema, {
              section: CertificateSection.CERTIFICATE_DATA,
              field: "exit_date",
              messageDe: "Das Austrittsdatum fehlt.",
              messageEn: "the exit date is missing",
            }),
          ],
        }),
      }),
    );
    fireEvent.click(screen.getByRole("button", { name: "Text neu erzeugen" }));
    const alert = await screen.findByRole("alert");
    expect(within(alert).getByText("Für den Text fehlt noch etwas – es wurde nichts gespeichert.")).toBeTruthy();
    expect(within(alert).getByRole("link", { name: "Reiter „Zeugnisdaten“ öffnen" }).getAttribute("href")).toBe("/?tab=certificateData");
    expect(within(alert).getByText("Das Austrittsdatum fehlt.")).toBeTruthy();
    expect((screen.getByRole("textbox", { name: "Leistung: Text" }) as HTMLTextAreaElement).value).toBe("Sie arbeitete stets sorgfältig.");
  });

  it("names who saved in between when the save is refused, and loads their text", async () => {
    let stored = certificate(3n);
    const sent: bigint[] = [];
    const performance = await renderPane(({ service }) =>
      service(CertificateService, {
        getCertificate: () => ({ certificate: stored }),
        checkCertificateText: () => ({ check: create(TextCheckSchema, {}) }),
        updateCertificateSection: (req) => {
          sent.push(req.version);
          // A colleague saved version 4 meanwhile.
          const theirs = certificate(4n, "Jonas Kollege");
          const result = theirs.content?.result?.paragraphs[1];
          if (result) result.text = "Sie arbeitete stets sehr sorgfältig.";
          stored = theirs;
          throw new ConnectError("version changed", Code.Aborted);
        },
      }),
    );
    fireEvent.change(performance, { target: { value: "Sie arbeitete sorgfältig." } });
    fireEvent.click(screen.getByRole("button", { name: "Speichern" }));
    await screen.findByText(/Jonas Kollege hat den Text um \d\d:\d\d Uhr gespeichert/);
    expect(sent).toEqual([3n]);
    expect((performance as HTMLTextAreaElement).value).toBe("Sie arbeitete sorgfältig.");
    fireEvent.click(screen.getByRole("button", { name: "Neu laden" }));
    await waitFor(() =>
      expect((screen.getByRole("textbox", { name: "Leistung: Text" }) as HTMLTextAreaElement).value).toBe("Sie arbeitete stets sehr sorgfältig."),
    );
    expect(screen.queryByText(/Jonas Kollege/)).toBeNull();
  });

  it("is read-only once issued", async () => {
    const issued = certificate(3n);
    issued.status = CertificateStatus.ISSUED;
    const performance = await renderPane(({ service }) => service(CertificateService, { getCertificate: () => ({ certificate: issued }) }));
    expect(performance.hasAttribute("readonly")).toBe(true);
    expect(screen.queryByRole("button", { name: "Speichern" })).toBeNull();
    expect(screen.getByText(/Das Zeugnis ist ausgestellt/)).toBeTruthy();
  });
});
