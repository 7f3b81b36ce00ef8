// A fake SMS gateway for the browser tests, in the Playwright runner's own
// process (as smtp.ts is for mail): the zeugo server's outbox posts each
// SMS to it exactly as to a real gateway (outbox.HTTPGateway: POST JSON
// {"id", "to", "text"} with "Authorization: Bearer <token>" and an
// Idempotency-Key), and every accepted message is written as JSON under
// <dir>, where the tests read it (waitForSms). A repeated id is dropped as
// a gateway honouring the key would; a wrong token is refused with 401.
import { mkdirSync, readdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { expect } from "@playwright/test";
import { required, smsDirVar } from "./environment.js";

/** What the tests read of a sent SMS. */
export type ReceivedSms = { id: string; to: string; text: string };

export type RunningGateway = { server: Server; url: string; token: string };

/** startGateway listens on a free port of 127.0.0.1 and stores messages under dir. */
export async function startGateway(dir: string, token: string): Promise<RunningGateway> {
  mkdirSync(dir, { recursive: true });
  const seen = new Set<string>();
  let n = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      if (req.method !== "POST" || req.url !== "/sms") {
        res.writeHead(404).end();
        return;
      }
      if (req.headers.authorization !== `Bearer ${token}`) {
        res.writeHead(401).end();
        return;
      }
      let msg: ReceivedSms;
      try {
        msg = JSON.parse(Buffer.concat(chunks).toString("utf8")) as ReceivedSms;
      } catch {
        res.writeHead(400).end();
        return;
      }
      if (typeof msg.id !== "string" || typeof msg.to !== "string" || typeof msg.text !== "string" || req.headers["idempotency-key"] !== msg.id) {
        res.writeHead(400).end();
        return;
      }
      if (!seen.has(msg.id)) {
        seen.add(msg.id);
        n += 1;
        writeFileSync(join(dir, `${String(n).padStart(5, "0")}.json`), JSON.stringify({ id: msg.id, to: msg.to, text: msg.text }));
      }
      res.writeHead(202, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}/sms`, token };
}

/** sent lists the messages to a number, oldest first. */
export function sentTo(to: string): ReceivedSms[] {
  const dir = required(smsDirVar);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), "utf8")) as ReceivedSms)
    .filter((m) => m.to === to);
}

/**
 * waitForSmsCode waits until more than `after` messages went to the number
 * (count them with sentTo before the action that sends one) and returns
 * the six-digit code of the newest.
 */
export async function waitForSmsCode(to: string, after: number): Promise<string> {
  let text = "";
  await expect
    .poll(
      () => {
        const all = sentTo(to);
        text = all.at(-1)?.text ?? "";
        return all.length > after;
      },
      { timeout: 60_000, message: `an SMS to ${to}` },
    )
    .toBe(true);
  const code = /\b(\d{6})\b/.exec(text)?.[1];
  if (!code) throw new Error(`no code in the SMS: ${text}`);
  return code;
}
