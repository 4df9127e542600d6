/**
 * The whole appliance as real processes, as `npm start` runs it: a nats-server with the per-role
 * credentials and encrypted JetStream, then `wardclerk gateway`, `engine` and `worker` as child
 * processes on a temp data dir. For suites that must observe processes from outside (pids, RSS,
 * crashes): the fuzz suite, the gateway kill -9 suite. Dispose with `await using` or close().
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initCrypto } from '../core/crypto.js';
import { loadOrCreateMasterKey, jetstreamCipherKeyHex } from '../core/master-key.js';
import { credentialsDirOf } from '../core/nats-credentials.js';
import { startNatsServer, type NatsServerHandle } from './nats-server.js';
import { startRole, type RoleProcess } from './role-process.js';

export type ProcessRole = 'gateway' | 'engine' | 'worker';

export interface ProcessAppliance {
  /** The gateway's HTTP base URL (a new port after restart('gateway')). */
  readonly url: string;
  dataDir: string;
  adminPassword: string;
  nats: NatsServerHandle;
  /** The running process of each role (replaced by restart()). */
  readonly roles: Readonly<Record<ProcessRole, RoleProcess>>;
  /** Pid per role and of nats-server, as running now. */
  pids(): Record<ProcessRole | 'nats', number>;
  /**
   * Starts `role` again on the same data dir and NATS server (stopped first when still running;
   * after `roles[role].kill9()` this is the restart after a crash). Resolves once it is ready.
   */
  restart(role: ProcessRole): Promise<RoleProcess>;
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Resident set size of `pid` in bytes (VmRSS from /proc), or null when it is gone. */
export function rssBytes(pid: number): number | null {
  try {
    const m = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** True while `pid` exists. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export const PROCESS_APPLIANCE_PASSWORD = 'process-appliance-admin-pw';

/** Starts nats-server, gateway, engine and worker; `env` is added to every role's environment. */
export async function startProcessAppliance(env: Record<string, string> = {}): Promise<ProcessAppliance> {
  await initCrypto();
  const dataDir = await mkdtemp(join(tmpdir(), 'wardclerk-procs-'));
  const key = await loadOrCreateMasterKey(join(dataDir, 'master.key'));
  const nats = await startNatsServer({ cipherKeyHex: jetstreamCipherKeyHex(key), credentialsDir: credentialsDirOf(dataDir) });
  const roleEnv = {
    NATS_URL: nats.url,
    WARDCLERK_DATA_DIR: dataDir,
    WARDCLERK_PORT: '0',
    WARDCLERK_HOST: '127.0.0.1',
    WARDCLERK_ADMIN_PASSWORD: PROCESS_APPLIANCE_PASSWORD,
    WARDCLERK_LOG_LEVEL: 'warn',
    ...env,
  };
  const roles: Partial<Record<ProcessRole, RoleProcess>> = {};
  const order: ProcessRole[] = ['gateway', 'engine', 'worker'];
  const close = async () => {
    for (const role of [...order].reverse()) await roles[role]?.stop().catch(() => undefined);
    await nats.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    for (const role of order) roles[role] = await startRole(role, roleEnv);
  } catch (e) {
    await close();
    throw e;
  }
  const running = roles as Record<ProcessRole, RoleProcess>;
  return {
    get url() {
      return running.gateway.url!;
    },
    dataDir,
    adminPassword: PROCESS_APPLIANCE_PASSWORD,
    nats,
    roles: running,
    pids: () => ({ gateway: running.gateway.pid, engine: running.engine.pid, worker: running.worker.pid, nats: nats.pid }),
    restart: async (role) => (running[role] = await running[role].restart()),
    close,
    [Symbol.asyncDispose]: close,
  };
}
