/**
 * The worker role's composition root: reads nothing but the Config it is given, connects the bus,
 * makes sure the JetStream streams and consumers exist, starts the consumers and reports ready.
 */
import { connectBus } from '../core/bus.js';
import type { Config } from '../core/config.js';
import { WardClerkError } from '../core/errors.js';
import { ensureStreams } from '../core/jetstream-setup.js';
import { resolveRoleCredentials } from '../core/nats-credentials.js';
import { createLogger, type Logger } from '../core/logger.js';
import { announceReady, type RoleHandle } from '../core/role.js';
import { startWorker } from './start-worker.js';

export interface RunWorkerOptions {
  /** Defaults to a pino logger at config.logLevel on stdout. */
  log?: Logger;
}

/**
 * Runs the worker until close(). Throws CONFIG_INVALID naming NATS_URL when it is not set.
 * close() stops consuming (handlers in flight finish), then drains the NATS connection.
 */
export async function runWorker(config: Config, options: RunWorkerOptions = {}): Promise<RoleHandle> {
  if (!config.natsUrl) {
    throw new WardClerkError('CONFIG_INVALID', 'NATS_URL is not set: the worker needs a NATS server. Set it, e.g. NATS_URL=nats://127.0.0.1:4222', {
      details: { variable: 'NATS_URL' },
    });
  }
  const log = options.log ?? createLogger({ level: config.logLevel, role: 'worker' });
  const bus = await connectBus({ url: config.natsUrl, name: 'wardclerk-worker', log, credentials: await resolveRoleCredentials(config, 'worker') });
  let worker;
  try {
    await ensureStreams(bus.jsm, config);
    worker = await startWorker({ bus, log, settings: config });
  } catch (error) {
    await bus.close();
    throw error;
  }
  announceReady('worker');
  log.info({ concurrency: config.workerConcurrency }, 'ready');
  let closed: Promise<void> | undefined;
  return {
    close: () =>
      (closed ??= (async () => {
        await worker.close();
        await bus.close();
      })()),
  };
}
