// @vitest-environment happy-dom
import { create, toBinary } from "@bufbuild/protobuf";
import { base64Encode } from "@bufbuild/protobuf/wire";
import { ViolationsSchema } from "@bufbuild/protovalidate/gen/buf/validate/validate_pb.js";
import { ConnectError, createRouterTransport } from "@connectrpc/connect";
import { errorFromJson } from "@connectrpc/connect/protocol-connect";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { createMemoryRouter, RouterProvider } from "react-router";
import { Area } from "../../gen/zeugo/v1/access_pb.js";
import {
  CatalogEntryState,
  CatalogService,
  GetCatalogResponseSchema,
  type UpdateLetterTextRequest,
} from "../../gen/zeugo/v1/catalog_pb.js";
import { routes } from "../../routes.js";
import { providers, signedIn, testPrincipal } from "../../test/render.js";

afterEach(cleanup);

/** finding is the server's refusal of a variant with the checker's finding in German and English. */
function finding(): ConnectError {
  const detail = create(ViolationsSchema, {
    violations: [
      {
        field: { elements: [{ fieldName: "fields" }, { fieldName: "de[0]" }] },
        ruleId: "zeugo.catalog.finding",
        message: "Bemühen statt Ergebnis („stets bemüht“)\nEffort instead of results (“stets bemüht”)",
      },
    ],
  });
  return errorFromJson(
    { code: "invalid_argument", message: "refused", details: [{ type: "buf.validate.Violations", value: base64Encode(toBinary(ViolationsSchema, detail), "std_raw") }] },
    undefined,
    new ConnectError("fallback"),
  );
}

function fake() {
  const updates: UpdateLetterTextRequest[] = [];
  const catalog = create(GetCatalogResponseSchema, {
    version: 3n,
    defaultVersion: "2026.11-1",
    placeholders: ["FullName", "entry"],
    letterTexts: [
      {
        key: "intro.final",
        fields: { de: ["{FullName} war bei uns."], en: ["{FullName} worked for us."] },
        defaultFields: { de: ["{FullName} war bei uns."], en: ["{FullName} worked for us."] },
        state: CatalogEntryState.DEFAULT,
      },
    ],
    jobProfiles: [
      {
        id: "einkauf",
        fields: { titleDe: { neutral: "Fachkraft Einkauf" }, titleEn: { neutral: "" }, tasks: [{ id: "anfragen", de: "Einholung von Angeboten" }] },
        state: CatalogEntryState.ADDED,
        hidden: true,
        missingLanguages: ["en"],
      },
    ],
  });
  const transport = createRouterTransport(({ service }) => {
    service(CatalogService, {
      getCatalog: () => catalog,
      updateLetterText: (req) => {
        updates.push(req);
        throw finding();
      },
    });
  });
  return { transport, updates };
}

async function renderPage(areas: Area[]) {
  const f = fake();
  const session = await signedIn(testPrincipal(areas));
  const router = createMemoryRouter(routes, { initialEntries: ["/settings/catalog"] });
  render(<RouterProvider router={router} />, { wrapper: providers(f.transport, null, session) });
  return f;
}

describe("CatalogPage", () => {
  it("shows the checker's finding beside the refused variant and sends the version read", async () => {
    const f = await renderPage([Area.LETTER_TEXTS]);
    const row = await screen.findByTestId("letter-intro.final");
    expect(within(row).getByText("Standard")).toBeTruthy();
    // a role with Brieftexte only sees no job profiles
    expect(screen.queryByRole("tab", { name: "Berufsbilder" })).toBeNull();
    fireEvent.click(within(row).getByRole("button", { name: "Bearbeiten" }));
    const dialog = await screen.findByRole("dialog", { name: "Brieftext intro.final" });
    fireEvent.change(within(dialog).getByLabelText("Variante 1 (Deutsch)"), { target: { value: "{FullName} hat sich stets bemüht." } });
    fireEvent.click(within(dialog).getByRole("button", { name: "Speichern" }));
    await waitFor(() => expect(within(dialog).getByText("Bemühen statt Ergebnis („stets bemüht“)")).toBeTruthy());
    expect(f.updates[0]?.catalogVersion).toBe(3n);
    expect(f.updates[0]?.fields?.de).toEqual(["{FullName} hat sich stets bemüht."]);
  });

  it("marks an added, hidden job profile without English", async () => {
    await renderPage([Area.JOB_PROFILES]);
    const row = await screen.findByTestId("profile-einkauf");
    expect(within(row).getByText("Eigener Eintrag")).toBeTruthy();
    expect(within(row).getByText("Ausgeblendet")).toBeTruthy();
    expect(within(row).getByText("Englisch fehlt")).toBeTruthy();
    expect(within(row).getByRole("button", { name: "Einblenden" })).toBeTruthy();
  });
});
