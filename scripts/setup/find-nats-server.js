/**
 * Locates the nats-server binary. Plain JavaScript (no dependencies) because `npm start` and
 * `npm test` call it before node_modules exists; the supervisor and the test helpers use it too.
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Debian installs to /usr/sbin, which a non-root PATH often lacks, so look there as well. */
const EXTRA_DIRS = ['/usr/sbin', '/usr/local/bin', '/usr/bin', '/sbin'];

/**
 * Returns the absolute path of an executable nats-server, or null when none is installed.
 * `NATS_SERVER_BIN` (a path) wins when set, so a hand-built server can be used.
 * @param {NodeJS.ProcessEnv} [env]
 * @returns {string | null}
 */
export function findNatsServer(env = process.env) {
  const candidates = [];
  if (env.NATS_SERVER_BIN) candidates.push(env.NATS_SERVER_BIN);
  for (const dir of [...(env.PATH ?? '').split(delimiter), ...EXTRA_DIRS]) {
    if (dir) candidates.push(join(dir, 'nats-server'));
  }
  for (const file of candidates) {
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not here; try the next place
    }
  }
  return null;
}
