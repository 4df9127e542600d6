/**
 * Group commit: durable writes without paying one fsync per write. Writes that arrive while a
 * synced batch is in flight are queued and committed together in the next
 * `db.batch(ops, {sync: true})`; each caller's promise resolves only after the batch holding its
 * operations has been synced (so an acknowledged write survives power loss), and one caller's
 * operations are never split across batches (so each `write()` is atomic).
 */
import { WardClerkError } from '../../core/errors.js';

/** A write against the root database, with the fully prefixed key. */
export type RawOp =
  | { type: 'put'; key: string; value: Uint8Array }
  | { type: 'del'; key: string };

/** The part of a LevelDB handle the writer needs. */
export interface BatchTarget {
  batch(ops: RawOp[], options: { sync: boolean }): Promise<void>;
}

interface Pending {
  ops: RawOp[];
  resolve: () => void;
  reject: (e: unknown) => void;
}

/** Counters for tests and the benchmark: how many synced batches carried how many writes. */
export interface GroupCommitStats {
  /** Underlying `db.batch` calls. */
  batches: number;
  /** `write()` calls committed. */
  writes: number;
  /** Operations committed. */
  ops: number;
}

/** Upper bound of operations merged into one batch (a single larger write is still committed whole). */
const MAX_BATCH_OPS = 20_000;

export class GroupCommitWriter {
  readonly #db: BatchTarget;
  #queue: Pending[] = [];
  #running: Promise<void> | null = null;
  #closed = false;
  readonly #stats: GroupCommitStats = { batches: 0, writes: 0, ops: 0 };

  constructor(db: BatchTarget) {
    this.#db = db;
  }

  /**
   * Commits `ops` atomically and durably. Resolves after the synced batch containing them has
   * completed; rejects (for every writer in that batch) if the batch fails.
   */
  write(ops: RawOp[]): Promise<void> {
    if (this.#closed) {
      return Promise.reject(new WardClerkError('STORE_UNAVAILABLE', 'the store is closed', { details: { reason: 'closed' } }));
    }
    if (ops.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.#queue.push({ ops, resolve, reject });
      // The first write of a burst waits one macrotask (setImmediate) so that writes issued in the
      // same tick (e.g. a Promise.all of creates) share its batch; later ones queue behind the
      // in-flight batch.
      this.#running ??= new Promise<void>((r) => setImmediate(r)).then(() => this.#drain());
    });
  }

  async #drain(): Promise<void> {
    try {
      while (this.#queue.length > 0) {
        const group: Pending[] = [];
        let n = 0;
        while (this.#queue.length > 0) {
          const next = this.#queue[0]!;
          if (group.length > 0 && n + next.ops.length > MAX_BATCH_OPS) break;
          group.push(next);
          n += next.ops.length;
          this.#queue.shift();
        }
        const ops = group.length === 1 ? group[0]!.ops : group.flatMap((p) => p.ops);
        try {
          this.#stats.batches++;
          await this.#db.batch(ops, { sync: true });
          this.#stats.writes += group.length;
          this.#stats.ops += ops.length;
          for (const p of group) p.resolve();
        } catch (e) {
          const err = new WardClerkError('STORE_UNAVAILABLE', 'a durable write to the store failed', {
            details: { reason: 'batch_failed' }, cause: e,
          });
          for (const p of group) p.reject(err);
        }
      }
    } finally {
      this.#running = null;
    }
  }

  /** A snapshot of the counters. */
  stats(): GroupCommitStats {
    return { ...this.#stats };
  }

  /** Stops accepting writes and waits until everything queued has been committed. */
  async close(): Promise<void> {
    this.#closed = true;
    while (this.#running) await this.#running;
  }
}
