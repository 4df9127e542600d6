/**
 * The MAX_DELIVERIES backstop shared by the work-queue consumers (items, notes). When a message's
 * last allowed delivery never settles (the worker died each time), JetStream stops redelivering and
 * publishes a MAX_DELIVERIES advisory. One worker of the group reads the message by its stream
 * sequence, lets the consumer's `settle` fail whatever is still pending (and dead-letter it), then
 * removes the message: work-queue streams keep a message that ran out of deliveries. Idempotent: a
 * message already gone is ignored, and each `settle` fails only what is still pending.
 */
import type { Subscription } from '@nats-io/nats-core';
import { z } from 'zod';
import { decodeJson, type Bus } from '../core/bus.js';
import type { Logger } from '../core/logger.js';
import { toCodedError } from './retry-policy.js';

const AdvisorySchema = z.object({ stream_seq: z.number().int().positive(), deliveries: z.number().int().optional() });

export type MaxDeliveriesOutcome = 'failed' | 'already-done' | 'gone' | 'invalid' | 'error';

/** One consumer's backstop: its stream and consumer, its message schema, and how it settles a message. */
export interface MaxDeliveriesBackstop<S extends z.ZodTypeAny> {
  stream: { name: string; consumer: string };
  schema: S;
  /**
   * Fails (and dead-letters) what the message stands for that is still pending; `deliveries` is
   * the advisory's count (0 when absent). 'already-done' when nothing was pending.
   */
  settle(ref: z.output<S>, deliveries: number, bus: Bus): Promise<'failed' | 'already-done'>;
  /** Ids only (never PHI) for the warning that the message exceeded its deliveries. */
  logIds(ref: z.output<S>): Record<string, unknown>;
  /** Log messages: the message exceeded its deliveries; the advisory could not be handled. */
  exceeded: string;
  notHandled: string;
}

/** The advisory subject of a consumer. */
export function maxDeliveriesSubject(stream: { name: string; consumer: string }): string {
  return `$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.${stream.name}.${stream.consumer}`;
}

/**
 * Handles one advisory payload. Errors are logged and reported as 'error': the next advisory for
 * that message does not come, so what it stands for stays pending.
 */
export async function handleMaxDeliveries<S extends z.ZodTypeAny>(
  backstop: MaxDeliveriesBackstop<S>, payload: unknown, deps: { bus: Bus; log: Logger },
): Promise<MaxDeliveriesOutcome> {
  const { bus, log } = deps;
  const { name } = backstop.stream;
  const advisory = AdvisorySchema.safeParse(payload);
  if (!advisory.success) return 'invalid';
  const seq = advisory.data.stream_seq;
  try {
    const stored = await bus.jsm.streams.getMessage(name, { seq }).catch(() => null);
    if (!stored) return 'gone';
    const ref = backstop.schema.safeParse(decodeJson(stored.data));
    if (!ref.success) {
      await bus.jsm.streams.deleteMessage(name, seq, false);
      return 'invalid';
    }
    const outcome = await backstop.settle(ref.data as z.output<S>, advisory.data.deliveries ?? 0, bus);
    await bus.jsm.streams.deleteMessage(name, seq, false).catch(() => false);
    log.warn({ ...backstop.logIds(ref.data as z.output<S>), seq, outcome }, backstop.exceeded);
    return outcome;
  } catch (e) {
    log.error({ seq, code: toCodedError(e).code }, backstop.notHandled);
    return 'error';
  }
}

/** Listens for a consumer's MAX_DELIVERIES advisories (one worker of the group handles each). close() waits for those in flight. */
export function listenMaxDeliveries<S extends z.ZodTypeAny>(
  backstop: MaxDeliveriesBackstop<S>,
  deps: { bus: Bus; log: Logger; onOutcome?: (o: MaxDeliveriesOutcome) => void },
): { close(): Promise<void> } {
  const sub: Subscription = deps.bus.nc.subscribe(maxDeliveriesSubject(backstop.stream), { queue: 'wc-worker' });
  const inFlight = new Set<Promise<void>>();
  const loop = (async () => {
    for await (const m of sub) {
      let payload: unknown;
      try {
        payload = decodeJson(m.data);
      } catch {
        payload = undefined;
      }
      const p: Promise<void> = handleMaxDeliveries(backstop, payload, deps).then((o) => deps.onOutcome?.(o)).finally(() => inFlight.delete(p));
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
