/**
 * The notes' own outbox: a note is stored together with an entry here (ids only, system key), in
 * the same synced batch (notes-repo.ts), and the entry is removed once JetStream has the note's
 * job. A gateway that dies between the two leaves the entry behind, and the next start publishes
 * the job again (gateway/care-plans/note-queue.ts), with the note id as `Nats-Msg-Id` so a job
 * JetStream already holds is not doubled. Without it such a note would stay `pending` for ever.
 */
import { z } from 'zod';
import type { RawOp } from './group-commit.js';
import type { RootDb, Table } from './layout.js';
import { queueEntries, removeQueueEntries } from './queue-table.js';
import type { StoreContext } from './store-context.js';

/** A note waiting for its job to be queued. */
export const QueuedNoteSchema = z.object({ tenant_id: z.string(), note_id: z.string() });
export type QueuedNote = z.infer<typeof QueuedNoteSchema>;

export class NoteQueueRepo {
  readonly #ctx: StoreContext;
  readonly #db: RootDb;
  readonly #table: Table;

  constructor(ctx: StoreContext, db: RootDb) {
    this.#ctx = ctx;
    this.#db = db;
    this.#table = ctx.layout.noteQueue;
  }

  /** The operation recording that note `noteId` still has to be queued; commit it with the note. */
  op(tenantId: string, noteId: string): RawOp {
    return this.#ctx.vault.put(this.#table, noteId, { tenant_id: tenantId, note_id: noteId } satisfies QueuedNote, { kind: 'system' });
  }

  /** Notes whose job may not be queued yet (oldest note id first), at most `limit`. */
  pending(limit = 1000): Promise<QueuedNote[]> {
    return queueEntries(this.#ctx, this.#table, QueuedNoteSchema, limit);
  }

  /**
   * Removes the entries of queued notes. Not synced, as the event outbox's removals: a removal lost
   * to a power cut only means the job is published once more (and JetStream or the settled note's
   * status drops it).
   */
  remove(noteIds: string[]): Promise<void> {
    return removeQueueEntries(this.#db, this.#table, noteIds);
  }
}
