/** Test helper: live processes whose command line mentions `needle` (e.g. a test's temp dir). */
import { readdirSync, readFileSync } from 'node:fs';

/** Pids (other than ours) whose /proc cmdline contains `needle`; zombies have none, so are skipped. */
export function processesMentioning(needle: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(needle)) pids.push(Number(entry));
    } catch {
      // exited while we looked
    }
  }
  return pids;
}
