/**
 * Pid files for the processes the supervisor starts, so that processes left behind by a crashed
 * or `kill -9`ed supervisor (a nats-server still holding the JetStream store, a gateway holding
 * the LevelDB lock) are found and stopped on the next start. The file records the command line
 * too: a pid reused by an unrelated process is never signalled.
 */
import { readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { groupAlive, isAlive, signalGroup, waitForGroupGone } from './process-group.js';

interface PidRecord {
  pid: number;
  cmdline: string;
}

async function cmdlineOf(pid: number): Promise<string | null> {
  try {
    return (await readFile(`/proc/${pid}/cmdline`, 'utf8')).replace(/\0+$/, '').split('\0').join(' ');
  } catch {
    return null;
  }
}

/** Records `pid` (started with `argv`) in `file` (mode 0600). */
export async function writePidFile(file: string, pid: number, argv: readonly string[]): Promise<void> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const record: PidRecord = { pid, cmdline: argv.join(' ') };
  await writeFile(file, `${JSON.stringify(record)}\n`, { mode: 0o600 });
}

/** Removes the pid file (no error when it is missing). */
export async function removePidFile(file: string): Promise<void> {
  await rm(file, { force: true });
}

/**
 * Stops what is left of the recorded process: SIGTERM to its process group, SIGKILL after
 * `graceMs`. A live leader is only signalled when its command line is the recorded one (else the
 * pid was reused). A dead leader whose group still has members left orphans behind (e.g. a
 * role's helper processes): Linux never hands out a pid still in use as a group id, so that group
 * can only be ours. Always removes the file. Returns the pid (group) it stopped, or null.
 */
export async function stopStaleFromPidFile(file: string, graceMs: number): Promise<number | null> {
  let record: PidRecord;
  try {
    record = JSON.parse(await readFile(file, 'utf8')) as PidRecord;
  } catch {
    await removePidFile(file);
    return null;
  }
  await removePidFile(file);
  const pid = record.pid;
  if (!Number.isInteger(pid) || pid <= 1) return null;
  if (isAlive(pid)) {
    if ((await cmdlineOf(pid)) !== record.cmdline) return null;
  } else if (!groupAlive(pid)) {
    return null;
  }
  signalGroup(pid, 'SIGTERM');
  if (!(await waitForGroupGone(pid, graceMs))) {
    signalGroup(pid, 'SIGKILL');
    await waitForGroupGone(pid, graceMs);
  }
  return pid;
}
