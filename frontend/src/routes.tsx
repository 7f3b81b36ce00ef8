import { createBrowserRouter, Navigate, type RouteObject } from "react-router";
import { Root } from "./features/shell/Root.js";
import { StartPage } from "./features/shell/StartPage.js";
import { NotFoundPage } from "./features/shell/NotFoundPage.js";
import { RouteError } from "./features/shell/RouteError.js";
import { CompaniesPage } from "./features/organization/CompaniesPage.js";
import { CompanyPage } from "./features/organization/CompanyPage.js";
import { UnitsPage } from "./features/organization/UnitsPage.js";
import { unitKindSlugs } from "./features/organization/unit-kinds.js";
import { AccountPage } from "./features/account/AccountPage.js";
import { SecuritySettingsPage } from "./features/settings/SecuritySettingsPage.js";
import { MailTemplatesPage } from "./features/mail/MailTemplatesPage.js";
import { BrandingPage } from "./features/branding/BrandingPage.js";
import { CatalogPage } from "./features/catalog/CatalogPage.js";
import { LayoutPage } from "./features/layout/LayoutPage.js";
import { ApiKeysPage } from "./features/apikeys/ApiKeysPage.js";
import { passwordRoutes } from "./features/password/routes.js";
import { UsersPage } from "./features/users/UsersPage.js";
import { RolesPage } from "./features/roles/RolesPage.js";
import { ImportPage as EmployeeImportPage } from "./features/employees/import/ImportPage.js";
import { EmployeesPage } from "./features/employees/EmployeesPage.js";
import { CertificatesPage } from "./features/certificates/CertificatesPage.js";
import { CertificateEditor } from "./features/certificates/CertificateEditor.js";
import { RecipientPage } from "./features/handover/RecipientPage.js";
import { selfServicePublicRoutes, selfServiceRoutes } from "./features/selfservice/routes.js";
import { SsoSettingsPage } from "./features/sso/SsoSettingsPage.js";

// The list is the element of the parent route, so opening and closing the
// dialog (/new, /:id) keeps it mounted on its page, sort and search; the key
// gives each kind its own list state.
const unitRoutes = unitKindSlugs.map((slug) => ({
  path: `organisation/${slug}`,
  element: <UnitsPage key={slug} slug={slug} />,
  // element null: the list itself is the page (and React Router does not warn of an empty leaf).
  children: [
    { index: true, element: null },
    { path: "new", element: null },
    { path: ":id", element: null },
  ],
}));

/** All screens; every path works as a deep link (the server answers index.html). */
export const routes: RouteObject[] = [
  ...passwordRoutes,
  // A handover's link (SPEC §6): the recipient has no account; the page
  // has its own transport and session, outside the signed-in shell.
  { path: "/h/:handoverId", element: <RecipientPage />, errorElement: <RouteError /> },
  ...selfServicePublicRoutes,
  {
    path: "/",
    element: <Root />,
    errorElement: <RouteError />,
    children: [
      { index: true, element: <StartPage /> },
      { path: "organisation", element: <Navigate to="/organisation/companies" replace /> },
      { path: "organisation/companies", element: <CompaniesPage /> },
      { path: "organisation/companies/new", element: <CompanyPage /> },
      { path: "organisation/companies/:id", element: <CompanyPage /> },
      ...unitRoutes,
      { path: "account", element: <AccountPage /> },
      { path: "settings/security", element: <SecuritySettingsPage /> },
      { path: "settings/sso", element: <SsoSettingsPage /> },
      // Single sign-on's callback sends the browser to /login (with its
      // outcome in the fragment); signed in, that is the start page.
      { path: "login", element: <Navigate to="/" replace /> },
      { path: "settings/email-templates", element: <MailTemplatesPage /> },
      { path: "settings/branding", element: <BrandingPage /> },
      { path: "settings/sender", element: <Navigate to="/settings/branding" replace /> },
      { path: "settings/catalog", element: <CatalogPage /> },
      { path: "settings/layout", element: <LayoutPage /> },
      { path: "settings/layout/:companyId", element: <LayoutPage /> },
      { path: "api-keys", element: <ApiKeysPage />, children: [{ index: true, element: null }, { path: "new", element: null }] },
      { path: "users", element: <UsersPage />, children: [{ index: true, element: null }, { path: "new", element: null }, { path: ":id", element: null }] },
      { path: "employees", element: <EmployeesPage />, children: [{ index: true, element: null }, { path: "new", element: null }, { path: ":id", element: null }] },
      { path: "roles", element: <RolesPage />, children: [{ index: true, element: null }, { path: "new", element: null }, { path: ":id", element: null }] },
      { path: "employees/import", element: <EmployeeImportPage /> },
      // The wizard (/new) opens over the list; a certificate is a page of its own.
      { path: "certificates", element: <CertificatesPage />, children: [{ index: true, element: null }, { path: "new", element: null }] },
      { path: "certificates/:id", element: <CertificateEditor /> },
      ...selfServiceRoutes,
      { path: "*", element: <NotFoundPage /> },
    ],
  },
];

/** router serves the routes from the browser's address bar. */
export const router = createBrowserRouter(routes);
