// @vitest-environment happy-dom
import { create } from "@bufbuild/protobuf";
import { ViolationsSchema } from "@bufbuild/protovalidate/gen/buf/validate/validate_pb.js";
import { Code, ConnectError, createRouterTransport } from "@connectrpc/connect";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { CertificateSchema, CertificateSection, CertificateStatus } from "../../gen/zeugo/v1/certificates_pb.js";
import { HandoverCodeChannel, HandoverService, type CreateHandoverRequest } from "../../gen/zeugo/v1/handover_pb.js";
import { providers } from "../../test/render.js";
import { HandoverDialog } from "./HandoverDialog.js";

const certificate = create(CertificateSchema, {
  id: "0190a3c2-8a1b-7c3d-9e4f-000000000001",
  employeeName: "Bruno Beispiel",
  language: "de",
  status: CertificateStatus.DRAFT,
});

function violation(path: { fieldName: string; fieldNumber: number }[], ruleId: string) {
  return { field: { elements: path }, ruleId, message: ruleId };
}

function renderDialog(answer: (req: CreateHandoverRequest) => never | object) {
  const requests: CreateHandoverRequest[] = [];
  const transport = createRouterTransport(({ service }) => {
    service(HandoverService, {
      createHandover(req) {
        requests.push(req);
        return answer(req);
      },
    });
  });
  const Wrapper = providers(transport);
  render(
    <Wrapper>
      <HandoverDialog certificate={certificate} opened onClose={() => undefined} />
    </Wrapper>,
  );
  return requests;
}

const dialog = () => screen.getByRole("dialog", { name: "Zeugnis übergeben" });

function fillRecipient() {
  fireEvent.change(within(dialog()).getByRole("textbox", { name: /^Name/ }), { target: { value: "Petra Vorgesetzte" } });
  fireEvent.change(within(dialog()).getByRole("textbox", { name: /^E-Mail-Adresse/ }), { target: { value: "petra@example.com" } });
}

// Rendering the 17-row matrix in happy-dom takes seconds on a shared CI machine.
describe("handover dialog", { timeout: 30_000 }, () => {
  afterEach(cleanup);

  it("sends write with read for the ticked sections and the chosen code channel", async () => {
    const requests = renderDialog(() => ({ handover: {} }));
    fillRecipient();
    fireEvent.click(within(dialog()).getByRole("checkbox", { name: "Bewertung Leistung bearbeiten" }));
    expect(within(dialog()).getByRole("checkbox", { name: "Bewertung Leistung lesen" })).toHaveProperty("checked", true);
    fireEvent.click(within(dialog()).getByRole("checkbox", { name: "Daten lesen" }));
    expect(within(dialog()).getByRole("checkbox", { name: "Unterschriften bearbeiten" })).toHaveProperty("disabled", true);
    fireEvent.click(within(dialog()).getByText("E-Mail", { exact: true }));
    fireEvent.click(within(dialog()).getByRole("button", { name: "Übergeben und E-Mail senden" }));
    await waitFor(() => expect(requests).toHaveLength(1));
    const req = requests[0]!;
    expect(req.recipient?.email).toBe("petra@example.com");
    expect(req.codeChannel).toBe(HandoverCodeChannel.EMAIL);
    expect(req.expiresInDays).toBe(30);
    expect(req.grants.map((g) => [g.section, g.read, g.write])).toEqual([
      [CertificateSection.DATA, true, false],
      [CertificateSection.PERFORMANCE, true, true],
    ]);
  });

  it("says before sending that nothing is readable, and that SMS needs the phone", async () => {
    const requests = renderDialog(() => ({ handover: {} }));
    fillRecipient();
    fireEvent.click(within(dialog()).getByText("SMS", { exact: true }));
    fireEvent.click(within(dialog()).getByRole("button", { name: "Übergeben und E-Mail senden" }));
    expect(await within(dialog()).findByText("Bitte mindestens einen Abschnitt zum Lesen freigeben.")).toBeTruthy();
    expect(within(dialog()).getByText("Für einen Code per SMS wird die Mobilnummer gebraucht.")).toBeTruthy();
    expect(requests).toHaveLength(0);
  });

  it("shows the server's violations at their field and at the grant's row", async () => {
    renderDialog(() => {
      throw new ConnectError("invalid", Code.InvalidArgument, undefined, [
        {
          desc: ViolationsSchema,
          value: create(ViolationsSchema, {
            violations: [
              violation([{ fieldName: "grants[1]", fieldNumber: 0 }, { fieldName: "write", fieldNumber: 3 }], "zeugo.handover.read_only_section"),
              violation([{ fieldName: "code_channel", fieldNumber: 7 }], "zeugo.handover.code_required"),
            ],
          }),
        },
      ]);
    });
    fillRecipient();
    fireEvent.click(within(dialog()).getByRole("checkbox", { name: "Daten lesen" }));
    fireEvent.click(within(dialog()).getByRole("checkbox", { name: "Bewertung Leistung bearbeiten" }));
    fireEvent.click(within(dialog()).getByRole("button", { name: "Übergeben und E-Mail senden" }));
    const row = (await within(dialog()).findByText("Dieser Abschnitt kann nur zum Lesen übergeben werden.")).closest("tr");
    expect(row?.textContent).toContain("Bewertung Leistung");
    expect(within(dialog()).getByText("Ihre Datenschutzeinstellungen verlangen einen Einmalcode beim Öffnen.")).toBeTruthy();
  });
});
