/**
 * CPU time of processes from /proc (Linux): used by the benchmarks to say where the time goes,
 * per process and per request, alongside the throughput they measure.
 */
import { readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** User + system CPU milliseconds a process has used so far (null where /proc is unavailable). */
export function cpuMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return (ticks * 1000) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/** Snapshot of several named processes; `since(prev)` gives the CPU ms each used in between. */
export function cpuSnapshot(pids: Record<string, number>): Record<string, number | null> {
  return Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, cpuMs(pid)]));
}

export function cpuDelta(before: Record<string, number | null>, after: Record<string, number | null>): Record<string, number | null> {
  return Object.fromEntries(
    Object.keys(after).map((k) => [k, before[k] === null || after[k] === null ? null : Math.round((after[k]! - before[k]!) * 10) / 10]),
  );
}
