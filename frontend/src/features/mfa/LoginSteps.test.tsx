// @vitest-environment happy-dom
import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { createRouterTransport } from "@connectrpc/connect";
import { Notifications } from "@mantine/notifications";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { SecondFactorChallengeSchema, SecondFactorMethod } from "../../gen/zeugo/v1/auth_pb.js";
import { Session } from "../../lib/session.js";
import { fakeMfa, fakeSecret, goodCode, routeMfa, withFactor, type FakeMfa } from "../../test/fake-mfa.js";
import { providers } from "../../test/render.js";
import { LoginPage } from "../auth/LoginPage.js";

afterEach(cleanup);

function challenge(fake: FakeMfa, enrollmentRequired = false) {
  return create(SecondFactorChallengeSchema, {
    token: fake.liveChallenge,
    expiresAt: timestampFromMs(Date.now() + 300_000),
    methods: enrollmentRequired ? [] : [SecondFactorMethod.TOTP, SecondFactorMethod.RECOVERY_CODE],
    enrollmentRequired,
  });
}

/** renderLogin shows the login page of a session whose password step answers with a challenge. */
function renderLogin(fake: FakeMfa, enrollmentRequired = false) {
  const logins: string[] = [];
  const session = new Session({
    login: async (email) => {
      logins.push(email);
      return { challenge: challenge(fake, enrollmentRequired) };
    },
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
  return { session, logins };
}

function password() {
  fireEvent.change(screen.getByLabelText(/E-Mail-Adresse/), { target: { value: "erika@muster.example" } });
  fireEvent.change(screen.getByLabelText(/^Passwort/, { selector: "input" }), { target: { value: "Geheim-Passw0rt!" } });
  fireEvent.click(screen.getByRole("button", { name: "Anmelden" }));
}

function codeStep() {
  password();
  return screen.findByRole("form", { name: "Bestätigungscode" });
}

describe("login with a second factor", () => {
  it("asks for the app's code, shows a wrong one at the field, and signs in with the right one", async () => {
    const fake = withFactor();
    const { session } = renderLogin(fake);
    const form = await codeStep();
    const code = within(form).getByLabelText(/Bestätigungscode/) as HTMLInputElement;
    expect(code.getAttribute("autocomplete")).toBe("one-time-code");
    expect(code.getAttribute("inputmode")).toBe("numeric");
    await waitFor(() => expect(document.activeElement).toBe(code));
    expect(session.getState().status).not.toBe("authenticated");

    // Not six digits: refused before sending.
    fireEvent.change(code, { target: { value: "12a3" } });
    expect(code.value).toBe("123");
    fireEvent.click(within(form).getByRole("button", { name: "Bestätigen" }));
    await within(form).findByText(/sechs Ziffern/);
    expect(fake.calls).toEqual([]);

    fireEvent.change(code, { target: { value: "654 321" } });
    fireEvent.click(within(form).getByRole("button", { name: "Bestätigen" }));
    await within(form).findByText(/Der Code ist nicht richtig/);
    expect(code.value).toBe("");

    fireEvent.change(code, { target: { value: goodCode } });
    fireEvent.click(within(form).getByRole("button", { name: "Bestätigen" }));
    await waitFor(() => expect(session.getState().status).toBe("authenticated"));
    expect(session.getAccessToken()).toBe("t-mfa");
    expect(fake.calls).toEqual(["verify:totpCode", "verify:totpCode"]);
  });

  it("accepts a recovery code in any case and warns when few are left", async () => {
    const fake = withFactor({ unusedRecovery: ["AAAA-BBBB-CCCC-DDDD-EEEE-FFFF", "GGGG-HHHH-JJJJ-KKKK-MMMM-NNNN", "PPPP-QQQQ-RRRR-SSSS-TTTT-VVVV"], recoveryLeft: 3 });
    const { session } = renderLogin(fake);
    const form = await codeStep();
    fireEvent.click(within(form).getByRole("button", { name: "Wiederherstellungscode verwenden" }));
    const input = await within(form).findByLabelText(/^Wiederherstellungscode/);
    // Too short for the proto's rule: refused before sending.
    fireEvent.change(input, { target: { value: "aaaa bbbb cccc dddd" } });
    fireEvent.click(within(form).getByRole("button", { name: "Bestätigen" }));
    await within(form).findByText(/24 Zeichen in Vierergruppen/);
    expect(fake.calls).toEqual([]);
    fireEvent.change(input, { target: { value: "aaaa bbbb cccc dddd eeee ffff" } });
    fireEvent.click(within(form).getByRole("button", { name: "Bestätigen" }));
    await waitFor(() => expect(session.getState().status).toBe("authenticated"));
    await screen.findByText("Sie haben nur noch 2 Wiederherstellungscodes. Erzeugen Sie unter „Mein Konto“ neue Codes.");
  });

  it("starts over with a clear message when the challenge is gone", async () => {
    const fake = withFactor();
    renderLogin(fake);
    const form = await codeStep();
    fake.liveChallenge = "";
    fireEvent.change(within(form).getByLabelText(/Bestätigungscode/), { target: { value: goodCode } });
    fireEvent.click(within(form).getByRole("button", { name: "Bestätigen" }));
    await screen.findByText("Die Anmeldung ist abgelaufen oder wurde nach zu vielen Fehlversuchen beendet. Bitte melden Sie sich erneut an.");
    expect(screen.getByRole("heading", { name: "Anmelden" })).toBeTruthy();
    // The email stays; the password is asked for again.
    expect((screen.getByLabelText(/E-Mail-Adresse/) as HTMLInputElement).value).toBe("erika@muster.example");
    expect((screen.getByLabelText(/^Passwort/, { selector: "input" }) as HTMLInputElement).value).toBe("");
  });

  it("guides through the enrollment the organisation requires, and signs in after the codes are kept", async () => {
    const fake = fakeMfa({ required: true });
    const { session } = renderLogin(fake, true);
    password();
    await screen.findByText(/Schritt 1 von 3/);
    expect(screen.getByText(/Ihre Organisation verlangt/)).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Einrichtung beginnen" }));

    await screen.findByText(/Schritt 2 von 3/);
    expect(screen.getByTestId("totp-secret").textContent).toBe("JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP");
    expect(screen.getByTestId("totp-secret").textContent?.replace(/\s/g, "")).toBe(fakeSecret);
    expect(screen.getByTitle("QR-Code für Ihre Authenticator-App")).toBeTruthy();
    const form = screen.getByRole("form", { name: "Authenticator-App bestätigen" });
    fireEvent.change(within(form).getByLabelText(/Code aus der App/), { target: { value: "000000" } });
    fireEvent.click(within(form).getByRole("button", { name: "App bestätigen" }));
    await within(form).findByText(/Der Code ist nicht richtig/);

    fireEvent.change(within(form).getByLabelText(/Code aus der App/), { target: { value: goodCode } });
    fireEvent.change(within(form).getByLabelText(/Name/), { target: { value: " Diensthandy " } });
    fireEvent.click(within(form).getByRole("button", { name: "App bestätigen" }));

    await screen.findByText(/Schritt 3 von 3/);
    const list = screen.getByRole("list", { name: "Ihre Wiederherstellungscodes" });
    expect(within(list).getAllByRole("listitem")).toHaveLength(10);
    expect(fake.calls).toEqual(["startLogin", "confirmLogin:", "confirmLogin:Diensthandy"]);
    // The session starts only once the codes are kept.
    expect(session.getState().status).not.toBe("authenticated");
    const next = screen.getByRole("button", { name: "Weiter" }) as HTMLButtonElement;
    expect(next.disabled).toBe(true);
    fireEvent.click(screen.getByRole("checkbox", { name: "Ich habe die Codes sicher aufbewahrt" }));
    expect(next.disabled).toBe(false);
    fireEvent.click(next);
    await waitFor(() => expect(session.getState().status).toBe("authenticated"));
  });

  it("goes back to the password when the enrollment's login has lapsed", async () => {
    const fake = fakeMfa({ required: true });
    renderLogin(fake, true);
    password();
    await screen.findByText(/Schritt 1 von 3/);
    fake.liveChallenge = "";
    fireEvent.click(screen.getByRole("button", { name: "Einrichtung beginnen" }));
    await screen.findByText(/Die Anmeldung ist abgelaufen/);
    expect(screen.getByRole("heading", { name: "Anmelden" })).toBeTruthy();
  });
});
