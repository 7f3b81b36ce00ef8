// Second factors in a real browser, each test in a tenant of its own
// (tenant.ts), so that the admin's factor and the tenant-wide requirement
// never reach the specs that share the demo tenant:
//  - the admin enrolls an authenticator app in "Mein Konto" (step-up with
//    the password first), keeps the recovery codes, and signs in again with
//    password + app code, then with a recovery code;
//  - the admin requires a second factor; a colleague without one is guided
//    through the enrollment at the next login and lands in the app.
// The app's codes are computed here (totp.ts) from the secret on the page.
import type { Page } from "@playwright/test";
import { expectAccessible } from "./axe.js";
import { expect, login, screenshot, test, uniqueName } from "./fixtures.js";
import { createTenant, ownTenantsPossible } from "./tenant.js";
import { TotpApp } from "./totp.js";
import { invite, newPage, register, strongPassword } from "./users.js";

const phone = { width: 390, height: 844 };
const desktop = { width: 1280, height: 860 };

function uniqueEmail(prefix: string): string {
  return `${uniqueName(prefix).replace(/\W+/g, ".")}@mfa.example`.toLowerCase();
}

function ownTenant(prefix: string) {
  const email = uniqueEmail(prefix);
  return createTenant({ name: uniqueName("MFA Test GmbH"), adminEmail: email, requireMfa: false });
}

/** password fills the first step of the login. */
async function password(page: Page, email: string, pw: string): Promise<void> {
  await page.getByLabel("E-Mail-Adresse").fill(email);
  await page.getByRole("textbox", { name: "Passwort", exact: true }).fill(pw);
  await page.getByRole("button", { name: "Anmelden", exact: true }).click();
}

async function logout(page: Page): Promise<void> {
  await page.getByTestId("user-menu").click();
  await page.getByRole("menuitem", { name: "Abmelden" }).click();
  await expect(page.getByRole("heading", { name: "Anmelden" })).toBeVisible();
}

/** readCodes reads the recovery codes from the screen that shows them once. */
async function readCodes(page: Page): Promise<string[]> {
  const items = page.getByTestId("recovery-code-item");
  await expect(items).toHaveCount(10);
  const codes = (await items.allTextContents()).map((c) => c.trim());
  // Groups of four (Crockford's base32), at least the proto's 24 characters.
  for (const c of codes) {
    expect(c).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4})+$/);
    expect(c.replaceAll("-", "").length).toBeGreaterThanOrEqual(24);
  }
  expect(new Set(codes).size).toBe(10);
  return codes;
}

/** readSecret reads the secret shown beside the QR code. */
async function readSecret(page: Page): Promise<string> {
  await expect(page.getByTestId("totp-qr")).toBeVisible();
  const text = (await page.getByTestId("totp-secret").textContent()) ?? "";
  expect(text).toMatch(/^([A-Z2-7]{1,4} )*[A-Z2-7]{1,4}$/);
  return text.replace(/\s/g, "");
}

test.describe("second factor", () => {
  test.skip(!ownTenantsPossible(), "needs the server of global-setup (own tenants via zeugo tenant create)");

  test("the admin adds an authenticator app in Mein Konto, then signs in with its code and with a recovery code", async ({ page }) => {
    const admin = ownTenant("mfa.admin");
    await page.goto("/");
    await login(page, admin.email, admin.password);

    await page.goto("/account");
    const section = page.getByRole("region", { name: "Zweiter Faktor" });
    await expect(section.getByText("Sie haben noch keinen zweiten Faktor eingerichtet.")).toBeVisible();
    await section.getByRole("button", { name: "Authenticator-App hinzufügen" }).click();

    // Without a factor yet, the step-up is the password.
    const stepUp = page.getByRole("dialog", { name: "Identität bestätigen" });
    await stepUp.getByRole("textbox", { name: "Passwort", exact: true }).fill(`${admin.password}-falsch`);
    await stepUp.getByRole("button", { name: "Bestätigen" }).click();
    await expect(stepUp.getByText("Das Passwort ist nicht richtig.")).toBeVisible();
    await stepUp.getByRole("textbox", { name: "Passwort", exact: true }).fill(admin.password);
    await stepUp.getByRole("button", { name: "Bestätigen" }).click();

    const enroll = page.getByRole("dialog", { name: "Authenticator-App hinzufügen" });
    await expect(enroll).toBeVisible();
    const app = new TotpApp(await readSecret(page));
    await screenshot(page, "mfa-01-account-enroll");
    await expectAccessible(page, "account enrollment");
    await enroll.getByLabel("Code aus der App").fill("000000");
    await enroll.getByRole("button", { name: "App bestätigen" }).click();
    await expect(enroll.getByText(/Der Code ist nicht richtig/)).toBeVisible();
    await enroll.getByLabel("Code aus der App").fill(await app.code());
    await enroll.getByLabel(/^Name/).fill("Testhandy");
    await enroll.getByRole("button", { name: "App bestätigen" }).click();

    const codesDialog = page.getByRole("dialog", { name: "Wiederherstellungscodes" });
    const codes = await readCodes(page);
    await screenshot(page, "mfa-02-account-codes");
    await expectAccessible(page, "account recovery codes");
    const done = codesDialog.getByRole("button", { name: "Fertig" });
    await expect(done).toBeDisabled();
    await codesDialog.getByText("Ich habe die Codes sicher aufbewahrt").click();
    await done.click();
    await expect(codesDialog).toHaveCount(0);

    const row = section.getByTestId("factor-row");
    await expect(row).toHaveCount(1);
    await expect(row).toContainText("Testhandy");
    await expect(row).toContainText("Authenticator-App");
    await expect(section.getByTestId("recovery-left")).toHaveText("Wiederherstellungscodes: 10 übrig");
    await screenshot(page, "mfa-03-account-section");

    // Sign in again: password, then the app's code (on a phone-sized screen).
    await logout(page);
    await page.setViewportSize(phone);
    await password(page, admin.email, admin.password);
    const codeStep = page.getByRole("form", { name: "Bestätigungscode" });
    const codeInput = codeStep.getByLabel("Bestätigungscode");
    await expect(codeInput).toBeFocused();
    await expect(codeInput).toHaveAttribute("autocomplete", "one-time-code");
    await expect(codeInput).toHaveAttribute("inputmode", "numeric");
    await screenshot(page, "mfa-04-login-code-390");
    await expectAccessible(page, "login code step");
    await codeInput.fill("000000");
    await codeStep.getByRole("button", { name: "Bestätigen" }).click();
    await expect(codeStep.getByText(/Der Code ist nicht richtig/)).toBeVisible();
    await screenshot(page, "mfa-05-login-code-wrong-390");
    await codeInput.fill(await app.code());
    await codeStep.getByRole("button", { name: "Bestätigen" }).click();
    // Signed in where the login began (the address is kept).
    await expect(page.getByRole("heading", { level: 1, name: "Mein Konto" })).toBeVisible();
    await page.setViewportSize(desktop);

    // And with a recovery code instead (lower case, spaces: it does not matter).
    await logout(page);
    await password(page, admin.email, admin.password);
    await page.getByRole("button", { name: "Wiederherstellungscode verwenden" }).click();
    const recovery = page.getByLabel(/^Wiederherstellungscode/);
    await expect(recovery).toBeFocused();
    await recovery.fill(codes[0]!.toLowerCase().replaceAll("-", " "));
    await screenshot(page, "mfa-06-login-recovery");
    await page.getByRole("button", { name: "Bestätigen" }).click();
    await expect(page.getByRole("navigation", { name: "Hauptnavigation" })).toBeVisible();
    await page.goto("/account");
    await expect(page.getByTestId("recovery-left")).toHaveText("Wiederherstellungscodes: 9 übrig");

    // A used recovery code is refused at its field.
    await logout(page);
    await password(page, admin.email, admin.password);
    await page.getByRole("button", { name: "Wiederherstellungscode verwenden" }).click();
    await page.getByLabel(/^Wiederherstellungscode/).fill(codes[0]!);
    await page.getByRole("button", { name: "Bestätigen" }).click();
    await expect(page.getByText("Dieser Wiederherstellungscode ist nicht gültig oder wurde schon verwendet.")).toBeVisible();
  });

  test("once the admin requires a second factor, a colleague without one sets it up at the next login", async ({ page, browser, baseURL }) => {
    const admin = ownTenant("mfa.chef");
    await page.goto("/");
    await login(page, admin.email, admin.password);

    await page.goto("/settings/security");
    const form = page.getByRole("form", { name: "Sicherheitseinstellungen" });
    const required = form.getByRole("switch", { name: /Zweiter Faktor erforderlich/ });
    await expect(required).not.toBeChecked();
    await expect(form.getByText(/wer noch keinen hat, richtet ihn bei der nächsten Anmeldung ein/)).toBeVisible();
    await required.check({ force: true });
    await expect(required).toBeChecked();
    await form.getByRole("button", { name: "Speichern" }).click();
    // A change of the second factor needs a step-up (the admin has no factor: the password).
    const confirm = page.getByRole("dialog", { name: "Identität bestätigen" });
    await confirm.getByRole("textbox", { name: "Passwort", exact: true }).fill(admin.password);
    await confirm.getByRole("button", { name: "Bestätigen" }).click();
    await expect(page.getByText("Die Sicherheitseinstellungen wurden gespeichert.")).toBeVisible();
    await screenshot(page, "mfa-07-settings");

    const email = uniqueEmail("mfa.kollegin");
    await invite(page, "Klara", "Kollegin", email);

    // The colleague, on a phone.
    const klara = await newPage(browser, baseURL, phone);
    const pw = strongPassword();
    await register(klara, email, pw);
    await password(klara, email, pw);
    await expect(klara.getByText("Schritt 1 von 3")).toBeVisible();
    await expect(klara.getByText(/Ihre Organisation verlangt für die Anmeldung einen zweiten Faktor/)).toBeVisible();
    await screenshot(klara, "mfa-08-wizard-1-390");
    // The organisation allows apps and passkeys (a new tenant's kinds): Klara chooses the app.
    await klara.getByRole("button", { name: "Authenticator-App einrichten" }).click();

    await expect(klara.getByText("Schritt 2 von 3")).toBeVisible();
    const app = new TotpApp(await readSecret(klara));
    await screenshot(klara, "mfa-09-wizard-2-390");
    await expectAccessible(klara, "enrollment wizard, app");
    await klara.getByLabel("Code aus der App").fill(await app.code());
    await klara.getByRole("button", { name: "App bestätigen" }).click();

    await expect(klara.getByText("Schritt 3 von 3")).toBeVisible();
    await readCodes(klara);
    const download = klara.waitForEvent("download");
    await klara.getByRole("button", { name: "Als Textdatei" }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe("zeugo-wiederherstellungscodes.txt");
    await screenshot(klara, "mfa-10-wizard-3-390");
    await expectAccessible(klara, "enrollment wizard, recovery codes");
    const next = klara.getByRole("button", { name: "Weiter" });
    await expect(next).toBeDisabled();
    await klara.getByText("Ich habe die Codes sicher aufbewahrt").click();
    await next.click();
    await expect(klara.getByRole("heading", { level: 1 })).toContainText("Guten Tag");

    // Mein Konto shows the app and the requirement.
    await klara.goto("/account");
    const section = klara.getByRole("region", { name: "Zweiter Faktor" });
    await expect(section.getByText("Ihre Organisation verlangt einen zweiten Faktor für die Anmeldung.")).toBeVisible();
    await expect(section.getByTestId("factor-row")).toContainText("Authenticator-App");
    await screenshot(klara, "mfa-11-account-390");

    // The last factor cannot go while the organisation requires one.
    await section.getByRole("button", { name: /Faktor entfernen/ }).click();
    await klara.getByRole("dialog", { name: /entfernen\?/ }).getByRole("button", { name: "Entfernen" }).click();
    // Whether the login's enrollment still counts as a step-up is the
    // server's call; if it does not, the app's code is asked for first.
    const stepUp = klara.getByRole("dialog", { name: "Identität bestätigen" });
    const refused = section.getByText("Ihre Organisation verlangt einen zweiten Faktor; fügen Sie zuerst einen anderen hinzu.");
    await expect(stepUp.or(refused)).toBeVisible();
    if (await stepUp.isVisible()) {
      await stepUp.getByLabel("Bestätigungscode").fill(await app.code());
      await stepUp.getByRole("button", { name: "Bestätigen" }).click();
    }
    await expect(refused).toBeVisible();
    await expect(section.getByTestId("factor-row")).toHaveCount(1);
    await klara.context().close();
  });
});
