// @vitest-environment happy-dom
import { createRouterTransport } from "@connectrpc/connect";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { fakeMfa, goodCode, routeMfa, withFactor, type FakeMfa } from "../../test/fake-mfa.js";
import { providers, signedIn, testPrincipal } from "../../test/render.js";
import { SecondFactorCard } from "./SecondFactorCard.js";

afterEach(cleanup);

async function renderCard(fake: FakeMfa) {
  const session = await signedIn(testPrincipal([]));
  const transport = createRouterTransport((router) => routeMfa(router, fake));
  render(<SecondFactorCard />, { wrapper: providers(transport, "/", session) });
  return screen.findByTestId("second-factor-section");
}

const dialog = (name: string | RegExp) => screen.findByRole("dialog", { name });

describe("SecondFactorCard", () => {
  it("adds the first app after a password step-up and shows its recovery codes once", async () => {
    const fake = fakeMfa();
    const section = await renderCard(fake);
    expect(within(section).getByText("Sie haben noch keinen zweiten Faktor eingerichtet.")).toBeTruthy();
    expect(within(section).getByText(/verlangt keinen zweiten Faktor/)).toBeTruthy();

    fireEvent.click(screen.getByRole("button", { name: "Authenticator-App hinzufügen" }));
    const stepUp = await dialog("Identität bestätigen");
    const pw = within(stepUp).getByLabelText(/^Passwort/, { selector: "input" });
    fireEvent.change(pw, { target: { value: "falsch" } });
    fireEvent.click(within(stepUp).getByRole("button", { name: "Bestätigen" }));
    await within(stepUp).findByText("Das Passwort ist nicht richtig.");
    expect(fake.calls).toEqual([]);
    fireEvent.change(pw, { target: { value: "richtig" } });
    fireEvent.click(within(stepUp).getByRole("button", { name: "Bestätigen" }));

    const enroll = await dialog("Authenticator-App hinzufügen");
    expect(within(enroll).getByTestId("totp-secret").textContent).toMatch(/^JBSW Y3DP/);
    fireEvent.change(within(enroll).getByLabelText(/Code aus der App/), { target: { value: goodCode } });
    fireEvent.change(within(enroll).getByLabelText(/Name/), { target: { value: "Handy" } });
    fireEvent.click(within(enroll).getByRole("button", { name: "App bestätigen" }));

    const codes = await dialog("Wiederherstellungscodes");
    expect(within(codes).getAllByTestId("recovery-code-item")).toHaveLength(10);
    const done = within(codes).getByRole("button", { name: "Fertig" }) as HTMLButtonElement;
    expect(done.disabled).toBe(true);
    fireEvent.click(within(codes).getByRole("checkbox", { name: "Ich habe die Codes sicher aufbewahrt" }));
    fireEvent.click(done);
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());

    await waitFor(() => expect(within(section).getAllByTestId("factor-row")).toHaveLength(1));
    const row = within(section).getByTestId("factor-row");
    expect(within(row).getByText("Handy")).toBeTruthy();
    expect(within(row).getByText("Authenticator-App")).toBeTruthy();
    expect(within(row).getByText("noch nie")).toBeTruthy();
    expect(within(section).getByTestId("recovery-left").textContent).toBe("Wiederherstellungscodes: 10 übrig");
    expect(fake.stepUps).toEqual(["password", "password"]);
    expect(fake.calls).toEqual(["startTotp", "confirmTotp:Handy"]);
  });

  it("explains that the organisation keeps the last factor", async () => {
    const fake = withFactor({ required: true });
    const section = await renderCard(fake);
    expect(within(section).getByText("Ihre Organisation verlangt einen zweiten Faktor für die Anmeldung.")).toBeTruthy();
    fireEvent.click(within(section).getByRole("button", { name: "Faktor entfernen: Diensthandy" }));
    const confirm = await dialog("„Diensthandy“ entfernen?");
    expect(within(confirm).getByText(/Ihr einziger zweiter Faktor/)).toBeTruthy();
    fireEvent.click(within(confirm).getByRole("button", { name: "Entfernen" }));

    // The step-up asks for the app's code; a recovery code works too.
    const stepUp = await dialog("Identität bestätigen");
    expect(within(stepUp).queryByLabelText(/^Passwort/, { selector: "input" })).toBeNull();
    fireEvent.change(within(stepUp).getByLabelText(/Bestätigungscode/), { target: { value: goodCode } });
    fireEvent.click(within(stepUp).getByRole("button", { name: "Bestätigen" }));

    await within(section).findByText("Ihre Organisation verlangt einen zweiten Faktor; fügen Sie zuerst einen anderen hinzu.");
    expect(within(section).getAllByTestId("factor-row")).toHaveLength(1);
    expect(fake.stepUps).toEqual(["totpCode"]);
  });

  it("asks for a step-up again when the server wants a fresher one, then repeats the change", async () => {
    const fake = withFactor({ stepUpUntil: Date.now() + 240_000, forceStepUp: true });
    const section = await renderCard(fake);
    fireEvent.click(within(section).getByRole("button", { name: "Neue Codes erzeugen" }));
    const confirm = await dialog("Neue Wiederherstellungscodes erzeugen?");
    fireEvent.click(within(confirm).getByRole("button", { name: "Neue Codes erzeugen" }));

    const stepUp = await dialog("Identität bestätigen");
    fireEvent.click(within(stepUp).getByRole("button", { name: "Wiederherstellungscode verwenden" }));
    fireEvent.change(await within(stepUp).findByLabelText(/^Wiederherstellungscode/), { target: { value: "ab0d-efgh-jkmn-pqrs-tvwx-yz02" } });
    fireEvent.click(within(stepUp).getByRole("button", { name: "Bestätigen" }));

    const codes = await dialog("Neue Wiederherstellungscodes");
    expect(within(codes).getAllByTestId("recovery-code-item")).toHaveLength(10);
    expect(fake.calls).toEqual(["regenerate", "regenerate"]);
    expect(fake.stepUps).toEqual(["recoveryCode"]);
  });

  it("does nothing when the step-up is cancelled", async () => {
    const fake = withFactor();
    const section = await renderCard(fake);
    fireEvent.click(screen.getByRole("button", { name: "Authenticator-App hinzufügen" }));
    const stepUp = await dialog("Identität bestätigen");
    fireEvent.click(within(stepUp).getByRole("button", { name: "Abbrechen" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(fake.calls).toEqual([]);
    expect(within(section).queryByRole("alert")).toBeNull();
  });
});
