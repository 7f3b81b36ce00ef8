// A handover end to end (issue #16, SPEC §6): HR hands a certificate to a
// line manager with a one-time code by email — Bewertung Leistung to edit,
// Daten to read. The manager opens the link from the mail in a fresh
// browser (no account, a phone's screen), enters the code from the second
// mail, rates, saves and completes. HR then sees the certificate in review
// with the manager's ratings and the moves in its history.
import type { APIRequestContext } from "@playwright/test";
import { apiToken, rpc } from "./api.js";
import { expectAccessible } from "./axe.js";
import { expect, login, screenshot, test, uniqueName } from "./fixtures.js";
import { waitForMail } from "./mail.js";

/** draftCertificate creates an employee and a final certificate (draft, unrated) through the API. */
async function draftCertificate(request: APIRequestContext, token: string, lastName: string): Promise<string> {
  const companies = await rpc<{ companies?: { id: string }[] }>(request, "OrganizationService/ListCompanies", {}, token);
  const employee = await rpc<{ employee?: { id: string } }>(
    request,
    "EmployeeService/CreateEmployee",
    {
      fields: {
        salutation: "SALUTATION_HERR",
        firstName: "Bruno",
        lastName,
        personnelNumber: uniqueName("H").replace(/\W+/g, "-").toUpperCase(),
        companyId: companies.companies?.[0]?.id,
        birthDate: "1985-02-03",
        entryDate: "2018-01-01",
        exitDate: "2025-06-30",
        exitReason: "EXIT_REASON_OWN_WISH",
        jobTitle: "Lagerlogistiker",
      },
    },
    token,
  );
  const created = await rpc<{ certificate: { id: string } }>(
    request,
    "CertificateService/CreateCertificate",
    { employeeId: employee.employee?.id, kind: "CERTIFICATE_KIND_FINAL", language: "de" },
    token,
  );
  return created.certificate.id;
}

/** The rating groups a final certificate of a non-leader has (Führungserfolg waits for a leader). */
const ratings = ["Leistungsbereitschaft", "Befähigung", "Fachwissen", "Weiterbildung", "Arbeitsweise", "Arbeitserfolg"];

test.describe("handover", () => {
  test("HR hands over with a code by email; the manager rates in a fresh browser, saves and completes; HR sees review", async ({ page, admin, request, browser, baseURL }) => {
    test.slow();
    const token = await apiToken(request, admin.email, admin.password);
    const lastName = uniqueName("Uebergabe").replace(/\W+/g, "");
    const id = await draftCertificate(request, token, lastName);
    const manager = `${uniqueName("fk").replace(/\W+/g, ".").toLowerCase()}@example.com`;

    // HR: "Übergeben" in the editor.
    await page.goto(`/certificates/${id}`);
    await login(page, admin.email, admin.password);
    await page.getByRole("button", { name: "Übergeben", exact: true }).click();
    const dialog = page.getByRole("dialog", { name: "Zeugnis übergeben" });
    await dialog.getByRole("textbox", { name: "Name" }).fill("Petra Vorgesetzte");
    await dialog.getByRole("textbox", { name: "E-Mail-Adresse" }).fill(manager);
    await dialog.getByRole("textbox", { name: "Nachricht" }).fill("Bitte bewerten Sie die Leistung bis Freitag.");
    // Unterschriften can be granted for reading only.
    await expect(dialog.getByRole("checkbox", { name: "Unterschriften bearbeiten", exact: true })).toBeDisabled();
    await dialog.getByRole("checkbox", { name: "Bewertung Leistung bearbeiten", exact: true }).check();
    await expect(dialog.getByRole("checkbox", { name: "Bewertung Leistung lesen", exact: true })).toBeChecked();
    await dialog.getByRole("checkbox", { name: "Daten lesen", exact: true }).check();
    await dialog.getByText("E-Mail", { exact: true }).click();
    await screenshot(page, "handover-01-dialog");
    await expectAccessible(page, "handover dialog");
    await dialog.getByRole("button", { name: "Übergeben und E-Mail senden" }).click();
    await expect(dialog).toHaveCount(0);
    await expect(page.getByText(/Übergeben an Petra Vorgesetzte/)).toBeVisible();
    await expect(page.getByText("In Bearbeitung", { exact: true }).first()).toBeVisible();

    // The manager: the link from the mail, in a fresh browser on a phone.
    const invitation = await waitForMail(manager, /Bitte wirken Sie an einem Arbeitszeugnis mit/);
    const link = /https?:\/\/\S+\/h\/[0-9a-f]{32}#[0-9a-f]{32}/.exec(invitation.text)?.[0];
    expect(link, invitation.text).toBeTruthy();
    const path = new URL(link as string);
    const context = await browser.newContext({ baseURL, ignoreHTTPSErrors: true, locale: "de-DE", viewport: { width: 390, height: 844 } });
    const phone = await context.newPage();
    await phone.goto(path.pathname + path.hash);
    await expect(phone.getByRole("heading", { name: "Code eingeben" })).toBeVisible();
    // The secret is gone from the address bar.
    expect(phone.url()).not.toContain("#");
    const codeMail = await waitForMail(manager, /Ihr Code für das Arbeitszeugnis/);
    const code = /\b(\d{6})\b/.exec(codeMail.subject)?.[1] ?? "";
    expect(code).toMatch(/^\d{6}$/);
    // A wrong code is said at the field.
    await phone.getByRole("textbox", { name: "Code" }).fill(code === "000000" ? "111111" : "000000");
    await phone.getByRole("button", { name: "Weiter" }).click();
    await expect(phone.getByText("Der Code stimmt nicht. Bitte prüfen Sie die Ziffern.")).toBeVisible();
    await phone.getByRole("textbox", { name: "Code" }).fill(code);
    await phone.getByRole("button", { name: "Weiter" }).click();

    await expect(phone.getByRole("heading", { name: new RegExp(`Zeugnis für .*${lastName}`) })).toBeVisible();
    await expect(phone.getByText("Bitte bewerten Sie die Leistung bis Freitag.")).toBeVisible();
    // Only the granted sections are offered.
    const choose = phone.getByRole("combobox", { name: "Abschnitt" });
    await expect(choose.locator("option")).toHaveText(["Daten", "Bewertung Leistung"]);
    const perf = phone.getByRole("form", { name: "Bewertung Leistung" });
    for (const name of ratings) await perf.getByRole("radiogroup", { name }).getByText("2 · gut").click();
    await screenshot(phone, "handover-02-recipient-phone");
    await expectAccessible(phone, "handover recipient page");
    await perf.getByRole("button", { name: "Abschnitt speichern" }).click();
    await expect(phone.getByText("„Bewertung Leistung“ wurde gespeichert.")).toBeVisible();
    // Daten is there to read only.
    await choose.selectOption({ label: "Daten" });
    const data = phone.getByRole("form", { name: "Daten" });
    await expect(data.getByText("Diesen Abschnitt können Sie hier nur lesen.")).toBeVisible();
    await expect(data.getByRole("button", { name: "Abschnitt speichern" })).toHaveCount(0);

    await phone.getByRole("button", { name: "Bearbeitung abschließen" }).click();
    await phone.getByRole("dialog", { name: "Bearbeitung abschließen?" }).getByRole("button", { name: "Abschließen" }).click();
    await expect(phone.getByRole("heading", { name: "Vielen Dank!" })).toBeVisible();
    await screenshot(phone, "handover-03-thanks");
    // The link is used up (a new tab: the same address with its fragment would only be a jump within this page).
    const again = await context.newPage();
    await again.goto(path.pathname + path.hash);
    await expect(again.getByRole("heading", { name: "Dieser Link ist nicht (mehr) gültig" })).toBeVisible();
    await context.close();

    // HR: review, the manager's ratings, the moves in the history.
    await page.reload();
    await expect(page.getByText("Prüfung", { exact: true }).first()).toBeVisible();
    await expect(page.getByText(/Übergeben an/)).toHaveCount(0);
    await page.getByRole("tab", { name: "Bewertung Leistung" }).click();
    const hrPerf = page.getByRole("form", { name: "Bewertung Leistung" });
    for (const name of ratings) await expect(hrPerf.getByRole("radiogroup", { name }).getByRole("radio", { name: "2 · gut" })).toBeChecked();
    await page.getByRole("tab", { name: "Übergaben" }).click();
    await expect(page.getByRole("table", { name: "Übergaben" }).getByText("Abgeschlossen")).toBeVisible();
    await page.getByRole("tab", { name: "Verlauf" }).click();
    await expect(page.getByText("Entwurf → In Bearbeitung")).toBeVisible();
    await expect(page.getByText("In Bearbeitung → Prüfung")).toBeVisible();
    await screenshot(page, "handover-04-history");
  });
});
