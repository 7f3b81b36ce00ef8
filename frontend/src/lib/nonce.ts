// The server replaces __CSP_NONCE__ in index.html with a fresh nonce per
// response; Mantine adds it to the <style> tags it injects so that the CSP
// (style-src 'self' 'nonce-…') allows them.

const placeholder = "__CSP_NONCE__";

/** cspNonce reads the nonce from <meta name="csp-nonce">; "" when none was set. */
export function cspNonce(): string {
  const value = document.querySelector<HTMLMetaElement>('meta[name="csp-nonce"]')?.content ?? "";
  return value === placeholder ? "" : value;
}
