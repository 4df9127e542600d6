/**
 * `npm run bench -- retrieval`, the load part: the same 5,000 chunks and vectors stored as the
 * documents pipeline stores them (sealed with the patient's key in a real LevelDB store in a temp
 * dir, grouped in INDEXED documents), then the gateway's loader (gateway/search/load-patient-index.ts)
 * builds the patient's index from them: list, unseal, map, build. The store is closed and removed.
 */
import type { IndexedChunk } from '../../engine/retrieval/patient-index.js';
import { loadPatientIndex } from '../../gateway/search/load-patient-index.js';
import { openSealedStore } from '../../gateway/search/testing/sealed-documents.js';

/** Stores `entries` (grouped by document) for one patient and times loading them back. */
export async function benchSealedLoad(entries: readonly IndexedChunk[], space: string, dimensions: number): Promise<Record<string, number>> {
  await using sealed = await openSealedStore();
  const patientId = await sealed.patient();
  const byDoc = new Map<string, IndexedChunk[]>();
  for (const e of entries) byDoc.set(e.chunk.docId, [...(byDoc.get(e.chunk.docId) ?? []), e]);
  let t = performance.now();
  for (const group of byDoc.values()) await sealed.document(patientId, group, space);
  const storeMs = performance.now() - t;
  const load = async () => {
    t = performance.now();
    const { index } = await loadPatientIndex(sealed.store.documents, sealed.tenantId, patientId, { space, dimensions });
    return { chunks: index.size, ms: Math.round(performance.now() - t) };
  };
  const first = await load();
  const again = await load();
  return { documents: byDoc.size, chunks: first.chunks, store_sealed_ms: Math.round(storeMs), load_ms: first.ms, load_again_ms: again.ms };
}
