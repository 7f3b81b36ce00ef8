// The server replaces __CSP_NONCE__ in index.html with a fresh nonce per
// response; Mantine adds it to the <style> tags it injects so that the CSP
// (style-src 'self' 'nonce-…') allows them. The scroll lock of modals
// (react-remove-scroll → react-style-singleton) injects a <style> too and
// takes its nonce from the get-nonce package.
import { setNonce } from "get-nonce";

const placeholder = "__CSP_NONCE__";

/** cspNonce reads the nonce from <meta name="csp-nonce">; "" when none was set. */
export function cspNonce(): string {
  const value = document.querySelector<HTMLMetaElement>('meta[name="csp-nonce"]')?.content ?? "";
  return value === placeholder ? "" : value;
}

/** installCspNonce hands the nonce to every library that injects <style> tags; returns it for Mantine. */
export function installCspNonce(): string {
  const nonce = cspNonce();
  if (nonce !== "") setNonce(nonce);
  return nonce;
}
