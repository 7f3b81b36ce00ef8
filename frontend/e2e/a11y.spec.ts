import { expectAccessible } from "./axe.js";
import { expect, login, test, uniqueName } from "./fixtures.js";

test("the main screens pass the axe-core WCAG 2.1 AA checks", async ({ page, admin }) => {
  // axe-core analyses the whole DOM seven times: slow on a busy machine.
  test.slow();
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Anmelden" })).toBeVisible();
  await expectAccessible(page, "login");

  await login(page, admin.email, admin.password);
  await expectAccessible(page, "start");

  await page.goto("/organisation/companies");
  await expect(page.getByRole("heading", { level: 1, name: "Unternehmen" })).toBeVisible();
  await expect(page.getByRole("table")).toBeVisible();
  await expectAccessible(page, "companies");

  await page.goto("/organisation/companies/new");
  await page.getByRole("button", { name: "Speichern" }).click();
  await expect(page.getByLabel("Name (Firma)")).toHaveAttribute("aria-invalid", "true");
  await expectAccessible(page, "company form with errors");

  await page.goto("/organisation/employee-types");
  await expect(page.getByRole("heading", { level: 1, name: "Mitarbeitertypen" })).toBeVisible();
  await expectAccessible(page, "employee types");

  await page.getByRole("link", { name: "Mitarbeitertyp anlegen" }).first().click();
  const dialog = page.getByRole("dialog", { name: "Neuer Mitarbeitertyp" });
  await dialog.getByLabel("Name").fill(uniqueName("Auszubildende"));
  await expectAccessible(page, "unit dialog");
  await dialog.getByRole("button", { name: "Speichern" }).click();
  await expect(dialog).toBeHidden();

  await page.getByRole("button", { name: /^Löschen: / }).first().click();
  await expect(page.getByRole("dialog")).toBeVisible();
  await expectAccessible(page, "delete confirmation");
});

test("the identity screens pass the axe-core WCAG 2.1 AA checks", async ({ page, admin }) => {
  test.slow();
  await page.goto("/forgot-password");
  await expect(page.getByRole("heading", { name: "Passwort vergessen" })).toBeVisible();
  await expectAccessible(page, "forgot password");
  await page.goto("/register#kein-gueltiger-link");
  await expect(page.getByText("Der Link ist ungültig oder abgelaufen.")).toBeVisible();
  await expectAccessible(page, "invalid registration link");

  await page.goto("/");
  await login(page, admin.email, admin.password);
  const screens: [string, string, string][] = [
    ["/users", "Benutzer", "users"],
    ["/users/new", "Benutzer", "invite dialog"],
    ["/roles", "Rollen", "roles"],
    ["/api-keys", "API-Schlüssel", "API keys"],
    ["/account", "Mein Konto", "my account"],
    ["/settings/security", "Sicherheitseinstellungen", "security settings"],
    ["/settings/layout", "Zeugnisformatierung", "document layout"],
  ];
  for (const [path, heading, screen] of screens) {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
    if (path.endsWith("/new")) await expect(page.getByRole("dialog")).toBeVisible();
    await expectAccessible(page, screen);
  }
});
