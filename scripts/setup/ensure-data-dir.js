/**
 * Creates the data directory (WARDCLERK_DATA_DIR, default ./data) readable by its owner only:
 * it holds the master key, the encrypted store and the JetStream files.
 */
import { chmodSync, mkdirSync, statSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * Resolves the data dir the same way core/config.ts does (relative to the working directory).
 * @param {NodeJS.ProcessEnv} [env]
 * @returns {string}
 */
export function dataDirFromEnv(env = process.env) {
  return resolve(env.WARDCLERK_DATA_DIR || './data');
}

/**
 * Creates `dir` (and parents) with mode 0700; tightens an existing one we own to 0700.
 * @param {string} dir
 * @returns {string} the absolute path
 */
export function ensureDataDir(dir) {
  const path = resolve(dir);
  mkdirSync(path, { recursive: true, mode: 0o700 });
  const st = statSync(path);
  const mine = typeof process.getuid !== 'function' || st.uid === process.getuid();
  if (mine && (st.mode & 0o077) !== 0) chmodSync(path, 0o700);
  return path;
}
