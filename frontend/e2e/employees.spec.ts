import type { Browser, Page } from "@playwright/test";
import { readFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { apiToken, rpc } from "./api.js";
import { expectAccessible } from "./axe.js";
import { expect, login, screenshot, test, uniqueName } from "./fixtures.js";
import { unzip } from "./zip.js";

const screens = resolve(dirname(fileURLToPath(import.meta.url)), "../test-results/screens");

/** view saves what the browser window shows (a drawer is fixed to it, so a full-page picture would cut it). */
async function view(page: Page, name: string): Promise<void> {
  await page.waitForTimeout(350);
  await page.screenshot({ path: join(screens, `${name}.png`) });
}

/** A personnel number no other test or run uses. */
function uniqueNumber(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}${Math.floor(Math.random() * 1e4).toString(36)}`.toUpperCase();
}

async function signedInPage(browser: Browser, baseURL: string | undefined, admin: { email: string; password: string }): Promise<Page> {
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  await page.goto("/");
  await login(page, admin.email, admin.password);
  return page;
}

test.describe("employees", () => {
  test("create Jürgen Müller-Lüdenscheidt, find him by 'mueller' and 'Mül', edit, and see a conflict", async ({ page, admin, browser, baseURL }) => {
    test.slow();
    const number = uniqueNumber("E2E");
    await page.goto("/");
    await login(page, admin.email, admin.password);
    await page.getByRole("navigation", { name: "Hauptnavigation" }).getByRole("link", { name: "Mitarbeiter", exact: true }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Mitarbeiter" })).toBeVisible();

    // Create through the form.
    await page.getByRole("link", { name: "Mitarbeiter anlegen" }).first().click();
    const form = page.getByRole("dialog", { name: "Neuer Mitarbeiter" });
    await form.getByRole("textbox", { name: "Vorname" }).fill("Jürgen");
    await form.getByRole("textbox", { name: "Nachname" }).fill("Müller-Lüdenscheidt");
    await form.getByRole("textbox", { name: "Geburtsdatum" }).fill("29.02.1980");
    await form.getByRole("textbox", { name: "Personalnummer" }).fill(number);
    await form.getByRole("textbox", { name: "Position" }).fill("Sachbearbeiter Einkauf");
    await form.getByRole("textbox", { name: "Eintrittsdatum" }).fill("01.04.2010");
    await form.getByRole("button", { name: "Aufgabe hinzufügen" }).click();
    await form.getByRole("textbox", { name: "Aufgabe 1" }).fill("Lieferanten auswählen und bewerten");
    await form.getByRole("button", { name: "Speichern" }).click();
    await expect(form).toBeHidden();
    await expect(page.getByText("Jürgen Müller-Lüdenscheidt wurde angelegt.")).toBeVisible();

    // Search: the folded spelling and a prefix with an umlaut both find him.
    const search = page.getByRole("searchbox", { name: "Mitarbeiter suchen" });
    const table = page.getByRole("table", { name: "Mitarbeiter" });
    for (const query of ["mueller", "Mül"]) {
      await search.fill(query);
      await expect(table.getByRole("row", { name: new RegExp(number) })).toBeVisible();
      await expect(table.getByText("Müller-Lüdenscheidt, Jürgen").first()).toBeVisible();
    }
    await expectAccessible(page, "employee list");

    // Open and edit the job title.
    await table.getByRole("row", { name: new RegExp(number) }).click();
    const detail = page.getByRole("dialog", { name: "Jürgen Müller-Lüdenscheidt" });
    await expect(detail.getByRole("textbox", { name: "Position" })).toHaveValue("Sachbearbeiter Einkauf");
    await expect(detail.getByRole("textbox", { name: "Geburtsdatum" })).toHaveValue("29.02.1980");
    await expectAccessible(page, "employee form");
    await detail.getByRole("textbox", { name: "Position" }).fill("Leiter Einkauf");
    await detail.getByRole("button", { name: "Speichern" }).click();
    await expect(detail).toBeHidden();
    await expect(table.getByRole("row", { name: new RegExp(number) })).toContainText("Leiter Einkauf");

    // The conflict: two browsers (contexts) open the same employee and both edit it.
    await table.getByRole("row", { name: new RegExp(number) }).click();
    await expect(page).toHaveURL(/\/employees\/[0-9a-f-]{36}$/);
    const employeeUrl = new URL(page.url()).pathname;
    const first = page;
    const second = await signedInPage(browser, baseURL, admin);
    await second.goto(employeeUrl);
    for (const p of [first, second]) {
      await expect(p.getByRole("dialog", { name: "Jürgen Müller-Lüdenscheidt" }).getByRole("textbox", { name: "Position" })).toHaveValue("Leiter Einkauf");
    }
    await first.getByRole("dialog", { name: "Jürgen Müller-Lüdenscheidt" }).getByRole("textbox", { name: "Position" }).fill("Leiter Einkauf und Logistik");
    await second.getByRole("dialog", { name: "Jürgen Müller-Lüdenscheidt" }).getByRole("textbox", { name: "Position" }).fill("Bereichsleiter Beschaffung");
    await first.getByRole("dialog", { name: "Jürgen Müller-Lüdenscheidt" }).getByRole("button", { name: "Speichern" }).click();
    await expect(first.getByRole("dialog", { name: "Jürgen Müller-Lüdenscheidt" })).toBeHidden();
    await second.getByRole("dialog", { name: "Jürgen Müller-Lüdenscheidt" }).getByRole("button", { name: "Speichern" }).click();
    const secondForm = second.getByRole("dialog", { name: "Jürgen Müller-Lüdenscheidt" });
    await expect(secondForm.getByRole("alert")).toContainText("Der Eintrag wurde inzwischen von jemand anderem geändert. Bitte neu laden.");
    await expect(secondForm.getByRole("textbox", { name: "Position" })).toHaveValue("Bereichsleiter Beschaffung");
    await view(second, "employee-conflict");
    // Reloading shows what the first browser saved.
    await secondForm.getByRole("button", { name: "Neu laden" }).click();
    await expect(secondForm.getByRole("textbox", { name: "Position" })).toHaveValue("Leiter Einkauf und Logistik");
    await second.context().close();
  });

  test("the list with 30 employees, the form's sections and the data-protection actions", async ({ page, admin, request }) => {
    test.slow();
    const token = await apiToken(request, admin.email, admin.password);
    const companies = await rpc<{ companies?: { id: string }[] }>(request, "OrganizationService/ListCompanies", {}, token);
    // Units of its own: another spec running beside it creates and deletes
    // units, and one filed on an employee can no longer be deleted.
    const units = async (kind: string, names: string[]) =>
      Promise.all(
        names.map(async (name) =>
          (await rpc<{ unit?: { id: string } }>(request, "OrganizationService/CreateUnit", { kind, fields: { name: uniqueName(name) } }, token)).unit ?? { id: "" },
        ),
      );
    const [locations, departments, types] = await Promise.all([
      units("UNIT_KIND_LOCATION", ["Leipzig", "Bremen"]),
      units("UNIT_KIND_DEPARTMENT", ["Einkauf", "Logistik", "Controlling"]),
      units("UNIT_KIND_EMPLOYEE_TYPE", ["Werkstudierende"]),
    ]);
    const first = ["Anna", "Bernd", "Claudia", "Dieter", "Elif", "Frank", "Gül", "Hannes", "Ines", "Jörg"];
    const last = ["Schäfer", "Weiß", "Krüger", "Öztürk", "Hoffmann", "Bäcker", "Groß", "Yılmaz", "Schulze", "Meißner"];
    const jobs = ["Sachbearbeiterin Personal", "Vertriebsleiter", "Softwareentwicklerin", "Auszubildender Industriekaufmann", "Buchhalterin"];
    const prefix = uniqueNumber("S");
    for (let i = 0; i < 30; i++) {
      const left = i % 4 === 3;
      await rpc(request, "EmployeeService/CreateEmployee", {
        fields: {
          salutation: i % 2 === 0 ? "SALUTATION_FRAU" : "SALUTATION_HERR",
          firstName: first[i % first.length],
          lastName: last[(i * 3) % last.length],
          personnelNumber: `${prefix}-${String(i + 1).padStart(3, "0")}`,
          companyId: companies.companies?.[0]?.id ?? "",
          locationId: locations[i % Math.max(locations.length, 1)]?.id ?? "",
          departmentId: departments[i % Math.max(departments.length, 1)]?.id ?? "",
          employeeTypeId: types[i % Math.max(types.length, 1)]?.id ?? "",
          entryDate: `${2005 + (i % 18)}-${String((i % 12) + 1).padStart(2, "0")}-01`,
          exitDate: left ? `2024-${String((i % 12) + 1).padStart(2, "0")}-28` : "",
          exitReason: left ? "EXIT_REASON_OWN_WISH" : "EXIT_REASON_UNSPECIFIED",
          jobTitle: jobs[i % jobs.length],
          tasks: ["Bearbeitung der laufenden Vorgänge", "Abstimmung mit den Fachabteilungen"],
          interruptions: i === 0 ? [{ fromDate: "2019-03-01", toDate: "2020-02-29", reason: "INTERRUPTION_REASON_PARENTAL_LEAVE" }] : [],
          authorities: i === 0 ? [{ kind: "AUTHORITY_KIND_PROKURA", sinceDate: "2021-07-01" }] : [],
        },
      }, token);
    }

    await page.goto("/");
    await login(page, admin.email, admin.password);
    await page.goto("/employees");
    const table = page.getByRole("table", { name: "Mitarbeiter" });
    await expect(table.getByRole("row", { name: new RegExp(`${prefix}-030`) })).toBeVisible();
    await screenshot(page, "employees-list");

    // Filters: only those who left.
    await page.locator("label", { hasText: /^Ausgeschieden$/ }).click();
    await expect(table.getByText("Aktiv", { exact: true })).toHaveCount(0);
    await expect(table.getByText("Ausgeschieden").first()).toBeVisible();
    // The export applies the filters: a CSV of those who left, as German Excel reads it.
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      (async () => {
        await page.getByRole("button", { name: "Exportieren" }).click();
        await page.getByRole("menuitem", { name: "Als CSV (Excel)" }).click();
      })(),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.csv$/);
    const csv = await readFile((await download.path()) ?? "", "utf8");
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const rows = csv.trim().split("\r\n");
    expect(rows[0]).toContain(";");
    expect(rows.length).toBeGreaterThan(1);
    expect(csv).toContain(`${prefix}-004`);
    expect(csv).not.toContain(`${prefix}-001`);
    await page.locator("label", { hasText: /^Alle$/ }).click();

    await table.getByRole("row", { name: new RegExp(`${prefix}-001`) }).click();
    // Seeded first: Anna Schäfer (the name is the drawer's title; modals over it are dialogs too).
    const drawer = page.getByRole("dialog", { name: "Anna Schäfer", exact: true });
    await expect(drawer.getByRole("textbox", { name: "Personalnummer" })).toHaveValue(`${prefix}-001`);
    await view(page, "employee-form-top");
    await drawer.getByRole("heading", { name: "Beschäftigung" }).evaluate((el) => el.scrollIntoView({ block: "start" }));
    await view(page, "employee-form-employment");
    await drawer.getByRole("heading", { name: "Aufgaben" }).evaluate((el) => el.scrollIntoView({ block: "start" }));
    await view(page, "employee-form-tasks");
    await drawer.getByRole("heading", { name: "Datenschutz" }).scrollIntoViewIfNeeded();
    await view(page, "employee-form-privacy");
    await expectAccessible(page, "employee form with data protection");

    // The erasure confirmation says what goes and asks for the personnel number.
    await drawer.getByRole("button", { name: "Endgültig löschen (Art. 17 DSGVO)" }).click();
    const erase = page.getByRole("dialog", { name: /endgültig löschen\?/ });
    await expect(erase.getByText(/alle Stammdaten/)).toBeVisible();
    await expect(erase.getByRole("button", { name: "Endgültig löschen (Art. 17 DSGVO)" })).toBeDisabled();
    await view(page, "employee-erase-confirmation");
    await expectAccessible(page, "erase confirmation");
    await erase.getByRole("button", { name: "Abbrechen" }).click();

    // A legal hold needs a reason, shows in the detail and in the list, and blocks deletion.
    await drawer.getByRole("button", { name: "Aufbewahrungssperre setzen" }).click();
    const hold = page.getByRole("dialog", { name: /Aufbewahrungssperre für .* setzen/ });
    await hold.getByRole("textbox", { name: "Grund" }).fill("Klage vor dem Arbeitsgericht, Az. 3 Ca 123/26");
    await hold.getByRole("button", { name: "Aufbewahrungssperre setzen" }).click();
    await expect(hold).toBeHidden();
    await expect(drawer.getByText(/Aufbewahrungssperre seit .*: Klage vor dem Arbeitsgericht/)).toBeVisible();
    await drawer.getByRole("button", { name: "Löschen", exact: true }).click();
    const confirm = page.getByRole("dialog", { name: /löschen\?/ });
    await confirm.getByRole("button", { name: "Löschen" }).click();
    await expect(confirm.getByRole("alert")).toContainText("Es besteht eine Aufbewahrungssperre.");
    await view(page, "employee-delete-refused");
    await confirm.getByRole("button", { name: "Abbrechen" }).click();

    // The data subject's export (Art. 15/20): one ZIP with the JSON document
    // about this person (and their certificates' PDFs: none here).
    const [answer] = await Promise.all([
      page.waitForEvent("download"),
      drawer.getByRole("button", { name: "Auskunft exportieren (ZIP)" }).click(),
    ]);
    expect(answer.suggestedFilename()).toMatch(/\.zip$/);
    const entries = unzip(await readFile((await answer.path()) ?? ""));
    const jsonName = [...entries.keys()].find((n) => n.endsWith(".json")) ?? "";
    expect([...entries.keys()]).toEqual([jsonName]);
    const text = entries.get(jsonName)?.toString("utf8") ?? "";
    expect(() => JSON.parse(text) as unknown).not.toThrow();
    expect(text).toContain(`${prefix}-001`);
    expect(text).not.toContain(`${prefix}-002`);

    // Erasure (Art. 17): refused under the hold, done once it is lifted and the number is typed.
    await drawer.getByRole("button", { name: "Aufbewahrungssperre aufheben" }).click();
    const lift = page.getByRole("dialog", { name: /Aufbewahrungssperre für .* aufheben\?/ });
    await lift.getByRole("button", { name: "Aufbewahrungssperre aufheben" }).click();
    await expect(lift).toBeHidden();
    await expect(drawer.getByRole("button", { name: "Aufbewahrungssperre setzen" })).toBeVisible();
    await drawer.getByRole("button", { name: "Endgültig löschen (Art. 17 DSGVO)" }).click();
    const eraseNow = page.getByRole("dialog", { name: /endgültig löschen\?/ });
    await eraseNow.getByRole("textbox", { name: /Personalnummer eingeben/ }).fill(`${prefix}-001`);
    await eraseNow.getByRole("button", { name: "Endgültig löschen (Art. 17 DSGVO)" }).click();
    await expect(page.getByText(/wurden endgültig gelöscht/)).toBeVisible();
    await expect(drawer).toBeHidden();
    await page.getByRole("searchbox", { name: "Mitarbeiter suchen" }).fill(`${prefix}-001`);
    await expect(page.getByTestId("table-range")).toHaveText("Keine Einträge");
  });
});
