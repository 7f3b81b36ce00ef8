// @vitest-environment happy-dom
// Passkeys in the screens, with the browser's WebAuthn mocked
// (@simplewebauthn/browser): the fake authenticator answers with the good
// credential unless a test makes it fail.
import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { createRouterTransport } from "@connectrpc/connect";
import { Notifications } from "@mantine/notifications";
import { WebAuthnError } from "@simplewebauthn/browser";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { SecondFactorChallengeSchema, SecondFactorMethod } from "../../gen/zeugo/v1/auth_pb.js";
import { UserSchema, UserState } from "../../gen/zeugo/v1/users_pb.js";
import { Session } from "../../lib/session.js";
import { fakeMfa, fakeWebauthnOptions, goodCredentialId, routeMfa, withFactor, withPasskey, type FakeMfa } from "../../test/fake-mfa.js";
import { providers, signedIn, testPrincipal } from "../../test/render.js";
import { LoginPage } from "../auth/LoginPage.js";
import { ResetSecondFactors } from "./ResetSecondFactors.js";
import { SecondFactorCard } from "./SecondFactorCard.js";

const browser = vi.hoisted(() => ({
  startRegistration: vi.fn(),
  startAuthentication: vi.fn(),
}));

vi.mock("@simplewebauthn/browser", async (original) => ({
  ...(await original<typeof import("@simplewebauthn/browser")>()),
  startRegistration: browser.startRegistration,
  startAuthentication: browser.startAuthentication,
  browserSupportsWebAuthn: () => true,
}));

const answer = (id = goodCredentialId) => ({ id, rawId: id, type: "public-key", response: {}, clientExtensionResults: {} });

function notAllowed(): WebAuthnError {
  const cause = new Error("The operation either timed out or was not allowed.");
  cause.name = "NotAllowedError";
  return new WebAuthnError({ message: cause.message, code: "ERROR_PASSTHROUGH_SEE_CAUSE_PROPERTY", cause });
}

beforeEach(() => {
  browser.startRegistration.mockReset().mockResolvedValue(answer());
  browser.startAuthentication.mockReset().mockResolvedValue(answer());
});
afterEach(cleanup);

const dialog = (name: string | RegExp) => screen.findByRole("dialog", { name });

async function renderCard(fake: FakeMfa) {
  const session = await signedIn(testPrincipal([]));
  const transport = createRouterTransport((router) => routeMfa(router, fake));
  render(
    <>
      <Notifications />
      <SecondFactorCard />
    </>,
    { wrapper: providers(transport, "/", session) },
  );
  return screen.findByTestId("second-factor-section");
}

describe("passkeys in Mein Konto", () => {
  it("adds the first passkey after the password step-up, names it, and shows the recovery codes once", async () => {
    const fake = fakeMfa({ allowedMethods: [SecondFactorMethod.WEBAUTHN] });
    const section = await renderCard(fake);
    // Only the kinds the organisation allows can be added.
    expect(screen.queryByRole("button", { name: "Authenticator-App hinzufügen" })).toBeNull();
    fireEvent.click(screen.getByRole("button", { name: "Passkey hinzufügen" }));

    const stepUp = await dialog("Identität bestätigen");
    fireEvent.change(within(stepUp).getByLabelText(/^Passwort/, { selector: "input" }), { target: { value: "richtig" } });
    fireEvent.click(within(stepUp).getByRole("button", { name: "Bestätigen" }));

    const add = await dialog("Passkey oder Sicherheitsschlüssel hinzufügen");
    expect(browser.startRegistration).not.toHaveBeenCalled();
    fireEvent.change(within(add).getByLabelText(/^Name/), { target: { value: " YubiKey " } });
    fireEvent.click(within(add).getByRole("button", { name: "Passkey erstellen" }));

    const codes = await dialog("Wiederherstellungscodes");
    expect(within(codes).getAllByTestId("recovery-code-item")).toHaveLength(10);
    expect(browser.startRegistration).toHaveBeenCalledWith({ optionsJSON: JSON.parse(fakeWebauthnOptions) });
    expect(fake.calls).toEqual(["startPasskey", "finishPasskey:YubiKey"]);
    fireEvent.click(within(codes).getByRole("checkbox", { name: "Ich habe die Codes sicher aufbewahrt" }));
    fireEvent.click(within(codes).getByRole("button", { name: "Fertig" }));

    await waitFor(() => expect(within(section).getAllByTestId("factor-row")).toHaveLength(1));
    const row = within(section).getByTestId("factor-row");
    expect(within(row).getByText("YubiKey")).toBeTruthy();
    expect(within(row).getByText("Passkey oder Sicherheitsschlüssel")).toBeTruthy();
  });

  it("says so when the authenticator is registered already or the person cancels, without asking the server", async () => {
    const fake = withPasskey({ stepUpUntil: Date.now() + 240_000, allowedMethods: [SecondFactorMethod.TOTP, SecondFactorMethod.WEBAUTHN] });
    await renderCard(fake);
    expect(screen.getByRole("button", { name: "Authenticator-App hinzufügen" })).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Passkey hinzufügen" }));
    const add = await dialog("Passkey oder Sicherheitsschlüssel hinzufügen");

    const cause = new Error("excluded");
    cause.name = "InvalidStateError";
    browser.startRegistration.mockRejectedValueOnce(new WebAuthnError({ message: "excluded", code: "ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED", cause }));
    fireEvent.click(within(add).getByRole("button", { name: "Passkey erstellen" }));
    await within(add).findByText("Dieser Passkey oder Sicherheitsschlüssel ist bereits registriert.");

    browser.startRegistration.mockRejectedValueOnce(notAllowed());
    fireEvent.click(within(add).getByRole("button", { name: "Passkey erstellen" }));
    await within(add).findByText(/abgebrochen oder hat zu lange gedauert/);
    expect(fake.calls).toEqual(["startPasskey"]);

    // The server's refusal of an answer reads as such.
    browser.startRegistration.mockResolvedValueOnce(answer("cred-other"));
    fireEvent.click(within(add).getByRole("button", { name: "Passkey erstellen" }));
    await within(add).findByText(/konnte nicht bestätigt werden/);
    expect(fake.calls).toEqual(["startPasskey", "finishPasskey:"]);
  });

  it("steps up with the passkey first; a user without an app is not offered its code", async () => {
    const fake = withPasskey();
    await renderCard(fake);
    fireEvent.click(screen.getByRole("button", { name: "Neue Codes erzeugen" }));
    fireEvent.click(within(await dialog("Neue Wiederherstellungscodes erzeugen?")).getByRole("button", { name: "Neue Codes erzeugen" }));

    const stepUp = await dialog("Identität bestätigen");
    expect(within(stepUp).getByText(/mit Ihrem Passkey oder Sicherheitsschlüssel/)).toBeTruthy();
    expect(within(stepUp).queryByRole("button", { name: "Code aus der Authenticator-App verwenden" })).toBeNull();
    expect(within(stepUp).getByRole("button", { name: "Wiederherstellungscode verwenden" })).toBeTruthy();

    // A cancelled prompt is said in the dialog; the next try works.
    browser.startAuthentication.mockRejectedValueOnce(notAllowed());
    fireEvent.click(within(stepUp).getByRole("button", { name: "Mit Passkey bestätigen" }));
    await within(stepUp).findByText(/abgebrochen/);
    fireEvent.click(within(stepUp).getByRole("button", { name: "Mit Passkey bestätigen" }));

    const codes = await dialog("Neue Wiederherstellungscodes");
    expect(within(codes).getAllByTestId("recovery-code-item")).toHaveLength(10);
    expect(fake.stepUps).toEqual(["webauthn"]);
    expect(fake.calls).toEqual(["beginStepUp", "beginStepUp", "regenerate"]);
  });

  it("offers passkey, app and recovery code to a user who has both kinds", async () => {
    const fake = withPasskey();
    fake.factors.push({ ...withFactor().factors[0]!, id: "00000000-0000-7000-8000-000000000109" });
    await renderCard(fake);
    fireEvent.click(screen.getByRole("button", { name: "Neue Codes erzeugen" }));
    fireEvent.click(within(await dialog("Neue Wiederherstellungscodes erzeugen?")).getByRole("button", { name: "Neue Codes erzeugen" }));
    const stepUp = await dialog("Identität bestätigen");
    fireEvent.click(within(stepUp).getByRole("button", { name: "Code aus der Authenticator-App verwenden" }));
    expect(await within(stepUp).findByLabelText(/Bestätigungscode/)).toBeTruthy();
    expect(within(stepUp).getByRole("button", { name: "Passkey oder Sicherheitsschlüssel verwenden" })).toBeTruthy();
    expect(within(stepUp).getByRole("button", { name: "Wiederherstellungscode verwenden" })).toBeTruthy();
  });
});

function challenge(fake: FakeMfa, init: { methods?: SecondFactorMethod[]; enrollmentMethods?: SecondFactorMethod[]; options?: string } = {}) {
  return create(SecondFactorChallengeSchema, {
    token: fake.liveChallenge,
    expiresAt: timestampFromMs(Date.now() + 300_000),
    methods: init.methods ?? [],
    enrollmentRequired: init.enrollmentMethods !== undefined,
    enrollmentMethods: init.enrollmentMethods ?? [],
    webauthnOptions: init.options ?? "",
  });
}

function renderLogin(fake: FakeMfa, next?: ReturnType<typeof challenge>) {
  const session = new Session({
    login: async () => ({ challenge: next }),
    logout: async () => ({}),
    refresh: async () => {
      throw new Error("no cookie");
    },
  });
  const transport = createRouterTransport((router) => routeMfa(router, fake));
  render(
    <>
      <Notifications />
      <LoginPage reason="none" />
    </>,
    { wrapper: providers(transport, "/", session) },
  );
  return session;
}

function password() {
  fireEvent.change(screen.getByLabelText(/E-Mail-Adresse/), { target: { value: "erika@muster.example" } });
  fireEvent.change(screen.getByLabelText(/^Passwort/, { selector: "input" }), { target: { value: "Geheim-Passw0rt!" } });
  fireEvent.click(screen.getByRole("button", { name: "Anmelden" }));
}

describe("passkeys at the login", () => {
  it("confirms the login with the passkey; a cancelled prompt can be tried again", async () => {
    const fake = withPasskey();
    const session = renderLogin(fake, challenge(fake, { methods: [SecondFactorMethod.WEBAUTHN, SecondFactorMethod.RECOVERY_CODE], options: fakeWebauthnOptions }));
    password();
    const form = await screen.findByRole("form", { name: "Anmeldung bestätigen" });
    expect(within(form).queryByRole("button", { name: "Code aus der Authenticator-App verwenden" })).toBeNull();
    browser.startAuthentication.mockRejectedValueOnce(notAllowed());
    fireEvent.click(within(form).getByRole("button", { name: "Mit Passkey bestätigen" }));
    await screen.findByText(/abgebrochen/);
    expect(fake.calls).toEqual([]);

    fireEvent.click(within(form).getByRole("button", { name: "Mit Passkey bestätigen" }));
    await waitFor(() => expect(session.getState().status).toBe("authenticated"));
    expect(fake.calls).toEqual(["verify:webauthnAssertion"]);
    expect(browser.startAuthentication).toHaveBeenLastCalledWith({ optionsJSON: JSON.parse(fakeWebauthnOptions) });
  });

  it("goes back to the password when the server refuses the passkey's answer (its ceremony is used up)", async () => {
    const fake = withPasskey();
    renderLogin(fake, challenge(fake, { methods: [SecondFactorMethod.WEBAUTHN, SecondFactorMethod.RECOVERY_CODE], options: fakeWebauthnOptions }));
    password();
    const form = await screen.findByRole("form", { name: "Anmeldung bestätigen" });
    browser.startAuthentication.mockResolvedValueOnce(answer("cred-other"));
    fireEvent.click(within(form).getByRole("button", { name: "Mit Passkey bestätigen" }));
    await screen.findByText("Der Passkey konnte nicht bestätigt werden. Bitte melden Sie sich erneut an.");
    expect(screen.getByRole("heading", { name: "Anmelden" })).toBeTruthy();
  });

  it("lets the user choose between passkey and app when the organisation allows both, and enrolls a passkey", async () => {
    const fake = fakeMfa({ required: true });
    const session = renderLogin(fake, challenge(fake, { enrollmentMethods: [SecondFactorMethod.TOTP, SecondFactorMethod.WEBAUTHN] }));
    password();
    await screen.findByText(/Schritt 1 von 3/);
    expect(screen.getByRole("button", { name: "Authenticator-App einrichten" })).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Passkey einrichten" }));

    const form = await screen.findByRole("form", { name: "Passkey erstellen" });
    expect(screen.getByText(/Schritt 2 von 3/)).toBeTruthy();
    fireEvent.change(within(form).getByLabelText(/^Name/), { target: { value: "Laptop" } });
    fireEvent.click(within(form).getByRole("button", { name: "Passkey erstellen" }));

    await screen.findByText(/Schritt 3 von 3/);
    expect(fake.calls).toEqual(["startLogin:passkey", "confirmLogin:passkey:Laptop"]);
    fireEvent.click(screen.getByRole("checkbox", { name: "Ich habe die Codes sicher aufbewahrt" }));
    fireEvent.click(screen.getByRole("button", { name: "Weiter" }));
    await waitFor(() => expect(session.getState().status).toBe("authenticated"));
  });

  it("offers only the passkey when the organisation allows only passkeys, and starts over after a refused answer", async () => {
    const fake = fakeMfa({ required: true });
    renderLogin(fake, challenge(fake, { enrollmentMethods: [SecondFactorMethod.WEBAUTHN] }));
    password();
    await screen.findByText(/Schritt 1 von 3/);
    expect(screen.queryByRole("button", { name: /Authenticator-App/ })).toBeNull();
    fireEvent.click(screen.getByRole("button", { name: "Passkey einrichten" }));
    const form = await screen.findByRole("form", { name: "Passkey erstellen" });
    browser.startRegistration.mockResolvedValueOnce(answer("cred-other"));
    fireEvent.click(within(form).getByRole("button", { name: "Passkey erstellen" }));
    await screen.findByText(/konnte nicht bestätigt werden/);
    // Back at the choice: a new try fetches new options.
    expect(screen.getByText(/Schritt 1 von 3/)).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Passkey einrichten" }));
    await screen.findByRole("form", { name: "Passkey erstellen" });
    expect(fake.calls).toEqual(["startLogin:passkey", "confirmLogin:passkey:", "startLogin:passkey"]);
  });

  it("signs in with a passkey alone where allowed, with one neutral answer otherwise", async () => {
    const fake = withPasskey();
    const session = renderLogin(fake);
    fireEvent.click(await screen.findByRole("button", { name: "Mit Passkey anmelden" }));
    await screen.findByText(/Anmeldung mit Passkey nicht möglich/);
    expect(session.getState().status).not.toBe("authenticated");

    fake.passkeyLogin = true;
    fireEvent.click(screen.getByRole("button", { name: "Mit Passkey anmelden" }));
    await waitFor(() => expect(session.getState().status).toBe("authenticated"));
    expect(fake.calls).toEqual(["beginPasskeyLogin", "finishPasskeyLogin", "beginPasskeyLogin", "finishPasskeyLogin"]);
  });
});

describe("an administrator resets a colleague's second factor", () => {
  const colleague = create(UserSchema, { id: "u2", email: "kurt@muster.example", state: UserState.ACTIVE, fields: { firstName: "Kurt", lastName: "Kollege" } });

  it("confirms, steps up, resets — and explains that one's own factors are changed in Mein Konto", { timeout: 20_000 }, async () => {
    const fake = withFactor();
    const session = await signedIn(testPrincipal([]));
    const transport = createRouterTransport((router) => routeMfa(router, fake));
    const { rerender } = render(
      <>
        <Notifications />
        <ResetSecondFactors user={colleague} />
      </>,
      { wrapper: providers(transport, "/", session) },
    );
    // The button waits for the administrator's own factors (they decide the step-up).
    const button = (await screen.findByRole("button", { name: "Zweiten Faktor zurücksetzen" })) as HTMLButtonElement;
    await waitFor(() => expect(button.disabled).toBe(false));
    fireEvent.click(button);
    const confirm = await dialog("Zweiten Faktor von Kurt Kollege zurücksetzen?");
    expect(within(confirm).getByText(/alle Sitzungen von Kurt Kollege enden/)).toBeTruthy();
    fireEvent.click(within(confirm).getByRole("button", { name: "Zurücksetzen" }));

    const stepUp = await dialog("Identität bestätigen");
    fireEvent.change(within(stepUp).getByLabelText(/Bestätigungscode/), { target: { value: "123456" } });
    fireEvent.click(within(stepUp).getByRole("button", { name: "Bestätigen" }));
    await screen.findByText("Der zweite Faktor von Kurt Kollege wurde zurückgesetzt.");
    expect(fake.calls).toEqual(["reset:u2"]);

    rerender(
      <>
        <Notifications />
        <ResetSecondFactors user={{ ...colleague, id: "u1" }} />
      </>,
    );
    fireEvent.click(screen.getByRole("button", { name: "Zweiten Faktor zurücksetzen" }));
    fireEvent.click(within(await dialog(/zurücksetzen\?/)).getByRole("button", { name: "Zurücksetzen" }));
    await screen.findByText("Ihren eigenen zweiten Faktor ändern Sie unter „Mein Konto“.");
  });
});
