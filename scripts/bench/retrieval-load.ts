/**
 * `npm run bench -- retrieval`, the load part: the same 5,000 chunks and vectors stored as the
 * documents pipeline stores them (sealed with the patient's key in a real LevelDB store in a temp
 * dir, grouped in INDEXED documents), then the gateway's loader (gateway/search/load-patient-index.ts)
 * builds the patient's index from them: list, unseal, map, build. The store is closed and removed.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initCrypto, newId } from '../../core/crypto.js';
import type { DocumentRecord } from '../../core/documents/records.js';
import { loadOrCreateMasterKey } from '../../core/master-key.js';
import type { IndexedChunk } from '../../engine/retrieval/patient-index.js';
import { loadPatientIndex } from '../../gateway/search/load-patient-index.js';
import { openStore } from '../../gateway/store/store.js';
import { storedChunk, vectorToBase64 } from '../../worker/document-index.js';

/** Stores `entries` (grouped by document) for one patient and times loading them back. */
export async function benchSealedLoad(entries: readonly IndexedChunk[], space: string, dimensions: number): Promise<Record<string, number>> {
  await initCrypto();
  const dir = await mkdtemp(join(tmpdir(), 'wardclerk-bench-load-'));
  const store = await openStore({ dir: join(dir, 'store'), masterKey: await loadOrCreateMasterKey(join(dir, 'master.key')) });
  try {
    const tenantId = (await store.tenants.create({ name: 'Bench' })).id;
    const patientId = (await store.patients.create(tenantId, { name: { family: 'Bench', given: ['Load'] }, time_zone: 'UTC' }, { createdBy: 'usr_bench' })).patient_id;
    const { scope, seal } = await store.documents.seal(tenantId, patientId);
    const byDoc = new Map<string, IndexedChunk[]>();
    for (const e of entries) byDoc.set(e.chunk.docId, [...(byDoc.get(e.chunk.docId) ?? []), e]);
    let t = performance.now();
    for (const [, group] of byDoc) {
      const documentId = store.documents.newId();
      const now = new Date().toISOString();
      const doc: DocumentRecord = {
        document_id: documentId, tenant_id: tenantId, patient_id: patientId, job_id: newId('job'), type: group[0]!.chunk.docType,
        clinical_date: group[0]!.chunk.clinicalDate, filename: null, format: 'text', content_type: 'text/plain; charset=utf-8', size_bytes: 1,
        sha256: createHash('sha256').update(documentId).digest('hex'), page_count: 1, blob_parts: 1, status: 'INDEXED', failure: null, pages: [], analysis: null,
        chunk_count: group.length, embedding_space: space, uploaded_by: { kind: 'client', id: 'bench', role: null },
        history: [{ status: 'INDEXED', at: now }], created_at: now, updated_at: now,
      };
      const job = { job_id: doc.job_id, tenant_id: tenantId, total: 1, completed: 1, failed: 0, created_at: now, updated_at: now, errors: [] };
      const chunks = group.map((e, seq) => storedChunk({ ...e.chunk, docId: documentId, id: e.chunk.id.replace(e.chunk.docId, documentId) }, seq));
      const vectors = group.map((e, seq) => ({ chunk_id: chunks[seq]!.chunk_id, space, dimensions, vector_b64: vectorToBase64(e.vector) }));
      await store.documents.write([
        ...store.documents.createOps(scope, seal, doc, new Uint8Array([1]), job),
        ...store.documents.chunkOps(scope, seal, documentId, chunks, vectors),
      ]);
    }
    const storeMs = performance.now() - t;
    t = performance.now();
    const { index } = await loadPatientIndex(store.documents, tenantId, patientId, { space, dimensions });
    const loadMs = performance.now() - t;
    t = performance.now();
    await loadPatientIndex(store.documents, tenantId, patientId, { space, dimensions });
    const againMs = performance.now() - t;
    return { documents: byDoc.size, chunks: index.size, store_sealed_ms: Math.round(storeMs), load_ms: Math.round(loadMs), load_again_ms: Math.round(againMs) };
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}
