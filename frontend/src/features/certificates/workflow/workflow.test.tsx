// @vitest-environment happy-dom
import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, createRouterTransport } from "@connectrpc/connect";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { createMemoryRouter, RouterProvider } from "react-router";
import { afterEach, describe, expect, it } from "vitest";
import { ViolationsSchema } from "@bufbuild/protovalidate/gen/buf/validate/validate_pb.js";
import { Area } from "../../../gen/zeugo/v1/access_pb.js";
import {
  CertificateSchema,
  CertificateSection,
  CertificateService,
  CertificateStatus,
  type TransitionCertificateRequest,
} from "../../../gen/zeugo/v1/certificates_pb.js";
import { providers, signedIn, testPrincipal } from "../../../test/render.js";
import { ChangesTab } from "./ChangesTab.js";
import { StatusActions } from "./StatusActions.js";

afterEach(cleanup);

const id = "00000000-0000-7000-8000-0000000000c2";

function completed(opts: { createdByCaller: boolean; needsConfirmation: boolean }) {
  return create(CertificateSchema, {
    id,
    employeeName: "Carla Beispiel",
    status: CertificateStatus.COMPLETED,
    version: 7n,
    createdByCaller: opts.createdByCaller,
    nextStatuses: [CertificateStatus.REVIEW, CertificateStatus.ISSUED],
    check: {
      needsConfirmation: opts.needsConfirmation,
      findings: opts.needsConfirmation
        ? [{ kind: "code", fragment: "stets bemüht", messageDe: "betont das Bemühen", messageEn: "stresses effort", paragraph: 1 }]
        : [],
    },
  });
}

async function renderWith(node: React.ReactNode, areas: Area[], handlers: Parameters<typeof createRouterTransport>[0]) {
  const transport = createRouterTransport(handlers);
  const session = await signedIn(testPrincipal(areas));
  const router = createMemoryRouter([{ path: "/", element: node }]);
  render(<RouterProvider router={router} />, { wrapper: providers(transport, null, session) });
}

describe("StatusActions", () => {
  it("names the moves, and offers the private switch to the creator only", async () => {
    await renderWith(<StatusActions certificate={completed({ createdByCaller: true, needsConfirmation: false })} />, [Area.EMPLOYEES], ({ service }) =>
      service(CertificateService, {}),
    );
    expect(screen.getByRole("button", { name: "Zurück in Prüfung" })).toBeTruthy();
    expect(screen.getByRole("button", { name: "Ausstellen" })).toBeTruthy();
    expect(screen.getByRole("switch", { name: /Privat/ })).toBeTruthy();
    cleanup();
    await renderWith(<StatusActions certificate={completed({ createdByCaller: false, needsConfirmation: false })} />, [Area.EMPLOYEES], ({ service }) =>
      service(CertificateService, {}),
    );
    expect(screen.queryByRole("switch", { name: /Privat/ })).toBeNull();
    cleanup();
    await renderWith(<StatusActions certificate={completed({ createdByCaller: false, needsConfirmation: false })} />, [Area.ADMINISTRATOR], ({ service }) =>
      service(CertificateService, {}),
    );
    expect(screen.getByRole("switch", { name: /Privat/ })).toBeTruthy();
  });

  it("issues a text with findings only with a reason, and shows the server's refusal at the reason", async () => {
    const sent: TransitionCertificateRequest[] = [];
    await renderWith(<StatusActions certificate={completed({ createdByCaller: true, needsConfirmation: true })} />, [Area.EMPLOYEES], ({ service }) =>
      service(CertificateService, {
        transitionCertificate: (req) => {
          sent.push(req);
          if (req.confirmationReason.trim().length < 5) {
            throw new ConnectError("the text has findings", Code.FailedPrecondition, undefined, [
              {
                desc: ViolationsSchema,
                value: { violations: [{ field: { elements: [{ fieldName: "confirmation_reason" }] }, ruleId: "zeugo.confirmation", message: "confirm" }] },
              },
            ]);
          }
          return { certificate: { ...completed({ createdByCaller: true, needsConfirmation: true }), status: CertificateStatus.ISSUED } };
        },
      }),
    );
    fireEvent.click(screen.getByRole("button", { name: "Ausstellen" }));
    const dialog = await screen.findByRole("dialog", { name: "Zeugnis ausstellen" });
    expect(within(dialog).getByText(/betont das Bemühen/)).toBeTruthy();
    fireEvent.click(within(dialog).getByRole("button", { name: "Trotzdem ausstellen" }));
    // Empty: refused here, nothing sent.
    expect(await within(dialog).findByText("Bitte geben Sie eine Begründung an: der Text hat Auffälligkeiten.")).toBeTruthy();
    expect(sent).toHaveLength(0);
    // Too short for the (test) server: its refusal stands at the field.
    fireEvent.change(within(dialog).getByRole("textbox", { name: /Begründung/ }), { target: { value: "ok" } });
    fireEvent.click(within(dialog).getByRole("button", { name: "Trotzdem ausstellen" }));
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(await within(dialog).findByText("Bitte geben Sie eine Begründung an: der Text hat Auffälligkeiten.")).toBeTruthy();
    fireEvent.change(within(dialog).getByRole("textbox", { name: /Begründung/ }), { target: { value: "Mit der Mitarbeiterin so vereinbart." } });
    fireEvent.click(within(dialog).getByRole("button", { name: "Trotzdem ausstellen" }));
    await waitFor(() => expect(screen.queryByRole("dialog", { name: "Zeugnis ausstellen" })).toBeNull());
    expect(sent[1]).toMatchObject({ id, version: 7n, status: CertificateStatus.ISSUED, confirmationReason: "Mit der Mitarbeiterin so vereinbart." });
  });
});

describe("ChangesTab", () => {
  it("lists field changes with section, before → after, who and when", async () => {
    await renderWith(<ChangesTab id={id} />, [Area.EMPLOYEES], ({ service }) =>
      service(CertificateService, {
        listCertificateChanges: () => ({
          changes: [
            {
              section: CertificateSection.PERFORMANCE,
              field: "willingness",
              before: "2",
              after: "1",
              actorName: "Jonas Kollege",
              actorKind: "handover_recipient",
              time: timestampFromMs(Date.UTC(2026, 10, 27, 12, 0)),
            },
            { section: CertificateSection.UNSPECIFIED, field: "status", before: "", after: "review", actorName: "Erika Mustermann", actorKind: "user" },
          ],
          page: { totalSize: 2n },
        }),
      }),
    );
    const table = await screen.findByRole("table", { name: "Änderungen" });
    const handedOver = (await within(table).findByText("Jonas Kollege (Übergabe)")).closest("tr");
    expect(handedOver?.textContent).toContain("Bewertung Leistung");
    expect(handedOver?.textContent).toContain("willingness");
    expect(handedOver?.textContent).toContain("2 → 1");
    const status = within(table).getByText("Erika Mustermann").closest("tr");
    expect(status?.textContent).toContain("Zeugnis");
    expect(status?.textContent).toContain("(leer) → review");
  });

  it("explains where change tracking is turned on when there is nothing", async () => {
    await renderWith(<ChangesTab id={id} />, [Area.EMPLOYEES], ({ service }) =>
      service(CertificateService, { listCertificateChanges: () => ({ changes: [], page: { totalSize: 0n } }) }),
    );
    expect(await screen.findByText("Keine Änderungen aufgezeichnet")).toBeTruthy();
    expect(screen.getByText(/Einstellungen → Sicherheit/)).toBeTruthy();
  });
});
