// Calls of the server's API from a spec, beside the browser: test data set
// up quickly, without clicking through forms that other specs cover.
import type { APIRequestContext } from "@playwright/test";

/**
 * rpc calls a Connect method with JSON, as the SPA's transport would (CSRF
 * header, bearer token), through Playwright's request context, which
 * accepts the server's development certificate.
 */
export async function rpc<T>(request: APIRequestContext, method: string, body: unknown, token?: string): Promise<T> {
  const res = await request.post(`/zeugo.v1.${method}`, {
    headers: {
      "Content-Type": "application/json",
      "Zeugo-CSRF": "1",
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
    },
    data: body,
  });
  if (!res.ok()) throw new Error(`${method}: ${res.status()} ${await res.text()}`);
  return (await res.json()) as T;
}

/** apiToken signs in through the API and returns the access token. */
export async function apiToken(request: APIRequestContext, email: string, password: string): Promise<string> {
  const res = await rpc<{ tokens?: { accessToken?: string } }>(request, "AuthService/Login", { email, password });
  const token = res.tokens?.accessToken;
  if (!token) throw new Error("login answered without an access token");
  return token;
}
