import type { RouteObject } from "react-router";
import { RouteError } from "../shell/RouteError.js";
import { PublicFormPage } from "./PublicFormPage.js";
import { SelfServicePage } from "./SelfServicePage.js";

/** The public request form: reachable without a session, beside the root route (like /register). */
export const selfServicePublicRoutes: RouteObject[] = [{ path: "/s/:formId", element: <PublicFormPage />, errorElement: <RouteError /> }];

/** HR's inbox (/self-service, a request as a drawer at /self-service/:id) and the forms (/self-service/forms). */
export const selfServiceRoutes: RouteObject[] = [
  {
    path: "self-service",
    element: <SelfServicePage />,
    children: [
      { index: true, element: null },
      { path: "forms", element: null },
      { path: ":id", element: null },
    ],
  },
];
