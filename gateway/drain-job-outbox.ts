/**
 * One pass over a pipeline's job outbox (the note queue, the document queue): entries a gateway
 * left behind when it died between storing a record and publishing its job. The job of each record
 * still waiting is published again (its id is the `Nats-Msg-Id`, so JetStream drops a job it
 * already holds), unless the record is younger than `olderThanMs` (a request may still be queuing
 * it); the entries of records published, settled or gone are removed.
 */

/** A job outbox as a drain pass reads it. */
export interface JobOutbox<E> {
  /** The entries left (oldest first). */
  entries(): Promise<E[]>;
  /** The id of the entry's record (its job's `Nats-Msg-Id`, and the key removed). */
  idOf(entry: E): string;
  /** When the entry's record was created, while its job is still to be run; null once it moved on or is gone. */
  waitingSince(entry: E): Promise<string | null>;
  /** Publishes the entry's job; resolves once JetStream has stored it. */
  publish(entry: E): Promise<void>;
  /** Removes the entries of these record ids. */
  remove(ids: string[]): Promise<void>;
}

/**
 * Drains `outbox` once; resolves with how many jobs it published. A failed publish ends the pass
 * (its entry stays for the next one); the entries done so far are removed either way.
 */
export async function drainJobOutbox<E>(outbox: JobOutbox<E>, options: { olderThanMs?: number; now?: () => number } = {}): Promise<number> {
  const olderThanMs = options.olderThanMs ?? 0;
  const now = (options.now ?? Date.now)();
  const done: string[] = [];
  let published = 0;
  try {
    for (const entry of await outbox.entries()) {
      const since = await outbox.waitingSince(entry);
      if (since !== null) {
        if (now - Date.parse(since) < olderThanMs) continue;
        await outbox.publish(entry);
        published++;
      }
      done.push(outbox.idOf(entry));
    }
  } finally {
    if (done.length > 0) await outbox.remove(done);
  }
  return published;
}
