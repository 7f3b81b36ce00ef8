// Shared fixtures: the server URL from global-setup, the demo login, and a
// guard that fails a test on any CSP violation or request to another origin.
import { test as base, expect, type Page } from "@playwright/test";
import { mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { adminEmailVar, adminPasswordVar, baseUrlVar, required } from "./environment.js";

const screenshotDir = resolve(dirname(fileURLToPath(import.meta.url)), "../test-results/screens");

type Fixtures = {
  admin: { email: string; password: string };
  /** Problems the page reported: CSP violations, console errors, foreign requests. */
  pageProblems: string[];
};

export const test = base.extend<Fixtures>({
  baseURL: async ({}, use) => {
    await use(required(baseUrlVar));
  },
  admin: async ({}, use) => {
    await use({ email: required(adminEmailVar), password: required(adminPasswordVar) });
  },
  pageProblems: [
    async ({ page, baseURL }, use) => {
      const problems: string[] = [];
      const origin = new URL(baseURL ?? required(baseUrlVar)).origin;
      // Report CSP violations as console errors with a marker (the listener is
      // installed by the browser automation, not by the page, so CSP allows it).
      await page.addInitScript(() => {
        document.addEventListener("securitypolicyviolation", (e) => {
          console.error(`CSP-VIOLATION ${e.violatedDirective} ${e.blockedURI}`);
        });
      });
      page.on("console", (msg) => {
        const text = msg.text();
        if (/CSP-VIOLATION|Content Security Policy|Refused to/i.test(text)) problems.push(`csp: ${text}`);
      });
      page.on("pageerror", (err) => problems.push(`page error: ${err.message}`));
      page.on("request", (req) => {
        const url = req.url();
        if (url.startsWith("data:") || url.startsWith("blob:")) return;
        // The browser's own PDF viewer (the certificate preview) loads its
        // parts from the browser itself, not from any server.
        if (url.startsWith("chrome-extension://") || url.startsWith("chrome://")) return;
        if (new URL(url).origin !== origin) problems.push(`foreign request: ${url}`);
      });
      await use(problems);
      expect(problems, "no CSP violations, page errors or foreign requests").toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

/** uniqueName gives names that do not collide between tests and runs. */
export function uniqueName(prefix: string): string {
  return `${prefix} ${Date.now().toString(36)}${Math.floor(Math.random() * 1e4).toString(36)}`;
}

/** login fills the login form and waits for the signed-in shell. */
export async function login(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel("E-Mail-Adresse").fill(email);
  await page.getByRole("textbox", { name: "Passwort", exact: true }).fill(password);
  await page.getByRole("button", { name: "Anmelden", exact: true }).click();
  await expect(page.getByRole("navigation", { name: "Hauptnavigation" })).toBeVisible();
}

/** screenshot saves a full-page picture of a main screen for review. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  // Let transitions (notifications, modals) settle.
  await page.waitForTimeout(350);
  // Fixed elements (the header) are drawn where the viewport is: start at the top.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });
}
