import { expect, login, screenshot, test } from "./fixtures.js";

test.describe("sign-in", () => {
  test("admin signs in, creates a company, keeps the session over a reload and signs out", async ({ page, admin }) => {
    await page.goto("/");
    await expect(page.getByRole("heading", { name: "Anmelden" })).toBeVisible();
    await expect(page.locator("html")).toHaveAttribute("lang", "de");
    await screenshot(page, "01-login");

    await login(page, admin.email, admin.password);
    await expect(page.getByRole("heading", { level: 1 })).toContainText("Guten Tag");
    await expect(page.getByTestId("tenant-name")).toContainText("Muster GmbH");
    await screenshot(page, "02-start");

    await page.getByRole("navigation", { name: "Hauptnavigation" }).getByRole("link", { name: "Unternehmen" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Unternehmen" })).toBeVisible();
    await screenshot(page, "03-companies");

    const name = `Beispiel ${Date.now().toString(36)} GmbH`;
    await page.getByRole("link", { name: "Unternehmen anlegen" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Neues Unternehmen" })).toBeVisible();
    await page.getByLabel("Name (Firma)").fill(name);
    await page.getByLabel("Kurzbeschreibung").fill("ein mittelständisches Unternehmen des Maschinenbaus");
    await page.getByLabel("Straße und Hausnummer").fill("Musterstraße 12");
    await page.getByLabel("Postleitzahl").fill("80331");
    await page.getByLabel("Ort", { exact: true }).fill("München");
    await page.getByLabel("Land").fill("de");
    await expect(page.getByLabel("Land")).toHaveValue("DE");
    await page.getByLabel("Telefon").fill("+49 89 123456-0");
    await page.getByLabel("E-Mail-Adresse").fill("personal@beispiel.de");
    await page.getByLabel("Website").fill("www.beispiel.de");
    await page.getByLabel("Registergericht").fill("Amtsgericht München");
    await page.getByLabel("Registernummer").fill("HRB 123456");
    await page.getByLabel("USt-IdNr.").fill("DE123456789");
    await page.getByLabel("Geschäftsführung").fill("Erika Mustermann, Max Mustermann");
    await screenshot(page, "04-company-form");
    await page.getByRole("button", { name: "Speichern" }).click();

    await expect(page).toHaveURL(/\/organisation\/companies$/);
    const row = page.getByRole("row", { name: new RegExp(name) });
    await expect(row).toBeVisible();
    await expect(row).toContainText("80331 München");
    await screenshot(page, "05-companies-list");

    // The access token lives in memory only; the reload restores the session
    // from the HttpOnly refresh cookie.
    await page.reload();
    await expect(page.getByRole("row", { name: new RegExp(name) })).toBeVisible();
    await expect(page.getByRole("heading", { name: "Anmelden" })).toHaveCount(0);

    // A second tab shares the session (the cookie) ...
    const second = await page.context().newPage();
    await second.goto("/organisation/locations");
    await expect(second.getByRole("heading", { level: 1, name: "Standorte" })).toBeVisible();

    await page.getByTestId("user-menu").click();
    await page.getByRole("menuitem", { name: "Abmelden" }).click();
    await expect(page.getByRole("heading", { name: "Anmelden" })).toBeVisible();
    await expect(page.getByText("Sie wurden abgemeldet.")).toBeVisible();
    // ... and is signed out with it.
    await expect(second.getByRole("heading", { name: "Anmelden" })).toBeVisible();
    await second.close();

    // The cookie is gone: a reload stays signed out.
    await page.reload();
    await expect(page.getByRole("heading", { name: "Anmelden" })).toBeVisible();
  });

  test("a wrong password or an unknown email get the same generic message", async ({ page, admin }) => {
    await page.goto("/");
    await page.getByLabel("E-Mail-Adresse").fill(admin.email);
    await page.getByRole("textbox", { name: "Passwort", exact: true }).fill(`${admin.password}-falsch`);
    await page.getByRole("button", { name: "Anmelden", exact: true }).click();
    const alert = page.getByTestId("login-error");
    await expect(alert).toHaveText("E-Mail-Adresse oder Passwort ist falsch, oder das Konto ist gesperrt.");
    await expect(page.getByRole("textbox", { name: "Passwort", exact: true })).toHaveValue("");
    await screenshot(page, "06-login-error");

    await page.getByLabel("E-Mail-Adresse").fill("niemand@muster.example");
    await page.getByRole("textbox", { name: "Passwort", exact: true }).fill("Irgendein-Passwort-1");
    await page.getByRole("button", { name: "Anmelden", exact: true }).click();
    await expect(alert).toHaveText("E-Mail-Adresse oder Passwort ist falsch, oder das Konto ist gesperrt.");

    // A correct login afterwards works (and resets the failure counter).
    await login(page, admin.email, admin.password);
  });

  test("keyboard only: sign in without a mouse", async ({ page, admin }) => {
    await page.goto("/");
    // The email field has focus when the page opens.
    await expect(page.getByLabel("E-Mail-Adresse")).toBeFocused();
    await page.keyboard.type(admin.email);
    await page.keyboard.press("Tab");
    await expect(page.getByRole("textbox", { name: "Passwort", exact: true })).toBeFocused();
    await page.keyboard.type(admin.password);
    // The "forgot password" link sits under the field, before the button.
    await page.keyboard.press("Tab");
    await expect(page.getByRole("link", { name: "Passwort vergessen?" })).toBeFocused();
    await page.keyboard.press("Tab");
    await expect(page.getByRole("button", { name: "Anmelden", exact: true })).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(page.getByRole("navigation", { name: "Hauptnavigation" })).toBeVisible();

    // After signing in, focus is on the page heading.
    await expect(page.getByRole("heading", { level: 1 })).toBeFocused();

    // On a fresh page load the skip link is the first stop and leads to the content.
    await page.reload();
    await expect(page.getByRole("navigation", { name: "Hauptnavigation" })).toBeVisible();
    await page.keyboard.press("Tab");
    const skip = page.getByRole("link", { name: "Zum Inhalt springen" });
    await expect(skip).toBeFocused();
    await screenshot(page, "07-skip-link");
    await page.keyboard.press("Enter");
    await expect(page.locator("#main")).toBeFocused();
  });

  test("the language can be switched to English and back", async ({ page, admin }) => {
    await page.goto("/");
    await login(page, admin.email, admin.password);
    await page.getByRole("radiogroup", { name: "Sprache" }).getByText("EN", { exact: true }).click();
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    await expect(page.getByRole("navigation", { name: "Main navigation" }).getByRole("link", { name: "Companies" })).toBeVisible();
    await page.reload();
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    await screenshot(page, "08-start-en");
    await page.getByRole("radiogroup", { name: "Language" }).getByText("DE", { exact: true }).click();
    await expect(page.locator("html")).toHaveAttribute("lang", "de");
  });
});
