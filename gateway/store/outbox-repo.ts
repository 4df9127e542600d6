/**
 * The event outbox: an event is written in the same synced batch as the change it announces (a
 * prescription), so the request can answer once that one write is durable, and the event is
 * published to JetStream afterwards. An entry is removed once JetStream has stored its event; an
 * entry left by a crash is published at the next start (the event id is the `Nats-Msg-Id`, and
 * consumers key their work by event id, so a second publish is harmless). Events hold ids only;
 * they are sealed with the system key like any other value.
 */
import { WardEventSchema, type WardEvent } from '../../core/contracts.js';
import type { RawOp } from './group-commit.js';
import type { RootDb, Table } from './layout.js';
import { queueEntries, removeQueueEntries } from './queue-table.js';
import type { StoreContext } from './store-context.js';

export class OutboxRepo {
  readonly #ctx: StoreContext;
  readonly #db: RootDb;
  readonly #table: Table;

  constructor(ctx: StoreContext, db: RootDb) {
    this.#ctx = ctx;
    this.#db = db;
    this.#table = ctx.layout.outbox;
  }

  /** The operation recording `event` in the outbox, to commit together with its change. */
  op(event: WardEvent): RawOp {
    return this.#ctx.vault.put(this.#table, event.id, event, { kind: 'system' });
  }

  /** Events still waiting to be published (oldest key first), at most `limit`. */
  pending(limit = 1000): Promise<WardEvent[]> {
    return queueEntries(this.#ctx, this.#table, WardEventSchema, limit);
  }

  /**
   * Removes published events. Not synced: losing a removal to a power cut only means the event is
   * published once more at the next start, and the next synced write persists it anyway.
   */
  remove(ids: string[]): Promise<void> {
    return removeQueueEntries(this.#db, this.#table, ids);
  }
}
