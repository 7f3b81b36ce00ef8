// @vitest-environment happy-dom
// The kinds of second factor a tenant allows and passwordless sign-in: the
// page always sends the kinds (the server refuses an update without one).
import { create } from "@bufbuild/protobuf";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { createMemoryRouter, RouterProvider } from "react-router";
import { Area } from "../../gen/zeugo/v1/access_pb.js";
import { SecondFactorMethod } from "../../gen/zeugo/v1/auth_pb.js";
import { SecuritySettingsSchema } from "../../gen/zeugo/v1/settings_pb.js";
import { routes } from "../../routes.js";
import { fakeAccount } from "../../test/fake-account.js";
import { providers, signedIn, testPrincipal } from "../../test/render.js";

afterEach(cleanup);

async function renderSettings(methods: SecondFactorMethod[]) {
  const fake = fakeAccount();
  fake.settings = create(SecuritySettingsSchema, {
    version: fake.settings.version,
    fields: { ...fake.settings.fields!, secondFactorMethods: methods, passkeyLogin: false },
  });
  const session = await signedIn(testPrincipal([Area.PRIVACY]));
  const router = createMemoryRouter(routes, { initialEntries: ["/settings/security"] });
  render(<RouterProvider router={router} />, { wrapper: providers(fake.transport, null, session) });
  const form = await screen.findByRole("form", { name: "Sicherheitseinstellungen" });
  await waitFor(() => expect((within(form).getByLabelText(/Mindestlänge/) as HTMLInputElement).value).toBe("8"));
  return { fake, form };
}

const box = (form: HTMLElement, name: string) => within(form).getByRole("checkbox", { name }) as HTMLInputElement;

describe("second-factor kinds and passwordless sign-in", () => {
  it("sends the allowed kinds and the passwordless switch with every save", async () => {
    const { fake, form } = await renderSettings([SecondFactorMethod.TOTP]);
    expect(box(form, "Authenticator-App").checked).toBe(true);
    expect(box(form, "Passkey oder Sicherheitsschlüssel").checked).toBe(false);
    expect(box(form, "SMS-Code (nur neben App oder Passkey)").checked).toBe(false);
    const passwordless = within(form).getByRole("switch", { name: /Anmeldung mit Passkey ohne Passwort erlauben/ }) as HTMLInputElement;
    expect(passwordless.checked).toBe(false);

    fireEvent.click(box(form, "Passkey oder Sicherheitsschlüssel"));
    fireEvent.click(passwordless);
    fireEvent.click(within(form).getByRole("button", { name: "Speichern" }));
    // A change to the second factor needs a step-up first (the user has no factor: the password).
    const stepUp = await screen.findByRole("dialog", { name: "Identität bestätigen" });
    expect(within(stepUp).getByText(/Anmelderegeln Ihrer Organisation/)).toBeTruthy();
    fireEvent.change(within(stepUp).getByLabelText(/^Passwort/, { selector: "input" }), { target: { value: "richtig" } });
    fireEvent.click(within(stepUp).getByRole("button", { name: "Bestätigen" }));
    await waitFor(() => expect(fake.settingsUpdates).toHaveLength(1));
    expect(fake.settingsUpdates[0]!.fields?.secondFactorMethods).toEqual([SecondFactorMethod.TOTP, SecondFactorMethod.WEBAUTHN]);
    expect(fake.settingsUpdates[0]!.fields?.passkeyLogin).toBe(true);
  });

  it("treats settings saved before the kinds existed as the app only, and refuses none at all without sending", async () => {
    const { fake, form } = await renderSettings([]);
    expect(box(form, "Authenticator-App").checked).toBe(true);
    fireEvent.click(box(form, "Authenticator-App"));
    fireEvent.click(within(form).getByRole("button", { name: "Speichern" }));
    await within(form).findByText("Bitte erlauben Sie mindestens eine Art von zweitem Faktor.");
    expect(fake.settingsUpdates).toHaveLength(0);
  });

  it("refuses SMS alone next to the field, and saves nothing after a cancelled step-up", async () => {
    const { fake, form } = await renderSettings([SecondFactorMethod.TOTP]);
    fireEvent.click(box(form, "SMS-Code (nur neben App oder Passkey)"));
    fireEvent.click(box(form, "Authenticator-App"));
    fireEvent.click(within(form).getByRole("button", { name: "Speichern" }));
    await within(form).findByText(/nur neben einer Authenticator-App oder Passkeys erlaubt/);
    expect(fake.settingsUpdates).toHaveLength(0);

    fireEvent.click(box(form, "Authenticator-App"));
    fireEvent.click(within(form).getByRole("button", { name: "Speichern" }));
    const stepUp = await screen.findByRole("dialog", { name: "Identität bestätigen" });
    fireEvent.click(within(stepUp).getByRole("button", { name: "Abbrechen" }));
    await within(form).findByText(/Nicht gespeichert: Änderungen an den Anmelderegeln/);
    expect(fake.settingsUpdates).toHaveLength(0);
  });
});
