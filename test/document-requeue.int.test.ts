/**
 * A document stored but never queued (the gateway died between storing it and publishing its job)
 * is processed after the next gateway start, exactly once. On the whole appliance in this process:
 * with the gateway stopped, two documents are written through the store as an upload writes them —
 * one whose job never reached JetStream, one whose job did (killed before its queue entry was
 * removed). After the start both are INDEXED, each job on the documents stream once; the queue is
 * empty and a second start publishes nothing.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STREAMS } from '../core/contracts.js';
import { newId } from '../core/crypto.js';
import type { DocumentRecord } from '../core/documents/records.js';
import { publishDocumentJob } from '../gateway/documents/document-queue.js';
import { settled } from './documents-http.js';
import { startRequeueAppliance, type RequeueAppliance } from './requeue-appliance.js';

const TEXTS = ['Metformin 500 mg tablet by mouth twice daily.', 'Amlodipine 5 mg tablet by mouth once daily.'];

let fx: RequeueAppliance;

beforeAll(async () => {
  fx = await startRequeueAppliance('document-requeue-test');
}, 60_000);
afterAll(async () => {
  await fx?.close();
});

const docsStored = () => fx.storedOn(STREAMS.docs.name);

describe('a document stored but not queued', () => {
  it('is processed after the next gateway start, exactly once', async () => {
    const { app, seed, bus } = fx;
    const before = await docsStored();
    const store = await fx.openStore();
    const ids: string[] = [];
    try {
      for (const text of TEXTS) {
        const bytes = Buffer.from(text);
        const now = new Date().toISOString();
        const doc: DocumentRecord = {
          document_id: store.documents.newId(), tenant_id: seed.tenantId, patient_id: seed.patientId, job_id: newId('job'), type: 'other', clinical_date: null,
          filename: null, format: 'text', content_type: 'text/plain; charset=utf-8', size_bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'),
          page_count: 1, blob_parts: 1, status: 'RECEIVED', failure: null, pages: [], analysis: null, chunk_count: null, embedding_space: null,
          uploaded_by: { kind: 'user', id: seed.userIds.doctor, role: 'doctor' }, history: [{ status: 'RECEIVED', at: now }], created_at: now, updated_at: now,
        };
        await store.documents.create(seed.tenantId, doc, bytes, { job_id: doc.job_id, tenant_id: seed.tenantId, total: 1, completed: 0, failed: 0, created_at: now, updated_at: now, errors: [] });
        ids.push(doc.document_id);
      }
      expect((await store.documents.queued()).map((e) => e.document_id).sort()).toEqual([...ids].sort());
    } finally {
      await store.close();
    }
    // The second document's job made it to JetStream before the "crash"; the first one's never did.
    await publishDocumentJob(bus.js, seed.tenantId, ids[1]!);
    expect(await docsStored()).toBe(before + 1);

    await app.start('gateway');
    for (const id of ids) expect((await settled(app.url, seed.patientId, id, seed.tokens.doctor, 60_000)).status).toBe('INDEXED');
    // One job each on the stream: the second document's, published again at start, was de-duplicated.
    expect(await docsStored()).toBe(before + 2);

    await app.stop('gateway');
    const after = await fx.openStore();
    try {
      expect(await after.documents.queued()).toEqual([]);
      for (const id of ids) {
        const doc = await after.documents.get(seed.tenantId, id);
        expect(doc?.history.map((h) => h.status)).toEqual(['RECEIVED', 'INGESTED', 'ANALYZING', 'INDEXED']);
        expect(await after.notes.job(seed.tenantId, doc!.job_id)).toMatchObject({ total: 1, completed: 1, failed: 0 });
      }
    } finally {
      await after.close();
    }
    await app.start('gateway');
    expect(await docsStored()).toBe(before + 2);
  }, 90_000);
});
