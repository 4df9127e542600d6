/**
 * Runs one real role (`node bin/wardclerk.js gateway|engine|worker`) for integration tests:
 * spawned with an IPC channel, awaited until it sends `{type:'ready'}`, stdout and stderr
 * captured so tests can assert that no PHI reaches the logs.
 */
import { fileURLToPath } from 'node:url';
import { spawnRoleChild, type Role, type RoleChild } from '../scripts/supervisor/role-child.js';

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const WARDCLERK_BIN = fileURLToPath(new URL('../bin/wardclerk.js', import.meta.url));

export interface RoleProcess {
  readonly role: Role;
  readonly pid: number;
  /** The URL from the ready message (the gateway's HTTP base URL). */
  readonly url?: string;
  /** Everything the process wrote to stdout and stderr so far. */
  logs(): string;
  /**
   * Resolves once the captured output matches `pattern` (log writes are asynchronous, so a line
   * may arrive after the ready message); rejects after `timeoutMs` (default 10 s).
   */
  waitForLog(pattern: string | RegExp, timeoutMs?: number): Promise<void>;
  /** SIGKILL (its whole process group), as a crash would; resolves once it is gone. */
  kill9(): Promise<void>;
  /** SIGTERM, then SIGKILL after 10 s; resolves once it is gone. Idempotent. */
  stop(): Promise<void>;
  /**
   * Starts the same role again with the same environment and options (so on the same data dir and
   * NATS server), once this one is gone: stopped first when still running, or after kill9() as a
   * crash would leave it. Resolves with the new process's handle (a gateway on WARDCLERK_PORT=0
   * gets a new port: read its `url`); this handle stays stopped.
   */
  restart(): Promise<RoleProcess>;
  [Symbol.asyncDispose](): Promise<void>;
}

export interface StartRoleOptions {
  /** Default 60 s. */
  readyTimeoutMs?: number;
  /** Default true: start from process.env and add `env`; false to pass `env` alone (plus PATH). */
  inheritEnv?: boolean;
}

/**
 * Starts `role` with `env` (e.g. NATS_URL, WARDCLERK_DATA_DIR, WARDCLERK_PORT=0) added to this
 * process's environment, and resolves once it is ready. Rejects with a WardClerkError naming the
 * role (details.output holds its output) when it exits first or misses the deadline.
 */
export async function startRole(role: Role, env: Record<string, string>, options: StartRoleOptions = {}): Promise<RoleProcess> {
  const base = options.inheritEnv === false ? { PATH: process.env.PATH ?? '' } : process.env;
  const child: RoleChild = await spawnRoleChild({
    role,
    command: [process.execPath, WARDCLERK_BIN, role],
    env: { ...base, ...env },
    cwd: REPO_ROOT,
    readyTimeoutMs: options.readyTimeoutMs ?? 60_000,
    output: 'capture',
  });
  const handle: RoleProcess = {
    role,
    pid: child.pid,
    url: child.url,
    logs: () => child.logs(),
    waitForLog: async (pattern, timeoutMs = 10_000) => {
      const deadline = Date.now() + timeoutMs;
      const matches = () => (typeof pattern === 'string' ? child.logs().includes(pattern) : pattern.test(child.logs()));
      while (!matches()) {
        if (Date.now() > deadline) throw new Error(`${role} did not log ${String(pattern)} within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    kill9: async () => {
      await child.kill9();
    },
    stop: async () => {
      await child.stop(10_000);
    },
    restart: async () => {
      await child.stop(10_000);
      return startRole(role, env, options);
    },
    [Symbol.asyncDispose]: () => handle.stop(),
  };
  return handle;
}
