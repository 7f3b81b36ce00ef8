// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { create, toBinary } from "@bufbuild/protobuf";
import { Code, ConnectError, createRouterTransport } from "@connectrpc/connect";
import { createMemoryRouter, RouterProvider } from "react-router";
import { Area } from "../../gen/zeugo/v1/access_pb.js";
import { SecondFactorChallengeSchema, SecondFactorMethod } from "../../gen/zeugo/v1/auth_pb.js";
import { RoleService, ListRolesResponseSchema } from "../../gen/zeugo/v1/roles_pb.js";
import {
  SsoMode,
  SsoService,
  SsoSettingsSchema,
  type StartSsoRequest,
  type UpdateSsoSettingsRequest,
} from "../../gen/zeugo/v1/sso_pb.js";
import { routes } from "../../routes.js";
import { providers, signedIn, testPrincipal } from "../../test/render.js";
import { parseSsoFragment } from "./fragment.js";
import { SsoSignIn } from "./SsoSignIn.js";

afterEach(() => {
  cleanup();
  window.history.replaceState(null, "", "/");
});

/** A challenge as the callback puts it into the fragment (protobuf, base64url). */
const encodedChallenge = btoa(
  String.fromCharCode(
    ...toBinary(SecondFactorChallengeSchema, create(SecondFactorChallengeSchema, { token: "t.k", methods: [SecondFactorMethod.TOTP] })),
  ),
)
  .replace(/\+/g, "-")
  .replace(/\//g, "_")
  .replace(/=+$/, "");

function fakeSso() {
  const starts: StartSsoRequest[] = [];
  const updates: UpdateSsoSettingsRequest[] = [];
  let settings = create(SsoSettingsSchema, { mode: SsoMode.OFF, redirectUri: "https://zeugo.example/auth/sso/callback" });
  const transport = createRouterTransport(({ service }) => {
    service(SsoService, {
      startSso: (req) => {
        starts.push(req);
        if (req.target.case === "email" && req.target.value.endsWith("@firma.example")) {
          return { authorizationUrl: "https://idp.example/authorize?state=s" };
        }
        throw new ConnectError("single sign-on is not available for this address", Code.NotFound);
      },
      getSsoSettings: () => ({ settings }),
      updateSsoSettings: (req) => {
        updates.push(req);
        const f = req.fields!;
        settings = create(SsoSettingsSchema, {
          issuer: f.issuer,
          clientId: f.clientId,
          clientSecretSet: f.clientSecret !== "" || settings.clientSecretSet,
          mode: f.mode,
          emailDomains: f.emailDomains,
          version: settings.version + 1n,
          redirectUri: settings.redirectUri,
        });
        return { settings };
      },
      testSsoConnection: (req) =>
        req.issuer.startsWith("https://idp.example")
          ? { ok: true, authorizationEndpoint: "https://idp.example/authorize" }
          : { ok: false, error: "unreachable" },
    });
    service(RoleService, { listRoles: () => create(ListRolesResponseSchema, {}) });
  });
  return { transport, starts, updates };
}

describe("parseSsoFragment", () => {
  it("reads refusals, challenges and nothing else", () => {
    expect(parseSsoFragment("#sso_error=sso_no_account")).toEqual({ kind: "error", code: "sso_no_account" });
    expect(parseSsoFragment("#sso_error=<script>")).toEqual({ kind: "error", code: "sso_failed" });
    const parsed = parseSsoFragment(`#sso_challenge=${encodedChallenge}`);
    expect(parsed?.kind === "challenge" && parsed.challenge.token).toBe("t.k");
    expect(parsed?.kind === "challenge" && parsed.challenge.methods).toEqual([SecondFactorMethod.TOTP]);
    expect(parseSsoFragment("#sso_challenge=kaputt!")).toEqual({ kind: "error", code: "sso_failed" });
    expect(parseSsoFragment("")).toBeUndefined();
    expect(parseSsoFragment("#token=x")).toBeUndefined();
  });
});

describe("SsoSignIn", () => {
  it("starts single sign-on for an email and goes to the provider", async () => {
    const fake = fakeSso();
    const went: string[] = [];
    render(<SsoSignIn navigate={(u) => went.push(u)} />, { wrapper: providers(fake.transport) });
    fireEvent.click(screen.getByRole("button", { name: "Mit Single Sign-On anmelden" }));
    fireEvent.change(screen.getByLabelText(/Dienstliche E-Mail-Adresse/), { target: { value: "erika@firma.example" } });
    fireEvent.click(screen.getByRole("button", { name: "Weiter zur Anmeldung" }));
    await waitFor(() => expect(went).toEqual(["https://idp.example/authorize?state=s"]));
    expect(fake.starts[0]?.target).toEqual({ case: "email", value: "erika@firma.example" });
  });

  it("says when a domain has no single sign-on", async () => {
    const fake = fakeSso();
    render(<SsoSignIn navigate={() => {}} />, { wrapper: providers(fake.transport) });
    fireEvent.click(screen.getByRole("button", { name: "Mit Single Sign-On anmelden" }));
    fireEvent.change(screen.getByLabelText(/Dienstliche E-Mail-Adresse/), { target: { value: "erika@anders.example" } });
    fireEvent.click(screen.getByRole("button", { name: "Weiter zur Anmeldung" }));
    await screen.findByText(/keine Anmeldung per Single Sign-On eingerichtet/);
  });

  it("shows the callback's refusal and removes it from the address", async () => {
    window.history.replaceState(null, "", "/login#sso_error=sso_no_account");
    render(<SsoSignIn navigate={() => {}} />, { wrapper: providers(fakeSso().transport) });
    expect((await screen.findByTestId("sso-outcome")).textContent).toMatch(/kein aktives Benutzerkonto/);
    expect(window.location.hash).toBe("");
  });

  it("hands a second-factor challenge to the login page", async () => {
    window.history.replaceState(null, "", `/login#sso_challenge=${encodedChallenge}`);
    const got: string[] = [];
    render(<SsoSignIn navigate={() => {}} onChallenge={(c) => got.push(c.token)} />, { wrapper: providers(fakeSso().transport) });
    await waitFor(() => expect(got).toEqual(["t.k"]));
    expect(window.location.hash).toBe("");
  });
});

describe("SsoSettingsPage", () => {
  it("saves the provider, tests the connection and never shows a secret", async () => {
    const fake = fakeSso();
    const session = await signedIn(testPrincipal([Area.PRIVACY]));
    const router = createMemoryRouter(routes, { initialEntries: ["/settings/sso"] });
    render(<RouterProvider router={router} />, { wrapper: providers(fake.transport, null, session) });
    const form = await screen.findByRole("form", { name: "Single Sign-On" });
    expect(within(form).getByTestId("sso-redirect-uri").textContent).toBe("https://zeugo.example/auth/sso/callback");
    fireEvent.change(within(form).getByLabelText(/Aussteller-URL/), { target: { value: "https://idp.example/realms/firma" } });
    fireEvent.change(within(form).getByLabelText(/Client-ID/), { target: { value: "zeugo" } });
    fireEvent.change(within(form).getByLabelText(/Geheimer Clientschlüssel/), { target: { value: "geheim" } });
    fireEvent.change(within(form).getByRole("textbox", { name: /E-Mail-Domains/ }), { target: { value: "firma.example\nzweit.example" } });
    fireEvent.click(within(form).getByRole("button", { name: "Verbindung testen" }));
    expect((await within(form).findByTestId("sso-test-result")).textContent).toMatch(/Der Identitätsanbieter antwortet/);
    fireEvent.click(within(form).getByRole("button", { name: "Speichern" }));
    await waitFor(() => expect(fake.updates).toHaveLength(1));
    const sent = fake.updates[0]!;
    expect(sent.version).toBe(0n);
    expect(sent.fields?.emailDomains).toEqual(["firma.example", "zweit.example"]);
    expect(sent.fields?.clientSecret).toBe("geheim");
    expect(sent.fields?.mode).toBe(SsoMode.OFF);
    await within(form).findByText(/Ein Schlüssel ist gespeichert/);
    expect((within(form).getByLabelText(/Geheimer Clientschlüssel/) as HTMLInputElement).value).toBe("");
  }, 60_000);
});
