// The tenant's catalogue in a real browser (issue 18): a letter text with
// a coded phrase is refused with the checker's finding beside the field;
// the introduction is overridden, the list marks it as changed, and a
// certificate generated afterwards opens with the tenant's own sentence.
// The spec runs in a tenant of its own: the demo tenant's texts stay as
// shipped for the other specs.
import { apiToken, rpc } from "./api.js";
import { expectAccessible } from "./axe.js";
import { expect, login, screenshot, test, uniqueName } from "./fixtures.js";
import { createTenant, ownTenantsPossible } from "./tenant.js";

type SectionInfo = { section: string; version: string };
type Certificate = { id: string; sections?: SectionInfo[] };

function versionOf(cert: Certificate, section: string): string {
  const info = cert.sections?.find((s) => s.section === section);
  if (!info) throw new Error(`no section ${section}`);
  return info.version;
}

const ownIntro = "{FullName}{birth} gehörte vom {entry} bis zum {exit} als {job} zu unserem Haus.";

test.describe("catalogue", () => {
  test("override a letter text and find it in a newly generated certificate", async ({ page, request }) => {
    test.skip(!ownTenantsPossible(), "needs the server of global-setup (own tenants via zeugo tenant create)");
    test.slow();
    const admin = createTenant({ name: uniqueName("Katalog GmbH"), adminEmail: `${uniqueName("katalog").replace(/\W+/g, "-")}@katalog.example`, requireMfa: false });
    const token = await apiToken(request, admin.email, admin.password);

    await page.goto("/");
    await login(page, admin.email, admin.password);
    await page.getByRole("link", { name: "Berufsbilder & Brieftexte" }).click();
    await expect(page.getByRole("heading", { name: "Berufsbilder, Brieftexte und Eigenschaften" })).toBeVisible();
    await page.getByRole("textbox", { name: "Suchen" }).fill("intro.final");
    const row = page.getByTestId("letter-intro.final");
    await expect(row.getByText("Standard")).toBeVisible();
    await row.getByRole("button", { name: "Bearbeiten" }).click();
    const dialog = page.getByRole("dialog", { name: "Brieftext intro.final" });
    // keep one German variant, so every certificate uses the tenant's sentence
    await dialog.getByRole("button", { name: "Variante 3 (Deutsch) entfernen" }).click();
    await dialog.getByRole("button", { name: "Variante 2 (Deutsch) entfernen" }).click();
    const first = dialog.getByRole("textbox", { name: "Variante 1 (Deutsch)" });

    // A coded phrase is refused, the finding beside the field, nothing saved.
    await first.fill("{FullName}{birth} war vom {entry} bis zum {exit} als {job} tätig und hat sich stets bemüht.");
    await dialog.getByRole("button", { name: "Speichern" }).click();
    await expect(dialog.getByText(/Bemühen statt Ergebnis/)).toBeVisible();
    await screenshot(page, "catalog-01-finding");
    await expectAccessible(page, "letter text with a finding");

    // The tenant's own introduction is saved.
    await first.fill(ownIntro);
    await dialog.getByRole("button", { name: "Speichern" }).click();
    await expect(dialog).toHaveCount(0);
    await expect(row.getByText("Geändert")).toBeVisible();
    await expect(row.getByText("gehörte vom {entry}")).toBeVisible();
    await screenshot(page, "catalog-02-changed");
    await page.getByRole("tab", { name: "Versionen" }).click();
    await expect(page.getByText("Brieftext intro.final geändert")).toBeVisible();

    // A certificate generated now opens with it.
    const company = await rpc<{ company: { id: string } }>(
      request,
      "OrganizationService/CreateCompany",
      { fields: { name: "Katalog GmbH", street: "Hafenstraße 3", postcode: "20457", city: "Hamburg" } },
      token,
    );
    const employee = await rpc<{ employee: { id: string } }>(
      request,
      "EmployeeService/CreateEmployee",
      {
        fields: {
          salutation: "SALUTATION_FRAU",
          firstName: "Carla",
          lastName: "Katalog",
          personnelNumber: "K-1",
          companyId: company.company.id,
          entryDate: "2019-04-01",
          exitDate: "2025-09-30",
          exitReason: "EXIT_REASON_OWN_WISH",
          jobTitle: "Sachbearbeiterin Einkauf",
          tasks: ["Pflege der Lieferantenstammdaten"],
        },
      },
      token,
    );
    let cert = (
      await rpc<{ certificate: Certificate }>(
        request,
        "CertificateService/CreateCertificate",
        { employeeId: employee.employee.id, kind: "CERTIFICATE_KIND_FINAL", language: "de" },
        token,
      )
    ).certificate;
    for (const [section, body] of [
      ["CERTIFICATE_SECTION_PERFORMANCE", { performance: { willingness: 2, ability: 2, knowledge: 2, learning: 2, workingStyle: 2, results: 2 } }],
      ["CERTIFICATE_SECTION_CONDUCT", { conduct: { internal: 2, external: 2 } }],
    ] as const) {
      cert = (
        await rpc<{ certificate: Certificate }>(
          request,
          "CertificateService/UpdateCertificateSection",
          { id: cert.id, version: versionOf(cert, section), ...body },
          token,
        )
      ).certificate;
    }
    await page.goto(`/certificates/${cert.id}`);
    await page.getByRole("tab", { name: /^Text/ }).click();
    await page.getByRole("button", { name: "Text erzeugen" }).click();
    const intro = page.getByRole("textbox", { name: "Angaben zur Person: Text" });
    await expect(intro).toHaveValue("Frau Carla Katalog gehörte vom 1. April 2019 bis zum 30. September 2025 als Sachbearbeiterin Einkauf zu unserem Haus.");
    await screenshot(page, "catalog-03-certificate");
  });

  test("add an attribute without English, hide a job profile, read the history, export and import", async ({ page }) => {
    test.skip(!ownTenantsPossible(), "needs the server of global-setup (own tenants via zeugo tenant create)");
    test.slow();
    const admin = createTenant({ name: uniqueName("Katalog Zwei GmbH"), adminEmail: `${uniqueName("katalog2").replace(/\W+/g, "-")}@katalog.example`, requireMfa: false });
    await page.goto("/");
    await login(page, admin.email, admin.password);
    await page.goto("/settings/catalog");

    // An attribute of the tenant's own, German only: added, English missing.
    await page.getByRole("tab", { name: "Eigenschaften" }).click();
    await page.getByRole("button", { name: "Eigenschaft hinzufügen" }).click();
    const dialog = page.getByRole("dialog", { name: "Eigenschaft hinzufügen" });
    await dialog.getByRole("textbox", { name: "Kennung" }).fill("termintreue");
    await dialog.getByRole("textbox", { name: "Name (Deutsch)" }).fill("Termintreue");
    await dialog.getByRole("button", { name: "Speichern" }).click();
    await expect(dialog).toHaveCount(0);
    const attr = page.getByTestId("attribute-termintreue");
    await expect(attr.getByText("Eigener Eintrag")).toBeVisible();
    await expect(attr.getByText("Englisch fehlt")).toBeVisible();
    await screenshot(page, "catalog-04-attributes");

    // A job profile hidden: kept for certificates, not offered for new ones.
    await page.getByRole("tab", { name: "Berufsbilder" }).click();
    const profile = page.getByTestId("profile-einkauf");
    await profile.getByRole("button", { name: "Ausblenden" }).click();
    const confirm = page.getByRole("dialog", { name: /ausblenden\?/ });
    await confirm.getByRole("button", { name: "Ausblenden" }).click();
    await expect(profile.getByText("Ausgeblendet")).toBeVisible();
    await expect(profile.getByRole("button", { name: "Einblenden" })).toBeVisible();
    await screenshot(page, "catalog-05-profiles");
    await expectAccessible(page, "job profiles");
    await profile.getByRole("button", { name: "Bearbeiten" }).click();
    const edit = page.getByRole("dialog", { name: /^Berufsbild / });
    await expect(edit.getByRole("textbox", { name: "Aufgabe 1 (Deutsch)" })).not.toHaveValue("");
    await screenshot(page, "catalog-06-profile-dialog");
    await edit.getByRole("button", { name: "Abbrechen" }).click();

    // The history names both changes.
    await page.getByRole("tab", { name: "Versionen" }).click();
    await expect(page.getByText("Eigenschaft termintreue geändert")).toBeVisible();
    await expect(page.getByText("Berufsbild einkauf ausgeblendet")).toBeVisible();
    await screenshot(page, "catalog-07-versions");

    // Export, and an import with an unknown field: every problem listed, nothing taken over.
    await page.getByRole("tab", { name: "Import/Export" }).click();
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Katalog exportieren" }).click()]);
    expect(download.suggestedFilename()).toBe("katalog-v2.json");
    const chooser = page.waitForEvent("filechooser");
    await page.getByRole("button", { name: "JSON-Datei importieren" }).click();
    await (await chooser).setFiles({
      name: "katalog.json",
      mimeType: "application/json",
      buffer: Buffer.from(JSON.stringify({ format: 1, colour: "blau", attributes: [{ id: "x1", kind: "personal", name: "X", weight: 2 }] })),
    });
    const problems = page.getByTestId("import-problems");
    await expect(problems.getByText('colour: Unbekanntes Feld „colour“.')).toBeVisible();
    await expect(problems.getByText('attributes[0].weight: Unbekanntes Feld „weight“.')).toBeVisible();
    await screenshot(page, "catalog-08-import");
  });
});
