// @vitest-environment happy-dom
import { create } from "@bufbuild/protobuf";
import { ViolationsSchema } from "@bufbuild/protovalidate/gen/buf/validate/validate_pb.js";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, createRouterTransport } from "@connectrpc/connect";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { createMemoryRouter, RouterProvider } from "react-router";
import {
  CertificateKind,
  CertificateSchema,
  CertificateSection,
  CertificateService,
  CertificateStatus,
  type UpdateCertificateSectionRequest,
} from "../../gen/zeugo/v1/certificates_pb.js";
import { HandoverCodeChannel, HandoverRecipientService } from "../../gen/zeugo/v1/handover_pb.js";
import { providers } from "../../test/render.js";
import { bearerInterceptor } from "./recipient-transport.js";
import { RecipientPage } from "./RecipientPage.js";
import { forgetHandoverSecret } from "./secret.js";

const id = "0190a3c28a1b7c3d9e4f000000000099";
const secret = "fedcba9876543210fedcba9876543210";
const certificateId = "0190a3c2-8a1b-7c3d-9e4f-000000000001";

afterEach(() => {
  cleanup();
  forgetHandoverSecret();
  sessionStorage.clear();
});

function certificate(version: bigint) {
  return create(CertificateSchema, {
    id: certificateId,
    kind: CertificateKind.FINAL,
    status: CertificateStatus.IN_PROGRESS,
    language: "de",
    employeeName: "Bruno Beispiel",
    content: { data: { kind: CertificateKind.FINAL, language: "de", jobTitle: "Lagerlogistiker" }, conduct: { internal: 0, external: 0 } },
    sections: [
      { section: CertificateSection.DATA, version: 1n },
      { section: CertificateSection.CONDUCT, version },
    ],
  });
}

function setup() {
  const calls: { method: string; auth: string | null }[] = [];
  const updates: UpdateCertificateSectionRequest[] = [];
  const wrongCode = () =>
    new ConnectError("wrong code", Code.InvalidArgument, undefined, [
      {
        desc: ViolationsSchema,
        value: create(ViolationsSchema, {
          violations: [{ field: { elements: [{ fieldName: "code", fieldNumber: 4 }] }, ruleId: "zeugo.handover.wrong_code", message: "wrong code" }],
        }),
      },
    ]);
  const routes = ({ service }: Parameters<Parameters<typeof createRouterTransport>[0]>[0]) => {
      service(HandoverRecipientService, {
        openHandover(req, ctx) {
          calls.push({ method: "open", auth: ctx.requestHeader.get("Authorization") });
          if (req.handoverId !== id || req.secret !== secret) throw new ConnectError("gone", Code.NotFound);
          if (req.attemptId === "") {
            return { result: { case: "codeSent", value: { attemptId: "0190a3c2-8a1b-7c3d-9e4f-0000000000aa", channel: HandoverCodeChannel.EMAIL, destination: "p•••@example.com" } } };
          }
          if (req.code !== "123456") throw wrongCode();
          return { result: { case: "session", value: { token: "zh_session" } } };
        },
        getMyHandover(_req, ctx) {
          calls.push({ method: "my", auth: ctx.requestHeader.get("Authorization") });
          return {
            handover: {
              id,
              certificateId,
              recipientName: "Petra",
              message: "Bitte bis Freitag.",
              language: "de",
              fromName: "Erika Mustermann, Muster GmbH",
              employeeName: "Bruno Beispiel",
              kind: CertificateKind.FINAL,
              expireTime: timestampFromMs(Date.UTC(2026, 11, 28)),
              grants: [
                { section: CertificateSection.DATA, read: true },
                { section: CertificateSection.CONDUCT, read: true, write: true },
              ],
            },
          };
        },
      });
      service(CertificateService, {
        getCertificate(_req, ctx) {
          calls.push({ method: "get", auth: ctx.requestHeader.get("Authorization") });
          return { certificate: certificate(2n) };
        },
        getCertificateCatalog: () => ({}),
        updateCertificateSection(req) {
          updates.push(req);
          return { certificate: certificate(3n) };
        },
      });
  };
  const Wrapper = providers(undefined, null);
  window.history.replaceState(null, "", `/h/${id}#${secret}`);
  const router = createMemoryRouter(
    [
      {
        path: "/h/:handoverId",
        element: (
          <RecipientPage
            // The page's own interceptor in front of the fake server: what the real transport sends.
            createTransport={(getToken) => createRouterTransport(routes, { transport: { interceptors: [bearerInterceptor(getToken)] } })}
          />
        ),
      },
    ],
    { initialEntries: [`/h/${id}`] },
  );
  render(
    <Wrapper>
      <RouterProvider router={router} />
    </Wrapper>,
  );
  return { calls, updates };
}

describe("recipient page", { timeout: 30_000 }, () => {
  it("takes the secret from the address bar, asks for the code, says a wrong one at the field, then shows the granted sections", async () => {
    const { calls, updates } = setup();
    expect(await screen.findByRole("heading", { name: "Code eingeben" })).toBeTruthy();
    expect(window.location.hash).toBe("");
    expect(screen.getByText(/p•••@example.com/)).toBeTruthy();

    const code = screen.getByRole("textbox", { name: "Code" });
    fireEvent.change(code, { target: { value: "999999" } });
    fireEvent.click(screen.getByRole("button", { name: "Weiter" }));
    expect(await screen.findByText("Der Code stimmt nicht. Bitte prüfen Sie die Ziffern.")).toBeTruthy();
    fireEvent.change(code, { target: { value: "123456" } });
    fireEvent.click(screen.getByRole("button", { name: "Weiter" }));

    expect(await screen.findByRole("heading", { name: "Zeugnis für Bruno Beispiel" })).toBeTruthy();
    expect(screen.getByText("Bitte bis Freitag.")).toBeTruthy();
    // The session goes as a bearer token; the open calls had none.
    expect(calls.filter((c) => c.method === "open").every((c) => c.auth === null)).toBe(true);
    expect(calls.find((c) => c.method === "my")?.auth).toBe("Bearer zh_session");
    expect(sessionStorage.getItem(`zeugo.handover.${id}`)).toBe("zh_session");
    expect(localStorage.getItem(`zeugo.handover.${id}`)).toBeNull();

    // Verhalten is writable (the first writable section is shown first), Daten read only.
    const conduct = await screen.findByRole("form", { name: "Bewertung Verhalten" });
    fireEvent.click(within(within(conduct).getAllByRole("radiogroup")[0]!).getByLabelText("2 · gut"));
    fireEvent.click(within(conduct).getByRole("button", { name: "Abschnitt speichern" }));
    await waitFor(() => expect(updates).toHaveLength(1));
    expect(updates[0]?.version).toBe(2n);
    const data = screen.getByRole("form", { name: "Daten", hidden: true });
    expect(within(data).getByText("Diesen Abschnitt können Sie hier nur lesen.", { selector: "*" })).toBeTruthy();
    expect(within(data).queryByRole("button", { name: "Abschnitt speichern", hidden: true })).toBeNull();
  });
});
