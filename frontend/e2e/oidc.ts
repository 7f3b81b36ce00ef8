// A minimal OpenID Connect provider in the test process, for single
// sign-on in the browser: discovery, authorize (no login page — it signs
// in whoever the login_hint names, and answers the code at once), token
// (checks client secret and PKCE S256, signs an RS256 ID token with the
// nonce) and the JWKS. Zeugo's server reaches it on 127.0.0.1, which its
// development mode admits as an http issuer. The Go tests use mockoidc.
import { createHash, createSign, generateKeyPairSync, randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export type Provider = {
  issuer: string;
  clientId: string;
  clientSecret: string;
  close(): Promise<void>;
};

type Grant = { email: string; nonce: string; challenge: string; redirectUri: string };

const b64url = (b: Buffer | string) => Buffer.from(b).toString("base64url");

export async function startProvider(): Promise<Provider> {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const jwk = { ...publicKey.export({ format: "jwk" }), kid: "e2e", use: "sig", alg: "RS256" };
  const clientId = "zeugo-e2e";
  const clientSecret = randomBytes(16).toString("hex");
  const grants = new Map<string, Grant>();
  let issuer = "";

  const sign = (claims: Record<string, unknown>) => {
    const head = b64url(JSON.stringify({ alg: "RS256", typ: "JWT", kid: "e2e" }));
    const body = b64url(JSON.stringify(claims));
    const sig = createSign("RSA-SHA256").update(`${head}.${body}`).sign(privateKey);
    return `${head}.${body}.${b64url(sig)}`;
  };

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", issuer);
    const json = (status: number, value: unknown) => {
      res.writeHead(status, { "Content-Type": "application/json", "Cache-Control": "no-store" });
      res.end(JSON.stringify(value));
    };
    if (url.pathname === "/.well-known/openid-configuration") {
      return json(200, {
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/jwks`,
        response_types_supported: ["code"],
        subject_types_supported: ["public"],
        id_token_signing_alg_values_supported: ["RS256"],
        token_endpoint_auth_methods_supported: ["client_secret_post"],
        code_challenge_methods_supported: ["S256"],
      });
    }
    if (url.pathname === "/jwks") return json(200, { keys: [jwk] });
    if (url.pathname === "/authorize") {
      const p = url.searchParams;
      if (p.get("client_id") !== clientId || p.get("code_challenge_method") !== "S256") return json(400, { error: "invalid_request" });
      const code = randomBytes(16).toString("hex");
      grants.set(code, {
        email: p.get("login_hint") ?? "",
        nonce: p.get("nonce") ?? "",
        challenge: p.get("code_challenge") ?? "",
        redirectUri: p.get("redirect_uri") ?? "",
      });
      const back = new URL(p.get("redirect_uri") ?? "");
      back.searchParams.set("code", code);
      back.searchParams.set("state", p.get("state") ?? "");
      res.writeHead(302, { Location: back.toString() });
      return res.end();
    }
    if (url.pathname === "/token" && req.method === "POST") {
      let raw = "";
      req.on("data", (c: Buffer) => (raw += c.toString()));
      req.on("end", () => {
        const f = new URLSearchParams(raw);
        const g = grants.get(f.get("code") ?? "");
        grants.delete(f.get("code") ?? "");
        const verifier = f.get("code_verifier") ?? "";
        if (
          !g ||
          f.get("client_id") !== clientId ||
          f.get("client_secret") !== clientSecret ||
          f.get("redirect_uri") !== g.redirectUri ||
          b64url(createHash("sha256").update(verifier).digest()) !== g.challenge
        ) {
          return json(400, { error: "invalid_grant" });
        }
        const now = Math.floor(Date.now() / 1000);
        const [local] = g.email.split("@");
        const idToken = sign({
          iss: issuer,
          sub: `e2e-${g.email}`,
          aud: clientId,
          iat: now,
          exp: now + 300,
          nonce: g.nonce,
          email: g.email,
          // An address with "unverified" in it comes without the proof.
          email_verified: !g.email.includes("unverified"),
          given_name: local ? local.charAt(0).toUpperCase() + local.slice(1) : "",
          family_name: "Sso",
        });
        json(200, { access_token: randomBytes(16).toString("hex"), token_type: "Bearer", expires_in: 300, id_token: idToken });
      });
      return;
    }
    json(404, { error: "not_found" });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    issuer,
    clientId,
    clientSecret,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
