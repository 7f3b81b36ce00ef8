// The HR user's main job in a real browser (issue #15): an employee's final
// certificate is rated, its text generated, a sentence edited into a coded
// phrase (the checker marks it in the text), fixed again, moved through
// review and completion to issued, previewed, downloaded (its text read
// with pdftotext) and its history shown. And a user whose certificate
// access is restricted does not see another user's private certificate —
// not in the list, not by search, not by its address.
import type { APIRequestContext, Page } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { apiToken, rpc } from "./api.js";
import { expectAccessible } from "./axe.js";
import { expect, login, screenshot, test, uniqueName } from "./fixtures.js";
import { linkIn, waitForMail } from "./mail.js";
import { unzip } from "./zip.js";

type SectionInfo = { section: string; version: string };
type Certificate = { id: string; version: string; sections?: SectionInfo[] };

/** versionOf is a section's version as the API reads it. */
function versionOf(cert: Certificate, section: string): string {
  const info = cert.sections?.find((s) => s.section === section);
  if (!info) throw new Error(`no section ${section} in the certificate`);
  return info.version;
}

/** A surname no other test or run uses (letters only: it is printed in the text). */
function uniqueSurname(base: string): string {
  const letters = "abcdefghijklmnopqrstuvwxyz";
  let n = Date.now() * 100 + Math.floor(Math.random() * 100);
  let tail = "";
  for (let i = 0; i < 6; i++) {
    tail += letters[n % 26];
    n = Math.floor(n / 26);
  }
  return `${base}${tail}`;
}

/**
 * finalCertificate creates an employee who left (in the first company) and
 * a final certificate for her, rated "gut" throughout, through the API.
 */
async function finalCertificate(
  request: APIRequestContext,
  token: string,
  opts: { lastName: string; companyId: string; private?: boolean },
): Promise<Certificate> {
  const employee = await rpc<{ employee?: { id: string } }>(
    request,
    "EmployeeService/CreateEmployee",
    {
      fields: {
        salutation: "SALUTATION_FRAU",
        firstName: "Carla",
        lastName: opts.lastName,
        personnelNumber: uniqueName("Z").replace(/\W+/g, "-").toUpperCase(),
        companyId: opts.companyId,
        birthDate: "1988-04-12",
        entryDate: "2019-04-01",
        exitDate: "2025-09-30",
        exitReason: "EXIT_REASON_OWN_WISH",
        jobTitle: "Sachbearbeiterin Buchhaltung",
        tasks: ["Kontierung und Buchung der Eingangsrechnungen", "Abstimmung der Kreditorenkonten"],
      },
    },
    token,
  );
  const created = await rpc<{ certificate: Certificate }>(
    request,
    "CertificateService/CreateCertificate",
    { employeeId: employee.employee?.id, kind: "CERTIFICATE_KIND_FINAL", language: "de", private: opts.private ?? false },
    token,
  );
  let cert = created.certificate;
  const rate = async (section: string, body: Record<string, unknown>) => {
    cert = (
      await rpc<{ certificate: Certificate }>(
        request,
        "CertificateService/UpdateCertificateSection",
        { id: cert.id, version: versionOf(cert, section), ...body },
        token,
      )
    ).certificate;
  };
  await rate("CERTIFICATE_SECTION_PERFORMANCE", {
    performance: { willingness: 2, ability: 2, knowledge: 2, learning: 2, workingStyle: 2, results: 2 },
  });
  await rate("CERTIFICATE_SECTION_CONDUCT", { conduct: { internal: 2, external: 2 } });
  return cert;
}

async function firstCompany(request: APIRequestContext, token: string): Promise<string> {
  const companies = await rpc<{ companies?: { id: string }[] }>(request, "OrganizationService/ListCompanies", {}, token);
  const id = companies.companies?.[0]?.id;
  if (!id) throw new Error("the demo tenant has no company");
  return id;
}

/** openCertificate opens the editor of a certificate and its text tab. */
async function openCertificate(page: Page, id: string): Promise<void> {
  await page.goto(`/certificates/${id}`);
  await page.getByRole("tab", { name: /^Text/ }).click();
}

test.describe("certificates", () => {
  test("rate, generate, see a coded phrase marked, fix it, issue, preview, download and read the history", async ({ page, admin, request }) => {
    test.slow();
    const token = await apiToken(request, admin.email, admin.password);
    const lastName = uniqueSurname("Zeugnisfrau");
    const cert = await finalCertificate(request, token, { lastName, companyId: await firstCompany(request, token) });

    await page.goto("/");
    await login(page, admin.email, admin.password);
    await openCertificate(page, cert.id);

    // Generate the text from the ratings.
    await page.getByRole("button", { name: "Text erzeugen" }).click();
    const performance = page.getByRole("textbox", { name: "Leistung: Text" });
    await expect(performance).not.toHaveValue("");
    const live = page.getByRole("region", { name: "Zeugnistext" });
    await expect(page.getByTestId("overall-grade")).toContainText("gut");
    await expect(live.locator("mark")).toHaveCount(0);
    const generated = await performance.inputValue();

    // A coded phrase is marked red in the live pane while typing, and listed.
    await performance.fill(`${generated} Sie war stets bemüht, die Aufgaben zu erledigen.`);
    const coded = live.locator('mark[data-kind="code"]');
    await expect(coded.first()).toBeVisible();
    await expect(coded.first()).toContainText("bemüht");
    const findings = page.getByRole("list", { name: "Auffälligkeiten" });
    await expect(findings.locator('li[data-kind="code"]').first()).toBeVisible();
    await expect(page.getByText("von Hand geändert")).toBeVisible();
    await screenshot(page, "certificates-01-coded-phrase");
    await expectAccessible(page, "certificate text with a finding");

    // Fix it: back to the generated sentence; the mark goes.
    await page.getByRole("button", { name: "Auf erzeugten Text zurücksetzen" }).first().click();
    await expect(performance).toHaveValue(generated);
    await expect(coded).toHaveCount(0);

    // A hand edit of the task list is saved, marked as such, and printed.
    const tasks = page.getByRole("textbox", { name: "Aufgaben: Aufzählung (ein Eintrag pro Zeile)" });
    await tasks.fill(`${await tasks.inputValue()}\nVorbereitung des Monatsabschlusses`);
    await page.getByRole("button", { name: "Speichern" }).click();
    await expect(page.getByText("Der Zeugnistext wurde gespeichert.")).toBeVisible();
    await expect(page.getByRole("button", { name: "Speichern" })).toBeDisabled();
    await expect(page.getByTestId("paragraph-tasks").getByText("von Hand geändert")).toBeVisible();

    // Through the workflow: review, completed, issued.
    await page.getByRole("button", { name: "Zur Prüfung" }).click();
    await expect(page.getByRole("button", { name: "Abschließen" })).toBeVisible();
    await page.getByRole("button", { name: "Abschließen" }).click();
    await page.getByRole("button", { name: "Ausstellen" }).click();
    const dialog = page.getByRole("dialog", { name: "Zeugnis ausstellen" });
    await dialog.getByRole("button", { name: /ausstellen/i }).click();
    await expect(dialog).toHaveCount(0);
    await expect(page.getByText(/SHA-256 des ausgestellten PDF: [0-9a-f]{64}/)).toBeVisible();
    await expect(page.getByText("Das Zeugnis ist ausgestellt")).toBeVisible();
    await expect(performance).toHaveAttribute("readonly", "");
    const sha = /([0-9a-f]{64})/.exec((await page.getByText(/SHA-256 des ausgestellten PDF/).textContent()) ?? "")?.[1];
    await screenshot(page, "certificates-02-issued");

    // The preview: the PDF from a blob URL in a frame (allowed by the CSP;
    // the fixture fails the test on any CSP violation).
    await page.getByRole("button", { name: "PDF-Vorschau" }).click();
    const preview = page.getByRole("dialog", { name: "PDF-Vorschau" });
    const frame = preview.locator("iframe");
    await expect(frame).toHaveAttribute("src", /^blob:https:\/\/localhost:\d+\//);
    await page.waitForTimeout(1500);
    await screenshot(page, "certificates-03-preview");
    await expectAccessible(page, "PDF preview");
    await preview.getByRole("button", { name: "Schließen" }).click();
    await expect(preview).toHaveCount(0);

    // The download is the stored PDF: its text names her, its hash is the one shown.
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "PDF herunterladen" }).click()]);
    expect(download.suggestedFilename()).toMatch(/\.pdf$/);
    const file = join(mkdtempSync(join(tmpdir(), "zeugo-cert-")), "zeugnis.pdf");
    await download.saveAs(file);
    const text = execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" });
    expect(text).toContain(lastName);
    expect(text).toMatch(/Zeugnis/);
    expect(text).not.toContain("stets bemüht");
    expect(text).toContain("Vorbereitung des Monatsabschlusses");
    const digest = execFileSync("sha256sum", [file], { encoding: "utf8" }).split(" ")[0];
    expect(digest).toBe(sha);

    // The history: created, and every move with who and when.
    await page.getByRole("tab", { name: "Verlauf" }).click();
    await expect(page.getByText("Angelegt", { exact: true })).toBeVisible();
    await expect(page.getByText("Entwurf → Prüfung")).toBeVisible();
    await expect(page.getByText("Prüfung → Abgeschlossen")).toBeVisible();
    await expect(page.getByText("Abgeschlossen → Ausgestellt")).toBeVisible();
    await screenshot(page, "certificates-04-history");

    // The change log: rows when the tenant tracks changes, else the
    // explanation of where to turn it on (another spec may switch it).
    await page.getByRole("tab", { name: "Änderungen" }).click();
    await expect(page.getByText("Keine Änderungen aufgezeichnet").or(page.getByRole("table", { name: "Änderungen" }))).toBeVisible();
    await screenshot(page, "certificates-05-changes");
  });

  test("a user restricted to one company does not see another user's private certificate", async ({ page, admin, request, browser, baseURL }) => {
    test.slow();
    const token = await apiToken(request, admin.email, admin.password);
    const companyId = await firstCompany(request, token);
    const lastName = uniqueSurname("Privatfrau");
    // The same employee, once public and once private (the admin's).
    const open = await finalCertificate(request, token, { lastName, companyId });
    const hidden = await finalCertificate(request, token, { lastName: `${lastName}x`, companyId, private: true });

    // A role with the employee area only, and a user restricted to the company.
    const role = await rpc<{ role?: { id: string } }>(
      request,
      "RoleService/CreateRole",
      { fields: { name: uniqueName("Personal eingeschränkt"), areas: ["AREA_EMPLOYEES"] } },
      token,
    );
    const email = `${uniqueName("eng").replace(/\W+/g, ".")}@muster.example`.toLowerCase();
    await rpc(
      request,
      "UserService/InviteUser",
      {
        email,
        fields: { firstName: "Erika", lastName: "Eng", roleId: role.role?.id, certificateAccess: { companyIds: [companyId] } },
      },
      token,
    );
    const mail = await waitForMail(email, /Einladung/);
    const invitation = linkIn(mail, "https://").split("#")[1] ?? "";
    const password = `Wolke-${Math.random().toString(36).slice(2, 8)}-Fluss-7!`;
    await rpc(request, "AuthService/AcceptInvitation", { token: invitation, password });

    // The API answers the same: absent from lists and search, NotFound by id.
    const restricted = await apiToken(request, email, password);
    const listed = await rpc<{ certificates?: { id: string }[] }>(
      request,
      "CertificateService/ListCertificates",
      { filter: { search: lastName } },
      restricted,
    );
    expect(listed.certificates?.map((c) => c.id)).toEqual([open.id]);
    const byId = await request.post("/zeugo.v1.CertificateService/GetCertificate", {
      headers: { "Content-Type": "application/json", "Zeugo-CSRF": "1", Authorization: `Bearer ${restricted}` },
      data: { id: hidden.id },
    });
    expect(byId.status()).toBe(404);

    // In the browser.
    const context = await browser.newContext({ baseURL, ignoreHTTPSErrors: true, locale: "de-DE" });
    const erika = await context.newPage();
    await erika.goto("/");
    await login(erika, email, password);
    await erika.goto("/certificates");
    const table = erika.getByRole("table", { name: "Zeugnisse" });
    await expect(table.getByRole("row", { name: new RegExp(lastName) }).first()).toBeVisible();
    await expect(table.getByRole("row", { name: new RegExp(`${lastName}x`) })).toHaveCount(0);
    await erika.getByLabel("Zeugnisse suchen").fill(lastName);
    await expect(table.getByRole("row", { name: new RegExp(lastName) })).toHaveCount(1);
    await expect(table.getByRole("row", { name: new RegExp(`${lastName}x`) })).toHaveCount(0);
    await screenshot(erika, "certificates-06-restricted-list");
    await erika.goto(`/certificates/${hidden.id}`);
    await expect(erika.getByText(/nicht gefunden/)).toBeVisible();
    await screenshot(erika, "certificates-07-restricted-not-found");

    // The admin (Administrator access) sees it.
    await page.goto("/");
    await login(page, admin.email, admin.password);
    await openCertificate(page, hidden.id);
    await expect(page.getByRole("switch", { name: /Privat/ })).toBeChecked();
    await context.close();
  });

  test("pick two certificates in the list and download them as one ZIP of PDFs", async ({ page, admin, request }) => {
    const token = await apiToken(request, admin.email, admin.password);
    const companyId = await firstCompany(request, token);
    const lastName = uniqueSurname("Exportfrau");
    await finalCertificate(request, token, { lastName, companyId });
    await finalCertificate(request, token, { lastName: `${lastName}b`, companyId });

    await page.goto("/");
    await login(page, admin.email, admin.password);
    await page.goto("/certificates");
    await page.getByLabel("Zeugnisse suchen").fill(lastName);
    const table = page.getByRole("table", { name: "Zeugnisse" });
    // The search has narrowed the page to the two (header row + 2).
    await expect(table.getByRole("row")).toHaveCount(3);
    await expect(table.getByRole("row", { name: new RegExp(lastName) })).toHaveCount(2);
    await table.getByRole("checkbox", { name: "Alle Zeilen dieser Seite auswählen" }).check();
    await expect(page.getByText("2 Zeugnisse ausgewählt")).toBeVisible();
    await page.getByRole("button", { name: "Als ZIP exportieren" }).click();
    const dialog = page.getByRole("dialog", { name: "Zeugnisse als ZIP" });
    await expect(dialog.getByText("Fertig: 2 Zeugnisse im ZIP.")).toBeVisible({ timeout: 30_000 });
    await screenshot(page, "certificates-08-export-done");
    const [download] = await Promise.all([page.waitForEvent("download"), dialog.getByRole("button", { name: "ZIP herunterladen" }).click()]);
    expect(download.suggestedFilename()).toMatch(/^Zeugnisse_.*\.zip$/);
    const file = join(mkdtempSync(join(tmpdir(), "zeugo-export-")), download.suggestedFilename());
    await download.saveAs(file);
    const entries = unzip(readFileSync(file));
    const pdfs = [...entries.keys()].filter((n) => n.endsWith(".pdf"));
    expect(pdfs).toHaveLength(2);
    for (const name of pdfs) expect(entries.get(name)?.subarray(0, 5).toString()).toBe("%PDF-");
  });
});
