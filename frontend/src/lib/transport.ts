// The one Connect transport of the SPA. Every request carries the access
// token (from memory) and the CSRF header the server requires for calls that
// rely on the refresh cookie. An Unauthenticated answer to an ordinary call
// triggers one (shared) refresh and one retry.
import { Code, ConnectError, createClient, type Interceptor, type Transport } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-web";
import { AuthService } from "../gen/zeugo/v1/auth_pb.js";
import type { AuthApi, Session } from "./session.js";

/** The header the server checks on cookie-authenticated calls (CSRF defence). */
export const csrfHeader = "Zeugo-CSRF";

/** The token source the interceptor needs; Session implements it. */
export type TokenSource = Pick<Session, "getAccessToken" | "recover">;

/**
 * Methods that manage the session themselves and must never trigger a
 * refresh. The second-factor steps of a login run before any session exists:
 * their Unauthenticated means the login's challenge is gone, not the token.
 */
const sessionMethods = new Set([
  "Login",
  "Refresh",
  "Logout",
  "VerifySecondFactor",
  "StartLoginEnrollment",
  "ConfirmLoginEnrollment",
]);

function isSessionMethod(serviceName: string, methodName: string): boolean {
  return serviceName === AuthService.typeName && sessionMethods.has(methodName);
}

/** headerInterceptor adds the CSRF header and, when signed in, the bearer token. */
export function headerInterceptor(getToken: () => string | undefined): Interceptor {
  return (next) => async (req) => {
    req.header.set(csrfHeader, "1");
    const token = getToken();
    if (token) req.header.set("Authorization", `Bearer ${token}`);
    else req.header.delete("Authorization");
    return next(req);
  };
}

/**
 * recoveryInterceptor retries a unary call once after an Unauthenticated
 * answer, if the session could be refreshed (de-duplicated in Session).
 */
export function recoveryInterceptor(tokens: TokenSource): Interceptor {
  return (next) => async (req) => {
    const used = tokens.getAccessToken();
    try {
      return await next(req);
    } catch (err) {
      const ce = ConnectError.from(err);
      if (ce.code !== Code.Unauthenticated || req.stream || isSessionMethod(req.service.typeName, req.method.name)) {
        throw err;
      }
      if (!(await tokens.recover(used))) throw err;
      const token = tokens.getAccessToken();
      if (token) req.header.set("Authorization", `Bearer ${token}`);
      return next(req);
    }
  };
}

function baseTransport(baseUrl: string, interceptors: Interceptor[]): Transport {
  return createConnectTransport({
    baseUrl,
    useBinaryFormat: true,
    interceptors,
    // Same origin only: the refresh cookie is sent, nothing goes elsewhere.
    fetch: (input, init) => globalThis.fetch(input, { ...init, credentials: "same-origin" }),
  });
}

/** createAuthApi gives the session its calls, over a transport that never refreshes by itself. */
export function createAuthApi(baseUrl: string, getToken: () => string | undefined): AuthApi {
  const client = createClient(AuthService, baseTransport(baseUrl, [headerInterceptor(getToken)]));
  return {
    login: (email, password) => client.login({ email, password }),
    refresh: () => client.refresh({}),
    logout: () => client.logout({}),
  };
}

/**
 * createAppTransport is the transport for everything else. The recovery
 * interceptor is outermost so that its retry passes through the header
 * interceptor again and picks up the new token.
 */
export function createAppTransport(baseUrl: string, tokens: TokenSource): Transport {
  return baseTransport(baseUrl, [
    recoveryInterceptor(tokens),
    headerInterceptor(() => tokens.getAccessToken()),
  ]);
}
