/**
 * Reads a batch body: strict UTF-8 JSON up to 25 MB, at most 1,000 items, every text non-empty.
 * A bad batch is refused whole (nothing stored) with the offending item indexes in the details.
 */
import type { Context } from 'hono';
import { WardClerkError } from '../../core/errors.js';
import type { AppEnv } from '../http/app-env.js';
import { readJsonBody } from '../http/json-body.js';
import { BatchInputSchema, MAX_BATCH_BYTES, MAX_BATCH_ITEMS, type BatchInput } from './schemas.js';

export function validateBatch(value: unknown): BatchInput {
  const items = (value as { items?: unknown } | null)?.items;
  if (Array.isArray(items) && items.length > MAX_BATCH_ITEMS) {
    throw new WardClerkError('BATCH_TOO_LARGE', `A batch holds at most ${MAX_BATCH_ITEMS} items`, {
      details: { max_items: MAX_BATCH_ITEMS, items: items.length },
    });
  }
  const parsed = BatchInputSchema.safeParse(value);
  if (!parsed.success) {
    throw new WardClerkError('VALIDATION_FAILED', 'Request failed validation', {
      details: { issues: parsed.error.issues.slice(0, 20).map((i) => ({ path: i.path.join('.'), message: i.message })) },
    });
  }
  const empty = parsed.data.items.flatMap((it, index) => (it.text.trim() === '' ? [index] : []));
  if (empty.length > 0) throw new WardClerkError('EMPTY_TEXT', 'Some items have empty text', { details: { indexes: empty.slice(0, 50) } });
  return parsed.data;
}

export async function readBatchRequest(c: Context<AppEnv>): Promise<BatchInput> {
  return validateBatch(await readJsonBody(c, MAX_BATCH_BYTES));
}
