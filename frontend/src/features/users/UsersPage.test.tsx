// @vitest-environment happy-dom
import { base64Encode } from "@bufbuild/protobuf/wire";
import { create, toBinary } from "@bufbuild/protobuf";
import { ViolationsSchema } from "@bufbuild/protovalidate/gen/buf/validate/validate_pb.js";
import { ConnectError, createRouterTransport } from "@connectrpc/connect";
import { errorFromJson } from "@connectrpc/connect/protocol-connect";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { createMemoryRouter, RouterProvider } from "react-router";
import { afterEach, describe, expect, it } from "vitest";
import { Area } from "../../gen/zeugo/v1/access_pb.js";
import { RoleSchema, RoleService } from "../../gen/zeugo/v1/roles_pb.js";
import {
  UserSchema,
  UserService,
  UserState,
  type InviteUserRequest,
  type DeactivateUserRequest,
} from "../../gen/zeugo/v1/users_pb.js";
import { routes } from "../../routes.js";
import { providers, signedIn, testPrincipal } from "../../test/render.js";

afterEach(cleanup);

const adminRole = create(RoleSchema, { id: "00000000-0000-7000-8000-0000000000a1", builtin: true, version: 1n, fields: { name: "Administrator", areas: [Area.ADMINISTRATOR] } });
const staffRole = create(RoleSchema, { id: "00000000-0000-7000-8000-0000000000a2", version: 1n, fields: { name: "Personal", areas: [Area.EMPLOYEES] } });
const erika = create(UserSchema, {
  id: "00000000-0000-7000-8000-000000000001",
  email: "erika@muster.example",
  roleName: "Personal",
  state: UserState.ACTIVE,
  version: 3n,
  fields: { firstName: "Erika", lastName: "Muster", language: "de", roleId: "00000000-0000-7000-8000-0000000000a2", certificateAccess: { all: true } },
});

function violationError(code: string, field: string, ruleId: string): ConnectError {
  const detail = create(ViolationsSchema, { violations: [{ field: { elements: [{ fieldName: field }] }, ruleId }] });
  return errorFromJson(
    { code, message: "refused", details: [{ type: "buf.validate.Violations", value: base64Encode(toBinary(ViolationsSchema, detail), "std_raw") }] },
    undefined,
    new ConnectError("fallback"),
  );
}

function fake(opts: { lastAdmin?: boolean } = {}) {
  const seen = { invites: [] as InviteUserRequest[], deactivations: [] as DeactivateUserRequest[] };
  const transport = createRouterTransport(({ service }) => {
    service(RoleService, {
      listRoles: () => ({ roles: [adminRole, staffRole], page: { totalSize: 2n } }),
    });
    service(UserService, {
      listUsers: (req) => ({
        users: req.state === UserState.UNSPECIFIED || req.state === UserState.ACTIVE ? [erika] : [],
        page: { totalSize: req.state === UserState.INVITED ? 0n : 1n },
      }),
      getUser: () => ({ user: erika }),
      listAccessOptions: () => ({ companies: [{ id: "00000000-0000-7000-8000-0000000000c1", name: "Muster GmbH" }] }),
      inviteUser: (req) => {
        seen.invites.push(req);
        throw errorFromJson(
          {
            code: "already_exists",
            message: "this value is already in use",
            details: [
              {
                type: "buf.validate.Violations",
                value: base64Encode(
                  toBinary(ViolationsSchema, create(ViolationsSchema, { violations: [{ field: { elements: [{ fieldName: "email", fieldNumber: 1 }] }, ruleId: "zeugo.unique" }] })),
                  "std_raw",
                ),
              },
            ],
          },
          undefined,
          new ConnectError("fallback"),
        );
      },
      deactivateUser: (req) => {
        seen.deactivations.push(req);
        if (opts.lastAdmin) throw violationError("failed_precondition", "id", "zeugo.last_administrator");
        return { user: { ...erika, state: UserState.DEACTIVATED } };
      },
    });
  });
  return { transport, seen };
}

async function renderApp(path: string, areas: Area[], opts: { lastAdmin?: boolean } = {}) {
  const f = fake(opts);
  const session = await signedIn(testPrincipal(areas));
  const router = createMemoryRouter(routes, { initialEntries: [path] });
  render(<RouterProvider router={router} />, { wrapper: providers(f.transport, null, session) });
  return { ...f, router };
}

describe("UsersPage", () => {
  it("lists users with their state and filters by state", async () => {
    await renderApp("/users", [Area.USERS]);
    const table = await screen.findByRole("table", { name: "Benutzer" });
    await waitFor(() => expect(within(table).getByText("erika@muster.example")).toBeTruthy());
    expect(within(table).getByText("Aktiv")).toBeTruthy();
    fireEvent.click(screen.getByText("Eingeladen"));
    await waitFor(() => expect(screen.getByText("Keine Benutzer in diesem Status.")).toBeTruthy());
  });

  it("shows an email the tenant already has next to the field, in German", async () => {
    const { seen } = await renderApp("/users/new", [Area.USERS]);
    const dialog = await screen.findByRole("dialog");
    fireEvent.change(within(dialog).getByLabelText(/E-Mail-Adresse/), { target: { value: "erika@muster.example" } });
    fireEvent.change(within(dialog).getByLabelText(/Vorname/), { target: { value: "Erika" } });
    fireEvent.change(within(dialog).getByLabelText(/Nachname/), { target: { value: "Muster" } });
    // The role select starts on the first role that is not Administrator.
    await waitFor(() => expect((within(dialog).getByLabelText(/^Rolle/) as HTMLInputElement).value).toBe("Personal"));
    fireEvent.click(within(dialog).getByRole("button", { name: "Einladung senden" }));
    await waitFor(() =>
      expect(within(dialog).getByText("Für diese E-Mail-Adresse gibt es in Ihrem Unternehmen bereits einen Benutzer.")).toBeTruthy(),
    );
    expect(seen.invites).toHaveLength(1);
    expect(seen.invites[0]!.fields?.roleId).toBe("00000000-0000-7000-8000-0000000000a2");
    expect(seen.invites[0]!.fields?.certificateAccess?.all).toBe(false);
  });

  it("refuses a phone that is not in international form before sending", async () => {
    const { seen } = await renderApp("/users/new", [Area.USERS]);
    const dialog = await screen.findByRole("dialog");
    fireEvent.change(within(dialog).getByLabelText(/E-Mail-Adresse/), { target: { value: "neu@muster.example" } });
    fireEvent.change(within(dialog).getByLabelText(/Vorname/), { target: { value: "Neu" } });
    fireEvent.change(within(dialog).getByLabelText(/Nachname/), { target: { value: "Person" } });
    fireEvent.change(within(dialog).getByLabelText(/Mobilnummer/), { target: { value: "0151 1234567" } });
    fireEvent.click(within(dialog).getByRole("button", { name: "Einladung senden" }));
    await waitFor(() => expect(within(dialog).getByText("Bitte im internationalen Format eingeben, z. B. +4915112345678.")).toBeTruthy());
    expect(seen.invites).toHaveLength(0);
  });

  it("deactivates a user after a confirmation", async () => {
    const { seen } = await renderApp(`/users/${erika.id}`, [Area.USERS]);
    const dialog = await screen.findByRole("dialog");
    fireEvent.click(await within(dialog).findByRole("button", { name: "Deaktivieren" }));
    const confirm = await screen.findByRole("dialog", { name: "Erika Muster deaktivieren?" });
    fireEvent.click(within(confirm).getByRole("button", { name: "Deaktivieren" }));
    await waitFor(() => expect(seen.deactivations.map((r) => r.id)).toEqual([erika.id]));
  });

  it("says why the last administrator cannot be deactivated", async () => {
    await renderApp(`/users/${erika.id}`, [Area.USERS], { lastAdmin: true });
    const dialog = await screen.findByRole("dialog");
    fireEvent.click(await within(dialog).findByRole("button", { name: "Deaktivieren" }));
    const confirm = await screen.findByRole("dialog", { name: "Erika Muster deaktivieren?" });
    fireEvent.click(within(confirm).getByRole("button", { name: "Deaktivieren" }));
    expect(await within(confirm).findByText(/Der letzte kann weder herabgestuft noch deaktiviert werden/)).toBeTruthy();
  });

  it("is not in the navigation and not open without the Benutzer area", async () => {
    await renderApp("/users", [Area.EMPLOYEES]);
    expect(await screen.findByRole("heading", { level: 1, name: "Kein Zugriff" })).toBeTruthy();
  });
});
