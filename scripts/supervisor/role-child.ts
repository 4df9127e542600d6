/**
 * One role process (gateway, engine or worker) spawned with an IPC channel and waited on for its
 * `{type:'ready', role, url?}` message. Used by the supervisor (output inherited) and by
 * test/role-process.ts (output captured for the no-PHI-in-logs checks).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { WardClerkError } from '../../core/errors.js';
import { exitOf, signalGroup, stopGroup, type ExitInfo } from './process-group.js';

export type Role = 'gateway' | 'engine' | 'worker';

export interface RoleSpawnOptions {
  role: Role;
  /** argv, e.g. [process.execPath, 'bin/wardclerk.js', 'gateway']. */
  command: readonly string[];
  env: NodeJS.ProcessEnv;
  cwd?: string;
  readyTimeoutMs: number;
  /** 'inherit' writes to our stdout/stderr; 'capture' keeps it for logs(). */
  output: 'inherit' | 'capture';
  /** Aborting while the role is starting kills it and rejects with CANCELLED. */
  abort?: AbortSignal;
}

export interface RoleChild {
  readonly role: Role;
  readonly pid: number;
  /** From the ready message, when the role serves HTTP. */
  readonly url: string | undefined;
  readonly argv: readonly string[];
  readonly startedAt: number;
  readonly exited: Promise<ExitInfo>;
  /** Captured stdout+stderr ('' with output 'inherit'). */
  logs(): string;
  /** SIGTERM to the process group, SIGKILL after `graceMs`. */
  stop(graceMs: number): Promise<ExitInfo>;
  kill9(): Promise<ExitInfo>;
}

const CAPTURE_LIMIT = 32 * 1024 * 1024;

interface ReadyMessage {
  type: 'ready';
  url?: unknown;
}

function isReady(message: unknown): message is ReadyMessage {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === 'ready';
}

/** Waits for the ready message; rejects when the child exits first or the deadline passes. */
function waitForReady(child: ChildProcess, options: RoleSpawnOptions, logs: () => string): Promise<string | undefined> {
  const { role, readyTimeoutMs } = options;
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      options.abort?.removeEventListener('abort', onAbort);
    };
    const onAbort = () => {
      cleanup();
      reject(new WardClerkError('CANCELLED', `${role} start cancelled`, { details: { role, reason: 'cancelled' } }));
    };
    const onMessage = (message: unknown) => {
      if (!isReady(message)) return;
      cleanup();
      resolve(typeof message.url === 'string' ? message.url : undefined);
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
      cleanup();
      reject(
        new WardClerkError('INTERNAL', `${role} exited before it was ready (exit code ${code}, signal ${signal})`, {
          details: { role, reason: 'exited_before_ready', exit_code: code, signal, output: logs().slice(-4000) },
        }),
      );
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(
        new WardClerkError('TIMEOUT', `${role} did not report ready within ${readyTimeoutMs} ms`, {
          details: { role, reason: 'ready_timeout', timeout_ms: readyTimeoutMs, output: logs().slice(-4000) },
        }),
      );
    }, readyTimeoutMs);
    child.on('message', onMessage);
    child.once('exit', onExit);
    if (options.abort?.aborted) onAbort();
    else options.abort?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Spawns the role detached (its own process group, so Ctrl-C reaches only the supervisor) and
 * resolves once it is ready. On failure the child's group is killed before the error is thrown.
 */
export async function spawnRoleChild(options: RoleSpawnOptions): Promise<RoleChild> {
  const [file, ...args] = options.command;
  if (!file) throw new WardClerkError('CONFIG_INVALID', 'empty command for role', { details: { role: options.role } });
  const capture = options.output === 'capture';
  const child = spawn(file, args, {
    cwd: options.cwd,
    env: options.env,
    detached: true,
    stdio: capture ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let captured = '';
  const append = (chunk: Buffer) => {
    if (captured.length < CAPTURE_LIMIT) captured += chunk.toString('utf8');
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const logs = () => captured;
  const exited = exitOf(child);
  const spawnError = new Promise<never>((_, reject) =>
    child.once('error', (error) =>
      reject(new WardClerkError('INTERNAL', `could not start ${options.role}`, { details: { role: options.role, reason: 'spawn_failed' }, cause: error })),
    ),
  );
  spawnError.catch(() => undefined);
  const startedAt = Date.now();
  let url: string | undefined;
  try {
    url = await Promise.race([waitForReady(child, options, logs), spawnError]);
  } catch (error) {
    if (child.pid !== undefined) signalGroup(child.pid, 'SIGKILL');
    if (child.pid !== undefined) await exited;
    throw error;
  }
  const pid = child.pid as number;
  return {
    role: options.role,
    pid,
    url,
    argv: options.command,
    startedAt,
    exited,
    logs,
    stop: (graceMs) => stopGroup(child, graceMs),
    kill9: async () => {
      signalGroup(pid, 'SIGKILL');
      return exited;
    },
  };
}
