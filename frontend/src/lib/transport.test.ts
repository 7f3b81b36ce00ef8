import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, createRouterTransport, createClient } from "@connectrpc/connect";
import { describe, expect, it, vi } from "vitest";
import { AuthService, PrincipalSchema } from "../gen/zeugo/v1/auth_pb.js";
import { OrganizationService } from "../gen/zeugo/v1/organization_pb.js";
import { csrfHeader, headerInterceptor, recoveryInterceptor, type TokenSource } from "./transport.js";

/** A token source whose recover() swaps in a new token, like a successful refresh. */
function tokenSource(initial: string | undefined, recoverable: boolean) {
  let token = initial;
  const recover = vi.fn(async (used: string | undefined) => {
    if (!recoverable) return false;
    if (token !== used) return true;
    token = `${used ?? "none"}-renewed`;
    return true;
  });
  const src: TokenSource = { getAccessToken: () => token, recover };
  return { src, recover };
}

describe("interceptors", () => {
  it("send the CSRF header and the bearer token, then retry once after a refresh", async () => {
    const seen: { auth: string | null; csrf: string | null }[] = [];
    const { src, recover } = tokenSource("t1", true);
    const transport = createRouterTransport(
      ({ service }) => {
        service(OrganizationService, {
          listCompanies(_req, ctx) {
            const auth = ctx.requestHeader.get("Authorization");
            seen.push({ auth, csrf: ctx.requestHeader.get(csrfHeader) });
            if (auth !== "Bearer t1-renewed") throw new ConnectError("expired", Code.Unauthenticated);
            return { companies: [] };
          },
        });
      },
      { transport: { interceptors: [recoveryInterceptor(src), headerInterceptor(() => src.getAccessToken())] } },
    );
    const client = createClient(OrganizationService, transport);
    await expect(client.listCompanies({})).resolves.toMatchObject({ companies: [] });
    expect(seen).toEqual([
      { auth: "Bearer t1", csrf: "1" },
      { auth: "Bearer t1-renewed", csrf: "1" },
    ]);
    expect(recover).toHaveBeenCalledTimes(1);
  });

  it("give up after one retry and when the session cannot be recovered", async () => {
    let calls = 0;
    const { src } = tokenSource("t1", false);
    const transport = createRouterTransport(
      ({ service }) => {
        service(OrganizationService, {
          listCompanies() {
            calls++;
            throw new ConnectError("expired", Code.Unauthenticated);
          },
        });
      },
      { transport: { interceptors: [recoveryInterceptor(src), headerInterceptor(() => src.getAccessToken())] } },
    );
    await expect(createClient(OrganizationService, transport).listCompanies({})).rejects.toMatchObject({
      code: Code.Unauthenticated,
    });
    expect(calls).toBe(1);
  });

  it("never refresh for the session calls themselves, and for other errors", async () => {
    const { src, recover } = tokenSource("t1", true);
    const transport = createRouterTransport(
      ({ service }) => {
        service(AuthService, {
          refresh() {
            throw new ConnectError("no cookie", Code.Unauthenticated);
          },
          // A lapsed second-factor challenge is the login's business, not the token's.
          verifySecondFactor() {
            throw new ConnectError("challenge gone", Code.Unauthenticated);
          },
          me() {
            return { principal: create(PrincipalSchema, { userId: "u" }) };
          },
        });
        service(OrganizationService, {
          getCompany() {
            throw new ConnectError("gone", Code.NotFound);
          },
        });
      },
      { transport: { interceptors: [recoveryInterceptor(src), headerInterceptor(() => src.getAccessToken())] } },
    );
    await expect(createClient(AuthService, transport).refresh({})).rejects.toMatchObject({ code: Code.Unauthenticated });
    await expect(
      createClient(AuthService, transport).verifySecondFactor({ challengeToken: "c", proof: { case: "totpCode", value: "123456" } }),
    ).rejects.toMatchObject({ code: Code.Unauthenticated });
    await expect(createClient(OrganizationService, transport).getCompany({ id: "x" })).rejects.toMatchObject({
      code: Code.NotFound,
    });
    expect(recover).not.toHaveBeenCalled();
  });

  it("omit Authorization when signed out", async () => {
    let auth: string | null = "unset";
    const transport = createRouterTransport(
      ({ service }) => {
        service(AuthService, {
          refresh(_req, ctx) {
            auth = ctx.requestHeader.get("Authorization");
            return {};
          },
        });
      },
      { transport: { interceptors: [headerInterceptor(() => undefined)] } },
    );
    await createClient(AuthService, transport).refresh({});
    expect(auth).toBeNull();
  });
});
