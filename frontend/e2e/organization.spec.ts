import type { Locator, Page } from "@playwright/test";
import { apiToken, rpc } from "./api.js";
import { expect, login, screenshot, test, uniqueName } from "./fixtures.js";

/** expectFieldError: the input is marked invalid and its description carries the message. */
async function expectFieldError(scope: Page | Locator, label: string, message: string | RegExp, exact = false) {
  const input = scope.getByLabel(label, { exact });
  await expect(input).toHaveAttribute("aria-invalid", "true");
  await expect(input).toHaveAccessibleDescription(typeof message === "string" ? new RegExp(escape(message)) : message);
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * search narrows a list to the rows containing text (the lists are paged:
 * a new row may sit on a later page) and waits until the search has applied.
 */
async function search(page: Page, label: string, text: string) {
  const box = page.getByRole("searchbox", { name: label });
  await box.fill(text);
  // Enter searches at once instead of after the typing pause.
  await box.press("Enter");
  await expect(page.getByRole("table")).toHaveAttribute("aria-busy", "false");
}

test.describe("organization structure", () => {
  test("validation errors appear next to the field: client rules and the server's zeugo.unique", async ({ page, admin }) => {
    let createCalls = 0;
    page.on("request", (req) => {
      if (req.url().endsWith("/zeugo.v1.OrganizationService/CreateCompany")) createCalls++;
    });
    await page.goto("/organisation/companies/new");
    await login(page, admin.email, admin.password);
    await expect(page.getByRole("heading", { level: 1, name: "Neues Unternehmen" })).toBeVisible();

    const name = uniqueName("Prüf AG");
    await page.getByLabel("Name (Firma)").fill(name);
    await page.getByLabel("E-Mail-Adresse").fill("keine-email-adresse");
    await page.getByLabel("USt-IdNr.").fill("de 123");
    await page.getByRole("button", { name: "Speichern" }).click();
    // Client-side: the proto rules, checked before anything is sent.
    await expectFieldError(page, "E-Mail-Adresse", "Bitte geben Sie eine gültige E-Mail-Adresse ein");
    await expectFieldError(page, "USt-IdNr.", "Nur Großbuchstaben und Ziffern");
    await expect(page.getByLabel("E-Mail-Adresse")).toBeFocused();
    expect(createCalls).toBe(0);
    await screenshot(page, "09-company-client-validation");

    await page.getByLabel("E-Mail-Adresse").fill("info@pruef.de");
    await page.getByLabel("USt-IdNr.").fill("");
    await page.getByRole("button", { name: "Speichern" }).click();
    await expect(page).toHaveURL(/\/organisation\/companies$/);
    expect(createCalls).toBe(1);

    // Server-side: the same name again is refused with zeugo.unique on fields.name.
    await page.getByRole("link", { name: "Unternehmen anlegen" }).click();
    await page.getByLabel("Name (Firma)").fill(name);
    await page.getByRole("button", { name: "Speichern" }).click();
    await expectFieldError(page, "Name (Firma)", "Dieser Name ist bereits vergeben");
    await expect(page.getByLabel("Name (Firma)")).toBeFocused();
    expect(createCalls).toBe(2);
    await screenshot(page, "10-company-server-unique");

    // Server-side protovalidate violations: let the client validation pass,
    // then send an invalid email in the request the server receives.
    await page.route("**/zeugo.v1.OrganizationService/CreateCompany", async (route) => {
      await route.continue({
        headers: { ...route.request().headers(), "content-type": "application/json" },
        postData: JSON.stringify({ fields: { name: uniqueName("Umgehung AG"), email: "keine-email-adresse" } }),
      });
    });
    await page.getByLabel("Name (Firma)").fill(uniqueName("Umgehung AG"));
    await page.getByLabel("E-Mail-Adresse").fill("gueltig@umgehung.de");
    await page.getByRole("button", { name: "Speichern" }).click();
    await expectFieldError(page, "E-Mail-Adresse", "Bitte geben Sie eine gültige E-Mail-Adresse ein");
    expect(createCalls).toBe(3);
  });

  test("deep links open their page after sign-in and survive a reload", async ({ page, admin }) => {
    await page.goto("/");
    await login(page, admin.email, admin.password);
    const name = uniqueName("Tiefe Verlinkung GmbH");
    await page.goto("/organisation/companies/new");
    await page.getByLabel("Name (Firma)").fill(name);
    await page.getByLabel("Ort", { exact: true }).fill("Hamburg");
    await page.getByRole("button", { name: "Speichern" }).click();
    await search(page, "Nach Name oder Ort suchen", name);
    await page.getByRole("link", { name, exact: true }).click();
    await expect(page).toHaveURL(/\/organisation\/companies\/[0-9a-f-]{36}$/);
    const url = page.url();
    await expect(page.getByLabel("Name (Firma)")).toHaveValue(name);

    await page.reload();
    await expect(page).toHaveURL(url);
    await expect(page.getByLabel("Name (Firma)")).toHaveValue(name);
    await expect(page.getByLabel("Ort", { exact: true })).toHaveValue("Hamburg");

    // A fresh browser context (no cookie) opening the deep link signs in first
    // and then shows the same page.
    const other = await page.context().browser()!.newContext({ ignoreHTTPSErrors: true, baseURL: new URL(url).origin });
    const second = await other.newPage();
    await second.goto(url);
    await expect(second.getByRole("heading", { name: "Anmelden" })).toBeVisible();
    await login(second, admin.email, admin.password);
    await expect(second.getByLabel("Name (Firma)")).toHaveValue(name);
    await other.close();

    // Unknown paths inside the app show the not-found page, not a blank screen.
    await page.goto("/gibt-es-nicht");
    await expect(page.getByRole("heading", { level: 1, name: "Seite nicht gefunden" })).toBeVisible();
    // So does a company id that does not exist, well-formed or not.
    for (const id of ["01939f5e-0000-7000-8000-000000000000", "kein-gueltiger-schluessel"]) {
      await page.goto(`/organisation/companies/${id}`);
      await expect(page.getByRole("alert")).toContainText("nicht gefunden");
    }
  });

  test("locations: create, edit and delete in a dialog, by keyboard", async ({ page, admin }) => {
    await page.goto("/organisation/locations");
    await login(page, admin.email, admin.password);
    await expect(page.getByRole("heading", { level: 1, name: "Standorte" })).toBeVisible();
    await screenshot(page, "11-locations");

    const name = uniqueName("Werk Nord");
    await page.getByRole("link", { name: "Standort anlegen" }).first().click();
    const dialog = page.getByRole("dialog", { name: "Neuer Standort" });
    await expect(dialog).toBeVisible();
    await expect(dialog.getByLabel("Name")).toBeFocused();
    // An empty name is refused by the client rules.
    await page.keyboard.press("Enter");
    await expectFieldError(dialog, "Name", "Bitte füllen Sie dieses Feld aus.");
    await page.keyboard.type(name);
    await page.keyboard.press("Tab");
    await page.keyboard.type("Produktion und Logistik");
    await screenshot(page, "12-location-dialog");
    await dialog.getByRole("button", { name: "Speichern" }).click();
    await expect(dialog).toBeHidden();
    await expect(page).toHaveURL(/\/organisation\/locations$/);
    await search(page, "Nach Name suchen", name);
    const row = page.getByRole("row", { name: new RegExp(escape(name)) });
    await expect(row).toContainText("Produktion und Logistik");

    // The row is one tab stop and opens with Enter; editing has its own
    // URL, which also works on reload.
    await row.focus();
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/\/organisation\/locations\/[0-9a-f-]{36}$/);
    await page.reload();
    const edit = page.getByRole("dialog", { name: "Standort bearbeiten" });
    await expect(edit.getByLabel("Name")).toHaveValue(name);
    await edit.getByLabel("Beschreibung").fill("Nur Produktion");
    await edit.getByRole("button", { name: "Speichern" }).click();
    await expect(edit).toBeHidden();
    // After the reload the list starts unfiltered again.
    await search(page, "Nach Name suchen", name);
    await expect(row).toContainText("Nur Produktion");
    // The list stays mounted under its dialog: closing it keeps the search.
    await row.click();
    await page.getByRole("dialog", { name: "Standort bearbeiten" }).getByRole("button", { name: "Abbrechen" }).click();
    await expect(page.getByRole("searchbox", { name: "Nach Name suchen" })).toHaveValue(name);
    await expect(row).toBeVisible();

    // Escape closes a dialog without saving.
    await page.getByRole("link", { name: "Standort anlegen" }).first().click();
    await expect(page.getByRole("dialog", { name: "Neuer Standort" })).toBeVisible();
    await page.keyboard.press("Escape");
    await expect(page.getByRole("dialog")).toHaveCount(0);

    // Delete asks first; focus starts on "Abbrechen".
    await row.getByRole("button", { name: `Löschen: ${name}` }).click();
    const confirm = page.getByRole("dialog", { name: `„${name}“ löschen?` });
    await expect(confirm.getByRole("button", { name: "Abbrechen" })).toBeFocused();
    await screenshot(page, "13-delete-confirm");
    await confirm.getByRole("button", { name: "Löschen" }).click();
    await expect(confirm).toBeHidden();
    // Gone: the search now answers with the empty state (whose row names
    // the search term, so look for a row that starts with the name).
    await expect(page.getByRole("row", { name: new RegExp(`^${escape(name)}`) })).toHaveCount(0);
    await expect(page.getByText(`Keine Treffer für „${name}“.`)).toBeVisible();
  });

  test("a company can be edited and deleted", async ({ page, admin }) => {
    await page.goto("/organisation/companies/new");
    await login(page, admin.email, admin.password);
    const name = uniqueName("Lösch KG");
    await page.getByLabel("Name (Firma)").fill(name);
    await page.getByRole("button", { name: "Speichern" }).click();
    await search(page, "Nach Name oder Ort suchen", name);
    await page.getByRole("link", { name, exact: true }).click();
    await page.getByLabel("Ort", { exact: true }).fill("Köln");
    // Leaving with unsaved changes asks first.
    await page.getByRole("link", { name: "Abbrechen" }).click();
    const guard = page.getByRole("dialog", { name: "Änderungen verwerfen?" });
    await expect(guard.getByRole("button", { name: "Weiter bearbeiten" })).toBeFocused();
    await screenshot(page, "16-unsaved-changes");
    await guard.getByRole("button", { name: "Weiter bearbeiten" }).click();
    await expect(guard).toBeHidden();
    await expect(page.getByLabel("Ort", { exact: true })).toHaveValue("Köln");
    await page.getByRole("button", { name: "Speichern" }).click();
    await search(page, "Nach Name oder Ort suchen", name);
    await expect(page.getByRole("row", { name: new RegExp(escape(name)) })).toContainText("Köln");
    await page.getByRole("link", { name, exact: true }).click();
    await screenshot(page, "14-company-edit");

    // Someone else saves the same company in another tab meanwhile: saving
    // here is refused (optimistic concurrency) until the page is reloaded.
    const other = await page.context().newPage();
    await other.goto(page.url());
    await expect(other.getByLabel("Ort", { exact: true })).toHaveValue("Köln");
    await other.getByLabel("Ort", { exact: true }).fill("Bonn");
    await other.getByRole("button", { name: "Speichern" }).click();
    await expect(other).toHaveURL(/\/organisation\/companies$/);
    await other.close();
    await page.getByLabel("Straße und Hausnummer").fill("Domplatz 1");
    await page.getByRole("button", { name: "Speichern" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "von jemand anderem geändert" })).toBeVisible();
    await screenshot(page, "15-company-conflict");
    await page.getByRole("button", { name: "Neu laden" }).click();
    await expect(page.getByLabel("Ort", { exact: true })).toHaveValue("Bonn");

    await page.getByRole("button", { name: "Löschen" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Löschen" }).click();
    await expect(page).toHaveURL(/\/organisation\/companies$/);
    await search(page, "Nach Name oder Ort suchen", name);
    await expect(page.getByText(`Keine Treffer für „${name}“.`)).toBeVisible();
    await expect(page.getByRole("link", { name, exact: true })).toHaveCount(0);
  });

  test("pages through 5,000 units", async ({ page, admin, request }) => {
    // Seeding 5,000 rows through the API takes a while on a busy machine.
    test.setTimeout(10 * 60_000);
    const total = 5000;
    const batch = 20;
    // One prefix for this run's rows: searching for it gives exactly 5,000
    // matches, whatever else the tenant holds, and sorts them by number.
    const prefix = uniqueName("Seite");
    const nameOf = (i: number) => `${prefix} ${String(i).padStart(4, "0")}`;
    const token = await apiToken(request, admin.email, admin.password);
    for (let start = 1; start <= total; start += batch) {
      await Promise.all(
        Array.from({ length: Math.min(batch, total - start + 1) }, (_, k) =>
          rpc(request, "OrganizationService/CreateUnit", { kind: "UNIT_KIND_ORG_UNIT", fields: { name: nameOf(start + k) } }, token),
        ),
      );
    }

    await page.goto("/organisation/org-units");
    await login(page, admin.email, admin.password);
    await expect(page.getByRole("heading", { level: 1, name: "Organisationseinheiten" })).toBeVisible();
    const range = page.getByTestId("table-range");
    const table = page.getByRole("table", { name: "Organisationseinheiten" });
    const firstRow = table.getByRole("row").nth(1);
    const rows = table.getByRole("row");
    const searchBox = page.getByRole("searchbox", { name: "Nach Name suchen" });
    await searchBox.fill(prefix);
    // The search is sent after a pause in typing.
    await expect(range).toHaveText("1–50 von 5.000");
    await expect(firstRow).toContainText(nameOf(1));
    await expect(rows).toHaveCount(51);
    await screenshot(page, "17-units-5000");

    // Forward: by click, then by Enter on the button, which keeps focus.
    const next = page.getByRole("button", { name: "Weiter" });
    const back = page.getByRole("button", { name: "Zurück" });
    await next.click();
    await expect(range).toHaveText("51–100 von 5.000");
    await expect(firstRow).toContainText(nameOf(51));
    await expect(next).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(range).toHaveText("101–150 von 5.000");
    await expect(firstRow).toContainText(nameOf(101));
    await page.keyboard.press("Enter");
    await expect(range).toHaveText("151–200 von 5.000");
    await expect(firstRow).toContainText(nameOf(151));
    await expect(rows).toHaveCount(51);

    // Back again, page by page, to the start.
    await back.click();
    await expect(range).toHaveText("101–150 von 5.000");
    await expect(firstRow).toContainText(nameOf(101));
    await back.click();
    await back.click();
    await expect(range).toHaveText("1–50 von 5.000");
    await expect(firstRow).toContainText(nameOf(1));
    await expect(back).toHaveAttribute("aria-disabled", "true");

    // A keyboard user sorts by name, descending: Tab from the search box
    // reaches the "Name" column's sort button; Enter flips the order.
    const nameHeader = table.getByRole("columnheader", { name: "Name" });
    await expect(nameHeader).toHaveAttribute("aria-sort", "ascending");
    await next.click();
    await expect(range).toHaveText("51–100 von 5.000");
    await searchBox.focus();
    await page.keyboard.press("Tab");
    await expect(nameHeader.getByRole("button", { name: "Name" })).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(nameHeader).toHaveAttribute("aria-sort", "descending");
    // A new order starts at the first page.
    await expect(range).toHaveText("1–50 von 5.000");
    await expect(firstRow).toContainText(nameOf(5000));
    await next.click();
    await expect(range).toHaveText("51–100 von 5.000");
    await expect(firstRow).toContainText(nameOf(4950));
    await screenshot(page, "18-units-5000-descending");
    // Space flips it back.
    await nameHeader.getByRole("button", { name: "Name" }).focus();
    await page.keyboard.press("Space");
    await expect(nameHeader).toHaveAttribute("aria-sort", "ascending");
    await expect(firstRow).toContainText(nameOf(1));

    // A row opens with Enter from the keyboard as well.
    await firstRow.focus();
    await page.keyboard.press("Enter");
    const dialog = page.getByRole("dialog", { name: "Organisationseinheit bearbeiten" });
    await expect(dialog.getByLabel("Name")).toHaveValue(nameOf(1));
    await page.keyboard.press("Escape");
    await expect(dialog).toBeHidden();
    await expect(range).toHaveText("1–50 von 5.000");
  });
});
