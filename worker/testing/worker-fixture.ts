/**
 * A worker under test: a real nats-server (random port, temp dir), the fake gateway and engine on
 * their own connection, the worker's own connection, streams ensured with short test timings.
 * Dispose it with `await using` or close() in afterAll; it closes in reverse order.
 */
import { startNatsServer, type NatsServerHandle } from '../../test/nats-server.js';
import { connectBus, type Bus } from '../../core/bus.js';
import { ensureStreams } from '../../core/jetstream-setup.js';
import { createLogger } from '../../core/logger.js';
import { FakeGateway } from './fake-gateway.js';
import { startWorker, type Worker, type WorkerSettings } from '../start-worker.js';

export const TEST_SETTINGS: WorkerSettings = {
  engineTimeoutMs: 2000,
  itemMaxDeliver: 3,
  itemAckWaitMs: 500,
  workerConcurrency: 4,
  webhookBackoffMs: [50, 100, 200, 400, 800],
  webhookTimeoutMs: 1000,
  // The test receivers listen on loopback: allowed explicitly, as an operator would a hospital range.
  webhookAllow: ['127.0.0.1'],
};

export interface WorkerFixture {
  nats: NatsServerHandle;
  gateway: FakeGateway;
  /** The worker's connection (also usable to publish as the gateway would). */
  bus: Bus;
  /** Null when started with `start: false`. */
  worker: Worker | null;
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

export async function startWorkerFixture(options: { settings?: Partial<WorkerSettings>; start?: boolean } = {}): Promise<WorkerFixture> {
  const settings = { ...TEST_SETTINGS, ...options.settings };
  // The fixture's connection plays the gateway (publishing items and events) as well as the worker,
  // so no per-role users here; the integration suites run the real worker with its own credentials.
  const nats = await startNatsServer({ auth: false });
  const gateway = await FakeGateway.start(nats.url);
  const log = createLogger({ level: process.env.WARDCLERK_TEST_LOG ?? 'silent', role: 'worker' });
  const bus = await connectBus({ url: nats.url, name: 'worker-under-test', log });
  await ensureStreams(bus.jsm, settings);
  const worker = options.start === false ? null : await startWorker({ bus, log, settings });
  const close = async () => {
    await worker?.close();
    await bus.close();
    await gateway.close();
    await nats.stop();
  };
  return { nats, gateway, bus, worker, close, [Symbol.asyncDispose]: close };
}
