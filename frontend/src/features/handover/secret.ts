// The handover link is https://…/h/<id>#<secret>. The secret travels in the
// fragment, which browsers send neither to a server nor in a Referer; the
// page takes it once and removes it from the address bar and the session
// history at once, so it is not left on screen, in a bookmark or for a
// script that reads location later (as the password links do).

const hex32 = /^[0-9a-f]{32}$/;

/** Remembered per path: a re-render or StrictMode's double call finds the fragment gone. In memory only. */
let taken: { path: string; secret: string } | undefined;

/**
 * takeHandoverSecret returns the 32-hex secret in location.hash ("" when
 * there is none or it is malformed) and clears the hash with
 * history.replaceState. Called again on the same path, it returns the
 * secret taken before.
 */
export function takeHandoverSecret(loc: Location = window.location, hist: History = window.history): string {
  const raw = loc.hash.startsWith("#") ? loc.hash.slice(1) : loc.hash;
  if (raw !== "") {
    hist.replaceState(hist.state, "", loc.pathname + loc.search);
    const secret = raw.trim().toLowerCase();
    taken = { path: loc.pathname, secret: hex32.test(secret) ? secret : "" };
    return taken.secret;
  }
  return taken?.path === loc.pathname ? taken.secret : "";
}

/** isHandoverId: the link's path is 32 hex characters (anything else cannot be a handover). */
export function isHandoverId(id: string): boolean {
  return hex32.test(id);
}

/** forgetHandoverSecret drops the remembered secret (tests; a link that was used up). */
export function forgetHandoverSecret(): void {
  taken = undefined;
}

const storagePrefix = "zeugo.handover.";

/**
 * The recipient's session token lives in memory and in sessionStorage (a
 * reload of the tab keeps it; a new tab or a closed browser does not).
 * Never in localStorage: it must not outlive the tab.
 */
export const recipientToken = {
  get(handoverId: string, storage: Storage | undefined = globalThis.sessionStorage): string {
    try {
      return storage?.getItem(storagePrefix + handoverId) ?? "";
    } catch {
      return "";
    }
  },
  set(handoverId: string, token: string, storage: Storage | undefined = globalThis.sessionStorage): void {
    try {
      if (token) storage?.setItem(storagePrefix + handoverId, token);
      else storage?.removeItem(storagePrefix + handoverId);
    } catch {
      // Storage disabled: the token stays in memory for this page only.
    }
  },
};
