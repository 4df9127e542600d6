/**
 * Patient documents as service functions `(deps, principal, …)`, called by the REST routes. Every
 * function first loads the patient through people/access.ts: a caller who may not see the patient
 * gets 404, exactly as for a patient that does not exist.
 *
 * Uploading runs tier 1 (inspect-upload.ts) before anything is stored; the same bytes again for
 * the same patient are the same document (200 with it). Otherwise the original is stored sealed
 * with the patient's key, with its record, job, queue entry and `document.status` RECEIVED event,
 * in one batch, and the document is queued for the workers (tiers 2 and 3) by id only
 * (document-queue.ts re-queues what a crash between the two left behind).
 */
import { newId } from '../../core/crypto.js';
import { FORMAT_CONTENT_TYPE, type DocumentExtraction, type DocumentRecord, type DocumentType } from '../../core/documents/records.js';
import { WardClerkError } from '../../core/errors.js';
import { actorOf } from '../care-plans/service.js';
import { audienceOf } from '../care-plans/settle-note.js';
import type { Principal } from '../http/app-env.js';
import type { GatewayDeps } from '../http/deps.js';
import { loadPatientFor } from '../people/access.js';
import { DocumentsRepo } from '../store/documents-repo.js';
import type { Page } from '../store/patient-index.js';
import type { JobRecord } from '../store/records.js';
import { publishDocumentJob } from './document-queue.js';
import { inspectUpload } from './inspect-upload.js';
import { filingDate } from './schemas.js';
import { failDocument } from './transitions.js';

export type DocumentDeps = Pick<GatewayDeps, 'store' | 'bus' | 'events' | 'log' | 'searchIndexes'>;

export interface DocumentUpload {
  bytes: Uint8Array;
  filename: string | null;
  type: DocumentType;
  clinicalDate: string | null;
}

export interface UploadResult {
  /** false: these bytes were already the patient's document (answered 200 with it). */
  created: boolean;
  document: DocumentRecord;
}

const NOT_FOUND = () => new WardClerkError('NOT_FOUND', 'No such document', { details: { resource: 'document' } });

/** Who may add or remove a patient's documents: the patient, their doctors and nurses, API clients with patients:write. */
function assertMayWrite(principal: Principal): void {
  if (principal.kind === 'user' && !['patient', 'doctor', 'nurse'].includes(principal.role)) {
    throw new WardClerkError('FORBIDDEN', 'Only the patient, their care team or an API client with patients:write may change documents', {
      details: { allowed_roles: ['patient', 'doctor', 'nurse'] },
    });
  }
}

/**
 * Stores a document after tier 1 and queues its pipeline (see the module comment). The body is
 * read (`read`) only once the caller may write to the patient: a refused upload is never read.
 */
export async function uploadDocument(deps: DocumentDeps, principal: Principal, patientId: string, read: () => Promise<DocumentUpload>): Promise<UploadResult> {
  const patient = await loadPatientFor(deps, principal, patientId, 'write');
  assertMayWrite(principal);
  const upload = await read();
  const inspected = await inspectUpload(upload.bytes);
  const tenantId = patient.tenant_id;
  const { store } = deps;
  return store.documents.lockUploads(tenantId, patient.patient_id, async () => {
    const existing = await store.documents.findByHash(tenantId, patient.patient_id, inspected.sha256);
    if (existing) return { created: false, document: existing };
    const now = new Date().toISOString();
    const document: DocumentRecord = {
      document_id: store.documents.newId(), tenant_id: tenantId, patient_id: patient.patient_id, job_id: newId('job'),
      type: upload.type, clinical_date: upload.clinicalDate, filename: upload.filename, format: inspected.format,
      content_type: FORMAT_CONTENT_TYPE[inspected.format], size_bytes: upload.bytes.byteLength, sha256: inspected.sha256,
      page_count: inspected.pageCount, blob_parts: DocumentsRepo.partsOf(upload.bytes.byteLength), status: 'RECEIVED', failure: null,
      pages: [], analysis: null, chunk_count: null, embedding_space: null, uploaded_by: actorOf(principal),
      history: [{ status: 'RECEIVED', at: now }], created_at: now, updated_at: now,
    };
    const job: JobRecord = { job_id: document.job_id, tenant_id: tenantId, total: 1, completed: 0, failed: 0, created_at: now, updated_at: now, errors: [] };
    const audience = await audienceOf(store, tenantId, patient.patient_id, patient.user_id);
    const { event, op } = deps.events.stage(tenantId, 'document.status', {
      document_id: document.document_id, patient_id: patient.patient_id, job_id: job.job_id, status: 'RECEIVED', code: null,
    }, `document.status.${document.document_id}.RECEIVED`, audience);
    await store.documents.create(tenantId, document, upload.bytes, job, [op]);
    deps.searchIndexes.documentQueued(patient.patient_id, document.document_id);
    deps.events.release(event);
    try {
      await publishDocumentJob(deps.bus.js, tenantId, document.document_id);
    } catch (e) {
      // Not queued: failed now (never left RECEIVED for ever), and the caller told to send it again.
      const error = new WardClerkError('OVERLOADED', 'The work queue did not take the document; send it again', { cause: e });
      await failDocument(deps, tenantId, document.document_id, 'INTERNAL', 'The document could not be queued')
        .catch((x: unknown) => deps.log.error({ document_id: document.document_id, err: { type: (x as Error)?.name } }, 'document left RECEIVED; the re-queue timer takes it'));
      throw error;
    }
    // The queue entry's job is on JetStream; a lost removal only means one more (de-duplicated) publish.
    await store.documents.dequeue([document.document_id])
      .catch((x: unknown) => deps.log.warn({ document_id: document.document_id, err: { type: (x as Error)?.name } }, 'document queue entry left; the re-queue drops it'));
    deps.log.info({ document_id: document.document_id, job_id: job.job_id, format: document.format, pages: document.page_count }, 'document queued');
    return { created: true, document };
  });
}

export interface DocumentQuery {
  cursor?: string | undefined;
  limit?: number | undefined;
  type?: DocumentType | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

/** The patient's documents, oldest first, filtered by type and by date (clinical date, else upload day). */
export async function listDocuments(deps: DocumentDeps, principal: Principal, patientId: string, q: DocumentQuery): Promise<Page<DocumentRecord>> {
  const patient = await loadPatientFor(deps, principal, patientId);
  if (q.from && q.to && q.from > q.to) throw new WardClerkError('VALIDATION_FAILED', 'from must not be after to', { details: { field: 'from' } });
  const keep = (d: DocumentRecord) => (!q.type || d.type === q.type) && (!q.from || filingDate(d) >= q.from) && (!q.to || filingDate(d) <= q.to);
  return deps.store.documents.listByPatient(patient.tenant_id, patient.patient_id, { ...(q.cursor ? { cursor: q.cursor } : {}), ...(q.limit ? { limit: q.limit } : {}) }, keep);
}

/** One document of the patient; NOT_FOUND (resource document) for one that is not theirs. */
export async function getDocument(deps: DocumentDeps, principal: Principal, patientId: string, documentId: string): Promise<DocumentRecord> {
  const patient = await loadPatientFor(deps, principal, patientId);
  const doc = await deps.store.documents.get(patient.tenant_id, documentId);
  if (!doc || doc.patient_id !== patient.patient_id) throw NOT_FOUND();
  return doc;
}

/** One document with tier 2's extraction (null until analysed). */
export async function getDocumentDetail(deps: DocumentDeps, principal: Principal, patientId: string, documentId: string): Promise<{ doc: DocumentRecord; extraction: DocumentExtraction | null }> {
  const doc = await getDocument(deps, principal, patientId, documentId);
  return { doc, extraction: doc.analysis ? await deps.store.documents.extraction(doc.tenant_id, doc.document_id) : null };
}

/** The original file as a stream of its parts, with its content type. */
export async function readDocumentFile(deps: DocumentDeps, principal: Principal, patientId: string, documentId: string): Promise<{ doc: DocumentRecord; body: ReadableStream<Uint8Array> }> {
  const doc = await getDocument(deps, principal, patientId, documentId);
  let n = 0;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (n >= doc.blob_parts) {
        controller.close();
        return;
      }
      controller.enqueue(await deps.store.documents.readPart(doc.tenant_id, doc.document_id, n++));
    },
  });
  return { doc, body };
}

/** Removes the document with its original, page texts, extraction, chunks and vectors, in one batch. */
export async function deleteDocument(deps: DocumentDeps, principal: Principal, patientId: string, documentId: string): Promise<void> {
  const patient = await loadPatientFor(deps, principal, patientId, 'write');
  assertMayWrite(principal);
  const { store } = deps;
  // Uploads of the patient wait (a duplicate of these bytes is not answered with a document being
  // removed), and so does the document's pipeline (a step after this finds it gone and stops).
  await store.documents.lockUploads(patient.tenant_id, patient.patient_id, () => store.documents.lock(patient.tenant_id, documentId, async () => {
    const doc = await store.documents.get(patient.tenant_id, documentId);
    if (!doc || doc.patient_id !== patient.patient_id) throw NOT_FOUND();
    await store.documents.write(await store.documents.deleteOps(patient.tenant_id, doc));
    deps.searchIndexes.documentRemoved(doc.patient_id, doc.document_id);
    deps.log.info({ document_id: doc.document_id }, 'document deleted');
  }));
}
