// The employee import wizard end to end: a German Excel CSV (Windows-1252,
// semicolons, umlauts) with mistakes is refused line by line in German,
// the corrected file imports with a missing department created, and the
// result links to the employee list.
import type { Page } from "@playwright/test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expectAccessible } from "./axe.js";
import { expect, login, screenshot, test } from "./fixtures.js";

/** windows1252 encodes text as German Excel saves CSV (every character used here is Latin-1). */
function windows1252(text: string): Buffer {
  const out = Buffer.alloc(text.length);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code > 0xff) throw new Error(`not in Latin-1: ${text[i]}`);
    out[i] = code;
  }
  return out;
}

async function upload(page: Page, path: string) {
  const chooser = page.waitForEvent("filechooser");
  await page.getByRole("button", { name: "Datei auswählen" }).click();
  await (await chooser).setFiles(path);
}

test("a CSV with mistakes is refused by line in German, the fixed file imports", async ({ page, admin }) => {
  test.slow();
  const run = Date.now().toString(36).toUpperCase();
  const dir = mkdtempSync(join(tmpdir(), "zeugo-import-"));
  const header = "Pers.-Nr.;Anrede;Vorname;Nachname;Geburtsdatum;Eintritt;Austritt;Abteilung;Position";
  const department = `Vertrieb ${run}`;
  const bad = join(dir, "mitarbeiter.csv");
  writeFileSync(
    bad,
    windows1252(
      [
        header,
        `${run}-1;Frau;Jördis;Müller-Lüdenscheidt;03.02.1990;01.04.2019;;${department};Sachbearbeiterin`,
        `${run}-2;Herr;;Weiß;;01.05.2020;;${department};Lagerist`,
        `${run}-3;Herr;Björn;Groß;31.02.1985;01.06.2021;31.05.2021;${department};Fahrer`,
        `${run}-1;Frau;Änne;Schäfer;;;;;`,
      ].join("\r\n") + "\r\n",
    ),
  );

  await page.goto("/");
  await login(page, admin.email, admin.password);
  await page.goto("/employees/import");
  await expect(page.getByRole("heading", { level: 1, name: "Mitarbeiter importieren" })).toBeVisible();
  await expect(page.getByText("Datei hierher ziehen oder auswählen")).toBeVisible();
  await screenshot(page, "employee-import-1-upload");
  await expectAccessible(page, "import upload");

  // Step 2: the columns were recognised from the German headers.
  await upload(page, bad);
  await expect(page.getByText("mitarbeiter.csv: 4 Datenzeilen")).toBeVisible();
  await expect(page.getByText("gelesen als Windows-1252")).toBeVisible();
  await expect(page.getByRole("combobox", { name: "Feld für Spalte „Pers.-Nr.“" })).toHaveValue("Personalnummer *");
  await expect(page.getByRole("combobox", { name: "Feld für Spalte „Eintritt“" })).toHaveValue("Eintrittsdatum");
  await screenshot(page, "employee-import-2-mapping");
  await expectAccessible(page, "import mapping");
  await page.getByRole("button", { name: "Weiter zur Prüfung" }).click();

  // Step 3: every problem by line and column, in German.
  const problems = page.getByRole("table", { name: "Probleme der Datei" });
  await expect(problems).toBeVisible();
  await expect(page.getByText("7 Probleme gefunden")).toBeVisible();
  const rows = problems.getByRole("row");
  await expect(rows.nth(1)).toContainText("2");
  await expect(rows.nth(1)).toContainText("Abteilung");
  await expect(rows.nth(1)).toContainText(`„${department}“ gibt es noch nicht`);
  await expect(problems.getByRole("row").filter({ hasText: "Pflichtfeld „Vorname“ ist leer." })).toContainText("3");
  await expect(problems.getByRole("row").filter({ hasText: "„31.02.1985“ ist kein gültiges Datum" })).toContainText("4");
  await expect(problems.getByRole("row").filter({ hasText: "„Austritt“ liegt vor dem Eintrittsdatum." })).toContainText("4");
  await expect(problems.getByRole("row").filter({ hasText: "steht schon in Zeile 2" })).toContainText("5");
  await expect(page.getByRole("button", { name: "4 Mitarbeiter importieren" })).toBeDisabled();
  await screenshot(page, "employee-import-3-problems");
  await expectAccessible(page, "import problems");

  // The corrected file, and the missing department is created with it.
  const good = join(dir, "mitarbeiter-korrigiert.csv");
  writeFileSync(
    good,
    windows1252(
      [
        header,
        `${run}-1;Frau;Jördis;Müller-Lüdenscheidt;03.02.1990;01.04.2019;;${department};Sachbearbeiterin`,
        `${run}-2;Herr;Jürgen;Weiß;;01.05.2020;;${department};Lagerist`,
        `${run}-3;Herr;Björn;Groß;28.02.1985;01.06.2021;31.05.2023;${department};Fahrer`,
        `${run}-4;Frau;Änne;Schäfer;;;;;`,
      ].join("\r\n") + "\r\n",
    ),
  );
  await page.getByRole("button", { name: "Andere Datei hochladen" }).click();
  await upload(page, good);
  await page.getByRole("button", { name: "Weiter zur Prüfung" }).click();
  await expect(page.getByText(`Abteilung: ${department} (3 Zeilen)`)).toBeVisible();
  await page.getByRole("switch", { name: "Fehlende Einträge beim Import anlegen" }).check({ force: true });
  await expect(page.getByText("Alle 4 Zeilen sind in Ordnung.")).toBeVisible();
  const sample = page.getByRole("table", { name: "Vorschau der ersten Zeilen" });
  await expect(sample).toContainText("Jördis Müller-Lüdenscheidt");
  await expect(sample).toContainText("01.04.2019");
  await expect(sample).toContainText(department);
  await screenshot(page, "employee-import-4-preview");
  await expectAccessible(page, "import preview");

  // Step 4: stored, with the result and the way to the list.
  await page.getByRole("button", { name: "4 Mitarbeiter importieren" }).click();
  await expect(page.getByRole("status").filter({ hasText: "4 Mitarbeiter importiert" })).toBeVisible();
  await expect(page.getByText("Dabei wurde 1 Eintrag der Unternehmensstruktur angelegt.")).toBeVisible();
  await expect(page.getByRole("link", { name: "Zur Mitarbeiterliste" })).toHaveAttribute("href", "/employees");
  await screenshot(page, "employee-import-5-result");
  await expectAccessible(page, "import result");

  // The same file again: every personnel number exists now.
  await page.getByRole("button", { name: "Weitere Datei importieren" }).click();
  await upload(page, good);
  await page.getByRole("button", { name: "Weiter zur Prüfung" }).click();
  await expect(page.getByText("4 Probleme gefunden")).toBeVisible();
  await expect(page.getByRole("table", { name: "Probleme der Datei" })).toContainText(
    `Einen Mitarbeiter mit der Personalnummer „${run}-1“ gibt es schon.`,
  );
});

test("a file over 20 MB is refused in the browser before any upload", async ({ page, admin }) => {
  const dir = mkdtempSync(join(tmpdir(), "zeugo-import-"));
  const big = join(dir, "riesig.csv");
  writeFileSync(big, Buffer.alloc(21 * 1024 * 1024, 0x41));
  await page.goto("/");
  await login(page, admin.email, admin.password);
  await page.goto("/employees/import");
  let uploaded = false;
  page.on("request", (req) => {
    if (req.url().includes("EmployeeImport")) uploaded = true;
  });
  await upload(page, big);
  await expect(page.getByRole("alert")).toContainText("Die Datei „riesig.csv“ ist größer als 20 MB.");
  expect(uploaded).toBe(false);
});
