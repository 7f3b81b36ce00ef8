// Single sign-on in a real browser against an OpenID Connect provider in
// the test process (oidc.ts): the administrator configures the provider
// (with the connection test) and just-in-time provisioning; a new person
// signs in from the login page through the provider and lands signed in;
// an address the provider does not vouch for comes back to the login page
// with a message, and nothing of the outcome stays in the address bar.
import { expectAccessible } from "./axe.js";
import { expect, login, test } from "./fixtures.js";
import { startProvider, type Provider } from "./oidc.js";

// The browser visits the provider on 127.0.0.1 (any port).
test.use({ otherOrigins: ["http://127.0.0.1"] });

let idp: Provider;
test.beforeAll(async () => {
  idp = await startProvider();
});
test.afterAll(async () => {
  await idp.close();
});

test("configure single sign-on, sign a new person in just in time, refuse an unverified address", async ({ page, browser, admin, baseURL }) => {
  const domain = `sso-${Date.now().toString(36)}.example`;
  await page.goto("/");
  await login(page, admin.email, admin.password);
  await page.goto("/settings/sso");
  const form = page.getByRole("form", { name: "Single Sign-On" });
  await expect(form.getByTestId("sso-redirect-uri")).toHaveText(`${baseURL}/auth/sso/callback`);
  await form.getByLabel("Aussteller-URL (Issuer)").fill(idp.issuer);
  await form.getByLabel("Client-ID (Anwendungs-ID)").fill(idp.clientId);
  await form.getByLabel("Geheimer Clientschlüssel").fill(idp.clientSecret);
  await form.getByRole("button", { name: "Verbindung testen" }).click();
  await expect(form.getByTestId("sso-test-result")).toContainText("Der Identitätsanbieter antwortet");
  await expectAccessible(page, "sso settings");

  const mode = form.getByRole("textbox", { name: "Modus" }).or(form.getByRole("combobox", { name: "Modus" })).first();
  await mode.click();
  await page.getByRole("option", { name: "Optional (neben dem Passwort)" }).click();
  await form.getByRole("textbox", { name: "E-Mail-Domains" }).fill(domain);
  await form.getByRole("switch", { name: /Unbekannte Benutzer bei der ersten Anmeldung anlegen/ }).click();
  const role = form.getByRole("textbox", { name: "Rolle neuer Benutzer" }).or(form.getByRole("combobox", { name: "Rolle neuer Benutzer" })).first();
  await role.click();
  await page.getByRole("option").first().click();
  await form.getByRole("button", { name: "Speichern" }).click();
  await expect(page.getByText("Die Einstellungen für Single Sign-On wurden gespeichert.")).toBeVisible();
  await expect(form.getByText("Ein Schlüssel ist gespeichert.")).toBeVisible();

  // Another browser: the new person signs in through the provider.
  const ctx = await browser.newContext({ baseURL, ignoreHTTPSErrors: true, locale: "de-DE" });
  const person = await ctx.newPage();
  await person.goto("/");
  await person.getByRole("button", { name: "Mit Single Sign-On anmelden" }).click();
  await person.getByLabel("Dienstliche E-Mail-Adresse").fill(`nina@${domain}`);
  await expectAccessible(person, "sso login");
  await person.getByRole("button", { name: "Weiter zur Anmeldung" }).click();
  await expect(person.getByRole("navigation", { name: "Hauptnavigation" })).toBeVisible();
  expect(new URL(person.url()).pathname).toBe("/");
  // The session survives a reload (the refresh cookie was set by the callback).
  await person.reload();
  await expect(person.getByRole("navigation", { name: "Hauptnavigation" })).toBeVisible();
  await ctx.close();

  // An address the provider does not vouch for: back at the login page.
  const ctx2 = await browser.newContext({ baseURL, ignoreHTTPSErrors: true, locale: "de-DE" });
  const stranger = await ctx2.newPage();
  await stranger.goto("/");
  await stranger.getByRole("button", { name: "Mit Single Sign-On anmelden" }).click();
  await stranger.getByLabel("Dienstliche E-Mail-Adresse").fill(`unverified@${domain}`);
  await stranger.getByRole("button", { name: "Weiter zur Anmeldung" }).click();
  await expect(stranger.getByTestId("sso-outcome")).toContainText("hat nicht geklappt");
  await expect.poll(() => new URL(stranger.url()).hash).toBe("");
  await expect(stranger.getByRole("navigation", { name: "Hauptnavigation" })).toHaveCount(0);
  await ctx2.close();
});
