/**
 * What the all-in-one supervisor tells the other processes about its children: a small JSON file,
 * `<data>/run/state.json`, rewritten atomically on every change. The gateway reads it for /readyz
 * and /metrics; it is absent when the roles run alone (systemd, other hosts). No PHI: names,
 * pids, counters and times only.
 */
import { join } from 'node:path';
import { z } from 'zod';

export const PROCESS_STATES = ['starting', 'running', 'restarting', 'stopping', 'stopped'] as const;

export const SupervisedProcessSchema = z.object({
  state: z.enum(PROCESS_STATES),
  pid: z.number().int().positive().nullable(),
  /** Restarts since the supervisor started. */
  restarts: z.number().int().nonnegative(),
  /** Consecutive fast crashes past the policy's limit: still restarted, at the capped delay. */
  crash_looping: z.boolean(),
  last_exit: z.object({ code: z.number().int().nullable(), signal: z.string().nullable(), at: z.string() }).nullable(),
  /** When the next restart is due, while `restarting`. */
  restart_at: z.string().nullable(),
  since: z.string(),
});
export type SupervisedProcess = z.infer<typeof SupervisedProcessSchema>;

export const SupervisorStateSchema = z.object({
  supervisor_pid: z.number().int().positive(),
  updated_at: z.string(),
  processes: z.record(z.string(), SupervisedProcessSchema),
});
export type SupervisorState = z.infer<typeof SupervisorStateSchema>;

/** Where the supervisor of `dataDir` writes its state. */
export function supervisorStateFile(dataDir: string): string {
  return join(dataDir, 'run', 'state.json');
}
