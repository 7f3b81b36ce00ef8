// @vitest-environment happy-dom
import { Code, ConnectError, createRouterTransport, type Transport } from "@connectrpc/connect";
import { ActionIcon, Button } from "@mantine/core";
import { act, cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { usePagedQuery } from "../api/paging.js";
import { OrganizationService, UnitKind, UnitOrder, type Unit } from "../gen/zeugo/v1/organization_pb.js";
import { SortDirection } from "../gen/zeugo/v1/paging_pb.js";
import { fakeOrganization, unitName } from "../test/fake-organization.js";
import { providers } from "../test/render.js";
import { DataTable, searchDelayMs, type DataColumn } from "./DataTable.js";

afterEach(cleanup);

const columns: DataColumn<Unit, UnitOrder>[] = [
  { id: "name", header: "Name", cell: (u) => u.fields?.name, sortKey: UnitOrder.NAME },
  { id: "description", header: "Beschreibung", cell: (u) => u.fields?.description },
  {
    id: "updated",
    header: "Zuletzt geändert",
    cell: (u) => String(u.updateTime?.seconds),
    sortKey: UnitOrder.UPDATE_TIME,
    firstDirection: SortDirection.DESCENDING,
  },
];

function Units({ onOpen, onDelete }: { onOpen: (u: Unit) => void; onDelete?: (u: Unit) => void }) {
  const data = usePagedQuery(OrganizationService.method.listUnits, { kind: UnitKind.LOCATION }, {
    rows: (res) => res.units,
    orderBy: UnitOrder.NAME,
  });
  return (
    <DataTable
      label="Standorte"
      columns={columns}
      data={data}
      rowKey={(u) => u.id}
      onOpenRow={onOpen}
      rowActions={
        onDelete &&
        ((u) => (
          <ActionIcon aria-label={`Löschen: ${u.fields?.name}`} onClick={() => onDelete(u)}>
            x
          </ActionIcon>
        ))
      }
      search={{ label: "Standorte durchsuchen" }}
      empty={{ title: "Standorte", description: "Noch kein Standort angelegt.", action: <Button>Standort anlegen</Button> }}
    />
  );
}

function renderUnits(transport: Transport, onOpen = vi.fn(), onDelete?: (u: Unit) => void) {
  render(<Units onOpen={onOpen} onDelete={onDelete} />, { wrapper: providers(transport) });
  return onOpen;
}

const range = () => screen.getByTestId("table-range").textContent;
const bodyRows = () => within(screen.getAllByRole("rowgroup")[1]!).getAllByRole("row");
const firstName = () => within(bodyRows()[0]!).getAllByRole("cell")[0]!.textContent;

describe("DataTable", () => {
  it("pages forward and back and says which rows it shows, in German number format", async () => {
    const fake = fakeOrganization(5000);
    renderUnits(fake.transport);
    await waitFor(() => expect(range()).toBe("1–50 von 5.000"));
    expect(bodyRows()).toHaveLength(50);
    const back = screen.getByRole("button", { name: "Zurück" });
    const next = screen.getByRole("button", { name: "Weiter" });
    // On the first page "Zurück" cannot act but stays focusable.
    expect(back.getAttribute("aria-disabled")).toBe("true");
    expect((back as HTMLButtonElement).disabled).toBe(false);

    fireEvent.click(next);
    await waitFor(() => expect(range()).toBe("51–100 von 5.000"));
    expect(firstName()).toBe(unitName(50));
    fireEvent.click(next);
    await waitFor(() => expect(range()).toBe("101–150 von 5.000"));
    fireEvent.click(back);
    await waitFor(() => expect(range()).toBe("51–100 von 5.000"));
    fireEvent.click(back);
    await waitFor(() => expect(range()).toBe("1–50 von 5.000"));
    expect(back.getAttribute("aria-disabled")).toBe("true");
    // Clicking the inactive button does nothing.
    fireEvent.click(back);
    expect(range()).toBe("1–50 von 5.000");
  });

  it("toggles the sort by header button and marks the column with aria-sort", async () => {
    const fake = fakeOrganization(120);
    renderUnits(fake.transport);
    await waitFor(() => expect(range()).toBe("1–50 von 120"));
    const nameHeader = screen.getByRole("columnheader", { name: "Name" });
    const updatedHeader = screen.getByRole("columnheader", { name: "Zuletzt geändert" });
    const plainHeader = screen.getByRole("columnheader", { name: "Beschreibung" });
    expect(nameHeader.getAttribute("aria-sort")).toBe("ascending");
    expect(updatedHeader.hasAttribute("aria-sort")).toBe(false);
    // Not sortable: no button, no aria-sort.
    expect(within(plainHeader).queryByRole("button")).toBeNull();

    fireEvent.click(screen.getByRole("button", { name: "Weiter" }));
    await waitFor(() => expect(range()).toBe("51–100 von 120"));

    // The sort control is a button (Enter and Space press it natively).
    const sortByName = within(nameHeader).getByRole("button", { name: "Name" });
    expect(sortByName.tagName).toBe("BUTTON");
    fireEvent.click(sortByName);
    await waitFor(() => expect(nameHeader.getAttribute("aria-sort")).toBe("descending"));
    // A new order starts at the first page.
    await waitFor(() => expect(firstName()).toBe(unitName(119)));
    expect(range()).toBe("1–50 von 120");

    // Another column: its first direction (newest first), and only one aria-sort.
    fireEvent.click(within(updatedHeader).getByRole("button"));
    await waitFor(() => expect(updatedHeader.getAttribute("aria-sort")).toBe("descending"));
    expect(nameHeader.hasAttribute("aria-sort")).toBe(false);
    fireEvent.click(within(updatedHeader).getByRole("button"));
    await waitFor(() => expect(updatedHeader.getAttribute("aria-sort")).toBe("ascending"));
    await waitFor(() => expect(firstName()).toBe(unitName(0)));
    expect(fake.listRequests.at(-1)).toMatchObject({ orderBy: UnitOrder.UPDATE_TIME, direction: SortDirection.ASCENDING });
  });

  it("opens a row by Enter on the focused row and by click, but not from its buttons", async () => {
    const fake = fakeOrganization(3);
    const onDelete = vi.fn();
    const onOpen = renderUnits(fake.transport, vi.fn(), onDelete);
    await waitFor(() => expect(bodyRows()).toHaveLength(3));
    const row = bodyRows()[1]!;
    // Each row is one tab stop; its actions follow it in the tab order.
    expect(row.getAttribute("tabindex")).toBe("0");
    row.focus();
    expect(document.activeElement).toBe(row);
    fireEvent.keyDown(row, { key: "Enter" });
    expect(onOpen).toHaveBeenCalledTimes(1);
    expect(onOpen.mock.calls[0]![0].fields.name).toBe(unitName(1));
    // Other keys do nothing.
    fireEvent.keyDown(row, { key: "a" });
    expect(onOpen).toHaveBeenCalledTimes(1);

    fireEvent.click(within(row).getAllByRole("cell")[1]!);
    expect(onOpen).toHaveBeenCalledTimes(2);

    const del = within(row).getByRole("button", { name: `Löschen: ${unitName(1)}` });
    fireEvent.keyDown(del, { key: "Enter" });
    fireEvent.click(del);
    expect(onDelete).toHaveBeenCalledTimes(1);
    expect(onOpen).toHaveBeenCalledTimes(2);
  });

  it("shows skeleton rows while the first page loads", async () => {
    const fake = fakeOrganization(10);
    let open: () => void = () => {};
    fake.gate = new Promise((resolve) => (open = resolve));
    renderUnits(fake.transport);
    await waitFor(() => expect(screen.getAllByTestId("skeleton-row").length).toBeGreaterThan(0));
    expect(range()).toBe("Wird geladen …");
    expect(screen.getByRole("table").getAttribute("aria-busy")).toBe("true");
    act(() => open());
    await waitFor(() => expect(range()).toBe("1–10 von 10"));
    expect(screen.queryAllByTestId("skeleton-row")).toHaveLength(0);
    expect(screen.getByRole("table").getAttribute("aria-busy")).toBe("false");
  });

  it("explains an empty list and offers its action", async () => {
    const fake = fakeOrganization(0);
    renderUnits(fake.transport);
    await waitFor(() => expect(screen.getByText("Noch kein Standort angelegt.")).toBeTruthy());
    expect(screen.getByRole("button", { name: "Standort anlegen" })).toBeTruthy();
    expect(screen.queryByRole("table")).toBeNull();
  });

  it("searches after a pause in typing and says when nothing matches", async () => {
    const fake = fakeOrganization(120);
    renderUnits(fake.transport);
    await waitFor(() => expect(range()).toBe("1–50 von 120"));
    const box = screen.getByRole("searchbox", { name: "Standorte durchsuchen" });
    fireEvent.change(box, { target: { value: "01" } });
    fireEvent.change(box, { target: { value: "011" } });
    // Nothing is sent while typing …
    expect(fake.listRequests.map((r) => r.query)).not.toContain("01");
    // … and once the pause is over only the last text.
    await waitFor(() => expect(range()).toBe("1–11 von 11"), { timeout: searchDelayMs * 8 });
    expect(fake.listRequests.map((r) => r.query)).toEqual(["", "011"]);

    fireEvent.change(box, { target: { value: "Nirgendwo" } });
    fireEvent.keyDown(box, { key: "Enter" });
    await waitFor(() => expect(screen.getByText("Keine Treffer für „Nirgendwo“.")).toBeTruthy());
    expect(range()).toBe("Keine Einträge");
  });

  it("shows a failed load as an alert with a retry", async () => {
    let calls = 0;
    const transport = createRouterTransport(({ service }) => {
      service(OrganizationService, {
        listUnits() {
          calls++;
          throw new ConnectError("no", Code.PermissionDenied);
        },
      });
    });
    renderUnits(transport);
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("Dafür fehlt Ihnen die Berechtigung.");
    fireEvent.click(within(alert).getByRole("button", { name: "Erneut versuchen" }));
    await waitFor(() => expect(calls).toBe(2));
  });
});
