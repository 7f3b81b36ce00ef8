// The identity loop in a real browser, with the mails read from the real
// SMTP relay of the run (smtp.ts): an administrator invites a colleague,
// the colleague registers from the mailed link, signs in, changes the
// password, sees and ends the other session; an administrator deactivates
// a user whose second browser is open, and that browser is thrown out at
// its next call; a forgotten password is reset from the mailed link.
import { expect, login, screenshot, test, uniqueName } from "./fixtures.js";
import { linkIn, waitForMail } from "./mail.js";
import { invite, newPage, pathOf, register, strongPassword } from "./users.js";

test.describe("identity", () => {
  test("invite → register from the mail → sign in → change password → end the other session", async ({ page, admin, browser, baseURL }) => {
    const email = `${uniqueName("neu").replace(/\W+/g, ".")}@muster.example`.toLowerCase();
    await page.goto("/");
    await login(page, admin.email, admin.password);
    await invite(page, "Nora", "Neumann", email);
    await screenshot(page, "identity-01-invited");

    // The invitee, in a browser of their own.
    const nora = await newPage(browser, baseURL);
    const first = strongPassword();
    await register(nora, email, first);
    await screenshot(nora, "identity-02-registered");
    await login(nora, email, first);

    // A second device of the same person.
    const other = await newPage(browser, baseURL);
    await other.goto("/");
    await login(other, email, first);

    // Change the password on the first device: the other session ends, this one stays.
    const second = strongPassword();
    await nora.goto("/account");
    await nora.getByLabel("Aktuelles Passwort").fill(first);
    await nora.getByRole("textbox", { name: "Neues Passwort", exact: true }).fill(second);
    await nora.getByRole("textbox", { name: "Neues Passwort wiederholen" }).fill(second);
    await nora.getByRole("button", { name: "Passwort ändern" }).click();
    await expect(nora.getByText("Ihr Passwort wurde geändert")).toBeVisible();
    await other.reload();
    await expect(other.getByRole("heading", { name: "Anmelden" })).toBeVisible();

    // Sign in again elsewhere and end that session from the account page.
    await login(other, email, second);
    await nora.reload();
    const sessions = nora.getByRole("table").filter({ hasText: "Diese Sitzung" });
    await expect(sessions.getByRole("row")).toHaveCount(3); // header + two sessions
    await screenshot(nora, "identity-03-sessions");
    await sessions.getByRole("row").filter({ hasNotText: "Diese Sitzung" }).filter({ hasText: "Chrome" }).getByRole("button", { name: /Sitzung beenden/ }).click();
    await expect(nora.getByText("Die Sitzung wurde beendet.")).toBeVisible();
    await expect(sessions.getByRole("row")).toHaveCount(2);
    await other.getByRole("navigation", { name: "Hauptnavigation" }).getByRole("link", { name: "Unternehmen" }).click();
    await expect(other.getByRole("heading", { name: "Anmelden" })).toBeVisible();
    await nora.context().close();
    await other.context().close();
  });

  test("a deactivated user's open browser is thrown out at its next call", async ({ page, admin, browser, baseURL }) => {
    const email = `${uniqueName("weg").replace(/\W+/g, ".")}@muster.example`.toLowerCase();
    await page.goto("/");
    await login(page, admin.email, admin.password);
    await invite(page, "Otto", "Ostermann", email);
    const otto = await newPage(browser, baseURL);
    const pw = strongPassword();
    await register(otto, email, pw);
    await login(otto, email, pw);
    await otto.getByRole("navigation", { name: "Hauptnavigation" }).getByRole("link", { name: "Unternehmen" }).click();
    await expect(otto.getByRole("heading", { level: 1, name: "Unternehmen" })).toBeVisible();

    await page.goto("/users");
    await page.getByRole("row", { name: new RegExp(email) }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Deaktivieren" }).click();
    await page.getByRole("dialog", { name: /deaktivieren\?/ }).getByRole("button", { name: "Deaktivieren" }).click();
    await expect(page.getByText("wurde deaktiviert")).toBeVisible();

    // Otto's browser is still open; its next call is refused and it shows the login.
    await otto.getByRole("navigation", { name: "Hauptnavigation" }).getByRole("link", { name: "Standorte" }).click();
    await expect(otto.getByRole("heading", { name: "Anmelden" })).toBeVisible();
    await screenshot(otto, "identity-04-thrown-out");
    // And cannot sign in again.
    await otto.getByLabel("E-Mail-Adresse").fill(email);
    await otto.getByRole("textbox", { name: "Passwort", exact: true }).fill(pw);
    await otto.getByRole("button", { name: "Anmelden", exact: true }).click();
    await expect(otto.getByRole("alert")).toBeVisible();
    await otto.context().close();
  });

  test("a forgotten password is reset from the mailed link, once", async ({ page, admin, browser, baseURL }) => {
    const email = `${uniqueName("vergessen").replace(/\W+/g, ".")}@muster.example`.toLowerCase();
    await page.goto("/");
    await login(page, admin.email, admin.password);
    await invite(page, "Vera", "Vogel", email);
    const vera = await newPage(browser, baseURL);
    await register(vera, email, strongPassword());

    await vera.goto("/");
    await vera.getByRole("link", { name: "Passwort vergessen?" }).click();
    await vera.getByLabel("E-Mail-Adresse").fill(email);
    await vera.getByRole("button", { name: "Link anfordern" }).click();
    await expect(vera.getByText("Falls zu dieser E-Mail-Adresse ein Zugang besteht")).toBeVisible();
    const mail = await waitForMail(email, /Neues Passwort/);
    const link = pathOf(linkIn(mail, "https://"));
    expect(link).toContain("/reset#");
    await vera.goto(link);
    await expect.poll(() => new URL(vera.url()).hash).toBe("");
    // A common password is refused next to the field, in German.
    await vera.getByRole("textbox", { name: "Neues Passwort", exact: true }).fill("Passwort123!");
    await vera.getByRole("textbox", { name: "Neues Passwort wiederholen" }).fill("Passwort123!");
    await vera.getByRole("button", { name: "Passwort speichern" }).click();
    await expect(vera.getByText("Dieses Passwort ist zu verbreitet")).toBeVisible();
    const pw = strongPassword();
    await vera.getByRole("textbox", { name: "Neues Passwort", exact: true }).fill(pw);
    await vera.getByRole("textbox", { name: "Neues Passwort wiederholen" }).fill(pw);
    await vera.getByRole("button", { name: "Passwort speichern" }).click();
    await expect(vera.getByText("Ihr Passwort wurde geändert")).toBeVisible();
    await login(vera, email, pw);
    // The link works once.
    const again = await newPage(browser, baseURL);
    await again.goto(link);
    await expect(again.getByText("Der Link ist ungültig oder abgelaufen.")).toBeVisible();
    await again.context().close();
    await vera.context().close();
  });
});
