// Stops the server started by global-setup.ts and drops its database.
import type { ChildProcess } from "node:child_process";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { stateFileVar, type E2eState } from "./environment.js";

async function stopServer(state: E2eState): Promise<void> {
  const child = (globalThis as { zeugoServer?: ChildProcess }).zeugoServer;
  const pid = child?.pid ?? state.serverPid;
  if (!pid) return;
  const exited = child
    ? new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) resolve();
        else child.once("exit", () => resolve());
      })
    : Promise.resolve();
  try {
    process.kill(pid, "SIGTERM");
  } catch {
    return; // already gone
  }
  const timeout = new Promise<"timeout">((resolve) => setTimeout(() => resolve("timeout"), 15_000));
  if ((await Promise.race([exited, timeout])) === "timeout") {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // gone meanwhile
    }
  }
}

/** stopRelay closes the test SMTP server (smtp.ts) and SMS gateway (sms.ts) after the zeugo server stopped. */
async function stopRelay(): Promise<void> {
  const g = globalThis as { zeugoRelay?: { close(cb: () => void): void }; zeugoSmsGateway?: { close(cb: () => void): void } };
  for (const s of [g.zeugoRelay, g.zeugoSmsGateway]) {
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  }
}

function dropDatabase(state: E2eState): void {
  if (!state.databaseName || !state.maintenanceUrl) return;
  if (!/^zeugo_e2e_[0-9a-f]+$/.test(state.databaseName)) throw new Error(`refusing to drop ${state.databaseName}`);
  const res = spawnSync("psql", [state.maintenanceUrl, "-v", "ON_ERROR_STOP=1", "-c", `DROP DATABASE IF EXISTS "${state.databaseName}" WITH (FORCE)`], {
    encoding: "utf8",
    timeout: 60_000,
  });
  if (res.status !== 0) console.error(`could not drop ${state.databaseName}: ${res.stderr || res.error?.message}`);
}

export default async function globalTeardown(): Promise<void> {
  const stateFile = process.env[stateFileVar];
  if (!stateFile || !existsSync(stateFile)) return;
  const state = JSON.parse(readFileSync(stateFile, "utf8")) as E2eState;
  await stopServer(state);
  await stopRelay();
  dropDatabase(state);
  if (state.tempDir) rmSync(state.tempDir, { recursive: true, force: true });
}
