/**
 * Stopping process trees. Children are spawned `detached` (their own process group) so that a
 * terminal's Ctrl-C reaches only the supervisor, which then stops them in order; signalling the
 * group (negative pid) also reaches anything a role started itself, so nothing is orphaned.
 */
import type { ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** The state letter from /proc/<pid>/stat ('Z' for a zombie), or null when unreadable. */
function procState(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state …": comm may contain spaces and parentheses, so look after the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0] ?? null;
  } catch {
    return null;
  }
}

/** True while a process with this pid exists and is not a zombie (dead, not yet reaped). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  return procState(pid) !== 'Z';
}

/**
 * True while a live (non-zombie) process is left in the process group `pgid`. Zombies are
 * skipped: they are dead, and an init that reaps orphans lazily (some container inits take a
 * second or more) would otherwise make every stop wait.
 */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return true; // no procfs: the kernel's answer above stands
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    // "pid (comm) state ppid pgrp …": comm may contain spaces and parentheses, so split after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[2]) === pgid && fields[0] !== 'Z') return true;
  }
  return false;
}

/** Polls until the process group `pgid` is empty or the deadline passes; returns whether it is. */
export async function waitForGroupGone(pgid: number, timeoutMs: number, pollMs = 20): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (groupAlive(pgid)) {
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, pollMs));
  }
  return true;
}

/**
 * Sends `signal` to the process group led by `pid` (every process WardClerk supervises is spawned
 * detached, so it leads its own group). Only the group: once a process has exited its pid may be
 * reused at any time (pid_max is 32768 on many hosts), and a fallback to "the pid alone" would
 * then kill an unrelated process. A group outlives its leader only while members remain, so a
 * stale group id reaches nothing.
 */
export function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // the group is gone
  }
}

/** Resolves when `child` has exited (at once when it already has). */
export function exitOf(child: ChildProcess): Promise<ExitInfo> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  }
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

/**
 * Stops a detached child: SIGTERM to its group, SIGKILL to the group after `graceMs` if the
 * leader has not exited, then SIGKILL to whatever is left of the group (stragglers), and waits
 * (briefly) until the group is empty, so that "stopped" means no process is left.
 */
export async function stopGroup(child: ChildProcess, graceMs: number): Promise<ExitInfo> {
  const pid = child.pid;
  const exited = exitOf(child);
  if (pid === undefined) return exited;
  if (child.exitCode === null && child.signalCode === null) {
    signalGroup(pid, 'SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), graceMs);
    });
    const first = await Promise.race([exited, timedOut]);
    clearTimeout(timer);
    if (first === 'timeout') signalGroup(pid, 'SIGKILL');
  }
  const info = await exited;
  signalGroup(pid, 'SIGKILL');
  await waitForGroupGone(pid, 2_000);
  return info;
}

/** Polls until `pid` is gone or the deadline passes; returns whether it is gone. */
export async function waitForPidGone(pid: number, timeoutMs: number, pollMs = 25): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, pollMs));
  }
  return true;
}
