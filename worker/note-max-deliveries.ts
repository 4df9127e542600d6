/**
 * Backstop for note messages whose last allowed delivery never settled (the worker died each
 * time). JetStream then publishes a MAX_DELIVERIES advisory; this listener reads the note message
 * by its stream sequence, settles the note `failed` if it is still pending (the store settles a
 * note once), dead-letters it and removes the message. Idempotent, like the items backstop.
 */
import type { Subscription } from '@nats-io/nats-core';
import { z } from 'zod';
import { contracts, NoteMessageSchema, STREAMS } from '../core/contracts.js';
import { decodeJson, type Bus } from '../core/bus.js';
import type { Logger } from '../core/logger.js';
import { sendDeadLetter } from './dead-letter.js';
import { toCodedError } from './retry-policy.js';

export const NOTE_MAX_DELIVERIES_SUBJECT = `$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.${STREAMS.notes.name}.${STREAMS.notes.consumer}`;

const AdvisorySchema = z.object({ stream_seq: z.number().int().positive(), deliveries: z.number().int().optional() });

export type NoteMaxDeliveriesOutcome = 'failed' | 'already-done' | 'gone' | 'invalid' | 'error';

/** Handles one advisory payload (errors are logged and reported as 'error'). */
export async function handleNoteMaxDeliveries(payload: unknown, deps: { bus: Bus; log: Logger }): Promise<NoteMaxDeliveriesOutcome> {
  const { bus, log } = deps;
  const advisory = AdvisorySchema.safeParse(payload);
  if (!advisory.success) return 'invalid';
  const seq = advisory.data.stream_seq;
  try {
    const stored = await bus.jsm.streams.getMessage(STREAMS.notes.name, { seq }).catch(() => null);
    if (!stored) return 'gone';
    const ref = NoteMessageSchema.safeParse(decodeJson(stored.data));
    if (!ref.success) {
      await bus.jsm.streams.deleteMessage(STREAMS.notes.name, seq, false);
      return 'invalid';
    }
    const message = 'The note was not processed within its allowed deliveries';
    const out = await bus.request(contracts.noteSettle, { ...ref.data, outcome: { ok: false, code: 'INTERNAL', message } });
    const outcome: NoteMaxDeliveriesOutcome = out.created ? 'failed' : 'already-done';
    if (out.created) {
      await sendDeadLetter(bus, { kind: 'notes', tenant_id: ref.data.tenant_id, ref: ref.data.note_id, code: 'INTERNAL', message, attempts: advisory.data.deliveries ?? 0, ids: { note_id: ref.data.note_id } });
    }
    await bus.jsm.streams.deleteMessage(STREAMS.notes.name, seq, false).catch(() => false);
    log.warn({ note_id: ref.data.note_id, seq, outcome }, 'note exceeded max deliveries');
    return outcome;
  } catch (e) {
    log.error({ seq, code: toCodedError(e).code }, 'note max-deliveries advisory not handled');
    return 'error';
  }
}

/** Listens for the notes consumer's MAX_DELIVERIES advisories (one worker of the group handles each). */
export function listenNoteMaxDeliveries(deps: { bus: Bus; log: Logger; onOutcome?: (o: NoteMaxDeliveriesOutcome) => void }): { close(): Promise<void> } {
  const sub: Subscription = deps.bus.nc.subscribe(NOTE_MAX_DELIVERIES_SUBJECT, { queue: 'wc-worker' });
  const inFlight = new Set<Promise<void>>();
  const loop = (async () => {
    for await (const m of sub) {
      let payload: unknown;
      try {
        payload = decodeJson(m.data);
      } catch {
        payload = undefined;
      }
      const p: Promise<void> = handleNoteMaxDeliveries(payload, deps).then((o) => deps.onOutcome?.(o)).finally(() => inFlight.delete(p));
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
