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
});
