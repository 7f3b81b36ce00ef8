// The secret of a registration or reset link travels in the URL fragment
// (#…), which browsers send neither to a server nor in a Referer (ASVS
// V14.2.1). The page takes it once, then removes it from the address bar
// and the session history, so it is not left on screen, in a bookmark or
// for a script that reads location later.

/** The token taken from the address bar, per path (a re-render or React's
 *  StrictMode double call finds the fragment already gone). In memory only. */
let taken: { path: string; token: string } | undefined;

/**
 * takeFragmentToken returns the token in location.hash and clears the hash
 * with history.replaceState (no new history entry, no navigation). Called
 * again on the same path, it returns the token taken before.
 */
export function takeFragmentToken(loc: Location = window.location, hist: History = window.history): string {
  const raw = loc.hash.startsWith("#") ? loc.hash.slice(1) : loc.hash;
  if (raw !== "") {
    let token = raw;
    try {
      token = decodeURIComponent(raw);
    } catch {
      // Not percent-encoded: taken as it is; the server decides.
    }
    taken = { path: loc.pathname, token: token.trim() };
    hist.replaceState(hist.state, "", loc.pathname + loc.search);
    return taken.token;
  }
  return taken?.path === loc.pathname ? taken.token : "";
}

/** forgetFragmentToken drops the remembered token (after it was used). */
export function forgetFragmentToken(): void {
  taken = undefined;
}
