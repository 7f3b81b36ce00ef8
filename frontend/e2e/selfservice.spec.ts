// Self-service in a real browser (issue #16, item 6): an employee fills in
// the company's published request form without signing in, confirms the
// email address with the code from the mail (read from the in-process SMTP
// relay), and HR finds the request in the Self-Service inbox, matched to
// the employee by personnel number, and turns it into a draft certificate
// in one click — landing in the certificate editor. HR publishes the form
// in the SPA first; the employee uses it on a phone-sized screen.
import { apiToken, rpc } from "./api.js";
import { expectAccessible } from "./axe.js";
import { expect, login, screenshot, test, uniqueName } from "./fixtures.js";
import { waitForMail } from "./mail.js";

test.describe("self-service", () => {
  test("an employee submits a self-service request and HR turns it into a draft", async ({ page, admin, browser, baseURL, request }) => {
    const token = await apiToken(request, admin.email, admin.password);
    // A company of its own, so the one form per company is this run's.
    const companyName = uniqueName("Selbst GmbH");
    const company = await rpc<{ company?: { id: string } }>(
      request,
      "OrganizationService/CreateCompany",
      { fields: { name: companyName, city: "Köln" } },
      token,
    );
    const companyId = company.company?.id ?? "";
    const pn = uniqueName("SS").replace(/\W+/g, "-").toUpperCase();
    const lastName = `Sommer${Date.now().toString(36).replace(/\d/g, "")}`;
    const employee = await rpc<{ employee?: { id: string } }>(
      request,
      "EmployeeService/CreateEmployee",
      {
        fields: {
          salutation: "SALUTATION_FRAU",
          firstName: "Selma",
          lastName,
          personnelNumber: pn,
          companyId,
          entryDate: "2020-02-01",
          jobTitle: "Referentin Einkauf",
        },
      },
      token,
    );
    // HR publishes the company's form in the SPA.
    await page.goto("/");
    await login(page, admin.email, admin.password);
    await page.getByRole("navigation", { name: "Hauptnavigation" }).getByRole("link", { name: "Self-Service" }).click();
    await page.getByRole("tab", { name: "Formulare" }).click();
    await expect(page).toHaveURL(/\/self-service\/forms$/);
    await page.getByRole("combobox", { name: "Unternehmen" }).click();
    await page.getByRole("option", { name: companyName, exact: true }).click();
    await page.getByRole("button", { name: "Formular anlegen" }).click();
    const card = page.getByRole("region", { name: companyName });
    await expect(card.getByRole("switch")).toBeChecked();
    await card.getByRole("textbox", { name: "Einleitungstext" }).fill("Anfragen bearbeitet das Personalteam innerhalb einer Woche.");
    await card.getByRole("button", { name: "Speichern" }).click();
    await expect(card.getByRole("button", { name: "Speichern" })).toBeDisabled();
    const url = await card.getByRole("textbox", { name: "Adresse des Formulars" }).inputValue();
    const publicId = /\/s\/([0-9a-f]{32})$/.exec(url)?.[1] ?? "";
    expect(publicId, `the form's address ${url}`).not.toBe("");
    await screenshot(page, "selfservice-00-forms");
    await expectAccessible(page, "self-service forms");

    // The employee, in a browser of their own, on a phone.
    const ctx = await browser.newContext({ baseURL, ignoreHTTPSErrors: true, locale: "de-DE", viewport: { width: 390, height: 844 } });
    const phone = await ctx.newPage();
    await phone.goto(`/s/${publicId}`);
    await expect(phone.getByRole("heading", { name: "Arbeitszeugnis anfragen" })).toBeVisible();
    await expect(phone.getByText("Anfragen bearbeitet das Personalteam")).toBeVisible();
    await expectAccessible(phone, "self-service form");
    // The form's own rules answer next to the fields before anything is sent.
    await phone.getByRole("button", { name: "Weiter" }).click();
    await expect(phone.getByText("Bitte füllen Sie dieses Feld aus.").first()).toBeVisible();

    const email = `${uniqueName("selma").replace(/\W+/g, ".")}@privat.example`.toLowerCase();
    await phone.getByRole("textbox", { name: "Vorname" }).fill("Selma");
    await phone.getByRole("textbox", { name: "Nachname" }).fill(lastName);
    await phone.getByRole("textbox", { name: "Personalnummer" }).fill(pn.toLowerCase());
    await phone.getByRole("textbox", { name: "E-Mail-Adresse" }).fill(email);
    await phone.getByRole("combobox", { name: "Zeugnisart" }).click();
    await phone.getByRole("option", { name: "Zwischenzeugnis" }).click();
    await phone.getByRole("textbox", { name: "Anlass" }).fill("Meine Vorgesetzte wechselt zum Jahresende.");
    await phone.getByRole("textbox", { name: "Gewünscht bis" }).fill("15.01.2027");
    await screenshot(phone, "selfservice-01-form");
    await phone.getByRole("button", { name: "Weiter" }).click();

    await expect(phone.getByRole("heading", { name: "E-Mail-Adresse bestätigen" })).toBeVisible();
    const mail = await waitForMail(email, /Bestätigungscode/);
    const code = /^\s*(\d{6})\s*$/m.exec(mail.text)?.[1];
    expect(code, "a six-digit code in the mail").toBeTruthy();
    await phone.getByRole("textbox", { name: "Code" }).fill(code ?? "");
    await phone.getByRole("button", { name: "Anfrage absenden" }).click();
    await expect(phone.getByTestId("request-confirmed")).toBeVisible();
    await screenshot(phone, "selfservice-02-confirmed");
    await ctx.close();

    // HR, back in the inbox.
    await page.getByRole("tab", { name: "Anfragen" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Self-Service" })).toBeVisible();
    await page.getByRole("link", { name: `Selma ${lastName}` }).click();
    const drawer = page.getByRole("dialog", { name: `Selma ${lastName}` });
    await expect(drawer.getByText("Meine Vorgesetzte wechselt zum Jahresende.")).toBeVisible();
    const match = drawer.getByRole("radio", { name: new RegExp(`Selma ${lastName}`) });
    await expect(match).toBeChecked();
    await expect(drawer.getByText("Personalnummer stimmt überein")).toBeVisible();
    await screenshot(page, "selfservice-03-request");
    await expectAccessible(page, "self-service request");
    await drawer.getByRole("button", { name: "Entwurf anlegen" }).click();

    await expect(page).toHaveURL(/\/certificates\/[0-9a-f-]{36}$/);
    const certId = page.url().split("/").pop() ?? "";
    const cert = await rpc<{ certificate?: { employeeId: string; kind: string; status: string } }>(
      request,
      "CertificateService/GetCertificate",
      { id: certId },
      token,
    );
    expect(cert.certificate).toMatchObject({ employeeId: employee.employee?.id, kind: "CERTIFICATE_KIND_INTERIM", status: "CERTIFICATE_STATUS_DRAFT" });

    // The inbox no longer lists it as open.
    await page.goto("/self-service");
    await expect(page.getByRole("heading", { level: 1, name: "Self-Service" })).toBeVisible();
    await expect(page.getByRole("link", { name: `Selma ${lastName}` })).toHaveCount(0);
  });
});
