/**
 * Starts the worker's consumers on an already-connected bus: batch items, event fan-out, webhook
 * deliveries, and the items MAX_DELIVERIES advisory listener. Wiring only; tests call it with
 * their own bus and settings. close() stops them in reverse order, letting handlers in flight finish.
 */
import { STREAMS } from '../core/contracts.js';
import type { Bus } from '../core/bus.js';
import type { Config } from '../core/config.js';
import type { Logger } from '../core/logger.js';
import { startConsumeLoop } from './consume-loop.js';
import { handleBatchItem } from './batch-item.js';
import { handleWebhookFanout } from './webhook-fanout.js';
import { handleWebhookDelivery } from './webhook-delivery.js';
import { listenItemMaxDeliveries } from './item-max-deliveries.js';
import { handleNoteMessage } from './note-pipeline.js';
import { listenNoteMaxDeliveries } from './note-max-deliveries.js';
import { handleDocumentMessage } from './document-pipeline.js';
import { createWorkerEmbedder } from './document-index.js';
import { listenDocumentMaxDeliveries } from './document-max-deliveries.js';

export type WorkerSettings = Pick<
  Config,
  'engineTimeoutMs' | 'itemMaxDeliver' | 'itemAckWaitMs' | 'workerConcurrency' | 'webhookBackoffMs' | 'webhookTimeoutMs' | 'webhookAllow'
>;

export interface WorkerDeps {
  bus: Bus;
  log: Logger;
  settings: WorkerSettings;
}

export interface Worker {
  /** Stops consuming; handlers in flight finish (or their messages stay unacked). Idempotent. */
  close(): Promise<void>;
}

/** Starts every consumer of the worker role. The streams and consumers must exist (ensureStreams). */
export async function startWorker(deps: WorkerDeps): Promise<Worker> {
  const { bus, log, settings } = deps;
  const stops: Array<{ close(): Promise<void> }> = [];
  try {
    stops.push(listenItemMaxDeliveries({ bus, log }));
    stops.push(listenNoteMaxDeliveries({ bus, log }));
    stops.push(listenDocumentMaxDeliveries({ bus, log }));
    stops.push(await startConsumeLoop({
      js: bus.js, stream: STREAMS.items.name, durable: STREAMS.items.consumer, concurrency: settings.workerConcurrency, log,
      handle: (msg) => handleBatchItem(msg, { bus, log, settings }),
    }));
    stops.push(await startConsumeLoop({
      js: bus.js, stream: STREAMS.notes.name, durable: STREAMS.notes.consumer, concurrency: settings.workerConcurrency, log,
      handle: (msg) => handleNoteMessage(msg, { bus, log, settings }),
    }));
    // Patient documents (issue 9): OCR and extraction are long, so few at a time per worker.
    const embedder = createWorkerEmbedder();
    stops.push(await startConsumeLoop({
      js: bus.js, stream: STREAMS.docs.name, durable: STREAMS.docs.consumer, concurrency: Math.max(1, Math.min(2, settings.workerConcurrency)), log,
      handle: (msg) => handleDocumentMessage(msg, { bus, log, settings, embedder }),
    }));
    // Fan-out waits on the store (one synced write per subscription and batch of events): more in
    // flight lets the gateway commit a busy tenant's admissions together.
    stops.push(await startConsumeLoop({
      js: bus.js, stream: STREAMS.events.name, durable: STREAMS.events.consumer, concurrency: 16, log,
      handle: (msg) => handleWebhookFanout(msg, { bus, log }),
    }));
    stops.push(await startConsumeLoop({
      js: bus.js, stream: STREAMS.deliveries.name, durable: STREAMS.deliveries.consumer, concurrency: settings.workerConcurrency, log,
      handle: (msg) => handleWebhookDelivery(msg, { bus, log, settings }),
    }));
  } catch (error) {
    await closeAll(stops);
    throw error;
  }
  let closed: Promise<void> | undefined;
  return { close: () => (closed ??= closeAll(stops)) };
}

async function closeAll(stops: Array<{ close(): Promise<void> }>): Promise<void> {
  for (const s of [...stops].reverse()) await s.close();
}
