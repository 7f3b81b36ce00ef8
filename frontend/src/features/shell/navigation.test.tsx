// @vitest-environment happy-dom
import { cleanup, render, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { Route, Routes } from "react-router";
import { Area } from "../../gen/zeugo/v1/access_pb.js";
import { providers, signedIn, testPrincipal } from "../../test/render.js";
import { AppLayout } from "./AppLayout.js";
import { entryFor, mayOpen, visibleNavigation } from "./navigation.js";

afterEach(cleanup);

const paths = (areas: Area[]) => visibleNavigation(testPrincipal(areas)).flatMap((s) => s.entries.map((e) => e.path));
const structure = [
  "/organisation/companies",
  "/organisation/locations",
  "/organisation/departments",
  "/organisation/org-units",
  "/organisation/employee-types",
];

describe("navigation table", () => {
  it("shows the company structure to Unternehmen, Mitarbeiter and Administrator only", () => {
    expect(paths([Area.COMPANY_STRUCTURE])).toEqual(["/", ...structure]);
    expect(paths([Area.EMPLOYEES])).toEqual(["/", "/employees", "/certificates", ...structure]);
    expect(paths([Area.ADMINISTRATOR])).toEqual(["/", "/employees", "/certificates", "/self-service", ...structure, "/users", "/roles", "/api-keys", "/settings/security", "/settings/sso", "/settings/email-templates", "/settings/branding", "/settings/catalog", "/settings/layout"]);
    expect(paths([Area.DOCUMENT_LAYOUT])).toEqual(["/", "/settings/layout"]);
    expect(paths([Area.EMAIL_TEMPLATES])).toEqual(["/", "/settings/email-templates"]);
    expect(paths([Area.BRANDING])).toEqual(["/", "/settings/branding"]);
    expect(paths([Area.PRIVACY])).toEqual(["/", "/settings/security", "/settings/sso"]);
    expect(paths([Area.API_KEYS])).toEqual(["/", "/api-keys"]);
    expect(paths([Area.SELF_SERVICE])).toEqual(["/", "/self-service"]);
    expect(paths([Area.USERS, Area.ROLES])).toEqual(["/", "/users", "/roles"]);
    expect(paths([Area.USERS])).toEqual(["/", "/users"]);
    expect(paths([])).toEqual(["/"]);
    // A section with nothing left is dropped with its heading.
    expect(visibleNavigation(testPrincipal([Area.ACCOUNT])).map((s) => s.id)).toEqual(["main"]);
    // The catalogue's page serves each of its three areas.
    expect(paths([Area.JOB_PROFILES])).toEqual(["/", "/settings/catalog"]);
    expect(paths([Area.LETTER_TEXTS])).toEqual(["/", "/settings/catalog"]);
    expect(paths([Area.QUALIFICATIONS])).toEqual(["/", "/settings/catalog"]);
  });

  it("guards every sub-path of an entry, and nothing else", () => {
    expect(entryFor("/organisation/locations/new")?.path).toBe("/organisation/locations");
    expect(entryFor("/organisation/companies/0193-abc")?.path).toBe("/organisation/companies");
    expect(entryFor("/")?.path).toBe("/");
    expect(entryFor("/organisation/companiesX")).toBeUndefined();
    expect(entryFor("/gibt-es-nicht")).toBeUndefined();
    const usersOnly = testPrincipal([Area.USERS]);
    expect(mayOpen(usersOnly, "/organisation/companies/0193-abc")).toBe(false);
    expect(mayOpen(usersOnly, "/organisation/employee-types")).toBe(false);
    expect(mayOpen(usersOnly, "/")).toBe(true);
    expect(mayOpen(usersOnly, "/gibt-es-nicht")).toBe(true);
    expect(mayOpen(testPrincipal([Area.EMPLOYEES]), "/organisation/departments/new")).toBe(true);
    expect(entryFor("/employees/0193-abc")?.path).toBe("/employees");
    expect(mayOpen(testPrincipal([Area.EMPLOYEES]), "/employees/new")).toBe(true);
    expect(mayOpen(testPrincipal([Area.COMPANY_STRUCTURE]), "/employees")).toBe(false);
  });
});

async function renderLayout(areas: Area[], path: string) {
  const principal = testPrincipal(areas);
  const session = await signedIn(principal);
  render(
    <Routes>
      <Route path="/" element={<AppLayout principal={principal} focusOnMount={false} />}>
        <Route path="*" element={<h1>Seiteninhalt</h1>} />
      </Route>
    </Routes>,
    { wrapper: providers(undefined, path, session) },
  );
  return within(screen.getByRole("navigation", { name: "Hauptnavigation" }));
}

describe("AppLayout", () => {
  it("renders the navigation from the table, filtered by the principal's areas", async () => {
    const nav = await renderLayout([Area.EMPLOYEES], "/");
    expect(nav.getAllByRole("link").map((a) => a.textContent)).toEqual([
      "Start",
      "Mitarbeiter",
      "Zeugnisse",
      "Unternehmen",
      "Standorte",
      "Abteilungen",
      "Organisationseinheiten",
      "Mitarbeitertypen",
    ]);
    expect(nav.getByRole("group", { name: "Unternehmensstruktur" })).toBeTruthy();
  });

  it("shows 'no access' instead of a page of an area the role lacks", async () => {
    const nav = await renderLayout([Area.USERS], "/organisation/locations/new");
    expect(nav.getAllByRole("link").map((a) => a.textContent)).toEqual(["Start", "Benutzer"]);
    expect(screen.getByRole("heading", { level: 1 }).textContent).toBe("Kein Zugriff");
    expect(screen.queryByText("Seiteninhalt")).toBeNull();
  });

  it("shows the page itself to a principal with the area", async () => {
    await renderLayout([Area.COMPANY_STRUCTURE], "/organisation/locations/new");
    expect(screen.getByRole("heading", { level: 1 }).textContent).toBe("Seiteninhalt");
  });
});
