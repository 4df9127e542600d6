/**
 * Per-patient indexes of care records (notes, care plans, tasks): `<patient id>:<record id>` keys
 * with empty values (ids only, never PHI). A patient's list is read through its index, oldest
 * first (ids are time-ordered), a page at a time; every record is re-read and re-checked.
 */
import { WardClerkError } from '../../core/errors.js';
import type { RawOp } from './group-commit.js';
import type { Table } from './layout.js';
import { MAX_PAGE } from './store-context.js';

const EMPTY = new Uint8Array(0);
const DEFAULT_PAGE = 50;

/** A page of a list, oldest first; `next_cursor` is the last id when another page exists. */
export interface Page<T> { items: T[]; next_cursor: string | null }

/** Checks limit and cursor of a list query (VALIDATION_FAILED naming the field). */
export function pageQuery(query: { cursor?: string | undefined; limit?: number | undefined }, idRe: RegExp): { cursor: string | null; limit: number } {
  const limit = query.limit ?? DEFAULT_PAGE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) {
    throw new WardClerkError('VALIDATION_FAILED', `limit must be an integer from 1 to ${MAX_PAGE}`, { details: { field: 'limit' } });
  }
  if (query.cursor !== undefined && !idRe.test(query.cursor)) {
    throw new WardClerkError('VALIDATION_FAILED', 'cursor is not one this API returned', { details: { field: 'cursor' } });
  }
  return { cursor: query.cursor ?? null, limit };
}

/** The operation that lists record `id` under its patient in `index`. */
export function patientIndexOp(index: Table, patientId: string, id: string): RawOp {
  return { type: 'put', key: index.fullKey(`${patientId}:${id}`), value: EMPTY };
}

/** How a repo reads its records for a patient's list. */
export interface PatientListSource<T> {
  /** The record ids' form (a cursor must match it). */
  idRe: RegExp;
  /** The record, or null when it is gone. */
  get(id: string): Promise<T | null>;
  idOf(record: T): string;
  /** Which of the patient's records the list shows (all when absent). */
  keep?(record: T): boolean;
}

/**
 * A page of the patient's records through `index` (undefined: an unknown tenant, an empty page).
 * The query is checked first; a record that is gone or not the patient's is skipped.
 */
export async function listPatientIndex<T extends { patient_id: string }>(
  index: Table | undefined, patientId: string, query: { cursor?: string; limit?: number }, source: PatientListSource<T>,
): Promise<Page<T>> {
  const { cursor, limit } = pageQuery(query, source.idRe);
  if (!index) return { items: [], next_cursor: null };
  const items: T[] = [];
  const range = cursor ? { gt: `${patientId}:${cursor}` } : { gt: `${patientId}:` };
  for await (const key of index.sub.keys({ ...range, lt: `${patientId};` })) {
    const record = await source.get(key.slice(patientId.length + 1));
    if (!record || record.patient_id !== patientId || (source.keep && !source.keep(record))) continue;
    if (items.push(record) > limit) break;
  }
  if (items.length > limit) {
    items.length = limit;
    return { items, next_cursor: source.idOf(items[limit - 1]!) };
  }
  return { items, next_cursor: null };
}
