/**
 * Runs `npm ci` when node_modules is missing or older than package-lock.json, so `npm start` and
 * `npm test` work on a fresh clone with nothing else done.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * True when dependencies must be (re)installed. npm rewrites node_modules/.package-lock.json on
 * every install, so its mtime says when node_modules last matched a lockfile.
 * @param {string} root the repository root
 * @returns {boolean}
 */
export function nodeModulesStale(root) {
  const lock = join(root, 'package-lock.json');
  const modules = join(root, 'node_modules');
  if (!existsSync(modules)) return true;
  if (!existsSync(lock)) return false;
  const marker = join(modules, '.package-lock.json');
  const installedAt = statSync(existsSync(marker) ? marker : modules).mtimeMs;
  return installedAt < statSync(lock).mtimeMs;
}

/**
 * Installs dependencies with `npm ci` when needed. Returns the npm exit code (0 when nothing to do).
 * @param {string} root
 * @param {{ log?: (line: string) => void }} [options]
 * @returns {number}
 */
export function ensureNodeModules(root, options = {}) {
  const log = options.log ?? ((line) => process.stderr.write(`${line}\n`));
  if (!nodeModulesStale(root)) return 0;
  log('wardclerk: installing dependencies (npm ci)');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['ci'], { cwd: root, stdio: 'inherit' });
  if (result.error) {
    log(`wardclerk: could not run npm: ${result.error.message}`);
    return 1;
  }
  return result.status ?? 1;
}
