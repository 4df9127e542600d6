/**
 * PatientIndexes on a real encrypted LevelDB store: what a load reads (one patient's INDEXED
 * documents, unsealed and mapped; pending ones counted), in-place updates, changes made while a
 * load runs, and the memory budget.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../core/logger.js';
import { createConceptEmbedder } from '../../engine/providers/concept-embedder.js';
import type { Chunk } from '../../engine/retrieval/chunk.js';
import { embedChunks } from '../../engine/retrieval/embed-chunks.js';
import type { IndexedChunk } from '../../engine/retrieval/patient-index.js';
import { documentChunks } from '../../worker/document-index.js';
import { PatientIndexes } from './patient-indexes.js';
import { openSealedStore, type SealedStore } from './testing/sealed-documents.js';

const embedder = createConceptEmbedder();
const log = createLogger({ level: 'silent', role: 'test' });
let sealed: SealedStore;
let space: string;

async function entriesOf(text: string, type: Chunk['docType'] = 'consultation_note', clinicalDate: string | null = '2026-01-02'): Promise<IndexedChunk[]> {
  const chunks = documentChunks({ documentId: 'doc_x', type, clinicalDate, pages: [{ page: 1, text }] });
  const r = await embedChunks(chunks, embedder);
  space = r.space;
  return r.entries;
}

const indexes = (budgetBytes = 64 * 1024 * 1024) => new PatientIndexes({ documents: sealed.store.documents, embedder, budgetBytes, log });

beforeAll(async () => {
  sealed = await openSealedStore();
});
afterAll(async () => {
  await sealed?.close();
});

describe('PatientIndexes', () => {
  it("loads one patient's INDEXED documents only, as engine chunks, and counts the pending ones", async () => {
    const mine = await sealed.patient();
    const theirs = await sealed.patient();
    const a = await sealed.document(mine, await entriesOf('Medications:\nMetformin 500 mg twice daily.'), space);
    await sealed.document(mine, await entriesOf('Plan:\nStart ramipril 5 mg.'), space, 'ANALYZING');
    await sealed.document(mine, await entriesOf('Plan:\nStop aspirin.'), space, 'FAILED');
    await sealed.document(theirs, await entriesOf('Medications:\nWarfarin 5 mg daily.'), space);
    const ix = indexes();
    const index = await ix.index(sealed.tenantId, mine);
    expect(index.patientId).toBe(mine);
    expect(index.documentIds()).toEqual([a]);
    expect(ix.pending(mine)).toBe(1);
    const q = await ix.embedQuery('metformin');
    const hits = index.search({ text: 'metformin', ...q, k: 5 });
    expect(hits[0]).toMatchObject({ docId: a, page: 1, section: { kind: 'medications', title: 'Medications' }, clinicalDate: '2026-01-02', docType: 'consultation_note' });
    expect('Medications:\nMetformin 500 mg twice daily.'.slice(hits[0]!.start, hits[0]!.end)).toBe(hits[0]!.passage);
    expect(index.search({ text: 'warfarin', ...(await ix.embedQuery('warfarin')), k: 50 }).every((h) => !h.passage.includes('Warfarin'))).toBe(true);
  });

  it('updates a loaded index in place: indexed, queued, failed, removed; an unloaded patient is left to the store', async () => {
    const p = await sealed.patient();
    const ix = indexes();
    // Not loaded: nothing is read, nothing kept.
    const early = await sealed.document(p, await entriesOf('Labs:\nPotassium 4.2 mmol/L.'), space);
    await ix.documentIndexed(sealed.tenantId, p, early);
    expect(ix.cache.size).toBe(0);
    const index = await ix.index(sealed.tenantId, p);
    expect(index.documentIds()).toEqual([early]);
    const later = await sealed.document(p, await entriesOf('Labs:\nSodium 139 mmol/L.'), space);
    ix.documentQueued(p, later);
    ix.documentQueued(p, 'doc_failing');
    expect(ix.pending(p)).toBe(2);
    await ix.documentIndexed(sealed.tenantId, p, later);
    ix.documentFailed(p, 'doc_failing');
    expect(ix.pending(p)).toBe(0);
    expect(index.documentIds().sort()).toEqual([early, later].sort());
    ix.documentRemoved(p, early);
    expect(index.documentIds()).toEqual([later]);
    expect(await ix.index(sealed.tenantId, p)).toBe(index);
  });

  it('a document indexed or removed while the index loads is applied once the load ends', async () => {
    const p = await sealed.patient();
    const gone = await sealed.document(p, await entriesOf('Plan:\nReview in two weeks.'), space);
    const ix = indexes();
    const loading = ix.index(sealed.tenantId, p);
    const added = await sealed.document(p, await entriesOf('Plan:\nStart amlodipine 5 mg.'), space);
    await ix.documentIndexed(sealed.tenantId, p, added);
    ix.documentRemoved(p, gone);
    const index = await loading;
    expect(index.documentIds()).toEqual([added]);
    expect(index.size).toBe((await sealed.store.documents.chunks(sealed.tenantId, added)).length);
  });

  it('keeps within the memory budget: the least recently used index goes, and loads again on its next search', async () => {
    const one = await sealed.patient();
    const two = await sealed.patient();
    for (const p of [one, two]) await sealed.document(p, await entriesOf(Array.from({ length: 40 }, (_, i) => `Labs:\nHbA1c ${i} % on day ${i}.`).join('\n\n')), space);
    const probe = indexes();
    const bytes = (await probe.index(sealed.tenantId, one)).estimateBytes();
    const ix = indexes(Math.floor(bytes * 1.5));
    const first = await ix.index(sealed.tenantId, one);
    await ix.index(sealed.tenantId, two);
    expect(ix.cache.loaded()).toEqual([two]);
    expect(ix.cache.bytes).toBeLessThanOrEqual(ix.cache.budgetBytes);
    const again = await ix.index(sealed.tenantId, one);
    expect(again).not.toBe(first);
    expect(again.documentIds()).toEqual(first.documentIds());
    expect(ix.cache.loaded()).toEqual([one]);
  });
});
