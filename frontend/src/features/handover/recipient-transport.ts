// The recipient's transport: the same Connect transport as the app's, but
// it carries the recipient session ("Authorization: Bearer zh_…") and never
// tries the HR refresh cookie — a recipient has no account. An
// Unauthenticated answer is the session's end, which the page shows.
import type { Interceptor, Transport } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-web";

/** bearerInterceptor adds the recipient's token when there is one. */
export function bearerInterceptor(getToken: () => string): Interceptor {
  return (next) => async (req) => {
    const token = getToken();
    if (token) req.header.set("Authorization", `Bearer ${token}`);
    else req.header.delete("Authorization");
    return next(req);
  };
}

/** createRecipientTransport is the transport of the /h/ pages. */
export function createRecipientTransport(baseUrl: string, getToken: () => string): Transport {
  return createConnectTransport({
    baseUrl,
    useBinaryFormat: true,
    interceptors: [bearerInterceptor(getToken)],
    // No cookie: the recipient's only credential is the bearer token.
    fetch: (input, init) => globalThis.fetch(input, { ...init, credentials: "omit" }),
  });
}
