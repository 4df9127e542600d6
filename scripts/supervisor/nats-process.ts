/**
 * Runs one nats-server as a child process from a generated config file and waits until it
 * accepts client connections. Used by the supervisor (under the data dir) and by test/
 * nats-server.ts (in a temp dir). The process is detached (own process group) so a terminal's
 * Ctrl-C reaches the supervisor only, which stops nats-server last.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { findNatsServer } from '../setup/find-nats-server.js';
import { WardClerkError } from '../../core/errors.js';
import { renderNatsConfig, supportsSyncInterval, type NatsUser } from './nats-config.js';
import { exitOf, signalGroup, stopGroup, type ExitInfo } from './process-group.js';

export interface NatsProcessOptions {
  /** Directory for the config file (created 0700); the file holds the cipher key, so 0600. */
  configDir: string;
  host?: string;
  port: number;
  storeDir?: string;
  cipherKeyHex?: string;
  /** NKey users with permissions; when set, clients must authenticate (see nats-config.ts). */
  users?: ReadonlyArray<NatsUser>;
  /** Server certificate and key: TLS required of every client. */
  tls?: { certFile: string; keyFile: string };
  readyTimeoutMs?: number;
  /** Called with each log line nats-server writes (it logs to stderr). */
  onLog?: (line: string) => void;
  binary?: string;
}

export interface NatsProcess {
  readonly pid: number;
  readonly url: string;
  readonly port: number;
  readonly argv: readonly string[];
  /** Whether `sync_interval: always` is in effect (false on nats-server 2.9). */
  readonly syncAlways: boolean;
  readonly exited: Promise<ExitInfo>;
  /** The last ~64 KB of nats-server's output, for error messages. */
  output(): string;
  /** SIGTERM (nats-server flushes JetStream and exits), SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<ExitInfo>;
  kill9(): Promise<ExitInfo>;
}

const OUTPUT_LIMIT = 64 * 1024;

/** Resolves when a NATS server at host:port sends its INFO line; rejects on error/close. */
function probeInfo(host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    let buffer = '';
    const done = (error?: Error) => {
      socket.destroy();
      if (error) reject(error);
      else resolve();
    };
    socket.setTimeout(1000, () => done(new Error('timeout')));
    socket.on('data', (chunk) => {
      buffer += chunk.toString('latin1');
      if (buffer.startsWith('INFO ')) done();
    });
    socket.on('error', done);
    socket.on('close', () => done(new Error('closed')));
  });
}

/**
 * Polls host:port until a NATS INFO line arrives, the process exits, or `timeoutMs` passes.
 * Throws TIMEOUT / INTERNAL WardClerkErrors that carry nats-server's output tail in details.
 */
async function waitReady(child: ChildProcess, host: string, port: number, timeoutMs: number, output: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new WardClerkError('INTERNAL', `nats-server exited before accepting connections (code ${child.exitCode}, signal ${child.signalCode})`, {
        details: { role: 'nats-server', reason: 'exited_before_ready', output: output().slice(-4000) },
      });
    }
    try {
      await probeInfo(host, port);
      return;
    } catch {
      if (Date.now() >= deadline) {
        throw new WardClerkError('TIMEOUT', `nats-server did not accept connections on ${host}:${port} within ${timeoutMs} ms`, {
          details: { role: 'nats-server', reason: 'ready_timeout', timeout_ms: timeoutMs, output: output().slice(-4000) },
        });
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/** Starts nats-server and resolves once it accepts connections (kills it on failure). */
export async function launchNatsServer(options: NatsProcessOptions): Promise<NatsProcess> {
  const binary = options.binary ?? findNatsServer();
  if (!binary) {
    throw new WardClerkError('CONFIG_INVALID', 'nats-server is not installed: run `apt-get install -y nats-server`, or set NATS_URL to an existing server', {
      details: { reason: 'nats_server_missing' },
    });
  }
  const host = options.host ?? '127.0.0.1';
  const syncAlways = options.storeDir !== undefined && (await supportsSyncInterval(binary));
  await mkdir(options.configDir, { recursive: true, mode: 0o700 });
  if (options.storeDir !== undefined) await mkdir(options.storeDir, { recursive: true, mode: 0o700 });
  const configFile = join(options.configDir, 'nats-server.conf');
  const text = renderNatsConfig({ host, port: options.port, storeDir: options.storeDir, cipherKeyHex: options.cipherKeyHex, syncAlways, users: options.users, tls: options.tls });
  await writeFile(configFile, text, { mode: 0o600 });
  await chmod(configFile, 0o600);

  const argv = [binary, '-c', configFile];
  const child = spawn(binary, argv.slice(1), { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let partial = '';
  const onData = (chunk: Buffer) => {
    const s = chunk.toString('utf8');
    output = (output + s).slice(-OUTPUT_LIMIT);
    if (!options.onLog) return;
    const lines = (partial + s).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) if (line) options.onLog(line);
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = exitOf(child);
  if (child.pid === undefined) {
    await new Promise((r) => child.once('error', r));
    throw new WardClerkError('INTERNAL', `could not start nats-server at ${binary}`, { details: { role: 'nats-server', reason: 'spawn_failed' } });
  }
  const pid = child.pid;
  try {
    await waitReady(child, host, options.port, options.readyTimeoutMs ?? 15_000, () => output);
  } catch (error) {
    signalGroup(pid, 'SIGKILL');
    await exited;
    throw error;
  }
  return {
    pid,
    port: options.port,
    url: `nats://${host}:${options.port}`,
    argv,
    syncAlways,
    exited,
    output: () => output,
    stop: (graceMs = 10_000) => stopGroup(child, graceMs),
    kill9: async () => {
      signalGroup(pid, 'SIGKILL');
      return exited;
    },
  };
}
