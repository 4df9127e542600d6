/**
 * Test and bench builder: a real encrypted store in a temp dir with a tenant and patients, and
 * documents stored as the pipeline stores them (record, chunks and vectors sealed with the
 * patient's key), in any status. Dispose with `await using` or close().
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initCrypto, newId } from '../../../core/crypto.js';
import type { DocumentRecord, DocumentStatus } from '../../../core/documents/records.js';
import { loadOrCreateMasterKey } from '../../../core/master-key.js';
import type { IndexedChunk } from '../../../engine/retrieval/patient-index.js';
import { openStore, type Store } from '../../store/store.js';
import { storedChunk, vectorToBase64 } from '../../../worker/document-index.js';

export interface SealedStore {
  store: Store;
  dir: string;
  tenantId: string;
  /** A new patient of the tenant. */
  patient(): Promise<string>;
  /** Stores one document of `patientId` made of `entries` (their document id is replaced); returns its id. */
  document(patientId: string, entries: readonly IndexedChunk[], space: string, status?: DocumentStatus): Promise<string>;
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

export async function openSealedStore(): Promise<SealedStore> {
  await initCrypto();
  const dir = await mkdtemp(join(tmpdir(), 'wardclerk-search-'));
  const store = await openStore({ dir: join(dir, 'store'), masterKey: await loadOrCreateMasterKey(join(dir, 'master.key')) });
  const tenantId = (await store.tenants.create({ name: 'Search' })).id;
  const close = async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  };
  return {
    store, dir, tenantId, close, [Symbol.asyncDispose]: close,
    patient: async () => (await store.patients.create(tenantId, { name: { family: 'Test', given: ['Search'] }, time_zone: 'UTC' }, { createdBy: 'usr_test' })).patient_id,
    async document(patientId, entries, space, status = 'INDEXED') {
      const { scope, seal } = await store.documents.seal(tenantId, patientId);
      const documentId = store.documents.newId();
      const now = new Date().toISOString();
      const first = entries[0]!.chunk;
      const doc: DocumentRecord = {
        document_id: documentId, tenant_id: tenantId, patient_id: patientId, job_id: newId('job'), type: first.docType,
        clinical_date: first.clinicalDate, filename: null, format: 'text', content_type: 'text/plain; charset=utf-8', size_bytes: 1,
        sha256: createHash('sha256').update(documentId).digest('hex'), page_count: 1, blob_parts: 1, status, failure: null, pages: [], analysis: null,
        chunk_count: entries.length, embedding_space: space, uploaded_by: { kind: 'client', id: 'test', role: null },
        history: [{ status, at: now }], created_at: now, updated_at: now,
      };
      const job = { job_id: doc.job_id, tenant_id: tenantId, total: 1, completed: 0, failed: 0, created_at: now, updated_at: now, errors: [] };
      const chunks = entries.map((e, seq) => storedChunk({ ...e.chunk, docId: documentId, id: e.chunk.id.replace(e.chunk.docId, documentId) }, seq));
      const vectors = entries.map((e, seq) => ({ chunk_id: chunks[seq]!.chunk_id, space, dimensions: e.vector.length, vector_b64: vectorToBase64(e.vector) }));
      await store.documents.write([
        ...store.documents.createOps(scope, seal, doc, new Uint8Array([1]), job),
        ...store.documents.chunkOps(scope, seal, documentId, chunks, vectors),
      ]);
      return documentId;
    },
  };
}
