// Names of the values global-setup.ts hands to the tests and the teardown
// (through process.env, which the worker processes inherit).

/** The server's base URL, e.g. https://localhost:41234. */
export const baseUrlVar = "ZEUGO_E2E_BASE_URL";
/** The demo administrator's email and password. */
export const adminEmailVar = "ZEUGO_E2E_ADMIN_EMAIL";
export const adminPasswordVar = "ZEUGO_E2E_ADMIN_PASSWORD";
/** The directory where the test relay stores received mails (smtp.ts). */
export const mailDirVar = "ZEUGO_E2E_MAIL_DIR";
/** The directory where the fake SMS gateway stores sent messages (sms.ts). */
export const smsDirVar = "ZEUGO_E2E_SMS_DIR";
/** A JSON file describing what the teardown must remove. */
export const stateFileVar = "ZEUGO_E2E_STATE";

/** What global-setup created, for global-teardown. */
export type E2eState = {
  serverPid?: number;
  databaseName?: string;
  maintenanceUrl?: string;
  tempDir?: string;
};

export function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set; did global-setup run?`);
  return value;
}
