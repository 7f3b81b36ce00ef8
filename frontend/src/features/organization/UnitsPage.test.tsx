// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { createMemoryRouter, RouterProvider } from "react-router";
import { Area } from "../../gen/zeugo/v1/access_pb.js";
import { UnitKind } from "../../gen/zeugo/v1/organization_pb.js";
import { routes } from "../../routes.js";
import { fakeOrganization, unitName } from "../../test/fake-organization.js";
import { providers, signedIn, testPrincipal } from "../../test/render.js";

afterEach(cleanup);

async function renderApp(path: string, areas: Area[]) {
  const fake = fakeOrganization(120);
  const session = await signedIn(testPrincipal(areas));
  const router = createMemoryRouter(routes, { initialEntries: [path] });
  render(<RouterProvider router={router} />, { wrapper: providers(fake.transport, null, session) });
  return { fake, router };
}

const range = () => screen.getByTestId("table-range").textContent;

describe("UnitsPage", () => {
  it("keeps its page while a row's dialog opens and closes", async () => {
    const { router } = await renderApp("/organisation/locations", [Area.COMPANY_STRUCTURE]);
    await waitFor(() => expect(range()).toBe("1–50 von 120"));
    fireEvent.click(screen.getByRole("button", { name: "Weiter" }));
    await waitFor(() => expect(range()).toBe("51–100 von 120"));

    const table = screen.getByRole("table", { name: "Standorte" });
    const row = within(table).getAllByRole("row")[1]!;
    fireEvent.keyDown(row, { key: "Enter" });
    const dialog = await screen.findByRole("dialog");
    await waitFor(() => expect((within(dialog).getByLabelText(/Name/) as HTMLInputElement).value).toBe(unitName(50)));
    expect(router.state.location.pathname).toMatch(/^\/organisation\/locations\/[0-9a-f-]{36}$/);

    fireEvent.click(within(dialog).getByRole("button", { name: "Abbrechen" }));
    await waitFor(() => expect(router.state.location.pathname).toBe("/organisation/locations"));
    expect(range()).toBe("51–100 von 120");
  });

  it("offers neither create nor delete to a reader (Mitarbeiter)", async () => {
    await renderApp("/organisation/locations", [Area.EMPLOYEES]);
    await waitFor(() => expect(range()).toBe("1–50 von 120"));
    expect(screen.queryByRole("link", { name: "Standort anlegen" })).toBeNull();
    expect(screen.queryAllByRole("button", { name: /^Löschen: / })).toHaveLength(0);
  });

  it("gives each kind its own list state", async () => {
    const { router, fake } = await renderApp("/organisation/locations", [Area.COMPANY_STRUCTURE]);
    await waitFor(() => expect(range()).toBe("1–50 von 120"));
    fireEvent.click(screen.getByRole("button", { name: "Weiter" }));
    await waitFor(() => expect(range()).toBe("51–100 von 120"));
    await router.navigate("/organisation/departments");
    // The first request for departments starts at page one: no token of the locations list.
    await waitFor(() => expect(fake.listRequests.some((r) => r.kind === UnitKind.DEPARTMENT)).toBe(true));
    expect(fake.listRequests.filter((r) => r.kind === UnitKind.DEPARTMENT).map((r) => r.page?.pageToken)).toEqual([""]);
    // The fake has no departments: the empty state, not page 2 of something.
    await screen.findByText("Noch keine Abteilung angelegt. Legen Sie z. B. „Personal“ oder „Vertrieb“ an.");
  });
});
