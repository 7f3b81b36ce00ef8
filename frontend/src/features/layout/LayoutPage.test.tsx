// @vitest-environment happy-dom
import { create } from "@bufbuild/protobuf";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { createMemoryRouter, RouterProvider } from "react-router";
import { Area } from "../../gen/zeugo/v1/access_pb.js";
import { PrincipalSchema } from "../../gen/zeugo/v1/auth_pb.js";
import { DocumentFont } from "../../gen/zeugo/v1/layout_pb.js";
import { routes } from "../../routes.js";
import { providers, signedIn, testPrincipal } from "../../test/render.js";
import { companyA, companyB, fakeLayout } from "./fake-layout.js";

afterEach(cleanup);

beforeAll(() => {
  // happy-dom has blob URLs only in some versions; the page needs no more than a name.
  let n = 0;
  if (!("createObjectURL" in URL)) Object.assign(URL, { createObjectURL: () => `blob:test/${++n}`, revokeObjectURL: () => {} });
});

async function renderPage(opts: { areas?: Area[]; path?: string; readOnly?: boolean } = {}) {
  const fake = fakeLayout();
  const principal = opts.readOnly
    ? create(PrincipalSchema, { ...testPrincipal(opts.areas ?? [Area.DOCUMENT_LAYOUT, Area.COMPANY_STRUCTURE]), tenantReadOnly: true })
    : testPrincipal(opts.areas ?? [Area.DOCUMENT_LAYOUT, Area.COMPANY_STRUCTURE]);
  const session = await signedIn(principal);
  const router = createMemoryRouter(routes, { initialEntries: [opts.path ?? "/settings/layout"] });
  render(<RouterProvider router={router} />, { wrapper: providers(fake.transport, null, session) });
  return { fake, router };
}

async function layoutForm(company = "Alpha GmbH") {
  const form = await screen.findByRole("form", { name: `Zeugnisformatierung von ${company}` });
  await screen.findByTestId("layout-preview");
  return form;
}

const input = (form: HTMLElement, label: string) => within(form).getByLabelText(label) as HTMLInputElement;

// Printing is the server's; these tests wait for debounced previews.
describe("LayoutPage", { timeout: 30_000 }, () => {
  it("opens the first company, remembers it in the address and previews the unsaved values, debounced", async () => {
    const { fake, router } = await renderPage();
    const form = await layoutForm();
    expect(router.state.location.pathname).toBe(`/settings/layout/${companyA}`);
    expect(input(form, "Rand oben (mm)").value).toBe("18");
    expect(within(form).getByText("Standard")).toBeTruthy();
    // The company's letterhead and register data are the defaults.
    expect(within(form).getByText("Hauptstraße 1")).toBeTruthy();
    expect(within(form).getByText("Amtsgericht Köln · HRB 4711")).toBeTruthy();
    expect(input(form, "Ort").placeholder).toBe("Köln");
    expect(screen.getByText("1 Seite")).toBeTruthy();
    const firstSrc = screen.getByTestId("layout-preview").getAttribute("src");

    fireEvent.click(within(form).getByLabelText("Serifenlose Schrift"));
    fireEvent.change(input(form, "Rand oben (mm)"), { target: { value: "3" } });
    fireEvent.change(input(form, "Rand oben (mm)"), { target: { value: "30" } });
    await waitFor(() => expect(fake.previews.some((p) => p.settings?.marginTopMm === 30)).toBe(true), { timeout: 2000 });
    // One sample for the pause, not one per keystroke; none with the font alone.
    expect(fake.previews.filter((p) => p.settings?.marginTopMm === 30)).toHaveLength(1);
    expect(fake.previews.filter((p) => p.settings?.marginTopMm === 3)).toHaveLength(0);
    expect(fake.previews.at(-1)?.settings?.font).toBe(DocumentFont.SANS);
    await waitFor(() => expect(screen.getByTestId("layout-preview").getAttribute("src")).not.toBe(firstSrc));

    // Two signatories: the sample is printed again, with its page count.
    fireEvent.click(screen.getByLabelText("2 Personen"));
    await screen.findByText("2 Seiten");
    expect(fake.previews.at(-1)?.signatories).toBe(2);
    expect(fake.updates).toHaveLength(0);

    // Another company: its own address.
    const picker = screen.getByLabelText("Unternehmen", { selector: "input" });
    fireEvent.click(picker);
    await waitFor(() => expect(picker.getAttribute("aria-expanded")).toBe("true"));
    const listbox = document.getElementById(picker.getAttribute("aria-controls") ?? "")!;
    fireEvent.click(within(listbox).getByRole("option", { name: "Beta AG", hidden: true }));
    // The unsaved values are not left without asking.
    const ask = await screen.findByRole("dialog", { name: "Änderungen verwerfen?" });
    expect(router.state.location.pathname).toBe(`/settings/layout/${companyA}`);
    fireEvent.click(within(ask).getByRole("button", { name: "Verwerfen" }));
    await waitFor(() => expect(router.state.location.pathname).toBe(`/settings/layout/${companyB}`));
    await layoutForm("Beta AG");
  });

  it("keeps out-of-range values in the browser and shows the server's refusal at the field", async () => {
    const { fake } = await renderPage({ path: `/settings/layout/${companyA}` });
    const form = await layoutForm();
    const count = fake.previews.length;
    fireEvent.change(input(form, "Rand links (mm)"), { target: { value: "60" } });
    await within(form).findByText("Bitte einen Wert von 10 bis 50 mm eingeben.");
    expect(fake.previews.length).toBe(count);
    expect(screen.getByText(/Die Vorschau zeigt den letzten gültigen Stand/)).toBeTruthy();
    fireEvent.click(within(form).getByRole("button", { name: "Speichern" }));
    expect(fake.updates).toHaveLength(0);
    fireEvent.change(input(form, "Rand links (mm)"), { target: { value: "25" } });

    // The footer needs 22 mm: the server's rule, at the bottom margin.
    fireEvent.change(input(form, "Rand unten (mm)"), { target: { value: "15" } });
    await within(form).findAllByText("Die Fußzeilen passen nicht auf die Seite: Der untere Rand muss größer sein (mindestens 22 mm, bei mehr oder längeren Zeilen mehr).", {}, { timeout: 2000 });
    expect(input(form, "Rand unten (mm)").getAttribute("aria-invalid")).toBe("true");
    fireEvent.click(within(form).getByRole("button", { name: "Speichern" }));
    await waitFor(() => expect(fake.updates).toHaveLength(1));
    await within(form).findAllByText("Die Fußzeilen passen nicht auf die Seite: Der untere Rand muss größer sein (mindestens 22 mm, bei mehr oder längeren Zeilen mehr).");
    expect(fake.layouts.get(companyA)?.customized).toBe(false);

    // Own footer lines, a valid margin: saved with the version read.
    fireEvent.click(within(form).getByLabelText("Eigene Fußzeile"));
    const lines = within(form).getByLabelText("Zeilen der Fußzeile") as HTMLTextAreaElement;
    expect(lines.value).toBe("Amtsgericht Köln · HRB 4711");
    fireEvent.change(lines, { target: { value: "Eigene Zeile 1\n\n  Eigene Zeile 2  " } });
    fireEvent.change(input(form, "Rand unten (mm)"), { target: { value: "25" } });
    fireEvent.click(within(form).getByRole("button", { name: "Speichern" }));
    await within(form).findByText("Eigene Formatierung");
    const sent = fake.updates.at(-1)!;
    expect(sent.version).toBe(0n);
    expect(sent.companyId).toBe(companyA);
    expect(sent.settings?.customFooter).toBe(true);
    expect(sent.settings?.footerLines).toEqual(["Eigene Zeile 1", "Eigene Zeile 2"]);
    expect(sent.settings?.marginBottomMm).toBe(25);
  });

  it("shows a stale version as the conflict and reloads", async () => {
    const { fake } = await renderPage({ path: `/settings/layout/${companyA}` });
    const form = await layoutForm();
    // Someone else saves first.
    const cur = fake.layouts.get(companyA)!;
    fake.layouts.set(companyA, { ...cur, customized: true, version: 4n, settings: { ...cur.settings!, marginTopMm: 40 } });
    fireEvent.change(input(form, "Rand oben (mm)"), { target: { value: "30" } });
    fireEvent.click(within(form).getByRole("button", { name: "Speichern" }));
    const alert = await within(form).findByRole("alert");
    fireEvent.click(within(alert).getByRole("button", { name: "Neu laden" }));
    await waitFor(() => expect(input(form, "Rand oben (mm)").value).toBe("40"));
    fireEvent.change(input(form, "Rand oben (mm)"), { target: { value: "30" } });
    fireEvent.click(within(form).getByRole("button", { name: "Speichern" }));
    await waitFor(() => expect(fake.layouts.get(companyA)?.version).toBe(5n));
    expect(fake.updates.at(-1)?.version).toBe(4n);
  });

  it("uploads a logo, refuses what is no image or too large at the logo field, and resets after a confirmation", async () => {
    const { fake } = await renderPage({ areas: [Area.ADMINISTRATOR], path: `/settings/layout/${companyA}` });
    const form = await layoutForm();
    const file = form.querySelector('input[type="file"]') as HTMLInputElement;

    const big = new File([new Uint8Array(2 * 1024 * 1024 + 1)], "gross.png", { type: "image/png" });
    fireEvent.change(file, { target: { files: [big] } });
    await within(form).findByText("Die Datei ist größer als 2 MiB. Bitte wählen Sie ein kleineres Bild.");
    expect(fake.logos).toHaveLength(0);

    fireEvent.change(file, { target: { files: [new File(["kein Bild"], "logo.png", { type: "image/png" })] } });
    await within(form).findByText("Die Datei ist kein vollständiges PNG- oder JPEG-Bild.");
    expect(fake.logos).toHaveLength(1);

    fireEvent.change(file, { target: { files: [new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2])], "logo.png", { type: "image/png" })] } });
    const logo = await within(form).findByAltText("Aktuelles Logo");
    expect(logo.getAttribute("src")).toMatch(/^data:image\/png;base64,/);
    expect(fake.logos.at(-1)?.version).toBe(0n);
    await within(form).findByText("Eigene Formatierung");

    fireEvent.click(within(form).getByRole("button", { name: "Auf Standard zurücksetzen" }));
    const dialog = await screen.findByRole("dialog", { name: "Auf Standard zurücksetzen?" });
    fireEvent.click(within(dialog).getByRole("button", { name: "Zurücksetzen" }));
    await waitFor(() => expect(fake.resets).toHaveLength(1));
    expect(fake.resets[0]!.version).toBe(1n);
    await within(form).findByText("Kein Logo hinterlegt.");
    await within(form).findByText("Standard");
  });

  it("is read-only while the tenant is", async () => {
    await renderPage({ readOnly: true, path: `/settings/layout/${companyA}` });
    const form = await layoutForm();
    expect(screen.getByText("Sie können diese Angaben ansehen, aber nicht ändern.")).toBeTruthy();
    expect(within(form).queryByRole("button", { name: "Speichern" })).toBeNull();
    expect(form.querySelector('input[type="file"]')).toBeNull();
    expect(input(form, "Rand oben (mm)").readOnly).toBe(true);
  });
});
