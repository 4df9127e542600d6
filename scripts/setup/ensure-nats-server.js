/**
 * Makes sure nats-server is installed: when it is missing and we are root, installs Debian's
 * `nats-server` package (running `apt-get update` first only when the install fails, e.g. on a
 * fresh image with no package lists); otherwise explains the exact command to run.
 */
import { spawnSync } from 'node:child_process';
import { findNatsServer } from './find-nats-server.js';

export const INSTALL_COMMAND = 'sudo apt-get install -y nats-server';

/**
 * @param {{ log?: (line: string) => void, env?: NodeJS.ProcessEnv }} [options]
 * @returns {{ ok: true, path: string, installed: boolean } | { ok: false, message: string }}
 */
export function ensureNatsServer(options = {}) {
  const log = options.log ?? ((line) => process.stderr.write(`${line}\n`));
  const env = options.env ?? process.env;
  const found = findNatsServer(env);
  if (found) return { ok: true, path: found, installed: false };

  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot) {
    return {
      ok: false,
      message: `nats-server is not installed. Install it with:\n\n  ${INSTALL_COMMAND}\n\n` +
        'or point NATS_URL at an existing NATS server with JetStream enabled.',
    };
  }
  log('wardclerk: nats-server is missing; installing the Debian package (apt-get install -y nats-server)');
  const aptEnv = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = () => spawnSync('apt-get', ['install', '-y', 'nats-server'], { stdio: 'inherit', env: aptEnv });
  let result = install();
  if (result.status !== 0) {
    // A fresh image has no package lists: refresh them once and try again.
    log('wardclerk: apt-get install failed; running apt-get update and retrying');
    const update = spawnSync('apt-get', ['update'], { stdio: 'inherit', env: aptEnv });
    if (update.status === 0) result = install();
  }
  const path = findNatsServer(env);
  if (result.status !== 0 || !path) {
    return {
      ok: false,
      message: 'Installing nats-server with apt-get failed (see the output above). Install it by hand:\n\n' +
        '  apt-get update && apt-get install -y nats-server\n',
    };
  }
  return { ok: true, path, installed: true };
}
