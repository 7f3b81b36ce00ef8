// Passkeys in a real browser, with Chromium's virtual authenticator (CDP
// WebAuthn domain: a platform authenticator with resident keys and user
// verification that answers every prompt by itself). The server listens on
// localhost, the relying party's id. In a tenant of its own (tenant.ts):
//  - the admin adds a passkey in "Mein Konto" (step-up with the password
//    first), keeps the recovery codes, signs in again with password +
//    passkey, and steps up with the passkey;
//  - signing in with the passkey alone is refused while the tenant does not
//    allow it; once the admin allows it, the passkey alone signs in;
//  - where the tenant requires a factor and allows passkeys only, a
//    colleague creates one at the next login; the admin resets it, the
//    colleague's session ends and the next login asks again.
import type { CDPSession, Page } from "@playwright/test";
import { expectAccessible } from "./axe.js";
import { expect, login, screenshot, test, uniqueName } from "./fixtures.js";
import { createTenant, ownTenantsPossible } from "./tenant.js";
import { invite, newPage, register, strongPassword } from "./users.js";

const phone = { width: 390, height: 844 };
const desktop = { width: 1280, height: 860 };

function ownTenant(prefix: string) {
  const email = `${uniqueName(prefix).replace(/\W+/g, ".")}@passkey.example`.toLowerCase();
  return createTenant({ name: uniqueName("Passkey Test GmbH"), adminEmail: email, requireMfa: false });
}

/** virtualAuthenticator gives the page a platform authenticator that verifies its user. */
async function virtualAuthenticator(page: Page): Promise<{ cdp: CDPSession; authenticatorId: string }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: { protocol: "ctap2", transport: "internal", hasResidentKey: true, hasUserVerification: true, isUserVerified: true },
  });
  return { cdp, authenticatorId };
}

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

test.describe("passkeys", () => {
  test.skip(!ownTenantsPossible(), "needs the server of global-setup (own tenants via zeugo tenant create)");

  test("the admin adds a passkey, signs in with password + passkey, steps up with it, and signs in with the passkey alone once allowed", async ({ page }) => {
    const admin = ownTenant("passkey.admin");
    const { cdp, authenticatorId } = await virtualAuthenticator(page);
    await page.goto("/");
    await login(page, admin.email, admin.password);

    // Mein Konto: the step-up (the password, no factor yet), then the passkey.
    await page.goto("/account");
    const section = page.getByRole("region", { name: "Zweiter Faktor" });
    await expect(section.getByText("Sie haben noch keinen zweiten Faktor eingerichtet.")).toBeVisible();
    await section.getByRole("button", { name: "Passkey hinzufügen" }).click();
    const stepUp = page.getByRole("dialog", { name: "Identität bestätigen" });
    await stepUp.getByRole("textbox", { name: "Passwort", exact: true }).fill(admin.password);
    await stepUp.getByRole("button", { name: "Bestätigen" }).click();

    const add = page.getByRole("dialog", { name: "Passkey oder Sicherheitsschlüssel hinzufügen" });
    await expect(add).toBeVisible();
    await add.getByLabel(/^Name/).fill("Laptop");
    await screenshot(page, "passkeys-01-account-add");
    await expectAccessible(page, "add passkey dialog");
    await add.getByRole("button", { name: "Passkey erstellen" }).click();

    // The first factor comes with the recovery codes.
    const codes = page.getByRole("dialog", { name: "Wiederherstellungscodes" });
    await expect(codes.getByTestId("recovery-code-item")).toHaveCount(10);
    await codes.getByText("Ich habe die Codes sicher aufbewahrt").click();
    await codes.getByRole("button", { name: "Fertig" }).click();
    await expect(codes).toHaveCount(0);
    const row = section.getByTestId("factor-row");
    await expect(row).toHaveCount(1);
    await expect(row).toContainText("Laptop");
    await expect(row).toContainText("Passkey oder Sicherheitsschlüssel");
    const { credentials } = await cdp.send("WebAuthn.getCredentials", { authenticatorId });
    expect(credentials).toHaveLength(1);
    expect(credentials[0]!.isResidentCredential).toBe(true);
    await screenshot(page, "passkeys-02-account-section");

    // The same authenticator cannot be registered twice: the browser says so before the server is asked.
    await section.getByRole("button", { name: "Passkey hinzufügen" }).click();
    const stepUpOrAdd = stepUp.or(add);
    await expect(stepUpOrAdd).toBeVisible();
    if (await stepUp.isVisible()) {
      await stepUp.getByRole("button", { name: "Mit Passkey bestätigen" }).click();
    }
    await add.getByRole("button", { name: "Passkey erstellen" }).click();
    await expect(add.getByRole("alert")).toContainText("bereits registriert");
    await add.getByRole("button", { name: "Abbrechen" }).click();
    await expect(row).toHaveCount(1);

    // Signing in with the passkey alone: not yet allowed — the one neutral answer.
    await logout(page);
    await page.getByRole("button", { name: "Mit Passkey anmelden" }).click();
    await expect(page.getByTestId("login-error")).toContainText("Anmeldung mit Passkey nicht möglich");

    // Password, then the passkey (on a phone-sized screen).
    await page.setViewportSize(phone);
    await password(page, admin.email, admin.password);
    const confirm = page.getByRole("button", { name: "Mit Passkey bestätigen" });
    await expect(confirm).toBeVisible();
    await expect(page.getByRole("button", { name: "Wiederherstellungscode verwenden" })).toBeVisible();
    await screenshot(page, "passkeys-03-login-passkey-390");
    await expectAccessible(page, "login passkey step");
    await confirm.click();
    await expect(page.getByRole("navigation", { name: "Hauptnavigation" })).toBeVisible();
    await page.setViewportSize(desktop);

    // A step-up with the passkey: new recovery codes.
    await page.goto("/account");
    await section.getByRole("button", { name: "Neue Codes erzeugen" }).click();
    await page.getByRole("dialog", { name: "Neue Wiederherstellungscodes erzeugen?" }).getByRole("button", { name: "Neue Codes erzeugen" }).click();
    const fresh = page.getByRole("dialog", { name: "Neue Wiederherstellungscodes" });
    await expect(stepUp.or(fresh)).toBeVisible();
    if (await stepUp.isVisible()) {
      // A passkey comes first; the recovery code is the way out.
      await expect(stepUp.getByRole("button", { name: "Wiederherstellungscode verwenden" })).toBeVisible();
      await expect(stepUp.getByRole("button", { name: "Code aus der Authenticator-App verwenden" })).toHaveCount(0);
      await screenshot(page, "passkeys-04-step-up");
      await stepUp.getByRole("button", { name: "Mit Passkey bestätigen" }).click();
    }
    await expect(fresh.getByTestId("recovery-code-item")).toHaveCount(10);
    await fresh.getByText("Ich habe die Codes sicher aufbewahrt").click();
    await fresh.getByRole("button", { name: "Fertig" }).click();

    // The admin allows signing in with a passkey alone.
    await page.goto("/settings/security");
    const form = page.getByRole("form", { name: "Sicherheitseinstellungen" });
    const passwordless = form.getByRole("switch", { name: /Anmeldung mit Passkey ohne Passwort erlauben/ });
    await expect(passwordless).not.toBeChecked();
    await expect(form.getByRole("checkbox", { name: "Authenticator-App" })).toBeChecked();
    await expect(form.getByRole("checkbox", { name: "Passkey oder Sicherheitsschlüssel" })).toBeChecked();
    await passwordless.check({ force: true });
    await form.getByRole("button", { name: "Speichern" }).click();
    // A change of the second factor needs a step-up; the one above may still count.
    const saved = page.getByText("Die Sicherheitseinstellungen wurden gespeichert.");
    await expect(stepUp.or(saved)).toBeVisible();
    if (await stepUp.isVisible()) {
      await expect(stepUp.getByText(/Anmelderegeln Ihrer Organisation/)).toBeVisible();
      await stepUp.getByRole("button", { name: "Mit Passkey bestätigen" }).click();
    }
    await expect(saved).toBeVisible();
    await screenshot(page, "passkeys-05-settings");

    // Now the passkey alone signs in (on a phone).
    await logout(page);
    await page.setViewportSize(phone);
    await screenshot(page, "passkeys-06-login-390");
    await page.getByRole("button", { name: "Mit Passkey anmelden" }).click();
    await expect(page.getByTestId("user-menu")).toBeVisible();
    await expect(page.getByRole("heading", { name: "Anmelden" })).toHaveCount(0);
    await page.setViewportSize(desktop);
    await expect(page.getByRole("navigation", { name: "Hauptnavigation" })).toBeVisible();
  });

  test("a colleague creates the passkey the organisation requires at the next login, and the admin resets it", async ({ page, browser, baseURL }) => {
    const admin = ownTenant("passkey.chef");
    await page.goto("/");
    await login(page, admin.email, admin.password);

    // Required, passkeys only.
    await page.goto("/settings/security");
    const form = page.getByRole("form", { name: "Sicherheitseinstellungen" });
    await form.getByRole("switch", { name: /Zweiter Faktor erforderlich/ }).check({ force: true });
    const app = form.getByRole("checkbox", { name: "Authenticator-App" });
    const passkeys = form.getByRole("checkbox", { name: "Passkey oder Sicherheitsschlüssel" });
    if (!(await passkeys.isChecked())) await passkeys.check({ force: true });
    await app.uncheck({ force: true });
    await form.getByRole("button", { name: "Speichern" }).click();
    // A change of the second factor needs a step-up (no factor yet: the password).
    const settingsStepUp = page.getByRole("dialog", { name: "Identität bestätigen" });
    await settingsStepUp.getByRole("textbox", { name: "Passwort", exact: true }).fill(admin.password);
    await settingsStepUp.getByRole("button", { name: "Bestätigen" }).click();
    await expect(page.getByText("Die Sicherheitseinstellungen wurden gespeichert.")).toBeVisible();

    const email = `${uniqueName("passkey.kollegin").replace(/\W+/g, ".")}@passkey.example`.toLowerCase();
    await invite(page, "Klara", "Kollegin", email);

    // The colleague, on a phone, with an authenticator of her own.
    const klara = await newPage(browser, baseURL, phone);
    await virtualAuthenticator(klara);
    const pw = strongPassword();
    await register(klara, email, pw);
    await password(klara, email, pw);
    await expect(klara.getByText("Schritt 1 von 3")).toBeVisible();
    await expect(klara.getByRole("button", { name: /Authenticator-App/ })).toHaveCount(0);
    await screenshot(klara, "passkeys-07-wizard-1-390");
    await klara.getByRole("button", { name: "Passkey einrichten" }).click();
    await expect(klara.getByText("Schritt 2 von 3")).toBeVisible();
    await klara.getByLabel(/^Name/).fill("Handy");
    await screenshot(klara, "passkeys-08-wizard-2-390");
    await expectAccessible(klara, "enrollment wizard, passkey");
    await klara.getByRole("button", { name: "Passkey erstellen" }).click();
    await expect(klara.getByText("Schritt 3 von 3")).toBeVisible();
    await expect(klara.getByTestId("recovery-code-item")).toHaveCount(10);
    await klara.getByText("Ich habe die Codes sicher aufbewahrt").click();
    await klara.getByRole("button", { name: "Weiter" }).click();
    await expect(klara.getByTestId("user-menu")).toBeVisible();

    // The admin resets it (after a step-up: the admin's password).
    await page.goto("/users");
    await page.getByRole("link", { name: "Klara Kollegin" }).click();
    const user = page.getByRole("dialog", { name: /Benutzer/ });
    await user.getByRole("button", { name: "Zweiten Faktor zurücksetzen" }).click();
    const confirm = page.getByRole("dialog", { name: "Zweiten Faktor von Klara Kollegin zurücksetzen?" });
    await expect(confirm.getByText(/alle Sitzungen von Klara Kollegin enden/)).toBeVisible();
    await screenshot(page, "passkeys-09-reset-confirm");
    await confirm.getByRole("button", { name: "Zurücksetzen" }).click();
    // The step-up of the settings above may still count (five minutes); else the password again.
    const stepUp = page.getByRole("dialog", { name: "Identität bestätigen" });
    const reset = page.getByText("Der zweite Faktor von Klara Kollegin wurde zurückgesetzt.");
    await expect(stepUp.or(reset)).toBeVisible();
    if (await stepUp.isVisible()) {
      await stepUp.getByRole("textbox", { name: "Passwort", exact: true }).fill(admin.password);
      await stepUp.getByRole("button", { name: "Bestätigen" }).click();
    }
    await expect(reset).toBeVisible();

    // Her session has ended; the next login asks for a passkey again.
    await klara.reload();
    await expect(klara.getByRole("heading", { name: "Anmelden" })).toBeVisible();
    await password(klara, email, pw);
    await expect(klara.getByText("Schritt 1 von 3")).toBeVisible();
    await klara.context().close();
  });
});
