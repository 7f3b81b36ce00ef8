// @vitest-environment happy-dom
import { create } from "@bufbuild/protobuf";
import { createRouterTransport } from "@connectrpc/connect";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { createMemoryRouter, RouterProvider } from "react-router";
import { afterEach, describe, expect, it } from "vitest";
import { Area } from "../../gen/zeugo/v1/access_pb.js";
import { RoleSchema, RoleService, type CreateRoleRequest } from "../../gen/zeugo/v1/roles_pb.js";
import { routes } from "../../routes.js";
import { providers, signedIn, testPrincipal } from "../../test/render.js";

afterEach(cleanup);

const roles = [
  create(RoleSchema, { id: "00000000-0000-7000-8000-0000000000a1", builtin: true, userCount: 1n, version: 1n, fields: { name: "Administrator", areas: [Area.ADMINISTRATOR] } }),
  create(RoleSchema, { id: "00000000-0000-7000-8000-0000000000a2", userCount: 3n, version: 1n, fields: { name: "Personal", areas: [Area.EMPLOYEES] } }),
  create(RoleSchema, { id: "00000000-0000-7000-8000-0000000000a3", userCount: 0n, version: 1n, fields: { name: "Leer", areas: [] } }),
];

async function renderApp(path: string, areas: Area[]) {
  const created: CreateRoleRequest[] = [];
  const transport = createRouterTransport(({ service }) => {
    service(RoleService, {
      listRoles: () => ({ roles, page: { totalSize: 3n } }),
      getRole: (req) => ({ role: roles.find((r) => r.id === req.id) }),
      createRole: (req) => {
        created.push(req);
        return { role: create(RoleSchema, { id: "00000000-0000-7000-8000-0000000000a4", version: 1n, fields: req.fields }) };
      },
    });
  });
  const session = await signedIn(testPrincipal(areas));
  const router = createMemoryRouter(routes, { initialEntries: [path] });
  render(<RouterProvider router={router} />, { wrapper: providers(transport, null, session) });
  return { created, router };
}

describe("RolesPage", () => {
  it("offers delete only for roles that are neither builtin nor held", async () => {
    await renderApp("/roles", [Area.ROLES]);
    const table = await screen.findByRole("table", { name: "Rollen" });
    await waitFor(() => expect(within(table).getByText("Leer")).toBeTruthy());
    const deletes = within(table).getAllByRole("button", { name: /^Löschen: / });
    expect(deletes.map((b) => b.getAttribute("aria-label"))).toEqual(["Löschen: Leer"]);
    expect(within(table).getByText("Mitarbeiter")).toBeTruthy();
  });

  it("shows the Administrator role read-only", async () => {
    await renderApp(`/roles/${roles[0]!.id}`, [Area.ROLES]);
    const dialog = await screen.findByRole("dialog", { name: "Administrator" });
    await waitFor(() => expect(within(dialog).getByText(/kann nicht geändert oder gelöscht werden/)).toBeTruthy());
    expect(within(dialog).queryByRole("button", { name: "Speichern" })).toBeNull();
    expect(within(dialog).getAllByRole("checkbox").every((c) => (c as HTMLInputElement).disabled)).toBe(true);
  });

  it("creates a role with the areas ticked in the matrix", async () => {
    const { created, router } = await renderApp("/roles/new", [Area.ROLES]);
    const dialog = await screen.findByRole("dialog", { name: "Neue Rolle" });
    fireEvent.change(within(dialog).getByLabelText(/^Name/), { target: { value: "Zeugnisse" } });
    fireEvent.click(within(dialog).getByRole("checkbox", { name: /^Rollen/ }));
    fireEvent.click(within(dialog).getByRole("checkbox", { name: /^Mitarbeiter/ }));
    fireEvent.click(within(dialog).getByRole("button", { name: "Speichern" }));
    await waitFor(() => expect(created).toHaveLength(1));
    expect(created[0]!.fields?.name).toBe("Zeugnisse");
    expect(created[0]!.fields?.areas).toEqual([Area.EMPLOYEES, Area.ROLES]);
    await waitFor(() => expect(router.state.location.pathname).toBe("/roles"));
  });

  it("is not open without the Rollen area (Benutzer reads roles only to pick one)", async () => {
    await renderApp("/roles", [Area.USERS]);
    expect(await screen.findByRole("heading", { level: 1, name: "Kein Zugriff" })).toBeTruthy();
  });
});
