/**
 * Pipeline step: one batch item. Payload: an ItemMessage (ids only) from the `items` consumer.
 * Idempotent: the item's state is re-read first and a terminal item is just acknowledged, so a
 * redelivered message never extracts or stores twice (the store's completeItem is idempotent too).
 * Every path settles the message explicitly:
 *   success → ack; permanent coded error → fail the item + term;
 *   transient error → nak with a delay, or on the last allowed delivery fail + dead-letter + term.
 */
import type { JsMsg } from '@nats-io/jetstream';
import { contracts, ItemMessageSchema, type ItemMessage } from '../core/contracts.js';
import type { Bus } from '../core/bus.js';
import type { Config } from '../core/config.js';
import type { Logger } from '../core/logger.js';
import type { WardClerkError } from '../core/errors.js';
import { exponentialDelayMs, isTransient, toCodedError } from './retry-policy.js';
import { sendDeadLetter } from './dead-letter.js';
import { parseMessage } from './parse-message.js';

export type BatchItemSettings = Pick<Config, 'engineTimeoutMs' | 'itemMaxDeliver' | 'itemAckWaitMs'>;

export interface BatchItemDeps {
  bus: Bus;
  log: Logger;
  settings: BatchItemSettings;
}

/** What happened to the message; for logs and tests. */
export type BatchItemOutcome = 'completed' | 'already-done' | 'failed' | 'retry' | 'dead' | 'missing' | 'invalid';

/** Delay before retrying a transient failure: 1s, 2s, 4s… capped by the ack wait. */
export function itemRetryDelayMs(attempt: number, ackWaitMs: number): number {
  return exponentialDelayMs(attempt, 1000, ackWaitMs);
}

/** Handles one delivery of a batch item message and settles it. Never throws for expected failures. */
export async function handleBatchItem(msg: JsMsg, deps: BatchItemDeps): Promise<BatchItemOutcome> {
  const item = parseMessage(msg, ItemMessageSchema, deps.log);
  if (!item) return 'invalid';
  const attempt = msg.info.deliveryCount;
  const ids = { job_id: item.job_id, index: item.index, attempt };
  try {
    const outcome = await processItem(msg, item, deps);
    deps.log.debug({ ...ids, outcome }, 'batch item');
    return outcome;
  } catch (e) {
    const error = toCodedError(e);
    if (error.code === 'NOT_FOUND') {
      // The job or item no longer exists (e.g. deleted): nothing left to do.
      msg.term();
      deps.log.warn({ ...ids, code: error.code }, 'batch item not found');
      return 'missing';
    }
    const last = attempt >= deps.settings.itemMaxDeliver;
    if (isTransient(error) && !last) {
      msg.nak(itemRetryDelayMs(attempt, deps.settings.itemAckWaitMs));
      deps.log.warn({ ...ids, code: error.code }, 'batch item retry');
      return 'retry';
    }
    return recordFailure(msg, item, error, isTransient(error), deps);
  }
}

async function processItem(msg: JsMsg, item: ItemMessage, deps: BatchItemDeps): Promise<'completed' | 'already-done'> {
  const { bus, settings } = deps;
  const current = await bus.request(contracts.jobItemGet, item);
  if (current.state !== 'pending') {
    msg.ack();
    return 'already-done';
  }
  const extraction = await whileWorking(msg, settings.itemAckWaitMs, () =>
    bus.request(
      contracts.engineExtract,
      { tenant_id: item.tenant_id, text: current.text },
      { timeoutMs: settings.engineTimeoutMs },
    ),
  );
  await bus.request(contracts.jobItemComplete, { ...item, extraction });
  msg.ack();
  return 'completed';
}

/** Records a final failure; when it cannot be recorded now, naks so a later delivery (or the MaxDeliver advisory) does it. */
async function recordFailure(
  msg: JsMsg,
  item: ItemMessage,
  error: WardClerkError,
  exhausted: boolean,
  deps: BatchItemDeps,
): Promise<BatchItemOutcome> {
  const attempt = msg.info.deliveryCount;
  const ids = { job_id: item.job_id, index: item.index, attempt, code: error.code };
  try {
    await deps.bus.request(contracts.jobItemFail, { ...item, code: error.code, message: error.message });
    if (exhausted) {
      await sendDeadLetter(deps.bus, {
        kind: 'items', tenant_id: item.tenant_id, ref: `${item.job_id}.${item.index}`, code: error.code,
        message: error.message, attempts: attempt, ids: { job_id: item.job_id, index: item.index },
      });
    }
  } catch (e) {
    msg.nak(itemRetryDelayMs(attempt, deps.settings.itemAckWaitMs));
    deps.log.warn({ ...ids, record_code: toCodedError(e).code }, 'batch item failure not recorded; retrying');
    return 'retry';
  }
  msg.term();
  deps.log.warn(ids, exhausted ? 'batch item dead-lettered' : 'batch item failed');
  return exhausted ? 'dead' : 'failed';
}

/**
 * Runs `work` while telling JetStream the message is still being processed, so a long extraction
 * is not redelivered to another worker halfway through.
 */
async function whileWorking<T>(msg: JsMsg, ackWaitMs: number, work: () => Promise<T>): Promise<T> {
  const timer = setInterval(() => msg.working(), Math.max(100, Math.floor(ackWaitMs / 3)));
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}

