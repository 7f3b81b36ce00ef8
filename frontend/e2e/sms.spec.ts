// SMS codes in a real browser, in a tenant of its own (tenant.ts); the
// server texts through the fake gateway of this run (sms.ts), from which
// the test reads the codes:
//  - the admin allows SMS beside the app (a change of the second factor:
//    step-up with the password first), adds an app and then an SMS number
//    in "Mein Konto" (its risk stated before anything is sent);
//  - signs in again with a code by SMS (a wrong one refused in German);
//  - steps up with a code by SMS before making new recovery codes.
// The server sends at most five codes per user and quarter hour: this
// test sends four.
import type { Page } from "@playwright/test";
import { expectAccessible } from "./axe.js";
import { expect, login, screenshot, test, uniqueName } from "./fixtures.js";
import { sentTo, waitForSmsCode } from "./sms.js";
import { createTenant, lapseStepUps, ownTenantsPossible } from "./tenant.js";
import { TotpApp } from "./totp.js";

const phone = { width: 390, height: 844 };
const desktop = { width: 1280, height: 860 };

/** A mobile number of its own per run (the gateway's messages are read by number). */
function uniqueNumber(): string {
  return `+49151${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`;
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

/** wrongCode is six digits that are not the code. */
function wrongCode(code: string): string {
  return code === "000000" ? "111111" : "000000";
}

test.describe("SMS codes", () => {
  test.skip(!ownTenantsPossible(), "needs the server of global-setup (own tenants via zeugo tenant create)");

  test("the admin allows SMS, adds a number beside the app, signs in and steps up with SMS codes", async ({ page }) => {
    // One long path (settings, two factors, a sign-in, a step-up) with seven axe checks.
    test.slow();
    const email = `${uniqueName("sms.admin").replace(/\W+/g, ".")}@sms.example`.toLowerCase();
    const tenantName = uniqueName("SMS Test GmbH");
    const admin = createTenant({ name: tenantName, adminEmail: email, requireMfa: false });
    const number = uniqueNumber();
    const hint = `+49 ••• ${number.slice(-4)}`;
    await page.goto("/");
    await login(page, admin.email, admin.password);

    // 1. SMS beside the app: a change of the second factor needs a step-up.
    await page.goto("/settings/security");
    const form = page.getByRole("form", { name: "Sicherheitseinstellungen" });
    const sms = form.getByRole("checkbox", { name: "SMS-Code (nur neben App oder Passkey)" });
    await expect(form.getByRole("checkbox", { name: "Authenticator-App" })).toBeChecked();
    await sms.check({ force: true });
    await form.getByRole("button", { name: "Speichern" }).click();
    const stepUp = page.getByRole("dialog", { name: "Identität bestätigen" });
    await expect(stepUp.getByText(/Bevor Sie die Anmelderegeln Ihrer Organisation ändern/)).toBeVisible();
    await screenshot(page, "sms-01-settings-step-up");
    await expectAccessible(page, "settings step-up");
    await stepUp.getByRole("textbox", { name: "Passwort", exact: true }).fill(admin.password);
    await stepUp.getByRole("button", { name: "Bestätigen" }).click();
    await expect(page.getByText("Die Sicherheitseinstellungen wurden gespeichert.")).toBeVisible();
    await expect(sms).toBeChecked();

    // 2. An app first (the step-up still counts, or the password again).
    await page.goto("/account");
    const section = page.getByRole("region", { name: "Zweiter Faktor" });
    await section.getByRole("button", { name: "Authenticator-App hinzufügen" }).click();
    const enroll = page.getByRole("dialog", { name: "Authenticator-App hinzufügen" });
    await expect(stepUp.or(enroll)).toBeVisible();
    if (await stepUp.isVisible()) {
      await stepUp.getByRole("textbox", { name: "Passwort", exact: true }).fill(admin.password);
      await stepUp.getByRole("button", { name: "Bestätigen" }).click();
    }
    const secret = ((await enroll.getByTestId("totp-secret").textContent()) ?? "").replace(/\s/g, "");
    const app = new TotpApp(secret);
    await enroll.getByLabel("Code aus der App").fill(await app.code());
    await enroll.getByRole("button", { name: "App bestätigen" }).click();
    const codes = page.getByRole("dialog", { name: "Wiederherstellungscodes" });
    await expect(codes.getByTestId("recovery-code-item")).toHaveCount(10);
    await codes.getByText("Ich habe die Codes sicher aufbewahrt").click();
    await codes.getByRole("button", { name: "Fertig" }).click();
    await expect(section.getByTestId("factor-row")).toHaveCount(1);

    // 3. The SMS number: the risk first, a number in national form refused at its field.
    await section.getByRole("button", { name: "SMS-Nummer hinzufügen" }).click();
    const add = page.getByRole("dialog", { name: "SMS-Nummer hinzufügen" });
    await expect(stepUp.or(add)).toBeVisible();
    if (await stepUp.isVisible()) {
      await stepUp.getByLabel("Bestätigungscode").fill(await app.code());
      await stepUp.getByRole("button", { name: "Bestätigen" }).click();
    }
    await expect(add.getByTestId("sms-risk")).toContainText("SIM");
    const numberField = add.getByRole("textbox", { name: /^Mobilnummer/ });
    await expect(numberField).toBeFocused();
    await numberField.fill("0151 2345678");
    await add.getByRole("button", { name: "Code senden" }).click();
    await expect(add.getByText(/Bitte geben Sie die Mobilnummer international ein/)).toBeVisible();
    await expect(numberField).toHaveAttribute("aria-invalid", "true");
    expect(sentTo(number)).toHaveLength(0);
    await screenshot(page, "sms-02-account-number");
    await expectAccessible(page, "account SMS number");
    await page.setViewportSize(phone);
    await screenshot(page, "sms-02-account-number-390");
    await page.setViewportSize(desktop);
    // Spaces are fine: the number goes out without them.
    await numberField.fill(`${number.slice(0, 3)} ${number.slice(3, 6)} ${number.slice(6)}`);
    let before = sentTo(number).length;
    await add.getByRole("button", { name: "Code senden" }).click();
    await expect(add.getByTestId("sms-sent")).toContainText(number);
    let code = await waitForSmsCode(number, before);
    const codeField = add.getByLabel("Code aus der SMS");
    await expect(codeField).toBeFocused();
    await codeField.fill(wrongCode(code));
    await add.getByRole("button", { name: "Nummer bestätigen" }).click();
    await expect(add.getByText("Der Code ist nicht richtig oder abgelaufen. Bitte geben Sie den Code aus der neuesten SMS ein.")).toBeVisible();
    await screenshot(page, "sms-03-account-code");
    await expectAccessible(page, "account SMS code");
    await page.setViewportSize(phone);
    await screenshot(page, "sms-03-account-code-390");
    await page.setViewportSize(desktop);
    await codeField.fill(code);
    await add.getByLabel(/^Name/).fill("Diensthandy");
    await add.getByRole("button", { name: "Nummer bestätigen" }).click();
    await expect(add).toHaveCount(0);
    await expect(section.getByTestId("factor-row")).toHaveCount(2);
    await expect(section.getByTestId("factor-row").filter({ hasText: "Diensthandy" })).toContainText("SMS-Code");
    await screenshot(page, "sms-04-account-listed");

    // 4. Sign in again with a code by SMS (on a phone-sized screen).
    await logout(page);
    await page.setViewportSize(phone);
    await password(page, admin.email, admin.password);
    await page.getByRole("button", { name: "Code per SMS verwenden" }).click();
    await expect(page.getByText(`Wir senden Ihnen einen sechsstelligen Code per SMS an ${hint}.`)).toBeVisible();
    const send = page.getByRole("button", { name: "Code per SMS senden" });
    await expect(send).toBeFocused();
    await screenshot(page, "sms-05-login-send-390");
    await expectAccessible(page, "login SMS step");
    before = sentTo(number).length;
    await send.click();
    await expect(page.getByTestId("sms-sent")).toContainText(hint);
    code = await waitForSmsCode(number, before);
    const loginCode = page.getByLabel("Code aus der SMS");
    await expect(loginCode).toBeFocused();
    await expect(loginCode).toHaveAttribute("autocomplete", "one-time-code");
    await loginCode.fill(wrongCode(code));
    await page.getByRole("button", { name: "Bestätigen" }).click();
    await expect(page.getByText("Der Code ist nicht richtig oder abgelaufen. Bitte geben Sie den Code aus der neuesten SMS ein.")).toBeVisible();
    await screenshot(page, "sms-06-login-code-wrong-390");
    await expectAccessible(page, "login SMS code");
    await loginCode.fill(code);
    await page.getByRole("button", { name: "Bestätigen" }).click();
    await expect(page.getByRole("navigation", { name: "Hauptnavigation" }).or(page.getByTestId("user-menu")).first()).toBeVisible();
    await page.setViewportSize(desktop);

    // 5. A step-up by SMS before new recovery codes (the sign-in's own
    // step-up has lapsed — moved back in the database instead of waiting).
    lapseStepUps(tenantName);
    await page.goto("/account");
    await section.getByRole("button", { name: "Neue Codes erzeugen" }).click();
    await page.getByRole("dialog", { name: "Neue Wiederherstellungscodes erzeugen?" }).getByRole("button", { name: "Neue Codes erzeugen" }).click();
    await expect(stepUp).toBeVisible();
    await stepUp.getByRole("button", { name: "Code per SMS verwenden" }).click();
    await expect(stepUp.getByText(/mit einem Code, den wir per SMS an Ihre Mobilnummer senden/)).toBeVisible();
    before = sentTo(number).length;
    await stepUp.getByRole("button", { name: "Code per SMS senden" }).click();
    await expect(stepUp.getByTestId("sms-sent")).toContainText(hint);
    code = await waitForSmsCode(number, before);
    await expect(stepUp.getByLabel("Code aus der SMS")).toBeFocused();
    await screenshot(page, "sms-07-step-up");
    await expectAccessible(page, "step-up by SMS");
    await page.setViewportSize(phone);
    await screenshot(page, "sms-07-step-up-390");
    await page.setViewportSize(desktop);
    await stepUp.getByLabel("Code aus der SMS").fill(code);
    await stepUp.getByRole("button", { name: "Bestätigen" }).click();
    const fresh = page.getByRole("dialog", { name: "Neue Wiederherstellungscodes" });
    await expect(fresh.getByTestId("recovery-code-item")).toHaveCount(10);
    await fresh.getByText("Ich habe die Codes sicher aufbewahrt").click();
    await fresh.getByRole("button", { name: "Fertig" }).click();
    await expect(fresh).toHaveCount(0);
  });
});
