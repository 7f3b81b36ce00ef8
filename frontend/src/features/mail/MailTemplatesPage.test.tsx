// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { createMemoryRouter, RouterProvider } from "react-router";
import { Area } from "../../gen/zeugo/v1/access_pb.js";
import { routes } from "../../routes.js";
import { providers, signedIn, testPrincipal } from "../../test/render.js";
import { fakeMail } from "./fake-mail.js";

afterEach(cleanup);

async function renderPage(areas: Area[], path = "/settings/email-templates") {
  const fake = fakeMail();
  const session = await signedIn(testPrincipal(areas));
  const router = createMemoryRouter(routes, { initialEntries: [path] });
  render(<RouterProvider router={router} />, { wrapper: providers(fake.transport, null, session) });
  return { fake, router };
}

async function editor(name = "Einladung (Deutsch)") {
  const form = await screen.findByRole("form", { name });
  await waitFor(() => expect((within(form).getByLabelText(/Betreff/) as HTMLInputElement).value).not.toBe(""));
  return form;
}

describe("MailTemplatesPage", () => {
  it("shows the standard text, the allowed placeholders and a live preview", async () => {
    const { fake } = await renderPage([Area.EMAIL_TEMPLATES]);
    const form = await editor();
    expect((within(form).getByLabelText(/Betreff/) as HTMLInputElement).value).toBe("Einladung von {{.Sender}} zu Zeugo");
    expect(within(form).getByText("Standard")).toBeTruthy();
    expect(within(form).getByText("{{.Link}}")).toBeTruthy();
    expect(within(form).getByText("{{.ExpiresAt}}")).toBeTruthy();
    expect(within(form).queryByText("{{.LockedAt}}")).toBeNull();
    const preview = await screen.findByTestId("mail-preview");
    expect(within(preview).getByText("Einladung von Muster GmbH zu Zeugo")).toBeTruthy();

    fireEvent.change(within(form).getByLabelText(/Betreff/), { target: { value: "Willkommen, {{.Name}}" } });
    await waitFor(() => expect(within(screen.getByTestId("mail-preview")).getByText("Willkommen, Erika Mustermann")).toBeTruthy(), {
      timeout: 2000,
    });
    // Typing is debounced: one preview for the new subject, not one per keystroke.
    expect(fake.previews.filter((p) => p.fields?.subject === "Willkommen, {{.Name}}")).toHaveLength(1);
    expect(fake.updates).toHaveLength(0);
  });

  it("saves with the version and shows the server's refusal next to the field", async () => {
    const { fake } = await renderPage([Area.EMAIL_TEMPLATES]);
    const form = await editor();
    fireEvent.change(within(form).getByLabelText(/^Text/), { target: { value: "Hallo {{.Passwort}} {{.Link}}" } });
    fireEvent.click(within(form).getByRole("button", { name: "Speichern" }));
    await waitFor(() => expect(fake.updates).toHaveLength(1));
    await within(form).findByText("Unbekannter Platzhalter. Erlaubt sind nur die aufgeführten Platzhalter.");
    expect(fake.updates).toHaveLength(1);
    expect(fake.templates[0]!.overridden).toBe(false);

    fireEvent.change(within(form).getByLabelText(/^Text/), { target: { value: "Hallo {{.Name}}\n\n{{.Link}}" } });
    fireEvent.click(within(form).getByRole("button", { name: "Speichern" }));
    await waitFor(() => expect(fake.templates[0]!.overridden).toBe(true));
    const sent = fake.updates[1]!;
    expect(sent.version).toBe(0n);
    expect(sent.name).toBe("invitation");
    expect(sent.language).toBe("de");
    expect(sent.fields?.text).toBe("Hallo {{.Name}}\n\n{{.Link}}");
    await within(form).findByText("Eigene Vorlage");
  });

  it("restores the standard after a confirmation", async () => {
    const { fake } = await renderPage([Area.ADMINISTRATOR]);
    let form = await editor();
    fireEvent.change(within(form).getByLabelText(/Betreff/), { target: { value: "Eigener Betreff" } });
    fireEvent.click(within(form).getByRole("button", { name: "Speichern" }));
    await within(form).findByText("Eigene Vorlage");
    fireEvent.click(within(form).getByRole("button", { name: "Standard wiederherstellen" }));
    const dialog = await screen.findByRole("dialog", { name: "Standard wiederherstellen?" });
    expect(fake.resets).toHaveLength(0);
    fireEvent.click(within(dialog).getByRole("button", { name: "Wiederherstellen" }));
    await waitFor(() => expect(fake.resets).toHaveLength(1));
    expect(fake.resets[0]!.version).toBe(1n);
    form = await editor();
    await waitFor(() =>
      expect((within(form).getByLabelText(/Betreff/) as HTMLInputElement).value).toBe("Einladung von {{.Sender}} zu Zeugo"),
    );
    expect(within(form).getByText("Standard")).toBeTruthy();
  });

  it("switches template and language", async () => {
    await renderPage([Area.EMAIL_TEMPLATES]);
    await editor();
    fireEvent.click(within(screen.getByRole("main")).getByRole("radio", { name: "Englisch" }));
    const form = await editor("Einladung (Englisch)");
    expect((within(form).getByLabelText(/Betreff/) as HTMLInputElement).value).toBe("Invitation from {{.Sender}}");
  });

  it("is neither in the navigation nor open without the area; the sender page needs branding", async () => {
    await renderPage([Area.BRANDING]);
    await screen.findByRole("heading", { name: "Kein Zugriff" });
    const nav = screen.getByRole("navigation", { name: "Hauptnavigation" });
    expect(within(nav).queryByRole("link", { name: "E-Mail-Vorlagen" })).toBeNull();
    expect(within(nav).getByRole("link", { name: "Individualisierung" })).toBeTruthy();
  });
});

describe("MailSenderPage", () => {
  it("saves the sender name", async () => {
    const { fake } = await renderPage([Area.BRANDING], "/settings/branding");
    const form = await screen.findByRole("form", { name: "Absender" });
    const input = within(form).getByLabelText(/Absendername/) as HTMLInputElement;
    await waitFor(() => expect(input.value).toBe("Muster GmbH"));
    expect(within(form).getByText(/Name Ihres Unternehmens verwendet/)).toBeTruthy();
    fireEvent.change(input, { target: { value: "Personalabteilung Muster" } });
    fireEvent.click(within(form).getByRole("button", { name: "Speichern" }));
    await waitFor(() => expect(fake.senderUpdates).toHaveLength(1));
    expect(fake.senderUpdates[0]!.fields?.senderName).toBe("Personalabteilung Muster");
  });
});
