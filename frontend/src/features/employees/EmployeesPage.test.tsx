// @vitest-environment happy-dom
import { create, toBinary } from "@bufbuild/protobuf";
import { timestampFromMs, type Timestamp } from "@bufbuild/protobuf/wkt";
import { base64Encode } from "@bufbuild/protobuf/wire";
import { ViolationsSchema } from "@bufbuild/protovalidate/gen/buf/validate/validate_pb.js";
import { Code, ConnectError, createRouterTransport } from "@connectrpc/connect";
import { errorFromJson } from "@connectrpc/connect/protocol-connect";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { createMemoryRouter, RouterProvider } from "react-router";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { exportEmployees } from "../../api/employees.js";
import { Area } from "../../gen/zeugo/v1/access_pb.js";
import {
  EmployeeSchema,
  EmployeeService,
  EmployeeState,
  ExportFormat,
  type CreateEmployeeRequest,
  type EraseEmployeeRequest,
  type ListEmployeesRequest,
  type SetLegalHoldRequest,
  type UpdateEmployeeRequest,
  type Employee,
} from "../../gen/zeugo/v1/employees_pb.js";
import { OrganizationService, UnitKind } from "../../gen/zeugo/v1/organization_pb.js";
import { routes } from "../../routes.js";
import { providers, signedIn, testPrincipal } from "../../test/render.js";

afterEach(cleanup);

const companyA = "00000000-0000-7000-8000-0000000000c1";
const companyB = "00000000-0000-7000-8000-0000000000c2";
const berlin = "00000000-0000-7000-8000-0000000000d1";

function employee(i: number, hold?: { reason: string; setTime: Timestamp }): Employee {
  return create(EmployeeSchema, {
    id: `00000000-0000-7000-8000-${String(i).padStart(12, "0")}`,
    version: 2n,
    state: i % 3 === 0 ? EmployeeState.LEFT : EmployeeState.ACTIVE,
    fields: {
      firstName: i === 1 ? "Jürgen" : `Vorname${i}`,
      lastName: i === 1 ? "Müller-Lüdenscheidt" : `Nachname${i}`,
      personnelNumber: `P-${String(i).padStart(4, "0")}`,
      companyId: i % 2 === 0 ? companyB : companyA,
      locationId: berlin,
      entryDate: "2010-04-01",
      exitDate: i % 3 === 0 ? "2024-06-30" : "",
      jobTitle: `Position ${i}`,
    },
    createTime: timestampFromMs(Date.UTC(2026, 0, 1)),
    updateTime: timestampFromMs(Date.UTC(2026, 0, 2)),
    legalHold: hold,
  });
}

function violationError(code: string, fields: [string, string, string?][]): ConnectError {
  const detail = create(ViolationsSchema, {
    violations: fields.map(([path, ruleId, message]) => ({
      field: { elements: path.split(".").map((fieldName) => ({ fieldName })) },
      ruleId,
      message: message ?? "",
    })),
  });
  return errorFromJson(
    { code, message: "refused", details: [{ type: "buf.validate.Violations", value: base64Encode(toBinary(ViolationsSchema, detail), "std_raw") }] },
    undefined,
    new ConnectError("fallback"),
  );
}

type Options = { stale?: boolean; held?: boolean };

function fake(opts: Options = {}) {
  const list = Array.from({ length: 30 }, (_, i) => employee(i + 1));
  if (opts.held) list[0] = employee(1, { reason: "Klage", setTime: timestampFromMs(Date.UTC(2026, 1, 1)) });
  const seen = {
    lists: [] as ListEmployeesRequest[],
    creates: [] as CreateEmployeeRequest[],
    updates: [] as UpdateEmployeeRequest[],
    holds: [] as SetLegalHoldRequest[],
    erasures: [] as EraseEmployeeRequest[],
    exported: [] as string[],
  };
  const transport = createRouterTransport(({ service }) => {
    service(OrganizationService, {
      listCompanies: () => ({
        companies: [
          { id: companyA, fields: { name: "Muster GmbH" } },
          { id: companyB, fields: { name: "Beispiel AG" } },
        ],
        page: { totalSize: 2n },
      }),
      listUnits: (req) => ({
        units: req.kind === UnitKind.LOCATION ? [{ id: berlin, kind: UnitKind.LOCATION, fields: { name: "Berlin" } }] : [],
        page: { totalSize: req.kind === UnitKind.LOCATION ? 1n : 0n },
      }),
    });
    service(EmployeeService, {
      listEmployees: (req) => {
        seen.lists.push(req);
        const f = req.filter;
        const rows = list.filter(
          (e) =>
            (!f?.companyId || e.fields?.companyId === f.companyId) &&
            (!f?.state || e.state === f.state) &&
            (!f?.query || (e.fields?.lastName ?? "").toLowerCase().startsWith(f.query.toLowerCase().replace("ue", "ü"))),
        );
        const size = req.page?.pageSize || 50;
        const start = req.page?.pageToken ? Number(req.page.pageToken) : 0;
        const end = Math.min(start + size, rows.length);
        return { employees: rows.slice(start, end), page: { totalSize: BigInt(rows.length), nextPageToken: end < rows.length ? String(end) : "" } };
      },
      getEmployee: (req) => {
        const e = list.find((x) => x.id === req.id);
        if (!e) throw new ConnectError("not found", Code.NotFound);
        return { employee: e };
      },
      createEmployee: (req) => {
        seen.creates.push(req);
        throw violationError("invalid_argument", [
          ["fields.exit_date", "zeugo.after_entry"],
          ["fields.interruptions[0].to_date", "zeugo.after_start"],
        ]);
      },
      updateEmployee: (req) => {
        seen.updates.push(req);
        if (opts.stale) throw new ConnectError("stale", Code.Aborted);
        const e = create(EmployeeSchema, { id: list[0]!.id, state: list[0]!.state, version: req.version + 1n, fields: req.fields });
        list[0] = e;
        return { employee: e };
      },
      setLegalHold: (req) => {
        seen.holds.push(req);
        return { employee: list[0] };
      },
      exportEmployeeData: (req) => {
        seen.exported.push(req.id);
        return {
          document: new TextEncoder().encode('{"employee":{}}'),
          fileName: "auskunft-P-0001.json",
          archive: new TextEncoder().encode("PK-zip"),
          archiveFileName: "auskunft-P-0001.zip",
        };
      },
      eraseEmployee: (req) => {
        seen.erasures.push(req);
        throw violationError("failed_precondition", [["id", "zeugo.legal_hold", "a legal hold stands on this employee; lift it first"]]);
      },
      deleteEmployee: () => {
        throw violationError("failed_precondition", [
          ["id", "zeugo.employee_referenced", "certificate_subject: 2"],
          ["id", "zeugo.employee_referenced", "certificate_signatory: 1"],
        ]);
      },
      async *exportEmployees(req) {
        yield { chunk: new TextEncoder().encode("\ufeffPersonalnummer;Nachname\r\n"), contentType: "text/csv; charset=utf-8", fileName: "mitarbeiter-2026-11-27.csv" };
        yield { chunk: new TextEncoder().encode(`P-0001;Müller\r\n${req.filter?.companyId ?? ""}\r\n`) };
      },
    });
  });
  return { transport, seen, list };
}

async function renderApp(path: string, areas: Area[], opts: Options = {}) {
  const f = fake(opts);
  const session = await signedIn(testPrincipal(areas));
  const router = createMemoryRouter(routes, { initialEntries: [path] });
  render(<RouterProvider router={router} />, { wrapper: providers(f.transport, null, session) });
  return { ...f, router };
}

const range = () => screen.getByTestId("table-range").textContent;

async function pick(label: RegExp, option: string) {
  const input = screen.getByLabelText(label, { selector: "input" });
  fireEvent.click(input);
  await waitFor(() => expect(input.getAttribute("aria-expanded")).toBe("true"));
  const listbox = document.getElementById(input.getAttribute("aria-controls") ?? "")!;
  fireEvent.click(within(listbox).getByRole("option", { name: option, hidden: true }));
}

let downloads: { name: string; blob: Blob }[] = [];
beforeEach(() => {
  downloads = [];
  const blobs = new Map<string, Blob>();
  vi.spyOn(URL, "createObjectURL").mockImplementation((b) => {
    const url = `blob:test/${blobs.size}`;
    blobs.set(url, b as Blob);
    return url;
  });
  vi.spyOn(URL, "revokeObjectURL").mockImplementation(() => {});
  vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (this: HTMLAnchorElement) {
    downloads.push({ name: this.download, blob: blobs.get(this.href)! });
  });
});
afterEach(() => vi.restoreAllMocks());

describe("EmployeesPage", () => {
  it("lists employees with their company, state and hold, and filters and searches on the server", async () => {
    const { seen } = await renderApp("/employees", [Area.EMPLOYEES], { held: true });
    const table = await screen.findByRole("table", { name: "Mitarbeiter" });
    await waitFor(() => expect(range()).toBe("1–30 von 30"));
    const first = within(table).getAllByRole("row")[1]!;
    expect(within(first).getByText("Müller-Lüdenscheidt, Jürgen")).toBeTruthy();
    expect(within(first).getByText("P-0001")).toBeTruthy();
    await waitFor(() => expect(within(first).getByText("Muster GmbH")).toBeTruthy());
    expect(within(first).getByText("Berlin")).toBeTruthy();
    expect(within(first).getByText("01.04.2010")).toBeTruthy();
    expect(within(first).getByText("Aktiv")).toBeTruthy();
    expect(within(first).getByRole("img", { name: "Aufbewahrungssperre" })).toBeTruthy();
    const third = within(table).getAllByRole("row")[3]!;
    expect(within(third).getByText("Ausgeschieden")).toBeTruthy();
    expect(within(third).getByText("30.06.2024")).toBeTruthy();

    await pick(/^Unternehmen/, "Beispiel AG");
    await waitFor(() => expect(range()).toBe("1–15 von 15"));
    expect(seen.lists.at(-1)?.filter?.companyId).toBe(companyB);

    fireEvent.click(screen.getByRole("radio", { name: "Ausgeschieden" }));
    await waitFor(() => expect(seen.lists.at(-1)?.filter?.state).toBe(EmployeeState.LEFT));

    fireEvent.click(screen.getByRole("button", { name: "Filter zurücksetzen" }));
    const search = screen.getByRole("searchbox", { name: /Mitarbeiter suchen/ });
    fireEvent.change(search, { target: { value: "mueller" } });
    fireEvent.keyDown(search, { key: "Enter" });
    await waitFor(() => expect(range()).toBe("1–1 von 1"));
    expect(seen.lists.at(-1)?.filter).toMatchObject({ query: "mueller", companyId: "", state: EmployeeState.UNSPECIFIED });
    expect(screen.getByText(/„mül“ findet Müller und Mueller/)).toBeTruthy();
  }, 60_000);

  it("starts at page one when a filter changes", async () => {
    const { seen } = await renderApp("/employees", [Area.EMPLOYEES]);
    await waitFor(() => expect(range()).toBe("1–30 von 30"));
    fireEvent.change(screen.getByRole("combobox", { name: "Zeilen pro Seite" }), { target: { value: "25" } });
    await waitFor(() => expect(range()).toBe("1–25 von 30"));
    fireEvent.click(screen.getByRole("button", { name: "Weiter" }));
    await waitFor(() => expect(range()).toBe("26–30 von 30"));
    await pick(/^Unternehmen/, "Muster GmbH");
    await waitFor(() => expect(range()).toBe("1–15 von 15"));
    const withCompany = seen.lists.filter((r) => r.filter?.companyId === companyA);
    expect(withCompany.map((r) => r.page?.pageToken)).toEqual([""]);
  }, 60_000);

  it("sorts by entry date from the sort menu and the column header", async () => {
    const { seen } = await renderApp("/employees", [Area.EMPLOYEES]);
    await waitFor(() => expect(range()).toBe("1–30 von 30"));
    await pick(/^Sortieren nach/, "Eintrittsdatum");
    await waitFor(() => expect(seen.lists.at(-1)).toMatchObject({ orderBy: 1, direction: 2 }));
    fireEvent.click(screen.getByRole("button", { name: "Reihenfolge: Absteigend" }));
    await waitFor(() => expect(seen.lists.at(-1)).toMatchObject({ orderBy: 1, direction: 1 }));
    fireEvent.click(within(screen.getByRole("table")).getByRole("button", { name: /Austritt/ }));
    await waitFor(() => expect(seen.lists.at(-1)).toMatchObject({ orderBy: 2, direction: 2 }));
  }, 60_000);

  it("creates with German dates and shows the server's refusals next to their fields, list rows included", async () => {
    const { seen } = await renderApp("/employees/new", [Area.EMPLOYEES]);
    const drawer = await screen.findByRole("dialog");
    fireEvent.change(within(drawer).getByLabelText(/^Vorname/), { target: { value: "Jürgen" } });
    fireEvent.change(within(drawer).getByLabelText(/^Nachname/), { target: { value: "Müller-Lüdenscheidt" } });
    fireEvent.change(within(drawer).getByLabelText(/^Personalnummer/), { target: { value: "P-0099" } });
    fireEvent.change(within(drawer).getByLabelText(/^Eintrittsdatum/), { target: { value: "1.4.2010" } });
    fireEvent.change(within(drawer).getByLabelText(/^Austrittsdatum/), { target: { value: "31.12.2009" } });
    fireEvent.click(within(drawer).getByRole("button", { name: "Aufgabe hinzufügen" }));
    fireEvent.change(within(drawer).getByLabelText(/^Aufgabe 1/), { target: { value: "Einkauf steuern" } });
    fireEvent.click(within(drawer).getByRole("button", { name: "Aufgabe hinzufügen" }));
    fireEvent.change(within(drawer).getByLabelText(/^Aufgabe 2/), { target: { value: "Lieferanten bewerten" } });
    fireEvent.click(within(drawer).getByRole("button", { name: "Nach oben: Aufgabe 2" }));
    fireEvent.click(within(drawer).getByRole("button", { name: "Unterbrechung hinzufügen" }));
    const row = within(drawer).getByRole("group", { name: "Unterbrechung 1" });
    fireEvent.change(within(row).getByLabelText(/^Von/), { target: { value: "01.06.2015" } });
    fireEvent.change(within(row).getByLabelText(/^Bis/), { target: { value: "01.01.2015" } });
    expect(within(drawer).getByText(/erscheinen nie ohne den ausdrücklichen Wunsch/)).toBeTruthy();
    fireEvent.click(within(drawer).getByRole("button", { name: "Speichern" }));

    await waitFor(() => expect(within(drawer).getByText("Das Austrittsdatum darf nicht vor dem Eintrittsdatum liegen.")).toBeTruthy());
    expect(within(row).getByText("Das Ende darf nicht vor dem Beginn liegen.")).toBeTruthy();
    expect(seen.creates).toHaveLength(1);
    expect(seen.creates[0]!.fields).toMatchObject({
      firstName: "Jürgen",
      entryDate: "2010-04-01",
      exitDate: "2009-12-31",
      tasks: ["Lieferanten bewerten", "Einkauf steuern"],
      interruptions: [{ fromDate: "2015-06-01", toDate: "2015-01-01" }],
    });
  }, 60_000);

  it("refuses a date that does not exist before sending", async () => {
    const { seen } = await renderApp("/employees/new", [Area.EMPLOYEES]);
    const drawer = await screen.findByRole("dialog");
    fireEvent.change(within(drawer).getByLabelText(/^Vorname/), { target: { value: "Erika" } });
    fireEvent.change(within(drawer).getByLabelText(/^Nachname/), { target: { value: "Muster" } });
    fireEvent.change(within(drawer).getByLabelText(/^Personalnummer/), { target: { value: "17" } });
    fireEvent.change(within(drawer).getByLabelText(/^Geburtsdatum/), { target: { value: "30.02.1990" } });
    fireEvent.click(within(drawer).getByRole("button", { name: "Speichern" }));
    await waitFor(() => expect(within(drawer).getByText(/Bitte ein gültiges Datum im Format TT.MM.JJJJ/)).toBeTruthy());
    expect(seen.creates).toHaveLength(0);
  }, 60_000);

  it("keeps the input and offers a reload when someone else saved first", async () => {
    const { seen } = await renderApp(`/employees/${employee(1).id}`, [Area.EMPLOYEES], { stale: true });
    const drawer = await screen.findByRole("dialog");
    const job = (await within(drawer).findByLabelText(/^Position/)) as HTMLInputElement;
    await waitFor(() => expect(job.value).toBe("Position 1"));
    expect((within(drawer).getByLabelText(/^Eintrittsdatum/) as HTMLInputElement).value).toBe("01.04.2010");
    fireEvent.change(job, { target: { value: "Leiter Einkauf" } });
    fireEvent.click(within(drawer).getByRole("button", { name: "Speichern" }));
    expect(await within(drawer).findByText("Der Eintrag wurde inzwischen von jemand anderem geändert. Bitte neu laden.")).toBeTruthy();
    expect(within(drawer).getByRole("button", { name: "Neu laden" })).toBeTruthy();
    expect(job.value).toBe("Leiter Einkauf");
    expect(seen.updates[0]).toMatchObject({ version: 2n, fields: { jobTitle: "Leiter Einkauf", entryDate: "2010-04-01" } });
  }, 60_000);

  it("shows the data-protection actions only with the Datenschutz area", async () => {
    await renderApp(`/employees/${employee(1).id}`, [Area.EMPLOYEES]);
    const drawer = await screen.findByRole("dialog");
    await within(drawer).findByRole("button", { name: "Speichern" });
    expect(within(drawer).queryByRole("button", { name: "Auskunft exportieren (ZIP)" })).toBeNull();
    expect(within(drawer).queryByRole("button", { name: /Endgültig löschen/ })).toBeNull();
    expect(within(drawer).getByRole("button", { name: "Löschen" })).toBeTruthy();
  }, 60_000);

  it("exports a data subject's data as one ZIP download (document and PDFs)", async () => {
    const { seen } = await renderApp(`/employees/${employee(1).id}`, [Area.EMPLOYEES, Area.PRIVACY]);
    const drawer = await screen.findByRole("dialog");
    fireEvent.click(await within(drawer).findByRole("button", { name: "Auskunft exportieren (ZIP)" }));
    await waitFor(() => expect(downloads.map((d) => d.name)).toEqual(["auskunft-P-0001.zip"]));
    expect(await downloads[0]!.blob.text()).toBe("PK-zip");
    expect(downloads[0]!.blob.type).toBe("application/zip");
    expect(seen.exported).toEqual([employee(1).id]);
  }, 60_000);

  it("sets a legal hold only with a reason", async () => {
    const { seen } = await renderApp(`/employees/${employee(1).id}`, [Area.EMPLOYEES, Area.PRIVACY]);
    const drawer = await screen.findByRole("dialog");
    fireEvent.click(await within(drawer).findByRole("button", { name: "Aufbewahrungssperre setzen" }));
    const modal = await screen.findByRole("dialog", { name: /Aufbewahrungssperre für Jürgen Müller-Lüdenscheidt setzen/ });
    fireEvent.click(within(modal).getByRole("button", { name: "Aufbewahrungssperre setzen" }));
    expect(await within(modal).findByText("Bitte füllen Sie dieses Feld aus.")).toBeTruthy();
    expect(seen.holds).toHaveLength(0);
    fireEvent.change(within(modal).getByLabelText(/^Grund/), { target: { value: "Klage vor dem Arbeitsgericht" } });
    fireEvent.click(within(modal).getByRole("button", { name: "Aufbewahrungssperre setzen" }));
    await waitFor(() => expect(seen.holds).toMatchObject([{ hold: true, reason: "Klage vor dem Arbeitsgericht" }]));
  }, 60_000);

  it("erases only after the personnel number is typed, and says why it is refused", async () => {
    const { seen } = await renderApp(`/employees/${employee(1).id}`, [Area.ADMINISTRATOR], { held: true });
    const drawer = await screen.findByRole("dialog");
    expect(await within(drawer).findByRole("button", { name: "Aufbewahrungssperre aufheben" })).toBeTruthy();
    fireEvent.click(within(drawer).getByRole("button", { name: "Endgültig löschen (Art. 17 DSGVO)" }));
    const modal = await screen.findByRole("dialog", { name: "Jürgen Müller-Lüdenscheidt endgültig löschen?" });
    expect(within(modal).getByText(/alle Stammdaten/)).toBeTruthy();
    expect(within(modal).getByText(/behält nur die Kennung/)).toBeTruthy();
    const confirm = within(modal).getByRole("button", { name: "Endgültig löschen (Art. 17 DSGVO)" }) as HTMLButtonElement;
    expect(confirm.disabled).toBe(true);
    const input = within(modal).getByLabelText(/Personalnummer eingeben/);
    fireEvent.change(input, { target: { value: "P-9" } });
    expect(within(modal).getByText("Die Personalnummer stimmt nicht überein.")).toBeTruthy();
    fireEvent.change(input, { target: { value: "P-0001" } });
    expect(confirm.disabled).toBe(false);
    fireEvent.click(confirm);
    expect(await within(modal).findByText(/Es besteht eine Aufbewahrungssperre/)).toBeTruthy();
    expect(seen.erasures).toMatchObject([{ id: employee(1).id, confirmPersonnelNumber: "P-0001" }]);
  }, 60_000);

  it("says which certificates keep an employee from being deleted", async () => {
    await renderApp(`/employees/${employee(1).id}`, [Area.EMPLOYEES]);
    const drawer = await screen.findByRole("dialog");
    fireEvent.click(await within(drawer).findByRole("button", { name: "Löschen" }));
    const modal = await screen.findByRole("dialog", { name: "Jürgen Müller-Lüdenscheidt löschen?" });
    fireEvent.click(within(modal).getByRole("button", { name: "Löschen" }));
    expect(
      await within(modal).findByText(
        "Auf diesen Mitarbeiter verweisen noch Zeugnisse (2 Zeugnisse über den Mitarbeiter, 1 Zeugnis, das der Mitarbeiter unterzeichnet hat). Sie müssen aufbewahrt werden; der Stammsatz kann deshalb nicht gelöscht werden.",
      ),
    ).toBeTruthy();
  }, 60_000);

  it("offers no create, import or save to a reader without write access", async () => {
    const f = fake();
    const principal = testPrincipal([Area.EMPLOYEES]);
    principal.tenantReadOnly = true;
    const session = await signedIn(principal);
    const router = createMemoryRouter(routes, { initialEntries: [`/employees/${employee(2).id}`] });
    render(<RouterProvider router={router} />, { wrapper: providers(f.transport, null, session) });
    const drawer = await screen.findByRole("dialog");
    await waitFor(() => expect((within(drawer).getByLabelText(/^Position/) as HTMLInputElement).value).toBe("Position 2"));
    expect(within(drawer).queryByRole("button", { name: "Speichern" })).toBeNull();
    expect(screen.queryByRole("link", { name: "Mitarbeiter anlegen" })).toBeNull();
    expect(screen.queryByRole("link", { name: "Importieren" })).toBeNull();
    expect(screen.getByRole("button", { name: "Exportieren" })).toBeTruthy();
  }, 60_000);
});

describe("exportEmployees", () => {
  it("joins the streamed chunks into one file named by the first message", async () => {
    const { transport } = fake();
    const file = await exportEmployees(transport, ExportFormat.CSV, { companyId: companyA });
    expect(file.fileName).toBe("mitarbeiter-2026-11-27.csv");
    expect(file.blob.type).toBe("text/csv; charset=utf-8");
    const bytes = new Uint8Array(await file.blob.arrayBuffer());
    expect(Array.from(bytes.slice(0, 3))).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes)).toBe(`\ufeffPersonalnummer;Nachname\r\nP-0001;Müller\r\n${companyA}\r\n`);
  }, 60_000);
});
