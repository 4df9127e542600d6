import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SupervisorState } from '../../core/supervisor-state.js';
import { isDegraded, readSupervisorState, registerProcessMetrics } from './supervisor-state.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wardclerk-state-'));
  await mkdir(join(dir, 'run'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const at = new Date().toISOString();
function state(pid: number, worker: Partial<SupervisorState['processes'][string]> = {}): SupervisorState {
  const running = { state: 'running' as const, pid: 4242, restarts: 0, crash_looping: false, last_exit: null, restart_at: null, since: at };
  return { supervisor_pid: pid, updated_at: at, processes: { 'nats-server': running, gateway: running, worker: { ...running, ...worker } } };
}
const write = (s: unknown) => writeFile(join(dir, 'run', 'state.json'), typeof s === 'string' ? s : JSON.stringify(s));

describe('supervisor state as the gateway reads it', () => {
  it('reads a live supervisor’s report; degraded only when a process is not running', async () => {
    await write(state(process.pid));
    const ok = await readSupervisorState(dir);
    expect(ok?.processes.worker?.state).toBe('running');
    expect(isDegraded(ok)).toBe(false);
    await write(state(process.pid, { state: 'restarting', pid: null, restarts: 9, crash_looping: true }));
    expect(isDegraded(await readSupervisorState(dir))).toBe(true);
  });

  it('ignores a missing, malformed, foreign-shaped or orphaned file (supervisor gone)', async () => {
    expect(await readSupervisorState(dir)).toBeNull();
    await write('{"supervisor_pid": ');
    expect(await readSupervisorState(dir)).toBeNull();
    await write({ supervisor_pid: process.pid, processes: 'x' });
    expect(await readSupervisorState(dir)).toBeNull();
    await write(state(2 ** 22 + 12345)); // beyond pid_max: no such process
    expect(await readSupervisorState(dir)).toBeNull();
    expect(isDegraded(null)).toBe(false);
  });

  it('exposes up, restarts and crash-looping per process in /metrics, following the file at each scrape', async () => {
    const registry = new Registry();
    registerProcessMetrics(registry, dir);
    await write(state(process.pid, { state: 'restarting', pid: null, restarts: 7, crash_looping: true }));
    let text = await registry.metrics();
    expect(text).toContain('wardclerk_process_up{process="worker"} 0');
    expect(text).toContain('wardclerk_process_up{process="gateway"} 1');
    expect(text).toContain('wardclerk_process_restarts{process="worker"} 7');
    expect(text).toContain('wardclerk_process_crash_looping{process="worker"} 1');
    await rm(join(dir, 'run', 'state.json'));
    text = await registry.metrics();
    expect(text).not.toContain('process="worker"');
  });
});
