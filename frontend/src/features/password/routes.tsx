import type { RouteObject } from "react-router";
import { RouteError } from "../shell/RouteError.js";
import { ForgotPasswordPage } from "./ForgotPasswordPage.js";
import { RegisterPage } from "./RegisterPage.js";
import { ResetPage } from "./ResetPage.js";

/**
 * The public pages: reachable without a session, beside the root route
 * (which shows the login page to anyone not signed in).
 */
export const passwordRoutes: RouteObject[] = [
  { path: "/register", element: <RegisterPage />, errorElement: <RouteError /> },
  { path: "/reset", element: <ResetPage />, errorElement: <RouteError /> },
  { path: "/forgot-password", element: <ForgotPasswordPage />, errorElement: <RouteError /> },
];
