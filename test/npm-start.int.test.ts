/**
 * `npm start` as an operator runs it — the real command, the real roles — and the ways a host
 * stops or restarts it: a role killed with -9 comes back while the rest keep serving (and /readyz
 * and /metrics say so); a second `npm start` on the same data dir refuses; SIGTERM to npm alone
 * stops every process within 10 s.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exitOf, isAlive, signalGroup } from '../scripts/supervisor/process-group.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
let dir: string;
const started: ChildProcess[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wardclerk-npm-start-'));
});
afterAll(async () => {
  // Only what is still ours: an exited child's pid may already belong to another process.
  for (const child of started) if (child.pid && child.exitCode === null && child.signalCode === null) signalGroup(child.pid, 'SIGKILL');
  for (const pid of Object.values(pidsOf())) signalGroup(pid, 'SIGKILL'); // groups (detached), gone once stopped
  await rm(dir, { recursive: true, force: true });
});

function npmStart(): { child: ChildProcess; output: () => string } {
  const env: NodeJS.ProcessEnv = { ...process.env, WARDCLERK_DATA_DIR: join(dir, 'data'), WARDCLERK_PORT: '0', WARDCLERK_HOST: '127.0.0.1', WARDCLERK_ADMIN_PASSWORD: 'correct-horse-battery', WARDCLERK_LOG_LEVEL: 'warn' };
  delete env.NATS_URL;
  // detached: its own process group, so the test can signal npm alone, as `kill <pid>` does.
  const child = spawn('npm', ['start', '--silent'], { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  started.push(child);
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  return { child, output: () => output };
}

/** Every pid the appliance recorded under run/ (the supervisor and its children). */
function pidsOf(): Record<string, number> {
  const pids: Record<string, number> = {};
  if (!dir) return pids;
  const run = join(dir, 'data', 'run');
  for (const name of ['nats-server', 'gateway', 'engine', 'worker']) {
    const file = join(run, `${name}.pid`);
    if (existsSync(file)) pids[name] = (JSON.parse(readFileSync(file, 'utf8')) as { pid: number }).pid;
  }
  const sup = join(run, 'supervisor.pid');
  if (existsSync(sup)) pids.supervisor = Number.parseInt(readFileSync(sup, 'utf8'), 10);
  return pids;
}

function parentOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number.parseInt(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]!, 10);
  } catch {
    return null;
  }
}

async function until<T>(check: () => Promise<T | undefined> | T | undefined, what: string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

interface Readyz { data?: { ready: boolean; degraded: boolean; processes?: Record<string, { state: string; pid: number | null; restarts: number }> }; error?: { details: unknown } }

describe('npm start, as an operator runs it', () => {
  let first: ReturnType<typeof npmStart>;
  let base: string;
  const everyPid: number[] = [];

  it('starts everything and reports each process in /readyz', async () => {
    first = npmStart();
    await until(() => (first.output().includes('Press Ctrl-C to stop.') ? true : undefined), `the banner; output so far:\n${first.output()}`, 150_000);
    base = /URL:\s+(http:\/\/\S+)/.exec(first.output())![1]!;
    const body = (await (await fetch(`${base}/readyz`)).json()) as Readyz;
    expect(body.data).toMatchObject({ ready: true, degraded: false });
    expect(Object.keys(body.data!.processes!).sort()).toEqual(['engine', 'gateway', 'nats-server', 'worker']);
    for (const p of Object.values(body.data!.processes!)) expect(p.state).toBe('running');
  }, 180_000);

  it('a worker killed with -9 is restarted while the gateway keeps answering; /readyz and /metrics count the restart', async () => {
    const before = pidsOf();
    process.kill(before.worker!, 'SIGKILL');
    const worker = await until(async () => {
      const r = (await (await fetch(`${base}/readyz`)).json()) as Readyz;
      const w = r.data?.processes?.worker;
      return w && w.state === 'running' && w.restarts === 1 && w.pid !== before.worker ? w : undefined;
    }, 'the worker back, restarted once');
    expect(isAlive(worker.pid!)).toBe(true);
    expect(pidsOf().gateway).toBe(before.gateway);
    expect(pidsOf().engine).toBe(before.engine);
    const metrics = await (await fetch(`${base}/metrics`)).text(); // loopback scrape
    expect(metrics).toContain('wardclerk_process_restarts{process="worker"} 1');
    expect(metrics).toContain('wardclerk_process_up{process="worker"} 1');
  }, 90_000);

  it('a second npm start on the same data dir refuses with a clear message and leaves the first running', async () => {
    const second = npmStart();
    const exit = await exitOf(second.child);
    expect(exit.code).not.toBe(0);
    expect(second.output()).toMatch(/in use by another WardClerk \(process \d+\)/);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    for (const pid of Object.values(pidsOf())) expect(isAlive(pid)).toBe(true);
  }, 60_000);

  it('SIGTERM to npm alone stops every process of the appliance within 10 s', async () => {
    const pids = pidsOf();
    expect(Object.keys(pids).sort()).toEqual(['engine', 'gateway', 'nats-server', 'supervisor', 'worker']);
    // … and whatever npm put between itself and the supervisor (a shell, scripts/start.js).
    for (let pid = parentOf(pids.supervisor!); pid !== null && pid !== first.child.pid; pid = parentOf(pid)) everyPid.push(pid);
    expect(everyPid.length).toBeGreaterThanOrEqual(1);
    everyPid.push(...Object.values(pids));
    process.kill(first.child.pid!, 'SIGTERM');
    const t0 = Date.now();
    await until(() => (everyPid.every((pid) => !isAlive(pid)) ? true : undefined), `all of ${everyPid.join(', ')} gone`, 10_000);
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(existsSync(join(dir, 'data', 'run', 'state.json'))).toBe(false);
  }, 30_000);
});
