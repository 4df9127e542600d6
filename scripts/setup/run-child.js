/**
 * Runs a command with inherited stdio as the foreground work of this script: forwards SIGINT,
 * SIGTERM and SIGHUP to it and resolves with its exit code (128 + signal number when it was
 * killed by a signal), so `npm start` / `npm test` exit exactly as their child did.
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';

const FORWARDED = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * @param {string} command
 * @param {string[]} args
 * @param {{ cwd?: string, env?: NodeJS.ProcessEnv }} [options]
 * @returns {Promise<number>}
 */
export function runChild(command, args, options = {}) {
  return new Promise((resolvePromise) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: 'inherit' });
    // A terminal's Ctrl-C reaches the child directly too; the child treats a repeated signal as
    // one request, so forwarding is harmless there and needed under `kill <pid>` or systemd.
    const forward = (signal) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    };
    for (const signal of FORWARDED) process.on(signal, forward);
    child.on('error', (error) => {
      process.stderr.write(`wardclerk: could not start ${command}: ${error.message}\n`);
      for (const signal of FORWARDED) process.off(signal, forward);
      resolvePromise(127);
    });
    child.on('exit', (code, signal) => {
      for (const s of FORWARDED) process.off(s, forward);
      resolvePromise(code ?? 128 + (signal ? constants.signals[signal] ?? 0 : 0));
    });
  });
}
