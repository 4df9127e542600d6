/**
 * One refresh of a patient's derived data (issue 9, RAG refresh), as refresh-queue.ts runs it:
 * reads the patient's INDEXED documents with their extractions, their settled notes and their
 * active care plan (summary-sources.ts); computes the extraction summary (patient-summary.ts); for a manual or import
 * refresh, drops and rebuilds the patient's loaded search index from the sealed store
 * (search/patient-indexes.ts) — an automatic one keeps it, since the pipeline already updated it
 * in place (a new document's chunks) or has nothing for it (a note); and stores the
 * next version, sealed with the patient's key, with its inputs (ids and `updated_at`), triggers
 * and times. Derived data added later (parameters, risk assessments, health score) joins here.
 */
import type { PatientIndexes } from '../search/patient-indexes.js';
import type { RefreshTrigger } from '../store/summaries-repo.js';
import type { Store } from '../store/store.js';
import { summarizePatient } from './patient-summary.js';
import { readSummarySources } from './summary-sources.js';

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

/** Runs one refresh (see the module comment). Callers run at most one per patient at a time. */
export async function runRefresh(deps: RefreshRunDeps, r: RefreshRequest): Promise<RefreshOutcome> {
  const { store } = deps;
  const started_at = new Date().toISOString();
  const { sources, inputs, plan } = await readSummarySources(store, r.tenantId, r.patientId);
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
