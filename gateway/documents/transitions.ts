/**
 * A document's status changes, as the gateway makes them durable: under the document's lock the
 * record is re-read, the change applies only from the statuses it expects (otherwise it is
 * reported as not made: a redelivered step is a no-op), and the new record, whatever the step
 * stores with it, the `document.status` event (ids, status and code only; to the patient and the
 * care team) and, on INDEXED or FAILED, the job's completion are written in ONE synced batch.
 */
import type { WardEvent } from '../../core/contracts.js';
import type { DocumentRecord, DocumentStatus } from '../../core/documents/records.js';
import { WardClerkError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { audienceOf } from '../care-plans/settle-note.js';
import type { EventPublisher } from '../events/publisher.js';
import type { AutoRefresh } from '../refresh/refresh-queue.js';
import type { IndexUpdates } from '../search/patient-indexes.js';
import type { RawOp } from '../store/group-commit.js';
import type { TenantScope } from '../store/patient-seal.js';
import type { JobRecord } from '../store/records.js';
import type { Store } from '../store/store.js';
import type { SealWith } from '../store/vault.js';

export interface DocumentStepDeps {
  store: Store;
  events: Pick<EventPublisher, 'stage' | 'release'>;
  log: Logger;
  /** The loaded search indexes, told of each document that settles (INDEXED or FAILED). */
  searchIndexes: Pick<IndexUpdates, 'documentIndexed' | 'documentFailed'>;
  /** Told of each document that becomes INDEXED (a `new_document` RAG refresh); absent in tests of the pipeline alone. */
  refresh?: AutoRefresh;
}

/** What a step changes: fields of the record (a new `status` among them, or not) and operations to commit with it. */
export interface StepChange {
  patch: Partial<Pick<DocumentRecord, 'status' | 'failure' | 'pages' | 'analysis' | 'chunk_count' | 'embedding_space'>>;
  ops?: RawOp[];
}

export interface StepResult {
  status: DocumentStatus;
  changed: boolean;
}

const TERMINAL: readonly DocumentStatus[] = ['INDEXED', 'FAILED'];

function missing(): WardClerkError {
  return new WardClerkError('NOT_FOUND', 'No such document', { details: { resource: 'document' } });
}

/**
 * Applies `build`'s change to document `documentId` if its status is one of `from` (see the
 * module comment). `build` may return null to make no change. NOT_FOUND for a document that is
 * gone (deleted while its pipeline ran).
 */
export async function transition(
  deps: DocumentStepDeps, tenantId: string, documentId: string, from: readonly DocumentStatus[],
  build: (doc: DocumentRecord, scope: TenantScope, seal: SealWith) => Promise<StepChange | null>,
): Promise<StepResult> {
  const { store } = deps;
  return store.documents.lock(tenantId, documentId, async () => {
    const doc = await store.documents.get(tenantId, documentId);
    if (!doc) throw missing();
    if (!from.includes(doc.status)) return { status: doc.status, changed: false };
    const { scope, seal } = await store.documents.seal(tenantId, doc.patient_id);
    const change = await build(doc, scope, seal);
    if (!change) return { status: doc.status, changed: false };
    const now = new Date().toISOString();
    const status = change.patch.status ?? doc.status;
    const moved = status !== doc.status;
    const next: DocumentRecord = { ...doc, ...change.patch, updated_at: now, history: moved ? [...doc.history, { status, at: now }] : doc.history };
    const ops: RawOp[] = [...(change.ops ?? []), ...store.documents.ops(scope, seal, next)];
    const events: WardEvent[] = [];
    if (moved) {
      const patient = await store.patients.get(tenantId, doc.patient_id);
      const audience = await audienceOf(store, tenantId, doc.patient_id, patient?.user_id ?? null);
      const stage = (type: Parameters<DocumentStepDeps['events']['stage']>[1], data: Record<string, unknown>, id: string) => {
        const staged = deps.events.stage(tenantId, type, data, id, audience);
        ops.push(staged.op);
        events.push(staged.event);
      };
      stage('document.status', {
        document_id: doc.document_id, patient_id: doc.patient_id, job_id: doc.job_id, status, code: next.failure?.code ?? null,
      }, `document.status.${doc.document_id}.${status}`);
      if (TERMINAL.includes(status)) {
        const failed = status === 'FAILED';
        const job = await store.notes.job(tenantId, doc.job_id);
        if (job) {
          const done: JobRecord = {
            ...job, completed: failed ? 0 : 1, failed: failed ? 1 : 0, updated_at: now,
            errors: failed ? [{ index: 0, external_id: doc.document_id, code: next.failure?.code ?? 'INTERNAL', message: next.failure?.message ?? '' }] : [],
          };
          ops.push(store.documents.jobOp(scope, done));
          stage('job.completed', {
            job_id: job.job_id, status: failed ? 'failed' : 'completed', total: 1, completed: done.completed, failed: done.failed, document_id: doc.document_id,
          }, `job.completed.${job.job_id}`);
        }
      }
    }
    await store.documents.write(ops);
    for (const e of events) deps.events.release(e);
    // Still under the document's lock: a deletion waiting for it removes these chunks after.
    if (moved && status === 'INDEXED') await deps.searchIndexes.documentIndexed(tenantId, doc.patient_id, doc.document_id);
    if (moved && status === 'FAILED') deps.searchIndexes.documentFailed(doc.patient_id, doc.document_id);
    // Queued, not awaited: the refresh runs after this lock is released and reads the stored document.
    if (moved && status === 'INDEXED') deps.refresh?.auto(tenantId, doc.patient_id, 'new_document');
    if (moved) deps.log.info({ document_id: doc.document_id, status, code: next.failure?.code ?? null }, 'document status');
    return { status, changed: true };
  });
}

/** Fails a document short of INDEXED with a coded reason (a settled one is left as it is). */
export function failDocument(deps: DocumentStepDeps, tenantId: string, documentId: string, code: string, message: string): Promise<StepResult> {
  return transition(deps, tenantId, documentId, ['RECEIVED', 'INGESTED', 'ANALYZING'], async () => ({
    patch: { status: 'FAILED', failure: { code, message: message.slice(0, 500) } },
  }));
}
