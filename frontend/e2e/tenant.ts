// A tenant of its own for a browser test, made with the operator's
// `zeugo tenant create` against the run's database: tests that change
// tenant-wide settings (e.g. the second-factor requirement) or the admin's
// own login then cannot disturb the specs that share the demo tenant.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { stateFileVar, type E2eState } from "./environment.js";

const frontendDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** ownTenantsPossible: only when global-setup started the server itself (not against ZEUGO_E2E_BASE_URL). */
export function ownTenantsPossible(): boolean {
  const file = process.env[stateFileVar];
  if (!file) return false;
  const state = JSON.parse(readFileSync(file, "utf8")) as E2eState;
  return state.databaseName !== undefined && state.maintenanceUrl !== undefined && state.tempDir !== undefined;
}

/** createTenant makes a tenant with its first administrator and returns the administrator's login. */
export function createTenant(opts: { name: string; adminEmail: string; requireMfa: boolean }): { email: string; password: string } {
  const file = process.env[stateFileVar];
  if (!file) throw new Error(`${stateFileVar} is not set; did global-setup run?`);
  const state = JSON.parse(readFileSync(file, "utf8")) as E2eState;
  if (!state.databaseName || !state.maintenanceUrl || !state.tempDir) throw new Error("the server was not started by global-setup");
  const dbUrl = new URL(state.maintenanceUrl);
  dbUrl.pathname = `/${state.databaseName}`;
  const bin = resolve(frontendDir, process.env.ZEUGO_BIN ?? "../.bin/zeugo");
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ZEUGO_ENV: "development",
    ZEUGO_DATABASE_URL: dbUrl.toString(),
    ZEUGO_DATA_DIR: join(state.tempDir, "data"),
  };
  const res = spawnSync(
    bin,
    ["tenant", "create", "--name", opts.name, "--admin-email", opts.adminEmail, "--admin-first-name", "Ada", "--admin-last-name", "Admin", `--require-mfa=${opts.requireMfa}`],
    { env, encoding: "utf8", timeout: 60_000 },
  );
  if (res.error) throw res.error;
  if (res.status !== 0) throw new Error(`zeugo tenant create exited with ${res.status}:\n${res.stdout}\n${res.stderr}`);
  const password = /password:\s+(\S+)/.exec(res.stdout)?.[1];
  if (!password) throw new Error(`no password in the output of zeugo tenant create:\n${res.stdout}`);
  return { email: opts.adminEmail.toLowerCase(), password };
}

/**
 * lapseStepUps makes every step-up in a tenant's sessions older than the
 * five minutes it counts, as if the test had waited: a sign-in with a
 * second factor counts as a step-up, and a test of the step-up itself
 * should not sleep. Straight in the run's database (as its owner).
 */
export function lapseStepUps(tenantName: string): void {
  const file = process.env[stateFileVar];
  if (!file) throw new Error(`${stateFileVar} is not set; did global-setup run?`);
  const state = JSON.parse(readFileSync(file, "utf8")) as E2eState;
  if (!state.databaseName || !state.maintenanceUrl) throw new Error("the server was not started by global-setup");
  const dbUrl = new URL(state.maintenanceUrl);
  dbUrl.pathname = `/${state.databaseName}`;
  const res = spawnSync("psql", [dbUrl.toString(), "-v", "ON_ERROR_STOP=1", "-v", `name=${tenantName}`], {
    input: "UPDATE sessions SET step_up_at = step_up_at - interval '1 hour' WHERE step_up_at IS NOT NULL AND tenant_id = (SELECT id FROM tenants WHERE name = :'name');\n",
    encoding: "utf8",
    timeout: 30_000,
  });
  if (res.status !== 0) throw new Error(`psql: ${res.stderr || res.error?.message}`);
}
