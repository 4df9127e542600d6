/**
 * One refresh of a patient's derived data (issue 9, RAG refresh), as refresh-queue.ts runs it:
 * reads the patient's INDEXED documents with their extractions, their settled notes and their
 * active care plan; computes the extraction summary (patient-summary.ts); for a manual or import
 * refresh, drops and rebuilds the patient's loaded search index from the sealed store
 * (search/patient-indexes.ts) — an automatic one keeps it, since the pipeline already updated it
 * in place (a new document's chunks) or has nothing for it (a note); and stores the
 * next version, sealed with the patient's key, with its inputs (ids and `updated_at`), triggers
 * and times. Derived data added later (parameters, risk assessments, health score) joins here.
 */
import type { PatientIndexes } from '../search/patient-indexes.js';
import type { Page } from '../store/patient-index.js';
import type { RefreshTrigger, SummaryInput } from '../store/summaries-repo.js';
import type { Store } from '../store/store.js';
import { summarizePatient, type SummarySource } from './patient-summary.js';

export interface RefreshRunDeps {
  store: Store;
  searchIndexes: Pick<PatientIndexes, 'rebuild'>;
}

export interface RefreshRequest {
  tenantId: string;
  patientId: string;
  jobId: string;
  triggers: RefreshTrigger[];
}

export interface RefreshOutcome {
  version: number;
  inputs: number;
  /** kept: an automatic refresh, whose change the loaded index already has. */
  index: 'rebuilt' | 'not_loaded' | 'kept';
}

/** Triggers that rebuild the loaded index (a full recompute); the others' changes are already in it. */
const REBUILDS_INDEX: ReadonlySet<RefreshTrigger> = new Set(['manual', 'import']);

async function all<T>(list: (cursor: string | undefined) => Promise<Page<T>>): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await list(cursor);
    out.push(...page.items);
    cursor = page.next_cursor ?? undefined;
  } while (cursor !== undefined);
  return out;
}

/** Runs one refresh (see the module comment). Callers run at most one per patient at a time. */
export async function runRefresh(deps: RefreshRunDeps, r: RefreshRequest): Promise<RefreshOutcome> {
  const { store } = deps;
  const started_at = new Date().toISOString();
  const page = (cursor: string | undefined) => ({ limit: 100, ...(cursor ? { cursor } : {}) });
  const documents = await all((c) => store.documents.listByPatient(r.tenantId, r.patientId, page(c), (d) => d.status === 'INDEXED' && d.analysis !== null));
  const notes = await all((c) => store.notes.listByPatient(r.tenantId, r.patientId, page(c)));
  const sources: SummarySource[] = [];
  const inputs: SummaryInput[] = [];
  for (const d of documents) {
    const x = await store.documents.extraction(r.tenantId, d.document_id);
    if (!x) continue;
    sources.push({ kind: 'document', id: d.document_id, date: d.clinical_date ?? d.created_at.slice(0, 10), extraction: x.extraction });
    inputs.push({ kind: 'document', id: d.document_id, updated_at: d.updated_at });
  }
  for (const n of notes) {
    if (!n.extraction || n.processed_at === null) continue;
    sources.push({ kind: 'note', id: n.note_id, date: n.note_date, extraction: n.extraction });
    inputs.push({ kind: 'note', id: n.note_id, updated_at: n.processed_at });
  }
  const plan = await store.carePlans.active(r.tenantId, r.patientId);
  if (plan) inputs.push({ kind: 'care_plan', id: plan.care_plan_id, updated_at: plan.updated_at });
  const summary = summarizePatient(sources, plan);
  const rebuild = r.triggers.some((t) => REBUILDS_INDEX.has(t));
  const index = rebuild ? await deps.searchIndexes.rebuild(r.tenantId, r.patientId) : 'kept';
  const version = ((await store.summaries.latest(r.tenantId, r.patientId))?.version ?? 0) + 1;
  await store.summaries.put({
    tenant_id: r.tenantId, patient_id: r.patientId, version, trigger: r.triggers[0]!, triggers: r.triggers, job_id: r.jobId,
    inputs, started_at, finished_at: new Date().toISOString(), summary,
  });
  return { version, inputs: inputs.length, index };
}
