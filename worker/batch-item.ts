/**
 * Pipeline step: a chunk of batch items. Payload: an ItemMessage (ids only) standing for items
 * `index .. index+count-1` of one job. The chunk is processed with three requests, whatever its
 * size: the pending items' texts from the store, ONE engine call extracting them all
 * (`wc.engine.extract-batch`), and ONE store request settling them all in one durable write.
 * Idempotent: items are re-read first and only pending ones are extracted, and the store settles
 * each item at most once, so a redelivered or duplicated message never stores anything twice.
 * Every path settles the message explicitly:
 *   all items settled → ack; some items hit a transient error → the rest are stored, the message is
 *   nak'ed with a delay (only those items are retried), or on the last allowed delivery they are
 *   failed + dead-lettered and the message is termed; a permanent coded error fails that item only.
 */
import type { JsMsg } from '@nats-io/jetstream';
import { contracts, ItemMessageSchema, type ItemMessage } from '../core/contracts.js';
import type { Bus } from '../core/bus.js';
import { WardClerkError, errorFromJSON } from '../core/errors.js';
import { isTransient, toCodedError } from './retry-policy.js';
import { sendDeadLetter } from './dead-letter.js';
import { parseMessage } from './parse-message.js';
import { stepRetryDelayMs, whileWorking, type PipelineStepDeps } from './pipeline-step.js';

/** What happened to the message; for logs and tests. */
export type BatchItemOutcome = 'completed' | 'already-done' | 'failed' | 'retry' | 'dead' | 'missing' | 'invalid';

type Failure = { index: number; code: string; message: string; transient: boolean };

/** Handles one delivery of a batch work message and settles it. Never throws for expected failures. */
export async function handleBatchItem(msg: JsMsg, deps: PipelineStepDeps): Promise<BatchItemOutcome> {
  const item = parseMessage(msg, ItemMessageSchema, deps.log);
  if (!item) return 'invalid';
  const attempt = msg.info.deliveryCount;
  const ids = { job_id: item.job_id, index: item.index, count: item.count ?? 1, attempt };
  try {
    const outcome = await processChunk(msg, item, deps);
    deps.log.debug({ ...ids, outcome }, 'batch items');
    return outcome;
  } catch (e) {
    const error = toCodedError(e);
    if (error.code === 'NOT_FOUND') {
      // The job no longer exists (e.g. deleted): nothing left to do.
      msg.term();
      deps.log.warn({ ...ids, code: error.code }, 'batch items not found');
      return 'missing';
    }
    const last = attempt >= deps.settings.itemMaxDeliver;
    if (isTransient(error) && !last) {
      msg.nak(stepRetryDelayMs(attempt, deps.settings.itemAckWaitMs));
      deps.log.warn({ ...ids, code: error.code }, 'batch items retry');
      return 'retry';
    }
    return recordChunkFailure(msg, item, error, isTransient(error), deps);
  }
}

function indexesOf(item: ItemMessage): number[] {
  return Array.from({ length: item.count ?? 1 }, (_, i) => item.index + i);
}

async function processChunk(msg: JsMsg, item: ItemMessage, deps: PipelineStepDeps): Promise<BatchItemOutcome> {
  const { bus, settings } = deps;
  const ref = { tenant_id: item.tenant_id, job_id: item.job_id };
  const current = await bus.request(contracts.jobItemsGet, { ...ref, index: item.index, count: item.count ?? 1 });
  const pending = current.filter((it) => it.state === 'pending');
  if (pending.length === 0) {
    msg.ack();
    return 'already-done';
  }
  const { results } = await whileWorking(msg, settings.itemAckWaitMs, () =>
    bus.request(
      contracts.engineExtractBatch,
      { tenant_id: item.tenant_id, texts: pending.map((it) => it.text) },
      // One text may take the whole per-request budget (a local LLM): the chunk gets it per text.
      { timeoutMs: settings.engineTimeoutMs * pending.length },
    ),
  );
  if (results.length !== pending.length) throw new WardClerkError('INTERNAL', 'The engine answered a different number of results');
  const attempt = msg.info.deliveryCount;
  const last = attempt >= settings.itemMaxDeliver;
  const completed: Array<{ index: number; extraction: Record<string, unknown> }> = [];
  const failed: Failure[] = [];
  const retry: Failure[] = [];
  results.forEach((r, i) => {
    const index = pending[i]!.index;
    if (r.ok) return void completed.push({ index, extraction: r.extraction });
    const error = errorFromJSON(r.error);
    const f = { index, code: error.code, message: error.message, transient: isTransient(error) };
    if (f.transient && !last) retry.push(f);
    else failed.push(f);
  });
  await bus.request(contracts.jobItemsSettle, { ...ref, completed, failed: failed.map(({ index, code, message }) => ({ index, code, message })) });
  const exhausted = failed.filter((f) => f.transient);
  for (const f of exhausted) await deadLetter(bus, item, f, attempt);
  if (retry.length > 0) {
    msg.nak(stepRetryDelayMs(attempt, settings.itemAckWaitMs));
    deps.log.warn({ job_id: item.job_id, index: item.index, retrying: retry.length, code: retry[0]!.code, attempt }, 'batch items retry');
    return 'retry';
  }
  if (exhausted.length > 0) {
    msg.term();
    deps.log.warn({ job_id: item.job_id, index: item.index, dead: exhausted.length, attempt }, 'batch items dead-lettered');
    return 'dead';
  }
  msg.ack();
  return completed.length > 0 ? 'completed' : 'failed';
}

function deadLetter(bus: Bus, item: ItemMessage, f: Failure, attempts: number): Promise<void> {
  return sendDeadLetter(bus, {
    kind: 'items', tenant_id: item.tenant_id, ref: `${item.job_id}.${f.index}`, code: f.code,
    message: f.message, attempts, ids: { job_id: item.job_id, index: f.index },
  });
}

/**
 * Records a final failure for every item of the chunk still pending (the store leaves terminal
 * ones alone); when it cannot be recorded now, naks so a later delivery (or the MaxDeliver
 * advisory) does it.
 */
async function recordChunkFailure(msg: JsMsg, item: ItemMessage, error: WardClerkError, exhausted: boolean, deps: PipelineStepDeps): Promise<BatchItemOutcome> {
  const attempt = msg.info.deliveryCount;
  const ids = { job_id: item.job_id, index: item.index, count: item.count ?? 1, attempt, code: error.code };
  try {
    const failed = indexesOf(item).map((index) => ({ index, code: error.code, message: error.message }));
    const out = await deps.bus.request(contracts.jobItemsSettle, { tenant_id: item.tenant_id, job_id: item.job_id, completed: [], failed });
    if (exhausted) {
      for (const s of out.settled) if (s.state === 'failed') await deadLetter(deps.bus, item, { index: s.index, code: error.code, message: error.message, transient: true }, attempt);
    }
  } catch (e) {
    msg.nak(stepRetryDelayMs(attempt, deps.settings.itemAckWaitMs));
    deps.log.warn({ ...ids, record_code: toCodedError(e).code }, 'batch items failure not recorded; retrying');
    return 'retry';
  }
  msg.term();
  deps.log.warn(ids, exhausted ? 'batch items dead-lettered' : 'batch items failed');
  return exhausted ? 'dead' : 'failed';
}
