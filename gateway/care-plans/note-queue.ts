/**
 * Queuing a stored note's pipeline job on JetStream (`wc.notes.<tenant>`, ids only, the note id as
 * `Nats-Msg-Id`), with the store's note queue (store/note-queue-repo.ts) as its outbox: the entry
 * written in the note's own batch is removed once JetStream has the job.
 *
 * `requeueNotes` publishes the job again for every entry left behind — a gateway killed between
 * storing a note and queuing it — whose note is still pending, and drops the entries of notes
 * settled or gone. The gateway runs it once at start, before it listens (no request is queuing a
 * note then), and then on a timer for notes at least `olderThanMs` old, so a request still queuing
 * its note is never raced. A job published twice is one message to JetStream within its duplicate
 * window, and the worker's settle is idempotent after it: a note is settled once.
 */
import type { JetStreamClient } from '@nats-io/jetstream';
import { encodeJson } from '../../core/bus.js';
import { noteSubject, type NoteMessage } from '../../core/contracts.js';
import type { Logger } from '../../core/logger.js';
import { drainJobOutbox } from '../drain-job-outbox.js';
import { startPeriodicPass, type PeriodicPass } from '../periodic-pass.js';
import type { QueuedNote } from '../store/note-queue-repo.js';
import type { Store } from '../store/store.js';

export interface NoteQueueDeps {
  store: Pick<Store, 'notes' | 'noteQueue'>;
  js: JetStreamClient;
  log: Pick<Logger, 'info' | 'warn'>;
}

/** Default age past which the timer re-queues a pending note's job, and the time between its passes. */
export const NOTE_REQUEUE_AFTER_MS = 60_000;

/** Publishes note `noteId`'s job; resolves once JetStream has stored it (the caller then removes the queue entry). */
export async function publishNoteJob(js: JetStreamClient, tenantId: string, noteId: string): Promise<void> {
  const message: NoteMessage = { tenant_id: tenantId, note_id: noteId };
  await js.publish(noteSubject(tenantId), encodeJson(message), { msgID: noteId });
}

/**
 * One pass over the note queue: re-publishes the job of each pending note created at least
 * `olderThanMs` ago (0: all), removes the entries it published and those of notes no longer
 * pending; resolves with how many jobs it published. A failed publish ends the pass (the entry stays).
 */
export async function requeueNotes(deps: NoteQueueDeps, options: { olderThanMs?: number; now?: () => number } = {}): Promise<number> {
  const published = await drainJobOutbox<QueuedNote>({
    entries: () => deps.store.noteQueue.pending(),
    idOf: (entry) => entry.note_id,
    waitingSince: async (entry) => {
      const note = await deps.store.notes.get(entry.tenant_id, entry.note_id);
      return note && note.status === 'pending' ? note.created_at : null;
    },
    publish: (entry) => publishNoteJob(deps.js, entry.tenant_id, entry.note_id),
    remove: (ids) => deps.store.noteQueue.remove(ids),
  }, options);
  if (published > 0) deps.log.info({ notes: published }, 'notes re-queued');
  return published;
}

export type NoteRequeue = PeriodicPass<number>;

/** Runs `requeueNotes` every `intervalMs` for notes at least `olderThanMs` old (both default a minute). */
export function startNoteRequeue(deps: NoteQueueDeps, options: { intervalMs?: number; olderThanMs?: number } = {}): NoteRequeue {
  return startPeriodicPass(() => requeueNotes(deps, { olderThanMs: options.olderThanMs ?? NOTE_REQUEUE_AFTER_MS }), {
    intervalMs: options.intervalMs ?? NOTE_REQUEUE_AFTER_MS,
    // NATS or the store briefly unavailable: the entries stay, the next pass retries.
    onError: (e) => deps.log.warn({ err: { type: (e as Error)?.name } }, 'note re-queue failed; the next pass retries'),
  });
}
