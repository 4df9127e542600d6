/**
 * The whole appliance for integration tests: a real nats-server (encrypted JetStream), and the real
 * gateway, engine and worker running in this process against a temp data dir, with their log lines
 * captured (tests assert no PHI reaches them). Dispose with `await using` or close().
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig, type Config } from '../core/config.js';
import { initCrypto } from '../core/crypto.js';
import { createLogger, type Logger } from '../core/logger.js';
import { loadOrCreateMasterKey, jetstreamCipherKeyHex } from '../core/master-key.js';
import { credentialsDirOf } from '../core/nats-credentials.js';
import type { RoleHandle } from '../core/role.js';
import { runEngine } from '../engine/main.js';
import { runGateway, type RunGatewayOptions } from '../gateway/main.js';
import { runWorker } from '../worker/main.js';
import { startNatsServer, type NatsServerHandle } from './nats-server.js';

export type Role = 'gateway' | 'engine' | 'worker';

export interface Appliance {
  url: string;
  dataDir: string;
  config: Config;
  nats: NatsServerHandle;
  adminPassword: string;
  /** Every log line written so far by the three roles. */
  logs(): string;
  stop(role: Role): Promise<void>;
  start(role: Role): Promise<void>;
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

export const TEST_ADMIN_PASSWORD = 'correct-horse-battery-staple';

export interface StartApplianceOptions {
  env?: Record<string, string>;
  /** Start without these roles (e.g. a test that needs no engine). */
  without?: Role[];
  /** Test hooks of the in-process gateway (e.g. the session sweep's clock and interval). */
  gateway?: Omit<RunGatewayOptions, 'log'>;
}

export async function startAppliance(options: StartApplianceOptions = {}): Promise<Appliance> {
  await initCrypto();
  const dataDir = await mkdtemp(join(tmpdir(), 'wardclerk-app-'));
  const masterKey = await loadOrCreateMasterKey(join(dataDir, 'master.key'));
  // Per-role NATS users as `npm start` makes them: each role finds its file under the data dir.
  const nats = await startNatsServer({ cipherKeyHex: jetstreamCipherKeyHex(masterKey), credentialsDir: credentialsDirOf(dataDir) });
  const config = loadConfig({
    WARDCLERK_DATA_DIR: dataDir,
    WARDCLERK_PORT: '0',
    WARDCLERK_HOST: '127.0.0.1',
    NATS_URL: nats.url,
    WARDCLERK_ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
    WARDCLERK_LOG_LEVEL: 'info',
    WARDCLERK_WEBHOOK_BACKOFF_MS: '50,100,200,400,800',
    // Test receivers listen on loopback, which webhooks may reach only when allow-listed.
    WARDCLERK_WEBHOOK_ALLOW: '127.0.0.1',
    WARDCLERK_ITEM_ACK_WAIT_MS: '2000',
    ...options.env,
  });
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  const loggers: Record<Role, Logger> = {
    gateway: createLogger({ level: 'debug', role: 'gateway', destination: sink }),
    engine: createLogger({ level: 'debug', role: 'engine', destination: sink }),
    worker: createLogger({ level: 'debug', role: 'worker', destination: sink }),
  };
  const handles = new Map<Role, RoleHandle>();
  let url = '';
  const runners: Record<Role, () => Promise<RoleHandle>> = {
    gateway: () => runGateway(url ? { ...config, port: Number(new URL(url).port) } : config, { ...options.gateway, log: loggers.gateway }),
    engine: () => runEngine(config, { log: loggers.engine }),
    worker: () => runWorker(config, { log: loggers.worker }),
  };
  const start = async (role: Role) => {
    const h = await runners[role]();
    handles.set(role, h);
    if (role === 'gateway' && h.url) url = h.url;
  };
  const stop = async (role: Role) => {
    const h = handles.get(role);
    handles.delete(role);
    await h?.close();
  };
  for (const role of ['gateway', 'engine', 'worker'] as const) if (!options.without?.includes(role)) await start(role);

  const close = async () => {
    for (const role of ['worker', 'engine', 'gateway'] as const) await stop(role);
    await nats.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
  return {
    get url() {
      return url;
    },
    dataDir, config, nats, adminPassword: TEST_ADMIN_PASSWORD,
    logs: () => lines.join(''),
    stop, start, close,
    [Symbol.asyncDispose]: close,
  };
}
