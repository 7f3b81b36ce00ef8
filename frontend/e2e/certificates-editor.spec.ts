import type { Browser, Page } from "@playwright/test";
import { apiToken, rpc } from "./api.js";
import { expectAccessible } from "./axe.js";
import { expect, login, screenshot, test, uniqueName } from "./fixtures.js";

async function signedInPage(browser: Browser, baseURL: string | undefined, admin: { email: string; password: string }, path: string): Promise<Page> {
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  await page.goto(path);
  await login(page, admin.email, admin.password);
  return page;
}

/** section is the form of one editor tab, by its heading. */
function section(page: Page, name: string) {
  return page.getByRole("form", { name });
}

test.describe("certificate editor", () => {
  test("wizard → editor: dates with a server rule at the field, ratings, reload, and a version conflict", async ({ page, admin, request, browser, baseURL }) => {
    test.slow();
    const token = await apiToken(request, admin.email, admin.password);
    const lastName = uniqueName("Zeugnisprobe");
    const number = `Z-${Date.now().toString(36)}${Math.floor(Math.random() * 1e4).toString(36)}`.toUpperCase();
    await rpc(
      request,
      "EmployeeService/CreateEmployee",
      {
        fields: {
          salutation: "SALUTATION_FRAU",
          firstName: "Greta",
          lastName,
          personnelNumber: number,
          entryDate: "2015-03-01",
          jobTitle: "Sachbearbeiterin Buchhaltung",
        },
      },
      token,
    );
    const name = `Greta ${lastName}`;

    await page.goto("/");
    await login(page, admin.email, admin.password);
    await page.getByRole("navigation", { name: "Hauptnavigation" }).getByRole("link", { name: "Zeugnisse", exact: true }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Zeugnisse" })).toBeVisible();
    await screenshot(page, "certificates-list");
    await expectAccessible(page, "certificate list");

    // The wizard: employee → kind and language → job profile.
    await page.getByRole("link", { name: "Neues Zeugnis" }).first().click();
    const wizard = page.getByRole("dialog", { name: "Neues Zeugnis" });
    const picker = wizard.getByRole("combobox", { name: "Für wen ist das Zeugnis?" });
    await picker.fill(lastName);
    await page.getByRole("option", { name: new RegExp(lastName) }).click();
    await screenshot(page, "certificates-wizard");
    await expectAccessible(page, "certificate wizard");
    await wizard.getByRole("button", { name: "Weiter" }).click();
    await wizard.getByRole("radio", { name: /^Endzeugnis/ }).check();
    await wizard.getByRole("button", { name: "Weiter" }).click();
    await expect(wizard.getByText(/Endzeugnis für/)).toBeVisible();
    await wizard.getByRole("button", { name: "Zeugnis anlegen" }).click();

    await expect(page).toHaveURL(/\/certificates\/[0-9a-f-]{36}/);
    const editorUrl = page.url().split("?")[0] ?? "";
    await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
    await expect(page.getByText("Entwurf").first()).toBeVisible();

    // Zeugnisdaten: an exit date before the entry is refused by the server, next to the field.
    await page.getByRole("tab", { name: "Zeugnisdaten" }).click();
    const data = section(page, "Zeugnisdaten");
    await data.getByRole("textbox", { name: "Eintrittsdatum" }).fill("01.03.2015");
    const exit = data.getByRole("textbox", { name: "Austrittsdatum" });
    await exit.fill("28.02.2014");
    await data.getByRole("button", { name: "Abschnitt speichern" }).click();
    await expect(data.getByText("Das Austrittsdatum liegt vor dem Eintrittsdatum.")).toBeVisible();
    await expect(exit).toHaveAttribute("aria-invalid", "true");
    await exit.fill("31.12.2024");
    await data.getByRole("button", { name: "Abschnitt speichern" }).click();
    await expect(page.getByText("„Zeugnisdaten“ wurde gespeichert.")).toBeVisible();
    await expect(data.getByText("Das Austrittsdatum liegt vor dem Eintrittsdatum.")).toBeHidden();

    // Ratings: grade names and the hint of how the grade reads; Führungserfolg waits for a leader.
    await page.getByRole("tab", { name: "Bewertung Leistung" }).click();
    const perf = section(page, "Bewertung Leistung");
    const willingness = perf.getByRole("radiogroup", { name: "Leistungsbereitschaft" });
    await willingness.getByText("1 · sehr gut").click();
    await expect(perf.getByText("„zeigte stets außergewöhnliches Engagement und große Eigeninitiative“")).toBeVisible();
    await perf.getByRole("radiogroup", { name: "Arbeitserfolg" }).getByText("2 · gut").click();
    await expect(perf.getByText("„erledigte die Aufgaben stets zu unserer vollen Zufriedenheit“")).toBeVisible();
    await expect(perf.getByRole("radiogroup", { name: "Führungserfolg" }).getByRole("radio").first()).toBeDisabled();
    await expect(perf.getByText(/Aus den Einzelnoten ergibt sich 1/)).toBeVisible();
    await screenshot(page, "certificates-editor-ratings");
    await expectAccessible(page, "certificate editor ratings");
    await perf.getByRole("button", { name: "Abschnitt speichern" }).click();
    await expect(page.getByText("„Bewertung Leistung“ wurde gespeichert.")).toBeVisible();

    // A reload shows what was saved.
    await page.goto(`${editorUrl}?tab=certificateData`);
    await expect(section(page, "Zeugnisdaten").getByRole("textbox", { name: "Austrittsdatum" })).toHaveValue("31.12.2024");
    await page.getByRole("tab", { name: "Bewertung Leistung" }).click();
    await expect(section(page, "Bewertung Leistung").getByRole("radiogroup", { name: "Leistungsbereitschaft" }).getByRole("radio", { name: "1 · sehr gut" })).toBeChecked();
    await expect(section(page, "Bewertung Leistung").getByRole("radiogroup", { name: "Arbeitserfolg" }).getByRole("radio", { name: "2 · gut" })).toBeChecked();

    // Two pages edit the same section: the later save names who saved in between.
    const other = await signedInPage(browser, baseURL, admin, `${editorUrl}?tab=certificateData`);
    const otherData = section(other, "Zeugnisdaten");
    await otherData.getByRole("textbox", { name: "Austrittsdatum" }).fill("29.12.2024");
    const mine = section(page, "Zeugnisdaten");
    await page.getByRole("tab", { name: "Zeugnisdaten" }).click();
    await mine.getByRole("textbox", { name: "Austrittsdatum" }).fill("30.12.2024");
    await mine.getByRole("button", { name: "Abschnitt speichern" }).click();
    await expect(page.getByText("„Zeugnisdaten“ wurde gespeichert.").first()).toBeVisible();
    await otherData.getByRole("button", { name: "Abschnitt speichern" }).click();
    const alert = otherData.getByRole("alert").filter({ hasText: "Inzwischen geändert" });
    await expect(alert).toContainText(/hat diesen Abschnitt um \d{2}:\d{2} gespeichert/);
    // Nothing is lost silently: the edit is still there until the person chooses.
    await expect(otherData.getByRole("textbox", { name: "Austrittsdatum" })).toHaveValue("29.12.2024");
    await alert.getByRole("button", { name: /Neu laden/ }).click();
    await expect(otherData.getByRole("textbox", { name: "Austrittsdatum" })).toHaveValue("30.12.2024");
    await expect(alert).toBeHidden();
    await screenshot(page, "certificates-editor");
    await other.context().close();

    // The list shows the certificate; a row opens the editor.
    await page.goto("/certificates");
    await page.getByRole("searchbox", { name: "Zeugnisse suchen" }).fill(lastName);
    const row = page.getByRole("table", { name: "Zeugnisse" }).getByRole("row", { name: new RegExp(lastName) });
    await expect(row).toContainText("Endzeugnis");
    await expect(row).toContainText(number);
    await row.getByRole("link", { name }).click();
    await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();

    // Narrow screen: the sections are a choice instead of a tab column.
    await page.setViewportSize({ width: 390, height: 844 });
    await expect(page.getByRole("combobox", { name: "Abschnitt" })).toBeVisible();
    await screenshot(page, "certificates-editor-narrow");
  });
});
