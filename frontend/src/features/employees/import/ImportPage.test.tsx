// @vitest-environment happy-dom
import { create } from "@bufbuild/protobuf";
import { createRouterTransport } from "@connectrpc/connect";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { createMemoryRouter, RouterProvider } from "react-router";
import { afterEach, describe, expect, it } from "vitest";
import { Area } from "../../../gen/zeugo/v1/access_pb.js";
import {
  EmployeeService,
  ImportField,
  PreviewEmployeeImportResponseSchema,
  type CommitEmployeeImportRequest,
  type PreviewEmployeeImportRequest,
} from "../../../gen/zeugo/v1/employees_pb.js";
import { routes } from "../../../routes.js";
import { providers, signedIn, testPrincipal } from "../../../test/render.js";

afterEach(cleanup);

const columns = [
  { index: 0, header: "Personalnummer", field: ImportField.PERSONNEL_NUMBER },
  { index: 1, header: "Vorname", field: ImportField.FIRST_NAME },
  { index: 2, header: "Familie", field: ImportField.UNSPECIFIED },
];

function fake() {
  const seen = { previews: [] as PreviewEmployeeImportRequest[], commits: [] as CommitEmployeeImportRequest[] };
  const transport = createRouterTransport(({ service }) => {
    service(EmployeeService, {
      previewEmployeeImport: (req) => {
        seen.previews.push(req);
        const text = new TextDecoder().decode(req.file?.content);
        // The fixed file's last column is called "Nachname": the server guesses it.
        const guessed = text.startsWith("Personalnummer;Vorname;Nachname")
          ? columns.map((c) => (c.index === 2 ? { ...c, header: "Nachname", field: ImportField.LAST_NAME } : c))
          : columns;
        const mapped = req.options?.columns.length ? req.options.columns : guessed;
        const broken = text.includes(";;");
        return create(PreviewEmployeeImportResponseSchema, {
          encoding: "UTF-8",
          delimiter: ";",
          rows: 2,
          columns: mapped,
          problemCount: broken ? 1 : 0,
          problems: broken
            ? [{ line: 3, column: 1, header: "Vorname", field: ImportField.FIRST_NAME, code: "required", messageDe: "Pflichtfeld „Vorname“ ist leer.", messageEn: 'The required field "Vorname" is empty.' }]
            : [],
          missing: req.options?.createMissing ? [] : [{ field: ImportField.DEPARTMENT, name: "Vertrieb", rows: 2 }],
          sample: [{ personnelNumber: "1001", firstName: "Jürgen", lastName: "Müller", entryDate: "2019-04-01", departmentId: "d1" }],
          names: { d1: "Vertrieb" },
        });
      },
      async *commitEmployeeImport(req) {
        seen.commits.push(req);
        yield { event: { case: "progress", value: { done: 1, total: 2 } } };
        yield { event: { case: "progress", value: { done: 2, total: 2 } } };
        yield { event: { case: "result", value: { created: 2, unitsCreated: 1 } } };
      },
    });
  });
  return { transport, seen };
}

async function renderWizard(areas = [Area.EMPLOYEES]) {
  const f = fake();
  const session = await signedIn(testPrincipal(areas));
  const router = createMemoryRouter(routes, { initialEntries: ["/employees/import"] });
  render(<RouterProvider router={router} />, { wrapper: providers(f.transport, null, session) });
  return f;
}

function upload(name: string, text: string, size?: number) {
  const input = document.querySelector<HTMLInputElement>('input[type="file"]');
  if (!input) throw new Error("no file input");
  const file = new File([text], name, { type: "text/csv" });
  if (size !== undefined) Object.defineProperty(file, "size", { value: size });
  fireEvent.change(input, { target: { files: [file] } });
}

describe("ImportPage", () => {
  it("refuses files over 20 MB and other types before uploading", async () => {
    const { seen } = await renderWizard();
    await screen.findByText("Datei hierher ziehen oder auswählen");
    upload("riesig.csv", "x", 21 * 1024 * 1024);
    expect((await screen.findByRole("alert")).textContent).toContain("größer als 20 MB");
    upload("bild.png", "x");
    await waitFor(() => expect(screen.getByRole("alert").textContent).toContain("keine CSV- oder Excel-Datei"));
    expect(seen.previews).toHaveLength(0);
  });

  it("maps columns, lists problems by line, creates missing units and imports with progress", async () => {
    const { seen } = await renderWizard();
    await screen.findByText("Datei hierher ziehen oder auswählen");
    upload("mitarbeiter.csv", "Personalnummer;Vorname;Familie\n1001;Jürgen;Müller\n1002;;Schmidt\n;;\n");

    // Step 2: the mapping from the server; the last name is not mapped yet.
    const familie = (await screen.findAllByLabelText("Feld für Spalte „Familie“")).find((e) => e.tagName === "INPUT")!;
    expect(screen.getByText("Noch nicht zugeordnet: Nachname")).toBeTruthy();
    const next = screen.getByRole("button", { name: "Weiter zur Prüfung" });
    expect((next as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(familie);
    const listbox = screen.getAllByRole("listbox", { hidden: true }).find((l) => l.getAttribute("aria-label") === "Feld für Spalte „Familie“")!;
    fireEvent.click(within(listbox).getByRole("option", { hidden: true, name: "Nachname *" }));
    await waitFor(() => expect((next as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(next);

    // Step 3: the problem by line and column, in German.
    const problems = await screen.findByRole("table", { name: "Probleme der Datei" });
    const row = within(problems).getAllByRole("row")[1]!;
    expect(row.textContent).toContain("3");
    expect(row.textContent).toContain("Pflichtfeld „Vorname“ ist leer.");
    expect(seen.previews[1]?.options?.columns.map((c) => c.field)).toEqual([
      ImportField.PERSONNEL_NUMBER,
      ImportField.FIRST_NAME,
      ImportField.LAST_NAME,
    ]);
    expect((screen.getByRole("button", { name: "2 Mitarbeiter importieren" }) as HTMLButtonElement).disabled).toBe(true);

    // The fixed file: no problems; the missing department is created.
    fireEvent.click(screen.getByRole("button", { name: "Andere Datei hochladen" }));
    await screen.findByText("Datei hierher ziehen oder auswählen");
    upload("mitarbeiter.csv", "Personalnummer;Vorname;Nachname\n1001;Jürgen;Müller\n1002;Paul;Schmidt\n");
    fireEvent.click(await screen.findByRole("button", { name: "Weiter zur Prüfung" }));
    await screen.findByText("Alle 2 Zeilen sind in Ordnung.");
    expect(screen.getByText(/Abteilung: Vertrieb/)).toBeTruthy();
    fireEvent.click(screen.getByRole("switch", { name: "Fehlende Einträge beim Import anlegen" }));
    await waitFor(() => expect(seen.previews.at(-1)?.options?.createMissing).toBe(true));
    const sample = screen.getByRole("table", { name: "Vorschau der ersten Zeilen" });
    expect(sample.textContent).toContain("01.04.2019");
    const importButton = screen.getByRole("button", { name: "2 Mitarbeiter importieren" });
    await waitFor(() => expect((importButton as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(importButton);

    // Step 4: the result and the way to the list.
    expect((await screen.findByRole("status", {}, { timeout: 5000 })).textContent).toContain("2 Mitarbeiter importiert");
    expect(screen.getByText("Dabei wurde 1 Eintrag der Unternehmensstruktur angelegt.")).toBeTruthy();
    expect(screen.getByRole("link", { name: "Zur Mitarbeiterliste" }).getAttribute("href")).toBe("/employees");
    expect(seen.commits).toHaveLength(1);
    expect(seen.commits[0]?.options?.createMissing).toBe(true);
    expect(seen.commits[0]?.options?.columns[2]?.field).toBe(ImportField.LAST_NAME);
  }, 60_000);

  it("is closed to users without the employees area", async () => {
    await renderWizard([Area.USERS]);
    expect(await screen.findByRole("heading", { name: "Kein Zugriff" })).toBeTruthy();
    expect(screen.queryByText("Datei hierher ziehen oder auswählen")).toBeNull();
  });
});
