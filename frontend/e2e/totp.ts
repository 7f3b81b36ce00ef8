// RFC 6238 time-based one-time passwords (HMAC-SHA1, 30-second steps, six
// digits), as an authenticator app computes them, for the browser tests.
import { createHmac } from "node:crypto";

const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const stepSeconds = 30;

/** base32Decode reads an RFC 4648 base32 secret (spaces, padding and case ignored). */
export function base32Decode(text: string): Buffer {
  const clean = text.replace(/[\s=]/g, "").toUpperCase();
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (const ch of clean) {
    const i = alphabet.indexOf(ch);
    if (i < 0) throw new Error(`not base32: ${ch}`);
    value = (value << 5) | i;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** hotp is RFC 4226's code for a counter. */
export function hotp(key: Buffer, counter: number): string {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac("sha1", key).update(msg).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const bin = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return bin.toString().padStart(6, "0");
}

/** stepAt is the time step of a moment (ms since the epoch). */
export function stepAt(ms: number): number {
  return Math.floor(ms / 1000 / stepSeconds);
}

/** totpAt is the code of a secret for a time step. */
export function totpAt(secret: string, step: number): string {
  return hotp(base32Decode(secret), step);
}

/**
 * TotpApp plays an authenticator app that never hands out a code of a step
 * the server has seen already (a code is good once, RFC 6238 §5.2). The
 * server accepts the steps next to its own, so the next code may be the
 * following step's; only when that one is used too does it wait for time
 * to move on.
 */
export class TotpApp {
  private lastStep = 0;

  constructor(readonly secret: string) {}

  /** code returns a code the server has not seen yet. */
  async code(): Promise<string> {
    let now = stepAt(Date.now());
    const step = Math.max(now, this.lastStep + 1);
    while (step > now + 1) {
      // Both steps the server would take are used: wait for the clock.
      await new Promise((r) => setTimeout(r, (now + 1) * stepSeconds * 1000 - Date.now() + 50));
      now = stepAt(Date.now());
    }
    this.lastStep = step;
    return totpAt(this.secret, step);
  }
}
