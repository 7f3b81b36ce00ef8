// Zeugnisformatierung in a real browser (issue #18, item 4): an
// administrator changes a company's typeface, margins and footer, watches
// the sample certificate change beside the form, saves, and the next
// certificate issued for an employee of that company is printed in the
// new layout (pdffonts names Liberation Sans, pdftotext finds the footer).
// And what the server refuses shows at its field: a bottom margin too
// small for the footer, a logo file that is no image.
import type { APIRequestContext, Page, Response } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { apiToken, rpc } from "./api.js";
import { expectAccessible } from "./axe.js";
import { expect, login, screenshot, test, uniqueName } from "./fixtures.js";

type Certificate = { id: string; version: string; sections?: { section: string; version: string }[] };

/** A company of its own, so that no other spec prints in this layout. */
async function newCompany(request: APIRequestContext, token: string): Promise<{ id: string; name: string }> {
  const name = uniqueName("Formathaus GmbH");
  const res = await rpc<{ company?: { id: string } }>(
    request,
    "OrganizationService/CreateCompany",
    {
      fields: {
        name,
        street: "Venloer Straße 12",
        postcode: "50672",
        city: "Köln",
        country: "DE",
        registerCourt: "Amtsgericht Köln",
        registerNumber: "HRB 4711",
      },
    },
    token,
  );
  const id = res.company?.id;
  if (!id) throw new Error("CreateCompany answered without a company");
  return { id, name };
}

/** issuedCertificate files an employee of the company and takes a final certificate of hers to issued. */
async function issuedCertificate(request: APIRequestContext, token: string, companyId: string): Promise<Certificate> {
  const employee = await rpc<{ employee?: { id: string } }>(
    request,
    "EmployeeService/CreateEmployee",
    {
      fields: {
        salutation: "SALUTATION_FRAU",
        firstName: "Lena",
        lastName: "Formtest",
        personnelNumber: uniqueName("L").replace(/\W+/g, "-").toUpperCase(),
        companyId,
        birthDate: "1990-02-03",
        entryDate: "2020-01-01",
        exitDate: "2025-06-30",
        exitReason: "EXIT_REASON_OWN_WISH",
        jobTitle: "Grafikerin",
        tasks: ["Gestaltung der Geschäftsausstattung"],
      },
    },
    token,
  );
  let cert = (
    await rpc<{ certificate: Certificate }>(
      request,
      "CertificateService/CreateCertificate",
      { employeeId: employee.employee?.id, kind: "CERTIFICATE_KIND_FINAL", language: "de" },
      token,
    )
  ).certificate;
  const sectionVersion = (section: string) => cert.sections?.find((s) => s.section === section)?.version;
  const rate = async (section: string, body: Record<string, unknown>) => {
    cert = (
      await rpc<{ certificate: Certificate }>(request, "CertificateService/UpdateCertificateSection", { id: cert.id, version: sectionVersion(section), ...body }, token)
    ).certificate;
  };
  await rate("CERTIFICATE_SECTION_PERFORMANCE", { performance: { willingness: 2, ability: 2, knowledge: 2, learning: 2, workingStyle: 2, results: 2 } });
  await rate("CERTIFICATE_SECTION_CONDUCT", { conduct: { internal: 2, external: 2 } });
  cert = (await rpc<{ certificate: Certificate }>(request, "CertificateService/GenerateCertificateText", { id: cert.id, version: cert.version }, token)).certificate;
  for (const status of ["CERTIFICATE_STATUS_REVIEW", "CERTIFICATE_STATUS_COMPLETED", "CERTIFICATE_STATUS_ISSUED"]) {
    cert = (await rpc<{ certificate: Certificate }>(request, "CertificateService/TransitionCertificate", { id: cert.id, version: cert.version, status }, token)).certificate;
  }
  return cert;
}

/** pdfOfPreview reads the PDF out of a PreviewDocumentLayout answer (binary protobuf: field 1, length-delimited). */
async function pdfOfPreview(response: Response): Promise<Buffer> {
  const body = await response.body();
  if (body[0] !== 0x0a) throw new Error("the answer does not start with field 1 (pdf)");
  let length = 0;
  let shift = 0;
  let i = 1;
  for (;;) {
    const b = body[i++]!;
    length += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if (b < 0x80) break;
  }
  return body.subarray(i, i + length);
}

/** fontsOf lists the fonts of a PDF as pdffonts names them. */
function fontsOf(pdf: Buffer): string {
  const file = join(mkdtempSync(join(tmpdir(), "zeugo-layout-")), "doc.pdf");
  writeFileSync(file, pdf);
  return execFileSync("pdffonts", [file], { encoding: "utf8" }).toLowerCase();
}

function textOf(pdf: Buffer): string {
  const file = join(mkdtempSync(join(tmpdir(), "zeugo-layout-")), "doc.pdf");
  writeFileSync(file, pdf);
  return execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" });
}

const isPreview = (r: Response) => r.url().endsWith("/zeugo.v1.DocumentLayoutService/PreviewDocumentLayout") && r.ok();

async function openLayout(page: Page, companyId: string) {
  await page.goto(`/settings/layout/${companyId}`);
  await expect(page.getByRole("heading", { level: 1, name: "Zeugnisformatierung" })).toBeVisible();
  const frame = page.getByTestId("layout-preview");
  // The server prints the sample; a busy machine may take a while.
  await expect(frame).toHaveAttribute("src", /^blob:https:\/\/localhost:\d+\//, { timeout: 30_000 });
  return frame;
}

test.describe("document layout", () => {
  test("change the typeface, margins and footer, see the preview change, save, and find the layout in an issued certificate's PDF", async ({
    page,
    admin,
    request,
  }) => {
    test.slow();
    const token = await apiToken(request, admin.email, admin.password);
    const company = await newCompany(request, token);
    const footer = `Layoutprobe ${Date.now()} · Sitz Köln`;

    await page.goto("/");
    await login(page, admin.email, admin.password);
    // The page is in the settings navigation.
    await page.getByRole("link", { name: "Zeugnisformatierung" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Zeugnisformatierung" })).toBeVisible();

    const frame = await openLayout(page, company.id);
    const form = page.getByRole("form", { name: `Zeugnisformatierung von ${company.name}` });
    await expect(form.getByText("Standard", { exact: true })).toBeVisible();
    // The company's data are the default letterhead and footer.
    await expect(form.getByText("Venloer Straße 12")).toBeVisible();
    await expect(form.getByText(/HRB 4711/)).toBeVisible();
    await expect(form.getByLabel("Ort")).toHaveAttribute("placeholder", "Köln");
    const before = await frame.getAttribute("src");

    // Sans and wider margins: a new sample, printed in Liberation Sans.
    const sansSample = page.waitForResponse(async (r) => isPreview(r) && fontsOf(await pdfOfPreview(r)).includes("liberationsans"), { timeout: 30_000 });
    await form.getByText("Serifenlose Schrift").click();
    await form.getByLabel("Rand oben (mm)").fill("35");
    await form.getByLabel("Rand links (mm)").fill("30");
    await sansSample;
    await expect(frame).not.toHaveAttribute("src", before ?? "", { timeout: 20_000 });
    await expect(page.getByTestId("layout-preview-pages")).toHaveText(/^\d Seiten?$/);

    // An own footer line.
    await form.getByText("Eigene Fußzeile").click();
    const lines = form.getByLabel("Zeilen der Fußzeile");
    await expect(lines).toHaveValue(/HRB 4711/);
    const withFooter = page.waitForResponse(async (r) => isPreview(r) && textOf(await pdfOfPreview(r)).includes(footer), { timeout: 30_000 });
    await lines.fill(footer);
    await withFooter;

    await form.getByRole("button", { name: "Speichern" }).click();
    await expect(page.getByText("Die Zeugnisformatierung wurde gespeichert.")).toBeVisible();
    await expect(form.getByText("Eigene Formatierung")).toBeVisible();
    await page.waitForTimeout(1000);
    await screenshot(page, "layout-01-desktop");
    await expectAccessible(page, "document layout");

    // The saved layout is read back.
    await page.reload();
    await expect(form.getByLabel("Rand oben (mm)")).toHaveValue("35", { timeout: 30_000 });
    await expect(form.getByLabel("Zeilen der Fußzeile")).toHaveValue(footer);
    await expect(form.getByRole("radio", { name: "Serifenlose Schrift" })).toBeChecked();

    // Narrow: the preview below the form.
    await page.setViewportSize({ width: 390, height: 844 });
    await expect(frame).toBeVisible();
    await page.waitForTimeout(800);
    await screenshot(page, "layout-02-narrow");

    // A certificate of the company's employee, issued now, is in the new layout.
    const cert = await issuedCertificate(request, token, company.id);
    const download = await rpc<{ pdf: string; issued: boolean }>(request, "CertificateService/DownloadCertificate", { id: cert.id }, token);
    expect(download.issued).toBe(true);
    const pdf = Buffer.from(download.pdf, "base64");
    const fonts = fontsOf(pdf);
    expect(fonts).toContain("liberationsans");
    expect(fonts).not.toContain("liberationserif");
    const text = textOf(pdf);
    expect(text).toContain(footer);
    expect(text).toContain("Formtest");
  });

  test("what the server refuses shows at its field: a bottom margin too small for the footer, a file that is no image", async ({
    page,
    admin,
    request,
  }) => {
    test.slow();
    const token = await apiToken(request, admin.email, admin.password);
    const company = await newCompany(request, token);
    await page.goto("/");
    await login(page, admin.email, admin.password);
    await openLayout(page, company.id);
    const form = page.getByRole("form", { name: `Zeugnisformatierung von ${company.name}` });

    // Out of the proto's range: refused in the browser, nothing is sent.
    const margin = form.getByLabel("Rand unten (mm)");
    await margin.fill("60");
    await expect(form.getByText("Bitte einen Wert von 10 bis 50 mm eingeben.")).toBeVisible();
    await expect(margin).toHaveAttribute("aria-invalid", "true");

    // In range but too small for footer lines: the server's rule, at the field.
    await form.getByText("Eigene Fußzeile").click();
    await form.getByLabel("Zeilen der Fußzeile").fill("Registergericht Köln · HRB 4711");
    await margin.fill("15");
    const message = "Die Fußzeilen passen nicht auf die Seite: Der untere Rand muss größer sein (mindestens 22 mm, bei mehr oder längeren Zeilen mehr).";
    await expect(form.getByText(message).first()).toBeVisible({ timeout: 20_000 });
    await expect(margin).toHaveAttribute("aria-invalid", "true");
    await expect(page.getByText("Die Vorschau zeigt den letzten gültigen Stand.", { exact: false })).toBeVisible();
    // Saving is refused the same way; nothing is stored.
    await form.getByRole("button", { name: "Speichern" }).click();
    await expect(form.getByText(message).first()).toBeVisible();
    await expect(form.getByText("Standard", { exact: true })).toBeVisible();
    await screenshot(page, "layout-03-footer-margin");

    // A file that is no image: the server's German message at the logo field.
    await form.locator('input[type="file"]').setInputFiles({ name: "logo.png", mimeType: "image/png", buffer: Buffer.from("Das ist kein Bild.") });
    await expect(form.getByText("Die Datei ist kein vollständiges PNG- oder JPEG-Bild.")).toBeVisible({ timeout: 20_000 });
    await expect(form.getByText("Kein Logo hinterlegt.")).toBeVisible();
    await expectAccessible(page, "document layout with errors");
  });
});
