/**
 * A real nats-server for integration tests: random free port, JetStream in a temp dir, optional
 * encryption at rest. Shared by every test that needs NATS; dispose it (`await using`) or call
 * stop() in afterAll. restart() comes back on the same port and store, as after a crash.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePort } from '../scripts/supervisor/free-port.js';
import { launchNatsServer, type NatsProcess } from '../scripts/supervisor/nats-process.js';

export interface NatsServerHandle {
  url: string;
  port: number;
  /** The current nats-server process id (changes on restart()). */
  readonly pid: number;
  /** The JetStream store directory ('' when started with `jetstream: false`). */
  storeDir: string;
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
}

/** Starts a nats-server and resolves once it accepts connections. */
export async function startNatsServer(options: StartNatsServerOptions = {}): Promise<NatsServerHandle> {
  const dir = await mkdtemp(join(tmpdir(), 'wardclerk-nats-'));
  const storeDir = options.jetstream === false ? '' : join(dir, 'jetstream');
  const launch = async (port: number): Promise<NatsProcess> =>
    launchNatsServer({
      configDir: dir,
      port,
      storeDir: storeDir || undefined,
      cipherKeyHex: options.cipherKeyHex,
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
