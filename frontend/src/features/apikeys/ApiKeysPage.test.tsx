// @vitest-environment happy-dom
import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { createRouterTransport } from "@connectrpc/connect";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { createMemoryRouter, RouterProvider } from "react-router";
import { Area } from "../../gen/zeugo/v1/access_pb.js";
import { ApiKeyAccess, ApiKeySchema, ApiKeyService, ApiKeyState, type ApiKey } from "../../gen/zeugo/v1/apikeys_pb.js";
import { routes } from "../../routes.js";
import { providers, signedIn, testPrincipal } from "../../test/render.js";

afterEach(cleanup);

function fakeKeys() {
  const keys: ApiKey[] = [
    create(ApiKeySchema, {
      id: "00000000-0000-7000-8000-000000000001",
      name: "Personio-Import",
      prefix: "abcdefghijkl",
      scopes: [{ service: "organization", access: ApiKeyAccess.WRITE }],
      createdByName: "Erika Muster",
      createTime: timestampFromMs(Date.UTC(2026, 10, 1)),
      state: ApiKeyState.ACTIVE,
    }),
    create(ApiKeySchema, {
      id: "00000000-0000-7000-8000-000000000002",
      name: "Altes Skript",
      prefix: "mnopqrstuvwx",
      scopes: [{ service: "organization", access: ApiKeyAccess.READ }],
      createdByName: "Erika Muster",
      createTime: timestampFromMs(Date.UTC(2026, 9, 1)),
      state: ApiKeyState.REVOKED,
    }),
  ];
  const revoked: string[] = [];
  const transport = createRouterTransport(({ service }) => {
    service(ApiKeyService, {
      listApiKeys: () => ({ apiKeys: keys, page: { totalSize: BigInt(keys.length) } }),
      listApiKeyScopes: () => ({ scopes: [] }),
      revokeApiKey(req) {
        revoked.push(req.id);
        const k = keys.find((x) => x.id === req.id)!;
        k.state = ApiKeyState.REVOKED;
        return { apiKey: k };
      },
    });
  });
  return { transport, revoked };
}

async function renderPage(areas: Area[], readOnly = false) {
  const fake = fakeKeys();
  const principal = testPrincipal(areas);
  principal.tenantReadOnly = readOnly;
  const session = await signedIn(principal);
  const router = createMemoryRouter(routes, { initialEntries: ["/api-keys"] });
  render(<RouterProvider router={router} />, { wrapper: providers(fake.transport, null, session) });
  const table = await screen.findByRole("table", { name: "API-Schlüssel" });
  await within(table).findByText("Personio-Import");
  return { fake, table };
}

describe("ApiKeysPage", () => {
  it("lists keys without secrets and revokes an active one after asking", async () => {
    const { fake, table } = await renderPage([Area.API_KEYS]);
    expect(within(table).getByText("zk_…_abcdefghijkl_…")).toBeTruthy();
    expect(within(table).getByText("Unternehmensstruktur: Schreiben")).toBeTruthy();
    expect(within(table).getByText("Widerrufen")).toBeTruthy(); // the revoked key's state
    // Only the active key can be revoked.
    expect(screen.queryByRole("button", { name: "Widerrufen: Altes Skript" })).toBeNull();
    fireEvent.click(screen.getByRole("button", { name: "Widerrufen: Personio-Import" }));
    const dialog = await screen.findByRole("dialog", { name: "Schlüssel „Personio-Import“ widerrufen?" });
    fireEvent.click(within(dialog).getByRole("button", { name: "Abbrechen" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(fake.revoked).toEqual([]);

    fireEvent.click(screen.getByRole("button", { name: "Widerrufen: Personio-Import" }));
    const again = await screen.findByRole("dialog", { name: "Schlüssel „Personio-Import“ widerrufen?" });
    fireEvent.click(within(again).getByRole("button", { name: "Widerrufen" }));
    await waitFor(() => expect(fake.revoked).toEqual(["00000000-0000-7000-8000-000000000001"]));
    await waitFor(() => expect(screen.queryByRole("button", { name: "Widerrufen: Personio-Import" })).toBeNull());
  });

  it("offers neither create nor revoke while the tenant is read-only", async () => {
    await renderPage([Area.API_KEYS], true);
    expect(screen.queryByRole("link", { name: "Schlüssel anlegen" })).toBeNull();
    expect(screen.queryAllByRole("button", { name: /^Widerrufen: / })).toHaveLength(0);
  });
});
