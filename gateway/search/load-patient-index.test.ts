/**
 * Loading a large patient index from a real encrypted LevelDB store keeps the event loop free: the
 * build runs in slices, so a timer (and any other tenant's request) is served while 5,000 chunks
 * go into the HNSW and BM25 indexes, and the index built is the same as one built in one go.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../core/logger.js';
import { createConceptEmbedder } from '../../engine/providers/concept-embedder.js';
import { embedChunks } from '../../engine/retrieval/embed-chunks.js';
import { type IndexedChunk, PatientIndex } from '../../engine/retrieval/patient-index.js';
import { documentChunks } from '../../worker/document-index.js';
import { documentEntries } from './load-patient-index.js';
import { PatientIndexes } from './patient-indexes.js';
import { openSealedStore, type SealedStore } from './testing/sealed-documents.js';

const embedder = createConceptEmbedder();
const log = createLogger({ level: 'silent', role: 'test' });
const DOCUMENTS = 100;
const CHUNKS = 5000;
let sealed: SealedStore;
let space: string;
let patientId: string;
const stored: IndexedChunk[] = [];

/** One lab report of 100 numbered results (the chunker makes 50 chunks of it). */
async function labReport(doc: number): Promise<IndexedChunk[]> {
  const text = Array.from({ length: 100 }, (_, i) => {
    const n = doc * 100 + i;
    return `Labs ${n}:\n${'HbA1c creatinine eGFR potassium sodium haemoglobin ferritin '.repeat(12)}result ${n} mmol/L on day ${n}, reviewed in clinic ${n % 17}.`;
  }).join('\n\n');
  const chunks = documentChunks({ documentId: `doc_${doc}`, type: 'lab_report', clinicalDate: '2026-01-02', pages: [{ page: 1, text }] });
  const r = await embedChunks(chunks, embedder);
  space = r.space;
  return r.entries;
}

beforeAll(async () => {
  sealed = await openSealedStore();
  patientId = await sealed.patient();
  for (let d = 0; d < DOCUMENTS; d++) {
    const documentId = await sealed.document(patientId, await labReport(d), space);
    stored.push(...(await documentEntries(sealed.store.documents, sealed.tenantId, documentId, space)).entries);
  }
}, 120_000);
afterAll(async () => {
  await sealed?.close();
});

describe('loadPatientIndex', () => {
  it(`builds ${CHUNKS} chunks without blocking the event loop for more than a slice`, async () => {
    expect(stored.length).toBe(CHUNKS);
    const delay = monitorEventLoopDelay({ resolution: 10 });
    // A cheap concurrent request: a timer that notes how late each of its turns comes.
    let last = performance.now();
    let worstGap = 0;
    const timer = setInterval(() => {
      const now = performance.now();
      worstGap = Math.max(worstGap, now - last);
      last = now;
    }, 5);
    delay.enable();
    const ix = new PatientIndexes({ documents: sealed.store.documents, embedder, budgetBytes: 1024 * 1024 * 1024, log });
    // Two searches at once: one load (single flight), one index.
    const [a, b] = await Promise.all([ix.index(sealed.tenantId, patientId), ix.index(sealed.tenantId, patientId)]);
    // One more turn of the loop, so that a block just before the load resolved is measured too.
    await setTimeout(20);
    delay.disable();
    clearInterval(timer);
    expect(b).toBe(a);
    expect(a.size).toBe(stored.length);
    // Built in one go, this blocked the loop 1.5–4.2 s on the shared 2-core box; in slices, 60–150 ms
    // at worst (other processes and GC; each slice is 10 ms).
    expect(delay.max / 1e6).toBeLessThan(300);
    expect(worstGap).toBeLessThan(300);
    // The same index as one built in one go: the same passages, scores and ranks.
    const whole = new PatientIndex({ patientId, space, dimensions: embedder.dimensions, chunks: stored });
    for (const q of ['potassium result 1234', 'creatinine reviewed in clinic 5', 'haemoglobin on day 4999']) {
      const query = { text: q, ...(await ix.embedQuery(q)), k: 20 };
      const hits = a.search(query);
      expect(hits).toHaveLength(20);
      expect(hits).toEqual(whole.search(query));
    }
  }, 60_000);
});
