/**
 * The supervisor's report on its children (core/supervisor-state.ts) as the gateway shows it: in
 * /readyz (`processes`, and `degraded` when a supervised process is not running) and in /metrics
 * (`wardclerk_process_up`, `wardclerk_process_restarts`, `wardclerk_process_crash_looping`).
 * Absent when the roles run without the all-in-one supervisor (systemd, other hosts), and ignored
 * when the supervisor that wrote it is gone (a kill -9 leaves the file behind).
 */
import { readFile } from 'node:fs/promises';
import { Gauge, type Registry } from 'prom-client';
import { SupervisorStateSchema, supervisorStateFile, type SupervisorState } from '../../core/supervisor-state.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Reads the state of the supervisor of `dataDir`; null when there is none (or it is unreadable). */
export async function readSupervisorState(dataDir: string): Promise<SupervisorState | null> {
  let raw: string;
  try {
    raw = await readFile(supervisorStateFile(dataDir), 'utf8');
  } catch {
    return null;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return null; // rewritten by rename, so a torn read cannot happen; a hand-edited file is no report
  }
  const state = SupervisorStateSchema.safeParse(parsed);
  return state.success && alive(state.data.supervisor_pid) ? state.data : null;
}

/** True when some supervised process is not running (restarting, crash-looping, stopped). */
export function isDegraded(state: SupervisorState | null): boolean {
  return state !== null && Object.values(state.processes).some((p) => p.state !== 'running');
}

/** Registers the per-process gauges, read from the state file at each scrape. */
export function registerProcessMetrics(registry: Registry, dataDir: string): void {
  const read = () => readSupervisorState(dataDir);
  new Gauge({
    name: 'wardclerk_process_up',
    help: 'Whether a supervised process is running (1) or not (0), from the all-in-one supervisor',
    labelNames: ['process'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const [name, p] of Object.entries((await read())?.processes ?? {})) this.set({ process: name }, p.state === 'running' ? 1 : 0);
    },
  });
  new Gauge({
    name: 'wardclerk_process_restarts',
    help: 'Restarts of a supervised process since the supervisor started',
    labelNames: ['process'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const [name, p] of Object.entries((await read())?.processes ?? {})) this.set({ process: name }, p.restarts);
    },
  });
  new Gauge({
    name: 'wardclerk_process_crash_looping',
    help: 'Whether a supervised process keeps exiting right after starting (still restarted, at the capped delay)',
    labelNames: ['process'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const [name, p] of Object.entries((await read())?.processes ?? {})) this.set({ process: name }, p.crash_looping ? 1 : 0);
    },
  });
}
