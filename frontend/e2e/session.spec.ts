import { expect, login, test } from "./fixtures.js";

const refreshPath = "/zeugo.v1.AuthService/Refresh";

test.describe("session", () => {
  test("an access token answered with Unauthenticated is renewed once and the call retried", async ({ page, admin }) => {
    const refreshes: string[] = [];
    page.on("request", (req) => {
      if (req.url().endsWith(refreshPath)) refreshes.push(req.headers()["zeugo-csrf"] ?? "");
    });
    await page.goto("/");
    await login(page, admin.email, admin.password);
    const before = refreshes.length;

    // The server says the token expired (as after a laptop's sleep) — once.
    let rejected = 0;
    await page.route("**/zeugo.v1.OrganizationService/ListCompanies", async (route) => {
      if (rejected++ === 0) {
        await route.fulfill({
          status: 401,
          contentType: "application/json",
          body: JSON.stringify({ code: "unauthenticated", message: "token expired" }),
        });
        return;
      }
      await route.continue();
    });
    await page.getByRole("navigation", { name: "Hauptnavigation" }).getByRole("link", { name: "Unternehmen" }).click();
    // The list's table shows at once (loading rows); wait for the retry.
    await expect.poll(() => rejected).toBe(2);
    await expect(page.getByRole("table")).toBeVisible();
    expect(refreshes.length - before).toBe(1);
    // Cookie-based calls carry the CSRF header.
    expect(refreshes.every((h) => h === "1")).toBe(true);
  });

  test("the access token is renewed shortly before it expires", async ({ page, admin }) => {
    await page.clock.install();
    await page.goto("/");
    await login(page, admin.email, admin.password);
    const refreshed = page.waitForRequest((req) => req.url().endsWith(refreshPath));
    // Tokens live 10 minutes; the session renews about a minute before.
    await page.clock.fastForward("09:30");
    const response = await (await refreshed).response();
    expect(response?.status()).toBe(200);
    // The renewed session keeps working.
    await page.getByRole("navigation", { name: "Hauptnavigation" }).getByRole("link", { name: "Standorte" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Standorte" })).toBeVisible();
    await expect(page.getByRole("heading", { name: "Anmelden" })).toHaveCount(0);
  });
});
