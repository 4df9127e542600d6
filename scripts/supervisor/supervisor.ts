/**
 * The all-in-one supervisor behind `wardclerk start` / `npm start`: master key, nats-server
 * (unless NATS_URL is set), then gateway, engine and worker as separate processes, each waited
 * on for readiness. Holds an OS lock on the data dir, so a second appliance on it refuses to
 * start. Restarts a crashed child with capped backoff for as long as it takes, never stopping the
 * healthy ones, and reports every child's state in the log and `<data>/run/state.json` (read by
 * the gateway's /readyz and /metrics). Stops in reverse order (worker, engine, gateway,
 * nats-server): SIGTERM, then SIGKILL after a grace period, to each child's whole process group.
 */
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from '../../core/config.js';
import { initCrypto } from '../../core/crypto.js';
import { createLogger, type Logger } from '../../core/logger.js';
import { loadOrCreateMasterKey, jetstreamCipherKeyHex } from '../../core/master-key.js';
import { credentialsFileOf } from '../../core/nats-credentials.js';
import { supervisorStateFile } from '../../core/supervisor-state.js';
import { watchParents } from '../setup/watch-parents.js';
import { lockDataDir } from './data-dir-lock.js';
import { ProcessStates } from './process-states.js';
import { renderBanner } from './banner.js';
import type { NatsProcess } from './nats-process.js';
import { removePidFile, stopStaleFromPidFile, writePidFile } from './pid-file.js';
import { signalGroup, type ExitInfo } from './process-group.js';
import { DEFAULT_RESTART_POLICY, RestartPolicy, type RestartPolicyOptions } from './restart-policy.js';
import { spawnRoleChild, type Role, type RoleChild } from './role-child.js';
import { startSupervisedNats } from './supervised-nats.js';

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface SupervisorOptions {
  /** argv for a role's process; default `node <repo>/bin/wardclerk.js <role>`. Tests inject stand-ins. */
  roleCommand?: (role: Role) => string[];
  /** Roles in start order (stopped in reverse). Default gateway, engine, worker. */
  roles?: Role[];
  /** How long each role may take to send `{type:'ready'}`. Default 120 s (engines load models). */
  readyTimeoutMs?: number;
  /** SIGTERM → SIGKILL grace per process. Default 15 s. */
  stopGraceMs?: number;
  restartPolicy?: RestartPolicyOptions;
  /** Base environment for children (default process.env); NATS_URL etc. are added. */
  env?: NodeJS.ProcessEnv;
  /** Where the banner goes (default stdout). */
  out?: NodeJS.WritableStream;
  logger?: Logger;
  /** Aborting it stops everything (runSupervisor wires SIGINT/SIGTERM to it). */
  signal?: AbortSignal;
}

/** A running supervisor (see startSupervisor). */
export interface Supervisor {
  readonly natsUrl: string;
  /** Current pids by name ('nats-server' only when the supervisor started it). */
  pids(): Partial<Record<Role | 'nats-server', number>>;
  /** Resolves with the exit code once everything has stopped. */
  readonly done: Promise<number>;
  /** Stops everything in reverse order; resolves with the exit code (0). Idempotent. */
  stop(): Promise<number>;
}

type Slot = { name: Role | 'nats-server'; proc?: RoleChild | NatsProcess; pending?: Promise<unknown>; timer?: NodeJS.Timeout };

/**
 * Starts everything and resolves once all roles are ready and the banner is printed. Throws (after
 * stopping whatever had started) when a part cannot start; the error names the role.
 */
export async function startSupervisor(config: Config, options: SupervisorOptions = {}): Promise<Supervisor> {
  const logger = options.logger ?? createLogger({ level: config.logLevel, role: 'supervisor' });
  const roles = options.roles ?? ['gateway', 'engine', 'worker'];
  const roleCommand = options.roleCommand ?? ((role: Role) => [process.execPath, join(REPO_ROOT, 'bin', 'wardclerk.js'), role]);
  const readyTimeoutMs = options.readyTimeoutMs ?? 120_000;
  const graceMs = options.stopGraceMs ?? 15_000;
  const runDir = join(config.dataDir, 'run');
  const pidFile = (name: string) => join(runDir, `${name}.pid`);

  await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
  await mkdir(runDir, { recursive: true, mode: 0o700 });
  // Throws DATA_DIR_IN_USE while another supervisor runs here; only then are pid files stale.
  const lock = await lockDataDir(config.dataDir);
  const states = new ProcessStates(supervisorStateFile(config.dataDir), logger);
  // Leftovers of a supervisor that was killed without cleaning up hold locks and ports.
  for (const name of [...roles].reverse().concat('nats-server' as never)) {
    const stale = await stopStaleFromPidFile(pidFile(name), graceMs);
    if (stale !== null) logger.warn({ process: name, child_pid: stale }, 'stopped a stale process left by an earlier run');
  }

  await initCrypto();
  const masterKey = await loadOrCreateMasterKey(config.masterKeyFile);
  const cipherKeyHex = jetstreamCipherKeyHex(masterKey);
  masterKey.fill(0);

  const slots: Slot[] = [];
  let stopping = false;
  let resolveDone!: (code: number) => void;
  const done = new Promise<number>((r) => (resolveDone = r));

  const stopController = new AbortController();
  const shutdown = async (code: number): Promise<number> => {
    if (stopping) return done;
    stopping = true;
    stopController.abort(); // cancels a role still starting, so shutdown does not wait for its deadline
    for (const slot of [...slots].reverse()) {
      clearTimeout(slot.timer);
      await slot.pending?.catch(() => undefined);
      if (slot.proc) {
        states.update(slot.name, { state: 'stopping' });
        const info = await slot.proc.stop(graceMs);
        logger.info({ process: slot.name, child_pid: slot.proc.pid, code: info.code, signal: info.signal }, 'stopped');
      }
      states.update(slot.name, { state: 'stopped', pid: null, restart_at: null });
      await removePidFile(pidFile(slot.name));
    }
    await states.remove();
    await lock.release();
    resolveDone(code);
    return done;
  };

  /**
   * Starts `slot` and arranges the crash → backoff → restart cycle for it. The launch is kept in
   * `slot.pending` so a shutdown that begins meanwhile waits for it and then stops what it started.
   */
  const supervise = async (slot: Slot, launch: () => Promise<RoleChild | NatsProcess>, policy: RestartPolicy): Promise<void> => {
    states.update(slot.name, { state: 'starting', restart_at: null });
    const launching = launch();
    slot.pending = launching;
    const proc = await launching;
    slot.pending = undefined;
    slot.proc = proc;
    await writePidFile(pidFile(slot.name), proc.pid, proc.argv);
    states.update(slot.name, { state: 'running', pid: proc.pid });
    const startedAt = Date.now();
    void proc.exited.then((info: ExitInfo) => {
      if (stopping || slot.proc !== proc) return;
      slot.proc = undefined;
      signalGroup(proc.pid, 'SIGKILL'); // whatever the crashed process had started goes with it
      logger.warn({ process: slot.name, code: info.code, signal: info.signal }, 'exited unexpectedly');
      states.update(slot.name, { pid: null, last_exit: { code: info.code, signal: info.signal, at: new Date().toISOString() } });
      scheduleRestart(slot, launch, policy, Date.now() - startedAt);
    });
  };

  const scheduleRestart = (slot: Slot, launch: () => Promise<RoleChild | NatsProcess>, policy: RestartPolicy, uptimeMs: number): void => {
    const decision = policy.onCrash(uptimeMs);
    const restarts = (states.snapshot().processes[slot.name]?.restarts ?? 0) + 1;
    states.update(slot.name, {
      state: 'restarting', restarts, crash_looping: decision.crashLooping,
      restart_at: new Date(Date.now() + decision.delayMs).toISOString(),
    });
    if (decision.crashLooping) {
      // Loud, but not fatal: the other roles keep serving, and this one comes back once fixed.
      logger.error({ process: slot.name, fast_crashes: decision.fastCrashes, restart_in_ms: decision.delayMs }, 'crash-looping: keeps exiting right after starting; restarting at the capped delay');
    } else {
      logger.warn({ process: slot.name, restart_in_ms: decision.delayMs }, 'restarting');
    }
    slot.timer = setTimeout(() => {
      if (stopping) return;
      supervise(slot, launch, policy).catch((error: unknown) => {
        slot.pending = undefined;
        if (stopping) return;
        logger.error({ process: slot.name, err: errorSummary(error) }, 'restart failed');
        // A failed start is a crash with no uptime: the policy decides again.
        scheduleRestart(slot, launch, policy, 0);
      });
    }, decision.delayMs);
  };

  const onAbort = () => void shutdown(0);
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const policyOptions = options.restartPolicy ?? DEFAULT_RESTART_POLICY;
  let natsUrl = config.natsUrl ?? '';
  let gatewayUrl: string | undefined;
  try {
    if (!config.natsUrl) {
      const slot: Slot = { name: 'nats-server' };
      slots.push(slot);
      let port: number | undefined;
      await supervise(
        slot,
        async () => {
          const nats = await startSupervisedNats({ dataDir: config.dataDir, cipherKeyHex, pidFile: pidFile('nats-server'), logger, port });
          port = nats.port;
          if (!nats.syncAlways) logger.warn({ process: 'nats-server' }, 'this nats-server does not accept sync_interval: always (needs 2.10+): JetStream fsyncs on its default 2-minute interval');
          return nats;
        },
        new RestartPolicy(policyOptions),
      );
      natsUrl = (slot.proc as NatsProcess).url;
      logger.info({ process: 'nats-server', url: natsUrl, child_pid: slot.proc?.pid }, 'nats-server ready');
    }
    const env: NodeJS.ProcessEnv = {
      ...(options.env ?? process.env),
      NATS_URL: natsUrl,
      WARDCLERK_DATA_DIR: config.dataDir,
      WARDCLERK_MASTER_KEY_FILE: config.masterKeyFile,
    };
    // Each role connects as its own NATS user. With our own nats-server its file is the one
    // startSupervisedNats generated; with an external NATS_URL each role finds its file under the
    // data dir, if any (a single WARDCLERK_NATS_CREDENTIALS could only fit one role).
    const roleEnv = (role: Role): NodeJS.ProcessEnv => {
      const { WARDCLERK_NATS_CREDENTIALS: _shared, ...rest } = env;
      return config.natsUrl ? rest : { ...rest, WARDCLERK_NATS_CREDENTIALS: credentialsFileOf(config.dataDir, role) };
    };
    for (const role of roles) {
      if (stopping) break;
      const slot: Slot = { name: role };
      slots.push(slot);
      const launch = () => spawnRoleChild({ role, command: roleCommand(role), env: roleEnv(role), cwd: REPO_ROOT, readyTimeoutMs, output: 'inherit', abort: stopController.signal });
      await supervise(slot, launch, new RestartPolicy(policyOptions));
      if (role === 'gateway') gatewayUrl = (slot.proc as RoleChild | undefined)?.url;
      logger.info({ process: role, child_pid: slot.proc?.pid }, 'ready');
    }
  } catch (error) {
    // Interrupted by a signal while starting: not a failure, shutdown is already under way.
    if (!stopping) {
      await shutdown(1);
      throw error;
    }
  }
  if (!stopping) (options.out ?? process.stdout).write(renderBanner({ config, gatewayUrl, natsUrl, ownNats: !config.natsUrl }));
  void done.then(() => options.signal?.removeEventListener('abort', onAbort));
  return {
    natsUrl,
    pids: () => Object.fromEntries(slots.filter((s) => s.proc).map((s) => [s.name, s.proc!.pid])),
    done,
    stop: () => shutdown(0),
  };
}

function errorSummary(error: unknown): Record<string, unknown> {
  if (error && typeof error === 'object') {
    const e = error as { code?: unknown; message?: unknown; details?: unknown };
    return { code: e.code, message: e.message, details: e.details };
  }
  return { message: String(error) };
}

/**
 * `wardclerk start`: runs the supervisor until SIGINT/SIGTERM (then stops everything and returns
 * 0) or until a child keeps crashing (returns 1). A start failure is printed, naming the part that
 * failed, and returns 1. Repeated signals during shutdown are ignored; the SIGKILL grace bounds it.
 */
export async function runSupervisor(config: Config, options: SupervisorOptions = {}): Promise<number> {
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
  // Orphaned (npm or the start script killed without passing the signal on): stop everything.
  const stopWatching = watchParents(onSignal);
  try {
    const supervisor = await startSupervisor(config, { ...options, signal: controller.signal });
    return await supervisor.done;
  } catch (error) {
    const e = errorSummary(error);
    process.stderr.write(`wardclerk: could not start: ${String(e.message)}\n`);
    const output = (e.details as { output?: unknown } | undefined)?.output;
    if (typeof output === 'string' && output) process.stderr.write(`--- last output ---\n${output}\n`);
    return 1;
  } finally {
    stopWatching();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('SIGHUP', onSignal);
  }
}
