import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../core/config.js';
import { createLogger } from '../../core/logger.js';
import { credentialsFileOf, readNatsCredentials } from '../../core/nats-credentials.js';
import { roleConnectOptions } from '../../test/nats-server.js';
import { isAlive } from './process-group.js';
import type { Role } from './role-child.js';
import { startSupervisor, type Supervisor, type SupervisorOptions } from './supervisor.js';
import { processesMentioning } from './testing/orphans.js';
import { SupervisorStateSchema } from '../../core/supervisor-state.js';

const STAND_IN = fileURLToPath(new URL('./testing/stand-in-role.mjs', import.meta.url));

let dir: string;
let logFile: string;
let running: Supervisor | undefined;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wardclerk-sup-'));
  logFile = join(dir, 'events.log');
});
afterEach(async () => {
  await running?.stop();
  running = undefined;
  await rm(dir, { recursive: true, force: true });
});

function config() {
  return loadConfig({ WARDCLERK_DATA_DIR: join(dir, 'data'), WARDCLERK_LOG_LEVEL: 'silent' });
}

function options(modes: Partial<Record<Role, string>> = {}, extra: Partial<SupervisorOptions> = {}): SupervisorOptions & { out: PassThrough } {
  const env: NodeJS.ProcessEnv = { ...process.env, STANDIN_LOG: logFile };
  for (const [role, mode] of Object.entries(modes)) env[`STANDIN_MODE_${role.toUpperCase()}`] = mode;
  const out = new PassThrough();
  out.resume();
  return {
    // The temp dir in argv lets processesMentioning(dir) find every process a test started.
    roleCommand: (role) => [process.execPath, STAND_IN, role, dir],
    env,
    logger: createLogger({ level: 'silent', role: 'supervisor' }),
    readyTimeoutMs: 10_000,
    stopGraceMs: 3_000,
    restartPolicy: { initialDelayMs: 20, maxDelayMs: 100, fastCrashMs: 60_000, crashLoopAfter: 3 },
    ...extra,
    out,
  };
}

async function events(): Promise<string[]> {
  return existsSync(logFile) ? (await readFile(logFile, 'utf8')).trim().split('\n') : [];
}

/** A NATS client with a role's credentials from the supervisor's data dir. */
async function connectAs(url: string, role: 'gateway' | 'worker') {
  return connect(roleConnectOptions(url, await readNatsCredentials(credentialsFileOf(join(dir, 'data'), role), role)));
}

async function until<T>(check: () => Promise<T | undefined> | T | undefined, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('startSupervisor (with stand-in roles and a real nats-server)', () => {
  it('starts nats-server then gateway, engine, worker; stops them in reverse order leaving no process behind', async () => {
    const opts = options();
    let banner = '';
    opts.out.on('data', (c: Buffer) => (banner += c.toString()));
    const sup = await startSupervisor(config(), opts);
    running = sup;
    const pids = sup.pids();
    expect(Object.keys(pids).sort()).toEqual(['engine', 'gateway', 'nats-server', 'worker']);
    expect((await events()).map((l) => l.split(' ').slice(0, 2).join(' '))).toEqual(['start gateway', 'start engine', 'start worker']);
    // Children got the supervised server's URL, and it accepts clients with JetStream on.
    expect((await events())[0]!.split(' ')[4]).toBe(sup.natsUrl);
    // No anonymous clients; a role's own credentials (generated 0600 under the data dir) work.
    await expect(connect({ servers: sup.natsUrl, maxReconnectAttempts: 0 })).rejects.toThrow(/authorization/i);
    expect((await stat(join(dir, 'data', 'nats-credentials', 'worker.json'))).mode & 0o777).toBe(0o600);
    const nc = await connectAs(sup.natsUrl, 'worker');
    expect(nc.info?.jetstream).toBe(true);
    await nc.close();
    expect(banner).toContain('http://127.0.0.1:18080');
    expect(banner).toContain('Admin login:    admin');
    expect(banner).toContain(join(dir, 'data', 'initial-admin.txt'));
    expect((await stat(join(dir, 'data', 'master.key'))).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'data'))).mode & 0o777).toBe(0o700);
    const natsConf = await readFile(join(dir, 'data', 'nats', 'nats-server.conf'), 'utf8');
    expect(natsConf).toMatch(/cipher: chachapoly\n\s+key: "[0-9a-f]{64}"/);
    expect((await stat(join(dir, 'data', 'nats', 'nats-server.conf'))).mode & 0o777).toBe(0o600);
    expect(processesMentioning(dir).length).toBeGreaterThanOrEqual(7); // 3 roles + 3 grandchildren + nats

    expect(await sup.stop()).toBe(0);
    running = undefined;
    expect((await events()).filter((l) => l.startsWith('stop')).map((l) => l.split(' ')[1])).toEqual(['worker', 'engine', 'gateway']);
    for (const pid of Object.values(pids)) expect(isAlive(pid!)).toBe(false);
    expect(processesMentioning(dir)).toEqual([]);
    expect(existsSync(join(dir, 'data', 'run', 'nats-server.pid'))).toBe(false);
  });

  it('reuses the master key and the encrypted JetStream store on a second start', async () => {
    const first = await startSupervisor(config(), options());
    running = first;
    const key = await readFile(join(dir, 'data', 'master.key'));
    // As the worker, which may create WardClerk's dead-letter stream and publish to it.
    let nc = await connectAs(first.natsUrl, 'worker');
    await (await jetstreamManager(nc)).streams.add({ name: 'WC_DEAD', subjects: ['wc.dead.>'] });
    await nc.publish('wc.dead.keep', 'x');
    await nc.flush();
    await nc.close();
    await first.stop();

    const second = await startSupervisor(config(), options());
    running = second;
    expect(await readFile(join(dir, 'data', 'master.key'))).toEqual(key);
    nc = await connectAs(second.natsUrl, 'worker');
    const info = await (await jetstreamManager(nc)).streams.info('WC_DEAD');
    expect(info.state.messages).toBe(1);
    await nc.close();
  });

  it('fails with a TIMEOUT naming the role when a role never reports ready, and leaves nothing running', async () => {
    const err = await startSupervisor(config(), options({ engine: 'never-ready' }, { readyTimeoutMs: 800 })).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'TIMEOUT', details: { role: 'engine', reason: 'ready_timeout' } });
    expect((err as Error).message).toContain('engine');
    expect(processesMentioning(dir)).toEqual([]);
  });

  it('fails naming the role when it exits before ready', async () => {
    const err = await startSupervisor(config(), options({ worker: 'exit-before-ready' })).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'INTERNAL', details: { role: 'worker', reason: 'exited_before_ready', exit_code: 2 } });
    expect((err as Error).message).toMatch(/^worker exited before it was ready/);
    expect((await events()).filter((l) => l.startsWith('stop')).map((l) => l.split(' ')[1])).toEqual(['engine', 'gateway']);
    expect(processesMentioning(dir)).toEqual([]);
  });

  it('restarts a crashed role and keeps the others running', async () => {
    const sup = await startSupervisor(config(), options());
    running = sup;
    const before = sup.pids();
    process.kill(before.worker!, 'SIGKILL');
    const after = await until(() => {
      const now = sup.pids().worker;
      return now !== undefined && now !== before.worker && isAlive(now) ? now : undefined;
    }, 'a new worker');
    expect(after).not.toBe(before.worker);
    expect(sup.pids().gateway).toBe(before.gateway);
    expect(sup.pids().engine).toBe(before.engine);
    expect((await events()).filter((l) => l.startsWith('start worker'))).toHaveLength(2);
  });

  it('restarts a crashed nats-server on the same URL', async () => {
    const sup = await startSupervisor(config(), options());
    running = sup;
    const old = sup.pids()['nats-server']!;
    process.kill(old, 'SIGKILL');
    await until(() => {
      const now = sup.pids()['nats-server'];
      return now !== undefined && now !== old ? now : undefined;
    }, 'a new nats-server');
    const nc = await connectAs(sup.natsUrl, 'gateway');
    await nc.close();
  });

  it('never gives up on a crash-looping role: keeps restarting it, keeps the others running, reports it in state.json', async () => {
    const sup = await startSupervisor(config(), options({ worker: 'crash-after-ready' }));
    running = sup;
    const { gateway, engine } = sup.pids();
    const stateFile = join(dir, 'data', 'run', 'state.json');
    // Far past the old give-up point (3 fast crashes): still restarting, and saying so.
    await until(async () => ((await events()).filter((l) => l.startsWith('start worker')).length >= 8 ? true : undefined), '8 worker starts');
    const state = SupervisorStateSchema.parse(JSON.parse(await readFile(stateFile, 'utf8')));
    expect(state.supervisor_pid).toBe(process.pid);
    expect(state.processes.worker).toMatchObject({ crash_looping: true });
    expect(state.processes.worker!.restarts).toBeGreaterThanOrEqual(7);
    expect(state.processes.worker!.last_exit).toMatchObject({ code: 3 });
    expect(state.processes.gateway).toMatchObject({ state: 'running', pid: gateway, restarts: 0, crash_looping: false });
    expect(state.processes.engine).toMatchObject({ state: 'running', pid: engine });
    expect(isAlive(gateway!) && isAlive(engine!)).toBe(true);
    expect((await stat(stateFile)).mode & 0o777).toBe(0o600);

    expect(await sup.stop()).toBe(0);
    running = undefined;
    expect(processesMentioning(dir)).toEqual([]);
    expect(existsSync(stateFile)).toBe(false);
  });

  it('refuses a second supervisor on a data dir in use (DATA_DIR_IN_USE naming the holder) and leaves the first running', async () => {
    const first = await startSupervisor(config(), options());
    running = first;
    const pids = first.pids();
    const err = await startSupervisor(config(), options()).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'DATA_DIR_IN_USE', details: { pid: process.pid } });
    expect((err as Error).message).toContain('in use');
    expect(first.pids()).toEqual(pids);
    for (const pid of Object.values(pids)) expect(isAlive(pid!)).toBe(true);
    await first.stop();
    // Released on stop: the next start takes the data dir.
    running = await startSupervisor(config(), options());
  });

  it('SIGKILLs a role that ignores SIGTERM after the grace period', async () => {
    const sup = await startSupervisor(config(), options({ engine: 'ignore-term' }, { stopGraceMs: 300 }));
    const engine = sup.pids().engine!;
    expect(await sup.stop()).toBe(0);
    expect(isAlive(engine)).toBe(false);
    expect(processesMentioning(dir)).toEqual([]);
  });
});
