/**
 * A real nats-server for integration tests: random free port, JetStream in a temp dir, optional
 * encryption at rest, and — unless `auth: false` — the same per-role NKey users and permissions
 * as production (core/bus-permissions.ts), so every test that uses it exercises them: a client
 * connects as a role with `connectOptions(role)` / `credentials[role]`. Shared by every test that
 * needs NATS; dispose it (`await using`) or call stop() in afterAll. restart() comes back on the
 * same port and store, as after a crash.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nkeyAuthenticator, type ConnectionOptions } from '@nats-io/nats-core';
import { natsUsersFor } from '../core/bus-permissions.js';
import { ensureNatsCredentials, type NatsCredentials, type NatsRole } from '../core/nats-credentials.js';
import { findFreePort } from '../scripts/supervisor/free-port.js';
import { launchNatsServer, type NatsProcess } from '../scripts/supervisor/nats-process.js';

export interface NatsServerHandle {
  url: string;
  port: number;
  /** The current nats-server process id (changes on restart()). */
  readonly pid: number;
  /** The JetStream store directory ('' when started with `jetstream: false`). */
  storeDir: string;
  /** Each role's credentials (null with `auth: false`). Secret seeds: never log them. */
  credentials: Record<NatsRole, NatsCredentials> | null;
  /** The directory holding `<role>.json` credential files ('' with `auth: false`). */
  credentialsDir: string;
  /** Options for nats' connect() as `role` (servers, NKey authenticator, inbox prefix); no role: anonymous. */
  connectOptions(role?: NatsRole): ConnectionOptions;
  /** The credentials file of `role`, for WARDCLERK_NATS_CREDENTIALS. */
  credentialsFile(role: NatsRole): string;
  /** Graceful stop; also removes the temp dir. Idempotent. */
  stop(): Promise<void>;
  /** SIGKILL, keeping the store, as a crash would; follow with restart(). */
  kill9(): Promise<void>;
  /** Stops (gracefully when running) and starts again on the same port with the same store. */
  restart(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

export interface StartNatsServerOptions {
  /** Default true. */
  jetstream?: boolean;
  /** 64 hex chars: enables JetStream encryption at rest (chachapoly). */
  cipherKeyHex?: string;
  /** Default true: per-role NKey users, no anonymous clients. */
  auth?: boolean;
  /** Server certificate and key: clients must speak TLS. */
  tls?: { certFile: string; keyFile: string };
  /** Where the credential files are generated or reused (default a temp dir); e.g. an appliance's `<data>/nats-credentials`. */
  credentialsDir?: string;
}

/** nats connect() options for a client acting as the role whose credentials these are. */
export function roleConnectOptions(url: string, credentials: NatsCredentials | undefined): ConnectionOptions {
  if (!credentials) return { servers: url };
  return { servers: url, authenticator: nkeyAuthenticator(new TextEncoder().encode(credentials.seed)), inboxPrefix: credentials.inboxPrefix };
}

/** Starts a nats-server and resolves once it accepts connections. */
export async function startNatsServer(options: StartNatsServerOptions = {}): Promise<NatsServerHandle> {
  const dir = await mkdtemp(join(tmpdir(), 'wardclerk-nats-'));
  const storeDir = options.jetstream === false ? '' : join(dir, 'jetstream');
  const credentialsDir = options.auth === false ? '' : (options.credentialsDir ?? join(dir, 'credentials'));
  const credentials = credentialsDir ? await ensureNatsCredentials(credentialsDir) : null;
  const users = credentials ? natsUsersFor(credentials) : undefined;
  const launch = async (port: number): Promise<NatsProcess> =>
    launchNatsServer({
      configDir: dir,
      port,
      storeDir: storeDir || undefined,
      cipherKeyHex: options.cipherKeyHex,
      users,
      tls: options.tls,
    });

  let current: NatsProcess | undefined;
  // The free port could be taken between the probe and nats-server's bind: try a few.
  for (let attempt = 0; !current; attempt++) {
    try {
      current = await launch(await findFreePort());
    } catch (error) {
      if (attempt >= 3) {
        await rm(dir, { recursive: true, force: true });
        throw error;
      }
    }
  }
  let server: NatsProcess = current;
  let running = true;
  let stopped = false;
  // A test process that dies without stopping its server (a crash, a forgotten stop) must not
  // leave nats-server running: kill it on the way out.
  const onExit = () => {
    if (running) {
      try {
        process.kill(server.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
  };
  process.once('exit', onExit);

  const handle: NatsServerHandle = {
    url: server.url,
    port: server.port,
    get pid() {
      return server.pid;
    },
    storeDir,
    credentials,
    credentialsDir,
    connectOptions(role) {
      return roleConnectOptions(server.url, role && credentials ? credentials[role] : undefined);
    },
    credentialsFile(role) {
      if (!credentialsDir) throw new Error('this nats-server runs without auth');
      return join(credentialsDir, `${role}.json`);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      if (running) await server.stop();
      running = false;
      process.off('exit', onExit);
      await rm(dir, { recursive: true, force: true });
    },
    async kill9() {
      if (running) await server.kill9();
      running = false;
    },
    async restart() {
      if (stopped) throw new Error('nats-server test handle already stopped');
      if (running) await server.stop();
      running = false;
      server = await launch(handle.port);
      running = true;
    },
    [Symbol.asyncDispose]: () => handle.stop(),
  };
  return handle;
}
