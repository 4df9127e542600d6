/**
 * Backstop for batch items whose last allowed delivery never settled (the worker died or could not
 * record the failure). JetStream then stops redelivering and publishes a MAX_DELIVERIES advisory;
 * this listener reads the item message by its stream sequence, fails the item if it is still
 * pending (every pending item of the message's chunk), dead-letters it and removes the message
 * from the work queue. Idempotent: the store's
 * failItem is, the dead letter is deduplicated, and a message already gone is ignored.
 */
import type { Subscription } from '@nats-io/nats-core';
import { z } from 'zod';
import { contracts, ItemMessageSchema, STREAMS } from '../core/contracts.js';
import { decodeJson, type Bus } from '../core/bus.js';
import type { Logger } from '../core/logger.js';
import { sendDeadLetter } from './dead-letter.js';
import { toCodedError } from './retry-policy.js';

/** The advisory subject for the items consumer. */
export const ITEM_MAX_DELIVERIES_SUBJECT = `$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.${STREAMS.items.name}.${STREAMS.items.consumer}`;

const AdvisorySchema = z.object({ stream_seq: z.number().int().positive(), deliveries: z.number().int().optional() });

export type MaxDeliveriesOutcome = 'failed' | 'already-done' | 'gone' | 'invalid' | 'error';

/** Handles one advisory payload. Errors are reported as 'error' (logged); the next advisory for that item does not come, so the gateway's job view still shows it pending. */
export async function handleItemMaxDeliveries(payload: unknown, deps: { bus: Bus; log: Logger }): Promise<MaxDeliveriesOutcome> {
  const { bus, log } = deps;
  const advisory = AdvisorySchema.safeParse(payload);
  if (!advisory.success) return 'invalid';
  const seq = advisory.data.stream_seq;
  try {
    const stored = await bus.jsm.streams.getMessage(STREAMS.items.name, { seq }).catch(() => null);
    if (!stored) return 'gone';
    const item = ItemMessageSchema.safeParse(decodeJson(stored.data));
    if (!item.success) {
      await bus.jsm.streams.deleteMessage(STREAMS.items.name, seq, false);
      return 'invalid';
    }
    const ref = item.data;
    // A message stands for a chunk of items (count absent = 1): every one still pending fails.
    const current = await bus.request(contracts.jobItemsGet, { tenant_id: ref.tenant_id, job_id: ref.job_id, index: ref.index, count: ref.count ?? 1 });
    const pending = current.filter((it) => it.state === 'pending').map((it) => it.index);
    let outcome: MaxDeliveriesOutcome = 'already-done';
    if (pending.length > 0) {
      const message = 'The item was not processed within its allowed deliveries';
      await bus.request(contracts.jobItemsSettle, {
        tenant_id: ref.tenant_id, job_id: ref.job_id, completed: [], failed: pending.map((index) => ({ index, code: 'INTERNAL', message })),
      });
      for (const index of pending) {
        await sendDeadLetter(bus, {
          kind: 'items', tenant_id: ref.tenant_id, ref: `${ref.job_id}.${index}`, code: 'INTERNAL', message,
          attempts: advisory.data.deliveries ?? 0, ids: { job_id: ref.job_id, index },
        });
      }
      outcome = 'failed';
    }
    // Work-queue streams keep a message that ran out of deliveries; it is settled now.
    await bus.jsm.streams.deleteMessage(STREAMS.items.name, seq, false).catch(() => false);
    log.warn({ job_id: ref.job_id, index: ref.index, seq, outcome }, 'batch item exceeded max deliveries');
    return outcome;
  } catch (e) {
    log.error({ seq, code: toCodedError(e).code }, 'max-deliveries advisory not handled');
    return 'error';
  }
}

/** Listens for the items consumer's MAX_DELIVERIES advisories (one worker of the group handles each). */
export function listenItemMaxDeliveries(deps: { bus: Bus; log: Logger; onOutcome?: (o: MaxDeliveriesOutcome) => void }): { close(): Promise<void> } {
  const sub: Subscription = deps.bus.nc.subscribe(ITEM_MAX_DELIVERIES_SUBJECT, { queue: 'wc-worker' });
  const inFlight = new Set<Promise<void>>();
  const loop = (async () => {
    for await (const m of sub) {
      let payload: unknown;
      try {
        payload = decodeJson(m.data);
      } catch {
        payload = undefined;
      }
      const p: Promise<void> = handleItemMaxDeliveries(payload, deps).then((o) => deps.onOutcome?.(o)).finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
  })();
  return {
    async close() {
      sub.unsubscribe();
      await loop;
      await Promise.all(inFlight);
    },
  };
}
