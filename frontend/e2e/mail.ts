// Reading the mails the zeugo server sent to the test relay (smtp.ts).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "@playwright/test";
import { mailDirVar, required } from "./environment.js";
import type { ReceivedMail } from "./smtp.js";

function received(): ReceivedMail[] {
  const dir = required(mailDirVar);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), "utf8")) as ReceivedMail);
}

/** waitForMail waits for the latest mail to `to` whose subject matches. */
export async function waitForMail(to: string, subject: RegExp): Promise<ReceivedMail> {
  let found: ReceivedMail | undefined;
  await expect
    .poll(
      () => {
        found = received()
          .filter((m) => m.to.some((a) => a.toLowerCase() === to.toLowerCase()) && subject.test(m.subject))
          .at(-1);
        return found !== undefined;
      },
      { timeout: 60_000, message: `a mail to ${to} with subject ${subject}` },
    )
    .toBe(true);
  return found as ReceivedMail;
}

/** linkIn returns the first link of the mail's text that starts with prefix. */
export function linkIn(mail: ReceivedMail, prefix: string): string {
  const link = mail.text.split(/\s+/).find((w) => w.startsWith(prefix));
  if (!link) throw new Error(`no link starting with ${prefix} in:\n${mail.text}`);
  return link;
}
