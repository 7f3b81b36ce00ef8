// A real SMTP server for the browser tests, in the Playwright runner's own
// process: the zeugo server delivers its outbox to it over STARTTLS (TLS ≥
// 1.2, verified against a certificate made for this run), and every
// received mail is parsed and written as JSON under <dir>, where the tests
// read it (mail.ts). Nothing leaves the machine.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

/** What the tests read of a received mail. */
export type ReceivedMail = { to: string[]; subject: string; text: string; html: string; messageId: string };

export type RunningRelay = { server: SMTPServer; address: string; caFile: string };

/** startRelay listens on a free port of 127.0.0.1 and stores mails under dir. */
export async function startRelay(dir: string): Promise<RunningRelay> {
  mkdirSync(dir, { recursive: true });
  const keyFile = join(dir, "..", "smtp-key.pem");
  const certFile = join(dir, "..", "smtp-cert.pem");
  const res = spawnSync(
    "openssl",
    ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "1", "-subj", "/CN=localhost",
      "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", keyFile, "-out", certFile],
    { encoding: "utf8", timeout: 30_000 },
  );
  if (res.status !== 0) throw new Error(`openssl: ${res.stderr || res.error?.message}`);
  let n = 0;
  const server = new SMTPServer({
    secure: false,
    key: readFileSync(keyFile),
    cert: readFileSync(certFile),
    minVersion: "TLSv1.2",
    authOptional: true,
    disabledCommands: ["AUTH"],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          const to = (Array.isArray(mail.to) ? mail.to : mail.to ? [mail.to] : []).flatMap((a) => a.value.map((v) => v.address ?? ""));
          const received: ReceivedMail = {
            to,
            subject: mail.subject ?? "",
            text: mail.text ?? "",
            html: typeof mail.html === "string" ? mail.html : "",
            messageId: mail.messageId ?? "",
          };
          n += 1;
          writeFileSync(join(dir, `${String(n).padStart(5, "0")}.json`), JSON.stringify(received));
          callback();
        })
        .catch((err: Error) => callback(err));
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  return { server, address: `localhost:${port}`, caFile: certFile };
}
