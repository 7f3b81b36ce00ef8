// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { createMemoryRouter, RouterProvider } from "react-router";
import { Area } from "../../gen/zeugo/v1/access_pb.js";
import { SecondFactorMethod } from "../../gen/zeugo/v1/auth_pb.js";
import { HandoverCodeChannel } from "../../gen/zeugo/v1/handover_pb.js";
import { routes } from "../../routes.js";
import { fakeAccount } from "../../test/fake-account.js";
import { providers, signedIn, testPrincipal } from "../../test/render.js";

afterEach(cleanup);

async function renderSettings(areas: Area[], path = "/settings/security") {
  const fake = fakeAccount();
  const session = await signedIn(testPrincipal(areas));
  const router = createMemoryRouter(routes, { initialEntries: [path] });
  render(<RouterProvider router={router} />, { wrapper: providers(fake.transport, null, session) });
  return { fake, router };
}

async function loadedForm() {
  const form = await screen.findByRole("form", { name: "Sicherheitseinstellungen" });
  await waitFor(() => expect((within(form).getByLabelText(/Mindestlänge/) as HTMLInputElement).value).toBe("8"));
  return form;
}

describe("SecuritySettingsPage", () => {
  it("shows the settings with the operator's bounds", async () => {
    await renderSettings([Area.PRIVACY]);
    const form = await loadedForm();
    expect((within(form).getByLabelText(/Abmeldung bei Inaktivität/) as HTMLInputElement).value).toBe("30");
    expect(within(form).getByText(/Minuten, erlaubt 5–30/)).toBeTruthy();
    expect(within(form).getByText(/Stunden, erlaubt 1–12/)).toBeTruthy();
    expect((within(form).getByRole("switch", { name: /Zeichenmix verlangen/ }) as HTMLInputElement).checked).toBe(true);
  });

  it("refuses values outside the bounds next to the field, without sending", async () => {
    const { fake } = await renderSettings([Area.PRIVACY]);
    const form = await loadedForm();
    fireEvent.change(within(form).getByLabelText(/Abmeldung bei Inaktivität/), { target: { value: "45" } });
    fireEvent.change(within(form).getByLabelText(/Mindestlänge/), { target: { value: "6" } });
    fireEvent.click(within(form).getByRole("button", { name: "Speichern" }));
    await within(form).findByText("Höchstens 30 Minuten.");
    expect(within(form).getByText("Mindestens 8 Zeichen.")).toBeTruthy();
    expect(fake.settingsUpdates).toHaveLength(0);
  });

  it("saves with the version, and reports a concurrent change", async () => {
    const { fake } = await renderSettings([Area.ADMINISTRATOR]);
    const form = await loadedForm();
    fireEvent.change(within(form).getByLabelText(/Mindestlänge/), { target: { value: "12" } });
    fireEvent.click(within(form).getByRole("switch", { name: /Zeichenmix verlangen/ }));
    const tracking = within(form).getByRole("switch", { name: /Änderungsverfolgung für Zeugnisse/ }) as HTMLInputElement;
    expect(tracking.checked).toBe(false);
    fireEvent.click(tracking);
    fireEvent.click(within(form).getByRole("switch", { name: /Einmalcode für jede Übergabe/ }));
    fireEvent.click(within(form).getByRole("checkbox", { name: "SMS" }));
    const mfa = within(form).getByRole("switch", { name: /Zweiter Faktor erforderlich/ }) as HTMLInputElement;
    expect(mfa.checked).toBe(false);
    expect(within(form).getByText(/bei der nächsten Anmeldung ein/)).toBeTruthy();
    fireEvent.click(mfa);
    fireEvent.click(within(form).getByRole("button", { name: "Speichern" }));
    // Requiring a second factor needs a step-up first.
    const stepUp = await screen.findByRole("dialog", { name: "Identität bestätigen" });
    fireEvent.change(within(stepUp).getByLabelText(/^Passwort/, { selector: "input" }), { target: { value: "richtig" } });
    fireEvent.click(within(stepUp).getByRole("button", { name: "Bestätigen" }));
    await waitFor(() => expect(fake.settingsUpdates).toHaveLength(1));
    const sent = fake.settingsUpdates[0]!;
    expect(sent.version).toBe(1n);
    expect(sent.fields?.passwordMinLength).toBe(12);
    expect(sent.fields?.passwordComposition).toBe(false);
    expect(sent.fields?.sessionIdleMinutes).toBe(30);
    expect(sent.fields?.certificateChangeTracking).toBe(true);
    expect(sent.fields?.handoverCodeRequired).toBe(true);
    expect(sent.fields?.handoverCodeChannels).toEqual([HandoverCodeChannel.EMAIL]);
    expect(sent.fields?.secondFactorRequired).toBe(true);
    // What the page does not show is sent back unchanged.
    expect(sent.fields?.secondFactorMethods).toEqual([SecondFactorMethod.TOTP, SecondFactorMethod.WEBAUTHN]);
    expect(sent.fields?.passkeyLogin).toBe(true);

    // Someone else saves in between: the next save is refused as a conflict.
    fake.settings = { ...fake.settings, version: 9n };
    await waitFor(() => expect((within(form).getByLabelText(/Mindestlänge/) as HTMLInputElement).value).toBe("12"));
    fireEvent.change(within(form).getByLabelText(/Mindestlänge/), { target: { value: "14" } });
    fireEvent.click(within(form).getByRole("button", { name: "Speichern" }));
    await within(form).findByRole("button", { name: "Neu laden" });
  });

  it("asks before leaving with unsaved changes", async () => {
    const { router } = await renderSettings([Area.PRIVACY]);
    const form = await loadedForm();
    fireEvent.change(within(form).getByLabelText(/Mindestlänge/), { target: { value: "10" } });
    void router.navigate("/account");
    await screen.findByRole("dialog", { name: "Änderungen verwerfen?" });
    expect(router.state.location.pathname).toBe("/settings/security");
  });

  it("is neither in the navigation nor open without the privacy area", async () => {
    await renderSettings([Area.EMPLOYEES, Area.USERS]);
    await screen.findByRole("heading", { name: "Kein Zugriff" });
    const nav = screen.getByRole("navigation", { name: "Hauptnavigation" });
    expect(within(nav).queryByRole("link", { name: "Sicherheit" })).toBeNull();
  });
});
