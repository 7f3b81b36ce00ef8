// Users in the browser tests: an administrator invites a colleague, the
// colleague registers from the mailed link in a browser of their own.
import type { Browser, Page } from "@playwright/test";
import { expect } from "./fixtures.js";
import { linkIn, waitForMail } from "./mail.js";

/** A password no list or rule refuses. */
export function strongPassword(): string {
  return `Wolke-${Math.random().toString(36).slice(2, 8)}-Fluss-7!`;
}

/** pathOf turns a mailed link into a path for this server (mails carry the configured public host). */
export function pathOf(link: string): string {
  const u = new URL(link);
  return u.pathname + u.search + u.hash;
}

export async function invite(page: Page, first: string, last: string, email: string): Promise<void> {
  await page.goto("/users");
  await expect(page.getByRole("heading", { level: 1, name: "Benutzer" })).toBeVisible();
  await page.getByRole("button", { name: "Benutzer einladen" }).or(page.getByRole("link", { name: "Benutzer einladen" })).first().click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Vorname").fill(first);
  await dialog.getByLabel("Nachname").fill(last);
  await dialog.getByLabel("E-Mail-Adresse").fill(email);
  // The demo tenant's Administrator role grants every certificate. Other
  // specs add roles to the shared tenant, so it is chosen, not assumed.
  const role = dialog.getByRole("textbox", { name: "Rolle" }).or(dialog.getByRole("combobox", { name: "Rolle" })).first();
  if ((await role.inputValue()) !== "Administrator") {
    await role.click();
    await page.getByRole("option", { name: "Administrator", exact: true }).click();
  }
  await expect(role).toHaveValue("Administrator");
  await expect(dialog.getByText("Der Benutzer sieht immer alle Zeugnisse")).toBeVisible();
  await dialog.getByRole("button", { name: "Einladung senden" }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByRole("row", { name: new RegExp(email) })).toContainText("Eingeladen");
}

export async function register(page: Page, email: string, password: string): Promise<void> {
  const mail = await waitForMail(email, /Einladung/);
  const link = linkIn(mail, "https://");
  expect(link).toContain("/register#");
  await page.goto(pathOf(link));
  await expect(page.getByRole("heading", { name: /Willkommen/ })).toBeVisible();
  // The secret left the address bar as soon as the page read it.
  await expect.poll(() => new URL(page.url()).hash).toBe("");
  await page.getByRole("textbox", { name: "Neues Passwort", exact: true }).fill(password);
  await page.getByRole("textbox", { name: "Neues Passwort wiederholen" }).fill(password);
  await page.getByRole("button", { name: "Passwort festlegen und Zugang aktivieren" }).click();
  await expect(page.getByText("Ihr Zugang ist aktiviert")).toBeVisible();
}

/** newPage opens a browser of its own (own cookies), optionally with a phone-sized viewport. */
export async function newPage(browser: Browser, baseURL: string | undefined, viewport?: { width: number; height: number }): Promise<Page> {
  const ctx = await browser.newContext({ baseURL, ignoreHTTPSErrors: true, locale: "de-DE", ...(viewport ? { viewport } : {}) });
  return ctx.newPage();
}
