// @vitest-environment happy-dom
import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, createRouterTransport } from "@connectrpc/connect";
import { ViolationsSchema } from "@bufbuild/protovalidate/gen/buf/validate/validate_pb.js";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { createMemoryRouter, RouterProvider } from "react-router";
import { Area } from "../../gen/zeugo/v1/access_pb.js";
import {
  ApiKeyAccess,
  ApiKeySchema,
  ApiKeyService,
  ApiKeyState,
  type CreateApiKeyRequest,
} from "../../gen/zeugo/v1/apikeys_pb.js";
import { routes } from "../../routes.js";
import { providers, signedIn, testPrincipal } from "../../test/render.js";
import { cidrLines } from "./CreateApiKeyDialog.js";

afterEach(cleanup);

const secret = "zk_0193a1b2c3d4e5f60718293a4b5c6d7e_abcdefghijkl_" + "S".repeat(43);

function fakeKeys(opts: { refuse?: ConnectError } = {}) {
  const requests: CreateApiKeyRequest[] = [];
  const transport = createRouterTransport(({ service }) => {
    service(ApiKeyService, {
      listApiKeyScopes: () => ({
        scopes: [
          { service: "organization", serviceFullName: "zeugo.v1.OrganizationService", read: true, write: true, areas: [Area.COMPANY_STRUCTURE] },
          { service: "report", serviceFullName: "zeugo.v1.ReportService", read: true, write: false, areas: [Area.EMPLOYEES] },
        ],
      }),
      listApiKeys: () => ({ apiKeys: [], page: { totalSize: 0n } }),
      createApiKey(req) {
        requests.push(req);
        if (opts.refuse) throw opts.refuse;
        return {
          apiKey: create(ApiKeySchema, {
            id: "00000000-0000-7000-8000-000000000001",
            name: req.name,
            prefix: "abcdefghijkl",
            scopes: req.scopes,
            state: ApiKeyState.ACTIVE,
            createTime: timestampFromMs(Date.now()),
          }),
          secret,
        };
      },
    });
  });
  return { transport, requests };
}

async function openDialog(fake: ReturnType<typeof fakeKeys>) {
  const session = await signedIn(testPrincipal([Area.API_KEYS]));
  const router = createMemoryRouter(routes, { initialEntries: ["/api-keys/new"] });
  render(<RouterProvider router={router} />, { wrapper: providers(fake.transport, null, session) });
  const dialog = await screen.findByRole("dialog", { name: "API-Schlüssel anlegen" });
  await within(dialog).findByRole("radiogroup", { name: "Unternehmensstruktur" });
  return { dialog, router };
}

function type(dialog: HTMLElement, label: RegExp, value: string) {
  fireEvent.change(within(dialog).getByLabelText(label), { target: { value } });
}

describe("CreateApiKeyDialog", () => {
  it("checks name, scopes and networks before sending anything", async () => {
    const fake = fakeKeys();
    const { dialog } = await openDialog(fake);
    type(dialog, /Erlaubte Netze/, "10.0.0.0/8\n203.0.113.7/24");
    fireEvent.click(within(dialog).getByRole("button", { name: "Schlüssel anlegen" }));
    await within(dialog).findByText("Bitte füllen Sie dieses Feld aus.");
    expect(within(dialog).getByText("Bitte wählen Sie mindestens eine Berechtigung.")).toBeTruthy();
    expect(within(dialog).getByText(/^Zeile 2: Bitte ein Netz in CIDR-Schreibweise/)).toBeTruthy();
    expect(fake.requests).toHaveLength(0);
  });

  it("offers only the levels a service has", async () => {
    const { dialog } = await openDialog(fakeKeys());
    const report = within(dialog).getByRole("radiogroup", { name: "zeugo.v1.ReportService" });
    expect((within(report).getByRole("radio", { name: "Schreiben" }) as HTMLInputElement).disabled).toBe(true);
    expect((within(report).getByRole("radio", { name: "Lesen" }) as HTMLInputElement).disabled).toBe(false);
  });

  it("creates the key and shows its secret once, with a warning and a copy button", async () => {
    const fake = fakeKeys();
    const { dialog, router } = await openDialog(fake);
    type(dialog, /^Name/, "  Personio-Import ");
    const org = within(dialog).getByRole("radiogroup", { name: "Unternehmensstruktur" });
    fireEvent.click(within(org).getByRole("radio", { name: "Schreiben" }));
    type(dialog, /Erlaubte Netze/, "203.0.113.7\n\n2001:db8::/48\n");
    fireEvent.click(within(dialog).getByRole("button", { name: "Schlüssel anlegen" }));

    const shown = await screen.findByRole("dialog", { name: "Schlüssel „Personio-Import“ angelegt" });
    expect(within(shown).getByTestId("api-key-secret").textContent).toBe(secret);
    expect(within(shown).getByRole("alert").textContent).toContain("nur dieses eine Mal angezeigt");
    expect(within(shown).getByRole("button", { name: "Kopieren" })).toBeTruthy();
    expect(fake.requests).toHaveLength(1);
    const req = fake.requests[0]!;
    expect(req.name).toBe("Personio-Import");
    expect(req.scopes.map((s) => [s.service, s.access])).toEqual([["organization", ApiKeyAccess.WRITE]]);
    expect(req.allowedCidrs).toEqual(["203.0.113.7/32", "2001:db8::/48"]);
    expect(req.expireTime).toBeUndefined();

    fireEvent.click(within(shown).getByRole("button", { name: "Fertig" }));
    await waitFor(() => expect(router.state.location.pathname).toBe("/api-keys"));
    await waitFor(() => expect(screen.queryByText(secret)).toBeNull());
  });

  it("shows the server's violation next to its field", async () => {
    const refusal = new ConnectError("not a network", Code.InvalidArgument, undefined, [
      {
        desc: ViolationsSchema,
        value: { violations: [{ field: { elements: [{ fieldName: "allowed_cidrs", fieldNumber: 4 }] }, ruleId: "string.ip_prefix", message: "not a network" }] },
      },
    ]);
    const fake = fakeKeys({ refuse: refusal });
    const { dialog } = await openDialog(fake);
    type(dialog, /^Name/, "Skript");
    const org = within(dialog).getByRole("radiogroup", { name: "Unternehmensstruktur" });
    fireEvent.click(within(org).getByRole("radio", { name: "Lesen" }));
    type(dialog, /Erlaubte Netze/, "10.0.0.0/8");
    fireEvent.click(within(dialog).getByRole("button", { name: "Schlüssel anlegen" }));
    await within(dialog).findByText(/^Bitte ein Netz in CIDR-Schreibweise/);
    expect(fake.requests).toHaveLength(1);
    expect(screen.queryByTestId("api-key-secret")).toBeNull();
  });
});

describe("cidrLines", () => {
  it("reads one network per line and turns single addresses into networks", () => {
    expect(cidrLines(" 10.0.0.0/8 \n\n192.0.2.1\n2001:db8::1\n")).toEqual(["10.0.0.0/8", "192.0.2.1/32", "2001:db8::1/128"]);
  });
});
