/**
 * Reading and clearing a queue table: a table of system-sealed entries keyed by id, written in the
 * same synced batch as the change they stand for and removed once their work is handed on (the
 * event outbox, the note queue, the document queue).
 */
import type { z } from 'zod';
import type { RootDb, Table } from './layout.js';
import type { StoreContext } from './store-context.js';

/** The entries of `table` (oldest key first), at most `limit`, each checked against `schema`. */
export async function queueEntries<S extends z.ZodType>(ctx: StoreContext, table: Table, schema: S, limit: number): Promise<Array<z.infer<S>>> {
  const out: Array<z.infer<S>> = [];
  for await (const [key, bytes] of table.sub.iterator({ limit })) {
    const entry = await ctx.vault.decode(table.fullKey(key), bytes, null, schema);
    if (entry) out.push(entry);
  }
  return out;
}

/**
 * Removes the entries keyed `ids`. Not synced: a removal lost to a power cut only means the work is
 * handed on once more at the next start, and the next synced write persists it anyway.
 */
export async function removeQueueEntries(db: RootDb, table: Table, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await db.batch(ids.map((id) => ({ type: 'del' as const, key: table.fullKey(id) })), { sync: false });
}
