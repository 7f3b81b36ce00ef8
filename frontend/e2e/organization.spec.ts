import type { Page } from "@playwright/test";
import { expect, login, screenshot, test, uniqueName } from "./fixtures.js";

/** expectFieldError: the input is marked invalid and its description carries the message. */
async function expectFieldError(page: Page, label: string, message: string | RegExp, exact = false) {
  const input = page.getByLabel(label, { exact });
  await expect(input).toHaveAttribute("aria-invalid", "true");
  await expect(input).toHaveAccessibleDescription(typeof message === "string" ? new RegExp(escape(message)) : message);
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
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
    await expectFieldError(page, "Name", "Bitte füllen Sie dieses Feld aus.");
    await page.keyboard.type(name);
    await page.keyboard.press("Tab");
    await page.keyboard.type("Produktion und Logistik");
    await screenshot(page, "12-location-dialog");
    await dialog.getByRole("button", { name: "Speichern" }).click();
    await expect(dialog).toBeHidden();
    await expect(page).toHaveURL(/\/organisation\/locations$/);
    const row = page.getByRole("row", { name: new RegExp(escape(name)) });
    await expect(row).toContainText("Produktion und Logistik");

    // Edit through its own URL, which also works on reload.
    await row.getByRole("link", { name: `Bearbeiten: ${name}` }).click();
    await expect(page).toHaveURL(/\/organisation\/locations\/[0-9a-f-]{36}$/);
    await page.reload();
    const edit = page.getByRole("dialog", { name: "Standort bearbeiten" });
    await expect(edit.getByLabel("Name")).toHaveValue(name);
    await edit.getByLabel("Beschreibung").fill("Nur Produktion");
    await edit.getByRole("button", { name: "Speichern" }).click();
    await expect(edit).toBeHidden();
    await expect(row).toContainText("Nur Produktion");

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
    await expect(page.getByRole("row", { name: new RegExp(escape(name)) })).toHaveCount(0);
  });

  test("a company can be edited and deleted", async ({ page, admin }) => {
    await page.goto("/organisation/companies/new");
    await login(page, admin.email, admin.password);
    const name = uniqueName("Lösch KG");
    await page.getByLabel("Name (Firma)").fill(name);
    await page.getByRole("button", { name: "Speichern" }).click();
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
    await expect(page.getByRole("link", { name, exact: true })).toHaveCount(0);
  });
});
