/**
 * What a patient's extraction summary is computed from (patient-summary.ts): their INDEXED
 * documents with an extraction, their settled notes with one, and their active care plan, with
 * the inputs (ids and `updated_at`) a stored version records. Read by a refresh (run-refresh.ts)
 * and by the chat's summary stats when no refresh has been stored yet, so both read the same.
 */
import type { CarePlanRecord } from '../../core/care/records.js';
import type { Page } from '../store/patient-index.js';
import type { SummaryInput } from '../store/summaries-repo.js';
import type { Store } from '../store/store.js';
import type { SummarySource } from './patient-summary.js';

export interface SummarySources {
  sources: SummarySource[];
  inputs: SummaryInput[];
  plan: CarePlanRecord | null;
}

/** Every item of a paged listing, page by page. */
export async function listAll<T>(list: (cursor: string | undefined) => Promise<Page<T>>): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await list(cursor);
    out.push(...page.items);
    cursor = page.next_cursor ?? undefined;
  } while (cursor !== undefined);
  return out;
}

/** The patient's summary sources, read from the sealed store (see the module comment). */
export async function readSummarySources(store: Store, tenantId: string, patientId: string): Promise<SummarySources> {
  const page = (cursor: string | undefined) => ({ limit: 100, ...(cursor ? { cursor } : {}) });
  const documents = await listAll((c) => store.documents.listByPatient(tenantId, patientId, page(c), (d) => d.status === 'INDEXED' && d.analysis !== null));
  const notes = await listAll((c) => store.notes.listByPatient(tenantId, patientId, page(c)));
  const sources: SummarySource[] = [];
  const inputs: SummaryInput[] = [];
  for (const d of documents) {
    const x = await store.documents.extraction(tenantId, d.document_id);
    if (!x) continue;
    sources.push({ kind: 'document', id: d.document_id, date: d.clinical_date ?? d.created_at.slice(0, 10), extraction: x.extraction });
    inputs.push({ kind: 'document', id: d.document_id, updated_at: d.updated_at });
  }
  for (const n of notes) {
    if (!n.extraction || n.processed_at === null) continue;
    sources.push({ kind: 'note', id: n.note_id, date: n.note_date, extraction: n.extraction });
    inputs.push({ kind: 'note', id: n.note_id, updated_at: n.processed_at });
  }
  const plan = await store.carePlans.active(tenantId, patientId);
  if (plan) inputs.push({ kind: 'care_plan', id: plan.care_plan_id, updated_at: plan.updated_at });
  return { sources, inputs, plan };
}
