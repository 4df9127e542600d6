/**
 * Publishes WardClerk events (ids only, no PHI) to JetStream on `wc.events.<tenant>.<type>`, with
 * the event id as `Nats-Msg-Id` so a retried publish is de-duplicated. The worker fans them out to
 * webhooks; the gateway's WebSocket hub streams them to connected apps.
 *
 * Two ways to publish: `publish` awaits JetStream (for events with no change of their own to
 * commit), and the outbox pair `stage` + `release` for an event that announces a stored change:
 * `stage` gives the outbox operation to commit in the change's own synced batch, `release`
 * publishes after that commit without holding up the caller (see gateway/store/outbox-repo.ts).
 * Whatever a crash leaves in the outbox is published by `drainOutbox` at the next start, and a
 * failed release is retried by the same sweep on a timer.
 */
import { randomUUID } from 'node:crypto';
import type { JetStreamClient } from '@nats-io/jetstream';
import { encodeJson } from '../../core/bus.js';
import { eventSubject, type EventType, type WardEvent } from '../../core/contracts.js';
import type { Logger } from '../../core/logger.js';
import type { RawOp } from '../store/group-commit.js';
import type { OutboxRepo } from '../store/outbox-repo.js';

export interface EventPublisher {
  /** Publishes and resolves once JetStream has stored the event. */
  publish(tenantId: string, type: EventType, data: Record<string, unknown>, id?: string, audience?: string[]): Promise<WardEvent>;
  /** The event and the store operation that puts it in the outbox; commit `op` with the change, then `release(event)`. */
  stage(tenantId: string, type: EventType, data: Record<string, unknown>, id?: string, audience?: string[]): { event: WardEvent; op: RawOp };
  /** Publishes a committed outbox event in the background and removes it from the outbox once stored. */
  release(event: WardEvent): void;
  /** Publishes every event left in the outbox (after a crash, or a failed release); resolves with how many. */
  drainOutbox(): Promise<number>;
  /** Stops the retry sweep and waits for releases in flight. */
  close(): Promise<void>;
}

export interface EventPublisherOptions {
  /** The store's outbox; without it `stage` is unavailable (publish only). */
  outbox?: OutboxRepo;
  /** How often the outbox is swept for events whose release failed (default 5 s). */
  sweepMs?: number;
}

export function createEventPublisher(js: JetStreamClient, log: Logger, options: EventPublisherOptions = {}): EventPublisher {
  const { outbox } = options;
  const inFlight = new Set<Promise<void>>();
  const releasing = new Set<string>();
  let sweeping: Promise<number> | null = null;

  // `audience`: the users (ids) whose own WebSockets receive the event (see WardEventSchema).
  const make = (tenantId: string, type: EventType, data: Record<string, unknown>, id: string, audience?: string[]): WardEvent =>
    ({ id, type, tenant_id: tenantId, created_at: new Date().toISOString(), data, ...(audience?.length ? { audience: { user_ids: audience } } : {}) });

  const send = async (event: WardEvent): Promise<void> => {
    try {
      await js.publish(eventSubject(event.tenant_id, event.type), encodeJson(event), { msgID: event.id });
    } catch (e) {
      log.error({ event_id: event.id, type: event.type, err: { type: (e as Error).name } }, 'event publish failed');
      throw e;
    }
  };

  // Removals of published events are coalesced: one LevelDB batch per turn of the event loop,
  // however many requests released an event in it.
  let removals: { ids: string[]; done: Promise<void> } | null = null;
  const removeSoon = (id: string): Promise<void> => {
    if (!removals) {
      const batch: { ids: string[]; done: Promise<void> } = { ids: [], done: Promise.resolve() };
      batch.done = new Promise<void>((r) => setImmediate(r)).then(() => {
        removals = null;
        return outbox!.remove(batch.ids);
      });
      removals = batch;
    }
    removals.ids.push(id);
    return removals.done;
  };

  const publishOutboxed = async (event: WardEvent): Promise<void> => {
    releasing.add(event.id);
    try {
      await send(event);
      await removeSoon(event.id);
    } finally {
      releasing.delete(event.id);
    }
  };

  const drainOutbox = (): Promise<number> => {
    if (!outbox) return Promise.resolve(0);
    sweeping ??= (async () => {
      let sent = 0;
      try {
        for (const event of await outbox.pending()) {
          if (releasing.has(event.id)) continue; // a release is publishing it right now
          await publishOutboxed(event);
          sent++;
        }
      } finally {
        sweeping = null;
      }
      return sent;
    })();
    return sweeping;
  };

  const timer = outbox ? setInterval(() => void drainOutbox().catch(() => undefined), options.sweepMs ?? 5000) : null;
  timer?.unref();

  return {
    async publish(tenantId, type, data, id = randomUUID(), audience) {
      const event = make(tenantId, type, data, id, audience);
      await send(event);
      return event;
    },
    stage(tenantId, type, data, id = randomUUID(), audience) {
      if (!outbox) throw new Error('this event publisher has no outbox');
      const event = make(tenantId, type, data, id, audience);
      return { event, op: outbox.op(event) };
    },
    release(event) {
      // A failure stays in the outbox: the sweep publishes it later.
      const p: Promise<void> = publishOutboxed(event).catch(() => undefined).finally(() => inFlight.delete(p));
      inFlight.add(p);
    },
    drainOutbox,
    async close() {
      if (timer) clearInterval(timer);
      await Promise.all(inFlight);
      await sweeping?.catch(() => undefined);
    },
  };
}
