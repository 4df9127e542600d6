/**
 * JetStream streams and durable consumers, created or updated idempotently by every process that
 * uses them. Work queues use work-queue retention and file storage; publishers set `Nats-Msg-Id`
 * (duplicate window below); consumers ack explicitly, with MaxDeliver and BackOff.
 */
import { AckPolicy, DeliverPolicy, RetentionPolicy, StorageType, type JetStreamManager, type StreamConfig, type ConsumerConfig } from '@nats-io/jetstream';
import { nanos } from '@nats-io/nats-core';
import { STREAMS } from './contracts.js';

export interface JetStreamSettings {
  itemMaxDeliver: number;
  itemAckWaitMs: number;
  webhookBackoffMs: number[];
  webhookTimeoutMs: number;
}

const DAY_MS = 86_400_000;

async function ensureStream(jsm: JetStreamManager, cfg: Partial<StreamConfig> & { name: string }): Promise<void> {
  const exists = await jsm.streams.info(cfg.name).then(() => true, () => false);
  if (exists) await jsm.streams.update(cfg.name, cfg);
  else await jsm.streams.add(cfg);
}

async function ensureConsumer(jsm: JetStreamManager, stream: string, cfg: Partial<ConsumerConfig> & { durable_name: string }): Promise<void> {
  const exists = await jsm.consumers.info(stream, cfg.durable_name).then(() => true, () => false);
  if (exists) await jsm.consumers.update(stream, cfg.durable_name, cfg);
  else await jsm.consumers.add(stream, cfg);
}

/**
 * Longest redelivery delay of an item or note: doubling stops here. Without a cap, 50 attempts
 * from a 1 s ack wait reach 2^48 s, whose nanoseconds JSON writes as `2.8e+23`, and nats-server
 * refuses the consumer config as invalid JSON.
 */
export const ITEM_BACKOFF_CAP_MS = 3_600_000;

/**
 * Exponential back-off list of `length` entries starting at `firstMs`, each at most `capMs` (but
 * never below `firstMs`): every entry stays a small whole number of milliseconds.
 */
export function backoffSchedule(firstMs: number, length: number, capMs = ITEM_BACKOFF_CAP_MS): number[] {
  return Array.from({ length }, (_, i) => Math.max(firstMs, Math.min(capMs, firstMs * 2 ** i)));
}

/** Creates or updates every stream and durable consumer. Safe to call from many processes. */
export async function ensureStreams(jsm: JetStreamManager, s: JetStreamSettings): Promise<void> {
  const dup = nanos(120_000);
  await ensureStream(jsm, {
    name: STREAMS.items.name, subjects: [...STREAMS.items.subjects], retention: RetentionPolicy.Workqueue,
    storage: StorageType.File, duplicate_window: dup,
  });
  await ensureStream(jsm, {
    name: STREAMS.events.name, subjects: [...STREAMS.events.subjects], retention: RetentionPolicy.Limits,
    storage: StorageType.File, duplicate_window: dup, max_age: nanos(7 * DAY_MS),
  });
  await ensureStream(jsm, {
    name: STREAMS.deliveries.name, subjects: [...STREAMS.deliveries.subjects], retention: RetentionPolicy.Workqueue,
    storage: StorageType.File, duplicate_window: dup,
  });
  await ensureStream(jsm, {
    name: STREAMS.dead.name, subjects: [...STREAMS.dead.subjects], retention: RetentionPolicy.Limits,
    storage: StorageType.File, max_age: nanos(30 * DAY_MS),
  });
  // Items: redelivered after a crashed worker's ack deadline, with growing back-off.
  const itemBackoff = backoffSchedule(s.itemAckWaitMs, Math.max(1, s.itemMaxDeliver - 1)).map(nanos);
  await ensureConsumer(jsm, STREAMS.items.name, {
    durable_name: STREAMS.items.consumer, ack_policy: AckPolicy.Explicit, deliver_policy: DeliverPolicy.All,
    max_deliver: s.itemMaxDeliver, ack_wait: nanos(s.itemAckWaitMs), backoff: itemBackoff, max_ack_pending: 1000,
  });
  // Notes (issue 8): one message per note, retried like batch items.
  await ensureStream(jsm, {
    name: STREAMS.notes.name, subjects: [...STREAMS.notes.subjects], retention: RetentionPolicy.Workqueue,
    storage: StorageType.File, duplicate_window: dup,
  });
  await ensureConsumer(jsm, STREAMS.notes.name, {
    durable_name: STREAMS.notes.consumer, ack_policy: AckPolicy.Explicit, deliver_policy: DeliverPolicy.All,
    max_deliver: s.itemMaxDeliver, ack_wait: nanos(s.itemAckWaitMs), backoff: itemBackoff, max_ack_pending: 1000,
  });
  // Patient documents (issue 9): one message per document, retried like notes.
  await ensureStream(jsm, {
    name: STREAMS.docs.name, subjects: [...STREAMS.docs.subjects], retention: RetentionPolicy.Workqueue,
    storage: StorageType.File, duplicate_window: dup,
  });
  await ensureConsumer(jsm, STREAMS.docs.name, {
    durable_name: STREAMS.docs.consumer, ack_policy: AckPolicy.Explicit, deliver_policy: DeliverPolicy.All,
    max_deliver: s.itemMaxDeliver, ack_wait: nanos(s.itemAckWaitMs), backoff: itemBackoff, max_ack_pending: 1000,
  });
  await ensureConsumer(jsm, STREAMS.events.name, {
    durable_name: STREAMS.events.consumer, ack_policy: AckPolicy.Explicit, deliver_policy: DeliverPolicy.All,
    max_deliver: 20, ack_wait: nanos(30_000),
  });
  // Deliveries: the worker naks with the configured delay; MaxDeliver bounds the attempts.
  await ensureConsumer(jsm, STREAMS.deliveries.name, {
    durable_name: STREAMS.deliveries.consumer, ack_policy: AckPolicy.Explicit, deliver_policy: DeliverPolicy.All,
    max_deliver: s.webhookBackoffMs.length + 1, ack_wait: nanos(s.webhookTimeoutMs + 5_000), max_ack_pending: 1000,
  });
}
