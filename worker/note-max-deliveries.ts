/**
 * MAX_DELIVERIES backstop for note messages whose last allowed delivery never settled (the worker
 * died each time): the note is settled `failed` if it is still pending (the store settles a note
 * once), dead-lettered, and its message removed (see max-deliveries.ts). Idempotent, like the
 * items backstop.
 */
import { contracts, NoteMessageSchema, STREAMS } from '../core/contracts.js';
import type { Bus } from '../core/bus.js';
import type { Logger } from '../core/logger.js';
import { sendDeadLetter } from './dead-letter.js';
import { listenMaxDeliveries, type MaxDeliveriesBackstop, type MaxDeliveriesOutcome } from './max-deliveries.js';

/** The notes consumer's backstop. */
export const noteMaxDeliveries: MaxDeliveriesBackstop<typeof NoteMessageSchema> = {
  stream: STREAMS.notes,
  schema: NoteMessageSchema,
  async settle(ref, deliveries, bus) {
    const message = 'The note was not processed within its allowed deliveries';
    const out = await bus.request(contracts.noteSettle, { ...ref, outcome: { ok: false, code: 'INTERNAL', message } });
    if (!out.created) return 'already-done';
    await sendDeadLetter(bus, { kind: 'notes', tenant_id: ref.tenant_id, ref: ref.note_id, code: 'INTERNAL', message, attempts: deliveries, ids: { note_id: ref.note_id } });
    return 'failed';
  },
  logIds: (ref) => ({ note_id: ref.note_id }),
  exceeded: 'note exceeded max deliveries',
  notHandled: 'note max-deliveries advisory not handled',
};

/** Listens for the notes consumer's MAX_DELIVERIES advisories (one worker of the group handles each). */
export function listenNoteMaxDeliveries(deps: { bus: Bus; log: Logger; onOutcome?: (o: MaxDeliveriesOutcome) => void }): { close(): Promise<void> } {
  return listenMaxDeliveries(noteMaxDeliveries, deps);
}
