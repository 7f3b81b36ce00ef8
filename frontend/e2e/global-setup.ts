// Starts the real server for the browser tests:
//  1. the binary from ZEUGO_BIN (default ../.bin/zeugo, built by the Makefile),
//  2. a fresh database zeugo_e2e_<random> next to ZEUGO_TEST_DATABASE_URL,
//     created and migrated by `zeugo migrate`,
//  3. the demo tenant with a random strong password (`zeugo demo`),
//  4. `zeugo serve` on a free port; its URL arrives in ZEUGO_ADDR_FILE;
//     its mails go to a test SMTP server (smtp.ts), its SMS to a fake
//     gateway (sms.ts), both in this process.
// Set ZEUGO_E2E_BASE_URL (+ ZEUGO_E2E_ADMIN_PASSWORD) to test a server that
// is already running instead.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { adminEmailVar, adminPasswordVar, baseUrlVar, mailDirVar, smsDirVar, stateFileVar, type E2eState } from "./environment.js";
import globalTeardown from "./global-teardown.js";
import { startGateway } from "./sms.js";
import { startRelay } from "./smtp.js";

const frontendDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const defaultDatabaseUrl = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable";
const demoEmail = "admin@muster.example";
const addrTimeoutMs = 60_000;

function run(bin: string, args: string[], env: NodeJS.ProcessEnv, what: string): string {
  const res = spawnSync(bin, args, { env, encoding: "utf8", timeout: 120_000 });
  if (res.error) throw new Error(`${what}: ${res.error.message}`);
  if (res.status !== 0) {
    throw new Error(`${what} exited with ${res.status}:\n${res.stdout}\n${res.stderr}`);
  }
  return res.stdout + res.stderr;
}

async function waitForFile(path: string, child: { exitCode: number | null }, logPath: string): Promise<string> {
  const deadline = Date.now() + addrTimeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`zeugo serve exited with ${child.exitCode} before listening; see ${logPath}`);
    }
    if (existsSync(path)) {
      const text = readFileSync(path, "utf8").trim();
      if (text !== "") return text;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`zeugo serve did not write ${path} within ${addrTimeoutMs / 1000} s; see ${logPath}`);
}

/** A password that satisfies any sensible policy: upper, lower, digit, symbol, 24+ chars. */
function strongPassword(): string {
  return `Zg-${randomBytes(15).toString("base64url")}-7a!Q`;
}

export default async function globalSetup(): Promise<void> {
  try {
    await setUp();
  } catch (err) {
    // Playwright skips the teardown when the setup fails: clean up here.
    await globalTeardown();
    throw err;
  }
}

async function setUp(): Promise<void> {
  if (process.env[baseUrlVar]) {
    process.env[adminEmailVar] ??= demoEmail;
    if (!process.env[adminPasswordVar]) throw new Error(`${baseUrlVar} is set; set ${adminPasswordVar} too`);
    return;
  }

  const bin = resolve(frontendDir, process.env.ZEUGO_BIN ?? "../.bin/zeugo");
  if (!existsSync(bin)) {
    throw new Error(`server binary ${bin} not found: build it (make) or set ZEUGO_BIN`);
  }

  const tempDir = mkdtempSync(join(tmpdir(), "zeugo-e2e-"));
  const state: E2eState = { tempDir };
  const stateFile = join(tempDir, "state.json");
  const save = () => writeFileSync(stateFile, JSON.stringify(state));
  process.env[stateFileVar] = stateFile;
  save();

  const maintenanceUrl = process.env.ZEUGO_TEST_DATABASE_URL ?? defaultDatabaseUrl;
  const databaseName = `zeugo_e2e_${randomBytes(6).toString("hex")}`;
  const dbUrl = new URL(maintenanceUrl);
  dbUrl.pathname = `/${databaseName}`;
  state.databaseName = databaseName;
  state.maintenanceUrl = maintenanceUrl;
  save();

  const dataDir = join(tempDir, "data");
  mkdirSync(dataDir);
  const addrFile = join(tempDir, "addr");
  const password = strongPassword();
  // The outbox delivers to a real SMTP server in this process (smtp.ts).
  const mailDir = join(tempDir, "mail");
  const relay = await startRelay(mailDir);
  (globalThis as { zeugoRelay?: typeof relay.server }).zeugoRelay = relay.server;
  process.env[mailDirVar] = mailDir;
  // SMS go to a fake gateway in this process too (sms.ts).
  const smsDir = join(tempDir, "sms");
  const gateway = await startGateway(smsDir, randomBytes(16).toString("hex"));
  (globalThis as { zeugoSmsGateway?: typeof gateway.server }).zeugoSmsGateway = gateway.server;
  process.env[smsDirVar] = smsDir;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ZEUGO_ENV: "development",
    ZEUGO_DATABASE_URL: dbUrl.toString(),
    ZEUGO_DATA_DIR: dataDir,
    ZEUGO_LISTEN_ADDR: "localhost:0",
    ZEUGO_ADDR_FILE: addrFile,
    ZEUGO_DEMO_PASSWORD: password,
    ZEUGO_SMTP_RELAY: relay.address,
    ZEUGO_SMTP_TLS: "starttls",
    ZEUGO_SMTP_CA_FILE: relay.caFile,
    ZEUGO_MAIL_FROM: "zeugo@muster.example",
    ZEUGO_SMS_GATEWAY_URL: gateway.url,
    ZEUGO_SMS_GATEWAY_TOKEN: gateway.token,
  };

  run(bin, ["migrate"], env, "zeugo migrate");
  run(bin, ["demo"], env, "zeugo demo");

  const logDir = join(frontendDir, "test-results");
  mkdirSync(logDir, { recursive: true });
  const logPath = join(logDir, "server.log");
  const log = createWriteStream(logPath);
  const child = spawn(bin, ["serve"], { env, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  state.serverPid = child.pid;
  save();
  // The teardown runs in this process; it may also use the handle.
  (globalThis as { zeugoServer?: typeof child }).zeugoServer = child;

  const baseUrl = await waitForFile(addrFile, child, logPath);
  process.env[baseUrlVar] = baseUrl.replace(/\/$/, "");
  process.env[adminEmailVar] = demoEmail;
  process.env[adminPasswordVar] = password;
}
