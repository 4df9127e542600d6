/**
 * Notices when the processes that launched this one are gone. `kill <pid of npm start>` sends
 * SIGTERM to npm alone: npm exits, but the shell it ran, this script and the supervisor would be
 * left running without a parent (and a second `npm start` would then fight them for the data
 * dir). Each link of the chain therefore watches its ancestors up to the npm process that started
 * it (or its direct parent when npm did not) and stops itself when one of them disappears.
 * Linux reads ancestry from /proc; elsewhere only the direct parent is watched (ppid changes).
 * Plain JavaScript: it runs before node_modules exists.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

const MAX_DEPTH = 4;

/** @param {number} pid @returns {number | null} */
function parentOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid …": comm may hold spaces and parentheses, so split after the last ")".
    const ppid = Number.parseInt(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1] ?? '', 10);
    return Number.isFinite(ppid) ? ppid : null;
  } catch {
    return null;
  }
}

/** @param {number} pid */
function isNpm(pid) {
  // npm and npx both run scripts through a shell they wait on; either is the launcher to watch.
  try {
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return argv.slice(0, 2).some((a) => ['npm', 'npx', 'npm-cli.js', 'npx-cli.js'].includes(basename(a)));
  } catch {
    return false;
  }
}

/**
 * The ancestors worth watching: from the parent up to and including the nearest npm process,
 * or the parent alone when there is no npm within a few levels.
 * @returns {number[]}
 */
export function launchingAncestors() {
  const chain = [];
  let pid = process.ppid;
  for (let depth = 0; depth < MAX_DEPTH && pid > 1; depth++) {
    chain.push(pid);
    if (isNpm(pid)) return chain;
    const next = parentOf(pid);
    if (next === null) break;
    pid = next;
  }
  return chain.slice(0, 1);
}

/** @param {number} pid */
function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return /** @type {NodeJS.ErrnoException} */ (error).code === 'EPERM';
  }
}

/**
 * Calls `onGone` once when a launching ancestor has exited (checked every `intervalMs`).
 * @param {() => void} onGone
 * @param {number} [intervalMs]
 * @returns {() => void} stops watching
 */
export function watchParents(onGone, intervalMs = 500) {
  const watched = launchingAncestors();
  const firstParent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid !== firstParent || watched.some((pid) => !alive(pid))) {
      clearInterval(timer);
      onGone();
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
