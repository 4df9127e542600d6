/**
 * The store subjects of the notes pipeline, served by the gateway for workers:
 * `wc.store.note.get` (a note's text while it is pending, nothing once it is settled) and
 * `wc.store.note.settle` (settle-note.ts; a note newly settled with an extraction triggers a
 * `new_note` RAG refresh of its patient, gateway/refresh).
 */
import type { Bus } from '../../core/bus.js';
import { contracts } from '../../core/contracts.js';
import { WardClerkError } from '../../core/errors.js';
import type { AutoRefresh } from '../refresh/refresh-queue.js';
import { settleNote, type SettleDeps } from './settle-note.js';

export interface NoteSubjectDeps extends SettleDeps {
  bus: Bus;
  /** Told of each note that settles with an extraction (a `new_note` RAG refresh). */
  refresh?: AutoRefresh;
}

/** Subscribes the note subjects in queue group `gateway`. */
export function serveNoteSubjects(deps: NoteSubjectDeps): void {
  const opts = { queue: 'gateway' };
  deps.bus.serve(contracts.noteGet, async ({ tenant_id, note_id }) => {
    const note = await deps.store.notes.get(tenant_id, note_id);
    if (!note) throw new WardClerkError('NOT_FOUND', 'No such note', { details: { resource: 'note' } });
    const pending = note.status === 'pending';
    return { note_id: note.note_id, status: note.status, text: pending ? note.text : '', note_date: note.note_date, ocr_confidence: note.ocr_confidence };
  }, opts);
  deps.bus.serve(contracts.noteSettle, async ({ tenant_id, note_id, outcome }) => {
    const r = await settleNote(deps, tenant_id, note_id, outcome);
    // Only the settling that made the change (a redelivery is not new), and only with something to read.
    if (r.created && r.status !== 'failed') {
      const note = await deps.store.notes.get(tenant_id, note_id);
      if (note) deps.refresh?.auto(tenant_id, note.patient_id, 'new_note');
    }
    return r;
  }, opts);
}
