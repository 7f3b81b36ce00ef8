import "@mantine/core/styles.css";
import "@mantine/notifications/styles.css";
import "./app.css";

import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App.js";
import { createQueryClient } from "./api/query-client.js";
import { createI18n, rememberLanguage, storedLanguage, isLanguage } from "./i18n/index.js";
import { browserLock, Session } from "./lib/session.js";
import { createAppTransport, createAuthApi } from "./lib/transport.js";

const origin = window.location.origin;

const i18n = createI18n(storedLanguage());
rememberLanguage(isLanguage(i18n.language) ? i18n.language : "de");
i18n.on("languageChanged", (lng) => {
  if (isLanguage(lng)) rememberLanguage(lng);
});

// The session and the transport need each other: the transport reads the
// current token, the session calls AuthService. `session` is assigned before
// any request can be made.
let session: Session | undefined;
const tokenOf = () => session?.getAccessToken();
// A logout in one tab signs out the others at once (same browser, same cookie).
const tabs = typeof BroadcastChannel === "function" ? new BroadcastChannel("zeugo-session") : undefined;
session = new Session(createAuthApi(origin, tokenOf), {
  lock: browserLock,
  onLogout: () => tabs?.postMessage("logout"),
});
tabs?.addEventListener("message", (event) => {
  if (event.data === "logout") session?.signedOutElsewhere();
});
const transport = createAppTransport(origin, session);
const queryClient = createQueryClient((key) => i18n.t(key));

// Nothing of a previous user stays cached after a logout or expiry: the
// cache is cleared when a signed-in session ends — not when a visitor
// without a session is merely told so, which would drop the queries of the
// public pages (a registration or reset link) while they are in flight.
let signedIn = false;
session.subscribe(() => {
  const status = session?.getState().status;
  if (signedIn && status !== "authenticated") queryClient.clear();
  signedIn = status === "authenticated";
});
void session.start();

const root = document.getElementById("root");
if (!root) throw new Error("missing #root");
createRoot(root).render(
  <StrictMode>
    <App session={session} transport={transport} queryClient={queryClient} i18n={i18n} />
  </StrictMode>,
);
