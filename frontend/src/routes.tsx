import { createBrowserRouter, Navigate } from "react-router";
import { Root } from "./features/shell/Root.js";
import { StartPage } from "./features/shell/StartPage.js";
import { NotFoundPage } from "./features/shell/NotFoundPage.js";
import { RouteError } from "./features/shell/RouteError.js";
import { CompaniesPage } from "./features/organization/CompaniesPage.js";
import { CompanyPage } from "./features/organization/CompanyPage.js";
import { UnitsPage } from "./features/organization/UnitsPage.js";
import { unitKindSlugs } from "./features/organization/unit-kinds.js";

// The list is the element of the parent route, so opening and closing the
// dialog (/new, /:id) keeps it mounted on its page, sort and search; the key
// gives each kind its own list state.
const unitRoutes = unitKindSlugs.map((slug) => ({
  path: `organisation/${slug}`,
  element: <UnitsPage key={slug} slug={slug} />,
  children: [{ index: true }, { path: "new" }, { path: ":id" }],
}));

/** All screens; every path works as a deep link (the server answers index.html). */
export const router = createBrowserRouter([
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
      { path: "*", element: <NotFoundPage /> },
    ],
  },
]);
