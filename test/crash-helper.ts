/**
 * Runs a crash-test helper script (gateway/care-plans/crash-supersede.ts,
 * gateway/scheduler/crash-dispatcher.ts) as its own process through bin/run-ts.js, collecting the
 * lines it prints, and SIGKILLs it once it has printed enough of them: the kill lands in the middle
 * of a long run of durable batches, which a whole gateway's timing cannot be aimed at.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { onTestFinished } from 'vitest';

const REPO_ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));

export interface CrashHelperRun {
  /** Complete lines printed (a line cut by the kill is left out). */
  lines: string[];
  /** 'SIGKILL' when the kill ended it, null when it exited by itself (with code 0). */
  signal: string | null;
}

/** SIGKILL once `count` lines starting with `prefix` were printed. */
export interface KillAfter {
  prefix: string;
  count: number;
}

/**
 * Runs `script` (a path from the repository root) with `args`; with `killAfter`, SIGKILLs it once
 * that many matching lines were printed. Rejects with its stderr when it exits non-zero by itself
 * or runs past 60 s. A helper still running when the test ends is killed.
 */
export function runCrashHelper(script: string, args: string[], killAfter?: KillAfter): Promise<CrashHelperRun> {
  const child = spawn(process.execPath, ['bin/run-ts.js', script, ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  onTestFinished(() => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL'); });
  let out = '';
  let err = '';
  const printed = (): number => out.split('\n').filter((l) => killAfter && l.startsWith(killAfter.prefix)).length;
  child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    if (killAfter && child.signalCode === null && printed() >= killAfter.count) child.kill('SIGKILL');
  });
  return new Promise((ok, fail) => {
    const deadline = setTimeout(() => { child.kill('SIGKILL'); fail(new Error(`${script} timed out; stderr: ${err}`)); }, 60_000);
    child.on('close', (code, signal) => {
      clearTimeout(deadline);
      if (code !== 0 && signal !== 'SIGKILL') fail(new Error(`${script} exited ${code}; stderr: ${err}`));
      else ok({ lines: out.split('\n').slice(0, -1), signal });
    });
  });
}
