// @vitest-environment happy-dom
import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createMemoryRouter, RouterProvider } from "react-router";
import { Area } from "../../gen/zeugo/v1/access_pb.js";
import { TokensSchema } from "../../gen/zeugo/v1/auth_pb.js";
import { routes } from "../../routes.js";
import { Session } from "../../lib/session.js";
import { fakeAccount } from "../../test/fake-account.js";
import { providers, testPrincipal } from "../../test/render.js";

afterEach(cleanup);

async function renderAccount() {
  const fake = fakeAccount();
  const principal = testPrincipal([Area.EMPLOYEES]);
  const logout = vi.fn(async () => ({}));
  const session = new Session({
    login: async () => ({}),
    logout,
    refresh: async () => ({
      principal,
      tokens: create(TokensSchema, { accessToken: "t", accessTokenExpiresAt: timestampFromMs(Date.now() + 600_000) }),
    }),
  });
  await session.start();
  const router = createMemoryRouter(routes, { initialEntries: ["/account"] });
  render(<RouterProvider router={router} />, { wrapper: providers(fake.transport, null, session) });
  return { fake, session, logout, router };
}

describe("AccountPage", () => {
  it("lists my sessions with device, network and the current one marked", async () => {
    await renderAccount();
    const table = await screen.findByRole("table", { name: "Ihre Sitzungen" });
    await waitFor(() => expect(within(table).getAllByTestId("session-row")).toHaveLength(2));
    const [current, other] = within(table).getAllByTestId("session-row");
    expect(within(current!).getByText("Firefox 133 auf Linux")).toBeTruthy();
    expect(within(current!).getByText("Diese Sitzung")).toBeTruthy();
    expect(within(current!).getByText("203.0.113.0/24")).toBeTruthy();
    // The current session is ended by logging out, not from the list.
    expect(within(current!).queryByRole("button")).toBeNull();
    expect(within(other!).getByText("Safari 18 auf iOS")).toBeTruthy();
    expect(within(other!).getByText("Mobilgerät")).toBeTruthy();
    expect(within(other!).queryByText("Diese Sitzung")).toBeNull();
  });

  it("revokes another session and shows the list without it", async () => {
    const { fake } = await renderAccount();
    const button = await screen.findByRole("button", { name: /^Sitzung beenden: Safari 18 auf iOS/ });
    fireEvent.click(button);
    await waitFor(() => expect(fake.revoked).toEqual(["00000000-0000-7000-8000-000000000002"]));
    await waitFor(() => expect(screen.getAllByTestId("session-row")).toHaveLength(1));
    expect(screen.getByText("Sie sind nur auf diesem Gerät angemeldet.")).toBeTruthy();
  });

  it("logs out everywhere only after confirming, and ends this session too", async () => {
    const { fake, session, logout } = await renderAccount();
    await screen.findByRole("table", { name: "Ihre Sitzungen" });
    fireEvent.click(screen.getByRole("button", { name: "Überall abmelden" }));
    const dialog = await screen.findByRole("dialog", { name: "Auf allen Geräten abmelden?" });
    expect(within(dialog).getByText(/auch diese hier/)).toBeTruthy();
    fireEvent.click(within(dialog).getByRole("button", { name: "Abbrechen" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(fake.loggedOutEverywhere).toBe(0);

    fireEvent.click(screen.getByRole("button", { name: "Überall abmelden" }));
    const again = await screen.findByRole("dialog", { name: "Auf allen Geräten abmelden?" });
    fireEvent.click(within(again).getByRole("button", { name: "Überall abmelden" }));
    await waitFor(() => expect(fake.loggedOutEverywhere).toBe(1));
    await waitFor(() => expect(session.getState().status).toBe("anonymous"));
    expect(logout).toHaveBeenCalled();
  });

  it("saves the profile with its version, and shows field errors without sending", async () => {
    const { fake } = await renderAccount();
    const form = await screen.findByRole("form", { name: "Profil" });
    const first = within(form).getByLabelText(/Vorname/) as HTMLInputElement;
    await waitFor(() => expect(first.value).toBe("Erika"));
    expect((within(form).getByLabelText("E-Mail-Adresse") as HTMLInputElement).readOnly).toBe(true);

    fireEvent.change(first, { target: { value: "  " } });
    fireEvent.click(within(form).getByRole("button", { name: "Speichern" }));
    await within(form).findByText("Bitte füllen Sie dieses Feld aus.");
    expect(fake.profileUpdates).toHaveLength(0);

    fireEvent.change(first, { target: { value: "Erika Maria" } });
    fireEvent.change(within(form).getByLabelText("Telefon"), { target: { value: "+49 30 1234" } });
    fireEvent.click(within(form).getByRole("button", { name: "Speichern" }));
    await waitFor(() => expect(fake.profileUpdates).toHaveLength(1));
    expect(fake.profileUpdates[0]!.version).toBe(3n);
    expect(fake.profileUpdates[0]!.fields?.firstName).toBe("Erika Maria");
    expect(fake.profileUpdates[0]!.fields?.phone).toBe("+49 30 1234");
  });
});
