/**
 * Queues a batch job's work on JetStream in chunks: one message stands for up to CHUNK_ITEMS
 * consecutive items (and at most CHUNK_TEXT_CHARS of note text, so the chunk's texts, and the
 * extractions that come back, fit well inside a NATS message). One message per chunk means one
 * engine call and one durable store write per chunk instead of per item; items stay the unit of
 * exactly-once, because the store settles each item idempotently.
 */
import type { JetStreamClient } from '@nats-io/jetstream';
import { encodeJson } from '../../core/bus.js';
import { MAX_CHUNK_ITEMS, itemSubject, type ItemMessage } from '../../core/contracts.js';

/** Items per work message (≤ MAX_CHUNK_ITEMS): small enough that 8 workers keep the engine busy. */
export const CHUNK_ITEMS = Math.min(50, MAX_CHUNK_ITEMS);
/** Note text per work message, in characters. */
export const CHUNK_TEXT_CHARS = 256 * 1024;

export interface ItemChunk {
  index: number;
  count: number;
}

/** Splits items (by their text lengths) into consecutive chunks; every item is in exactly one. */
export function chunkItems(textLengths: readonly number[], maxItems = CHUNK_ITEMS, maxChars = CHUNK_TEXT_CHARS): ItemChunk[] {
  const chunks: ItemChunk[] = [];
  let start = 0;
  let chars = 0;
  textLengths.forEach((len, i) => {
    const count = i - start;
    if (count > 0 && (count >= maxItems || chars + len > maxChars)) {
      chunks.push({ index: start, count });
      start = i;
      chars = 0;
    }
    chars += len;
  });
  if (textLengths.length > start) chunks.push({ index: start, count: textLengths.length - start });
  return chunks;
}

/**
 * Publishes one work message per chunk, awaiting JetStream's acknowledgements (pipelined).
 * The message id `<job>.<first index>` makes a retried submit publish nothing twice.
 */
export function createItemEnqueuer(js: JetStreamClient): (tenantId: string, jobId: string, chunks: ItemChunk[]) => Promise<void> {
  return async (tenantId, jobId, chunks) => {
    const subject = itemSubject(tenantId);
    await Promise.all(chunks.map((c) => {
      const msg: ItemMessage = { tenant_id: tenantId, job_id: jobId, index: c.index, count: c.count };
      return js.publish(subject, encodeJson(msg), { msgID: `${jobId}.${c.index}` });
    }));
  };
}
