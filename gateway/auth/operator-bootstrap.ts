/**
 * Creates the appliance operator ('admin') on first start. The password is WARDCLERK_ADMIN_PASSWORD
 * when set, else a generated one written once to `<dataDir>/initial-admin.txt` (0600). Only an
 * Argon2id hash is stored. A later start never changes the stored password.
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from '../../core/config.js';
import { hashPassword, newId, verifyPassword } from '../../core/crypto.js';
import type { Logger } from '../../core/logger.js';
import type { AuthStore } from './store-port.js';

/** The operator's login name (the API takes it in the `email` field). */
export const OPERATOR_EMAIL = 'admin';
export const INITIAL_ADMIN_FILE = 'initial-admin.txt';

export interface OperatorBootstrap {
  email: string;
  /** Where the generated first password lies, while that file exists; null when none was generated. */
  passwordFile: string | null;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
}

/** Writes the file atomically with mode 0600 (the temp file is 0600 from birth). */
async function writeSecretFile(path: string, contents: string): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, contents, { mode: 0o600, flag: 'w' });
  await chmod(tmp, 0o600); // a pre-existing tmp keeps its old mode under writeFile; make sure
  await rename(tmp, path);
}

/**
 * Ensures the operator exists. First start: stores an Argon2id hash of the configured password, or
 * of a generated one written to initial-admin.txt. Later starts: leaves the stored hash alone and
 * warns (without the password) when WARDCLERK_ADMIN_PASSWORD no longer matches it.
 */
export async function ensureOperator(deps: {
  store: Pick<AuthStore, 'system'>;
  config: Pick<Config, 'dataDir' | 'adminPassword'>;
  log: Pick<Logger, 'info' | 'warn'>;
}): Promise<OperatorBootstrap> {
  const { store, config, log } = deps;
  const file = join(config.dataDir, INITIAL_ADMIN_FILE);
  const existing = await store.system.getOperatorByEmail(OPERATOR_EMAIL);
  if (existing) {
    if (config.adminPassword !== undefined && !(await verifyPassword(existing.password_hash, config.adminPassword))) {
      log.warn({ event: 'operator.password_env_ignored' }, 'WARDCLERK_ADMIN_PASSWORD differs from the stored operator password; the stored one is kept');
    }
    return { email: OPERATOR_EMAIL, passwordFile: config.adminPassword === undefined && (await exists(file)) ? file : null };
  }

  let password = config.adminPassword;
  let passwordFile: string | null = null;
  if (password === undefined) {
    password = randomBytes(24).toString('base64url');
    await mkdir(config.dataDir, { recursive: true });
    // Written before the operator is stored: a crash in between leaves a file for a password that
    // the next start replaces, never an operator whose password nobody has.
    await writeSecretFile(
      file,
      `${password}\n# The first password of the WardClerk operator (login "${OPERATOR_EMAIL}"). Change it after signing in, then delete this file.\n`,
    );
    passwordFile = file;
  }
  await store.system.putOperator({
    id: newId('op'),
    email: OPERATOR_EMAIL,
    password_hash: await hashPassword(password),
    created_at: new Date().toISOString(),
  });
  log.info({ event: 'operator.created', password_source: passwordFile ? 'generated' : 'env' }, 'operator account created');
  return { email: OPERATOR_EMAIL, passwordFile };
}
